//===- RngOps.td - counter-based random numbers --------------*- tablegen -*-===//
#ifndef RNG_OPS_TD
#define RNG_OPS_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/EnumAttr.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/InferIntRangeInterface.td"

def Rng_Dialect : Dialect {
  let name = "rng";
  let cppNamespace = "::mlir::rng";
  let summary = "counter-based random numbers (Philox4x32-10)";
  let description = [{
    Every random number is a pure function of counters: Philox4x32-10 keyed
    by the 64-bit seed (key = (seed lo, seed hi)), counter = (element index,
    stream, step lo, step hi). The stream identifies the consumer (operator
    and role), the step the training iteration. Ops are pure: the same
    operands always give the same values, on every target, because
    `convert-rng-to-arith` lowers them to plain integer arithmetic.
  }];
}

class Rng_Op<string mnemonic, list<Trait> traits = []>
    : Op<Rng_Dialect, mnemonic, traits # [Pure]>;

def Rng_Distribution : I32EnumAttr<"Distribution", "distribution of a draw", [
    I32EnumAttrCase<"uniform", 0>,     // [0, 1)
    I32EnumAttrCase<"rademacher", 1>,  // +-1 with probability 1/2
    I32EnumAttrCase<"gaussian", 2>     // N(0, 1), Box-Muller
  ]> {
  let cppNamespace = "::mlir::rng";
}

def Rng_PhiloxOp : Rng_Op<"philox", [AllTypesMatch<["k0", "k1", "c0", "c1", "c2", "c3",
                                                     "r0", "r1", "r2", "r3"]>]> {
  let summary = "one Philox4x32-10 block: 4 random words from a key and a counter";
  let description = [{
    ```mlir
    %r:4 = rng.philox %k0, %k1, %c0, %c1, %c2, %c3 : i32
    ```
  }];
  let arguments = (ins I32:$k0, I32:$k1, I32:$c0, I32:$c1, I32:$c2, I32:$c3);
  let results = (outs I32:$r0, I32:$r1, I32:$r2, I32:$r3);
  let assemblyFormat = "$k0 `,` $k1 `,` $c0 `,` $c1 `,` $c2 `,` $c3 attr-dict `:` type($k0)";
}

def Rng_DrawOp : Rng_Op<"draw"> {
  let summary = "a tensor of independent draws";
  let description = [{
    Element e (row-major index) comes from the Philox block with counter
    (e, stream, step lo, step hi).
    ```mlir
    %v = rng.draw rademacher %seed, %step stream 3 : tensor<16x100x8xf64>
    ```
    With `slice [offsets] of [shape]` the result is the window at `offsets`
    of the draw of that larger shape: element i holds what element
    offsets + i holds there (its row-major index in the larger shape picks
    the block). Data-parallel training draws a rank's share of the step's
    points this way, so every point keeps the numbers it has in one process.
    ```mlir
    %x = rng.draw gaussian %seed, %step stream 4 slice [50, 0] of [100, 8] : tensor<50x8xf64>
    ```
  }];
  let arguments = (ins Rng_Distribution:$distribution, I64:$seed, I64:$step,
                       I32Attr:$stream,
                       OptionalAttr<DenseI64ArrayAttr>:$slice_offsets,
                       OptionalAttr<DenseI64ArrayAttr>:$slice_of);
  let results = (outs RankedTensorOf<[F32, F64]>:$result);
  let assemblyFormat = [{
    $distribution $seed `,` $step `stream` $stream
    (`slice` $slice_offsets^ `of` $slice_of)? attr-dict `:` type($result)
  }];
  let builders = [
    // A whole draw (no slice).
    OpBuilder<(ins "::mlir::Type":$result, "::mlir::rng::Distribution":$distribution,
                   "::mlir::Value":$seed, "::mlir::Value":$step, "uint32_t":$stream), [{
      build($_builder, $_state, result, distribution, seed, step, stream,
            ::mlir::DenseI64ArrayAttr(), ::mlir::DenseI64ArrayAttr());
    }]>
  ];
  let extraClassDeclaration = [{
    /// The shape of the draw this op is a window of (its own without a slice).
    ::llvm::SmallVector<int64_t> getDrawShape();
    /// The window's offset in each dimension (zeros without a slice).
    ::llvm::SmallVector<int64_t> getDrawOffsets();
  }];
  let hasVerifier = 1;
}

// The index draws state their range (InferIntRangeInterface), so a Taylor rule
// can tell which coordinates a one-hot tangent built from them may select.
def Rng_SampleOp : Rng_Op<"sample", [
    DeclareOpInterfaceMethods<InferIntRangeInterface, ["inferResultRanges"]>]> {
  let summary = "k distinct integers of [0, population), uniformly (Floyd)";
  let description = [{
    Sampling without replacement: every k-subset is equally likely. Draw i
    uses the block with counter (i, stream, step lo, step hi).
    ```mlir
    %J = rng.sample %seed, %step stream 1 population 100 : tensor<16xindex>
    ```
  }];
  let arguments = (ins I64:$seed, I64:$step, I32Attr:$stream,
                       ConfinedAttr<I64Attr, [IntPositive]>:$population);
  let results = (outs 1DTensorOf<[Index]>:$result);
  let assemblyFormat = [{
    $seed `,` $step `stream` $stream `population` $population attr-dict `:` type($result)
  }];
  let hasVerifier = 1;
}

def Rng_ChoiceOp : Rng_Op<"choice", [
    DeclareOpInterfaceMethods<InferIntRangeInterface, ["inferResultRanges"]>]> {
  let summary = "k independent integers, i drawn with probability weights[i] / sum";
  let description = [{
    Sampling with replacement by (positive) weights, through an alias table
    built at lowering time: O(1) per draw.
    ```mlir
    %t = rng.choice %seed, %step stream 2 weights [1.0, 3.0] : tensor<8xindex>
    ```
  }];
  let arguments = (ins I64:$seed, I64:$step, I32Attr:$stream, DenseF64ArrayAttr:$weights);
  let results = (outs 1DTensorOf<[Index]>:$result);
  let assemblyFormat = [{
    $seed `,` $step `stream` $stream `weights` $weights attr-dict `:` type($result)
  }];
  let hasVerifier = 1;
}

#endif // RNG_OPS_TD
