//===- JetTypes.td - the jet value type ----------------------*- tablegen -*-===//
#ifndef JET_TYPES_TD
#define JET_TYPES_TD

include "dialects/jet/JetBase.td"

def Jet_JetType : TypeDef<Jet_Dialect, "Jet"> {
  let mnemonic = "jet";
  let summary = "R jets of order K over a batched tensor";
  let description = [{
    `!jet.jet<order = K, dirs = R, tensor<S x T>, [k1, ..., kK]>`: the primal
    is a `tensor<S x T>` shared by the R directions; coefficient k (the k-th
    derivative along the curve) has the structure kk:
    - `zero`: identically zero;
    - `onehot`: direction r is the basis vector e_{idx[r]} along the last
      axis of S (at every batch point), or a fixed multiple s e_{idx[r]}
      where the seed states a scale s; stored as `tensor<R x index>`;
    - `shared`: the same `tensor<S x T>` for every direction;
    - `dense`: a `tensor<R x S x T>`.
    The leading axes of S are batch axes (points); T is f32 or f64.
  }];
  let parameters = (ins "::mlir::RankedTensorType":$base, "int64_t":$order,
                        "int64_t":$directions,
                        ArrayRefParameter<"::mlir::jet::CoefficientKind">:$structure);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let builders = [
    TypeBuilderWithInferredContext<(ins "::mlir::RankedTensorType":$base,
        "int64_t":$directions,
        "::llvm::ArrayRef<::mlir::jet::CoefficientKind>":$structure), [{
      return $_get(base.getContext(), base, structure.size(), directions, structure);
    }]>
  ];
  let skipDefaultBuilders = 1;
  let extraClassDeclaration = [{
    ::mlir::Type getElementType() { return getBase().getElementType(); }
    /// Structure of coefficient k (1 <= k <= K); the primal (k = 0) is shared.
    ::mlir::jet::CoefficientKind getKind(int64_t k) {
      return k == 0 ? ::mlir::jet::CoefficientKind::shared : getStructure()[k - 1];
    }
    /// The same jet over another base tensor, with another structure.
    JetType with(::mlir::RankedTensorType base,
                 ::llvm::ArrayRef<::mlir::jet::CoefficientKind> structure) {
      return JetType::get(base, getDirections(), structure);
    }
    /// Type of a stored coefficient of kind `kind` (null for zero).
    ::mlir::Type getStorageType(::mlir::jet::CoefficientKind kind);
    /// Type of coefficient k once materialized: base for k = 0, else R x base.
    ::mlir::RankedTensorType getMaterializedType(int64_t k);
  }];
}

#endif // JET_TYPES_TD
