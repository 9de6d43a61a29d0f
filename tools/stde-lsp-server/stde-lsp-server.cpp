//===- stde-lsp-server.cpp - MLIR's language server with stde's dialects ---===//
//
// Diagnostics, hover, go-to-definition and completion for .mlir files that
// use the stde, jet, rng and zo dialects (problem files, pass tests). It
// speaks LSP over stdin/stdout; docs/TOOLCHAIN.md says how to point an
// editor at it.
//
//===----------------------------------------------------------------------===//
#include "stde/InitAllStde.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-lsp-server/MlirLspServerMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  stde::registerAllDialects(registry);
  return mlir::failed(mlir::MlirLspServerMain(argc, argv, registry));
}
