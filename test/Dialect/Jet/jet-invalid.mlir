// RUN: stde-opt %s -split-input-file -verify-diagnostics

// expected-error @+1 {{jet order must be between 1 and 32, got 0}}
func.func @order(%j: !jet.jet<order = 0, dirs = 1, tensor<4xf64>, []>)

// -----

// expected-error @+1 {{jet of order 2 needs 2 coefficient kinds, got 1}}
func.func @kinds(%j: !jet.jet<order = 2, dirs = 1, tensor<4xf64>, [dense]>)

// -----

// expected-error @+1 {{unknown coefficient kind 'sparse' (expected zero, onehot, shared, dense or summed)}}
func.func @kind(%j: !jet.jet<order = 1, dirs = 1, tensor<4xf64>, [sparse]>)

// -----

// expected-error @+1 {{jet base elements must be f32 or f64, got 'i32'}}
func.func @element(%j: !jet.jet<order = 1, dirs = 1, tensor<4xi32>, [dense]>)

// -----

// expected-error @+1 {{jet base must be a statically shaped tensor of rank >= 1 (a batch axis first), got 'tensor<?xf64>'}}
func.func @dynamic(%j: !jet.jet<order = 1, dirs = 1, tensor<?xf64>, [dense]>)

// -----

// expected-error @+1 {{a jet needs at least one direction, got 0}}
func.func @directions(%j: !jet.jet<order = 1, dirs = 0, tensor<4xf64>, [dense]>)

// -----

func.func @seed_primal(%x: tensor<4x2xf64>) {
  // expected-error @+1 {{primal has type 'tensor<4x2xf64>' but the jet's base is 'tensor<4x3xf64>'}}
  %j = jet.seed %x : (tensor<4x2xf64>) -> !jet.jet<order = 1, dirs = 2, tensor<4x3xf64>, [zero]>
  return
}

// -----

func.func @seed_onehot(%x: tensor<4x3xf64>, %i: tensor<3xindex>) {
  // expected-error @+1 {{coefficient 1 is onehot and must have type 'tensor<2xindex>', got 'tensor<3xindex>'}}
  %j = jet.seed %x, %i : (tensor<4x3xf64>, tensor<3xindex>) -> !jet.jet<order = 1, dirs = 2, tensor<4x3xf64>, [onehot]>
  return
}

// -----

func.func @seed_scales_count(%x: tensor<4x3xf64>, %i: tensor<2xindex>) {
  // expected-error @+1 {{has 2 scales for 1 one-hot coefficients: give one per one-hot coefficient}}
  %j = jet.seed %x, %i {scales = array<f64: 2.0, 3.0>} : (tensor<4x3xf64>, tensor<2xindex>) -> !jet.jet<order = 2, dirs = 2, tensor<4x3xf64>, [onehot, zero]>
  return
}

// -----

func.func @seed_scales_finite(%x: tensor<4x3xf64>, %i: tensor<2xindex>) {
  // expected-error @+1 {{scale INF of a one-hot coefficient must be finite}}
  %j = jet.seed %x, %i {scales = array<f64: 0x7FF0000000000000>} : (tensor<4x3xf64>, tensor<2xindex>) -> !jet.jet<order = 1, dirs = 2, tensor<4x3xf64>, [onehot]>
  return
}

// -----

func.func @seed_missing(%x: tensor<4x3xf64>) {
  // expected-error @+1 {{coefficient 2 is dense and needs an operand of type 'tensor<2x4x3xf64>', but only 0 coefficient operands are given}}
  %j = jet.seed %x : (tensor<4x3xf64>) -> !jet.jet<order = 2, dirs = 2, tensor<4x3xf64>, [zero, dense]>
  return
}

// -----

func.func @seed_extra(%x: tensor<4x3xf64>) {
  // expected-error @+1 {{takes 0 coefficient operands for this structure, got 1}}
  %j = jet.seed %x, %x : (tensor<4x3xf64>, tensor<4x3xf64>) -> !jet.jet<order = 1, dirs = 2, tensor<4x3xf64>, [zero]>
  return
}

// -----

func.func @coefficient_order(%j: !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]>) {
  // expected-error @+1 {{coefficient 2 of a jet of order 1}}
  %c = jet.coefficient %j[2] : !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]> -> tensor<2x4xf64>
  return
}

