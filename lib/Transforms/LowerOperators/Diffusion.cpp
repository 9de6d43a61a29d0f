//===- Diffusion.cpp - diffusion generators and gradient norms as jets ----===//
//
// (1/2) tr(sigma sigma^T Hess u) = (1/2) sum_i d2u(sigma e_i, 0)_2 (docs/MATH.md
// section 2). A diagonal sigma keeps basis tangents: d2u(sigma_i e_i, 0)_2 =
// sigma_i^2 u_ii, so the jets along e_i are one-hot (column gathers in the
// first layer) and sigma_i(x)^2 weighs their second coefficients per point. A
// full sigma pushes its columns sigma e_i as dense tangents. Sparse sampling
// draws |J| of the Ds coordinates without replacement and rescales by
// Ds / |J|; dense pushes sigma z with E[z z^T] = I, so E[d2u(sigma z, 0)_2] =
// tr(sigma^T Hess u sigma). The drift b . grad u is one order-1 jet along b.
//
//===----------------------------------------------------------------------===//
#include "Diffusion.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace stde;
using namespace stde::lowering;
using jet::CoefficientKind;

namespace {

/// Which coordinates the jets go along: every one (exact) or a sample.
struct CoordinateChoice {
  Value ids;          // tensor<R x index>
  int64_t count = 0;  // R
  double scale = 1.0; // Ds / R for a sample, 1 for all
};

/// All Ds coordinates, or |J| drawn without replacement (sparse).
CoordinateChoice chooseCoordinates(GroupEmitter &emitter, Attribute estimator,
                                   int64_t spatial, const RandomSource &random) {
  CoordinateChoice choice;
  auto sparse = dyn_cast<SparseAttr>(estimator);
  if (!sparse) {
    SmallVector<int64_t> all;
    for (int64_t i = 0; i < spatial; ++i)
      all.push_back(i);
    choice.ids = emitter.indexConstant(all);
    choice.count = spatial;
    return choice;
  }
  OpBuilder &b = emitter.builder();
  choice.count = sparse.getSamples();
  auto type = RankedTensorType::get({choice.count}, b.getIndexType());
  choice.ids = rng::SampleOp::create(b, emitter.location(), type, random.seed, random.step,
                                     b.getI32IntegerAttr(random.stream + roleFirstTermClass),
                                     b.getI64IntegerAttr(spatial));
  choice.scale = double(spatial) / double(choice.count);
  return choice;
}

/// sigma[n, ids[r]] for every chosen coordinate r and point n: tensor<R x N>.
Value gatherDiagonal(GroupEmitter &emitter, Value sigma, Value ids, int64_t count) {
  OpBuilder &b = emitter.builder();
  auto type = RankedTensorType::get({count, emitter.numPoints()}, emitter.elementType());
  return tensor::GenerateOp::create(
      b, emitter.location(), type, ValueRange{},
      [&](OpBuilder &b, Location loc, ValueRange idx) {
        Value id = tensor::ExtractOp::create(b, loc, ids, idx[0]);
        Value entry = tensor::ExtractOp::create(b, loc, sigma, ValueRange{idx[1], id});
        tensor::YieldOp::create(b, loc, entry);
      });
}

/// Column ids[r] of sigma at point n: tensor<R x N x Ds>.
Value gatherColumns(GroupEmitter &emitter, Value sigma, Value ids, int64_t count) {
  OpBuilder &b = emitter.builder();
  int64_t spatial = cast<RankedTensorType>(sigma.getType()).getDimSize(1);
  auto type =
      RankedTensorType::get({count, emitter.numPoints(), spatial}, emitter.elementType());
  return tensor::GenerateOp::create(
      b, emitter.location(), type, ValueRange{},
      [&](OpBuilder &b, Location loc, ValueRange idx) {
        Value id = tensor::ExtractOp::create(b, loc, ids, idx[0]);
        Value entry =
            tensor::ExtractOp::create(b, loc, sigma, ValueRange{idx[1], idx[2], id});
        tensor::YieldOp::create(b, loc, entry);
      });
}

/// A zero-filled tensor<N x T> to reduce into.
Value zeros(GroupEmitter &emitter) {
  OpBuilder &b = emitter.builder();
  Location loc = emitter.location();
  Type element = emitter.elementType();
  Value zero = arith::ConstantOp::create(b, loc, b.getFloatAttr(element, 0.0));
  Value init =
      tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{emitter.numPoints()}, element);
  return linalg::FillOp::create(b, loc, zero, init).getResult(0);
}

