//===- JetOps.td - jet construction, propagation and extraction -*- tablegen -*-===//
#ifndef JET_OPS_TD
#define JET_OPS_TD

include "dialects/jet/JetBase.td"
include "dialects/jet/JetTypes.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"

def Jet_Jet : Type<CPred<"::llvm::isa<::mlir::jet::JetType>($_self)">, "jet",
                   "::mlir::jet::JetType">;
def Jet_Tensor : RankedTensorOf<[F32, F64, Index]>;

//===----------------------------------------------------------------------===//
// Entering and leaving jets
//===----------------------------------------------------------------------===//

def Jet_SeedOp : Jet_Op<"seed", [Pure]> {
  let summary = "a jet from its primal and its stored coefficients";
  let description = [{
    One operand per coefficient that has storage, in order: the primal
    (`tensor<S>`), then for coefficient k = 1..K by its kind in the result
    type: onehot `tensor<R x index>`, shared `tensor<S>`, dense
    `tensor<R x S>`, zero nothing. Coefficients are derivatives along the
    curve (the k-th one is g^(k)(0)), not normalized Taylor coefficients.
    A value constant along the curve is a jet whose coefficients are all zero.
    `scales` (optional, one per onehot coefficient, in order) makes such a
    coefficient s e_{idx[r]} instead of e_{idx[r]}: the jet of x * c where c
    is s at every index the basis vectors may select (the scaled time
    coordinate of a space-time network), still a gather downstream.
    ```mlir
    %j = jet.seed %x, %v1 : (tensor<4x3xf64>, tensor<2x4x3xf64>)
           -> !jet.jet<order = 2, dirs = 2, tensor<4x3xf64>, [dense, zero]>
    %t = jet.seed %x, %i {scales = array<f64: 7.0>} : (tensor<4x3xf64>, tensor<1xindex>)
           -> !jet.jet<order = 1, dirs = 1, tensor<4x3xf64>, [onehot]>
    ```
  }];
  let arguments = (ins RankedTensorOf<[F32, F64]>:$primal, Variadic<Jet_Tensor>:$coefficients,
                       OptionalAttr<DenseF64ArrayAttr>:$scales);
  let results = (outs Jet_Jet:$result);
  let assemblyFormat = [{
    $primal (`,` $coefficients^)? attr-dict `:` functional-type(operands, results)
  }];
  let builders = [
    // Unit scales: one-hot coefficients are basis vectors.
    OpBuilder<(ins "::mlir::Type":$result, "::mlir::Value":$primal,
                   "::mlir::ValueRange":$coefficients), [{
      build($_builder, $_state, result, primal, coefficients, ::mlir::DenseF64ArrayAttr());
    }]>
  ];
  let hasVerifier = 1;
}

