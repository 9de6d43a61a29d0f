// RUN: not stde-opt --stde-sum-across-ranks=implementation=LAM %s 2>&1 | FileCheck %s
// CHECK: unknown MPI implementation 'LAM': use OpenMPI or MPICH
module {
}
