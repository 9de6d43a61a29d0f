//===- ParabolicProblems.cpp - Allen-Cahn and Sine-Gordon in time ---------===//
//
// The semilinear parabolic problems of the STDE paper (its appendix I.2,
// with the semilinear heat equation of SpaceTimeProblems.cpp), in terminal
// form on R^d x [0, T], T = 0.3, evaluated at u(0, 0) against reference
// values (docs/MATH.md section 5, checked by a radial finite-difference
// solve in test/Unit/ParabolicReferenceTest.cpp where the data is radial):
//
//   Allen-Cahn:  u_t + Lap u + u - u^3 = 0,    u(x, T) = arctan(max_i x_i);
//   Sine-Gordon: u_t + Lap u + d sin(u/d) = 0, u(x, T) = 5 d / (10 + 2|x|^2).
//
// Sine-Gordon is scaled by d (u = d v with v_t + Lap v + sin v = 0,
// v(x, T) = 5 / (10 + 2|x|^2)), as the reference code does: where the points
// are (|x|^2 ~ 2 t d) u stays of order one at every d, and so does the
// network.
//
// Points come from the "brownian" domain: (x, t) with t ~ U(0, T) and
// x ~ N(0, 2t I), the law of X_t = sqrt(2) W_t whose paths carry u(0, 0)
// (Feynman-Kac). Unlike the semilinear heat problem, u is the network
// itself and the terminal condition is a second residual u(x, T) - g(x) on
// terminal points x ~ N(0, 2T I), weight 20 (the reference code's setting):
//   - arctan(max_i x_i) is not smooth (its Laplacian is a measure on the
//     ties x_i = x_j), so an ansatz g + (T - t) MLP would put that measure
//     into the residual;
//   - for Sine-Gordon the ansatz would need MLP(0, 0) ~ -d / (2T) (g(0) =
//     d/2 while u(0, 0) = O(1)).
//
//===----------------------------------------------------------------------===//
#include "ParabolicProblems.h"
#include "ProblemLibrary.h"

#include <algorithm>

using namespace stde;

namespace {

constexpr double kHorizon = 0.3;
constexpr double kTerminalWeight = 20.0;

/// The network alone: u = MLP(x, t).
Expected<Field> plainNetwork(const ProblemOptions &o) {
  FieldBuilder fb(o.dim + 1, o.dtype);
  Expr x = fb.input();
  return fb.build(spaceTimeMLP(fb, x, o.dim + 1, o));
}

/// The terminal data g as a fixed field of (x, t) (t unused).
Expected<Field> terminalData(const ProblemOptions &o, Expr (*g)(FieldBuilder &, Expr, int64_t)) {
  FieldBuilder fb(o.dim + 1, o.dtype);
  Expr input = fb.input();
  return fb.build(g(fb, fb.slice(input, 0, o.dim), o.dim));
}

Expr arctanOfMax(FieldBuilder &fb, Expr x, int64_t) { return fb.atan(fb.max(x)); }

Expr scaledInverseQuadratic(FieldBuilder &fb, Expr x, int64_t d) {
  Expr five = fb.constant(5.0 * double(d)), ten = fb.constant(10.0), two = fb.constant(2.0);
  return fb.div(five, fb.add(ten, fb.mul(two, fb.sqnorm(x))));
}

/// The problem around its PDE residual `residual(pb)`: Brownian points,
/// the terminal residual, the reference value.
Expected<ProblemBuilder> terminalProblem(const ProblemOptions &o, const std::string &name,
                                         const std::string &equation,
                                         Expr (*g)(FieldBuilder &, Expr, int64_t),
                                         double reference,
                                         Column (*residual)(ProblemBuilder &, int64_t)) {
  Expected<Field> u = plainNetwork(o), terminal = terminalData(o, g);
  if (!u || !terminal)
    return Status::error("internal: " + (u ? terminal.error() : u.error()));
  ProblemBuilder pb(*u, o.points);
  pb.describe("stde problem '" + name + "', d = " + std::to_string(o.dim) + ":\n" + equation +
              ", T = 0.3;\nu is the network, the terminal condition a residual (weight 20) on "
              "terminal points;\nthe error is |u(0, 0) - reference| / reference " +
              (reference ? "(docs/MATH.md)." : "(no reference value for this d: loss only)."))
      .spaceTime()
      .brownian(kHorizon)
      .field("terminal", *terminal)
      .boundaryPoints(o.points);
  if (reference)
    pb.reference(reference);
  Column r = residual(pb, o.dim);
  Column rb = pb.sub(pb.u(Points::boundary), pb.apply("terminal", Points::boundary));
  pb.loss({r, rb}, {1.0, kTerminalWeight}, o.estimator);
  return pb;
}

/// u_t + Lap u + u - u^3.
Column allenCahnResidual(ProblemBuilder &pb, int64_t) {
  Column uv = pb.u();
  Column cubic = pb.mul(pb.mul(uv, uv), uv);
  Column ut = pb.timeDerivative(1), lap = pb.laplacian();
  return pb.add(pb.add(ut, lap), pb.sub(uv, cubic));
}

/// u_t + Lap u + d sin(u / d).
Column sineGordonResidual(ProblemBuilder &pb, int64_t d) {
  Column scale = pb.constant(double(d)), inverse = pb.constant(1.0 / double(d));
  Column source = pb.mul(scale, pb.sin(pb.mul(pb.u(), inverse)));
  Column ut = pb.timeDerivative(1), lap = pb.laplacian();
  return pb.add(pb.add(ut, lap), source);
}

} // namespace

double stde::allenCahnTimeReference(int64_t dim) {
  // docs/MATH.md section 5.
  switch (dim) {
  case 10: return 0.89060;
  case 100: return 1.04510;
  case 1000: return 1.09100;
  case 10000: return 1.11402;
  default: return 0.0;
  }
}

double stde::sineGordonTimeReference(int64_t dim) {
  // docs/MATH.md section 5: the published v(0, 0), times d.
  switch (dim) {
  case 10: return 0.3229470 * 10;
  case 100: return 0.0528368 * 100;
  case 1000: return 0.0055896 * 1000;
  case 10000: return 0.0005621 * 10000;
  default: return 0.0;
  }
}

Expected<ProblemBuilder> stde::allenCahnTimeProblem(const ProblemOptions &o) {
  return terminalProblem(o, "allen-cahn-time", "u_t + Lap u + u - u^3 = 0, u(x, T) = arctan(max_i x_i)",
                         arctanOfMax, allenCahnTimeReference(o.dim), allenCahnResidual);
}

Expected<ProblemBuilder> stde::sineGordonTimeProblem(const ProblemOptions &o) {
  return terminalProblem(o, "sine-gordon-time",
                         "u_t + Lap u + d sin(u/d) = 0, u(x, T) = 5d/(10 + 2|x|^2)",
                         scaledInverseQuadratic, sineGordonTimeReference(o.dim),
                         sineGordonResidual);
}
