//===- JetOps.cpp - verifiers and result types of the jet ops ------------===//
#include "dialects/jet/JetOps.h"
#include "dialects/jet/JetStructure.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

#include <cmath>

using namespace mlir;
using namespace mlir::jet;

#define GET_OP_CLASSES
#include "dialects/jet/JetOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Shared checks
//===----------------------------------------------------------------------===//

/// Two jets combined elementwise: same base, order and directions.
static LogicalResult checkCompatible(std::optional<Location> loc, JetType lhs, JetType rhs) {
  if (lhs.getBase() == rhs.getBase() && lhs.getOrder() == rhs.getOrder() &&
      lhs.getDirections() == rhs.getDirections())
    return success();
  return emitOptionalError(loc, "operand jets differ in base, order or directions: ", lhs,
                           " vs ", rhs);
}

/// The result jet's structure must hold what the rule produces.
static LogicalResult checkStructure(Operation *op, JetType result, ArrayRef<CoefficientKind> inferred) {
  for (int64_t k = 1; k <= result.getOrder(); ++k) {
    if (!isAtLeastAsGeneral(result.getKind(k), inferred[k - 1]))
      return op->emitOpError() << "result coefficient " << k << " is declared "
                               << stringifyCoefficientKind(result.getKind(k))
                               << " but the rule produces "
                               << stringifyCoefficientKind(inferred[k - 1]);
  }
  return success();
}

/// Order and directions carried over from input to result.
static LogicalResult checkSameJetAxes(Operation *op, JetType input, JetType result) {
  if (input.getOrder() != result.getOrder() || input.getDirections() != result.getDirections())
    return op->emitOpError() << "result order/directions (" << result.getOrder() << ", "
                             << result.getDirections() << ") differ from the input's ("
                             << input.getOrder() << ", " << input.getDirections() << ")";
  if (input.getElementType() != result.getElementType())
    return op->emitOpError() << "result element type " << result.getElementType()
                             << " differs from the input's " << input.getElementType();
  return success();
}

//===----------------------------------------------------------------------===//
// seed / coefficient / widen
//===----------------------------------------------------------------------===//

LogicalResult SeedOp::verify() {
  auto type = cast<JetType>(getResult().getType());
  if (getPrimal().getType() != type.getBase())
    return emitOpError() << "primal has type " << getPrimal().getType()
                         << " but the jet's base is " << type.getBase();
  auto coefficients = getCoefficients();
  size_t next = 0;
  for (int64_t k = 1; k <= type.getOrder(); ++k) {
    CoefficientKind kind = type.getKind(k);
    Type expected = type.getStorageType(kind);
    if (!expected)
      continue;
    if (next >= coefficients.size())
      return emitOpError() << "coefficient " << k << " is "
                           << stringifyCoefficientKind(kind) << " and needs an operand of type "
                           << expected << ", but only " << coefficients.size()
                           << " coefficient operands are given";
    if (coefficients[next].getType() != expected)
      return emitOpError() << "coefficient " << k << " is " << stringifyCoefficientKind(kind)
                           << " and must have type " << expected << ", got "
                           << coefficients[next].getType();
    ++next;
  }
  if (next != coefficients.size())
    return emitOpError() << "takes " << next << " coefficient operands for this structure, got "
                         << coefficients.size();
  if (std::optional<ArrayRef<double>> scales = getScales()) {
    int64_t oneHot = llvm::count(type.getStructure(), CoefficientKind::onehot);
    if (int64_t(scales->size()) != oneHot)
      return emitOpError() << "has " << scales->size() << " scales for " << oneHot
                           << " one-hot coefficients: give one per one-hot coefficient";
    for (double s : *scales)
      if (!std::isfinite(s))
        return emitOpError() << "scale " << s << " of a one-hot coefficient must be finite";
  }
  return success();
}

LogicalResult CoefficientOp::verify() {
  auto type = cast<JetType>(getJet().getType());
  int64_t k = getIndex();
  if (k > type.getOrder())
    return emitOpError() << "coefficient " << k << " of a jet of order " << type.getOrder();
  if (getResult().getType() != type.getMaterializedType(k))
    return emitOpError() << "coefficient " << k << " has type " << type.getMaterializedType(k)
                         << ", not " << getResult().getType();
  return success();
}

/// For ops that only restate a jet's structure: same base, order, directions.
static LogicalResult checkSameJetShape(Operation *op, JetType input, JetType result) {
  if (input.getBase() != result.getBase())
    return op->emitOpError() << "cannot change the base from " << input.getBase() << " to "
                             << result.getBase();
  return checkSameJetAxes(op, input, result);
}