// -----

func.func @coefficient_type(%j: !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]>) {
  // expected-error @+1 {{coefficient 1 has type 'tensor<2x4xf64>', not 'tensor<4xf64>'}}
  %c = jet.coefficient %j[1] : !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]> -> tensor<4xf64>
  return
}

// -----

func.func @widen_narrows(%j: !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]>) {
  // expected-error @+1 {{result coefficient 1 is declared shared but the rule produces dense}}
  %w = jet.widen %j : !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]> -> !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [shared]>
  return
}

// -----

func.func @binary_mismatch(%a: !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]>,
                           %b: !jet.jet<order = 1, dirs = 3, tensor<4xf64>, [dense]>) {
  // expected-error @+1 {{operand jets differ in base, order or directions}}
  %c = jet.add %a, %b : !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]>, !jet.jet<order = 1, dirs = 3, tensor<4xf64>, [dense]>
  return
}

// -----

func.func @dot_mismatch(%a: !jet.jet<order = 1, dirs = 2, tensor<4x3xf64>, [dense]>,
                        %b: !jet.jet<order = 2, dirs = 2, tensor<4x3xf64>, [dense, dense]>) {
  // expected-error @+1 {{operand jets differ in base, order or directions}}
  %c = jet.dot %a, %b : !jet.jet<order = 1, dirs = 2, tensor<4x3xf64>, [dense]>, !jet.jet<order = 2, dirs = 2, tensor<4x3xf64>, [dense, dense]>
  return
}

// -----

func.func @dot_vector(%a: !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]>) {
  // expected-error @+1 {{dot needs an axis besides the batch axis, got 'tensor<4xf64>'}}
  %c = jet.dot %a, %a : !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]>, !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]>
  return
}

// -----

func.func @dense_structure(%p: tensor<20xf64>, %j: !jet.jet<order = 1, dirs = 2, tensor<4x3xf64>, [onehot]>) {
  // expected-error @+1 {{result coefficient 1 is declared onehot but the rule produces dense}}
  %h = jet.dense %j, %p[0] : (!jet.jet<order = 1, dirs = 2, tensor<4x3xf64>, [onehot]>, tensor<20xf64>) -> !jet.jet<order = 1, dirs = 2, tensor<4x5xf64>, [onehot]>
  return
}

// -----

func.func @dense_params(%p: tensor<10xf64>, %j: !jet.jet<order = 1, dirs = 2, tensor<4x3xf64>, [dense]>) {
  // expected-error @+1 {{layer needs parameters [0, 20) but the buffer holds 10}}
  %h = jet.dense %j, %p[0] : (!jet.jet<order = 1, dirs = 2, tensor<4x3xf64>, [dense]>, tensor<10xf64>) -> !jet.jet<order = 1, dirs = 2, tensor<4x5xf64>, [dense]>
  return
}

// -----

func.func @dense_batch(%p: tensor<20xf64>, %j: !jet.jet<order = 1, dirs = 2, tensor<4x3xf64>, [dense]>) {
  // expected-error @+1 {{maps a jet over tensor<N x I> to one over tensor<N x O>}}
  %h = jet.dense %j, %p[0] : (!jet.jet<order = 1, dirs = 2, tensor<4x3xf64>, [dense]>, tensor<20xf64>) -> !jet.jet<order = 1, dirs = 2, tensor<5x5xf64>, [dense]>
  return
}

// -----

func.func @slice_bounds(%j: !jet.jet<order = 1, dirs = 2, tensor<4x3xf64>, [dense]>) {
  // expected-error @+1 {{slice [2, 4) exceeds the last axis of size 3}}
  %s = jet.slice %j[2, 2] : !jet.jet<order = 1, dirs = 2, tensor<4x3xf64>, [dense]>
  return
}

// -----

func.func @sum_batch(%j: !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]>) {
  // expected-error @+1 {{sum needs an axis besides the batch axis}}
  %s = jet.sum %j : !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]>
  return
}

// -----

func.func @broadcast_shape(%j: !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]>) {
  // expected-error @+1 {{appends one axis to the base}}
  %b = jet.broadcast %j : !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]> -> !jet.jet<order = 1, dirs = 2, tensor<5x2xf64>, [dense]>
  return
}

// -----

