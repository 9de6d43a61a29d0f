// RUN: stde-opt %s | FileCheck %s
// RUN: stde-opt %s | stde-opt | FileCheck %s

// CHECK-LABEL: func.func @losses
func.func @losses(%r: tensor<100xf64>, %rb: tensor<20xf64>, %s: tensor<8xf32>) {
  // CHECK: stde.loss %{{.*}} : tensor<100xf64> -> f64
  %0 = stde.loss %r : tensor<100xf64> -> f64
  // CHECK: stde.loss %{{.*}}, %{{.*}} weights [1.000000e+00, 1.000000e+01] : tensor<100xf64>, tensor<20xf64> -> f64
  %1 = stde.loss %r, %rb weights [1.0, 10.0] : tensor<100xf64>, tensor<20xf64> -> f64
  // CHECK: stde.loss %{{.*}} form unbiased estimator(#stde.sparse<samples = 16>) : tensor<100xf64> -> f64
  %2 = stde.loss %r form unbiased estimator(#stde.sparse<samples = 16>) : tensor<100xf64> -> f64
  // The default form is not printed.
  // CHECK: stde.loss %{{.*}} estimator(#stde.zo<eps = 1.000000e-02, rank = 4, pairs = 1>) : tensor<8xf32> -> f32
  %3 = stde.loss %s form biased estimator(#stde.zo<eps = 1.0e-2, rank = 4, pairs = 1>) : tensor<8xf32> -> f32
  return
}

// Point weights: one vector per residual, of its shape.
// CHECK-LABEL: func.func @point_weights
func.func @point_weights(%r: tensor<100xf64>, %rb: tensor<20xf64>, %q: tensor<100xf64>, %qb: tensor<20xf64>) {
  // CHECK: stde.loss %{{.*}}, %{{.*}} point_weights(%{{.*}}, %{{.*}} : tensor<100xf64>, tensor<20xf64>) weights [1.000000e+00, 1.000000e+01] : tensor<100xf64>, tensor<20xf64> -> f64
  %0 = stde.loss %r, %rb point_weights(%q, %qb : tensor<100xf64>, tensor<20xf64>) weights [1.0, 10.0] : tensor<100xf64>, tensor<20xf64> -> f64
  return
}

// Gradient-enhanced (gPINN): one gradient weight per residual, optionally
// a number of sampled coordinates and the partial along t.
// CHECK-LABEL: func.func @gradient_enhanced
func.func @gradient_enhanced(%r: tensor<100xf64>, %rb: tensor<20xf64>) {
  // CHECK: stde.loss %{{.*}} gradient_weights [1.000000e-01] estimator(#stde.sparse<samples = 16>) : tensor<100xf64> -> f64
  %0 = stde.loss %r gradient_weights [0.1] estimator(#stde.sparse<samples = 16>) : tensor<100xf64> -> f64
  // CHECK: stde.loss %{{.*}}, %{{.*}} weights [1.000000e+00, 1.000000e+01] form unbiased gradient_weights [1.000000e-01, 0.000000e+00] gradient_samples 16 : tensor<100xf64>, tensor<20xf64> -> f64
  %1 = stde.loss %r, %rb weights [1.0, 10.0] form unbiased gradient_weights [0.1, 0.0] gradient_samples 16 : tensor<100xf64>, tensor<20xf64> -> f64
  // CHECK: stde.loss %{{.*}} gradient_weights [1.000000e-03] gradient_samples 4 gradient_time : tensor<100xf64> -> f64
  %2 = stde.loss %r gradient_weights [0.001] gradient_samples 4 gradient_time : tensor<100xf64> -> f64
  return
}
