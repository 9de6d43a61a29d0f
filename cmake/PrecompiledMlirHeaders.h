// The MLIR and LLVM headers that most of stde's compiler sources include,
// compiled once per build (cmake/StdePrecompiledHeaders.cmake) instead of once
// per source: parsing them was about three quarters of compiling a typical
// pass with g++ (-ftime-report: 21 of 29 s for LowerOperators/Estimators.cpp,
// 6 s with this header precompiled).
//
// Only headers installed with LLVM belong here: none of them changes while
// stde is developed, so editing stde never rebuilds the precompiled header.
// A header only a few sources use stays out; every source still includes what
// it uses, and builds without this file (-DSTDE_PRECOMPILED_HEADERS=OFF).
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectImplementation.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/DialectConversion.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/TypeSwitch.h"
