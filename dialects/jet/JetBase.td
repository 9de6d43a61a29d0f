//===- JetBase.td - the jet dialect and its enums ------------*- tablegen -*-===//
#ifndef JET_BASE_TD
#define JET_BASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

def Jet_Dialect : Dialect {
  let name = "jet";
  let cppNamespace = "::mlir::jet";
  let summary = "truncated Taylor arithmetic on batches of jets";
  let description = [{
    A jet of order K is the truncated Taylor expansion of a curve t -> g(t):
    its primal g(0) and the derivatives g'(0), ..., g^(K)(0). A jet value
    carries R directions at once (one curve per direction, all through the
    same primal), and records per coefficient whether it is zero, a basis
    vector e_i (one-hot, its index per direction), shared by all directions,
    or dense. Rewrites and the lowering read that structure from the type.

    Values are pushed through primitives by the ops of this dialect; the
    Taylor recurrences themselves are emitted by `convert-jet-to-tensor`.
  }];
  let useDefaultTypePrinterParser = 1;
  // Canonicalization materializes zero coefficients as arith constants.
  let dependentDialects = ["::mlir::arith::ArithDialect"];
  let extraClassDeclaration = [{
    void registerTypes();
  }];
}

class Jet_Op<string mnemonic, list<Trait> traits = []>
    : Op<Jet_Dialect, mnemonic, traits>;

// How one Taylor coefficient varies over the direction axis.
def Jet_CoefficientKind : I32EnumAttr<"CoefficientKind",
    "structure of one Taylor coefficient across directions", [
      I32EnumAttrCase<"zero", 0>,    // identically zero: no storage
      I32EnumAttrCase<"onehot", 1>,  // e_{idx[r]} along the last axis: R indices
      I32EnumAttrCase<"shared", 2>,  // the same tensor for every direction
      I32EnumAttrCase<"dense", 3>,   // one tensor per direction
      I32EnumAttrCase<"summed", 4>   // top coefficient only: its sum over the
                                     // directions, one tensor (collapsed mode)
    ]> {
  let cppNamespace = "::mlir::jet";
}

// Elementwise functions with a Taylor recurrence in the lowering.
def Jet_ElementwiseFn : I32EnumAttr<"ElementwiseFn",
    "elementwise function pushed through a jet", [
      I32EnumAttrCase<"tanh", 0>, I32EnumAttrCase<"sin", 1>,
      I32EnumAttrCase<"cos", 2>, I32EnumAttrCase<"exp", 3>,
      I32EnumAttrCase<"log", 4>, I32EnumAttrCase<"sigmoid", 5>,
      I32EnumAttrCase<"softplus", 6>, I32EnumAttrCase<"sqrt", 7>,
      I32EnumAttrCase<"atan", 8>
    ]> {
  let cppNamespace = "::mlir::jet";
}

#endif // JET_BASE_TD
