//===- Domain.cpp - where a problem's points are drawn --------------------===//
//
// Samplers are built as small functions of (seed, step); each is one
// random draw of the whole batch plus one elementwise map, so they fuse into
// the step like any other tensor code and the CPU and GPU paths draw the
// same numbers (the rng dialect's Philox lowering).
//
//===----------------------------------------------------------------------===//
#include "Domain.h"

#include "IRBuild.h"

#include "dialects/rng/RngOps.h"
#include "dialects/stde/StdeOps.h"

#include "mlir/Dialect/Math/IR/Math.h"

#include "mlir/IR/BuiltinAttributes.h"


using namespace mlir;
using namespace stde;

namespace {

/// The sampler under construction: `@name(%seed, %step) -> tensor<N x D x T>`
/// with its draws %main (N x D) and, when asked for, %aux (N, uniform).
struct Sampler {
  OpBuilder &b;
  Location loc;
  Type element;
  int64_t n, d;
  func::FuncOp func;
  Value main, aux;

  Sampler(OpBuilder &b, ModuleOp module, Type element, StringRef name, int64_t n, int64_t d,
          rng::Distribution distribution, uint32_t stream, bool withAux, uint32_t auxStream,
          RankShare share)
      : b(b), loc(module.getLoc()), element(element), n(n), d(d) {
    Type i64 = b.getI64Type();
    func = ir::privateFunction(b, module, name,
                               b.getFunctionType({i64, i64}, {points()}));
    Value seed = func.getArgument(0), step = func.getArgument(1);
    // A rank's share draws its rows of the whole batch's draw.
    auto slice = [&](ArrayRef<int64_t> values) {
      return share.partial() ? b.getDenseI64ArrayAttr(values) : DenseI64ArrayAttr();
    };
    int64_t first = share.firstRow(n), all = n * share.ranks;
    main = rng::DrawOp::create(b, loc, points(), distribution, seed, step, stream,
                               slice({first, 0}), slice({all, d}));
    if (withAux)
      aux = rng::DrawOp::create(b, loc, column(), rng::Distribution::uniform, seed, step,
                                auxStream, slice({first}), slice({all}));
  }
  RankedTensorType points() const { return RankedTensorType::get({n, d}, element); }
  RankedTensorType column() const { return RankedTensorType::get({n}, element); }
  Value constant(double v) { return ir::constant(b, loc, element, v); }