func.func @pushforward_unknown(%j: !jet.jet<order = 1, dirs = 2, tensor<4x3xf64>, [dense]>) {
  // expected-error @+1 {{'v' does not name a network}}
  %y = jet.pushforward @v(%j) : (!jet.jet<order = 1, dirs = 2, tensor<4x3xf64>, [dense]>) -> !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]>
  return
}

// -----

stde.network @f(%x: tensor<2xf64>) -> f64 {
  %s = stde.sum %x : tensor<2xf64> -> f64
  stde.return %s : f64
}
func.func @pushforward_points(%j: !jet.jet<order = 1, dirs = 2, tensor<4x3xf64>, [dense]>) {
  // expected-error @+1 {{points must be a jet over tensor<N x 2 x 'f64'>, got 'tensor<4x3xf64>'}}
  %y = jet.pushforward @f(%j) : (!jet.jet<order = 1, dirs = 2, tensor<4x3xf64>, [dense]>) -> !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]>
  return
}

// -----

stde.network @f(%x: tensor<3xf64>) -> f64 {
  %s = stde.sum %x : tensor<3xf64> -> f64
  stde.return %s : f64
}
func.func @pushforward_result(%j: !jet.jet<order = 1, dirs = 2, tensor<4x3xf64>, [dense]>) {
  // expected-error @+1 {{result must be a jet over 'tensor<4xf64>', got 'tensor<5xf64>'}}
  %y = jet.pushforward @f(%j) : (!jet.jet<order = 1, dirs = 2, tensor<4x3xf64>, [dense]>) -> !jet.jet<order = 1, dirs = 2, tensor<5xf64>, [dense]>
  return
}

// -----

// expected-error @+1 {{only the top coefficient (2) can be summed over the directions, not coefficient 1}}
func.func @summed_below_top(%j: !jet.jet<order = 2, dirs = 4, tensor<3x2xf64>, [summed, dense]>)

// -----

func.func @collapse_twice(%j: !jet.jet<order = 2, dirs = 4, tensor<3x2xf64>, [onehot, summed]>) {
  // expected-error @+1 {{input's top coefficient is already summed}}
  %c = jet.collapse %j : !jet.jet<order = 2, dirs = 4, tensor<3x2xf64>, [onehot, summed]> -> !jet.jet<order = 2, dirs = 4, tensor<3x2xf64>, [onehot, summed]>
  return
}

// -----

func.func @collapse_not_summed(%j: !jet.jet<order = 2, dirs = 4, tensor<3x2xf64>, [onehot, zero]>) {
  // expected-error @+1 {{result's top coefficient must be summed, got dense}}
  %c = jet.collapse %j : !jet.jet<order = 2, dirs = 4, tensor<3x2xf64>, [onehot, zero]> -> !jet.jet<order = 2, dirs = 4, tensor<3x2xf64>, [onehot, dense]>
  return
}

// -----

func.func @collapse_changes_lower(%j: !jet.jet<order = 2, dirs = 4, tensor<3x2xf64>, [onehot, zero]>) {
  // expected-error @+1 {{coefficient 1 changes from onehot to dense; only the top coefficient collapses}}
  %c = jet.collapse %j : !jet.jet<order = 2, dirs = 4, tensor<3x2xf64>, [onehot, zero]> -> !jet.jet<order = 2, dirs = 4, tensor<3x2xf64>, [dense, summed]>
  return
}

// -----

func.func @summed_coefficient_type(%j: !jet.jet<order = 2, dirs = 4, tensor<3x2xf64>, [dense, summed]>) {
  // expected-error @+1 {{coefficient 2 has type 'tensor<3x2xf64>', not 'tensor<4x3x2xf64>'}}
  %c = jet.coefficient %j[2] : !jet.jet<order = 2, dirs = 4, tensor<3x2xf64>, [dense, summed]> -> tensor<4x3x2xf64>
  return
}

// -----

func.func @summed_does_not_widen(%j: !jet.jet<order = 2, dirs = 4, tensor<3x2xf64>, [dense, summed]>) {
  // expected-error @+1 {{}}
  %w = jet.widen %j : !jet.jet<order = 2, dirs = 4, tensor<3x2xf64>, [dense, summed]> -> !jet.jet<order = 2, dirs = 4, tensor<3x2xf64>, [dense, dense]>
  return
}

// -----

