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

// -----

func.func @project_wrong_rows(%x: !jet.jet<order = 1, dirs = 2, tensor<5x3xf64>, [onehot]>, %b: tensor<4x2xf64>) {
  // expected-error @+1 {{'zo.project' basis has 4 rows but the jet has 3 features: B must be 3 x r}}
  %u = zo.project %x, %b : !jet.jet<order = 1, dirs = 2, tensor<5x3xf64>, [onehot]>, tensor<4x2xf64>
  return
}

// -----

func.func @project_wrong_element(%x: !jet.jet<order = 1, dirs = 2, tensor<5x3xf64>, [onehot]>, %b: tensor<3x2xf32>) {
  // expected-error @+1 {{'zo.project' basis must be a tensor<I x r x 'f64'>}}
  %u = zo.project %x, %b : !jet.jet<order = 1, dirs = 2, tensor<5x3xf64>, [onehot]>, tensor<3x2xf32>
  return
}

// -----

func.func @project_vector_jet(%x: !jet.jet<order = 1, dirs = 2, tensor<5xf64>, [onehot]>, %b: tensor<5x2xf64>) {
  // expected-error @+1 {{'zo.project' needs a jet over tensor<N x I>}}
  %u = zo.project %x, %b : !jet.jet<order = 1, dirs = 2, tensor<5xf64>, [onehot]>, tensor<5x2xf64>
  return
}

// -----

func.func @lift_core_not_square(%u: !jet.jet<order = 1, dirs = 2, tensor<5x2xf64>, [dense]>, %m: tensor<2x3xf64>, %a: tensor<4x2xf64>, %db: tensor<4xf64>) {
  // expected-error @+1 {{'zo.lift' core must be 2 x 2 (the jet's rank)}}
  %y = zo.lift %u, %m, %a, %db : !jet.jet<order = 1, dirs = 2, tensor<5x2xf64>, [dense]>, tensor<2x3xf64>, tensor<4x2xf64>, tensor<4xf64>
  return
}

// -----

func.func @lift_bias_mismatch(%u: !jet.jet<order = 1, dirs = 2, tensor<5x2xf64>, [dense]>, %m: tensor<2x2xf64>, %a: tensor<4x2xf64>, %db: tensor<3xf64>) {
  // expected-error @+1 {{'zo.lift' basis must be O x 2 and the bias O}}
  %y = zo.lift %u, %m, %a, %db : !jet.jet<order = 1, dirs = 2, tensor<5x2xf64>, [dense]>, tensor<2x2xf64>, tensor<4x2xf64>, tensor<3xf64>
  return
}

// -----

func.func @lift_bias_rank(%u: !jet.jet<order = 1, dirs = 2, tensor<5x2xf64>, [dense]>, %m: tensor<2x2xf64>, %a: tensor<4x2xf64>, %db: tensor<4x1xf64>) {
  // expected-error @+1 {{'zo.lift' takes the core tensor<r x r x 'f64'>}}
  %y = zo.lift %u, %m, %a, %db : !jet.jet<order = 1, dirs = 2, tensor<5x2xf64>, [dense]>, tensor<2x2xf64>, tensor<4x2xf64>, tensor<4x1xf64>
  return
}
