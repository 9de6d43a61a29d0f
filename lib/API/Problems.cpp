//===- Problems.cpp - the benchmark PDE problems as IR --------------------===//
//
// Unit-ball problems of the STDE paper (docs/MATH.md section 5) with exact
// solutions, and a biharmonic problem. Source terms are derived here, not
// copied (the published three-body Laplacian is wrong):
//
//   u* = q S with q = 1 - |x|^2, S = sum_i c_i h_i(x); then
//   Lap u* = -2 d S - 4 x . grad S + q Lap S.
//
// Two-body, h = sin g, g = a + cos b + b cos a (a = x_i, b = x_{i+1}):
//   g_a = 1 - b sin a, g_b = cos a - sin b, g_aa = -b cos a, g_bb = -cos b,
//   x . grad h = cos g (a g_a + b g_b),
//   Lap h = -sin g (g_a^2 + g_b^2) + cos g (g_aa + g_bb).
// Three-body, h = exp p, p = a b e (a, b, e = x_i, x_{i+1}, x_{i+2}):
//   x . grad h = 3 p h,  Lap h = h ((b e)^2 + (a e)^2 + (a b)^2).
// Biharmonic, u* = q^2 L with L = sum_i c_i x_i (ansatz q^2 MLP: u and its
// normal derivative vanish on the sphere):
//   Lap(q^2 L) = L (-(4d + 8) + (4d + 16)|x|^2),  Lap^2 u* = 8 (d+2)(d+4) L.
// test/Unit/TrainingTest.cpp (Problems.SourcesMatchFiniteDifferencesOfThe-
// ExactSolutions) checks each source against f64 finite differences of the
// exact solution.
//
//===----------------------------------------------------------------------===//
#include "stde/API/Problems.h"
#include "ProblemLibrary.h"
#include "ControlProblems.h"
#include "EvolutionProblems.h"
#include "ParabolicProblems.h"
#include "SpaceTimeProblems.h"

#include "stde/API/ProblemBuilder.h"

#include "runtime/Philox.h"

#include <cmath>
#include <cstdio>
#include <sstream>

using namespace stde;

