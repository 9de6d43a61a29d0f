//===- SpaceTimeProblems.cpp - time-dependent benchmark problems ----------===//
//
// Semilinear heat (docs/MATH.md section 5), terminal form on R^d x [0, T]:
//   u_t + Lap u + (1 - u^2) / (1 + u^2) = 0,  u(x, T) = g(x) = 5 / (10 + 2|x|^2),
//   T = 0.3; the quantity of interest is u(0, 0) (references for d = 10, 100,
//   1K, 10K in docs/MATH.md). Ansatz u = g(x) + (T - t) MLP(x, t): the terminal
//   condition holds exactly, the loss is the PDE residual alone. Points come
//   from the "brownian" domain (Domain.h): by Feynman-Kac, u(0, 0) depends
//   on u along X_t = sqrt(2) W_t, |X_t|^2 ~ 2 t d, far outside the unit ball.
//
// Generalized KdV (one space dimension, third order), p = 3, c = 1:
//   u_t + u^p u_x + u_xxx = 0, soliton
//   u* = A sech^(2/p)(B (x - c t - x0)), A = ((p+1)(p+2) c / 2)^(1/p),
//   B = p sqrt(c) / 2
// (check: with s = sech^(2/p)(z), the travelling-wave ODE -c u + u^(p+1)/(p+1)
// + u'' = 0 holds for this A and B; test/Unit/TrainingTest.cpp verifies the
// residual by finite differences). Box x in [-4, 4], t in [0, 1]; ansatz
// u = u*(x, 0) + t MLP(x, t) (initial condition exact), Dirichlet data
// u = u* on x = -4 and x = 4 as a second residual; error: relative L2 against
// u* on uniform test points.
//
//===----------------------------------------------------------------------===//
#include "SpaceTimeProblems.h"
#include "ProblemLibrary.h"

#include <cmath>

using namespace stde;

namespace {

constexpr double kHeatHorizon = 0.3;

// gKdV constants (see the file header).
constexpr int kGkdvPower = 3;
constexpr double kGkdvSpeed = 1.0, kGkdvShift = -0.5, kGkdvHalfWidth = 4.0, kGkdvHorizon = 1.0;

double gkdvAmplitude() {
  double p = kGkdvPower;
  return std::pow((p + 1.0) * (p + 2.0) * kGkdvSpeed / 2.0, 1.0 / p);
}
double gkdvRate() { return kGkdvPower * std::sqrt(kGkdvSpeed) / 2.0; }

/// u*(x, t) = A sech^(2/p)(B (x - c t - x0)); without t, u*(x, 0).
Expr soliton(FieldBuilder &fb, Expr x, const Expr *t) {
  Expr c = fb.constant(kGkdvSpeed), x0 = fb.constant(kGkdvShift);
  Expr rate = fb.constant(gkdvRate()), amplitude = fb.constant(gkdvAmplitude());
  Expr power = fb.constant(-2.0 / kGkdvPower), half = fb.constant(0.5);
  Expr y0 = t ? fb.sub(fb.sub(x, fb.mul(c, *t)), x0) : fb.sub(x, x0);
  Expr z = fb.mul(rate, y0);
  Expr ep = fb.exp(z);
  Expr em = fb.exp(fb.neg(z));
  Expr cosh = fb.mul(half, fb.add(ep, em));
  // cosh^(-2/p) as exp(-(2/p) log cosh): jets go through exp and log.
  Expr e = fb.mul(power, fb.log(cosh));
  return fb.mul(amplitude, fb.exp(e));
}

/// u = g(x) + (T - t) MLP(x, t), g(x) = 5 / (10 + 2|x|^2): exact at t = T.
Expected<Field> heatAnsatz(const ProblemOptions &o) {
  int64_t d = o.dim;
  FieldBuilder fb(d + 1, o.dtype);
  Expr x = fb.input();
  Expr net = spaceTimeMLP(fb, x, d + 1, o);
  Expr r2 = fb.sqnorm(fb.slice(x, 0, d));
  Expr t = fb.component(x, d);
  Expr two = fb.constant(2.0), ten = fb.constant(10.0), five = fb.constant(5.0),
       horizon = fb.constant(kHeatHorizon);
  Expr g = fb.div(five, fb.add(ten, fb.mul(two, r2)));
  Expr v = fb.mul(fb.sub(horizon, t), net);
  return fb.build(fb.add(g, v));
}

/// u = u*(x, 0) + t MLP(x, t): exact at t = 0.
Expected<Field> gkdvAnsatz(const ProblemOptions &o) {
  FieldBuilder fb(2, o.dtype);
  Expr x = fb.input();
  Expr net = spaceTimeMLP(fb, x, 2, o);
  Expr xc = fb.component(x, 0), t = fb.component(x, 1);
  Expr initial = soliton(fb, xc, nullptr);
  return fb.build(fb.add(initial, fb.mul(t, net)));
}

Expected<Field> gkdvSolution(const ProblemOptions &o) {
  FieldBuilder fb(2, o.dtype);
  Expr x = fb.input();
  Expr xc = fb.component(x, 0), t = fb.component(x, 1);
  return fb.build(soliton(fb, xc, &t));
}

} // namespace

