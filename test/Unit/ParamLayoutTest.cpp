//===- ParamLayoutTest.cpp - the parameter layout read from a network -----===//
#include "dialects/stde/ParamLayout.h"
#include "stde/InitAllStde.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

using namespace mlir;

namespace {

class ParamLayoutTest : public ::testing::Test {
protected:
  ParamLayoutTest() {
    DialectRegistry registry;
    stde::registerAllDialects(registry);
    context.appendDialectRegistry(registry);
    context.loadAllAvailableDialects();
  }

  /// Parses `source` and returns its first network; collects diagnostics.
  stde::NetworkOp parseNetwork(const char *source) {
    module = parseSourceString<ModuleOp>(source, &context);
    if (!module)
      return {};
    return *module->getOps<stde::NetworkOp>().begin();
  }

  MLIRContext context;
  OwningOpRef<ModuleOp> module;
};

// A 3 -> 4 -> 2 -> 1 tanh MLP whose layers are stored out of order:
// layer sizes 4*(3+1) = 16, 2*(4+1) = 10, 1*(2+1) = 3; total 29.
const char *kOutOfOrder = R"mlir(
stde.network @u(%theta: tensor<29xf64>, %x: tensor<3xf64>) -> f64 {
  %h0 = stde.dense %x, %theta[13] : (tensor<3xf64>, tensor<29xf64>) -> tensor<4xf64>
  %a0 = stde.activation tanh %h0 : tensor<4xf64>
  %h1 = stde.dense %a0, %theta[0] : (tensor<4xf64>, tensor<29xf64>) -> tensor<2xf64>
  %a1 = stde.activation tanh %h1 : tensor<2xf64>
  %h2 = stde.dense %a1, %theta[10] : (tensor<2xf64>, tensor<29xf64>) -> tensor<1xf64>
  %u = stde.sum %h2 : tensor<1xf64> -> f64
  stde.return %u : f64
}
)mlir";

TEST_F(ParamLayoutTest, LayersInEvaluationOrderWithTheirSlices) {
  stde::NetworkOp net = parseNetwork(kOutOfOrder);
  ASSERT_TRUE(net);
  FailureOr<stde::ParamLayout> layout = stde::getParamLayout(net);
  ASSERT_TRUE(succeeded(layout));
  EXPECT_EQ(layout->numParams, 29);
  ASSERT_EQ(layout->layers.size(), 3u);

  const stde::LayerSlot &first = layout->layers[0];
  EXPECT_EQ(first.offset, 13);
  EXPECT_EQ(first.inFeatures, 3);
  EXPECT_EQ(first.outFeatures, 4);
  EXPECT_EQ(first.size(), 16);
  EXPECT_EQ(first.weightOffset(), 13);
  EXPECT_EQ(first.biasOffset(), 13 + 12);
  EXPECT_EQ(first.end(), 29);

  EXPECT_EQ(layout->layers[1].offset, 0);
  EXPECT_EQ(layout->layers[1].size(), 10);
  EXPECT_EQ(layout->layers[1].biasOffset(), 8);
  EXPECT_EQ(layout->layers[2].offset, 10);
  EXPECT_EQ(layout->layers[2].size(), 3);
}

TEST_F(ParamLayoutTest, SlicesCoverTheBufferExactlyOnce) {
  stde::NetworkOp net = parseNetwork(kOutOfOrder);
  ASSERT_TRUE(net);
  FailureOr<stde::ParamLayout> layout = stde::getParamLayout(net);
  ASSERT_TRUE(succeeded(layout));
  std::vector<int> owners(layout->numParams, 0);
  for (const stde::LayerSlot &slot : layout->layers)
    for (int64_t i = slot.offset; i < slot.end(); ++i)
      ++owners[i];
  for (int64_t i = 0; i < layout->numParams; ++i)
    EXPECT_EQ(owners[i], 1) << "parameter " << i;
}

TEST_F(ParamLayoutTest, FixedFieldHasNoParameters) {
  stde::NetworkOp net = parseNetwork(R"mlir(
stde.network @f(%x: tensor<5xf32>) -> f32 {
  %r2 = stde.sqnorm %x : tensor<5xf32> -> f32
  stde.return %r2 : f32
}
)mlir");
  ASSERT_TRUE(net);
  EXPECT_FALSE(net.hasParams());
  EXPECT_EQ(net.getInputDim(), 5);
  FailureOr<stde::ParamLayout> layout = stde::getParamLayout(net);
  ASSERT_TRUE(succeeded(layout));
  EXPECT_EQ(layout->numParams, 0);
  EXPECT_TRUE(layout->layers.empty());
}

TEST_F(ParamLayoutTest, GapIsRejectedWithTheMissingRange) {
  std::string message;
  ScopedDiagnosticHandler handler(&context, [&](Diagnostic &diag) {
    message = diag.str();
    return success();
  });
  // Parameters [0, 4) belong to no layer: the parser's verifier rejects it.
  stde::NetworkOp net = parseNetwork(R"mlir(
stde.network @u(%theta: tensor<13xf64>, %x: tensor<2xf64>) -> f64 {
  %h = stde.dense %x, %theta[4] : (tensor<2xf64>, tensor<13xf64>) -> tensor<3xf64>
  %u = stde.sum %h : tensor<3xf64> -> f64
  stde.return %u : f64
}
)mlir");
  EXPECT_FALSE(net);
  EXPECT_NE(message.find("parameters [0, 4) belong to no dense layer"), std::string::npos)
      << message;
}

} // namespace
