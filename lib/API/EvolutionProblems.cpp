//===- EvolutionProblems.cpp - initial-value problems on boxes ------------===//
//
// Space-time problems on a box, the initial value built into the ansatz and
// the exact solution imposed on the spatial faces as a second residual (as
// gkdv does). Each exact solution is checked against its PDE by finite
// differences in test/Unit/EvolutionProblemsTest.cpp.
//
// Wave: u_tt - Lap u = 0 on [-1, 1]^d x [0, 1]; u* = cosh(t) sum_i sinh(x_i)
//   (u_tt = u* = Lap u*); u(x, 0) = sum_i sinh(x_i), u_t(x, 0) = 0, so the
//   ansatz u = sum_i sinh(x_i) + t^2 MLP(x, t) meets both.
//
// Both equations below have travelling waves u = f(xi), xi = k x + l y - w t.
// Substituting and integrating (the waves vanish with f' at infinity) leaves
// an equation f'' = 4 B^2 f - 6 B^2 f^2 / A, solved by A sech^2(B xi):
//
// 2-D KdV-type: u_ty + u_xxxy + 3 (u_xy u_x + u_y u_xx) - u_xx + 2 u_yy = 0.
//   With g = f': k^3 l g'' + 3 k^2 l g^2 + (2 l^2 - k^2 - w l) g = 0, so
//   g = A sech^2(B xi) with A = 2 k B^2 and w = (2 l^2 - k^2 + 4 k^3 l B^2) / l,
//   and u* = f = 2 k B tanh(B xi). Here k = l = 1, B = 1/2: w = 2,
//   u* = tanh((x + y - 2 t) / 2), on [-4, 4]^2 x [0, 1].
// Kadomtsev-Petviashvili: u_tx + 6 (u_x^2 + u u_xx) + u_xxxx + 3 u_yy = 0.
//   (3 l^2 - w k) f + 3 k^2 f^2 + k^4 f'' = 0, so f = A sech^2(B xi) with
//   A = 2 k^2 B^2 and w = (4 k^4 B^2 + 3 l^2) / k. Here k = 1, l = 1/2,
//   B = 1/2: A = 1/2, w = 7/4, u* = sech^2((x + y/2 - 7t/4) / 2) / 2, on
//   [-6, 6]^2 x [0, 1].
// Every derivative is an exact jet (the jet planner's mixed partials).
//
//===----------------------------------------------------------------------===//
#include "EvolutionProblems.h"
#include "ProblemLibrary.h"

#include <cmath>

using namespace stde;