func.func @linear_wrong_rows(%x: !jet.jet<order = 1, dirs = 2, tensor<5x3xf64>, [onehot]>, %b: tensor<4x2xf64>) {
  // expected-error @+1 {{'jet.linear' weight 'tensor<4x2xf64>' does not read 3 features: it must be I x O with I = 3}}
  %u = jet.linear %x, %b input_major : !jet.jet<order = 1, dirs = 2, tensor<5x3xf64>, [onehot]>, tensor<4x2xf64>
  return
}

// -----

func.func @linear_wrong_columns(%x: !jet.jet<order = 1, dirs = 2, tensor<5x3xf64>, [onehot]>, %w: tensor<4x2xf64>) {
  // expected-error @+1 {{'jet.linear' weight 'tensor<4x2xf64>' does not read 3 features: it must be O x I with I = 3}}
  %u = jet.linear %x, %w : !jet.jet<order = 1, dirs = 2, tensor<5x3xf64>, [onehot]>, tensor<4x2xf64>
  return
}

// -----

func.func @linear_wrong_element(%x: !jet.jet<order = 1, dirs = 2, tensor<5x3xf64>, [onehot]>, %b: tensor<3x2xf32>) {
  // expected-error @+1 {{'jet.linear' weight must be a matrix of 'f64', got 'tensor<3x2xf32>'}}
  %u = jet.linear %x, %b input_major : !jet.jet<order = 1, dirs = 2, tensor<5x3xf64>, [onehot]>, tensor<3x2xf32>
  return
}

// -----

func.func @linear_vector_jet(%x: !jet.jet<order = 1, dirs = 2, tensor<5xf64>, [onehot]>, %b: tensor<5x2xf64>) {
  // expected-error @+1 {{'jet.linear' needs a jet over tensor<N x I>}}
  %u = jet.linear %x, %b input_major : !jet.jet<order = 1, dirs = 2, tensor<5xf64>, [onehot]>, tensor<5x2xf64>
  return
}

// -----

func.func @linear_bias_mismatch(%u: !jet.jet<order = 1, dirs = 2, tensor<5x2xf64>, [dense]>, %a: tensor<4x2xf64>, %db: tensor<3xf64>) {
  // expected-error @+1 {{'jet.linear' bias must be a tensor<4 x 'f64'>, got 'tensor<3xf64>'}}
  %y = jet.linear %u, %a bias %db : !jet.jet<order = 1, dirs = 2, tensor<5x2xf64>, [dense]>, tensor<4x2xf64>, tensor<3xf64>
  return
}

// -----

func.func @fold_not_tiling(%j: !jet.jet<order = 1, dirs = 2, tensor<4x6xf64>, [onehot]>) {
  // expected-error @+1 {{blocks of 4 entries do not tile a last axis of 6}}
  %f = jet.fold_blocks %j : !jet.jet<order = 1, dirs = 2, tensor<4x6xf64>, [onehot]> -> !jet.jet<order = 1, dirs = 2, tensor<4x4xf64>, [onehot]>
  return
}

// -----

func.func @fold_structure(%j: !jet.jet<order = 1, dirs = 2, tensor<4x6xf64>, [onehot]>) {
  // expected-error @+1 {{keeps the structure of every coefficient: expected '!jet.jet<order = 1, dirs = 2, tensor<4x3xf64>, [onehot]>'}}
  %f = jet.fold_blocks %j : !jet.jet<order = 1, dirs = 2, tensor<4x6xf64>, [onehot]> -> !jet.jet<order = 1, dirs = 2, tensor<4x3xf64>, [dense]>
  return
}

// -----

func.func @fold_batch(%j: !jet.jet<order = 1, dirs = 2, tensor<4x6xf64>, [dense]>) {
  // expected-error @+1 {{folds the last axis of a base with a batch axis}}
  %f = jet.fold_blocks %j : !jet.jet<order = 1, dirs = 2, tensor<4x6xf64>, [dense]> -> !jet.jet<order = 1, dirs = 2, tensor<2x6xf64>, [dense]>
  return
}

// -----

func.func @max_batch(%j: !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]>) {
  // expected-error @+1 {{max needs an axis besides the batch axis}}
  %m = jet.max %j : !jet.jet<order = 1, dirs = 2, tensor<4xf64>, [dense]>
  return
}
