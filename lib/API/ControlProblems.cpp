//===- ControlProblems.cpp - HJB and Black-Scholes-Barenblatt problems ----===//
//
// Terminal-value problems on R^d x [0, T], T = 1, terminal data g built into
// the ansatz so the loss is the PDE residual alone. HJB-LIN and BSB draw
// points from the "gaussian" domain (x ~ N(0, I), t ~ U(0, T): the sampling
// of the published HJB and BSB experiments) and measure the relative L2
// error there; HJB-LQG (no closed form) is measured at the origin. Each exact solution is checked against its PDE by
// finite differences in test/Unit/ControlProblemsTest.cpp.
//
// HJB-LIN: u_t + Lap u - (1/d) sum_i |u_i|^c = -2, c = 1.75, g(x) = sum_i x_i.
//   u* = sum_i x_i + T - t: u_t = -1, Lap u = 0, every u_i = 1, so
//   -1 + 0 - 1 = -2 for every c. Ansatz u = g + (T - t) MLP(x, t).
// HJB-LQG: u_t + Lap u - mu |grad u|^2 = 0, mu = 1, g(x) = ln((1 + |x|^2)/2).
//   The Cole-Hopf transform w = exp(-mu u) solves w_t + Lap w = 0, so
//   u(x, t) = -(1/mu) ln E[exp(-mu g(x + sqrt(2) W_{T-t}))]; at the origin
//   |sqrt(2) W_T|^2 = 2 T Q with Q ~ chi^2_d and, for mu = 1,
//   u(0, 0) = -ln E[2 / (1 + 2 T Q)]. Elsewhere, with s = T - t,
//   |x + sqrt(2) W_s|^2 = 2 s Q' with Q' noncentral chi^2 (d degrees,
//   noncentrality |x|^2 / (2s)), a Poisson(|x|^2 / (4s)) mixture of central
//   chi^2_{d+2k}: u* = -ln sum_k p_k E[2 / (1 + 2 s Q_{d+2k})], each
//   expectation by quadrature over the chi-square density (below). Ansatz
//   u = g + (T - t) MLP(x, t). The error is measured at x = (1, ..., 1),
//   t = 0, where the sampled x ~ N(0, I) are (|x|^2 ~ d); the origin, where
//   Han, Jentzen and E evaluate u (4.5901 at d = 100), lies far from every
//   sampled point when d is large, and the residual there is stiff
//   (Lap g(0) = 2d).
// BSB: u_t + (1/2) sum_i sigma^2 x_i^2 u_ii - r (u - x . grad u) = 0,
//   sigma = 0.4, r = 0.05, g(x) = |x|^2: the diffusion generator with
//   sigma(x) = diag(sigma x_i) and drift b(x) = r x, minus r u.
//   u* = exp((r + sigma^2)(T - t)) |x|^2: u_t = -(r + sigma^2) u,
//   (1/2) sigma^2 sum_i x_i^2 2 e = sigma^2 u, x . grad u = 2 u, so
//   -(r + sigma^2) u + sigma^2 u - r u + 2 r u = 0. Ansatz (as the
//   reference code) u = g + (T - t) g MLP(x, t).
//
//===----------------------------------------------------------------------===//
#include "ControlProblems.h"
#include "ProblemLibrary.h"

#include <cmath>

using namespace stde;

namespace {

constexpr double kHorizon = 1.0;
constexpr double kHjbLinPower = 1.75;
constexpr double kLqgControl = 1.0; // mu
constexpr double kBsbVolatility = 0.4, kBsbRate = 0.05;

/// (x, t) of a space-time field: x the first d coordinates, t the last.
struct SpaceTime {
  Expr x, t;
};
SpaceTime splitInput(FieldBuilder &fb, Expr input, int64_t d) {
  return {fb.slice(input, 0, d), fb.component(input, d)};
}

/// g(x) + (T - t) * factor * MLP(x, t); factor null: 1.
Expected<Field> terminalAnsatz(const ProblemOptions &o,
                               Expr (*terminal)(FieldBuilder &, Expr), bool scaleByTerminal) {
  FieldBuilder fb(o.dim + 1, o.dtype);
  Expr input = fb.input();
  Expr net = spaceTimeMLP(fb, input, o.dim + 1, o);
  SpaceTime p = splitInput(fb, input, o.dim);
  Expr g = terminal(fb, p.x);
  Expr remaining = fb.sub(fb.constant(kHorizon), p.t);
  Expr correction = fb.mul(remaining, net);
  if (scaleByTerminal)
    correction = fb.mul(correction, g);
  return fb.build(fb.add(g, correction));
}

Expr sumOf(FieldBuilder &fb, Expr x) { return fb.sum(x); }
Expr lqgTerminal(FieldBuilder &fb, Expr x) {
  Expr half = fb.constant(0.5), one = fb.constant(1.0);
  return fb.log(fb.mul(half, fb.add(one, fb.sqnorm(x))));
}
Expr squaredNorm(FieldBuilder &fb, Expr x) { return fb.sqnorm(x); }

std::string dimText(const ProblemOptions &o) { return "d = " + std::to_string(o.dim); }

} // namespace

