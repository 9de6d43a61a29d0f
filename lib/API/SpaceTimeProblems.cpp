//===- SpaceTimeProblems.cpp - time-dependent benchmark problems ----------===//
//
// Semilinear heat (MATH.md section 5), terminal form on R^d x [0, T]:
//   u_t + Lap u + (1 - u^2) / (1 + u^2) = 0,  u(x, T) = g(x) = 5 / (10 + 2|x|^2),
//   T = 0.3; the quantity of interest is u(0, 0) (references for d = 10, 100,
//   1K, 10K in MATH.md). Ansatz u = g(x) + (T - t) MLP(x, t): the terminal
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
#include "ProblemText.h"

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

/// %name = the scalar coordinate `index` of %x.
void component(Writer &w, const char *name, int64_t index, int64_t dim) {
  w.os << "  %" << name << "_v = tensor.extract_slice %x[" << index << "] [1] [1] : " << w.vec(dim)
       << " to " << w.vec(1) << "\n"
       << "  %" << name << " = stde.sum %" << name << "_v : " << w.vec(1) << " -> " << w.t << "\n";
}

/// %sol_u = A sech^(2/p)(B (%x - c %t - x0)); t = "" means t = 0.
void writeSoliton(Writer &w, const char *x, const char *t) {
  Lines s{w, w.t};
  s.constant("sol_c", kGkdvSpeed);
  s.constant("sol_x0", kGkdvShift);
  s.constant("sol_b", gkdvRate());
  s.constant("sol_a", gkdvAmplitude());
  s.constant("sol_pow", -2.0 / kGkdvPower);
  s.constant("sol_half", 0.5);
  if (*t) {
    s.bin("sol_ct", "mulf", "sol_c", t);
    s.bin("sol_y", "subf", x, "sol_ct");
    s.bin("sol_y0", "subf", "sol_y", "sol_x0");
  } else {
    s.bin("sol_y0", "subf", x, "sol_x0");
  }
  s.bin("sol_z", "mulf", "sol_b", "sol_y0");
  s.un("sol_ep", "exp", "sol_z");
  w.os << "  %sol_nz = arith.negf %sol_z : " << w.t << "\n";
  s.un("sol_em", "exp", "sol_nz");
  s.bin("sol_sum", "addf", "sol_ep", "sol_em");
  s.bin("sol_cosh", "mulf", "sol_half", "sol_sum");
  // cosh^(-2/p) as exp(-(2/p) log cosh): jets go through exp and log.
  s.un("sol_lc", "log", "sol_cosh");
  s.bin("sol_e", "mulf", "sol_pow", "sol_lc");
  s.un("sol_sp", "exp", "sol_e");
  s.bin("sol_u", "mulf", "sol_a", "sol_sp");
}

std::string networkHead(Writer &w, const char *name, bool params, int64_t dim) {
  std::string head = "stde.network @" + std::string(name) + "(";
  if (params)
    head += "%theta: " + w.vec(numParams(w.o, dim)) + ", ";
  return head + "%x: " + w.vec(dim) + ") -> " + w.t + " attributes {space_time} {\n";
}

void writeHeatNetwork(Writer &w) {
  int64_t d = w.o.dim, dim = d + 1;
  Lines s{w, w.t};
  w.os << "// u = g(x) + (T - t) * MLP(x, t): " << w.o.depth << " dense layers, width "
       << w.o.width << ", " << w.o.activation << "; exact at t = T.\n"
       << networkHead(w, "u", true, dim);
  writeMLP(w, dim);
  w.os << "  %space = tensor.extract_slice %x[0] [" << d << "] [1] : " << w.vec(dim) << " to "
       << w.vec(d) << "\n"
       << "  %r2 = stde.sqnorm %space : " << w.vec(d) << " -> " << w.t << "\n";
  component(w, "t", d, dim);
  s.constant("two", 2.0);
  s.constant("ten", 10.0);
  s.constant("five", 5.0);
  s.constant("horizon", kHeatHorizon);
  s.bin("s", "mulf", "two", "r2");
  s.bin("den", "addf", "ten", "s");
  s.bin("g", "divf", "five", "den");
  s.bin("left", "subf", "horizon", "t");
  s.bin("v", "mulf", "left", "mlp");
  s.bin("u", "addf", "g", "v");
  w.os << "  stde.return %u : " << w.t << "\n}\n\n";
}

