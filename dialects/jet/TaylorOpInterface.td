//===- TaylorOpInterface.td - Taylor rules of primitives ----*- tablegen -*-===//
#ifndef JET_TAYLOR_OP_INTERFACE_TD
#define JET_TAYLOR_OP_INTERFACE_TD

include "mlir/IR/OpBase.td"

def TaylorOpInterface : OpInterface<"TaylorOpInterface"> {
  let cppNamespace = "::mlir::jet";
  let description = [{
    A primitive that knows how to push jets through itself. `jet-expand`
    inlines a network into the function that pushes a jet through it, and
    asks each op of the network body for the jet of its result given the jets
    of its operands (looked up in the `JetExpansion`). Our network ops
    implement it in their dialect; upstream arith, math and tensor ops get it
    as external models (registerTaylorExternalModels).
  }];
  let methods = [
    InterfaceMethod<[{
        Emits the jet ops that give the jet of this op's single result and
        returns that jet, or emits an error (on this op) and fails.
      }],
      "::mlir::FailureOr<::mlir::Value>", "pushJet",
      (ins "::mlir::OpBuilder &":$builder, "::mlir::jet::JetExpansion &":$expansion)>
  ];
}

#endif // JET_TAYLOR_OP_INTERFACE_TD
