//===- OperatorOps.cpp - operators applied to a network at a batch --------===//
//
// Every operator op checks, against the network it names: the parameters
// (present exactly when the network has them, of its type), the points
// (tensor<N x D x T> with the network's D and T), the result, and whether its
// estimator can compute this operator on this network.
//
//===----------------------------------------------------------------------===//
#include "dialects/stde/StdeOps.h"

#include "llvm/ADT/DenseSet.h"

#include <cmath>

using namespace mlir;
using namespace stde;

//===----------------------------------------------------------------------===//
// Checks shared by every operator
//===----------------------------------------------------------------------===//

static NetworkOp lookupNetwork(Operation *op, FlatSymbolRefAttr name,
                               SymbolTableCollection *tables) {
  Operation *symbol = tables ? tables->lookupNearestSymbolFrom(op, name)
                             : SymbolTable::lookupNearestSymbolFrom(op, name);
  return dyn_cast_or_null<NetworkOp>(symbol);
}

/// Finds the network and checks params, points and the batch size of the
/// result. `resultShape` is the expected result shape after the batch size.
static FailureOr<NetworkOp> verifyApplication(Operation *op, FlatSymbolRefAttr name,
                                              Value params, Value points,
                                              Type resultType,
                                              ArrayRef<int64_t> resultTail,
                                              SymbolTableCollection &tables) {
  Operation *symbol = tables.lookupNearestSymbolFrom(op, name);
  if (!symbol)
    return op->emitOpError("refers to unknown network ") << name;
  auto net = dyn_cast<NetworkOp>(symbol);
  if (!net)
    return op->emitOpError("refers to ")
           << name << ", which is a '" << symbol->getName() << "', not a stde.network";

  if (net.hasParams() && !params)
    return op->emitOpError("network ")
           << name << " takes parameters: pass them before the points, ("
           << net.getFunctionType().getInput(0) << ", points)";
  if (!net.hasParams() && params)
    return op->emitOpError("network ")
           << name << " is a fixed field without parameters, but parameters were passed";
  if (params && params.getType() != net.getFunctionType().getInput(0))
    return op->emitOpError("parameters have type ")
           << params.getType() << " but network " << name << " takes "
           << net.getFunctionType().getInput(0);

  auto pointsType = cast<RankedTensorType>(points.getType());
  if (pointsType.getDimSize(1) != net.getInputDim())
    return op->emitOpError("points have dimension ")
           << pointsType.getDimSize(1) << " but network " << name
           << " takes points of dimension " << net.getInputDim();
  if (pointsType.getElementType() != net.getElementType())
    return op->emitOpError("points have element type ")
           << pointsType.getElementType() << " but network " << name << " uses "
           << net.getElementType();

  SmallVector<int64_t> shape{pointsType.getDimSize(0)};
  shape.append(resultTail.begin(), resultTail.end());
  auto expected = RankedTensorType::get(shape, net.getElementType());
  if (resultType != expected)
    return op->emitOpError("result must be ")
           << expected << " (one value per point), got " << resultType;
  return net;
}

enum class OperatorKind { Laplacian, Biharmonic, Diff, Diffusion, GradNorm };

/// Whether `estimator` can compute an operator of this kind on `net`.
/// `maxOrder` is the highest derivative order of the operator.
static LogicalResult verifyEstimator(Operation *op, Attribute estimator,
                                     OperatorKind kind, NetworkOp net,
                                     int64_t maxOrder) {
  if (!estimator)
    return success();
  if (isa<ZerothOrderAttr>(estimator))
    return op->emitOpError("cannot use ")
           << estimator
           << ": a zeroth-order estimator perturbs the parameters of a loss; "
              "attach it to stde.loss and give the operator a spatial estimator";
  if (auto sparse = dyn_cast<SparseAttr>(estimator)) {
    int64_t dim = net.getSpatialDim();
    if (kind != OperatorKind::Diff && sparse.getSamples() > dim)
      return op->emitOpError("samples ")
             << sparse.getSamples() << " coordinates without replacement, but network @"
             << net.getSymName() << " has only " << dim
             << " spatial coordinates: use samples <= " << dim << " or #stde.exact";
  }
  if (isa<DenseEstimatorAttr>(estimator) && kind == OperatorKind::Diff && maxOrder != 2)
    return op->emitOpError("dense random tangents estimate second-order operators; "
                           "this one has order ")
           << maxOrder << ": use #stde.sparse or #stde.exact";
  return success();
}