namespace {

constexpr double kHorizon = 1.0;
constexpr double kWaveHalfWidth = 1.0;
// The travelling waves (file header): xi = k x + l y - w t, rate B.
constexpr double kKdvK = 1.0, kKdvL = 1.0, kKdvB = 0.5, kKdvHalfWidth = 4.0;
constexpr double kKpK = 1.0, kKpL = 0.5, kKpB = 0.5, kKpHalfWidth = 6.0;

/// w of each wave (file header).
double kdvSpeed() {
  return (2 * kKdvL * kKdvL - kKdvK * kKdvK + 4 * std::pow(kKdvK, 3) * kKdvL * kKdvB * kKdvB) /
         kKdvL;
}
double kpSpeed() { return (4 * std::pow(kKpK, 4) * kKpB * kKpB + 3 * kKpL * kKpL) / kKpK; }

Expr half(FieldBuilder &fb) { return fb.constant(0.5); }
/// sinh and cosh of a scalar or (elementwise) a vector.
Expr sinh(FieldBuilder &fb, Expr a) {
  return fb.mul(half(fb), fb.sub(fb.exp(a), fb.exp(fb.neg(a))));
}
Expr cosh(FieldBuilder &fb, Expr a) {
  return fb.mul(half(fb), fb.add(fb.exp(a), fb.exp(fb.neg(a))));
}

/// xi = k x + l y - w t (t null: t = 0) for the 2-D travelling waves.
Expr phase(FieldBuilder &fb, Expr input, double k, double l, double w, bool atTime) {
  Expr x = fb.component(input, 0), y = fb.component(input, 1);
  Expr xi = fb.add(fb.mul(fb.constant(k), x), fb.mul(fb.constant(l), y));
  if (atTime)
    xi = fb.sub(xi, fb.mul(fb.constant(w), fb.component(input, 2)));
  return xi;
}

Expr kdvWave(FieldBuilder &fb, Expr input, bool atTime) {
  Expr z = fb.mul(fb.constant(kKdvB), phase(fb, input, kKdvK, kKdvL, kdvSpeed(), atTime));
  return fb.mul(fb.constant(2 * kKdvK * kKdvB), fb.tanh(z));
}

Expr kpWave(FieldBuilder &fb, Expr input, bool atTime) {
  Expr z = fb.mul(fb.constant(kKpB), phase(fb, input, kKpK, kKpL, kpSpeed(), atTime));
  Expr c = cosh(fb, z);
  return fb.div(fb.constant(2 * kKpK * kKpK * kKpB * kKpB), fb.mul(c, c));
}

/// Box [-halfWidth, halfWidth]^spatial x [0, T] with boundary points and
/// the exact solution u_exact; returns r_b = u - u_exact on the faces.
Column dirichletFaces(ProblemBuilder &pb, const ProblemOptions &o, int64_t spatial,
                      double halfWidth, Field exact) {
  std::vector<double> lower(spatial + 1, -halfWidth), upper(spatial + 1, halfWidth);
  lower[spatial] = 0.0;
  upper[spatial] = kHorizon;
  pb.spaceTime()
      .field("u_exact", std::move(exact))
      .boundaryPoints(evolutionBoundaryPoints(o))
      .box(lower, upper);
  Column ub = pb.u(Points::boundary);
  Column exactOnFaces = pb.apply("u_exact", Points::boundary);
  return pb.sub(ub, exactOnFaces);
}

/// The 2-D travelling wave problems' fields: u = wave(x, y, 0) + t MLP(x, y, t)
/// (the initial value exact) and u* = wave(x, y, t).
struct WaveFields {
  Expected<Field> u, exact;
};
WaveFields travellingWaveFields(const ProblemOptions &o,
                                Expr (*wave)(FieldBuilder &, Expr, bool)) {
  FieldBuilder ub(3, o.dtype);
  Expr input = ub.input();
  Expr net = spaceTimeMLP(ub, input, 3, o);
  Expr initial = wave(ub, input, false);
  Expected<Field> u = ub.build(ub.add(initial, ub.mul(ub.component(input, 2), net)));
  FieldBuilder eb(3, o.dtype);
  Expected<Field> exact = eb.build(wave(eb, eb.input(), true));
  return {std::move(u), std::move(exact)};
}

} // namespace

int64_t stde::evolutionBoundaryPoints(const ProblemOptions &o) {
  return std::max<int64_t>(2, o.points / 5);
}

Expected<ProblemBuilder> stde::waveProblem(const ProblemOptions &o) {
  int64_t d = o.dim;
  FieldBuilder ub(d + 1, o.dtype);
  Expr input = ub.input();
  Expr net = spaceTimeMLP(ub, input, d + 1, o);
  Expr t = ub.component(input, d);
  Expr initial = ub.sum(sinh(ub, ub.slice(input, 0, d)));
  Expected<Field> u = ub.build(ub.add(initial, ub.mul(ub.mul(t, t), net)));
  FieldBuilder eb(d + 1, o.dtype);
  Expr ein = eb.input();
  Expr growth = cosh(eb, eb.component(ein, d));
  Expected<Field> exact = eb.build(eb.mul(growth, eb.sum(sinh(eb, eb.slice(ein, 0, d)))));
  if (!u || !exact)
    return Status::error("internal: " + (u ? exact.error() : u.error()));
  ProblemBuilder pb(*u, o.points);
  pb.describe("stde problem 'wave', d = " + std::to_string(d) +
              ": u_tt = Lap u on [-1, 1]^d x [0, 1], u(x, 0) = sum_i sinh(x_i),\n"
              "u_t(x, 0) = 0; exact u = cosh(t) sum_i sinh(x_i), imposed on the faces.");
  Column rb = dirichletFaces(pb, o, d, kWaveHalfWidth, *exact);
  Column utt = pb.timeDerivative(2), lap = pb.laplacian();
  pb.loss({pb.sub(utt, lap), rb}, {1.0, 1.0}, o.estimator);
  return pb;
}

