//===- JetModule.cpp - the IR of a jet kernel ----------------------------===//
#include "JetModule.h"
#include "IRBuild.h"

#include "dialects/jet/JetOps.h"
#include "dialects/rng/RngOps.h"
#include "dialects/stde/StdeOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"

using namespace mlir;
using Kind = stde::FieldNode::Kind;

namespace {

Type elementType(OpBuilder &b, stde::DType dtype) {
  return dtype == stde::DType::f32 ? Type(b.getF32Type()) : Type(b.getF64Type());
}

::stde::Activation toDialect(stde::ActivationKind kind) {
  switch (kind) {
  case stde::ActivationKind::identity: return ::stde::Activation::identity;
  case stde::ActivationKind::tanh: return ::stde::Activation::tanh;
  case stde::ActivationKind::sin: return ::stde::Activation::sin;
  case stde::ActivationKind::cos: return ::stde::Activation::cos;
  case stde::ActivationKind::exp: return ::stde::Activation::exp;
  case stde::ActivationKind::sigmoid: return ::stde::Activation::sigmoid;
  case stde::ActivationKind::softplus: return ::stde::Activation::softplus;
  }
  return ::stde::Activation::identity;
}

/// Emits the nodes of a field inside a network body, one op per node in the
/// order they were recorded. A scalar constant takes the shape of its first
/// user (a scalar when unused) and is emitted where it was recorded (users
/// of another shape get a copy of their own next to them).
class NetworkEmitter {
public:
  NetworkEmitter(OpBuilder &b, Location loc, const stde::Field &field, Value theta, Value x)
      : b(b), loc(loc), field(field), theta(theta), x(x),
        element(elementType(b, field.dtype())), values(field.nodes().size()),
        firstUserSize(field.nodes().size(), -1) {
    for (const stde::FieldNode &n : field.nodes())
      for (int id : n.operands)
        if (firstUserSize[id] < 0)
          firstUserSize[id] = n.size;
  }