/// out[n] = sum_r body(inputs[r, n]...), each input tensor<R x N>.
Value reduceDirections(GroupEmitter &emitter, ValueRange inputs,
                       function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  OpBuilder &b = emitter.builder();
  MLIRContext *ctx = b.getContext();
  AffineExpr r, n;
  bindDims(ctx, r, n);
  SmallVector<AffineMap> maps(inputs.size(), AffineMap::get(2, 0, {r, n}, ctx));
  maps.push_back(AffineMap::get(2, 0, {n}, ctx));
  Value init = zeros(emitter);
  return linalg::GenericOp::create(
             b, emitter.location(), TypeRange{init.getType()}, inputs, ValueRange{init}, maps,
             {utils::IteratorType::reduction, utils::IteratorType::parallel},
             [&](OpBuilder &b, Location loc, ValueRange args) {
               Value term = body(b, loc, args.drop_back());
               linalg::YieldOp::create(b, loc,
                                       arith::AddFOp::create(b, loc, args.back(), term)
                                           .getResult());
             })
      .getResult(0);
}

Value constant(OpBuilder &b, Location loc, Type element, double value) {
  return arith::ConstantOp::create(b, loc, b.getFloatAttr(element, value));
}

/// Random tangents sigma z: t[s,n,k] = sigma[n,k] z[s,n,k] (diagonal) or
/// sum_j sigma[n,k,j] z[s,n,j] (full).
Value transformTangents(GroupEmitter &emitter, Value sigma, Value z, bool diagonal) {
  OpBuilder &b = emitter.builder();
  MLIRContext *ctx = b.getContext();
  auto type = cast<RankedTensorType>(z.getType());
  Value out = emitter.splat(type, 0.0);
  AffineExpr s, n, k, j;
  bindDims(ctx, s, n, k, j);
  SmallVector<AffineMap> maps;
  SmallVector<utils::IteratorType> iterators(3, utils::IteratorType::parallel);
  if (diagonal) {
    maps = {AffineMap::get(3, 0, {n, k}, ctx), AffineMap::get(3, 0, {s, n, k}, ctx),
            AffineMap::get(3, 0, {s, n, k}, ctx)};
  } else {
    maps = {AffineMap::get(4, 0, {n, k, j}, ctx), AffineMap::get(4, 0, {s, n, j}, ctx),
            AffineMap::get(4, 0, {s, n, k}, ctx)};
    iterators.push_back(utils::IteratorType::reduction);
  }
  return linalg::GenericOp::create(
             b, emitter.location(), TypeRange{type}, ValueRange{sigma, z}, ValueRange{out},
             maps, iterators,
             [](OpBuilder &b, Location loc, ValueRange args) {
               Value product = arith::MulFOp::create(b, loc, args[0], args[1]);
               linalg::YieldOp::create(
                   b, loc, arith::AddFOp::create(b, loc, args[2], product).getResult());
             })
      .getResult(0);
}

/// z of the dense estimator: samples x points x Ds draws of its law.
FailureOr<Value> drawDense(GroupEmitter &emitter, DenseEstimatorAttr dense, int64_t spatial,
                           const RandomSource &random) {
  rng::Distribution law = dense.getDistribution() == Distribution::gaussian
                              ? rng::Distribution::gaussian
                              : rng::Distribution::rademacher;
  return drawTangents(emitter, law, {dense.getSamples(), emitter.numPoints(), spatial}, random,
                      roleTangents);
}

/// One group of R jets of order `order` with `tangent` in slot 1.
JetGroup basisGroup(int64_t order, int64_t count, SlotTangent tangent) {
  JetGroup group;
  group.order = order;
  group.directions = count;
  group.slots.push_back(tangent);
  group.slots.resize(order);
  return group;
}

} // namespace

