//===- ZoOps.td - paired parameter perturbations (SDZE) ------*- tablegen -*-===//
#ifndef ZO_OPS_TD
#define ZO_OPS_TD

include "mlir/IR/OpBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"

def Zo_Dialect : Dialect {
  let name = "zo";
  let cppNamespace = "::mlir::zo";
  let summary = "zeroth-order training: implicit low-rank parameter perturbations";
  let description = [{
    The SDZE path (docs/MATH.md section 4). A dense layer perturbed along
    P = A Z B^T (A: O x r, B: I x r, orthonormal columns) is evaluated as
    `W x + b` (jet.dense, shared by the + and - sides wherever x is) plus
    `A (M (B^T x)) + db` with the r x r core M = S +- eps * scale * Z: the
    rank-r part goes through `zo.project` (x B) and `zo.lift` (A M u + db),
    so nothing of size O x I is ever formed. `zo.basis` regenerates A or B
    from Philox counters (role "subspace"); Z and db are plain `rng.draw`s
    (role "param"); the points and tangents are the spatial draws of the
    unpaired loss, shared by both sides (common random numbers).
  }];
  let dependentDialects = ["::mlir::jet::JetDialect"];
}

class Zo_Op<string mnemonic, list<Trait> traits = []>
    : Op<Zo_Dialect, mnemonic, traits # [Pure]>;

def Zo_Jet : Type<CPred<"::llvm::isa<::mlir::jet::JetType>($_self)">, "jet",
                  "::mlir::jet::JetType">;

def Zo_BasisOp : Zo_Op<"basis"> {
  let summary = "an orthonormal n x r basis regenerated from Philox counters";
  let description = [{
    Gaussian G (n x r) from the subspace stream `stream`, keyed by the seed
    and the refresh epoch, orthonormalized by Cholesky-QR: B = G L^-T with
    L L^T = G^T G (r x r). The same (seed, epoch, stream) always gives the
    same basis; it is never stored between steps.
    ```mlir
    %b = zo.basis %seed, %epoch stream 2147090432 : tensor<100x8xf64>
    ```
  }];
  let arguments = (ins I64:$seed, I64:$epoch, I32Attr:$stream);
  let results = (outs RankedTensorOf<[F32, F64]>:$result);
  let assemblyFormat = "$seed `,` $epoch `stream` $stream attr-dict `:` type($result)";
  let hasVerifier = 1;
}

def Zo_ProjectOp : Zo_Op<"project", [DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "u = x B for every coefficient of a jet (B: I x r)";
  let description = [{
    The input side of a low-rank perturbation: a jet over tensor<N x I>
    becomes one over tensor<N x r>. Linear, so every coefficient maps alike;
    a one-hot tangent e_i selects row i of B.
    ```mlir
    %u = zo.project %x, %b : !jet.jet<order = 2, dirs = 4, tensor<8x100xf64>, [onehot, summed]>, tensor<100x8xf64>
    ```
  }];
  let arguments = (ins Zo_Jet:$input, RankedTensorOf<[F32, F64]>:$basis);
  let results = (outs Zo_Jet:$result);
  let assemblyFormat = "$input `,` $basis attr-dict `:` type($input) `,` type($basis)";
}

def Zo_LiftOp : Zo_Op<"lift", [DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let summary = "y = A (M u) (+ db on the primal) for every coefficient of a jet";
  let description = [{
    The output side of a low-rank perturbation: u over tensor<N x r>, the
    core M (r x r), A (O x r) and the bias perturbation db (O) give a jet
    over tensor<N x O>: y0 = A M u0 + db, yk = A M uk.
    ```mlir
    %p = zo.lift %u, %core, %a, %db : !jet.jet<order = 2, dirs = 4, tensor<8x8xf64>, [dense, summed]>, tensor<8x8xf64>, tensor<16x8xf64>, tensor<16xf64>
    ```
  }];
  let arguments = (ins Zo_Jet:$input, RankedTensorOf<[F32, F64]>:$core,
                       RankedTensorOf<[F32, F64]>:$basis, RankedTensorOf<[F32, F64]>:$bias);
  let results = (outs Zo_Jet:$result);
  let assemblyFormat = [{
    $input `,` $core `,` $basis `,` $bias attr-dict `:` type($input) `,` type($core) `,`
    type($basis) `,` type($bias)
  }];
}

#endif // ZO_OPS_TD
