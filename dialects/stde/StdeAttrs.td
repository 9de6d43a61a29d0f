//===- StdeAttrs.td - estimator and operator-term attributes -*- tablegen -*-===//
#ifndef STDE_ATTRS_TD
#define STDE_ATTRS_TD

include "dialects/stde/StdeBase.td"
include "mlir/IR/AttrTypeBase.td"

class Stde_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<Stde_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

// A double printed and parsed as a plain float literal (round-trips exactly).
class Stde_F64Parameter<string desc> : APFloatParameter<desc> {
  let parser = [{ ::stde::detail::parseF64Parameter($_parser) }];
  let printer = [{ $_printer.printFloat($_self) }];
}

//===----------------------------------------------------------------------===//
// Estimators
//===----------------------------------------------------------------------===//

def Stde_ExactAttr : Stde_Attr<"Exact", "exact"> {
  let summary = "compute the operator exactly (all needed directions)";
  let description = [{
    Deterministic: one pushforward per needed direction. For validation and
    small dimensions. Example: `#stde.exact`.
  }];
}

def Stde_SparseAttr : Stde_Attr<"Sparse", "sparse"> {
  let summary = "sparse STDE: sampled basis-vector tangents";
  let description = [{
    Coordinates (Laplacian, biharmonic diagonal) are sampled without
    replacement and rescaled by d/|J|; terms of a general operator are sampled
    with probability |C_alpha| / Z. Example: `#stde.sparse<samples = 16>`.
  }];
  let parameters = (ins "int64_t":$samples);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

def Stde_DenseEstimatorAttr : Stde_Attr<"DenseEstimator", "dense"> {
  let summary = "dense STDE: random tangents with E[v v^T] = I";
  let description = [{
    For order 2 this is Hutchinson's trace estimator; for the biharmonic,
    1/3 E[d4u(v, 0, 0, 0)] (Gaussian) or the Rademacher form with a diagonal
    correction. Example: `#stde.dense<distribution = rademacher, samples = 16>`.
  }];
  let parameters = (ins EnumParameter<Stde_Distribution>:$distribution,
                        "int64_t":$samples);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

def Stde_ZerothOrderAttr : Stde_Attr<"ZerothOrder", "zo"> {
  let summary = "zeroth-order training with CRNS-paired perturbations (SDZE)";
  let description = [{
    Attached to a loss: its parameter gradient is replaced by the two-point
    estimate c = [L(theta + eps P) - L(theta - eps P)] / (2 eps) with common
    random numbers on both sides and per-layer rank-r subspace perturbations
    P = A Z B^T; `pairs` +/- pairs are averaged per step.
    Example: `#stde.zo<eps = 1.0e-3, rank = 8, pairs = 1>`.
  }];
  let parameters = (ins Stde_F64Parameter<"perturbation radius">:$eps,
                        "int64_t":$rank, "int64_t":$pairs);
  let assemblyFormat = "`<` struct(params) `>`";
  let genVerifyDecl = 1;
}

def Stde_EstimatorAttr : AnyAttrOf<[Stde_ExactAttr, Stde_SparseAttr,
                                    Stde_DenseEstimatorAttr,
                                    Stde_ZerothOrderAttr]>;

//===----------------------------------------------------------------------===//
// Terms of a general linear differential operator
//===----------------------------------------------------------------------===//

def Stde_TermAttr : Stde_Attr<"Term", "term"> {
  let summary = "one term C_alpha D^alpha of a linear differential operator";
  let description = [{
    A coefficient and a multi-index written as the list of coordinates that
    are differentiated, sorted, with repetition: `[0, 0, 1]` is
    d^3 u / dx0^2 dx1. The order of the term is the length of the list.
    Example: `#stde.term<-2.5 * [0, 0, 1]>`.
  }];
  let parameters = (ins Stde_F64Parameter<"coefficient">:$coefficient,
                        ArrayRefParameter<"int64_t", "multi-index">:$index);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The order of the term: how many derivatives it takes.
    int64_t getOrder() const { return getIndex().size(); }
  }];
}

#endif // STDE_ATTRS_TD