LogicalResult WidenOp::verify() {
  auto input = cast<JetType>(getInput().getType());
  auto result = cast<JetType>(getResult().getType());
  if (failed(checkSameJetShape(*this, input, result)))
    return failure();
  return checkStructure(*this, result, input.getStructure());
}

LogicalResult CollapseOp::verify() {
  auto input = cast<JetType>(getInput().getType());
  auto result = cast<JetType>(getResult().getType());
  if (failed(checkSameJetShape(*this, input, result)))
    return failure();
  int64_t order = input.getOrder();
  if (input.getKind(order) == CoefficientKind::summed)
    return emitOpError() << "input's top coefficient is already summed";
  if (result.getKind(order) != CoefficientKind::summed)
    return emitOpError() << "result's top coefficient must be summed, got "
                         << stringifyCoefficientKind(result.getKind(order));
  for (int64_t k = 1; k < order; ++k)
    if (input.getKind(k) != result.getKind(k))
      return emitOpError() << "coefficient " << k << " changes from "
                           << stringifyCoefficientKind(input.getKind(k)) << " to "
                           << stringifyCoefficientKind(result.getKind(k))
                           << "; only the top coefficient collapses";
  return success();
}

//===----------------------------------------------------------------------===//
// pushforward
//===----------------------------------------------------------------------===//

TypedValue<JetType> PushforwardOp::getPoints() {
  return dyn_cast<TypedValue<JetType>>(getInputs().back());
}

Value PushforwardOp::getParams() {
  return getInputs().size() == 2 ? getInputs().front() : Value();
}

LogicalResult PushforwardOp::verifySymbolUses(SymbolTableCollection &symbols) {
  Operation *callee = symbols.lookupNearestSymbolFrom(*this, getNetworkAttr());
  if (!callee)
    return emitOpError() << "'" << getNetwork() << "' does not name a network";
  auto fn = dyn_cast<FunctionOpInterface>(callee);
  if (!fn || callee->getName().getStringRef() != "stde.network")
    return emitOpError() << "'" << getNetwork() << "' is a " << callee->getName()
                         << ", not a stde.network";
  ArrayRef<Type> inputs = fn.getArgumentTypes();
  if (getInputs().empty() || getInputs().size() != inputs.size())
    return emitOpError() << "network '" << getNetwork() << "' takes " << inputs.size()
                         << " arguments (parameters then the point), got "
                         << getInputs().size();
  if (inputs.size() == 2 && getInputs().front().getType() != inputs.front())
    return emitOpError() << "parameters must have type " << inputs.front() << ", got "
                         << getInputs().front().getType();
  auto points = getPoints();
  if (!points)
    return emitOpError() << "the points (last operand) must be a jet, got "
                         << getInputs().back().getType();
  JetType pointType = points.getType();
  auto perPoint = cast<RankedTensorType>(inputs.back());
  if (pointType.getBase().getRank() != 2 ||
      pointType.getBase().getDimSize(1) != perPoint.getDimSize(0) ||
      pointType.getElementType() != perPoint.getElementType())
    return emitOpError() << "points must be a jet over tensor<N x " << perPoint.getDimSize(0)
                         << " x " << perPoint.getElementType() << ">, got "
                         << pointType.getBase();
  auto result = cast<JetType>(getResult().getType());
  RankedTensorType expected = RankedTensorType::get({pointType.getBase().getDimSize(0)},
                                                    pointType.getElementType());
  if (result.getBase() != expected)
    return emitOpError() << "result must be a jet over " << expected << ", got "
                         << result.getBase();
  return checkSameJetAxes(*this, pointType, result);
}

//===----------------------------------------------------------------------===//
// dense
//===----------------------------------------------------------------------===//

LogicalResult DenseOp::verify() {
  auto input = cast<JetType>(getInput().getType());
  auto result = cast<JetType>(getResult().getType());
  if (failed(checkSameJetAxes(*this, input, result)))
    return failure();
  RankedTensorType in = input.getBase(), out = result.getBase();
  if (in.getRank() != 2 || out.getRank() != 2 || in.getDimSize(0) != out.getDimSize(0))
    return emitOpError() << "maps a jet over tensor<N x I> to one over tensor<N x O>, got "
                         << in << " -> " << out;
  auto params = cast<RankedTensorType>(getParams().getType());
  if (params.getRank() != 1 || params.getElementType() != input.getElementType())
    return emitOpError() << "parameters must be a 1-D tensor of " << input.getElementType();
  int64_t rows = out.getDimSize(1), cols = in.getDimSize(1);
  int64_t end = static_cast<int64_t>(getOffset()) + rows * (cols + 1);
  if (end > params.getDimSize(0))
    return emitOpError() << "layer needs parameters [" << getOffset() << ", " << end
                         << ") but the buffer holds " << params.getDimSize(0);
  return checkStructure(*this, result, inferLinearStructure(input.getStructure()));
}

