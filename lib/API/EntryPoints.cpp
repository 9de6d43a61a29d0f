//===- EntryPoints.cpp - the one description of every compiled entry point ===//
#include "EntryPoints.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <string>

using namespace mlir;
using namespace stde;

namespace {

EntryArgument buffer(llvm::StringLiteral name, Extent extent, Access access) {
  return {name, true, extent, access};
}
EntryArgument integer(llvm::StringLiteral name) {
  return {name, false, Extent::scalar, Access::read};
}

} // namespace

int EntrySignature::indexOf(StringRef name) const {
  for (auto [i, argument] : llvm::enumerate(arguments))
    if (argument.name == name)
      return int(i);
  return -1;
}

SmallVector<int64_t> stde::shapeOf(Extent extent, const EntrySizes &s) {
  switch (extent) {
  case Extent::scalar:
    return {1};
  case Extent::errorSums:
    return {3};
  case Extent::params:
    return {s.numParams};
  case Extent::state:
    return {s.stateSize};
  case Extent::interior:
    return {s.points, s.dim};
  case Extent::boundary:
    return {s.boundaryPoints, s.dim};
  case Extent::interiorWeights:
    return {s.points};
  case Extent::boundaryWeights:
    return {s.boundaryPoints};
  case Extent::pairLosses:
    return {2 * s.zoPairs};
  case Extent::directions:
    return {s.zoPairs * s.numParams};
  case Extent::operatorValues:
    return {s.operatorValues};
  }
  return {};
}

namespace stde::entry {
const EntrySignature trainStep{"stde_train_step",
                               {buffer("params", Extent::params, Access::readWrite),
                                buffer("m", Extent::params, Access::readWrite),
                                buffer("v", Extent::params, Access::readWrite), integer("seed"),
                                integer("step"), buffer("loss", Extent::scalar, Access::write)}};
const EntrySignature gradient{"stde_gradient",
                              {buffer("params", Extent::params, Access::read), integer("seed"),
                               integer("step"), buffer("loss", Extent::scalar, Access::write),
                               buffer("grad", Extent::params, Access::write)}};
const EntrySignature loss{"stde_loss",
                          {buffer("params", Extent::params, Access::read), integer("seed"),
                           integer("step"), buffer("loss", Extent::scalar, Access::write)}};
const EntrySignature testError{"stde_test_error",
                               {buffer("params", Extent::params, Access::read), integer("seed"),
                                integer("chunk"),
                                buffer("sums", Extent::errorSums, Access::write)}};
const EntrySignature samplePoints{"stde_sample_points",
                                  {integer("seed"), integer("step"),
                                   buffer("points", Extent::interior, Access::write)}};
const EntrySignature sampleBoundary{"stde_sample_boundary_points",
                                    {integer("seed"), integer("step"),
                                     buffer("points", Extent::boundary, Access::write)}};
const EntrySignature zoStep{"stde_zo_step",
                            {buffer("params", Extent::params, Access::readWrite),
                             buffer("state", Extent::state, Access::readWrite), integer("seed"),
                             integer("step"), integer("epoch"),
                             buffer("loss", Extent::scalar, Access::write)}};
const EntrySignature zoFold{"stde_zo_fold",
                            {buffer("params", Extent::params, Access::readWrite),
                             buffer("state", Extent::state, Access::readWrite), integer("seed"),
                             integer("epoch")}};
const EntrySignature zoPair{"stde_zo_pair",
                            {buffer("params", Extent::params, Access::read),
                             buffer("state", Extent::state, Access::read), integer("seed"),
                             integer("step"), integer("pstep"), integer("epoch"),
                             buffer("losses", Extent::pairLosses, Access::write)}};
const EntrySignature zoDirections{"stde_zo_directions",
                                  {integer("seed"), integer("pstep"), integer("epoch"),
                                   buffer("directions", Extent::directions, Access::write)}};

const EntrySignature pointsLoss{
    "stde_points_loss",
    {buffer("params", Extent::params, Access::read),
     buffer("points", Extent::interior, Access::read),
     buffer("weights", Extent::interiorWeights, Access::read),
     buffer("boundary", Extent::boundary, Access::read),
     buffer("boundaryWeights", Extent::boundaryWeights, Access::read), integer("seed"),
     integer("call"), buffer("loss", Extent::scalar, Access::write)}};
const EntrySignature pointsGradient{
    "stde_points_gradient",
    {buffer("params", Extent::params, Access::read),
     buffer("points", Extent::interior, Access::read),
     buffer("weights", Extent::interiorWeights, Access::read),
     buffer("boundary", Extent::boundary, Access::read),
     buffer("boundaryWeights", Extent::boundaryWeights, Access::read), integer("seed"),
     integer("call"), buffer("loss", Extent::scalar, Access::write),
     buffer("grad", Extent::params, Access::write)}};
const EntrySignature pointsOperators{
    "stde_points_operators",
    {buffer("params", Extent::params, Access::read),
     buffer("points", Extent::interior, Access::read),
     buffer("boundary", Extent::boundary, Access::read), integer("seed"), integer("call"),
     buffer("values", Extent::operatorValues, Access::write)}};

EntrySignature withoutBoundary(const EntrySignature &signature) {
  EntrySignature result{signature.symbol, {}};
  for (const EntryArgument &argument : signature.arguments)
    if (!argument.isBuffer ||
        (argument.extent != Extent::boundary && argument.extent != Extent::boundaryWeights))
      result.arguments.push_back(argument);
  return result;
}
} // namespace stde::entry

