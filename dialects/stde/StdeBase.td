//===- StdeBase.td - the stde dialect and its enums ----------*- tablegen -*-===//
//
// The problem level of stde: neural fields (networks), differential operators
// applied to them, residuals and losses, and the estimators that say how each
// operator is to be computed.
//
//===----------------------------------------------------------------------===//
#ifndef STDE_BASE_TD
#define STDE_BASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/EnumAttr.td"

def Stde_Dialect : Dialect {
  let name = "stde";
  let cppNamespace = "::stde";
  let summary = "Neural fields, differential operators, residuals and losses";
  let description = [{
    A network is a per-point function u(theta, x) of a flat parameter buffer
    theta and a point x. Operators (`stde.apply`, `stde.laplacian`,
    `stde.biharmonic`, `stde.diff`, `stde.grad`, `stde.time_derivative`,
    `stde.diffusion`, `stde.grad_norm`) apply
    a network to a batch of points; residuals are built from their results
    with arith/math ops; `stde.loss` reduces residuals to a scalar. Estimator
    attributes (`#stde.exact`, `#stde.sparse`, `#stde.dense`, `#stde.zo`) say
    how an operator or a loss is to be computed by the lowering passes.
  }];
  let useDefaultAttributePrinterParser = 1;
  let extraClassDeclaration = [{
    /// Defined beside the attribute storage classes (StdeAttrs.cpp).
    void registerAttributes();
  }];
}

class Stde_Op<string mnemonic, list<Trait> traits = []>
    : Op<Stde_Dialect, mnemonic, traits>;

// Activation functions of network layers. All are smooth, so every derivative
// order that Taylor mode needs exists.
def Stde_Activation : I32EnumAttr<"Activation", "activation function", [
    I32EnumAttrCase<"identity", 0>, I32EnumAttrCase<"tanh", 1>,
    I32EnumAttrCase<"sin", 2>, I32EnumAttrCase<"cos", 3>,
    I32EnumAttrCase<"exp", 4>, I32EnumAttrCase<"sigmoid", 5>,
    I32EnumAttrCase<"softplus", 6>]> {
  let cppNamespace = "::stde";
}

// Distributions of dense random tangents: E[v v^T] = I for both.
def Stde_Distribution : I32EnumAttr<"Distribution", "tangent distribution", [
    I32EnumAttrCase<"rademacher", 0>, I32EnumAttrCase<"gaussian", 1>]> {
  let cppNamespace = "::stde";
}

// The squared-residual loss: `biased` is mean[(L_J u - f)^2] (what the
// published experiments train with); `unbiased` is mean[(L_J u - f)(L_K u - f)]
// with two independent draws J, K.
def Stde_LossForm : I32EnumAttr<"LossForm", "form of the squared-residual loss", [
    I32EnumAttrCase<"biased", 0>, I32EnumAttrCase<"unbiased", 1>]> {
  let cppNamespace = "::stde";
}

#endif // STDE_BASE_TD