//===----------------------------------------------------------------------===//
// Ops whose result type follows from the operands
//===----------------------------------------------------------------------===//

template <typename Infer>
static LogicalResult inferBinary(std::optional<Location> loc, ValueRange operands,
                                 SmallVectorImpl<Type> &results, Infer infer) {
  auto lhs = dyn_cast<JetType>(operands[0].getType());
  auto rhs = dyn_cast<JetType>(operands[1].getType());
  if (!lhs || !rhs)
    return emitOptionalError(loc, "operands must be jets");
  if (failed(checkCompatible(loc, lhs, rhs)))
    return failure();
  results.push_back(lhs.with(lhs.getBase(), infer(lhs.getStructure(), rhs.getStructure())));
  return success();
}

#define JET_INFER_BINARY(Op, infer)                                                          \
  LogicalResult Op::inferReturnTypes(MLIRContext *, std::optional<Location> loc,              \
                                     ValueRange operands, DictionaryAttr, OpaqueProperties,   \
                                     RegionRange, SmallVectorImpl<Type> &results) {          \
    return inferBinary(loc, operands, results, infer);                                        \
  }
JET_INFER_BINARY(AddOp, inferAddStructure)
JET_INFER_BINARY(SubOp, inferAddStructure)
JET_INFER_BINARY(MulOp, inferMulStructure)
JET_INFER_BINARY(DivOp, inferDivStructure)
#undef JET_INFER_BINARY

static JetType jetOperand(ValueRange operands) {
  return operands.empty() ? JetType() : dyn_cast<JetType>(operands[0].getType());
}

LogicalResult NegOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                      ValueRange operands, DictionaryAttr, OpaqueProperties,
                                      RegionRange, SmallVectorImpl<Type> &results) {
  JetType input = jetOperand(operands);
  if (!input)
    return emitOptionalError(loc, "operand must be a jet");
  results.push_back(input);
  return success();
}

LogicalResult ElementwiseOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                              ValueRange operands, DictionaryAttr,
                                              OpaqueProperties properties, RegionRange,
                                              SmallVectorImpl<Type> &results) {
  JetType input = jetOperand(operands);
  if (!input)
    return emitOptionalError(loc, "operand must be a jet");
  auto *props = properties.as<Properties *>();
  if (!props || !props->fn)
    return emitOptionalError(loc, "missing the function");
  ElementwiseFn fn = props->fn.getValue();
  results.push_back(input.with(input.getBase(), inferElementwiseStructure(fn, input.getStructure())));
  return success();
}

LogicalResult PowiOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                       ValueRange operands, DictionaryAttr,
                                       OpaqueProperties properties, RegionRange,
                                       SmallVectorImpl<Type> &results) {
  JetType input = jetOperand(operands);
  auto *props = properties.as<Properties *>();
  if (!input || !props || !props->exponent)
    return emitOptionalError(loc, "expects a jet and an exponent");
  int64_t n = props->exponent.getInt();
  results.push_back(input.with(input.getBase(), inferPowiStructure(n, input.getStructure())));
  return success();
}

LogicalResult LinearOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                         ValueRange operands, DictionaryAttr,
                                         OpaqueProperties properties, RegionRange,
                                         SmallVectorImpl<Type> &results) {
  auto input = dyn_cast<JetType>(operands[0].getType());
  if (!input || input.getBase().getRank() != 2)
    return emitOptionalError(loc, "'jet.linear' needs a jet over tensor<N x I>, got ",
                             operands[0].getType());
  Type element = input.getElementType();
  auto weight = dyn_cast<RankedTensorType>(operands[1].getType());
  if (!weight || weight.getRank() != 2 || weight.getElementType() != element)
    return emitOptionalError(loc, "'jet.linear' weight must be a matrix of ", element, ", got ",
                             operands[1].getType());
  auto *props = properties.as<Properties *>();
  bool inputMajor = props && props->input_major;
  int64_t inF = input.getBase().getDimSize(1);
  int64_t rows = weight.getDimSize(inputMajor ? 0 : 1), outF = weight.getDimSize(inputMajor ? 1 : 0);
  if (rows != inF)
    return emitOptionalError(loc, "'jet.linear' weight ", weight, " does not read ", inF,
                             " features: it must be ", inputMajor ? "I x O" : "O x I",
                             " with I = ", inF);
  if (operands.size() > 2) {
    auto bias = dyn_cast<RankedTensorType>(operands[2].getType());
    if (!bias || bias.getRank() != 1 || bias.getDimSize(0) != outF ||
        bias.getElementType() != element)
      return emitOptionalError(loc, "'jet.linear' bias must be a tensor<", outF, " x ", element,
                               ">, got ", operands[2].getType());
  }
  auto base = RankedTensorType::get({input.getBase().getDimSize(0), outF}, element);
  results.push_back(input.with(base, inferLinearStructure(input.getStructure())));
  return success();
}

