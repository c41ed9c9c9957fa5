// RUN: not mirage-opt -split-input-file --mirage-check-equivalence="lhs=f rhs=g" %s -o /dev/null 2>&1 | FileCheck %s

// CHECK: error: option 'rhs': no function named 'g'
func.func @f(%x: tensor<4xf16>) -> tensor<4xf16> {
  %y = kernel.exp %x : tensor<4xf16>
  return %y : tensor<4xf16>
}

// -----

// CHECK: error: cannot compare 'f' and 'g': input 0 is 4xf16 in 'f' but 8xf16 in 'g'
func.func @f(%x: tensor<4xf16>) -> tensor<4xf16> {
  return %x : tensor<4xf16>
}
func.func @g(%x: tensor<8xf16>) -> tensor<8xf16> {
  return %x : tensor<8xf16>
}

// -----

// CHECK: error: cannot compare 'f' and 'g': 'f' takes 1 inputs but 'g' takes 2
func.func @f(%x: tensor<4xf16>) -> tensor<4xf16> {
  return %x : tensor<4xf16>
}
func.func @g(%x: tensor<4xf16>, %y: tensor<4xf16>) -> tensor<4xf16> {
  return %x : tensor<4xf16>
}

// -----

// CHECK: error: 'arith.addf' op is not a kernel-level μGraph op
func.func @f(%x: tensor<4xf16>) -> tensor<4xf16> {
  return %x : tensor<4xf16>
}
func.func @g(%x: tensor<4xf16>) -> tensor<4xf16> {
  %y = arith.addf %x, %x : tensor<4xf16>
  return %y : tensor<4xf16>
}

// -----

// CHECK: error: cannot compare 'f' and 'g': 'g': exp of a value that depends on an exponential
func.func @f(%x: tensor<4xf16>) -> tensor<4xf16> {
  return %x : tensor<4xf16>
}
func.func @g(%x: tensor<4xf16>) -> tensor<4xf16> {
  %y = kernel.exp %x : tensor<4xf16>
  %z = kernel.exp %y : tensor<4xf16>
  return %z : tensor<4xf16>
}

// -----

// A zero divisor in every test (x - x) is inconclusive, never "divide by 1".
// CHECK: error: cannot compare 'f' and 'g': 17 fingerprint tests were inconclusive (zero divisor mod p)
func.func @f(%x: tensor<4xf16>) -> tensor<4xf16> {
  return %x : tensor<4xf16>
}
func.func @g(%x: tensor<4xf16>) -> tensor<4xf16> {
  %z = kernel.sub %x, %x : tensor<4xf16>, tensor<4xf16>
  %y = kernel.div %x, %z : tensor<4xf16>, tensor<4xf16>
  return %y : tensor<4xf16>
}
