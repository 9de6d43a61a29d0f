//===- StdeOps.td - networks, operators, residuals, losses ---*- tablegen -*-===//
#ifndef STDE_OPS_TD
#define STDE_OPS_TD

include "dialects/stde/StdeBase.td"
include "dialects/stde/StdeAttrs.td"
include "dialects/stde/OperatorInterface.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/IR/OpAsmInterface.td"
include "mlir/Interfaces/FunctionInterfaces.td"
include "mlir/Interfaces/CallInterfaces.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"

// Values are f32 or f64: Taylor coefficients are carried in the element type.
def Stde_Float : AnyTypeOf<[F32, F64]>;
def Stde_Vector : 1DTensorOf<[F32, F64]>;
def Stde_FloatLike : AnyTypeOf<[F32, F64, RankedTensorOf<[F32, F64]>]>;
def Stde_Points : 2DTensorOf<[F32, F64]>;

//===----------------------------------------------------------------------===//
// Networks
//===----------------------------------------------------------------------===//

def Stde_NetworkOp : Stde_Op<"network", [
    FunctionOpInterface, IsolatedFromAbove, Symbol,
    DeclareOpInterfaceMethods<OpAsmOpInterface, ["getAsmBlockArgumentNames"]>]> {
  let summary = "a neural field u(theta, x) evaluated at one point";
  let description = [{
    A per-point function of a flat parameter buffer `theta : tensor<P x T>`
    and a point `x : tensor<D x T>`, returning `u : T` (T is f32 or f64). The
    parameter argument is left out for a fixed function (a source term, an
    exact solution). The body is built from `stde.dense` layers reading
    `theta`, `stde.activation`, `stde.sqnorm`, `stde.sum` and arith/math/tensor
    ops on the point, so factors such as (1 - |x|^2) * MLP(x) are expressed
    directly. Every parameter belongs to exactly one dense layer: the layers'
    ranges of theta do not overlap and together cover it, so the runtime can
    address parameters by layer (see `stde::getParamLayout`).

    With the `space_time` attribute the last coordinate of x is time t: the
    Laplacian, biharmonic and gradient act on the first D - 1 coordinates and
    `stde.time_derivative` differentiates along the last.

    ```mlir
    stde.network @u(%theta: tensor<49xf64>, %x: tensor<2xf64>) -> f64 {
      %h = stde.dense %x, %theta[0] : (tensor<2xf64>, tensor<49xf64>) -> tensor<8xf64>
      %a = stde.activation tanh %h : tensor<8xf64>
      %o = stde.dense %a, %theta[24] : (tensor<8xf64>, tensor<49xf64>) -> tensor<1xf64>
      %u = stde.sum %o : tensor<1xf64> -> f64
      stde.return %u : f64
    }
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name,
                       TypeAttrOf<FunctionType>:$function_type,
                       OptionalAttr<DictArrayAttr>:$arg_attrs,
                       OptionalAttr<DictArrayAttr>:$res_attrs,
                       UnitAttr:$space_time);
  let regions = (region SizedRegion<1>:$body);
  let hasCustomAssemblyFormat = 1;
  let hasVerifier = 1;
  let hasRegionVerifier = 1;
  let builders = [OpBuilder<(ins "::llvm::StringRef":$name,
                                 "::mlir::FunctionType":$type)>];
  let extraClassDeclaration = [{
    //===--- FunctionOpInterface / CallableOpInterface ---===//
    ::mlir::Region *getCallableRegion() { return &getBody(); }
    ::llvm::ArrayRef<::mlir::Type> getArgumentTypes() {
      return getFunctionType().getInputs();
    }
    ::llvm::ArrayRef<::mlir::Type> getResultTypes() {
      return getFunctionType().getResults();
    }

    //===--- The network's signature ---===//
    /// Whether the network has a parameter argument (false for fixed fields).
    bool hasParams() { return getFunctionType().getNumInputs() == 2; }
    /// Number of parameters P (0 for a fixed field).
    int64_t getNumParams();
    /// Input dimension D (time included for space-time networks).
    int64_t getInputDim();
    /// Spatial dimension: D - 1 for space-time networks, else D.
    int64_t getSpatialDim() { return getInputDim() - (getSpaceTime() ? 1 : 0); }
    /// The scalar element type T (f32 or f64).
    ::mlir::Type getElementType();
    /// The parameter block argument, or null for a fixed field.
    ::mlir::BlockArgument getParamsArgument();
    /// The point block argument.
    ::mlir::BlockArgument getPointArgument();
  }];
}

def Stde_DenseOp : Stde_Op<"dense", [Pure]> {
  let summary = "dense layer W x + b with weights read from a parameter buffer";
  let description = [{
    `W` (O x I, row-major) starts at `offset` in `params`, followed by the
    bias `b` (O values): the layer uses params[offset, offset + O*I + O).
    ```mlir
    %h = stde.dense %x, %theta[0] : (tensor<8xf64>, tensor<1184xf64>) -> tensor<128xf64>
    ```
  }];
  let arguments = (ins Stde_Vector:$input, Stde_Vector:$params,
                       ConfinedAttr<I64Attr, [IntNonNegative]>:$offset);
  let results = (outs Stde_Vector:$output);
  let assemblyFormat = [{
    $input `,` $params `[` $offset `]` attr-dict `:`
    `(` type($input) `,` type($params) `)` `->` type($output)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    int64_t getInFeatures();
    int64_t getOutFeatures();
    /// Parameters this layer owns: O*I weights + O biases.
    int64_t getNumLayerParams() { return getOutFeatures() * (getInFeatures() + 1); }
    int64_t getWeightOffset() { return getOffset(); }
    int64_t getBiasOffset() { return getOffset() + getOutFeatures() * getInFeatures(); }
  }];
}

def Stde_ActivationOp : Stde_Op<"activation", [Pure, SameOperandsAndResultType]> {
  let summary = "elementwise activation function";
  let description = [{
    ```mlir
    %a = stde.activation tanh %h : tensor<128xf64>
    ```
  }];
  let arguments = (ins Stde_Activation:$kind, Stde_FloatLike:$input);
  let results = (outs Stde_FloatLike:$output);
  let assemblyFormat = "$kind $input attr-dict `:` type($input)";
}

def Stde_SqNormOp : Stde_Op<"sqnorm", [Pure]> {
  let summary = "squared Euclidean norm |x|^2 of a vector";
  let description = [{
    ```mlir
    %r2 = stde.sqnorm %x : tensor<8xf64> -> f64
    ```
  }];
  let arguments = (ins Stde_Vector:$input);
  let results = (outs Stde_Float:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def Stde_FoldBlocksOp : Stde_Op<"fold_blocks", [Pure]> {
  let summary = "sum of the consecutive blocks of a vector (first-layer weight sharing)";
  let description = [{
    `x` of size D becomes the B entries y_j = sum_k x_{k B + j}, with B the
    result's size (it must divide D). A dense layer reading y is the dense
    layer reading x whose weight is one O x B block repeated D / B times
    along its input axis, [W W ... W]: one set of first-layer weights shared
    by every block of B input coordinates, O B parameters instead of O D.

    ```mlir
    %y = stde.fold_blocks %x : tensor<1000xf32> -> tensor<10xf32>
    %h = stde.dense %y, %theta[0] : (tensor<10xf32>, tensor<5000xf32>) -> tensor<128xf32>
    ```
  }];
  let arguments = (ins Stde_Vector:$input);
  let results = (outs Stde_Vector:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def Stde_SumOp : Stde_Op<"sum", [Pure]> {
  let summary = "sum of the entries of a vector";
  let description = [{
    ```mlir
    %u = stde.sum %o : tensor<1xf64> -> f64
    ```
  }];
  let arguments = (ins Stde_Vector:$input);
  let results = (outs Stde_Float:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def Stde_MaxOp : Stde_Op<"max", [Pure]> {
  let summary = "the largest entry of a vector";
  let description = [{
    max_i x_i. Its derivatives are those of the largest entry (the first
    one where several tie: max is not differentiable there, a set of measure
    zero), so a jet of max reads every coefficient of x at the primal's
    argmax, as ReLU-like kinks are treated in automatic differentiation.
    Terminal data such as arctan(max_i x_i) (time-dependent Allen-Cahn)
    needs it.

    ```mlir
    %m = stde.max %x : tensor<10xf64> -> f64
    ```
  }];
  let arguments = (ins Stde_Vector:$input);
  let results = (outs Stde_Float:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def Stde_ReturnOp : Stde_Op<"return", [Pure, HasParent<"NetworkOp">, Terminator,
                                       ReturnLike]> {
  let summary = "the value of a network at its point";
  let description = [{
    The terminator of `stde.network`: the scalar u(theta, x) the network
    computes for one point (its type is the network's result type).

    ```mlir
    stde.return %u : f64
    ```
  }];
  let arguments = (ins Stde_Float:$value);
  let assemblyFormat = "$value attr-dict `:` type($value)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Operators applied to a network at a batch of points
//===----------------------------------------------------------------------===//

// Every operator op names a network, takes its parameters (unless it is a
// fixed field) and a batch of N points (tensor<N x D x T>), and returns one
// value per point (tensor<N x T>, or tensor<N x D x T> for a full gradient).
class Stde_OperatorOp<string mnemonic, list<Trait> traits = [],
                      Trait operatorInterface = Stde_OperatorOpInterface>
    : Stde_Op<mnemonic, traits # [
        DeclareOpInterfaceMethods<SymbolUserOpInterface>, operatorInterface]> {
  code operatorClassDeclaration = [{
    /// The network this operator applies to (null if the symbol is unknown).
    NetworkOp getNetworkOp();
  }];
  let extraClassDeclaration = operatorClassDeclaration;
}

// An operator computed by a spatial estimator (an optional `estimator`
// attribute; without one it inherits its loss's).
class Stde_EstimatedOperatorOp<string mnemonic, list<Trait> traits = []>
    : Stde_OperatorOp<mnemonic, traits,
        DeclareOpInterfaceMethods<Stde_OperatorOpInterface, ["isEstimated"]>>;

def Stde_ApplyOp : Stde_OperatorOp<"apply", [Pure]> {
  let summary = "the network itself at every point of a batch";
  let description = [{
    ```mlir
    %u = stde.apply @u(%theta, %xs) : (tensor<1184xf64>, tensor<100x8xf64>) -> tensor<100xf64>
    %f = stde.apply @f(%xs) : (tensor<100x8xf64>) -> tensor<100xf64>
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$network, Optional<Stde_Vector>:$params,
                       Stde_Points:$points);
  let results = (outs Stde_Vector:$result);
  let assemblyFormat = [{
    $network `(` custom<NetworkOperands>($params, $points) `)` attr-dict `:` functional-type(operands, results)
  }];
}

def Stde_LaplacianOp : Stde_EstimatedOperatorOp<"laplacian"> {
  let summary = "Laplacian sum_i u_ii over the spatial coordinates";
  let description = [{
    ```mlir
    %l = stde.laplacian @u(%theta, %xs) estimator(#stde.sparse<samples = 16>)
        : (tensor<1184xf64>, tensor<100x8xf64>) -> tensor<100xf64>
    ```
    Without an estimator the lowering uses the loss's or the pipeline's default.
  }];
  let arguments = (ins FlatSymbolRefAttr:$network, Optional<Stde_Vector>:$params,
                       Stde_Points:$points, OptionalAttr<Stde_EstimatorAttr>:$estimator);
  let results = (outs Stde_Vector:$result);
  let assemblyFormat = [{
    $network `(` custom<NetworkOperands>($params, $points) `)` (`estimator` `(` $estimator^ `)`)? attr-dict
    `:` functional-type(operands, results)
  }];
}

def Stde_BiharmonicOp : Stde_EstimatedOperatorOp<"biharmonic"> {
  let summary = "biharmonic sum_ij u_iijj over the spatial coordinates";
  let description = [{
    ```mlir
    %b = stde.biharmonic @u(%theta, %xs) estimator(#stde.dense<distribution = gaussian, samples = 16>)
        : (tensor<1184xf64>, tensor<100x8xf64>) -> tensor<100xf64>
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$network, Optional<Stde_Vector>:$params,
                       Stde_Points:$points, OptionalAttr<Stde_EstimatorAttr>:$estimator);
  let results = (outs Stde_Vector:$result);
  let assemblyFormat = [{
    $network `(` custom<NetworkOperands>($params, $points) `)` (`estimator` `(` $estimator^ `)`)? attr-dict
    `:` functional-type(operands, results)
  }];
}

def Stde_DiffOp : Stde_EstimatedOperatorOp<"diff"> {
  let summary = "a general linear differential operator sum_alpha C_alpha D^alpha u";
  let description = [{
    Terms are `coefficient * [multi-index]`, the multi-index listing the
    differentiated coordinates (sorted, with repetition); mixed partials of any
    order are allowed, and for space-time networks coordinate D - 1 is t.
    ```mlir
    // u_xxy - 2 u_yy
    %d = stde.diff @u(%theta, %xs) [1.0 * [0, 0, 1], -2.0 * [1, 1]]
        : (tensor<1184xf64>, tensor<100x8xf64>) -> tensor<100xf64>
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$network, Optional<Stde_Vector>:$params,
                       Stde_Points:$points,
                       TypedArrayAttrBase<Stde_TermAttr, "operator terms">:$terms,
                       OptionalAttr<Stde_EstimatorAttr>:$estimator);
  let results = (outs Stde_Vector:$result);
  let assemblyFormat = [{
    $network `(` custom<NetworkOperands>($params, $points) `)` custom<Terms>($terms)
    (`estimator` `(` $estimator^ `)`)? attr-dict `:` functional-type(operands, results)
  }];
  let extraClassDeclaration = operatorClassDeclaration # [{
    /// The highest order among the terms.
    int64_t getMaxOrder();
  }];
}

