// The rules of kernel.constant, each with the message a user sees.
//
// RUN: mirage-opt %s -split-input-file -verify-diagnostics

func.func @not_splat() {
  // expected-error @below {{'kernel.constant' op requires a splat dense value (every element equal), but got dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf16>}}
  %0 = kernel.constant dense<[1.0, 2.0]> : tensor<2xf16>
  return
}

// -----

func.func @infinite() {
  // expected-error @below {{'kernel.constant' op requires a finite value, but got an infinity}}
  %0 = kernel.constant dense<0xFC00> : tensor<2xf16>
  return
}

// -----

func.func @nan() {
  // expected-error @below {{'kernel.constant' op requires a finite value, but got NaN}}
  %0 = kernel.constant dense<0x7FC00000> : tensor<2x2xf32>
  return
}

// -----

func.func @f64() {
  // expected-error @below {{'kernel.constant' op result #0 must be statically shaped tensor of rank 1 to 4 with f16, bf16 or f32 elements, but got 'tensor<2xf64>'}}
  %0 = kernel.constant dense<1.0> : tensor<2xf64>
  return
}

// -----

func.func @integer() {
  // expected-error @below {{'kernel.constant' op result #0 must be statically shaped tensor of rank 1 to 4 with f16, bf16 or f32 elements, but got 'tensor<2xi32>'}}
  %0 = kernel.constant dense<1> : tensor<2xi32>
  return
}

// -----

// The kernel dialect has no rank-0 tensors: a scalar is a constant of
// shape [1].
func.func @rank0() {
  // expected-error @below {{'kernel.constant' op result #0 must be statically shaped tensor of rank 1 to 4 with f16, bf16 or f32 elements, but got 'tensor<f32>'}}
  %0 = kernel.constant dense<1.0> : tensor<f32>
  return
}

// -----

func.func @type_mismatch() {
  // expected-error @below {{'kernel.constant' op failed to verify that all of {value, result} have same type}}
  %0 = "kernel.constant"() <{value = dense<1.0> : tensor<2xf16>}> : () -> tensor<2xf32>
  return
}

// -----

func.func @not_dense() {
  // expected-error @below {{'kernel.constant' op requires a splat dense value (every element equal), but got dense_resource<blob> : tensor<2xf16>}}
  %0 = kernel.constant dense_resource<blob> : tensor<2xf16>
  return
}

{-#
  dialect_resources: {
    builtin: {
      blob: "0x02000000003C003C"
    }
  }
#-}
