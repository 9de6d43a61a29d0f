//===- Problems.cpp - the benchmark PDE problems as IR --------------------===//
//
// Unit-ball problems of the STDE paper (MATH.md section 5) with exact
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
// test/Unit/ProblemsTest.cpp checks each source against the exact Laplacian
// (or biharmonic) of @u_exact computed by jets, and against these formulas.
//
//===----------------------------------------------------------------------===//
#include "stde/API/Problems.h"
#include "ProblemText.h"
#include "SpaceTimeProblems.h"

#include "runtime/Philox.h"

#include <cmath>
#include <cstdio>
#include <sstream>

using namespace stde;

namespace {

enum class Nonlinearity { none, allenCahn, sineGordon };
/// The solution family: unit-ball problems (two-body, three-body,
/// biharmonic) and the space-time ones (SpaceTimeProblems.cpp).
enum class Body { two, three, biharmonic, semilinearHeat, gkdv };

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
      {"gkdv", {Nonlinearity::none, Body::gkdv}},
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
  case Body::gkdv: return 0;
  }
  return 0;
}

void writeAnsatz(Writer &w, Body body) {
  const ProblemOptions &o = w.o;
  std::ostream &os = w.os;
  os << "// u = " << (body == Body::biharmonic ? "(1 - |x|^2)^2" : "(1 - |x|^2)") << " * MLP(x): "
     << o.depth << " dense layers, width " << o.width << ", " << o.activation << ".\n";
  os << "stde.network @u(%theta: " << w.vec(numParams(o, o.dim)) << ", %x: " << w.vec(o.dim)
     << ") -> " << w.t << " {\n";
  writeMLP(w, o.dim);
  os << "  %r2 = stde.sqnorm %x : " << w.vec(o.dim) << " -> " << w.t << "\n"
     << "  %one = arith.constant 1.0 : " << w.t << "\n"
     << "  %q = arith.subf %one, %r2 : " << w.t << "\n";
  if (body == Body::biharmonic)
    os << "  %q2 = arith.mulf %q, %q : " << w.t << "\n"
       << "  %u = arith.mulf %q2, %mlp : " << w.t << "\n";
  else
    os << "  %u = arith.mulf %q, %mlp : " << w.t << "\n";
  os << "  stde.return %u : " << w.t << "\n}\n\n";
}

void writeCoefficients(Writer &w, const std::vector<double> &c) {
  w.os << "  %c = arith.constant dense<[";
  for (size_t i = 0; i < c.size(); ++i)
    w.os << (i ? ", " : "") << mlirFloat(c[i]);
  w.os << "]> : " << w.vec(int64_t(c.size())) << "\n";
}

/// S, x . grad S and Lap S of the sum of c_i h_i as scalars %S, %XdS, %LS
/// (the two- and three-body terms).
void writeBodySums(Writer &w, Body body, const std::vector<double> &c) {
  int64_t m = int64_t(c.size()), d = w.o.dim;
  Lines v{w, w.vec(m)}, s{w, w.t};
  writeCoefficients(w, c);
  v.slice("a", 0, m, d);
  v.slice("b", 1, m, d);
  if (body == Body::two) {
    v.un("ca", "cos", "a"); v.un("sa", "sin", "a"); v.un("cb", "cos", "b"); v.un("sb", "sin", "b");
    v.bin("bca", "mulf", "b", "ca"); v.bin("acb", "addf", "a", "cb"); v.bin("g", "addf", "acb", "bca");
    v.un("sg", "sin", "g"); v.un("cg", "cos", "g");
    w.os << "  %ones = arith.constant dense<1.0> : " << w.vec(m) << "\n";
    v.bin("bsa", "mulf", "b", "sa"); v.bin("ga", "subf", "ones", "bsa");
    v.bin("gb", "subf", "ca", "sb");
    v.bin("csg", "mulf", "c", "sg"); v.sum("S", "csg");
    v.bin("aga", "mulf", "a", "ga"); v.bin("bgb", "mulf", "b", "gb");
    v.bin("xg", "addf", "aga", "bgb"); v.bin("ccg", "mulf", "c", "cg");
    v.bin("cxg", "mulf", "ccg", "xg"); v.sum("XdS", "cxg");
    // Lap h = -(sin g (g_a^2 + g_b^2) + cos g (b cos a + cos b))
    v.bin("ga2", "mulf", "ga", "ga"); v.bin("gb2", "mulf", "gb", "gb");
    v.bin("gsq", "addf", "ga2", "gb2"); v.bin("p1", "mulf", "sg", "gsq");
    v.bin("hh", "addf", "bca", "cb"); v.bin("p2", "mulf", "cg", "hh");
    v.bin("nl", "addf", "p1", "p2"); v.bin("cnl", "mulf", "c", "nl"); v.sum("NLS", "cnl");
    w.os << "  %zero = arith.constant 0.0 : " << w.t << "\n";
    s.bin("LS", "subf", "zero", "NLS");
  } else {
    v.slice("e", 2, m, d);
    v.bin("ab", "mulf", "a", "b"); v.bin("p", "mulf", "ab", "e"); v.un("h", "exp", "p");
    v.bin("ch", "mulf", "c", "h"); v.sum("S", "ch");
    v.bin("ph", "mulf", "p", "ch"); v.sum("PS", "ph");
    w.os << "  %three = arith.constant 3.0 : " << w.t << "\n";
    s.bin("XdS", "mulf", "three", "PS");
    v.bin("be", "mulf", "b", "e"); v.bin("ae", "mulf", "a", "e");
    v.bin("be2", "mulf", "be", "be"); v.bin("ae2", "mulf", "ae", "ae"); v.bin("ab2", "mulf", "ab", "ab");
    v.bin("s1", "addf", "be2", "ae2"); v.bin("s2", "addf", "s1", "ab2");
    v.bin("chs", "mulf", "ch", "s2"); v.sum("LS", "chs");
  }
  w.os << "  %r2 = stde.sqnorm %x : " << w.vec(d) << " -> " << w.t << "\n"
       << "  %one = arith.constant 1.0 : " << w.t << "\n";
  s.bin("q", "subf", "one", "r2");
}