double stde::semilinearHeatReference(int64_t dim) {
  // docs/MATH.md section 5.
  switch (dim) {
  case 10: return 0.47006;
  case 100: return 0.31674;
  case 1000: return 0.28753;
  case 10000: return 0.28433;
  default: return 0.0;
  }
}

Expected<ProblemBuilder> stde::semilinearHeatProblem(const ProblemOptions &o) {
  Expected<Field> u = heatAnsatz(o);
  if (!u)
    return Status::error("internal: " + u.error());
  double reference = semilinearHeatReference(o.dim);
  ProblemBuilder pb(*u, o.points);
  pb.describe("stde problem 'semilinear-heat', d = " + std::to_string(o.dim) + ":\n"
              "u_t + Lap u + (1 - u^2)/(1 + u^2) = 0, u(x, T) = 5/(10 + 2|x|^2), T = 0.3; the\n"
              "error is |u(0, 0) - reference| / reference " +
              (reference ? "(docs/MATH.md)." : "(no reference value for this d: loss only)."))
      .spaceTime()
      .brownian(kHeatHorizon);
  if (reference)
    pb.reference(reference);
  Column ut = pb.timeDerivative(1), lap = pb.laplacian(), uv = pb.u();
  Column one = pb.constant(1.0);
  Column u2 = pb.mul(uv, uv);
  Column num = pb.sub(one, u2);
  Column den = pb.add(one, u2);
  Column source = pb.div(num, den);
  pb.loss({pb.add(pb.add(ut, lap), source)}, {}, o.estimator);
  return pb;
}

int64_t stde::gkdvBoundaryPoints(const ProblemOptions &o) {
  return std::max<int64_t>(2, o.points / 5);
}

Expected<ProblemBuilder> stde::gkdvProblem(const ProblemOptions &o) {
  Expected<Field> u = gkdvAnsatz(o), exact = gkdvSolution(o);
  if (!u || !exact)
    return Status::error("internal: " + (u ? exact.error() : u.error()));
  ProblemBuilder pb(*u, o.points);
  pb.describe("stde problem 'gkdv': u_t + u^3 u_x + u_xxx = 0 on [-4, 4] x [0, 1], soliton\n"
              "solution; third-order derivatives by exact jets; u = u* on x = -4 and x = 4.")
      .spaceTime()
      .field("u_exact", *exact)
      .boundaryPoints(gkdvBoundaryPoints(o))
      .box({-kGkdvHalfWidth, 0.0}, {kGkdvHalfWidth, kGkdvHorizon});
  Column ut = pb.timeDerivative(1);
  Column uxxx = pb.diff({{1.0, {0, 0, 0}}}, Estimator::exact());
  Column ux = pb.diff({{1.0, {0}}}, Estimator::exact());
  Column uv = pb.u();
  Column u3 = pb.mul(pb.mul(uv, uv), uv);
  Column nl = pb.mul(u3, ux);
  Column r = pb.add(pb.add(ut, uxxx), nl);
  Column ub = pb.u(Points::boundary);
  Column exactOnBoundary = pb.apply("u_exact", Points::boundary);
  Column rb = pb.sub(ub, exactOnBoundary);
  pb.loss({r, rb}, {1.0, 1.0});
  return pb;
}

double stde::gkdvExact(double x, double t) {
  double z = gkdvRate() * (x - kGkdvSpeed * t - kGkdvShift);
  return gkdvAmplitude() * std::pow(std::cosh(z), -2.0 / kGkdvPower);
}