namespace {

enum class Nonlinearity { none, allenCahn, sineGordon };
/// The solution family: unit-ball problems (two-body, three-body,
/// biharmonic) and the space-time ones (SpaceTimeProblems.cpp,
/// ControlProblems.cpp).
enum class Body {
  two, three, biharmonic, semilinearHeat, allenCahnTime, sineGordonTime, gkdv, hjbLin, hjbLqg,
  bsb, wave, kdv2d, kp
};

/// The network reads (x, t): d + 1 inputs (d = 1 for gkdv).
bool isSpaceTime(Body body) {
  return body == Body::semilinearHeat || body == Body::allenCahnTime ||
         body == Body::sineGordonTime || body == Body::gkdv || body == Body::hjbLin ||
         body == Body::hjbLqg || body == Body::bsb || body == Body::wave ||
         body == Body::kdv2d || body == Body::kp;
}

struct Kind {
  Nonlinearity nonlinearity;
  Body body;
};

bool parseName(const std::string &name, Kind &kind) {
  static const struct {
    const char *name;
    Kind kind;
  } table[] = {
      {"poisson-two-body", {Nonlinearity::none, Body::two}},
      {"allen-cahn-two-body", {Nonlinearity::allenCahn, Body::two}},
      {"sine-gordon-two-body", {Nonlinearity::sineGordon, Body::two}},
      {"poisson-three-body", {Nonlinearity::none, Body::three}},
      {"allen-cahn-three-body", {Nonlinearity::allenCahn, Body::three}},
      {"sine-gordon-three-body", {Nonlinearity::sineGordon, Body::three}},
      {"biharmonic", {Nonlinearity::none, Body::biharmonic}},
      {"semilinear-heat", {Nonlinearity::none, Body::semilinearHeat}},
      {"allen-cahn-time", {Nonlinearity::allenCahn, Body::allenCahnTime}},
      {"sine-gordon-time", {Nonlinearity::sineGordon, Body::sineGordonTime}},
      {"gkdv", {Nonlinearity::none, Body::gkdv}},
      {"hjb-lin", {Nonlinearity::none, Body::hjbLin}},
      {"hjb-lqg", {Nonlinearity::none, Body::hjbLqg}},
      {"bsb", {Nonlinearity::none, Body::bsb}},
      {"wave", {Nonlinearity::none, Body::wave}},
      {"kdv-2d", {Nonlinearity::none, Body::kdv2d}},
      {"kp", {Nonlinearity::none, Body::kp}},
  };
  for (const auto &entry : table)
    if (name == entry.name) {
      kind = entry.kind;
      return true;
    }
  return false;
}

int64_t numCoefficients(Body body, int64_t dim) {
  switch (body) {
  case Body::two: return dim - 1;
  case Body::three: return dim - 2;
  case Body::biharmonic: return dim;
  case Body::semilinearHeat:
  case Body::allenCahnTime:
  case Body::sineGordonTime:
  case Body::gkdv:
  case Body::hjbLin:
  case Body::hjbLqg:
  case Body::bsb:
  case Body::wave:
  case Body::kdv2d:
  case Body::kp: return 0;
  }
  return 0;
}

/// The sums of the exact solution as scalars: S = sum_i c_i h_i, X = x . grad S
/// and L = Lap S, with q = 1 - |x|^2 (two- and three-body terms).
struct BodySums {
  Expr S, XdS, LS, q;
};

BodySums bodySums(FieldBuilder &fb, Expr x, Body body, const ProblemOptions &o) {
  int64_t m = numCoefficients(body, o.dim);
  // Drawn by the compiled code (the same numbers as problemCoefficients), so
  // the module's size does not grow with d.
  Expr c = fb.gaussians(m, o.coefficientSeed, runtime::streams::coefficients);
  Expr a = fb.slice(x, 0, m), b = fb.slice(x, 1, m);
  BodySums r;
  if (body == Body::two) {
    Expr ca = fb.cos(a), sa = fb.sin(a), cb = fb.cos(b), sb = fb.sin(b);
    Expr bca = fb.mul(b, ca), acb = fb.add(a, cb), g = fb.add(acb, bca);
    Expr sg = fb.sin(g), cg = fb.cos(g);
    Expr ones = fb.constant(1.0);
    Expr bsa = fb.mul(b, sa), ga = fb.sub(ones, bsa);
    Expr gb = fb.sub(ca, sb);
    r.S = fb.sum(fb.mul(c, sg));
    Expr aga = fb.mul(a, ga), bgb = fb.mul(b, gb);
    Expr xg = fb.add(aga, bgb), ccg = fb.mul(c, cg);
    r.XdS = fb.sum(fb.mul(ccg, xg));
    // Lap h = -(sin g (g_a^2 + g_b^2) + cos g (b cos a + cos b))
    Expr ga2 = fb.mul(ga, ga), gb2 = fb.mul(gb, gb);
    Expr gsq = fb.add(ga2, gb2), p1 = fb.mul(sg, gsq);
    Expr hh = fb.add(bca, cb), p2 = fb.mul(cg, hh);
    Expr nl = fb.add(p1, p2), NLS = fb.sum(fb.mul(c, nl));
    Expr zero = fb.constant(0.0);
    r.LS = fb.sub(zero, NLS);
  } else {
    Expr e = fb.slice(x, 2, m);
    Expr ab = fb.mul(a, b), p = fb.mul(ab, e), h = fb.exp(p);
    Expr ch = fb.mul(c, h);
    r.S = fb.sum(ch);
    Expr PS = fb.sum(fb.mul(p, ch));
    Expr three = fb.constant(3.0);
    r.XdS = fb.mul(three, PS);
    Expr be = fb.mul(b, e), ae = fb.mul(a, e);
    Expr be2 = fb.mul(be, be), ae2 = fb.mul(ae, ae), ab2 = fb.mul(ab, ab);
    Expr s1 = fb.add(be2, ae2), s2 = fb.add(s1, ab2);
    r.LS = fb.sum(fb.mul(ch, s2));
  }
  Expr r2 = fb.sqnorm(x);
  Expr one = fb.constant(1.0);
  r.q = fb.sub(one, r2);
  return r;
}

/// u = (1 - |x|^2) MLP(x), or (1 - |x|^2)^2 MLP(x) for the biharmonic problem.
Expected<Field> ansatz(const ProblemOptions &o, Body body) {
  FieldBuilder fb(o.dim, o.dtype);
  Expr x = fb.input();
  Expr net = problemMLP(fb, x, o);
  Expr r2 = fb.sqnorm(x);
  Expr one = fb.constant(1.0);
  Expr q = fb.sub(one, r2);
  if (body == Body::biharmonic)
    return fb.build(fb.mul(fb.mul(q, q), net));
  return fb.build(fb.mul(q, net));
}

/// c . x with the problem's coefficients (biharmonic).
Expr linearPart(FieldBuilder &fb, Expr x, const ProblemOptions &o) {
  Expr c = fb.gaussians(o.dim, o.coefficientSeed, runtime::streams::coefficients);
  return fb.sum(fb.mul(c, x));
}

Expected<Field> exactSolution(const ProblemOptions &o, Body body) {
  FieldBuilder fb(o.dim, o.dtype);
  Expr x = fb.input();
  if (body == Body::biharmonic) {
    Expr L = linearPart(fb, x, o);
    Expr r2 = fb.sqnorm(x);
    Expr one = fb.constant(1.0);
    Expr q = fb.sub(one, r2);
    return fb.build(fb.mul(fb.mul(q, q), L));
  }
  BodySums s = bodySums(fb, x, body, o);
  return fb.build(fb.mul(s.q, s.S));
}

/// f = Lap u* + N(u*) (Lap^2 u* for the biharmonic problem).
Expected<Field> sourceTerm(const ProblemOptions &o, Kind kind) {
  double d = double(o.dim);
  FieldBuilder fb(o.dim, o.dtype);
  Expr x = fb.input();
  if (kind.body == Body::biharmonic) {
    Expr L = linearPart(fb, x, o);
    Expr k = fb.constant(8.0 * (d + 2) * (d + 4));
    return fb.build(fb.mul(k, L));
  }
  BodySums s = bodySums(fb, x, kind.body, o);
  Expr u = fb.mul(s.q, s.S);
  Expr m2d = fb.constant(-2.0 * d), m4 = fb.constant(-4.0);
  Expr l1 = fb.mul(m2d, s.S), l2 = fb.mul(m4, s.XdS), l3 = fb.mul(s.q, s.LS);
  Expr lap = fb.add(fb.add(l1, l2), l3);
  switch (kind.nonlinearity) {
  case Nonlinearity::none: return fb.build(lap);
  case Nonlinearity::allenCahn: {
    Expr u3 = fb.mul(fb.mul(u, u), u);
    return fb.build(fb.sub(fb.add(lap, u), u3));
  }
  case Nonlinearity::sineGordon: return fb.build(fb.add(lap, fb.sin(u)));
  }
  return fb.build(lap);
}

/// The unit-ball problems: Lap u + N(u) = f (Lap^2 u = f), u* for the error.
Expected<ProblemBuilder> unitBallProblem(const ProblemOptions &o, Kind kind) {
  Expected<Field> u = ansatz(o, kind.body), exact = exactSolution(o, kind.body),
                  source = sourceTerm(o, kind);
  for (const Expected<Field> *f : {&u, &exact, &source})
    if (!*f)
      return Status::error("internal: " + f->error());
  const char *pde = kind.body == Body::biharmonic                  ? "Lap^2 u = f"
                    : kind.nonlinearity == Nonlinearity::none      ? "Lap u = f"
                    : kind.nonlinearity == Nonlinearity::allenCahn ? "Lap u + u - u^3 = f"
                                                                   : "Lap u + sin(u) = f";
  ProblemBuilder pb(*u, o.points);
  pb.describe("stde problem '" + o.name + "', d = " + std::to_string(o.dim) + ": " + pde +
              " on the unit ball, N = " + std::to_string(o.points) + " points per step.")
      .field("u_exact", *exact)
      .field("source", *source)
      .unitBall();
  Column op = kind.body == Body::biharmonic ? pb.biharmonic() : pb.laplacian();
  Column f = pb.apply("source");
  Column r;
  switch (kind.nonlinearity) {
  case Nonlinearity::none: r = pb.sub(op, f); break;
  case Nonlinearity::allenCahn: {
    Column uv = pb.u();
    Column u3 = pb.mul(pb.mul(uv, uv), uv);
    r = pb.sub(pb.sub(pb.add(op, uv), u3), f);
    break;
  }
  case Nonlinearity::sineGordon: {
    Column uv = pb.u();
    r = pb.sub(pb.add(op, pb.sin(uv)), f);
    break;
  }
  }
  pb.loss({r}, {}, o.estimator);
  return pb;
}

/// `drawLimits`: also the limits of the random streams (off for sizes
/// alone, so a memory estimate can speak first).
Status checkOptions(const ProblemOptions &o, Kind &kind, bool drawLimits = true) {
  if (!parseName(o.name, kind)) {
    std::string names;
    for (const ProblemInfo &info : problemCatalog())
      names += "\n  " + info.name;
    return Status::error("unknown problem '" + o.name + "'; the built-in problems are:" + names);
  }
  if (kind.body == Body::gkdv && o.dim != 1)
    return Status::error("problem 'gkdv' has one space dimension: use --dim 1 (or leave --dim "
                         "out), got " + std::to_string(o.dim));
  if ((kind.body == Body::kdv2d || kind.body == Body::kp) && o.dim != 2)
    return Status::error("problem '" + o.name + "' has two space dimensions: use --dim 2 (or "
                         "leave --dim out), got " + std::to_string(o.dim));
  int64_t minDim = kind.body == Body::three ? 3 : kind.body == Body::two ? 2 : 1;
  if (o.dim < minDim)
    return Status::error("problem '" + o.name + "' needs --dim >= " + std::to_string(minDim) +
                         ", got " + std::to_string(o.dim));
  if (o.width < 1 || o.depth < 1 || o.points < 1)
    return Status::error("width, depth and points must be positive");
  if (!std::isfinite(o.gradientWeight) || o.gradientWeight < 0)
    return Status::error("the gradient weight (gPINN) must be finite and >= 0, got " +
                         std::to_string(o.gradientWeight));
  if (o.gradientSamples < 0)
    return Status::error("the gradient samples (gPINN) must be >= 0 (0: every coordinate), got " +
                         std::to_string(o.gradientSamples));
  if (o.gradientTime && (o.gradientWeight == 0 || !isSpaceTime(kind.body)))
    return Status::error(o.gradientWeight == 0
                             ? "the gradient term along t (--gradient-time) needs a gradient "
                               "weight (--gradient-weight W > 0)"
                             : "problem '" + o.name + "' has no time coordinate: drop "
                               "--gradient-time");
  if (!std::isfinite(o.timeScale) || o.timeScale <= 0)
    return Status::error("the time scale must be finite and > 0, got " +
                         std::to_string(o.timeScale));
  if (o.timeScale != 1.0 && !isSpaceTime(kind.body))
    return Status::error("problem '" + o.name + "' has no time coordinate: drop --time-scale");
  if (o.shareBlock != 0) {
    // The network reads (x, t) for the space-time problems.
    int64_t inputs = isSpaceTime(kind.body) ? o.dim + 1 : o.dim;
    if (o.shareBlock < 0 || inputs % o.shareBlock != 0)
      return Status::error("--share-block " + std::to_string(o.shareBlock) +
                           " must divide the network's " + std::to_string(inputs) +
                           " inputs (blocks of that many coordinates share the first layer's "
                           "weights)");
  }
  // Each step draws every coordinate of its points from one random stream of
  // 2^32 numbers (the compiler refuses more, but only after building the
  // module, whose size grows with d): refused here, at once.
  if (!drawLimits)
    return o.estimator.check();
  constexpr double kStreamLength = 4294967296.0;
  double coordinates = isSpaceTime(kind.body) ? double(o.dim) + 1.0 : double(o.dim);
  if (coordinates > kStreamLength)
    return Status::error("--dim " + std::to_string(o.dim) + " is more coordinates than one "
                         "random stream holds (2^32): use a smaller --dim");
  if (double(o.points) * coordinates > kStreamLength) {
    std::ostringstream os;
    os << o.points << " residual points of " << int64_t(coordinates) << " coordinates are "
       << double(o.points) * coordinates
       << " random numbers per step, more than one random stream holds (2^32): use at most "
       << int64_t(kStreamLength / coordinates) << " residual points per step";
    return Status::error(os.str());
  }
  return o.estimator.check();
}

} // namespace