  Value emit() {
    for (size_t i = 0; i < field.nodes().size(); ++i)
      values[i] = emitNode(i, field.nodes()[i]);
    return values[field.output()];
  }

private:
  Type typeOfSize(int64_t size) {
    return size == 0 ? element : Type(RankedTensorType::get({size}, element));
  }
  Value constantOfSize(const stde::FieldNode &n, int64_t size) {
    if (!n.values.empty())
      return stde::ir::tensorConstant(b, loc, RankedTensorType::get({size}, element), n.values);
    if (size == 0)
      return stde::ir::constant(b, loc, element, n.value);
    return stde::ir::tensorConstant(b, loc, RankedTensorType::get({size}, element), {n.value});
  }
  /// The draws in double, rounded to the field's type: the same constants
  /// whatever the precision, and the same as the host's gaussianAt.
  Value gaussians(const stde::FieldNode &n) {
    Value seed = arith::ConstantIntOp::create(b, loc, b.getI64Type(), int64_t(n.seed));
    Value step = arith::ConstantIntOp::create(b, loc, b.getI64Type(), 0);
    Value draws = mlir::rng::DrawOp::create(b, loc, RankedTensorType::get({n.size}, b.getF64Type()),
                                            mlir::rng::Distribution::gaussian, seed, step,
                                            n.stream);
    if (element.isF64())
      return draws;
    return arith::TruncFOp::create(b, loc, RankedTensorType::get({n.size}, element), draws);
  }
  Value operand(const stde::FieldNode &user, int index) {
    int id = user.operands[index];
    const stde::FieldNode &n = field.nodes()[id];
    if (n.kind == Kind::constant && n.values.empty() && firstUserSize[id] != user.size)
      return constantOfSize(n, user.size);
    return values[id];
  }
  Value emitNode(size_t id, const stde::FieldNode &n) {
    Type type = typeOfSize(n.size);
    auto arg = [&](int i) { return operand(n, i); };
    switch (n.kind) {
    case Kind::input: return x;
    case Kind::constant:
      if (!n.values.empty())
        return constantOfSize(n, n.size);
      return constantOfSize(n, std::max<int64_t>(firstUserSize[id], 0));
    case Kind::dense:
      return ::stde::DenseOp::create(b, loc, type, arg(0), theta, b.getI64IntegerAttr(n.offset));
    case Kind::activation:
      return ::stde::ActivationOp::create(b, loc, toDialect(n.activation),
                                          arg(0));
    case Kind::add: return arith::AddFOp::create(b, loc, arg(0), arg(1));
    case Kind::sub: return arith::SubFOp::create(b, loc, arg(0), arg(1));
    case Kind::mul: return arith::MulFOp::create(b, loc, arg(0), arg(1));
    case Kind::div: return arith::DivFOp::create(b, loc, arg(0), arg(1));
    case Kind::neg: return arith::NegFOp::create(b, loc, arg(0));
    case Kind::sqnorm: return ::stde::SqNormOp::create(b, loc, element, arg(0));
    case Kind::sum: return ::stde::SumOp::create(b, loc, element, arg(0));
    case Kind::max: return ::stde::MaxOp::create(b, loc, element, arg(0));
    case Kind::exp: return math::ExpOp::create(b, loc, arg(0));
    case Kind::log: return math::LogOp::create(b, loc, arg(0));
    case Kind::sin: return math::SinOp::create(b, loc, arg(0));
    case Kind::cos: return math::CosOp::create(b, loc, arg(0));
    case Kind::tanh: return math::TanhOp::create(b, loc, arg(0));
    case Kind::sqrt: return math::SqrtOp::create(b, loc, arg(0));
    case Kind::atan: return math::AtanOp::create(b, loc, arg(0));
    case Kind::powi: {
      // fpowi wants an exponent of the same shape as its base.
      Attribute e = b.getI32IntegerAttr(n.exponent);
      Value exponent =
          n.size == 0
              ? arith::ConstantOp::create(b, loc, cast<TypedAttr>(e)).getResult()
              : arith::ConstantOp::create(
                    b, loc, DenseElementsAttr::get(
                                RankedTensorType::get({n.size}, b.getI32Type()), e))
                    .getResult();
      return math::FPowIOp::create(b, loc, arg(0), exponent);
    }
    case Kind::gaussians: return gaussians(n);
    case Kind::foldBlocks: return ::stde::FoldBlocksOp::create(b, loc, type, arg(0));
    case Kind::slice: {
      return tensor::ExtractSliceOp::create(b, loc, cast<RankedTensorType>(type), arg(0),
                                            ValueRange{}, ValueRange{}, ValueRange{},
                                            b.getDenseI64ArrayAttr({n.offset}),
                                            b.getDenseI64ArrayAttr({n.size}),
                                            b.getDenseI64ArrayAttr({1}));
    }
    }
    return {};
  }

  OpBuilder &b;
  Location loc;
  const stde::Field &field;
  Value theta, x;
  Type element;
  std::vector<Value> values;
  std::vector<int64_t> firstUserSize; ///< -1: no user
};

} // namespace

void stde::buildNetwork(OpBuilder &builder, Location loc, const Field &field, StringRef name,
                        bool spaceTime) {
  Type element = elementType(builder, field.dtype());
  auto pointType = RankedTensorType::get({field.inputDim()}, element);
  SmallVector<Type> inputs;
  if (field.numParams() > 0)
    inputs.push_back(RankedTensorType::get({field.numParams()}, element));
  inputs.push_back(pointType);
  auto net = NetworkOp::create(builder, loc, name, builder.getFunctionType(inputs, {element}));
  if (spaceTime)
    net->setAttr("space_time", builder.getUnitAttr());
  OpBuilder::InsertionGuard guard(builder);
  Block *body = builder.createBlock(&net.getBody(), {}, inputs,
                                    SmallVector<Location>(inputs.size(), loc));
  Value theta = field.numParams() > 0 ? body->getArgument(0) : Value();
  NetworkEmitter emitter(builder, loc, field, theta, body->getArguments().back());
  Value u = emitter.emit();
  ReturnOp::create(builder, loc, u);
}