FailureOr<Value> stde::lowering::emitDiffusion(GroupEmitter &emitter, DiffusionOp op,
                                               Attribute estimator,
                                               const RandomSource &random) {
  OpBuilder &b = emitter.builder();
  Location loc = emitter.location();
  Type element = emitter.elementType();
  Value sigma = op.getSigma();
  bool diagonal = op.isDiagonal();
  int64_t spatial = cast<RankedTensorType>(sigma.getType()).getDimSize(1);
  // The parabolic part plus, when given, the drift's directional derivative.
  auto withDrift = [&](Value parabolic) {
    return op.getDrift() ? emitter.add(parabolic, emitDirectional(emitter, op.getDrift()))
                         : parabolic;
  };

  if (auto dense = dyn_cast<DenseEstimatorAttr>(estimator)) {
    int64_t samples = dense.getSamples();
    FailureOr<Value> z = drawDense(emitter, dense, spatial, random);
    if (failed(z))
      return failure();
    Value tangents = emitter.padToInput(transformTangents(emitter, sigma, *z, diagonal));
    JetGroup group = basisGroup(2, samples, {CoefficientKind::dense, tangents});
    group.reads.push_back(
        {2, emitter.splat(RankedTensorType::get({samples}, element), 0.5 / double(samples))});
    return withDrift(emitter.emit(group));
  }

  CoordinateChoice chosen = chooseCoordinates(emitter, estimator, spatial, random);
  double factor = 0.5 * chosen.scale;
  if (!diagonal) {
    Value columns = gatherColumns(emitter, sigma, chosen.ids, chosen.count);
    JetGroup group =
        basisGroup(2, chosen.count, {CoefficientKind::dense, emitter.padToInput(columns)});
    group.reads.push_back(
        {2, emitter.splat(RankedTensorType::get({chosen.count}, element), factor)});
    return withDrift(emitter.emit(group));
  }
  // sum_r factor * sigma_{i_r}(x_n)^2 u_{i_r i_r}(x_n).
  JetGroup group = basisGroup(2, chosen.count, {CoefficientKind::onehot, chosen.ids});
  Value second = emitter.emitCoefficients(group)[2];
  Value weights = gatherDiagonal(emitter, sigma, chosen.ids, chosen.count);
  Value scale = constant(b, loc, element, factor);
  Value parabolic = reduceDirections(
      emitter, ValueRange{second, weights}, [&](OpBuilder &b, Location loc, ValueRange a) {
        Value squared = arith::MulFOp::create(b, loc, a[1], a[1]);
        Value weighted = arith::MulFOp::create(b, loc, squared, a[0]);
        return arith::MulFOp::create(b, loc, weighted, scale).getResult();
      });
  return withDrift(parabolic);
}

FailureOr<Value> stde::lowering::emitGradNorm(GroupEmitter &emitter, GradNormOp op,
                                              Attribute estimator,
                                              const RandomSource &random) {
  OpBuilder &b = emitter.builder();
  Location loc = emitter.location();
  Type element = emitter.elementType();
  double power = op.getPower().convertToDouble();
  int64_t spatial = op.getNetworkOp().getSpatialDim();

  JetGroup group;
  double factor = 1.0;
  if (auto dense = dyn_cast<DenseEstimatorAttr>(estimator)) {
    // E[(grad u . z)^2] = |grad u|^2 (the verifier allows p = 2 only).
    int64_t samples = dense.getSamples();
    FailureOr<Value> z = drawDense(emitter, dense, spatial, random);
    if (failed(z))
      return failure();
    group = basisGroup(1, samples, {CoefficientKind::dense, emitter.padToInput(*z)});
    factor = 1.0 / double(samples);
  } else {
    CoordinateChoice chosen = chooseCoordinates(emitter, estimator, spatial, random);
    group = basisGroup(1, chosen.count, {CoefficientKind::onehot, chosen.ids});
    factor = chosen.scale;
  }
  Value first = emitter.emitCoefficients(group)[1];
  Value scale = constant(b, loc, element, factor);
  Value exponent = constant(b, loc, element, power);
  return reduceDirections(emitter, ValueRange{first},
                          [&](OpBuilder &b, Location loc, ValueRange a) {
                            Value term;
                            if (power == 2.0)
                              term = arith::MulFOp::create(b, loc, a[0], a[0]);
                            else if (power == 1.0)
                              term = math::AbsFOp::create(b, loc, a[0]);
                            else
                              term = math::PowFOp::create(
                                  b, loc, math::AbsFOp::create(b, loc, a[0]), exponent);
                            return arith::MulFOp::create(b, loc, term, scale).getResult();
                          });
}
