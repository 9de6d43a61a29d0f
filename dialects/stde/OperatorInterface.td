//===- OperatorInterface.td - ops that apply a network to points -*- tablegen -*-===//
//
// Every operator op (apply, laplacian, biharmonic, diff, grad,
// time_derivative, diffusion, grad_norm) names a network, takes its
// parameters (unless it is a fixed field) and a batch of points, and returns
// values per point. Passes and the API treat them alike through this
// interface instead of listing the ops.
//
//===----------------------------------------------------------------------===//
#ifndef STDE_OPERATOR_INTERFACE_TD
#define STDE_OPERATOR_INTERFACE_TD

include "mlir/IR/OpBase.td"

def Stde_OperatorOpInterface : OpInterface<"OperatorOpInterface"> {
  let cppNamespace = "::stde";
  let description = [{
    An operator applied to a network at a batch of points.
  }];
  let methods = [
    InterfaceMethod<"The network's symbol.", "::mlir::FlatSymbolRefAttr", "getNetworkAttr">,
    InterfaceMethod<"The parameter buffer, or null for a fixed field.", "::mlir::Value",
                    "getParams">,
    InterfaceMethod<"The batch of points (tensor<N x D x T>).", "::mlir::Value", "getPoints">,
    InterfaceMethod<[{Whether the operator is computed by a spatial estimator
      (an optional `estimator` attribute; without one it inherits its loss's).}],
      "bool", "isEstimated", (ins), "", "return false;">,
  ];
}

#endif // STDE_OPERATOR_INTERFACE_TD