void writeExactAndSource(Writer &w, Kind kind, const std::vector<double> &c) {
  int64_t d = w.o.dim;
  Lines s{w, w.t};
  std::ostream &os = w.os;
  std::string head = "(%x: " + w.vec(d) + ") -> " + w.t + " {\n";
  if (kind.body == Body::biharmonic) {
    os << "// u* = (1 - |x|^2)^2 sum_i c_i x_i.\nstde.network @u_exact" << head;
    writeCoefficients(w, c);
    Lines v{w, w.vec(d)};
    v.bin("cx", "mulf", "c", "x"); v.sum("L", "cx");
    os << "  %r2 = stde.sqnorm %x : " << w.vec(d) << " -> " << w.t << "\n"
       << "  %one = arith.constant 1.0 : " << w.t << "\n";
    s.bin("q", "subf", "one", "r2"); s.bin("q2", "mulf", "q", "q"); s.bin("u", "mulf", "q2", "L");
    os << "  stde.return %u : " << w.t << "\n}\n\n";
    os << "// f = Lap^2 u* = 8 (d+2)(d+4) sum_i c_i x_i.\nstde.network @source" << head;
    writeCoefficients(w, c);
    v.bin("cx", "mulf", "c", "x"); v.sum("L", "cx");
    os << "  %k = arith.constant " << mlirFloat(8.0 * double(d + 2) * double(d + 4)) << " : " << w.t
       << "\n";
    s.bin("f", "mulf", "k", "L");
    os << "  stde.return %f : " << w.t << "\n}\n\n";
    return;
  }
  os << "// u* = (1 - |x|^2) sum_i c_i "
     << (kind.body == Body::two ? "sin(x_i + cos x_(i+1) + x_(i+1) cos x_i)"
                                : "exp(x_i x_(i+1) x_(i+2))")
     << ".\nstde.network @u_exact" << head;
  writeBodySums(w, kind.body, c);
  s.bin("u", "mulf", "q", "S");
  os << "  stde.return %u : " << w.t << "\n}\n\n";

  os << "// f = Lap u* + N(u*), Lap u* = -2 d S - 4 x.grad S + (1 - |x|^2) Lap S.\n"
     << "stde.network @source" << head;
  writeBodySums(w, kind.body, c);
  s.bin("u", "mulf", "q", "S");
  os << "  %m2d = arith.constant " << mlirFloat(-2.0 * double(d)) << " : " << w.t << "\n"
     << "  %m4 = arith.constant -4.0 : " << w.t << "\n";
  s.bin("l1", "mulf", "m2d", "S"); s.bin("l2", "mulf", "m4", "XdS"); s.bin("l3", "mulf", "q", "LS");
  s.bin("l12", "addf", "l1", "l2"); s.bin("lap", "addf", "l12", "l3");
  switch (kind.nonlinearity) {
  case Nonlinearity::none: os << "  stde.return %lap : " << w.t << "\n}\n\n"; return;
  case Nonlinearity::allenCahn:
    s.bin("u2", "mulf", "u", "u"); s.bin("u3", "mulf", "u2", "u");
    s.bin("n1", "addf", "lap", "u"); s.bin("f", "subf", "n1", "u3");
    break;
  case Nonlinearity::sineGordon:
    s.un("su", "sin", "u"); s.bin("f", "addf", "lap", "su");
    break;
  }
  os << "  stde.return %f : " << w.t << "\n}\n\n";
}

