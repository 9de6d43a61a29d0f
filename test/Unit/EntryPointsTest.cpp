//===- EntryPointsTest.cpp - the entry-point signatures, both sides -------===//
//
// The IR side (EntryFunction, checkCompiledEntries) and the host side
// (EntryCall) of lib/API/EntryPoints.h: functions built from a signature
// pass the check, functions that drifted from it fail it with the
// argument named, and a call packs its bound buffers and integers in the
// signature's order (seen by a stand-in for a compiled entry).
//
//===----------------------------------------------------------------------===//
#include "lib/API/DeviceCalls.h"
#include "lib/API/EntryPoints.h"

#include "stde/InitAllStde.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"

#include <gtest/gtest.h>

using namespace mlir;
using namespace stde;

namespace {

struct Context {
  MLIRContext context;
  Context() {
    DialectRegistry registry;
    registerAllDialects(registry);
    context.appendDialectRegistry(registry);
    context.loadAllAvailableDialects();
  }
};

EntrySizes smallSizes() {
  EntrySizes sizes;
  sizes.numParams = 7;
  sizes.points = 3;
  sizes.dim = 2;
  return sizes;
}

TEST(EntryPoints, FunctionsBuiltFromASignaturePassTheCheck) {
  Context c;
  OpBuilder b(&c.context);
  OwningOpRef<ModuleOp> module = ModuleOp::create(b.getUnknownLoc());
  Type f64 = b.getF64Type();
  EntrySizes sizes = smallSizes();
  for (const EntrySignature *signature : {&entry::loss, &entry::samplePoints}) {
    EntryFunction f(b, *module, *signature, sizes, f64);
    if (signature == &entry::loss)
      f.storeScalars("loss", ValueRange{arith::ConstantOp::create(b, f.loc(), b.getF64FloatAttr(1.0))});
    f.finish();
  }
  ASSERT_TRUE(succeeded(verify(*module)));
  auto type = module->lookupSymbol<func::FuncOp>("stde_loss").getFunctionType();
  ASSERT_EQ(type.getNumInputs(), 4u);
  EXPECT_EQ(type.getInput(0), MemRefType::get({7}, f64));
  EXPECT_EQ(type.getInput(1), b.getI64Type());
  Status s = checkCompiledEntries(*module, {&entry::loss, &entry::samplePoints}, sizes, f64);
  EXPECT_TRUE(s.ok()) << s.message();
}

TEST(EntryPoints, AFunctionThatDriftedFromItsSignatureIsAnError) {
  Context c;
  EntrySizes sizes = smallSizes();
  Type f64 = Float64Type::get(&c.context);
  auto check = [&](const char *text) {
    OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(text, &c.context);
    EXPECT_TRUE(module);
    Status s = checkCompiledEntries(*module, {&entry::loss}, sizes, f64);
    return s.ok() ? std::string("ok") : s.message();
  };
  // seed and params swapped
  EXPECT_NE(check("func.func @stde_loss(%s: i64, %p: memref<7xf64>, %t: i64, %l: memref<1xf64>) "
                  "attributes {llvm.emit_c_interface} { return }")
                .find("argument 0 (params) has another type"),
            std::string::npos);
  EXPECT_NE(check("func.func @stde_loss(%p: memref<7xf64>, %s: i64, %l: memref<1xf64>) "
                  "attributes {llvm.emit_c_interface} { return }")
                .find("it takes 3 arguments, not 4"),
            std::string::npos);
  EXPECT_NE(check("func.func @stde_loss(%p: memref<7xf64>, %s: i64, %t: i64, %l: memref<1xf64>) "
                  "{ return }")
                .find("no C interface"),
            std::string::npos);
  EXPECT_NE(check("module {}").find("the module has no such function"), std::string::npos);
  // After lowering: the C interface wrapper takes a pointer per buffer.
  EXPECT_EQ(check("llvm.func @_mlir_ciface_stde_loss(%p: !llvm.ptr, %s: i64, %t: i64, "
                  "%l: !llvm.ptr) { llvm.return }"),
            "ok");
  EXPECT_NE(check("llvm.func @_mlir_ciface_stde_loss(%s: i64, %p: !llvm.ptr, %t: i64, "
                  "%l: !llvm.ptr) { llvm.return }")
                .find("argument 0 (params) is not a buffer"),
            std::string::npos);
}

/// What a stand-in for a compiled stde_loss received.
struct Received {
  const void *params = nullptr, *loss = nullptr;
  int64_t seed = 0, step = 0, paramsSize = 0;
} received;

void fakeLoss(void **args) {
  auto descriptor = [&](int i) { return **static_cast<MemRefDescriptor **>(args[i]); };
  received.params = descriptor(0).aligned;
  received.paramsSize = descriptor(0).sizesAndStrides[0];
  received.seed = *static_cast<int64_t *>(args[1]);
  received.step = *static_cast<int64_t *>(args[2]);
  received.loss = descriptor(3).aligned;
}

TEST(EntryPoints, CallsPackTheirArgumentsInTheSignaturesOrder) {
  EntrySizes sizes = smallSizes();
  double params[7] = {}, loss[1] = {};
  // Bound in another order than the signature's.
  EntryCall call(Device{}, &entry::loss, fakeLoss, sizes, sizeof(double));
  call.integer("step", 42).buffer("loss", loss).integer("seed", 7).input("params", params);
  Status s = call.run();
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(received.params, params);
  EXPECT_EQ(received.paramsSize, 7);
  EXPECT_EQ(received.seed, 7);
  EXPECT_EQ(received.step, 42);
  EXPECT_EQ(received.loss, loss);
}

TEST(EntryPoints, CallsBoundWronglyFailBeforeCalling) {
  EntrySizes sizes = smallSizes();
  double params[7] = {}, loss[1] = {};
  auto run = [&](auto bind) {
    received = {};
    EntryCall call(Device{}, &entry::loss, fakeLoss, sizes, sizeof(double));
    bind(call);
    Status s = call.run();
    EXPECT_EQ(received.params, nullptr) << "the entry must not run";
    return s.ok() ? std::string("ok") : s.message();
  };
  EXPECT_NE(run([&](EntryCall &c) { c.input("params", params).integer("seed", 1).integer("step", 2); })
                .find("argument 'loss' was not bound"),
            std::string::npos);
  EXPECT_NE(run([&](EntryCall &c) { c.integer("params", 1); }).find("is a buffer"),
            std::string::npos);
  EXPECT_NE(run([&](EntryCall &c) { c.input("loss", loss); })
                .find("is written by the call; it cannot take read-only memory"),
            std::string::npos);
  EXPECT_NE(run([&](EntryCall &c) { c.buffer("grad", loss); }).find("'grad' does not exist"),
            std::string::npos);
  EXPECT_NE(run([&](EntryCall &c) { c.buffer("loss", nullptr); }).find("is null"),
            std::string::npos);
  CompiledEntries none;
  EntryCall missing = none.call(entry::gradient, Device{}, sizes, sizeof(double));
  Status s = missing.run();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("has no entry point stde_gradient"), std::string::npos);
}

} // namespace