def Jet_CoefficientOp : Jet_Op<"coefficient", [Pure]> {
  let summary = "coefficient k of a jet, materialized";
  let description = [{
    k = 0 gives the primal `tensor<S>`; k >= 1 gives the k-th derivative along
    the curve of every direction as a `tensor<R x S>` (zeros, basis vectors
    and shared coefficients are materialized), or, for a `summed` top
    coefficient, the sum of those derivatives over the directions as a
    `tensor<S>`.
    ```mlir
    %d2 = jet.coefficient %j[2] : !jet.jet<order = 2, dirs = 2, tensor<4xf64>, [dense, dense]> -> tensor<2x4xf64>
    ```
  }];
  let arguments = (ins Jet_Jet:$jet, ConfinedAttr<I64Attr, [IntNonNegative]>:$index);
  let results = (outs RankedTensorOf<[F32, F64]>:$result);
  let assemblyFormat = "$jet `[` $index `]` attr-dict `:` type($jet) `->` type($result)";
  let hasVerifier = 1;
  // Folds: a seed's primal and stored dense or summed coefficients are read
  // back directly; a widened jet is read before widening. Canonicalization:
  // a zero coefficient is a zero constant.
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Jet_WidenOp : Jet_Op<"widen", [Pure]> {
  let summary = "view a jet under a less specific structure";
  let description = [{
    The same jet with some coefficients stored more generally (zero as
    shared or dense, shared or onehot as dense).
  }];
  let arguments = (ins Jet_Jet:$input);
  let results = (outs Jet_Jet:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
  // widen to the same type is the input; widen(widen(x)) widens x once.
  let hasFolder = 1;
}

def Jet_CollapseOp : Jet_Op<"collapse", [Pure]> {
  let summary = "keep only the sum over the directions of the top coefficient";
  let description = [{
    Collapsed Taylor mode (docs/MATH.md section 3): the top coefficient enters
    every Taylor rule linearly, multiplied by functions of the primal only,
    so when only its sum over the directions is consumed (a Laplacian, a
    trace) that sum can be propagated as one tensor. The result is the
    input with its top coefficient replaced by that sum (kind `summed`);
    lower coefficients are unchanged. Inserted by `jet-simplify`.
    ```mlir
    %c = jet.collapse %j : !jet.jet<order = 2, dirs = 16, tensor<8x100xf32>, [onehot, zero]>
                        -> !jet.jet<order = 2, dirs = 16, tensor<8x100xf32>, [onehot, summed]>
    ```
  }];
  let arguments = (ins Jet_Jet:$input);
  let results = (outs Jet_Jet:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def Jet_PushforwardOp : Jet_Op<"pushforward", [
    DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "push a jet of points through a network";
  let description = [{
    Applies the `stde.network` to every point of the batch (the jet's base is
    `tensor<N x D>`) and returns the jet of its values (base `tensor<N>`).
    The result structure is at least as general as what the network's rules
    produce; `jet-expand` inlines the network and checks it.
    ```mlir
    %y = jet.pushforward @u(%theta, %j) : (tensor<49xf64>, !jet.jet<order = 2, dirs = 2, tensor<4x2xf64>, [dense, zero]>)
           -> !jet.jet<order = 2, dirs = 2, tensor<4xf64>, [dense, dense]>
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$network, Variadic<AnyType>:$inputs);
  let results = (outs Jet_Jet:$result);
  let assemblyFormat = [{
    $network `(` $inputs `)` attr-dict `:` functional-type($inputs, results)
  }];
  let extraClassDeclaration = [{
    /// The jet of points (the last operand).
    ::mlir::TypedValue<::mlir::jet::JetType> getPoints();
    /// The parameter buffer, or null for a fixed field.
    ::mlir::Value getParams();
  }];
}

//===----------------------------------------------------------------------===//
// Propagation through primitives (the output of jet-expand)
//===----------------------------------------------------------------------===//

def Jet_DenseOp : Jet_Op<"dense", [Pure]> {
  let summary = "dense layer on a jet: z0 = W a0 + b, zk = W ak";
  let description = [{
    The base is `tensor<N x I>` and becomes `tensor<N x O>`; W (O x I,
    row-major) then b are read at `offset` in the parameter buffer, as in
    `stde.dense`. A onehot coefficient becomes a column of W (dense).
  }];
  let arguments = (ins Jet_Jet:$input, RankedTensorOf<[F32, F64]>:$params,
                       ConfinedAttr<I64Attr, [IntNonNegative]>:$offset);
  let results = (outs Jet_Jet:$result);
  let assemblyFormat = [{
    $input `,` $params `[` $offset `]` attr-dict `:`
    `(` type($input) `,` type($params) `)` `->` type($result)
  }];
  let hasVerifier = 1;
}

class Jet_InferredOp<string mnemonic, list<Trait> traits = []>
    : Jet_Op<mnemonic, traits # [Pure, DeclareOpInterfaceMethods<InferTypeOpInterface>]>;

def Jet_LinearOp : Jet_InferredOp<"linear"> {
  let summary = "a matrix given as a tensor applied to every coefficient (plus a bias)";
  let description = [{
    y_k = x_k W^T for every coefficient k of a jet over `tensor<N x I>`, with
    W stored `O x I` like a dense layer's weight, or y_k = x_k W with W
    stored `I x O` under `input_major`; an optional `bias` (`tensor<O>`) is
    added to the primal only. The weight is a value, not a slice of the
    parameters: the factors of a zeroth-order perturbation (x B, then A (M
    u) + db) are such maps. A one-hot tangent e_i selects column i of W (row
    i when input-major): a gather, no product.

    ```mlir
    %u = jet.linear %x, %b input_major : !jet.jet<order = 2, dirs = 4, tensor<8x100xf64>, [onehot, summed]>, tensor<100x8xf64>
    %y = jet.linear %v, %a bias %db : !jet.jet<order = 2, dirs = 4, tensor<8x8xf64>, [dense, summed]>, tensor<16x8xf64>, tensor<16xf64>
    ```
  }];
  let arguments = (ins Jet_Jet:$input, RankedTensorOf<[F32, F64]>:$weight,
                       Optional<RankedTensorOf<[F32, F64]>>:$bias, UnitAttr:$input_major);
  let results = (outs Jet_Jet:$result);
  let assemblyFormat = [{
    $input `,` $weight (`bias` $bias^)? (`input_major` $input_major^)? attr-dict `:`
    type($input) `,` type($weight) (`,` type($bias)^)?
  }];
}

class Jet_BinaryOp<string mnemonic> : Jet_InferredOp<mnemonic> {
  let arguments = (ins Jet_Jet:$lhs, Jet_Jet:$rhs);
  let results = (outs Jet_Jet:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs)";
}

def Jet_AddOp : Jet_BinaryOp<"add"> {
  let summary = "sum of two jets";
  let description = [{
    Coefficient by coefficient, v_k = u_k + w_k, for jets of the same order,
    directions and base. The result's structure is inferred: a zero
    coefficient adds nothing, two shared ones stay shared, a summed one
    absorbs the other (it is summed over the directions first), anything
    else is dense (two one-hot tangents need not be a basis vector).

    ```mlir
    %s = jet.add %a, %b : !jet.jet<order = 2, dirs = 4, tensor<8x16xf64>, [dense, zero]>,
                          !jet.jet<order = 2, dirs = 4, tensor<8x16xf64>, [dense, zero]>
    ```
  }];
}
def Jet_SubOp : Jet_BinaryOp<"sub"> {
  let summary = "difference of two jets";
  let description = [{
    Coefficient by coefficient, v_k = u_k - w_k; structure as for `jet.add`.
  }];
}
def Jet_MulOp : Jet_BinaryOp<"mul"> {
  let summary = "elementwise product of two jets (Leibniz: Cauchy product)";
  let description = [{
    v_k = sum_{j=0..k} C(k, j) u_j w_{k-j} (derivative convention; a plain
    Cauchy product on normalized coefficients). A zero factor removes its
    terms; the structure of each result coefficient is inferred from the
    terms that remain.
  }];
}
def Jet_DivOp : Jet_BinaryOp<"div"> {
  let summary = "elementwise quotient of two jets";
  let description = [{
    v_k = (u_k - sum_{j<k} C(k, j) v_j w_{k-j}) / w_0, the recurrence of
    v w = u; the divisor's primal must not vanish.
  }];
}

def Jet_NegOp : Jet_InferredOp<"neg"> {
  let summary = "negation of a jet";
  let description = [{
    Every coefficient negated; the result has the input's type, structure
    included (a negated one-hot coefficient stays one-hot).
  }];
  let arguments = (ins Jet_Jet:$input);
  let results = (outs Jet_Jet:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasFolder = 1; // neg(neg(x)) = x
}

def Jet_ElementwiseOp : Jet_InferredOp<"elementwise"> {
  let summary = "an elementwise function of a jet";
  let description = [{
    ```mlir
    %t = jet.elementwise tanh %z : !jet.jet<order = 2, dirs = 4, tensor<8x16xf64>, [dense, zero]>
    ```
  }];
  let arguments = (ins Jet_ElementwiseFn:$fn, Jet_Jet:$input);
  let results = (outs Jet_Jet:$result);
  let assemblyFormat = "$fn $input attr-dict `:` type($input)";
}

def Jet_PowiOp : Jet_InferredOp<"powi"> {
  let summary = "integer power of a jet";
  let description = [{
    u^n for a constant integer `exponent`, by repeated squaring of the
    series (jet products); a negative exponent is 1 / u^|n| by the quotient
    recurrence and needs a nonzero primal.

    ```mlir
    %c = jet.powi %u, 3 : !jet.jet<order = 2, dirs = 4, tensor<8xf64>, [dense, dense]>
    ```
  }];
  let arguments = (ins Jet_Jet:$input, I64Attr:$exponent);
  let results = (outs Jet_Jet:$result);
  let assemblyFormat = "$input `,` $exponent attr-dict `:` type($input)";
}

def Jet_SumOp : Jet_InferredOp<"sum"> {
  let summary = "sum over the last axis of the base";
  let description = [{
    A linear map: every coefficient summed over the base's last axis
    (`tensor<N x D>` becomes `tensor<N>`, as |x|^2 = sum x_i^2 needs). A
    one-hot coefficient becomes dense, which convert-jet-to-tensor lowers as
    a gather when the sum reads a product with a one-hot factor.
  }];
  let arguments = (ins Jet_Jet:$input);
  let results = (outs Jet_Jet:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasCanonicalizer = 1; // sum(mul(a, b)) -> dot(a, b)
}

def Jet_MaxOp : Jet_InferredOp<"max"> {
  let summary = "every coefficient read where the primal is largest on the last axis";
  let description = [{
    The jet of max over the base's last axis (`tensor<N x D>` becomes
    `tensor<N>`): i*(n) = the first argmax of the primal's row n, and every
    coefficient, the primal's included, is read at i*(n). Given i*, a linear
    map of each coefficient (a gather), so it keeps their structure as
    jet.sum does; a one-hot coefficient s e_{idx[r]} reads s where
    idx[r] = i*(n) and 0 elsewhere.

    ```mlir
    %m = jet.max %x : !jet.jet<order = 2, dirs = 4, tensor<8x10xf64>, [onehot, zero]>
    ```
  }];
  let arguments = (ins Jet_Jet:$input);
  let results = (outs Jet_Jet:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Jet_DotOp : Jet_InferredOp<"dot"> {
  let summary = "sum over the last axis of the product of two jets";
  let description = [{
    `jet.sum(jet.mul(a, b))` as one op (|x|^2 = dot(x, x), and what the
    canonicalizer makes of that pair when the product has no other use):
    c_k = sum_{i+j=k} sum_last(a_i * b_j). Its structure is the sum's of the
    product's. Kept as one op so that the lowering sees the factors: a
    one-hot factor s e_{idx[r]} against a shared or dense one is the gather
    s x[..., idx[r]] (no R x N x D product), and e_i . e_i is the constant 1.

    ```mlir
    %n = jet.dot %x, %x : !jet.jet<order = 2, dirs = 4, tensor<8x100xf64>, [onehot, zero]>, !jet.jet<order = 2, dirs = 4, tensor<8x100xf64>, [onehot, zero]>
    ```
  }];
  let arguments = (ins Jet_Jet:$lhs, Jet_Jet:$rhs);
  let results = (outs Jet_Jet:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs)";
}

def Jet_SliceOp : Jet_InferredOp<"slice"> {
  let summary = "a contiguous slice [offset, offset + size) of the last axis";
  let description = [{
    A linear map on every coefficient (e.g. x_{i+1} for i < d - 1 in a
    two-body term); the verifier checks that the slice lies inside the
    base.

    ```mlir
    %t = jet.slice %x[1, 4] : !jet.jet<order = 2, dirs = 2, tensor<8x5xf64>, [onehot, zero]>
    ```
  }];
  let arguments = (ins Jet_Jet:$input, ConfinedAttr<I64Attr, [IntNonNegative]>:$offset,
                       ConfinedAttr<I64Attr, [IntPositive]>:$size);
  let results = (outs Jet_Jet:$result);
  let assemblyFormat = "$input `[` $offset `,` $size `]` attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def Jet_BroadcastOp : Jet_Op<"broadcast", [Pure]> {
  let summary = "repeat a jet along a new last axis";
  let description = [{
    `tensor<B...>` becomes `tensor<B... x M>` with every coefficient
    repeated M times: a per-point scalar applied to every coordinate. The
    result type names M; its structure is the input's under a linear map.
  }];
  let arguments = (ins Jet_Jet:$input);
  let results = (outs Jet_Jet:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def Jet_FoldBlocksOp : Jet_Op<"fold_blocks", [Pure]> {
  let summary = "sum of the consecutive blocks of the last axis (first-layer weight sharing)";
  let description = [{
    `tensor<B... x D>` becomes `tensor<B... x K>` with y_j = sum_k x_{k K + j}
    on every coefficient (K, the result's last extent, divides D): the jet
    of `stde.fold_blocks`. A linear map that keeps every structure: a
    one-hot tangent e_i folds to the one-hot e_{i mod K} (a dense layer on
    the folded jet still gathers a column), shared, dense and summed
    coefficients are folded, zeros stay zero.

    ```mlir
    %y = jet.fold_blocks %x : !jet.jet<order = 2, dirs = 4, tensor<8x1000xf32>, [onehot, summed]> -> !jet.jet<order = 2, dirs = 4, tensor<8x10xf32>, [onehot, summed]>
    ```
  }];
  let arguments = (ins Jet_Jet:$input);
  let results = (outs Jet_Jet:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

#endif // JET_OPS_TD
