// RUN: stde-opt %s --split-input-file --verify-diagnostics

func.func @rank_above_rows(%seed: i64, %epoch: i64) -> tensor<3x4xf64> {
  // expected-error @+1 {{an orthonormal basis of rank 4 needs 1 <= r <= n = 3: use a rank of at most 3}}
  %b = zo.basis %seed, %epoch stream 1 : tensor<3x4xf64>
  return %b : tensor<3x4xf64>
}

// -----

func.func @basis_not_a_matrix(%seed: i64, %epoch: i64) -> tensor<3xf64> {
  // expected-error @+1 {{result must be a static tensor<n x r>}}
  %b = zo.basis %seed, %epoch stream 1 : tensor<3xf64>
  return %b : tensor<3xf64>
}