NetworkOp ApplyOp::getNetworkOp() { return lookupNetwork(*this, getNetworkAttr(), nullptr); }
NetworkOp LaplacianOp::getNetworkOp() {
  return lookupNetwork(*this, getNetworkAttr(), nullptr);
}
NetworkOp BiharmonicOp::getNetworkOp() {
  return lookupNetwork(*this, getNetworkAttr(), nullptr);
}
NetworkOp DiffOp::getNetworkOp() { return lookupNetwork(*this, getNetworkAttr(), nullptr); }
NetworkOp GradOp::getNetworkOp() { return lookupNetwork(*this, getNetworkAttr(), nullptr); }
NetworkOp TimeDerivativeOp::getNetworkOp() {
  return lookupNetwork(*this, getNetworkAttr(), nullptr);
}
NetworkOp DiffusionOp::getNetworkOp() {
  return lookupNetwork(*this, getNetworkAttr(), nullptr);
}
NetworkOp GradNormOp::getNetworkOp() { return lookupNetwork(*this, getNetworkAttr(), nullptr); }

bool LaplacianOp::isEstimated() { return true; }
bool BiharmonicOp::isEstimated() { return true; }
bool DiffOp::isEstimated() { return true; }
bool DiffusionOp::isEstimated() { return true; }
bool GradNormOp::isEstimated() { return true; }

//===----------------------------------------------------------------------===//
// The operators
//===----------------------------------------------------------------------===//

LogicalResult ApplyOp::verifySymbolUses(SymbolTableCollection &tables) {
  return verifyApplication(*this, getNetworkAttr(), getParams(), getPoints(),
                           getType(), {}, tables);
}

/// Laplacian and biharmonic: a fixed operator of the given order over the
/// spatial coordinates, computed by the op's estimator.
template <typename OpT>
static LogicalResult verifySpatialOperator(OpT op, OperatorKind kind, int64_t order,
                                           SymbolTableCollection &tables) {
  FailureOr<NetworkOp> net = verifyApplication(op, op.getNetworkAttr(), op.getParams(),
                                               op.getPoints(), op.getType(), {}, tables);
  if (failed(net))
    return failure();
  return verifyEstimator(op, op.getEstimatorAttr(), kind, *net, order);
}

LogicalResult LaplacianOp::verifySymbolUses(SymbolTableCollection &tables) {
  return verifySpatialOperator(*this, OperatorKind::Laplacian, 2, tables);
}

LogicalResult BiharmonicOp::verifySymbolUses(SymbolTableCollection &tables) {
  return verifySpatialOperator(*this, OperatorKind::Biharmonic, 4, tables);
}

int64_t DiffOp::getMaxOrder() {
  int64_t order = 0;
  for (auto term : getTerms().getAsRange<TermAttr>())
    order = std::max(order, term.getOrder());
  return order;
}

LogicalResult DiffOp::verifySymbolUses(SymbolTableCollection &tables) {
  FailureOr<NetworkOp> net = verifyApplication(*this, getNetworkAttr(), getParams(),
                                               getPoints(), getType(), {}, tables);
  if (failed(net))
    return failure();
  if (getTerms().empty())
    return emitOpError("needs at least one term");
  int64_t dim = net->getInputDim();
  llvm::DenseSet<ArrayRef<int64_t>> seen;
  for (auto term : getTerms().getAsRange<TermAttr>()) {
    for (int64_t coordinate : term.getIndex())
      if (coordinate >= dim)
        return emitOpError("term ")
               << term << " differentiates coordinate " << coordinate
               << ", but network @" << net->getSymName() << " has coordinates 0.."
               << dim - 1;
    if (!seen.insert(term.getIndex()).second)
      return emitOpError("multi-index [")
             << term.getIndex() << "] appears in two terms: merge their coefficients";
  }
  return verifyEstimator(*this, getEstimatorAttr(), OperatorKind::Diff, *net,
                         getMaxOrder());
}

LogicalResult GradOp::verifySymbolUses(SymbolTableCollection &tables) {
  auto pointsType = cast<RankedTensorType>(getPoints().getType());
  Value direction = getDirection();
  // Checked once the network is known: the spatial dimension.
  NetworkOp net = lookupNetwork(*this, getNetworkAttr(), &tables);
  int64_t spatial = net ? net.getSpatialDim() : pointsType.getDimSize(1);
  SmallVector<int64_t> tail;
  if (!direction)
    tail.push_back(spatial);
  if (failed(verifyApplication(*this, getNetworkAttr(), getParams(), getPoints(),
                               getType(), tail, tables)))
    return failure();
  if (!direction)
    return success();
  auto dirType = cast<RankedTensorType>(direction.getType());
  auto one = RankedTensorType::get({spatial}, net.getElementType());
  auto perPoint =
      RankedTensorType::get({pointsType.getDimSize(0), spatial}, net.getElementType());
  if (dirType != one && dirType != perPoint)
    return emitOpError("direction must be ")
           << one << " (one for all points) or " << perPoint << " (one per point), got "
           << dirType;
  return success();
}

