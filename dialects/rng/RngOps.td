//===- RngOps.td - counter-based random numbers --------------*- tablegen -*-===//
#ifndef RNG_OPS_TD
#define RNG_OPS_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/EnumAttr.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"

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
  }];
  let arguments = (ins Rng_Distribution:$distribution, I64:$seed, I64:$step,
                       I32Attr:$stream);
  let results = (outs RankedTensorOf<[F32, F64]>:$result);
  let assemblyFormat = [{
    $distribution $seed `,` $step `stream` $stream attr-dict `:` type($result)
  }];
  let hasVerifier = 1;
}

def Rng_SampleOp : Rng_Op<"sample"> {
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

def Rng_ChoiceOp : Rng_Op<"choice"> {
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