void writeHeatLoss(Writer &w) {
  const ProblemOptions &o = w.o;
  int64_t dim = o.dim + 1, n = o.points;
  std::string th = w.vec(numParams(o, dim)), pts = w.mat(n, dim), col = w.vec(n);
  std::string types = " : (" + th + ", " + pts + ") -> " + col;
  Lines s{w, col};
  w.os << "// The training loss on N = " << n
       << " points: u_t + Lap u + (1 - u^2)/(1 + u^2) = 0.\n"
       << "func.func @loss(%theta: " << th << ", %xs: " << pts << ") -> " << w.t << " {\n"
       << "  %ut = stde.time_derivative @u(%theta, %xs) order 1" << types << "\n"
       << "  %lap = stde.laplacian @u(%theta, %xs)" << types << "\n"
       << "  %u = stde.apply @u(%theta, %xs)" << types << "\n"
       << "  %one = arith.constant dense<1.0> : " << col << "\n";
  s.bin("u2", "mulf", "u", "u");
  s.bin("num", "subf", "one", "u2");
  s.bin("den", "addf", "one", "u2");
  s.bin("src", "divf", "num", "den");
  s.bin("r0", "addf", "ut", "lap");
  s.bin("r", "addf", "r0", "src");
  w.os << "  %L = stde.loss %r estimator(" << o.estimator << ") : " << col << " -> " << w.t << "\n"
       << "  return %L : " << w.t << "\n}\n";
}

void writeGkdvNetworks(Writer &w) {
  Lines s{w, w.t};
  w.os << "// u = u*(x, 0) + t * MLP(x, t): " << w.o.depth << " dense layers, width " << w.o.width
       << ", " << w.o.activation << "; exact at t = 0.\n"
       << networkHead(w, "u", true, 2);
  writeMLP(w, 2);
  component(w, "xc", 0, 2);
  component(w, "t", 1, 2);
  writeSoliton(w, "xc", "");
  s.bin("v", "mulf", "t", "mlp");
  s.bin("u", "addf", "sol_u", "v");
  w.os << "  stde.return %u : " << w.t << "\n}\n\n";

  w.os << "// u* = A sech^(2/p)(B (x - c t - x0)), p = " << kGkdvPower << ", c = " << kGkdvSpeed
       << ", x0 = " << kGkdvShift << ".\n"
       << networkHead(w, "u_exact", false, 2);
  component(w, "xc", 0, 2);
  component(w, "t", 1, 2);
  writeSoliton(w, "xc", "t");
  w.os << "  stde.return %sol_u : " << w.t << "\n}\n\n";
}