LogicalResult TimeDerivativeOp::verifySymbolUses(SymbolTableCollection &tables) {
  FailureOr<NetworkOp> net = verifyApplication(*this, getNetworkAttr(), getParams(),
                                               getPoints(), getType(), {}, tables);
  if (failed(net))
    return failure();
  if (!net->getSpaceTime())
    return emitOpError("network @")
           << net->getSymName()
           << " has no time coordinate: mark it `attributes {space_time}` (time is "
              "its last input coordinate)";
  return success();
}

LogicalResult DiffusionOp::verifySymbolUses(SymbolTableCollection &tables) {
  FailureOr<NetworkOp> net = verifyApplication(*this, getNetworkAttr(), getParams(),
                                               getPoints(), getType(), {}, tables);
  if (failed(net))
    return failure();
  int64_t n = cast<RankedTensorType>(getPoints().getType()).getDimSize(0);
  int64_t spatial = net->getSpatialDim();
  Type element = net->getElementType();
  auto diagonal = RankedTensorType::get({n, spatial}, element);
  auto full = RankedTensorType::get({n, spatial, spatial}, element);
  Type sigma = getSigma().getType();
  if (sigma != diagonal && sigma != full)
    return emitOpError("sigma must be ")
           << diagonal << " (its diagonal at every point) or " << full
           << " (the whole matrix at every point), got " << sigma;
  if (Value drift = getDrift(); drift && drift.getType() != diagonal)
    return emitOpError("drift must be ")
           << diagonal << " (one vector b per point), got " << drift.getType();
  return verifyEstimator(*this, getEstimatorAttr(), OperatorKind::Diffusion, *net, 2);
}

LogicalResult GradNormOp::verifySymbolUses(SymbolTableCollection &tables) {
  FailureOr<NetworkOp> net = verifyApplication(*this, getNetworkAttr(), getParams(),
                                               getPoints(), getType(), {}, tables);
  if (failed(net))
    return failure();
  double power = getPower().convertToDouble();
  if (!(power >= 1.0) || !std::isfinite(power))
    return emitOpError("power must be a finite number >= 1 (|u_i|^p is then differentiable "
                       "in the parameters), got ")
           << power;
  if (isa_and_nonnull<DenseEstimatorAttr>(getEstimatorAttr()) && power != 2.0)
    return emitOpError("dense random tangents estimate sum_i |u_i|^p for p = 2 only "
                       "(E[(grad u . z)^2] = |grad u|^2); this one has p = ")
           << power << ": use #stde.sparse or #stde.exact";
  return verifyEstimator(*this, getEstimatorAttr(), OperatorKind::GradNorm, *net, 1);
}

//===----------------------------------------------------------------------===//
// custom<NetworkOperands>: `%params, %points` or, for a fixed field, `%points`
//===----------------------------------------------------------------------===//

static ParseResult
parseNetworkOperands(OpAsmParser &parser,
                     std::optional<OpAsmParser::UnresolvedOperand> &params,
                     OpAsmParser::UnresolvedOperand &points) {
  OpAsmParser::UnresolvedOperand first;
  if (parser.parseOperand(first))
    return failure();
  if (failed(parser.parseOptionalComma())) {
    points = first;
    return success();
  }
  params = first;
  return parser.parseOperand(points);
}

static void printNetworkOperands(OpAsmPrinter &printer, Operation *, Value params,
                                 Value points) {
  if (params)
    printer << params << ", ";
  printer << points;
}

//===----------------------------------------------------------------------===//
// custom<Terms>: `[c * [i, j], ...]`
//===----------------------------------------------------------------------===//

static ParseResult parseTerms(OpAsmParser &parser, ArrayAttr &terms) {
  SmallVector<Attribute> list;
  if (parser.parseCommaSeparatedList(AsmParser::Delimiter::Square, [&]() -> ParseResult {
        FailureOr<TermAttr> term = stde::detail::parseTerm(parser);
        if (failed(term))
          return failure();
        list.push_back(*term);
        return success();
      }))
    return failure();
  terms = parser.getBuilder().getArrayAttr(list);
  return success();
}

static void printTerms(OpAsmPrinter &printer, Operation *, ArrayAttr terms) {
  printer << "[";
  llvm::interleaveComma(terms.getAsRange<TermAttr>(), printer,
                        [&](TermAttr term) { stde::detail::printTerm(printer, term); });
  printer << "]";
}

#include "dialects/stde/OperatorInterface.cpp.inc"

#define GET_OP_CLASSES
#include "dialects/stde/StdeOps.cpp.inc"
