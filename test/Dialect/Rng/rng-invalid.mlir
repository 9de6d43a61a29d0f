// RUN: stde-opt %s -split-input-file -verify-diagnostics

func.func @too_many_samples(%seed: i64, %step: i64) -> tensor<5xindex> {
  // expected-error @+1 {{cannot draw 5 distinct values from a population of 4: use at most 4 samples}}
  %J = rng.sample %seed, %step stream 0 population 4 : tensor<5xindex>
  return %J : tensor<5xindex>
}

// -----

func.func @bad_weight(%seed: i64, %step: i64) -> tensor<2xindex> {
  // expected-error @+1 {{weight 1 is -1.000000e+00; weights must be positive and finite}}
  %t = rng.choice %seed, %step stream 0 weights [1.0, -1.0] : tensor<2xindex>
  return %t : tensor<2xindex>
}

// -----

func.func @no_weights(%seed: i64, %step: i64) -> tensor<2xindex> {
  // expected-error @+1 {{needs at least one weight}}
  %t = rng.choice %seed, %step stream 0 weights [] : tensor<2xindex>
  return %t : tensor<2xindex>
}

// -----

func.func @dynamic(%seed: i64, %step: i64) -> tensor<?xf64> {
  // expected-error @+1 {{result must have a static shape}}
  %v = rng.draw uniform %seed, %step stream 0 : tensor<?xf64>
  return %v : tensor<?xf64>
}

// -----

func.func @population(%seed: i64, %step: i64) -> tensor<1xindex> {
  // expected-error @+1 {{attribute 'population' failed to satisfy constraint}}
  %J = rng.sample %seed, %step stream 0 population 0 : tensor<1xindex>
  return %J : tensor<1xindex>
}

// -----

func.func @types(%seed: i32, %step: i64) -> tensor<1xf64> {
  // expected-error @+1 {{operand #0 must be 64-bit signless integer}}
  %v = "rng.draw"(%seed, %step) {distribution = 0 : i32, stream = 0 : i32} : (i32, i64) -> tensor<1xf64>
  return %v : tensor<1xf64>
}

// -----

func.func @slice_outside(%seed: i64, %step: i64) -> tensor<3x2xf64> {
  // expected-error @+1 {{the slice's dimension 0 (2 .. 5) lies outside the draw's extent 4}}
  %v = rng.draw uniform %seed, %step stream 0 slice [2, 0] of [4, 2] : tensor<3x2xf64>
  return %v : tensor<3x2xf64>
}

// -----

func.func @slice_rank(%seed: i64, %step: i64) -> tensor<3x2xf64> {
  // expected-error @+1 {{a slice of a rank-2 draw needs 2 offsets and a rank-2 shape}}
  %v = rng.draw uniform %seed, %step stream 0 slice [0] of [4] : tensor<3x2xf64>
  return %v : tensor<3x2xf64>
}

// -----

func.func @slice_too_large(%seed: i64, %step: i64) -> tensor<2x2xf64> {
  // expected-error @+1 {{draws more than 2^32 numbers}}
  %v = rng.draw uniform %seed, %step stream 0 slice [0, 0] of [100000, 100000] : tensor<2x2xf64>
  return %v : tensor<2x2xf64>
}
