//===- stde-opt.cpp - mlir-opt with the stde dialects and passes ----------===//
#include "stde/InitAllStde.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  stde::registerAllDialects(registry);
  stde::registerAllPasses();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "stde optimizer driver\n", registry));
}
