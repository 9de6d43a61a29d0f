//===- ZoOps.cpp - verifiers and result types of the zo ops ---------------===//
#include "dialects/zo/ZoOps.h"
#include "dialects/jet/JetStructure.h"
#include "dialects/rng/RngLimits.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Transforms/InliningUtils.h"

using namespace mlir;
using namespace mlir::zo;
using mlir::jet::JetType;

#include "dialects/zo/ZoDialect.cpp.inc"

#define GET_OP_CLASSES
#include "dialects/zo/ZoOps.cpp.inc"

namespace {
/// The ops refer to no enclosing region: functions holding them inline.
struct ZoInlinerInterface : DialectInlinerInterface {
  using DialectInlinerInterface::DialectInlinerInterface;
  bool isLegalToInline(Operation *, Region *, bool, IRMapping &) const final { return true; }
};
} // namespace

void ZoDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "dialects/zo/ZoOps.cpp.inc"
      >();
  addInterfaces<ZoInlinerInterface>();
}


LogicalResult BasisOp::verify() {
  auto type = getType();
  if (type.getRank() != 2 || type.isDynamicDim(0) || type.isDynamicDim(1))
    return emitOpError() << "result must be a static tensor<n x r>, got " << type;
  int64_t n = type.getDimSize(0), r = type.getDimSize(1);
  if (r < 1 || r > n)
    return emitOpError() << "an orthonormal basis of rank " << r << " needs 1 <= r <= n = " << n
                         << ": use a rank of at most " << n;
  if (n * r >= rng::kMaxDrawElements)
    return emitOpError() << "draws " << n * r << " values; a stream holds at most 2^32";
  return success();
}

/// A jet over tensor<N x In> (rank 2) or a diagnostic.
static FailureOr<JetType> matrixJet(std::optional<Location> loc, Value v, StringRef op) {
  auto jet = dyn_cast<JetType>(v.getType());
  if (!jet || jet.getBase().getRank() != 2) {
    (void)emitOptionalError(loc, "'", op, "' needs a jet over tensor<N x I>, got ", v.getType());
    return failure();
  }
  return jet;
}

/// Whether `v` is a rank-`rank` tensor of `element`.
static bool isTensorOf(Value v, int64_t rank, Type element) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  return type && type.getRank() == rank && type.getElementType() == element;
}

LogicalResult ProjectOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                          ValueRange operands, DictionaryAttr, OpaqueProperties,
                                          RegionRange, SmallVectorImpl<Type> &results) {
  FailureOr<JetType> in = matrixJet(loc, operands[0], "zo.project");
  if (failed(in))
    return failure();
  Type element = in->getElementType();
  if (!isTensorOf(operands[1], 2, element))
    return emitOptionalError(loc, "'zo.project' basis must be a tensor<I x r x ", element,
                             ">, got ", operands[1].getType());
  auto basis = cast<RankedTensorType>(operands[1].getType());
  int64_t inF = in->getBase().getDimSize(1);
  if (basis.getDimSize(0) != inF)
    return emitOptionalError(loc, "'zo.project' basis has ", basis.getDimSize(0),
                             " rows but the jet has ", inF, " features: B must be ", inF, " x r");
  auto base = RankedTensorType::get({in->getBase().getDimSize(0), basis.getDimSize(1)}, element);
  results.push_back(in->with(base, jet::inferLinearStructure(in->getStructure())));
  return success();
}

LogicalResult LiftOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                       ValueRange operands, DictionaryAttr, OpaqueProperties,
                                       RegionRange, SmallVectorImpl<Type> &results) {
  FailureOr<JetType> in = matrixJet(loc, operands[0], "zo.lift");
  if (failed(in))
    return failure();
  Type element = in->getElementType();
  int64_t r = in->getBase().getDimSize(1);
  if (!isTensorOf(operands[1], 2, element) || !isTensorOf(operands[2], 2, element) ||
      !isTensorOf(operands[3], 1, element))
    return emitOptionalError(loc, "'zo.lift' takes the core tensor<r x r x ", element,
                             ">, the basis tensor<O x r x ", element, "> and the bias tensor<O x ",
                             element, ">");
  auto core = cast<RankedTensorType>(operands[1].getType());
  auto basis = cast<RankedTensorType>(operands[2].getType());
  auto bias = cast<RankedTensorType>(operands[3].getType());
  if (core.getDimSize(0) != r || core.getDimSize(1) != r)
    return emitOptionalError(loc, "'zo.lift' core must be ", r, " x ", r,
                             " (the jet's rank), got ", core);
  int64_t outF = basis.getDimSize(0);
  if (basis.getDimSize(1) != r || bias.getDimSize(0) != outF)
    return emitOptionalError(loc, "'zo.lift' basis must be O x ", r, " and the bias O, got ",
                             basis, " and ", bias);
  auto base = RankedTensorType::get({in->getBase().getDimSize(0), outF}, element);
  results.push_back(in->with(base, jet::inferLinearStructure(in->getStructure())));
  return success();
}