bool stde::problemHasTime(const std::string &name) {
  Kind kind{};
  return parseName(name, kind) && isSpaceTime(kind.body);
}

const std::vector<ProblemInfo> &stde::problemCatalog() {
  static const std::vector<ProblemInfo> catalog = {
      {"poisson-two-body", "Lap u = f, two-body exact solution, unit ball"},
      {"allen-cahn-two-body", "Lap u + u - u^3 = f, two-body exact solution, unit ball"},
      {"sine-gordon-two-body", "Lap u + sin u = f, two-body exact solution, unit ball"},
      {"poisson-three-body", "Lap u = f, three-body exact solution, unit ball"},
      {"allen-cahn-three-body", "Lap u + u - u^3 = f, three-body exact solution, unit ball"},
      {"sine-gordon-three-body", "Lap u + sin u = f, three-body exact solution, unit ball"},
      {"biharmonic", "Lap^2 u = f, u* = (1-|x|^2)^2 c.x, clamped on the unit sphere"},
      {"semilinear-heat", "u_t + Lap u + (1-u^2)/(1+u^2) = 0, u(x,0.3) = 5/(10+2|x|^2); error "
                          "at u(0,0) (d = 10, 100, 1K, 10K)", "brownian", 0, true},
      {"allen-cahn-time", "u_t + Lap u + u - u^3 = 0, u(x,0.3) = arctan(max_i x_i); error at "
                          "u(0,0) (d = 10, 100, 1K, 10K)", "brownian", 0, true},
      {"sine-gordon-time", "u_t + Lap u + d sin(u/d) = 0, u(x,0.3) = 5d/(10+2|x|^2); error at "
                           "u(0,0) (d = 10, 100, 1K, 10K)", "brownian", 0, true},
      {"gkdv", "u_t + u^3 u_x + u_xxx = 0, soliton on [-4,4] x [0,1] (d = 1, exact jets)", "box",
       1, false},
      {"hjb-lin", "u_t + Lap u - (1/d) sum_i |u_i|^1.75 = -2, u(x,1) = sum_i x_i; exact "
                  "sum_i x_i + 1 - t", "gaussian", 0, true},
      {"hjb-lqg", "u_t + Lap u - |grad u|^2 = 0, u(x,1) = ln((1+|x|^2)/2); error at "
                  "x = (1,...,1), t = 0 (Cole-Hopf)", "gaussian", 0, true},
      {"bsb", "Black-Scholes-Barenblatt u_t + (1/2) sum 0.16 x_i^2 u_ii - 0.05 (u - x.grad u) = "
              "0; exact exp(0.21(1-t))|x|^2", "gaussian", 0, true},
      {"wave", "u_tt = Lap u on [-1,1]^d x [0,1], exact cosh(t) sum_i sinh(x_i)", "box", 0,
       true},
      {"kdv-2d", "u_ty + u_xxxy + 3(u_xy u_x + u_y u_xx) - u_xx + 2u_yy = 0, travelling kink "
                 "(d = 2, exact jets)", "box", 2, false},
      {"kp", "Kadomtsev-Petviashvili u_tx + 6(u_x^2 + u u_xx) + u_xxxx + 3u_yy = 0, line "
             "soliton (d = 2, exact jets)", "box", 2, false},
  };
  return catalog;
}