void writeLoss(Writer &w, Kind kind) {
  const ProblemOptions &o = w.o;
  int64_t p = numParams(o, o.dim), n = o.points;
  std::string pts = w.mat(n, o.dim), col = w.vec(n), th = w.vec(p);
  std::ostream &os = w.os;
  Lines s{w, col};
  const char *pde = kind.body == Body::biharmonic ? "Lap^2 u = f"
                    : kind.nonlinearity == Nonlinearity::none      ? "Lap u = f"
                    : kind.nonlinearity == Nonlinearity::allenCahn ? "Lap u + u - u^3 = f"
                                                                   : "Lap u + sin(u) = f";
  os << "// The training loss on N = " << n << " residual points: " << pde << ".\n"
     << "func.func @loss(%theta: " << th << ", %xs: " << pts << ") -> " << w.t << " {\n";
  if (kind.body == Body::biharmonic)
    os << "  %op = stde.biharmonic @u(%theta, %xs) : (" << th << ", " << pts << ") -> " << col
       << "\n";
  else
    os << "  %op = stde.laplacian @u(%theta, %xs) : (" << th << ", " << pts << ") -> " << col
       << "\n";
  os << "  %f = stde.apply @source(%xs) : (" << pts << ") -> " << col << "\n";
  switch (kind.nonlinearity) {
  case Nonlinearity::none: s.bin("r", "subf", "op", "f"); break;
  case Nonlinearity::allenCahn:
    os << "  %u = stde.apply @u(%theta, %xs) : (" << th << ", " << pts << ") -> " << col << "\n";
    s.bin("u2", "mulf", "u", "u"); s.bin("u3", "mulf", "u2", "u");
    s.bin("l1", "addf", "op", "u"); s.bin("l2", "subf", "l1", "u3"); s.bin("r", "subf", "l2", "f");
    break;
  case Nonlinearity::sineGordon:
    os << "  %u = stde.apply @u(%theta, %xs) : (" << th << ", " << pts << ") -> " << col << "\n";
    s.un("su", "sin", "u"); s.bin("l1", "addf", "op", "su"); s.bin("r", "subf", "l1", "f");
    break;
  }
  os << "  %L = stde.loss %r estimator(" << o.estimator << ") : " << col << " -> " << w.t << "\n"
     << "  return %L : " << w.t << "\n}\n";
}

Status checkOptions(const ProblemOptions &o, Kind &kind) {
  if (!parseName(o.name, kind)) {
    std::string names;
    for (const ProblemInfo &info : problemCatalog())
      names += "\n  " + info.name;
    return Status::error("unknown problem '" + o.name + "'; the built-in problems are:" + names);
  }
  if (kind.body == Body::gkdv && o.dim != 1)
    return Status::error("problem 'gkdv' has one space dimension: use --dim 1 (or leave --dim "
                         "out), got " + std::to_string(o.dim));
  int64_t minDim = kind.body == Body::three ? 3 : kind.body == Body::two ? 2 : 1;
  if (o.dim < minDim)
    return Status::error("problem '" + o.name + "' needs --dim >= " + std::to_string(minDim) +
                         ", got " + std::to_string(o.dim));
  if (o.width < 1 || o.depth < 1 || o.points < 1)
    return Status::error("width, depth and points must be positive");
  static const char *activations[] = {"tanh", "sin", "cos", "exp", "sigmoid", "softplus",
                                      "identity"};
  for (const char *a : activations)
    if (o.activation == a)
      return Status::success();
  return Status::error("unknown activation '" + o.activation +
                       "'; use tanh, sin, cos, exp, sigmoid, softplus or identity");
}

} // namespace

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
      {"gkdv", "u_t + u^3 u_x + u_xxx = 0, soliton on [-4,4] x [0,1] (d = 1, exact jets)", "box",
       1, false},
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

Expected<std::string> stde::problemModule(const ProblemOptions &o) {
  Kind kind{};
  Status valid = checkOptions(o, kind);
  if (!valid)
    return valid;
  if (kind.body == Body::semilinearHeat)
    return semilinearHeatModule(o);
  if (kind.body == Body::gkdv)
    return gkdvModule(o);
  std::vector<double> c = problemCoefficients(o);
  Writer w(o);
  w.os << "// stde problem '" << o.name << "', d = " << o.dim << " (generated by stde-train).\n"
       << "module attributes {stde.domain = \"unit_ball\"} {\n\n";
  writeAnsatz(w, kind.body);
  writeExactAndSource(w, kind, c);
  writeLoss(w, kind);
  w.os << "}\n";
  return w.os.str();
}

Expected<ExactValues> stde::exactValues(const ProblemOptions &o, const std::vector<double> &x) {
  Kind kind{};
  Status valid = checkOptions(o, kind);
  if (!valid)
    return valid;
  if (kind.body == Body::semilinearHeat)
    return Status::error("'semilinear-heat' has no closed-form solution: its error is measured "
                         "at u(0, 0) against the reference values of MATH.md");
  if (kind.body == Body::gkdv) {
    if (x.size() != 2)
      return Status::error("'gkdv' points are (x, t): 2 coordinates, got " +
                           std::to_string(x.size()));
    return ExactValues{gkdvExact(x[0], x[1]), 0.0};
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