Expected<ProblemBuilder> stde::kdv2dProblem(const ProblemOptions &o) {
  WaveFields f = travellingWaveFields(o, kdvWave);
  if (!f.u || !f.exact)
    return Status::error("internal: " + (f.u ? f.exact.error() : f.u.error()));
  ProblemBuilder pb(*f.u, o.points);
  pb.describe("stde problem 'kdv-2d': u_ty + u_xxxy + 3 (u_xy u_x + u_y u_xx) - u_xx + 2 u_yy = 0\n"
              "on [-4, 4]^2 x [0, 1]; exact u = tanh((x + y - 2t)/2) (a travelling kink),\n"
              "imposed on the faces; every derivative by exact jets.");
  Column rb = dirichletFaces(pb, o, 2, kKdvHalfWidth, *f.exact);
  Estimator exact = Estimator::exact();
  // Coordinates: 0 = x, 1 = y, 2 = t.
  Column linear = pb.diff({{1.0, {1, 2}}, {1.0, {0, 0, 0, 1}}, {-1.0, {0, 0}}, {2.0, {1, 1}}},
                          exact);
  Column uxy = pb.diff({{1.0, {0, 1}}}, exact), ux = pb.diff({{1.0, {0}}}, exact);
  Column uy = pb.diff({{1.0, {1}}}, exact), uxx = pb.diff({{1.0, {0, 0}}}, exact);
  Column products = pb.add(pb.mul(uxy, ux), pb.mul(uy, uxx));
  Column r = pb.add(linear, pb.mul(pb.constant(3.0), products));
  pb.loss({r, rb}, {1.0, 1.0});
  return pb;
}

Expected<ProblemBuilder> stde::kpProblem(const ProblemOptions &o) {
  WaveFields f = travellingWaveFields(o, kpWave);
  if (!f.u || !f.exact)
    return Status::error("internal: " + (f.u ? f.exact.error() : f.u.error()));
  ProblemBuilder pb(*f.u, o.points);
  pb.describe("stde problem 'kp' (Kadomtsev-Petviashvili): u_tx + 6 (u_x^2 + u u_xx) + u_xxxx +\n"
              "3 u_yy = 0 on [-6, 6]^2 x [0, 1]; exact u = sech^2((x + y/2 - 7t/4)/2)/2 (a\n"
              "line soliton), imposed on the faces; every derivative by exact jets.");
  Column rb = dirichletFaces(pb, o, 2, kKpHalfWidth, *f.exact);
  Estimator exact = Estimator::exact();
  Column linear = pb.diff({{1.0, {0, 2}}, {1.0, {0, 0, 0, 0}}, {3.0, {1, 1}}}, exact);
  Column ux = pb.diff({{1.0, {0}}}, exact), uxx = pb.diff({{1.0, {0, 0}}}, exact);
  Column uv = pb.u();
  Column quadratic = pb.add(pb.mul(ux, ux), pb.mul(uv, uxx));
  Column r = pb.add(linear, pb.mul(pb.constant(6.0), quadratic));
  pb.loss({r, rb}, {1.0, 1.0});
  return pb;
}

double stde::waveExact(const std::vector<double> &xt) {
  double s = 0.0;
  for (size_t i = 0; i + 1 < xt.size(); ++i)
    s += std::sinh(xt[i]);
  return std::cosh(xt.back()) * s;
}

double stde::kdv2dExact(const std::vector<double> &xt) {
  double xi = kKdvK * xt[0] + kKdvL * xt[1] - kdvSpeed() * xt[2];
  return 2 * kKdvK * kKdvB * std::tanh(kKdvB * xi);
}

double stde::kpExact(const std::vector<double> &xt) {
  double xi = kKpK * xt[0] + kKpL * xt[1] - kpSpeed() * xt[2];
  double c = std::cosh(kKpB * xi);
  return 2 * kKpK * kKpK * kKpB * kKpB / (c * c);
}