Expected<ProblemBuilder> stde::hjbLinProblem(const ProblemOptions &o) {
  Expected<Field> u = terminalAnsatz(o, sumOf, false);
  FieldBuilder fb(o.dim + 1, o.dtype);
  SpaceTime p = splitInput(fb, fb.input(), o.dim);
  Expected<Field> exact = fb.build(fb.add(fb.sum(p.x), fb.sub(fb.constant(kHorizon), p.t)));
  if (!u || !exact)
    return Status::error("internal: " + (u ? exact.error() : u.error()));
  ProblemBuilder pb(*u, o.points);
  pb.describe("stde problem 'hjb-lin', " + dimText(o) +
              ": u_t + Lap u - (1/d) sum_i |u_i|^1.75 = -2,\n"
              "u(x, 1) = sum_i x_i; exact u = sum_i x_i + 1 - t; x ~ N(0, I), t ~ U(0, 1).")
      .spaceTime()
      .field("u_exact", *exact)
      .gaussian(kHorizon);
  Column ut = pb.timeDerivative(1), lap = pb.laplacian();
  Column norm = pb.gradNorm(kHjbLinPower);
  Column meanPower = pb.mul(pb.constant(1.0 / double(o.dim)), norm);
  Column r = pb.add(pb.sub(pb.add(ut, lap), meanPower), pb.constant(2.0));
  pb.loss({r}, {}, o.estimator);
  return pb;
}

Expected<ProblemBuilder> stde::hjbLqgProblem(const ProblemOptions &o) {
  Expected<Field> u = terminalAnsatz(o, lqgTerminal, false);
  if (!u)
    return Status::error("internal: " + u.error());
  ProblemBuilder pb(*u, o.points);
  pb.describe("stde problem 'hjb-lqg', " + dimText(o) +
              ": u_t + Lap u - |grad u|^2 = 0, u(x, 1) = ln((1 + |x|^2)/2);\n"
              "the error is |u(p) - u*(p)| / u*(p) at p = (1, ..., 1; t = 0), u* =\n"
              "-ln E[2/(1 + |x + sqrt(2) W_{1-t}|^2)] (Cole-Hopf; quadrature); x ~ N(0, I),\n"
              "t ~ U(0, 1).")
      .spaceTime()
      .gaussian(kHorizon)
      .reference(hjbLqgExact(hjbLqgReferencePoint(o.dim)), hjbLqgReferencePoint(o.dim));
  Column ut = pb.timeDerivative(1), lap = pb.laplacian();
  Column norm = pb.gradNorm(2.0);
  Column r = pb.sub(pb.add(ut, lap), pb.mul(pb.constant(kLqgControl), norm));
  pb.loss({r}, {}, o.estimator);
  return pb;
}

