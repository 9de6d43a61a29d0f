//===- NetworkBuilderTest.cpp - building stde IR from C++ -----------------===//
//
// Networks and operators are built with the generated builders (no string
// pasting), verified, printed and parsed back unchanged.
//
//===----------------------------------------------------------------------===//
#include "dialects/stde/ParamLayout.h"
#include "stde/InitAllStde.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

using namespace mlir;

namespace {

/// Builds a depth-2 MLP R^dim -> R with `width` hidden units and the ansatz
/// factor (1 - |x|^2), laying the layers out back to back.
stde::NetworkOp buildMlp(OpBuilder &builder, Location loc, int64_t dim, int64_t width) {
  Type f64 = builder.getF64Type();
  int64_t numParams = width * (dim + 1) + 1 * (width + 1);
  auto paramsType = RankedTensorType::get({numParams}, f64);
  auto pointType = RankedTensorType::get({dim}, f64);
  auto net = stde::NetworkOp::create(builder, loc, "u",
                                     builder.getFunctionType({paramsType, pointType}, {f64}));
  Block *body = builder.createBlock(&net.getBody(), {}, {paramsType, pointType}, {loc, loc});
  Value theta = body->getArgument(0), x = body->getArgument(1);

  auto hidden = stde::DenseOp::create(builder, loc, RankedTensorType::get({width}, f64), x,
                                      theta, builder.getI64IntegerAttr(0));
  auto act = stde::ActivationOp::create(builder, loc, stde::Activation::tanh, hidden);
  auto out = stde::DenseOp::create(builder, loc, RankedTensorType::get({1}, f64), act,
                                   theta, builder.getI64IntegerAttr(width * (dim + 1)));
  Value mlp = stde::SumOp::create(builder, loc, f64, out);
  Value r2 = stde::SqNormOp::create(builder, loc, f64, x);
  Value one = arith::ConstantOp::create(builder, loc, builder.getF64FloatAttr(1.0));
  Value factor = arith::SubFOp::create(builder, loc, one, r2);
  Value u = arith::MulFOp::create(builder, loc, factor, mlp);
  stde::ReturnOp::create(builder, loc, u);
  return net;
}

TEST(NetworkBuilder, BuiltNetworkVerifiesAndRoundTrips) {
  DialectRegistry registry;
  stde::registerAllDialects(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();

  OpBuilder builder(&context);
  Location loc = builder.getUnknownLoc();
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  builder.setInsertionPointToEnd(module->getBody());
  stde::NetworkOp net = buildMlp(builder, loc, /*dim=*/4, /*width=*/8);

  // A loss on a Laplacian of it, also built from C++.
  Type f64 = builder.getF64Type();
  auto paramsType = net.getFunctionType().getInput(0);
  auto pointsType = RankedTensorType::get({10, 4}, f64);
  builder.setInsertionPointToEnd(module->getBody());
  auto func = func::FuncOp::create(builder, loc, "loss",
                                   builder.getFunctionType({paramsType, pointsType}, {f64}));
  Block *entry = func.addEntryBlock();
  builder.setInsertionPointToStart(entry);
  auto lap = stde::LaplacianOp::create(
      builder, loc, RankedTensorType::get({10}, f64), "u", entry->getArgument(0),
      entry->getArgument(1), stde::SparseAttr::get(&context, 2));
  auto loss = stde::LossOp::create(builder, loc, f64, ValueRange{lap},
                                   /*pointWeights=*/ValueRange{}, /*weights=*/nullptr,
                                   stde::LossForm::biased, /*gradientWeights=*/nullptr,
                                   /*gradientSamples=*/nullptr, /*gradientTime=*/false,
                                   /*estimator=*/nullptr);
  func::ReturnOp::create(builder, loc, loss.getResult());

  ASSERT_TRUE(succeeded(verify(*module)));
  FailureOr<stde::ParamLayout> layout = stde::getParamLayout(net);
  ASSERT_TRUE(succeeded(layout));
  EXPECT_EQ(layout->numParams, 8 * 5 + 9);
  EXPECT_EQ(lap.getNetworkOp(), net);

  std::string printed;
  llvm::raw_string_ostream(printed) << *module;
  OwningOpRef<ModuleOp> reparsed = parseSourceString<ModuleOp>(printed, &context);
  ASSERT_TRUE(reparsed);
  std::string reprinted;
  llvm::raw_string_ostream(reprinted) << *reparsed;
  EXPECT_EQ(printed, reprinted);
  EXPECT_NE(printed.find("stde.laplacian @u"), std::string::npos) << printed;
}

} // namespace
