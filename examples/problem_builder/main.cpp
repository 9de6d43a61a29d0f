// A problem that is not in stde's library, stated in C++ and trained:
//
//   Lap u + d^2u/dx0dx1 + u^2 = f  on the unit ball in d = 5, u = 0 on the sphere,
//   u*(x) = (1 - |x|^2) a.x,  f = -(2d + 4) a.x - 2 (a1 x0 + a0 x1) + u*^2
//
// (Lap(q L) = L Lap q + 2 grad q . grad L = -(2d + 4) L for q = 1 - |x|^2,
// L = a.x; d^2(q L)/dx0dx1 = -2 (a1 x0 + a0 x1).) The fields are built with
// FieldBuilder, the residual with ProblemBuilder; the program trains with
// sparse STDE for the Laplacian, then measures its error on points it draws
// itself, through a LossProgram (the operator values at those points).
//
//   problem_builder_example          train and evaluate
//   problem_builder_example --emit   print the problem module and stop
#include "stde/stde.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <utility>
#include <random>
#include <vector>

namespace {

constexpr int64_t kDim = 5, kPoints = 64;
const std::vector<double> kA = {1.0, -0.5, 0.25, 0.8, -0.3};

// Ops are recorded (and printed) in the order of the builder calls; C++
// evaluates the arguments of one call in any order, so values that two
// arguments record are named first.

/// a.x and q = 1 - |x|^2
std::pair<stde::Expr, stde::Expr> linearAndBall(stde::FieldBuilder &fb, stde::Expr x) {
  stde::Expr ax = fb.sum(fb.mul(fb.constants(kA), x));
  stde::Expr one = fb.constant(1.0);
  stde::Expr q = fb.sub(one, fb.sqnorm(x));
  return {ax, q};
}

/// (1 - |x|^2) a.x
stde::Expected<stde::Field> exactSolution() {
  stde::FieldBuilder fb(kDim);
  stde::Expr x = fb.input();
  auto [ax, q] = linearAndBall(fb, x);
  return fb.build(fb.mul(q, ax));
}

/// -(2d + 4) a.x - 2 (a1 x0 + a0 x1) + ((1 - |x|^2) a.x)^2
stde::Expected<stde::Field> sourceTerm() {
  stde::FieldBuilder fb(kDim);
  stde::Expr x = fb.input();
  auto [ax, q] = linearAndBall(fb, x);
  stde::Expr u = fb.mul(q, ax);
  stde::Expr lap = fb.mul(fb.constant(-(2.0 * kDim + 4.0)), ax);
  stde::Expr x0 = fb.component(x, 0), x1 = fb.component(x, 1);
  stde::Expr a1x0 = fb.mul(fb.constant(kA[1]), x0), a0x1 = fb.mul(fb.constant(kA[0]), x1);
  stde::Expr pair = fb.add(a1x0, a0x1);
  stde::Expr mixed = fb.mul(fb.constant(-2.0), pair);
  stde::Expr lhs = fb.add(lap, mixed);
  return fb.build(fb.add(lhs, fb.mul(u, u)));
}

double exactAt(const double *x) {
  double r2 = 0, ax = 0;
  for (int64_t i = 0; i < kDim; ++i) {
    r2 += x[i] * x[i];
    ax += kA[i] * x[i];
  }
  return (1 - r2) * ax;
}

stde::Expected<std::string> buildProblem() {
  auto u = stde::Field::mlp(kDim, {24, 24}, stde::ActivationKind::tanh, /*ballAnsatz=*/true);
  auto exact = exactSolution();
  auto source = sourceTerm();
  for (auto *f : {&u, &exact, &source})
    if (!*f)
      return stde::Status::error(f->error());
  stde::ProblemBuilder pb(*u, kPoints);
  pb.describe("Lap u + u_x0x1 + u^2 = f on the unit ball in d = 5 (examples/problem_builder).")
      .field("u_exact", *exact)
      .field("source", *source)
      .unitBall();
  stde::Column lap = pb.laplacian(stde::Estimator::sparse(3));
  stde::Column mixed = pb.diff({{1.0, {0, 1}}}, stde::Estimator::exact());
  stde::Column uv = pb.u();
  stde::Column f = pb.apply("source");
  stde::Column sum = pb.add(lap, mixed);
  stde::Column lhs = pb.add(sum, pb.mul(uv, uv));
  pb.loss({pb.sub(lhs, f)});
  return pb.build();
}

/// Relative L2 error of u on `n` points drawn here (uniform in the ball),
/// read from the LossProgram's value of the operator `stde.apply @u`.
int evaluateOnOwnPoints(const stde::LossProgram &program, const std::vector<double> &params,
                        int64_t n, double *relL2, double *meanLoss) {
  int apply = -1;
  for (size_t k = 0; k < program.operators().size(); ++k)
    if (program.operators()[k].name == "stde.apply @u")
      apply = int(k);
  if (apply < 0) {
    std::fprintf(stderr, "the loss has no stde.apply @u operator\n");
    return 1;
  }
  std::mt19937_64 rng(7);
  std::normal_distribution<double> normal;
  std::uniform_real_distribution<double> uniform;
  double err2 = 0, ref2 = 0, lossSum = 0;
  int64_t chunks = 0;
  for (int64_t done = 0; done < n; done += program.maxPoints()) {
    int64_t count = std::min(program.maxPoints(), n - done);
    std::vector<double> xs;
    for (int64_t p = 0; p < count; ++p) {
      std::vector<double> g(kDim);
      double norm = 0;
      for (double &v : g) {
        v = normal(rng);
        norm += v * v;
      }
      double radius = std::pow(uniform(rng), 1.0 / kDim) / std::sqrt(norm);
      for (double v : g)
        xs.push_back(v * radius);
    }
    std::vector<double> values(program.operatorValueCount(count, 0));
    double loss = 0;
    stde::Status s = program.operatorValues<double>(params, xs, {}, 1, done, values);
    if (s)
      s = program.loss<double>(params, xs, {}, 1, done, &loss);
    if (!s) {
      std::fprintf(stderr, "%s\n", s.message().c_str());
      return 1;
    }
    const double *u = values.data() + apply * count; // one value per point
    for (int64_t p = 0; p < count; ++p) {
      double exact = exactAt(&xs[p * kDim]);
      err2 += (u[p] - exact) * (u[p] - exact);
      ref2 += exact * exact;
    }
    lossSum += loss;
    ++chunks;
  }
  *relL2 = std::sqrt(err2 / ref2);
  *meanLoss = lossSum / double(chunks);
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  stde::Expected<std::string> problem = buildProblem();
  if (!problem) {
    std::fprintf(stderr, "%s\n", problem.error().c_str());
    return 1;
  }
  if (argc > 1 && std::strcmp(argv[1], "--emit") == 0) {
    std::fputs(problem->c_str(), stdout);
    return 0;
  }

  stde::TrainingSpec spec;
  spec.learningRate = 3e-3;
  spec.decaySteps = 400;
  stde::Compiler compiler;
  auto training = compiler.compileTraining(*problem, spec);
  auto evaluation = compiler.compileLoss(*problem);
  if (!training || !evaluation) {
    std::fprintf(stderr, "%s\n", (training ? evaluation.error() : training.error()).c_str());
    return 1;
  }
  const stde::TrainingProgram &train = **training;
  std::vector<double> params, m, v;
  train.initialize(/*seed=*/0, params);
  m.assign(params.size(), 0.0);
  v.assign(params.size(), 0.0);

  double before = 0, after = 0, lossBefore = 0, lossAfter = 0;
  if (evaluateOnOwnPoints(**evaluation, params, 500, &before, &lossBefore))
    return 1;
  for (int64_t step = 0; step < spec.decaySteps; ++step) {
    double loss = 0;
    stde::Status status = train.step(params.data(), m.data(), v.data(), /*seed=*/0, step, &loss);
    if (!status) {
      std::fprintf(stderr, "%s\n", status.message().c_str());
      return 1;
    }
    if ((step + 1) % 100 == 0)
      std::printf("step %4lld  loss %.4e\n", (long long)(step + 1), loss);
  }
  if (evaluateOnOwnPoints(**evaluation, params, 500, &after, &lossAfter))
    return 1;
  std::printf("on 500 own points: relative L2 error %.4e -> %.4e, loss %.4e -> %.4e\n", before,
              after, lossBefore, lossAfter);
  bool ok = after < 0.5 * before;
  std::printf("%s\n", ok ? "training reduced the error: ok" : "training did NOT reduce the error");
  return ok ? 0 : 1;
}