/// The input jet over its base with the last axis resized to `extent`, or
/// dropped when `extent` is empty; a batch axis must remain.
static LogicalResult inferLastAxis(std::optional<Location> loc, StringRef op, JetType input,
                                   std::optional<int64_t> extent,
                                   SmallVectorImpl<Type> &results) {
  SmallVector<int64_t> shape(input.getBase().getShape());
  if (shape.size() < 2)
    return emitOptionalError(loc, op, " needs an axis besides the batch axis, got ",
                             input.getBase());
  if (extent)
    shape.back() = *extent;
  else
    shape.pop_back();
  auto base = RankedTensorType::get(shape, input.getElementType());
  results.push_back(input.with(base, inferLinearStructure(input.getStructure())));
  return success();
}

/// A map of every coefficient that drops the last axis (jet.sum, jet.max).
static LogicalResult inferLastAxisDropped(std::optional<Location> loc, StringRef op,
                                          ValueRange operands, SmallVectorImpl<Type> &results) {
  JetType input = jetOperand(operands);
  if (!input)
    return emitOptionalError(loc, "operand must be a jet");
  return inferLastAxis(loc, op, input, std::nullopt, results);
}

LogicalResult SumOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                      ValueRange operands, DictionaryAttr, OpaqueProperties,
                                      RegionRange, SmallVectorImpl<Type> &results) {
  return inferLastAxisDropped(loc, "sum", operands, results);
}

LogicalResult MaxOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                      ValueRange operands, DictionaryAttr, OpaqueProperties,
                                      RegionRange, SmallVectorImpl<Type> &results) {
  return inferLastAxisDropped(loc, "max", operands, results);
}

LogicalResult DotOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                      ValueRange operands, DictionaryAttr, OpaqueProperties,
                                      RegionRange, SmallVectorImpl<Type> &results) {
  // The sum over the last axis of the product's jet.
  SmallVector<Type, 1> product;
  if (failed(inferBinary(loc, operands, product, inferMulStructure)))
    return failure();
  return inferLastAxis(loc, "dot", cast<JetType>(product.front()), std::nullopt, results);
}

LogicalResult SliceOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                        ValueRange operands, DictionaryAttr,
                                        OpaqueProperties properties, RegionRange,
                                        SmallVectorImpl<Type> &results) {
  JetType input = jetOperand(operands);
  auto *props = properties.as<Properties *>();
  if (!input || !props || !props->size)
    return emitOptionalError(loc, "expects a jet and a size");
  return inferLastAxis(loc, "slice", input, props->size.getInt(), results);
}

LogicalResult SliceOp::verify() {
  auto input = cast<JetType>(getInput().getType());
  int64_t extent = input.getBase().getShape().back();
  if (static_cast<int64_t>(getOffset() + getSize()) > extent)
    return emitOpError() << "slice [" << getOffset() << ", " << getOffset() + getSize()
                         << ") exceeds the last axis of size " << extent;
  return success();
}

LogicalResult FoldBlocksOp::verify() {
  auto input = cast<JetType>(getInput().getType());
  auto result = cast<JetType>(getResult().getType());
  if (failed(checkSameJetAxes(*this, input, result)))
    return failure();
  ArrayRef<int64_t> in = input.getBase().getShape(), out = result.getBase().getShape();
  if (in.size() < 2 || out.size() != in.size() || out.drop_back() != in.drop_back())
    return emitOpError() << "folds the last axis of a base with a batch axis: expected "
                         << input.getBase() << " with another last extent, got "
                         << result.getBase();
  if (out.back() < 1 || in.back() % out.back() != 0)
    return emitOpError() << "blocks of " << out.back() << " entries do not tile a last axis of "
                         << in.back();
  if (result.getStructure() != input.getStructure())
    return emitOpError() << "keeps the structure of every coefficient: expected "
                         << input.with(result.getBase(), input.getStructure()) << ", got "
                         << result;
  return success();
}

LogicalResult BroadcastOp::verify() {
  auto input = cast<JetType>(getInput().getType());
  auto result = cast<JetType>(getResult().getType());
  if (failed(checkSameJetAxes(*this, input, result)))
    return failure();
  ArrayRef<int64_t> in = input.getBase().getShape(), out = result.getBase().getShape();
  if (out.size() != in.size() + 1 || out.drop_back() != in)
    return emitOpError() << "appends one axis to the base: expected " << input.getBase()
                         << " with one more trailing axis, got " << result.getBase();
  return checkStructure(*this, result, inferLinearStructure(input.getStructure()));
}