  /// An extra input of the per-coordinate map: one value per point or per
  /// coordinate.
  struct Operand {
    Value value;
    bool perPoint;
  };
  /// Returns linalg.generic over (i, j) of %main[i, j] and the extras;
  /// `body` gets the builder, the coordinate and the extras' values.
  void finish(ArrayRef<Operand> extras,
              function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
    MLIRContext *ctx = b.getContext();
    AffineMap id = AffineMap::getMultiDimIdentityMap(2, ctx);
    SmallVector<AffineMap> maps{id};
    SmallVector<Value> inputs{main};
    for (const Operand &extra : extras) {
      maps.push_back(AffineMap::get(2, 0, getAffineDimExpr(extra.perPoint ? 0 : 1, ctx)));
      inputs.push_back(extra.value);
    }
    maps.push_back(id);
    Value empty = tensor::EmptyOp::create(b, loc, points().getShape(), element);
    auto map = linalg::GenericOp::create(
        b, loc, TypeRange{points()}, inputs, ValueRange{empty}, maps,
        SmallVector<utils::IteratorType>(2, utils::IteratorType::parallel),
        [&](OpBuilder &nb, Location nloc, ValueRange args) {
          linalg::YieldOp::create(nb, nloc, ValueRange{body(nb, nloc, args.drop_back())});
        });
    func::ReturnOp::create(b, loc, map.getResult(0));
  }
};

/// Unit ball: %main Gaussian rows scaled to length %aux (interior) or 1.
void ballSampler(Sampler &s, bool onSphere) {
  OpBuilder &b = s.b;
  Location loc = s.loc;
  Value init = tensor::EmptyOp::create(b, loc, s.column().getShape(), s.element);
  Value zeros = linalg::FillOp::create(b, loc, s.constant(0.0), init).getResult(0);
  Value squares = arith::MulFOp::create(b, loc, s.main, s.main);
  Value sums = linalg::ReduceOp::create(
                   b, loc, ValueRange{squares}, ValueRange{zeros}, ArrayRef<int64_t>{1},
                   [](OpBuilder &nb, Location nloc, ValueRange args) {
                     linalg::YieldOp::create(
                         nb, nloc, ValueRange{arith::AddFOp::create(nb, nloc, args[0], args[1])});
                   })
                   .getResult(0);
  Value norm = math::SqrtOp::create(b, loc, sums);
  Value length = onSphere ? ir::tensorConstant(b, loc, s.column(), {1.0}) : s.aux;
  Value scale = arith::DivFOp::create(b, loc, length, norm);
  s.finish({{scale, true}}, [](OpBuilder &nb, Location nloc, ValueRange args) {
    return arith::MulFOp::create(nb, nloc, args[0], args[1]).getResult();
  });
}

/// Space-time points: t = T * aux (or T on the terminal slice), x = sd g
/// with sd = sqrt(sigma^2 t) ("brownian", the law of sigma W_t) or the
/// constant scale s ("gaussian").
void spaceTimeSampler(Sampler &s, const Domain &domain, bool terminal) {
  SmallVector<Sampler::Operand> extras;
  if (!terminal)
    extras.push_back({s.aux, true});
  bool brownian = domain.kind == Domain::Kind::brownian;
  s.finish(extras, [&](OpBuilder &nb, Location nloc, ValueRange args) {
    auto c = [&](double v) { return ir::constant(nb, nloc, s.element, v); };
    Value j = linalg::IndexOp::create(nb, nloc, 1);
    Value timeColumn = arith::ConstantIndexOp::create(nb, nloc, domain.dim - 1);
    Value isTime = arith::CmpIOp::create(nb, nloc, arith::CmpIPredicate::eq, j, timeColumn);
    Value time = terminal ? c(domain.horizon)
                          : arith::MulFOp::create(nb, nloc, c(domain.horizon), args[1]).getResult();
    Value sd = brownian ? math::SqrtOp::create(
                              nb, nloc, arith::MulFOp::create(nb, nloc, c(domain.diffusion), time))
                              .getResult()
                        : c(domain.scale);
    Value x = arith::MulFOp::create(nb, nloc, args[0], sd);
    return arith::SelectOp::create(nb, nloc, isTime, time, x).getResult();
  });
}

/// Box: every coordinate uniform in [lower, upper]; on the boundary one
/// spatial coordinate (the face, from %aux) is pinned to a bound.
void boxSampler(Sampler &s, const Domain &domain, bool onFaces) {
  std::vector<double> width(domain.dim);
  for (int64_t j = 0; j < domain.dim; ++j)
    width[j] = domain.upper[j] - domain.lower[j];
  auto row = RankedTensorType::get({domain.dim}, s.element);
  Value lower = ir::tensorConstant(s.b, s.loc, row, domain.lower);
  Value widths = ir::tensorConstant(s.b, s.loc, row, width);
  SmallVector<Sampler::Operand> extras;
  if (onFaces)
    extras.push_back({s.aux, true});
  extras.push_back({lower, false});
  extras.push_back({widths, false});
  int64_t faces = 2 * domain.spatialDim;
  s.finish(extras, [&](OpBuilder &nb, Location nloc, ValueRange args) {
    Value m = args[0], lo = args[onFaces ? 2 : 1], w = args[onFaces ? 3 : 2];
    Value scaled = arith::MulFOp::create(nb, nloc, m, w);
    Value inside = arith::AddFOp::create(nb, nloc, lo, scaled);
    if (!onFaces)
      return inside;
    // face k = floor(aux * 2 Ds) in [0, 2 Ds): coordinate k / 2, upper if k odd.
    Type i64 = nb.getI64Type();
    auto integer = [&](int64_t v) { return arith::ConstantIntOp::create(nb, nloc, i64, v); };
    Value kf = arith::MulFOp::create(nb, nloc, args[1],
                                     ir::constant(nb, nloc, s.element, double(faces)));
    Value k0 = arith::FPToSIOp::create(nb, nloc, i64, kf);
    Value k = arith::MinSIOp::create(nb, nloc, k0, integer(faces - 1));
    Value coord = arith::DivUIOp::create(nb, nloc, k, integer(2));
    Value side = arith::RemUIOp::create(nb, nloc, k, integer(2));
    Value j = arith::IndexCastOp::create(nb, nloc, i64, linalg::IndexOp::create(nb, nloc, 1));
    Value onFace = arith::CmpIOp::create(nb, nloc, arith::CmpIPredicate::eq, j, coord);
    Value isUpper = arith::CmpIOp::create(nb, nloc, arith::CmpIPredicate::eq, side, integer(1));
    Value up = arith::AddFOp::create(nb, nloc, lo, w);
    Value face = arith::SelectOp::create(nb, nloc, isUpper, up, lo);
    return arith::SelectOp::create(nb, nloc, onFace, face, inside).getResult();
  });
}

/// The space-time domains' terminal time T (`stde.horizon`).
LogicalResult readTerminalTime(ModuleOp module, StringRef kind, bool spaceTime, Domain &domain) {
  if (!spaceTime)
    return module.emitError("the \"")
           << kind << "\" domain draws (x, t): mark @u `attributes {space_time}` (time is its "
                      "last coordinate)";
  auto horizon = module->getAttrOfType<FloatAttr>("stde.horizon");
  if (!horizon || !(horizon.getValueAsDouble() > 0.0))
    return module.emitError("the \"")
           << kind << "\" domain needs the terminal time: `stde.horizon = 1.0 : f64` (positive)";
  domain.horizon = horizon.getValueAsDouble();
  return success();
}

LogicalResult readBounds(ModuleOp module, const char *name, int64_t dim,
                         std::vector<double> &out) {
  auto attr = module->getAttrOfType<DenseF64ArrayAttr>(name);
  if (!attr || int64_t(attr.size()) != dim)
    return module.emitError("the \"box\" domain needs `") << name << " = array<f64: ...>` with "
                                                          << dim
                                                          << " entries (one per coordinate of @u)";
  out.assign(attr.asArrayRef().begin(), attr.asArrayRef().end());
  return success();
}

} // namespace

