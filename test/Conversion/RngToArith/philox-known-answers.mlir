// Philox4x32-10 against the published Random123 known-answer vectors
// (docs/MATH.md section 6). The lowering emits plain 32-bit integer
// arithmetic; MLIR's own arith folders evaluate it, so the constants below
// are computed independently of our code.
// RUN: stde-opt --convert-rng-to-arith --canonicalize %s | FileCheck %s

// CHECK-LABEL: func.func @zeros
// 0x6627e8d5 0xe169c58d 0xbc57ac4c 0x9b00dbd8
// CHECK-DAG: %[[A:.*]] = arith.constant 1713891541 : i32
// CHECK-DAG: %[[B:.*]] = arith.constant -513161843 : i32
// CHECK-DAG: %[[C:.*]] = arith.constant -1135104948 : i32
// CHECK-DAG: %[[D:.*]] = arith.constant -1694442536 : i32
// CHECK: return %[[A]], %[[B]], %[[C]], %[[D]]
func.func @zeros() -> (i32, i32, i32, i32) {
  %z = arith.constant 0 : i32
  %r:4 = rng.philox %z, %z, %z, %z, %z, %z : i32
  return %r#0, %r#1, %r#2, %r#3 : i32, i32, i32, i32
}

// CHECK-LABEL: func.func @ones
// 0x408f276d 0x41c83b0e 0xa20bc7c6 0x6d5451fd
// CHECK-DAG: %[[A:.*]] = arith.constant 1083123565 : i32
// CHECK-DAG: %[[B:.*]] = arith.constant 1103641358 : i32
// CHECK-DAG: %[[C:.*]] = arith.constant -1576286266 : i32
// CHECK-DAG: %[[D:.*]] = arith.constant 1834242557 : i32
// CHECK: return %[[A]], %[[B]], %[[C]], %[[D]]
func.func @ones() -> (i32, i32, i32, i32) {
  %f = arith.constant -1 : i32
  %r:4 = rng.philox %f, %f, %f, %f, %f, %f : i32
  return %r#0, %r#1, %r#2, %r#3 : i32, i32, i32, i32
}

// CHECK-LABEL: func.func @pi
// 0xd16cfe09 0x94fdcceb 0x5001e420 0x24126ea1
// CHECK-DAG: %[[A:.*]] = arith.constant -781386231 : i32
// CHECK-DAG: %[[B:.*]] = arith.constant -1795306261 : i32
// CHECK-DAG: %[[C:.*]] = arith.constant 1342301216 : i32
// CHECK-DAG: %[[D:.*]] = arith.constant 605187745 : i32
// CHECK: return %[[A]], %[[B]], %[[C]], %[[D]]
func.func @pi() -> (i32, i32, i32, i32) {
  // key (0xa4093822, 0x299f31d0), counter (0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344)
  %k0 = arith.constant -1542899678 : i32
  %k1 = arith.constant 698298832 : i32
  %c0 = arith.constant 608135816 : i32
  %c1 = arith.constant -2052912941 : i32
  %c2 = arith.constant 320440878 : i32
  %c3 = arith.constant 57701188 : i32
  %r:4 = rng.philox %k0, %k1, %c0, %c1, %c2, %c3 : i32
  return %r#0, %r#1, %r#2, %r#3 : i32, i32, i32, i32
}
