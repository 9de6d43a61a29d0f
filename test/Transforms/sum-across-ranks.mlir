// Where a whole-step function calls a rank's share, the share's results are
// summed over the ranks before anything reads them.
// RUN: stde-opt --stde-sum-across-ranks %s | FileCheck %s
// RUN: stde-opt --stde-sum-across-ranks=implementation=MPICH %s | FileCheck %s --check-prefix=MPICH

// CHECK: module attributes {dlti.map = #dlti.map<"MPI:Implementation" = "OpenMPI">}
// MPICH: module attributes {dlti.map = #dlti.map<"MPI:Implementation" = "MPICH">}

func.func private @share(%theta: tensor<4xf64>) -> (f64, tensor<4xf64>)
    attributes {stde.rank_share = array<i64: 1, 2>} {
  %c = arith.constant 0.5 : f64
  return %c, %theta : f64, tensor<4xf64>
}

// The gradient (a tensor) and the loss (a scalar): each through a send
// buffer, an allreduce into a receive buffer, and its tensor.
// CHECK-LABEL: func.func @step
// CHECK: %[[R:.*]]:2 = call @share(%{{.*}})
// CHECK: %[[LT:.*]] = tensor.from_elements %[[R]]#0 : tensor<1xf64>
// CHECK: %[[LS:.*]] = memref.alloc() : memref<1xf64>
// CHECK: bufferization.materialize_in_destination %[[LT]] in restrict writable %[[LS]]
// CHECK: %[[LR:.*]] = memref.alloc() : memref<1xf64>
// CHECK: %[[W:.*]] = mpi.comm_world : !mpi.comm
// CHECK: mpi.allreduce(%[[LS]], %[[LR]], MPI_SUM, %[[W]]) : memref<1xf64>, memref<1xf64>
// CHECK: %[[LSUM:.*]] = bufferization.to_tensor %[[LR]] restrict
// CHECK: %[[LOSS:.*]] = tensor.extract %[[LSUM]]
// CHECK: %[[GS:.*]] = memref.alloc() : memref<4xf64>
// CHECK: bufferization.materialize_in_destination %[[R]]#1 in restrict writable %[[GS]]
// CHECK: %[[GR:.*]] = memref.alloc() : memref<4xf64>
// CHECK: mpi.allreduce(%[[GS]], %[[GR]], MPI_SUM, %{{.*}}) : memref<4xf64>, memref<4xf64>
// CHECK: %[[G:.*]] = bufferization.to_tensor %[[GR]] restrict
// CHECK: %[[P:.*]] = arith.subf %{{.*}}, %[[G]] : tensor<4xf64>
// CHECK: return %[[P]], %[[LOSS]]
func.func @step(%theta: tensor<4xf64>) -> (tensor<4xf64>, f64) {
  %loss, %grad = call @share(%theta) : (tensor<4xf64>) -> (f64, tensor<4xf64>)
  %p = arith.subf %theta, %grad : tensor<4xf64>
  return %p, %loss : tensor<4xf64>, f64
}

// A share calling a share adds nothing: its caller sums once.
// CHECK-LABEL: func.func private @inner_share
// CHECK-NOT: mpi.allreduce
// CHECK: return
func.func private @inner_share(%theta: tensor<4xf64>) -> f64
    attributes {stde.rank_share = array<i64: 1, 2>} {
  %l, %g = call @share(%theta) : (tensor<4xf64>) -> (f64, tensor<4xf64>)
  return %l : f64
}

// A whole-batch function (one rank of one) is not a share.
// CHECK-LABEL: func.func @whole
// CHECK-NOT: mpi.allreduce
// CHECK: return
func.func private @one_rank(%x: f64) -> f64 attributes {stde.rank_share = array<i64: 0, 1>} {
  return %x : f64
}
func.func @whole(%x: f64) -> f64 {
  %y = call @one_rank(%x) : (f64) -> f64
  return %y : f64
}

// A tensor of several dimensions goes through one flat buffer: the upstream
// lowering counts the elements of a buffer's first dimension only.
// CHECK-LABEL: func.func @pairs
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1]] : tensor<3x2xf64> into tensor<6xf64>
// CHECK: %[[S:.*]] = memref.alloc() : memref<6xf64>
// CHECK: bufferization.materialize_in_destination %[[FLAT]] in restrict writable %[[S]]
// CHECK: mpi.allreduce(%[[S]], %{{.*}}, MPI_SUM, %{{.*}}) : memref<6xf64>, memref<6xf64>
// CHECK: %[[T:.*]] = bufferization.to_tensor
// CHECK: %[[E:.*]] = tensor.expand_shape %[[T]] {{\[\[}}0, 1]] output_shape [3, 2] : tensor<6xf64> into tensor<3x2xf64>
// CHECK: return %[[E]]
func.func private @pair_share(%x: tensor<3x2xf64>) -> tensor<3x2xf64>
    attributes {stde.rank_share = array<i64: 0, 2>} {
  return %x : tensor<3x2xf64>
}
func.func @pairs(%x: tensor<3x2xf64>) -> tensor<3x2xf64> {
  %y = call @pair_share(%x) : (tensor<3x2xf64>) -> tensor<3x2xf64>
  return %y : tensor<3x2xf64>
}
