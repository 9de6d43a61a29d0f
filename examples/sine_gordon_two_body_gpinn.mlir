// Two-body Sine-Gordon in d = 100 with a gradient-enhanced (gPINN) loss:
//   Lap u + sin u = f on the unit ball, u = 0 on the sphere,
//   u*(x) = (1 - |x|^2) sum_i c_i sin(x_i + cos x_(i+1) + x_(i+1) cos x_i),
// f = Lap u* + sin u* a fixed field (@source) of the point, so that its
// partials d f / dx_j come from jets like those of u. The loss is
//   mean r^2 + 0.1 mean |grad_x r|^2,  d r / dx_j = sum_i u_iij + cos(u) u_j - f_j,
// the gradient over 16 coordinates j sampled each step (times 100 / 16) and
// sum_i u_iij estimated with one sampled i per j (the Laplacian's 16 samples
// split over the 16 coordinates). Written by
//   stde-train --problem sine-gordon-two-body --gradient-weight 0.1 --emit-problem
//
//   stde-train --problem examples/sine_gordon_two_body_gpinn.mlir --steps 2000
module attributes {stde.domain = "unit_ball"} {
  stde.network @u(%theta: tensor<46081xf32>, %x: tensor<100xf32>) -> f32 {
    %0 = stde.dense %x, %theta[0] : (tensor<100xf32>, tensor<46081xf32>) -> tensor<128xf32>
    %1 = stde.activation tanh %0 : tensor<128xf32>
    %2 = stde.dense %1, %theta[12928] : (tensor<128xf32>, tensor<46081xf32>) -> tensor<128xf32>
    %3 = stde.activation tanh %2 : tensor<128xf32>
    %4 = stde.dense %3, %theta[29440] : (tensor<128xf32>, tensor<46081xf32>) -> tensor<128xf32>
    %5 = stde.activation tanh %4 : tensor<128xf32>
    %6 = stde.dense %5, %theta[45952] : (tensor<128xf32>, tensor<46081xf32>) -> tensor<1xf32>
    %7 = stde.sum %6 : tensor<1xf32> -> f32
    %8 = stde.sqnorm %x : tensor<100xf32> -> f32
    %cst = arith.constant 1.000000e+00 : f32
    %9 = arith.subf %cst, %8 : f32
    %10 = arith.mulf %9, %7 : f32
    stde.return %10 : f32
  }
  stde.network @u_exact(%x: tensor<100xf32>) -> f32 {
    %c0_i64 = arith.constant 0 : i64
    %c0_i64_0 = arith.constant 0 : i64
    %0 = rng.draw gaussian %c0_i64, %c0_i64_0 stream 2147221504 : tensor<99xf64>
    %1 = arith.truncf %0 : tensor<99xf64> to tensor<99xf32>
    %extracted_slice = tensor.extract_slice %x[0] [99] [1] : tensor<100xf32> to tensor<99xf32>
    %extracted_slice_1 = tensor.extract_slice %x[1] [99] [1] : tensor<100xf32> to tensor<99xf32>
    %2 = math.cos %extracted_slice : tensor<99xf32>
    %3 = math.sin %extracted_slice : tensor<99xf32>
    %4 = math.cos %extracted_slice_1 : tensor<99xf32>
    %5 = math.sin %extracted_slice_1 : tensor<99xf32>
    %6 = arith.mulf %extracted_slice_1, %2 : tensor<99xf32>
    %7 = arith.addf %extracted_slice, %4 : tensor<99xf32>
    %8 = arith.addf %7, %6 : tensor<99xf32>
    %9 = math.sin %8 : tensor<99xf32>
    %10 = math.cos %8 : tensor<99xf32>
    %cst = arith.constant dense<1.000000e+00> : tensor<99xf32>
    %11 = arith.mulf %extracted_slice_1, %3 : tensor<99xf32>
    %12 = arith.subf %cst, %11 : tensor<99xf32>
    %13 = arith.subf %2, %5 : tensor<99xf32>
    %14 = arith.mulf %1, %9 : tensor<99xf32>
    %15 = stde.sum %14 : tensor<99xf32> -> f32
    %16 = arith.mulf %extracted_slice, %12 : tensor<99xf32>
    %17 = arith.mulf %extracted_slice_1, %13 : tensor<99xf32>
    %18 = arith.addf %16, %17 : tensor<99xf32>
    %19 = arith.mulf %1, %10 : tensor<99xf32>
    %20 = arith.mulf %19, %18 : tensor<99xf32>
    %21 = stde.sum %20 : tensor<99xf32> -> f32
    %22 = arith.mulf %12, %12 : tensor<99xf32>
    %23 = arith.mulf %13, %13 : tensor<99xf32>
    %24 = arith.addf %22, %23 : tensor<99xf32>
    %25 = arith.mulf %9, %24 : tensor<99xf32>
    %26 = arith.addf %6, %4 : tensor<99xf32>
    %27 = arith.mulf %10, %26 : tensor<99xf32>
    %28 = arith.addf %25, %27 : tensor<99xf32>
    %29 = arith.mulf %1, %28 : tensor<99xf32>
    %30 = stde.sum %29 : tensor<99xf32> -> f32
    %cst_2 = arith.constant 0.000000e+00 : f32
    %31 = arith.subf %cst_2, %30 : f32
    %32 = stde.sqnorm %x : tensor<100xf32> -> f32
    %cst_3 = arith.constant 1.000000e+00 : f32
    %33 = arith.subf %cst_3, %32 : f32
    %34 = arith.mulf %33, %15 : f32
    stde.return %34 : f32
  }
  stde.network @source(%x: tensor<100xf32>) -> f32 {
    %c0_i64 = arith.constant 0 : i64
    %c0_i64_0 = arith.constant 0 : i64
    %0 = rng.draw gaussian %c0_i64, %c0_i64_0 stream 2147221504 : tensor<99xf64>
    %1 = arith.truncf %0 : tensor<99xf64> to tensor<99xf32>
    %extracted_slice = tensor.extract_slice %x[0] [99] [1] : tensor<100xf32> to tensor<99xf32>
    %extracted_slice_1 = tensor.extract_slice %x[1] [99] [1] : tensor<100xf32> to tensor<99xf32>
    %2 = math.cos %extracted_slice : tensor<99xf32>
    %3 = math.sin %extracted_slice : tensor<99xf32>
    %4 = math.cos %extracted_slice_1 : tensor<99xf32>
    %5 = math.sin %extracted_slice_1 : tensor<99xf32>
    %6 = arith.mulf %extracted_slice_1, %2 : tensor<99xf32>
    %7 = arith.addf %extracted_slice, %4 : tensor<99xf32>
    %8 = arith.addf %7, %6 : tensor<99xf32>
    %9 = math.sin %8 : tensor<99xf32>
    %10 = math.cos %8 : tensor<99xf32>
    %cst = arith.constant dense<1.000000e+00> : tensor<99xf32>
    %11 = arith.mulf %extracted_slice_1, %3 : tensor<99xf32>
    %12 = arith.subf %cst, %11 : tensor<99xf32>
    %13 = arith.subf %2, %5 : tensor<99xf32>
    %14 = arith.mulf %1, %9 : tensor<99xf32>
    %15 = stde.sum %14 : tensor<99xf32> -> f32
    %16 = arith.mulf %extracted_slice, %12 : tensor<99xf32>
    %17 = arith.mulf %extracted_slice_1, %13 : tensor<99xf32>
    %18 = arith.addf %16, %17 : tensor<99xf32>
    %19 = arith.mulf %1, %10 : tensor<99xf32>
    %20 = arith.mulf %19, %18 : tensor<99xf32>
    %21 = stde.sum %20 : tensor<99xf32> -> f32
    %22 = arith.mulf %12, %12 : tensor<99xf32>
    %23 = arith.mulf %13, %13 : tensor<99xf32>
    %24 = arith.addf %22, %23 : tensor<99xf32>
    %25 = arith.mulf %9, %24 : tensor<99xf32>
    %26 = arith.addf %6, %4 : tensor<99xf32>
    %27 = arith.mulf %10, %26 : tensor<99xf32>
    %28 = arith.addf %25, %27 : tensor<99xf32>
    %29 = arith.mulf %1, %28 : tensor<99xf32>
    %30 = stde.sum %29 : tensor<99xf32> -> f32
    %cst_2 = arith.constant 0.000000e+00 : f32
    %31 = arith.subf %cst_2, %30 : f32
    %32 = stde.sqnorm %x : tensor<100xf32> -> f32
    %cst_3 = arith.constant 1.000000e+00 : f32
    %33 = arith.subf %cst_3, %32 : f32
    %34 = arith.mulf %33, %15 : f32
    %cst_4 = arith.constant -2.000000e+02 : f32
    %cst_5 = arith.constant -4.000000e+00 : f32
    %35 = arith.mulf %cst_4, %15 : f32
    %36 = arith.mulf %cst_5, %21 : f32
    %37 = arith.mulf %33, %31 : f32
    %38 = arith.addf %35, %36 : f32
    %39 = arith.addf %38, %37 : f32
    %40 = math.sin %34 : f32
    %41 = arith.addf %39, %40 : f32
    stde.return %41 : f32
  }
  func.func @loss(%arg0: tensor<46081xf32>, %arg1: tensor<100x100xf32>) -> f32 {
    %0 = stde.laplacian @u(%arg0, %arg1) : (tensor<46081xf32>, tensor<100x100xf32>) -> tensor<100xf32>
    %1 = stde.apply @source(%arg1) : (tensor<100x100xf32>) -> tensor<100xf32>
    %2 = stde.apply @u(%arg0, %arg1) : (tensor<46081xf32>, tensor<100x100xf32>) -> tensor<100xf32>
    %3 = math.sin %2 : tensor<100xf32>
    %4 = arith.addf %0, %3 : tensor<100xf32>
    %5 = arith.subf %4, %1 : tensor<100xf32>
    %6 = stde.loss %5 gradient_weights [1.000000e-01] gradient_samples 16 estimator(#stde.sparse<samples = 16>) : tensor<100xf32> -> f32
    return %6 : f32
  }
}
