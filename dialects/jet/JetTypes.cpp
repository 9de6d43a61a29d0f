//===- JetTypes.cpp - the jet value type ---------------------------------===//
#include "dialects/jet/JetDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::jet;

#define GET_TYPEDEF_CLASSES
#include "dialects/jet/JetTypes.cpp.inc"

void JetDialect::registerTypes() {
  addTypes<
#define GET_TYPEDEF_LIST
#include "dialects/jet/JetTypes.cpp.inc"
      >();
}

/// Orders beyond this are refused: the recurrences are O(K^2) ops each and a
/// typo such as order = 800 should not hang the compiler.
static constexpr int64_t kMaxOrder = 32;

LogicalResult JetType::verify(function_ref<InFlightDiagnostic()> emitError,
                              RankedTensorType base, int64_t order, int64_t directions,
                              ArrayRef<CoefficientKind> structure) {
  if (!base || !base.hasStaticShape() || base.getRank() < 1)
    return emitError() << "jet base must be a statically shaped tensor of rank >= 1 "
                          "(a batch axis first), got "
                       << base;
  if (!isa<Float32Type, Float64Type>(base.getElementType()))
    return emitError() << "jet base elements must be f32 or f64, got "
                       << base.getElementType();
  if (order < 1 || order > kMaxOrder)
    return emitError() << "jet order must be between 1 and " << kMaxOrder << ", got "
                       << order;
  if (directions < 1)
    return emitError() << "a jet needs at least one direction, got " << directions;
  if (static_cast<int64_t>(structure.size()) != order)
    return emitError() << "jet of order " << order << " needs " << order
                       << " coefficient kinds, got " << structure.size();
  for (int64_t k = 1; k < order; ++k)
    if (structure[k - 1] == CoefficientKind::summed)
      return emitError() << "only the top coefficient (" << order
                         << ") can be summed over the directions, not coefficient " << k
                         << ": lower coefficients feed products per direction";
  return success();
}

Type JetType::parse(AsmParser &parser) {
  // <order = K, dirs = R, tensor<...>, [kind, ...]>
  int64_t order = 0, directions = 0;
  RankedTensorType base;
  SmallVector<CoefficientKind> structure;
  SMLoc loc = parser.getCurrentLocation();
  auto parseKind = [&]() -> ParseResult {
    StringRef keyword;
    SMLoc kindLoc = parser.getCurrentLocation();
    if (parser.parseKeyword(&keyword))
      return failure();
    std::optional<CoefficientKind> kind = symbolizeCoefficientKind(keyword);
    if (!kind)
      return parser.emitError(kindLoc)
             << "unknown coefficient kind '" << keyword
             << "' (expected zero, onehot, shared, dense or summed)";
    structure.push_back(*kind);
    return success();
  };
  if (parser.parseLess() || parser.parseKeyword("order") || parser.parseEqual() ||
      parser.parseInteger(order) || parser.parseComma() || parser.parseKeyword("dirs") ||
      parser.parseEqual() || parser.parseInteger(directions) || parser.parseComma() ||
      parser.parseType(base) || parser.parseComma() ||
      parser.parseCommaSeparatedList(AsmParser::Delimiter::Square, parseKind) ||
      parser.parseGreater())
    return {};
  return getChecked([&] { return parser.emitError(loc); }, parser.getContext(), base, order,
                    directions, structure);
}

void JetType::print(AsmPrinter &printer) const {
  printer << "<order = " << getOrder() << ", dirs = " << getDirections() << ", " << getBase()
          << ", [";
  llvm::interleaveComma(getStructure(), printer,
                        [&](CoefficientKind kind) { printer << stringifyCoefficientKind(kind); });
  printer << "]>";
}

RankedTensorType JetType::getMaterializedType(int64_t k) {
  // The primal, and a top coefficient summed over the directions, have no
  // direction axis.
  if (k == 0 || getKind(k) == CoefficientKind::summed)
    return getBase();
  SmallVector<int64_t> shape{getDirections()};
  llvm::append_range(shape, getBase().getShape());
  return RankedTensorType::get(shape, getElementType());
}

Type JetType::getStorageType(CoefficientKind kind) {
  switch (kind) {
  case CoefficientKind::zero: return {};
  case CoefficientKind::onehot:
    return RankedTensorType::get({getDirections()}, IndexType::get(getContext()));
  case CoefficientKind::shared:
  case CoefficientKind::summed: return getBase();
  case CoefficientKind::dense: {
    SmallVector<int64_t> shape{getDirections()};
    llvm::append_range(shape, getBase().getShape());
    return RankedTensorType::get(shape, getElementType());
  }
  }
  return {};
}