Expected<ProblemBuilder> stde::bsbProblem(const ProblemOptions &o) {
  Expected<Field> u = terminalAnsatz(o, squaredNorm, true);
  FieldBuilder fb(o.dim + 1, o.dtype);
  SpaceTime p = splitInput(fb, fb.input(), o.dim);
  Expr decay = fb.mul(fb.constant(kBsbRate + kBsbVolatility * kBsbVolatility),
                      fb.sub(fb.constant(kHorizon), p.t));
  Expected<Field> exact = fb.build(fb.mul(fb.exp(decay), fb.sqnorm(p.x)));
  if (!u || !exact)
    return Status::error("internal: " + (u ? exact.error() : u.error()));
  ProblemBuilder pb(*u, o.points);
  pb.describe("stde problem 'bsb' (Black-Scholes-Barenblatt), " + dimText(o) +
              ":\nu_t + (1/2) sum_i 0.16 x_i^2 u_ii - 0.05 (u - x . grad u) = 0, u(x, 1) = |x|^2;"
              "\nexact u = exp(0.21 (1 - t)) |x|^2; x ~ N(0, I), t ~ U(0, 1).")
      .spaceTime()
      .field("u_exact", *exact)
      .gaussian(kHorizon);
  DiffusionCoefficients c;
  c.sigmaScale = kBsbVolatility;
  c.sigmaOffset = 0.0;
  c.driftScale = kBsbRate;
  Column ut = pb.timeDerivative(1), generator = pb.diffusion(c);
  Column discount = pb.mul(pb.constant(kBsbRate), pb.u());
  pb.loss({pb.sub(pb.add(ut, generator), discount)}, {}, o.estimator);
  return pb;
}

double stde::hjbLinExact(const std::vector<double> &xt) {
  double s = 0.0;
  for (size_t i = 0; i + 1 < xt.size(); ++i)
    s += xt[i];
  return s + kHorizon - xt.back();
}

double stde::bsbExact(const std::vector<double> &xt) {
  double r2 = 0.0;
  for (size_t i = 0; i + 1 < xt.size(); ++i)
    r2 += xt[i] * xt[i];
  return std::exp((kBsbRate + kBsbVolatility * kBsbVolatility) * (kHorizon - xt.back())) * r2;
}

namespace {

/// E[h(Q)], Q ~ chi^2_m, h(q) = 2 / (1 + 2 s q): composite Simpson over
/// sigma = sqrt(q) in [0, sqrt(m + 40 sd + 40)] (dq = 2 sigma d sigma removes
/// the singularity of the density at 0 for m <= 2; the density is below
/// double precision outside), in log space.
double chiSquareExpectation(double m, double s) {
  double half = m / 2.0;
  double logNorm = half * std::log(2.0) + std::lgamma(half);
  double top = std::sqrt(m + 40.0 * std::sqrt(2.0 * m) + 40.0);
  const int64_t intervals = 20000; // even
  double h = top / double(intervals), sum = 0.0;
  for (int64_t k = 0; k <= intervals; ++k) {
    double sigma = h * double(k), q = sigma * sigma, value = 0.0;
    if (sigma > 0.0)
      value = std::exp((half - 1.0) * std::log(q) - q / 2.0 - logNorm) * 2.0 * sigma;
    else if (m == 1.0)
      value = 2.0 / std::exp(0.5 * std::log(2.0) + std::lgamma(0.5));
    value *= 2.0 / (1.0 + 2.0 * s * q);
    double weight = (k == 0 || k == intervals) ? 1.0 : (k % 2 ? 4.0 : 2.0);
    sum += weight * value;
  }
  return sum * h / 3.0;
}

} // namespace

double stde::hjbLqgExact(const std::vector<double> &xt) {
  double r2 = 0.0;
  for (size_t i = 0; i + 1 < xt.size(); ++i)
    r2 += xt[i] * xt[i];
  double d = double(xt.size() - 1), s = kHorizon - xt.back();
  if (s <= 0.0)
    return std::log((1.0 + r2) / 2.0) / kLqgControl; // u = g at t = T (mu = 1)
  // Poisson(mean) weights of the noncentral chi-square, mean = |x|^2 / (4 s).
  double mean = r2 / (4.0 * s), spread = std::sqrt(mean);
  int64_t first = std::max<int64_t>(0, int64_t(mean - 12.0 * spread - 12.0));
  int64_t last = int64_t(mean + 12.0 * spread + 12.0);
  double expectation = 0.0;
  for (int64_t k = first; k <= last; ++k) {
    double logWeight = mean > 0.0 ? double(k) * std::log(mean) - mean - std::lgamma(k + 1.0)
                                  : (k == 0 ? 0.0 : -INFINITY);
    if (logWeight < -50.0)
      continue;
    expectation += std::exp(logWeight) * chiSquareExpectation(d + 2.0 * double(k), s);
  }
  return -std::log(expectation) / kLqgControl;
}

std::vector<double> stde::hjbLqgReferencePoint(int64_t dim) {
  std::vector<double> p(size_t(dim) + 1, 1.0);
  p.back() = 0.0;
  return p;
}