def Stde_GradOp : Stde_OperatorOp<"grad", [Pure, AttrSizedOperandSegments]> {
  let summary = "spatial gradient, or the directional derivative along v";
  let description = [{
    Without `along`, the gradient over the spatial coordinates
    (tensor<N x Ds x T>); with `along %v`, the directional derivative grad u . v
    (tensor<N x T>), v being one direction for all points (tensor<Ds x T>) or
    one per point (tensor<N x Ds x T>).
    ```mlir
    %g = stde.grad @u(%theta, %xs) : (tensor<1184xf64>, tensor<100x8xf64>) -> tensor<100x8xf64>
    %dv = stde.grad @u(%theta, %xs) along %v
        : (tensor<1184xf64>, tensor<100x8xf64>, tensor<8xf64>) -> tensor<100xf64>
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$network, Optional<Stde_Vector>:$params,
                       Stde_Points:$points,
                       Optional<RankedTensorOf<[F32, F64]>>:$direction);
  let results = (outs RankedTensorOf<[F32, F64]>:$result);
  let assemblyFormat = [{
    $network `(` custom<NetworkOperands>($params, $points) `)` (`along` $direction^)? attr-dict
    `:` functional-type(operands, results)
  }];
}

def Stde_TimeDerivativeOp : Stde_OperatorOp<"time_derivative", [Pure]> {
  let summary = "d^k u / dt^k of a space-time network";
  let description = [{
    ```mlir
    %ut = stde.time_derivative @u(%theta, %xts) order 1
        : (tensor<1184xf64>, tensor<100x9xf64>) -> tensor<100xf64>
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$network, Optional<Stde_Vector>:$params,
                       Stde_Points:$points,
                       ConfinedAttr<I64Attr, [IntPositive]>:$order);
  let results = (outs Stde_Vector:$result);
  let assemblyFormat = [{
    $network `(` custom<NetworkOperands>($params, $points) `)` `order` $order attr-dict
    `:` functional-type(operands, results)
  }];
}

def Stde_DiffusionOp : Stde_EstimatedOperatorOp<"diffusion", [AttrSizedOperandSegments]> {
  let summary = "second-order operator (1/2) tr(sigma sigma^T Hess u) + b . grad u";
  let description = [{
    The generator of the diffusion dX = b dt + sigma dW over the spatial
    coordinates, sigma and b given at every point: `sigma` diagonal
    (tensor<N x Ds>, its diagonal) or full (tensor<N x Ds x Ds>), `drift`
    (tensor<N x Ds>) optional. Ds is the network's spatial dimension (D, or
    D - 1 for a space-time network). The lowering pushes sigma-transformed
    tangents: exact and sparse push basis vectors e_i and weigh u_ii by
    sigma_i^2 (diagonal: the one-hot tangents stay column gathers) or push the
    columns sigma e_i (full); dense pushes sigma z with E[z z^T] = I. The
    drift is one order-1 jet along b.
    ```mlir
    %g = stde.diffusion @u(%theta, %xts) sigma(%s) drift(%b) estimator(#stde.sparse<samples = 16>)
        : (tensor<1184xf64>, tensor<100x9xf64>, tensor<100x8xf64>, tensor<100x8xf64>)
        -> tensor<100xf64>
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$network, Optional<Stde_Vector>:$params,
                       Stde_Points:$points, RankedTensorOf<[F32, F64]>:$sigma,
                       Optional<RankedTensorOf<[F32, F64]>>:$drift,
                       OptionalAttr<Stde_EstimatorAttr>:$estimator);
  let results = (outs Stde_Vector:$result);
  let assemblyFormat = [{
    $network `(` custom<NetworkOperands>($params, $points) `)` `sigma` `(` $sigma `)`
    (`drift` `(` $drift^ `)`)? (`estimator` `(` $estimator^ `)`)? attr-dict
    `:` functional-type(operands, results)
  }];
  let extraClassDeclaration = operatorClassDeclaration # [{
    /// sigma is given by its diagonal (tensor<N x Ds>).
    bool isDiagonal() { return getSigma().getType().getRank() == 2; }
  }];
}

def Stde_GradNormOp : Stde_EstimatedOperatorOp<"grad_norm"> {
  let summary = "sum_i |du/dx_i|^p over the spatial coordinates";
  let description = [{
    The p-th power of the p-norm of the spatial gradient (p >= 1): p = 2 is
    |grad u|^2. Exact and sparse push basis vectors (sparse: (Ds/|J|) sum over
    a sample J of coordinates); dense (p = 2 only) pushes z with
    E[z z^T] = I: E[(grad u . z)^2] = |grad u|^2.
    ```mlir
    %g2 = stde.grad_norm @u(%theta, %xs) power 2.0 estimator(#stde.sparse<samples = 16>)
        : (tensor<1184xf64>, tensor<100x8xf64>) -> tensor<100xf64>
    ```
  }];
  let arguments = (ins FlatSymbolRefAttr:$network, Optional<Stde_Vector>:$params,
                       Stde_Points:$points, F64Attr:$power,
                       OptionalAttr<Stde_EstimatorAttr>:$estimator);
  let results = (outs Stde_Vector:$result);
  let assemblyFormat = [{
    $network `(` custom<NetworkOperands>($params, $points) `)` `power` $power
    (`estimator` `(` $estimator^ `)`)? attr-dict `:` functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Losses
//===----------------------------------------------------------------------===//

def Stde_LossOp : Stde_Op<"loss", [AttrSizedOperandSegments]> {
  let summary = "weighted sum of mean squared residuals";
  let description = [{
    L = sum_i w_i mean(r_i^2) over the residual batches r_i (interior,
    boundary, data ...). `form unbiased` asks the lowering for
    mean[(L_J u - f)(L_K u - f)] with two independent estimator draws. An
    estimator here is the default of every operator feeding the loss that
    has none of its own; `#stde.zo` (zeroth-order training) belongs here only.
    ```mlir
    %L = stde.loss %r, %rb weights [1.0, 10.0] estimator(#stde.sparse<samples = 16>)
        : tensor<100xf64>, tensor<20xf64> -> f64
    ```
    `point_weights` replaces each mean by a weighted sum over its points,
    L = sum_i w_i sum_p q_ip r_ip^2, one weight vector q_i per residual (the
    same shape): a batch compiled for N points evaluates the loss of its
    first n with q = 1/n there and 0 on the rest.
    ```mlir
    %L = stde.loss %r point_weights(%q : tensor<100xf64>) : tensor<100xf64> -> f64
    ```
    `gradient_weights [g_i]` makes the loss gradient-enhanced (gPINN): it adds
    sum_i g_i mean_p |grad_x r_i(x_p)|^2, the gradient over the spatial
    coordinates of the points, differentiated through the residual's
    arithmetic and its operators (d/dx_j of an operator is the operator with
    one more derivative, estimated like it). `gradient_samples m` sums over
    m coordinates j sampled without replacement each step, times Ds / m,
    instead of all Ds. `gradient_time` (space-time networks) adds the partial
    along t, g_i mean_p (d r_i / dt)^2, to the gradient term (never sampled).
    ```mlir
    %L = stde.loss %r gradient_weights [0.1] gradient_samples 16
        estimator(#stde.sparse<samples = 16>) : tensor<100xf64> -> f64
    %K = stde.loss %r gradient_weights [0.001] gradient_time : tensor<100xf64> -> f64
    ```
  }];
  let arguments = (ins Variadic<Stde_Vector>:$residuals,
                       Variadic<Stde_Vector>:$pointWeights,
                       OptionalAttr<DenseF64ArrayAttr>:$weights,
                       DefaultValuedAttr<Stde_LossForm, "::stde::LossForm::biased">:$form,
                       OptionalAttr<DenseF64ArrayAttr>:$gradientWeights,
                       OptionalAttr<I64Attr>:$gradientSamples,
                       UnitAttr:$gradientTime,
                       OptionalAttr<Stde_EstimatorAttr>:$estimator);
  let results = (outs Stde_Float:$result);
  let assemblyFormat = [{
    $residuals (`point_weights` `(` $pointWeights^ `:` type($pointWeights) `)`)?
    (`weights` $weights^)? (`form` $form^)?
    (`gradient_weights` $gradientWeights^)? (`gradient_samples` $gradientSamples^)?
    (`gradient_time` $gradientTime^)? (`estimator` `(` $estimator^ `)`)?
    attr-dict `:` type($residuals) `->` type($result)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The weight of residual i (1 when no weights are given).
    double getWeight(unsigned i);
    /// The weight of residual i's gradient term (0 when the loss is not
    /// gradient-enhanced).
    double getGradientWeight(unsigned i);
    /// The verifier's checks of gradient_weights, gradient_samples and
    /// gradient_time.
    ::mlir::LogicalResult verifyGradientTerms();
  }];
}

#endif // STDE_OPS_TD
