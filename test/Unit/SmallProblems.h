//===- SmallProblems.h - small f64 training programs for the tests -*- C++ -*-===//
#ifndef STDE_TEST_UNIT_SMALLPROBLEMS_H
#define STDE_TEST_UNIT_SMALLPROBLEMS_H

#include "stde/stde.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace stde::test {

struct SmallProblem {
  std::string name;
  int64_t dim = 5, points = 3;
  Estimator estimator = Estimator::exact();
  std::string activation = "tanh";
  TrainingSpec spec = {};
  int64_t width = 6;
  int64_t shareBlock = 0; ///< ProblemOptions::shareBlock
  double gradientWeight = 0.0; ///< ProblemOptions::gradientWeight (gPINN)
  int64_t gradientSamples = 0;
  bool unbiasedLoss = false; ///< ProblemOptions::unbiasedLoss
  double timeScale = 1.0;    ///< ProblemOptions::timeScale
};

/// The problem module of a built-in problem with width 6 (unless set),
/// depth 3, f64 ("" after a test failure that says why).
inline std::string smallProblemText(const SmallProblem &p) {
  ProblemOptions o;
  o.name = p.name;
  o.dim = p.dim;
  o.width = p.width;
  o.depth = 3;
  o.points = p.points;
  o.dtype = DType::f64;
  Expected<ActivationKind> activation = activationNamed(p.activation);
  EXPECT_TRUE(activation.ok()) << activation.error();
  if (!activation)
    return "";
  o.activation = *activation;
  o.estimator = p.estimator;
  o.shareBlock = p.shareBlock;
  o.gradientWeight = p.gradientWeight;
  o.gradientSamples = p.gradientSamples;
  o.unbiasedLoss = p.unbiasedLoss;
  o.timeScale = p.timeScale;
  auto text = problemModule(o);
  EXPECT_TRUE(text.ok()) << text.error();
  return text ? *text : std::string();
}

/// smallProblemText(p) compiled (null after a test failure that says why).
inline std::shared_ptr<const TrainingProgram> compileSmall(const SmallProblem &p) {
  std::string text = smallProblemText(p);
  if (text.empty())
    return nullptr;
  static Compiler compiler;
  auto program = compiler.compileTraining(text, p.spec);
  EXPECT_TRUE(program.ok()) << program.error();
  return program ? *program : nullptr;
}

} // namespace stde::test

#endif // STDE_TEST_UNIT_SMALLPROBLEMS_H