void writeGkdvLoss(Writer &w) {
  const ProblemOptions &o = w.o;
  int64_t n = o.points, m = gkdvBoundaryPoints(o);
  std::string th = w.vec(numParams(o, 2)), pts = w.mat(n, 2), col = w.vec(n);
  std::string bpts = w.mat(m, 2), bcol = w.vec(m);
  std::string at = "(%theta, %xs) : (" + th + ", " + pts + ") -> " + col;
  Lines s{w, col};
  w.os << "// The training loss: u_t + u^3 u_x + u_xxx = 0 on N = " << n
       << " points, u = u* on M = " << m << " points of x = -4 and x = 4.\n"
       << "func.func @loss(%theta: " << th << ", %xs: " << pts << ", %xb: " << bpts << ") -> "
       << w.t << " {\n"
       << "  %ut = stde.time_derivative @u(%theta, %xs) order 1 : (" << th << ", " << pts
       << ") -> " << col << "\n"
       << "  %uxxx = stde.diff @u(%theta, %xs) [1.0 * [0, 0, 0]] estimator(#stde.exact) : ("
       << th << ", " << pts << ") -> " << col << "\n"
       << "  %ux = stde.diff @u(%theta, %xs) [1.0 * [0]] estimator(#stde.exact) : (" << th << ", "
       << pts << ") -> " << col << "\n"
       << "  %u = stde.apply @u" << at << "\n";
  s.bin("u2", "mulf", "u", "u");
  s.bin("u3", "mulf", "u2", "u");
  s.bin("nl", "mulf", "u3", "ux");
  s.bin("r0", "addf", "ut", "uxxx");
  s.bin("r", "addf", "r0", "nl");
  w.os << "  %ub = stde.apply @u(%theta, %xb) : (" << th << ", " << bpts << ") -> " << bcol << "\n"
       << "  %ube = stde.apply @u_exact(%xb) : (" << bpts << ") -> " << bcol << "\n"
       << "  %rb = arith.subf %ub, %ube : " << bcol << "\n"
       << "  %L = stde.loss %r, %rb weights [1.0, 1.0] : " << col << ", " << bcol << " -> " << w.t
       << "\n"
       << "  return %L : " << w.t << "\n}\n";
}

} // namespace

double stde::semilinearHeatReference(int64_t dim) {
  // MATH.md section 5.
  switch (dim) {
  case 10: return 0.47006;
  case 100: return 0.31674;
  case 1000: return 0.28753;
  case 10000: return 0.28433;
  default: return 0.0;
  }
}

std::string stde::semilinearHeatModule(const ProblemOptions &o) {
  Writer w(o);
  double reference = semilinearHeatReference(o.dim);
  w.os << "// stde problem 'semilinear-heat', d = " << o.dim << " (generated by stde-train).\n"
       << "// u_t + Lap u + (1 - u^2)/(1 + u^2) = 0, u(x, T) = 5/(10 + 2|x|^2), T = 0.3; the\n"
       << "// error is |u(0, 0) - reference| / reference "
       << (reference ? "(MATH.md)" : "(no reference value for this d: loss only)") << ".\n"
       << "module attributes {stde.domain = \"brownian\", stde.horizon = "
       << mlirFloat(kHeatHorizon) << " : f64";
  if (reference)
    w.os << ", stde.reference = {value = " << mlirFloat(reference) << " : f64}";
  w.os << "} {\n\n";
  writeHeatNetwork(w);
  writeHeatLoss(w);
  w.os << "}\n";
  return w.os.str();
}

int64_t stde::gkdvBoundaryPoints(const ProblemOptions &o) {
  return std::max<int64_t>(2, o.points / 5);
}

std::string stde::gkdvModule(const ProblemOptions &o) {
  Writer w(o);
  w.os << "// stde problem 'gkdv' (generated by stde-train): u_t + u^3 u_x + u_xxx = 0 on\n"
       << "// [-4, 4] x [0, 1], soliton solution; third-order derivatives by exact jets.\n"
       << "module attributes {stde.domain = \"box\", stde.lower = array<f64: "
       << mlirFloat(-kGkdvHalfWidth) << ", 0.0>, stde.upper = array<f64: "
       << mlirFloat(kGkdvHalfWidth) << ", " << mlirFloat(kGkdvHorizon) << ">} {\n\n";
  writeGkdvNetworks(w);
  writeGkdvLoss(w);
  w.os << "}\n";
  return w.os.str();
}

double stde::gkdvExact(double x, double t) {
  double z = gkdvRate() * (x - kGkdvSpeed * t - kGkdvShift);
  return gkdvAmplitude() * std::pow(std::cosh(z), -2.0 / kGkdvPower);
}