std::vector<double> stde::problemCoefficients(const ProblemOptions &o) {
  Kind kind{};
  if (!parseName(o.name, kind))
    return {};
  int64_t m = numCoefficients(kind.body, o.dim);
  std::vector<double> c(m > 0 ? m : 0);
  for (int64_t i = 0; i < m; ++i)
    c[i] = runtime::gaussianAt(o.coefficientSeed, runtime::streams::coefficients, 0, uint32_t(i));
  return c;
}

Status stde::problemOptionsValid(const ProblemOptions &o, bool drawLimits) {
  Kind kind{};
  return checkOptions(o, kind, drawLimits);
}

namespace {
Expected<ProblemBuilder> builderOf(const ProblemOptions &o, Kind kind) {
  if (kind.body == Body::semilinearHeat)
    return semilinearHeatProblem(o);
  if (kind.body == Body::allenCahnTime)
    return allenCahnTimeProblem(o);
  if (kind.body == Body::sineGordonTime)
    return sineGordonTimeProblem(o);
  if (kind.body == Body::gkdv)
    return gkdvProblem(o);
  if (kind.body == Body::hjbLin)
    return hjbLinProblem(o);
  if (kind.body == Body::hjbLqg)
    return hjbLqgProblem(o);
  if (kind.body == Body::bsb)
    return bsbProblem(o);
  if (kind.body == Body::wave)
    return waveProblem(o);
  if (kind.body == Body::kdv2d)
    return kdv2dProblem(o);
  if (kind.body == Body::kp)
    return kpProblem(o);
  return unitBallProblem(o, kind);
}
} // namespace