FailureOr<Domain> stde::readDomain(ModuleOp module, NetworkOp u) {
  auto name = module->getAttrOfType<StringAttr>("stde.domain");
  if (!name)
    return module.emitError("the problem module names no domain: write `module attributes "
                            "{stde.domain = \"unit_ball\"} { ... }` (or \"brownian\", "
                            "\"gaussian\", \"box\")");
  Domain domain;
  domain.dim = u.getInputDim();
  domain.spatialDim = u.getSpatialDim();
  bool spaceTime = u.getSpaceTime();
  if (name.getValue() == "unit_ball") {
    if (spaceTime)
      return module.emitError("the \"unit_ball\" domain draws every coordinate from the ball: a "
                              "space-time @u needs the \"brownian\", \"gaussian\" or \"box\" "
                              "domain");
    return domain;
  }
  if (name.getValue() == "brownian") {
    domain.kind = Domain::Kind::brownian;
    if (failed(readTerminalTime(module, "brownian", spaceTime, domain)))
      return failure();
    if (auto diffusion = module->getAttrOfType<FloatAttr>("stde.diffusion")) {
      domain.diffusion = diffusion.getValueAsDouble();
      if (!(domain.diffusion > 0.0))
        return module.emitError("`stde.diffusion` (sigma^2) must be positive");
    }
    return domain;
  }
  if (name.getValue() == "gaussian") {
    domain.kind = Domain::Kind::gaussian;
    if (failed(readTerminalTime(module, "gaussian", spaceTime, domain)))
      return failure();
    if (auto scale = module->getAttrOfType<FloatAttr>("stde.scale")) {
      domain.scale = scale.getValueAsDouble();
      if (!(domain.scale > 0.0) || !std::isfinite(domain.scale))
        return module.emitError("`stde.scale` (the standard deviation of x) must be positive");
    }
    return domain;
  }
  if (name.getValue() == "box") {
    domain.kind = Domain::Kind::box;
    if (failed(readBounds(module, "stde.lower", domain.dim, domain.lower)) ||
        failed(readBounds(module, "stde.upper", domain.dim, domain.upper)))
      return failure();
    for (int64_t j = 0; j < domain.dim; ++j)
      if (!(domain.lower[j] < domain.upper[j]))
        return module.emitError("the \"box\" domain needs stde.lower < stde.upper in every "
                                "coordinate; coordinate ")
               << j << " has [" << domain.lower[j] << ", " << domain.upper[j] << "]";
    return domain;
  }
  return module.emitError("unknown domain '")
         << name.getValue() << "': use \"unit_ball\", \"brownian\", \"gaussian\" or \"box\"";
}

func::FuncOp stde::buildSampler(OpBuilder &b, ModuleOp module, const Domain &domain,
                                Type element, StringRef name, int64_t n, uint32_t stream,
                                uint32_t auxStream, bool boundary, RankShare share) {
  OpBuilder::InsertionGuard guard(b);
  rng::Distribution law = domain.kind == Domain::Kind::box ? rng::Distribution::uniform
                                                           : rng::Distribution::gaussian;
  // The interior of the ball and of Brownian paths, and the faces of a box,
  // need one more uniform per point.
  bool aux = domain.kind == Domain::Kind::box ? boundary : !boundary;
  Sampler s(b, module, element, name, n, domain.dim, law, stream, aux, auxStream, share);
  switch (domain.kind) {
  case Domain::Kind::unitBall:
    ballSampler(s, /*onSphere=*/boundary);
    break;
  case Domain::Kind::brownian:
  case Domain::Kind::gaussian:
    spaceTimeSampler(s, domain, /*terminal=*/boundary);
    break;
  case Domain::Kind::box:
    boxSampler(s, domain, /*onFaces=*/boundary);
    break;
  }
  return s.func;
}
