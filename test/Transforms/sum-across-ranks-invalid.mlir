// RUN: stde-opt --stde-sum-across-ranks %s -split-input-file -verify-diagnostics

func.func private @share(%x: tensor<4xi32>) -> tensor<4xi32>
    attributes {stde.rank_share = array<i64: 0, 2>} {
  return %x : tensor<4xi32>
}
func.func @step(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{result 0 of a rank's share has type 'tensor<4xi32>', which is not a sum over points}}
  %y = call @share(%x) : (tensor<4xi32>) -> tensor<4xi32>
  return %y : tensor<4xi32>
}

// -----

// expected-error @+1 {{the module names the MPI implementation "LAM": stde's collectives lower for "OpenMPI" or "MPICH"}}
module attributes {dlti.map = #dlti.map<"MPI:Implementation" = "LAM">} {
  func.func private @share(%x: f64) -> f64 attributes {stde.rank_share = array<i64: 0, 2>} {
    return %x : f64
  }
  func.func @step(%x: f64) -> f64 {
    %y = call @share(%x) : (f64) -> f64
    return %y : f64
  }
}