OwningOpRef<ModuleOp> stde::buildJetModule(MLIRContext &context, const Field &field,
                                           const JetSpec &spec) {
  OpBuilder b(&context);
  Location loc = b.getUnknownLoc();
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  b.setInsertionPointToEnd(module->getBody());
  buildNetwork(b, loc, field);

  Type element = elementType(b, field.dtype());
  int64_t n = spec.batch, r = spec.directions, d = field.inputDim(), k = spec.order;
  std::vector<TangentKind> kinds = spec.tangentKinds();
  auto memref = [&](ArrayRef<int64_t> shape, Type t) { return MemRefType::get(shape, t); };

  SmallVector<Type> args;
  if (field.numParams() > 0)
    args.push_back(memref({field.numParams()}, element));
  args.push_back(memref({n, d}, element));
  for (TangentKind kind : kinds) {
    if (kind == TangentKind::dense)
      args.push_back(memref({r, n, d}, element));
    else if (kind == TangentKind::onehot)
      args.push_back(memref({r}, b.getIndexType()));
  }
  size_t firstOutput = args.size();
  args.push_back(memref({n}, element));
  for (int64_t i = 1; i <= k; ++i)
    args.push_back(memref({r, n}, element));

  auto fn = func::FuncOp::create(b, loc, kJetKernelName, b.getFunctionType(args, {}));
  fn->setAttr("llvm.emit_c_interface", b.getUnitAttr());
  Block *entry = fn.addEntryBlock();
  b.setInsertionPointToStart(entry);
  auto toTensor = [&](Value m) -> Value {
    auto type = cast<MemRefType>(m.getType());
    return bufferization::ToTensorOp::create(
        b, loc, RankedTensorType::get(type.getShape(), type.getElementType()), m,
        /*restrict=*/true, /*writable=*/false);
  };

  unsigned next = 0;
  Value theta = field.numParams() > 0 ? toTensor(entry->getArgument(next++)) : Value();
  Value points = toTensor(entry->getArgument(next++));
  SmallVector<Value> stored;
  SmallVector<jet::CoefficientKind> structure;
  for (TangentKind kind : kinds) {
    switch (kind) {
    case TangentKind::zero: structure.push_back(jet::CoefficientKind::zero); break;
    case TangentKind::dense:
      structure.push_back(jet::CoefficientKind::dense);
      stored.push_back(toTensor(entry->getArgument(next++)));
      break;
    case TangentKind::onehot:
      structure.push_back(jet::CoefficientKind::onehot);
      stored.push_back(toTensor(entry->getArgument(next++)));
      break;
    }
  }
  auto pointsType = cast<RankedTensorType>(points.getType());
  auto seedType = jet::JetType::get(pointsType, r, structure);
  Value seed = jet::SeedOp::create(b, loc, seedType, points, stored);

  SmallVector<jet::CoefficientKind> dense(k, jet::CoefficientKind::dense);
  auto resultType = jet::JetType::get(RankedTensorType::get({n}, element), r, dense);
  SmallVector<Value> operands;
  if (theta)
    operands.push_back(theta);
  operands.push_back(seed);
  Value pushed = jet::PushforwardOp::create(b, loc, resultType, "u", operands);
  for (int64_t i = 0; i <= k; ++i) {
    Value c = jet::CoefficientOp::create(b, loc, resultType.getMaterializedType(i), pushed,
                                         b.getI64IntegerAttr(i));
    auto out = bufferization::MaterializeInDestinationOp::create(
        b, loc, c, entry->getArgument(firstOutput + i));
    out.setRestrict(true);
    out.setWritable(true);
  }
  func::ReturnOp::create(b, loc);
  return module;
}