MemRefType stde::entryBufferType(Extent extent, const EntrySizes &sizes, Type element) {
  return MemRefType::get(shapeOf(extent, sizes), element);
}

//===----------------------------------------------------------------------===//
// The IR side
//===----------------------------------------------------------------------===//

EntryFunction::EntryFunction(OpBuilder &builder, ModuleOp module, const EntrySignature &signature,
                             const EntrySizes &sizes, Type element,
                             ArrayRef<NamedAttribute> attributes)
    : b(builder), location(module.getLoc()), signature(signature), sizes(sizes),
      element(element) {
  SmallVector<Type> inputs;
  for (const EntryArgument &argument : signature.arguments)
    inputs.push_back(argument.isBuffer ? Type(entryBufferType(argument.extent, sizes, element))
                                       : Type(b.getI64Type()));
  b.setInsertionPointToEnd(module.getBody());
  auto func = func::FuncOp::create(b, location, signature.symbol,
                                   b.getFunctionType(inputs, TypeRange{}));
  func->setAttr("llvm.emit_c_interface", b.getUnitAttr());
  for (NamedAttribute attribute : attributes)
    func->setAttr(attribute.getName(), attribute.getValue());
  b.setInsertionPointToStart(func.addEntryBlock());
  function = func;
}

Value EntryFunction::arg(StringRef name) {
  int index = signature.indexOf(name);
  if (index < 0)
    llvm::report_fatal_error(llvm::Twine("internal: entry ") + signature.symbol +
                             " has no argument " + name);
  return cast<func::FuncOp>(function).getArgument(index);
}

Value EntryFunction::load(StringRef name, bool writable) {
  Value memref = arg(name);
  auto type = cast<MemRefType>(memref.getType());
  auto tensor = RankedTensorType::get(type.getShape(), type.getElementType());
  return bufferization::ToTensorOp::create(b, location, tensor, memref, /*restrict=*/true,
                                           writable);
}

void EntryFunction::store(StringRef name, Value tensor) {
  bufferization::MaterializeInDestinationOp::create(b, location, Type(), tensor, arg(name),
                                                    /*restrict=*/true, /*writable=*/true);
}

void EntryFunction::storeScalars(StringRef name, ValueRange scalars) {
  auto type = RankedTensorType::get({int64_t(scalars.size())}, element);
  store(name, tensor::FromElementsOp::create(b, location, type, scalars));
}

func::FuncOp EntryFunction::finish() {
  func::ReturnOp::create(b, location);
  return cast<func::FuncOp>(function);
}

//===----------------------------------------------------------------------===//
// The check
//===----------------------------------------------------------------------===//

Status stde::checkCompiledEntries(ModuleOp module, ArrayRef<const EntrySignature *> entries,
                                  const EntrySizes &sizes, Type element) {
  for (const EntrySignature *signature : entries) {
    std::string symbol = signature->symbol.str();
    auto mismatch = [&](const std::string &what) {
      return Status::error("internal: the compiled entry point '" + symbol +
                           "' does not match its signature (lib/API/EntryPoints.cpp): " + what);
    };
    size_t count = signature->arguments.size();
    if (auto func = module.lookupSymbol<func::FuncOp>(symbol)) {
      FunctionType type = func.getFunctionType();
      if (type.getNumInputs() != count || type.getNumResults() != 0)
        return mismatch("it takes " + std::to_string(type.getNumInputs()) + " arguments, not " +
                        std::to_string(count));
      for (auto [i, argument] : llvm::enumerate(signature->arguments)) {
        Type expected = argument.isBuffer
                            ? Type(entryBufferType(argument.extent, sizes, element))
                            : Type(IntegerType::get(module.getContext(), 64));
        if (type.getInput(i) != expected)
          return mismatch("argument " + std::to_string(i) + " (" + argument.name.str() +
                          ") has another type");
      }
      if (!func->hasAttr("llvm.emit_c_interface"))
        return mismatch("it has no C interface");
      continue;
    }
    // After lowering, the C interface wrapper takes a pointer per memref.
    auto wrapper = module.lookupSymbol<LLVM::LLVMFuncOp>("_mlir_ciface_" + symbol);
    if (!wrapper)
      return mismatch("the module has no such function");
    ArrayRef<Type> params = wrapper.getFunctionType().getParams();
    if (params.size() != count)
      return mismatch("it takes " + std::to_string(params.size()) + " arguments, not " +
                      std::to_string(count));
    for (auto [i, argument] : llvm::enumerate(signature->arguments)) {
      bool pointer = isa<LLVM::LLVMPointerType>(params[i]);
      if (pointer != argument.isBuffer)
        return mismatch("argument " + std::to_string(i) + " (" + argument.name.str() + ") is " +
                        (pointer ? "a buffer" : "not a buffer"));
    }
  }
  return Status::success();
}
