// The rules of kernel.neg, kernel.sigmoid, kernel.erf and kernel.cast, each
// with the message a user sees.
//
// RUN: mirage-opt %s -split-input-file -verify-diagnostics

func.func @cast_shape(%x: tensor<8x64xf16>) {
  // expected-error @below {{'kernel.cast' op requires the same shape for all operands and results}}
  %0 = kernel.cast %x : tensor<8x64xf16> to tensor<8x32xf32>
  return
}

// -----

func.func @cast_integer(%x: tensor<8x64xf16>) {
  // expected-error @below {{'kernel.cast' op result #0 must be statically shaped tensor of rank 1 to 4 with f16, bf16 or f32 elements, but got 'tensor<8x64xi32>'}}
  %0 = kernel.cast %x : tensor<8x64xf16> to tensor<8x64xi32>
  return
}

// -----

func.func @cast_f64(%x: tensor<8x64xf64>) {
  // expected-error @below {{'kernel.cast' op operand #0 must be statically shaped tensor of rank 1 to 4 with f16, bf16 or f32 elements, but got 'tensor<8x64xf64>'}}
  %0 = kernel.cast %x : tensor<8x64xf64> to tensor<8x64xf32>
  return
}

// -----

func.func @neg_type_change(%x: tensor<8x64xf16>) {
  // expected-error @below {{'kernel.neg' op requires the same type for all operands and results}}
  %0 = "kernel.neg"(%x) : (tensor<8x64xf16>) -> tensor<8x64xf32>
  return
}

// -----

func.func @sigmoid_type_change(%x: tensor<8x64xf16>) {
  // expected-error @below {{'kernel.sigmoid' op requires the same type for all operands and results}}
  %0 = "kernel.sigmoid"(%x) : (tensor<8x64xf16>) -> tensor<8x32xf16>
  return
}

// -----

func.func @erf_rank_zero(%x: tensor<f16>) {
  // expected-error @below {{'kernel.erf' op operand #0 must be statically shaped tensor of rank 1 to 4 with f16, bf16 or f32 elements, but got 'tensor<f16>'}}
  %0 = kernel.erf %x : tensor<f16>
  return
}

// -----

func.func @reduce_max_dim(%x: tensor<8x64xf16>) {
  // expected-error @below {{'kernel.reduce_max' op reduction dimension 2 is out of range for rank 2}}
  %0 = kernel.reduce_max %x dim 2 : tensor<8x64xf16>
  return
}

// -----

func.func @reduce_mean_negative_dim(%x: tensor<8x64xf16>) {
  // expected-error @below {{'kernel.reduce_mean' op reduction dimension -1 is out of range for rank 2}}
  %0 = kernel.reduce_mean %x dim -1 : tensor<8x64xf16>
  return
}

// -----

func.func @reduce_mean_result(%x: tensor<8x64xf16>) {
  // expected-error @below {{'kernel.reduce_mean' op inferred type(s) 'tensor<8x1xf16>' are incompatible with return type(s) of operation 'tensor<8x64xf16>'}}
  // expected-error @below {{'kernel.reduce_mean' op failed to infer returned types}}
  %0 = "kernel.reduce_mean"(%x) <{dim = 1 : i64}> : (tensor<8x64xf16>) -> tensor<8x64xf16>
  return
}
