//===- ZoOps.td - paired parameter perturbations (SDZE) ------*- tablegen -*-===//
#ifndef ZO_OPS_TD
#define ZO_OPS_TD

include "mlir/IR/OpBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def Zo_Dialect : Dialect {
  let name = "zo";
  let cppNamespace = "::mlir::zo";
  let summary = "zeroth-order training: implicit low-rank parameter perturbations";
  let description = [{
    The SDZE path (docs/MATH.md section 4). A dense layer perturbed along
    P = A Z B^T (A: O x r, B: I x r, orthonormal columns) is evaluated as
    `W x + b` (jet.dense, shared by the + and - sides wherever x is) plus
    `A (M (B^T x)) + db` with the r x r core M = S +- eps * scale * Z: the
    rank-r part is three `jet.linear` maps (x B, the core, A and db), so
    nothing of size O x I is ever formed. `zo.basis` regenerates A or B
    from Philox counters (role "subspace"); Z and db are plain `rng.draw`s
    (role "param"); the points and tangents are the spatial draws of the
    unpaired loss, shared by both sides (common random numbers).
  }];
}

class Zo_Op<string mnemonic, list<Trait> traits = []>
    : Op<Zo_Dialect, mnemonic, traits # [Pure]>;


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

#endif // ZO_OPS_TD
