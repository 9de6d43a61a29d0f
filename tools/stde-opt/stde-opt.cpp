//===- stde-opt.cpp - mlir-opt with the stde dialects and passes ----------===//
#include "stde/InitAllStde.h"
#include "stde/ToolDefaults.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  stde::registerAllDialects(registry);
  stde::registerAllPasses();
  std::vector<char *> args = stde::withToolDefaults(argc, argv);
  return mlir::asMainReturnCode(mlir::MlirOptMain(int(args.size()), args.data(),
                                                  "stde optimizer driver\n", registry));
}
