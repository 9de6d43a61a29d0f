//===- InitAllStde.cpp - one registration for every stde tool -------------===//
#include "stde/InitAllStde.h"

#include "dialects/jet/JetDialect.h"
#include "dialects/jet/StdeModels/StdeTaylorModels.h"
#include "dialects/jet/TaylorOpInterface.h"
#include "dialects/rng/RngOps.h"
#include "dialects/stde/StdeDialect.h"
#include "dialects/zo/ZoOps.h"
#include "stde/Conversion/Passes.h"
#include "stde/Target/CpuPipeline.h"
#include "stde/Target/GpuPipeline.h"
#include "stde/Transforms/MpiMemoryEffects.h"
#include "stde/Transforms/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/Extensions/InlinerExtension.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Index/IR/IndexDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"

void stde::registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<stde::StdeDialect, mlir::jet::JetDialect, mlir::rng::RngDialect,
                  mlir::zo::ZoDialect>();
  mlir::jet::registerTaylorExternalModels(registry);
  mlir::jet::registerStdeTaylorModels(registry);
  stde::registerMpiMemoryEffects(registry);
  // The levels stde lowers through (docs/DESIGN.md, "The path data takes").
  registry.insert<mlir::affine::AffineDialect, mlir::arith::ArithDialect,
                  mlir::bufferization::BufferizationDialect, mlir::cf::ControlFlowDialect,
                  mlir::func::FuncDialect, mlir::gpu::GPUDialect, mlir::index::IndexDialect,
                  mlir::linalg::LinalgDialect, mlir::LLVM::LLVMDialect,
                  mlir::NVVM::NVVMDialect, mlir::math::MathDialect,
                  mlir::memref::MemRefDialect, mlir::scf::SCFDialect,
                  mlir::tensor::TensorDialect, mlir::vector::VectorDialect>();
  // Upstream dialects register their bufferization and other interface models
  // together with the dialect (mlir/InitAllDialects.h). Then convert-to-LLVM
  // interfaces, inliner extensions and
  // the LLVM IR translations the CPU and NVPTX back ends need.
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::registerAllToLLVMIRTranslations(registry);
}

void stde::registerAllPasses() {
  // Upstream passes (canonicalize, cse, inline, conversions) so that every
  // stage of our pipelines can be replayed with stde-opt.
  mlir::registerAllPasses();
  stde::registerStdePasses();
  stde::registerStdeConversionPasses();
  stde::registerCpuPipeline();
  stde::registerGpuPipelines();
}