Expected<ProblemBuilder> stde::problemBuilder(const ProblemOptions &o) {
  Kind kind{};
  Status valid = checkOptions(o, kind);
  if (!valid)
    return valid;
  Expected<ProblemBuilder> problem = builderOf(o, kind);
  if (problem && o.unbiasedLoss)
    problem->unbiasedLoss();
  if (!problem || o.gradientWeight == 0)
    return problem;
  // gPINN: the gradient of the PDE residual (the first), not of the
  // boundary or terminal conditions.
  std::vector<double> weights(problem->residuals().size(), 0.0);
  weights[0] = o.gradientWeight;
  problem->gradientEnhanced(weights, o.gradientSamples, o.gradientTime);
  return problem;
}

Expected<std::string> stde::problemModule(const ProblemOptions &o) {
  Expected<ProblemBuilder> problem = problemBuilder(o);
  if (!problem)
    return Status::error(problem.error());
  return problem->build();
}

Expected<ExactValues> stde::exactValues(const ProblemOptions &o, const std::vector<double> &x) {
  Kind kind{};
  Status valid = checkOptions(o, kind);
  if (!valid)
    return valid;
  if (kind.body == Body::semilinearHeat || kind.body == Body::allenCahnTime ||
      kind.body == Body::sineGordonTime)
    return Status::error("'" + o.name + "' has no closed-form solution: its error is measured "
                         "at u(0, 0) against the reference values of docs/MATH.md");
  if (kind.body == Body::gkdv) {
    if (x.size() != 2)
      return Status::error("'gkdv' points are (x, t): 2 coordinates, got " +
                           std::to_string(x.size()));
    return ExactValues{gkdvExact(x[0], x[1]), 0.0};
  }
  if (isSpaceTime(kind.body)) {
    if (int64_t(x.size()) != o.dim + 1)
      return Status::error("'" + o.name + "' points are (x, t): " + std::to_string(o.dim + 1) +
                           " coordinates, got " + std::to_string(x.size()));
    switch (kind.body) {
    case Body::hjbLin: return ExactValues{hjbLinExact(x), 0.0};
    case Body::hjbLqg: return ExactValues{hjbLqgExact(x), 0.0};
    case Body::bsb: return ExactValues{bsbExact(x), 0.0};
    case Body::wave: return ExactValues{waveExact(x), 0.0};
    case Body::kdv2d: return ExactValues{kdv2dExact(x), 0.0};
    case Body::kp: return ExactValues{kpExact(x), 0.0};
    default: break;
    }
  }
  if (int64_t(x.size()) != o.dim)
    return Status::error("the point has " + std::to_string(x.size()) + " coordinates, the "
                         "problem " + std::to_string(o.dim));
  std::vector<double> c = problemCoefficients(o);
  double d = double(o.dim), r2 = 0.0;
  for (double xi : x)
    r2 += xi * xi;
  double q = 1.0 - r2;
  if (kind.body == Body::biharmonic) {
    double l = 0.0;
    for (int64_t i = 0; i < o.dim; ++i)
      l += c[i] * x[i];
    return ExactValues{q * q * l, 8.0 * (d + 2.0) * (d + 4.0) * l};
  }
  double s = 0.0, xds = 0.0, ls = 0.0;
  for (size_t i = 0; i < c.size(); ++i) {
    double a = x[i], b = x[i + 1];
    if (kind.body == Body::two) {
      double g = a + std::cos(b) + b * std::cos(a);
      double ga = 1.0 - b * std::sin(a), gb = std::cos(a) - std::sin(b);
      double gaa = -b * std::cos(a), gbb = -std::cos(b);
      s += c[i] * std::sin(g);
      xds += c[i] * std::cos(g) * (a * ga + b * gb);
      ls += c[i] * (-std::sin(g) * (ga * ga + gb * gb) + std::cos(g) * (gaa + gbb));
    } else {
      double e = x[i + 2], p = a * b * e, h = std::exp(p);
      s += c[i] * h;
      xds += c[i] * 3.0 * p * h;
      ls += c[i] * h * (b * e * b * e + a * e * a * e + a * b * a * b);
    }
  }
  double u = q * s, lap = -2.0 * d * s - 4.0 * xds + q * ls;
  switch (kind.nonlinearity) {
  case Nonlinearity::none: return ExactValues{u, lap};
  case Nonlinearity::allenCahn: return ExactValues{u, lap + u - u * u * u};
  case Nonlinearity::sineGordon: return ExactValues{u, lap + std::sin(u)};
  }
  return ExactValues{u, lap};
}
