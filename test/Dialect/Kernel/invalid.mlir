// One case per verifier and shape rule of the kernel dialect, each with the
// exact message a user sees.
//
// RUN: mirage-opt %s -split-input-file -verify-diagnostics

//===----------------------------------------------------------------------===//
// Matmul
//===----------------------------------------------------------------------===//

func.func @matmul_contraction_mismatch(%a: tensor<2x4096xf16>,
                                       %b: tensor<2048x6144xf16>) {
  // expected-error @below {{'kernel.matmul' op matmul contraction dims differ: lhs 2x4096 has k = 4096, rhs 2048x6144 has k = 2048}}
  %0 = kernel.matmul %a, %b : tensor<2x4096xf16>, tensor<2048x6144xf16>
  return
}

// -----

func.func @matmul_batch_mismatch(%a: tensor<2x256x64xf16>,
                                 %b: tensor<4x64x4096xf16>) {
  // expected-error @below {{'kernel.matmul' op matmul batch dimension 0 differs: 2 vs 4 (batch dims do not broadcast)}}
  %0 = kernel.matmul %a, %b : tensor<2x256x64xf16>, tensor<4x64x4096xf16>
  return
}

// -----

// A batch of 1 does not broadcast either.
func.func @matmul_batch_no_broadcast(%a: tensor<2x2x16x64xf16>,
                                     %b: tensor<2x1x64x8xf16>) {
  // expected-error @below {{'kernel.matmul' op matmul batch dimension 1 differs: 2 vs 1 (batch dims do not broadcast)}}
  %0 = kernel.matmul %a, %b : tensor<2x2x16x64xf16>, tensor<2x1x64x8xf16>
  return
}

// -----

func.func @matmul_rank_one(%a: tensor<64xf16>, %b: tensor<64x8xf16>) {
  // expected-error @below {{'kernel.matmul' op matmul operands must have rank >= 2, got 1 and 2}}
  %0 = kernel.matmul %a, %b : tensor<64xf16>, tensor<64x8xf16>
  return
}

// -----

func.func @matmul_unequal_ranks(%a: tensor<2x256x64xf16>,
                                %b: tensor<64x4096xf16>) {
  // expected-error @below {{'kernel.matmul' op matmul operands must have equal rank, got 3 and 2}}
  %0 = kernel.matmul %a, %b : tensor<2x256x64xf16>, tensor<64x4096xf16>
  return
}

// -----

func.func @matmul_mixed_element_types(%a: tensor<2x64xf16>,
                                      %b: tensor<64x8xf32>) {
  // expected-error @below {{'kernel.matmul' op operand #1 has element type 'f32', expected 'f16' like operand #0}}
  %0 = kernel.matmul %a, %b : tensor<2x64xf16>, tensor<64x8xf32>
  return
}

//===----------------------------------------------------------------------===//
// Broadcasting element-wise ops
//===----------------------------------------------------------------------===//

// -----

func.func @broadcast_mismatch(%a: tensor<2x4096xf16>, %b: tensor<2x2048xf16>) {
  // expected-error @below {{'kernel.add' op operand dims 4096 and 2048 at dimension 1 are neither equal nor 1}}
  %0 = kernel.add %a, %b : tensor<2x4096xf16>, tensor<2x2048xf16>
  return
}

// -----

func.func @broadcast_unequal_ranks(%a: tensor<2x4096xf16>, %b: tensor<4096xf16>) {
  // expected-error @below {{'kernel.mul' op operands must have equal rank for broadcasting, got 2 and 1}}
  %0 = kernel.mul %a, %b : tensor<2x4096xf16>, tensor<4096xf16>
  return
}

// -----

func.func @broadcast_mixed_element_types(%a: tensor<2x4096xf16>,
                                         %b: tensor<2x1xbf16>) {
  // expected-error @below {{'kernel.div' op operand #1 has element type 'bf16', expected 'f16' like operand #0}}
  %0 = kernel.div %a, %b : tensor<2x4096xf16>, tensor<2x1xbf16>
  return
}

//===----------------------------------------------------------------------===//
// Reduction
//===----------------------------------------------------------------------===//

// -----

func.func @reduction_dim_out_of_range(%x: tensor<2x4096xf16>) {
  // expected-error @below {{'kernel.reduction' op reduction dimension 2 is out of range for rank 2}}
  %0 = kernel.reduction %x dim 2 : tensor<2x4096xf16>
  return
}

// -----

func.func @reduction_negative_dim(%x: tensor<2x4096xf16>) {
  // expected-error @below {{'kernel.reduction' op reduction dimension -1 is out of range for rank 2}}
  %0 = kernel.reduction %x dim -1 : tensor<2x4096xf16>
  return
}

// -----

func.func @reduction_size_not_dividing(%x: tensor<1x1024x500xf16>) {
  // expected-error @below {{'kernel.reduction' op reduction size 64 does not divide dimension 2 of extent 500}}
  %0 = kernel.reduction %x dim 2 size 64 : tensor<1x1024x500xf16>
  return
}

// -----

func.func @reduction_size_zero(%x: tensor<2x4096xf16>) {
  // expected-error @below {{'kernel.reduction' op reduction size must be >= 1, got 0}}
  %0 = kernel.reduction %x dim 1 size 0 : tensor<2x4096xf16>
  return
}

// -----

func.func @reduction_size_negative(%x: tensor<2x4096xf16>) {
  // expected-error @below {{'kernel.reduction' op reduction size must be >= 1, got -64}}
  %0 = kernel.reduction %x dim 1 size -64 : tensor<2x4096xf16>
  return
}

//===----------------------------------------------------------------------===//
// Concat
//===----------------------------------------------------------------------===//

// -----

func.func @concat_extent_mismatch(%a: tensor<16x256xf16>, %b: tensor<8x16xf16>) {
  // expected-error @below {{'kernel.concat' op concat operand 1 has extent 8 at dimension 0, expected 16}}
  %0 = kernel.concat %a, %b dim 1 : tensor<16x256xf16>, tensor<8x16xf16>
  return
}

// -----

func.func @concat_third_operand_mismatch(%a: tensor<4x8xf16>,
                                         %b: tensor<2x8xf16>,
                                         %c: tensor<2x4xf16>) {
  // expected-error @below {{'kernel.concat' op concat operand 2 has extent 4 at dimension 1, expected 8}}
  %0 = kernel.concat %a, %b, %c dim 0 : tensor<4x8xf16>, tensor<2x8xf16>, tensor<2x4xf16>
  return
}

// -----

func.func @concat_rank_mismatch(%a: tensor<16x256xf16>, %b: tensor<256xf16>) {
  // expected-error @below {{'kernel.concat' op concat operand 1 has rank 1, expected 2}}
  %0 = kernel.concat %a, %b dim 1 : tensor<16x256xf16>, tensor<256xf16>
  return
}

// -----

func.func @concat_dim_out_of_range(%a: tensor<16x256xf16>, %b: tensor<16x16xf16>) {
  // expected-error @below {{'kernel.concat' op concat dimension 2 is out of range for rank 2}}
  %0 = kernel.concat %a, %b dim 2 : tensor<16x256xf16>, tensor<16x16xf16>
  return
}

// -----

func.func @concat_mixed_element_types(%a: tensor<16x256xf16>,
                                      %b: tensor<16x16xf32>) {
  // expected-error @below {{'kernel.concat' op operand #1 has element type 'f32', expected 'f16' like operand #0}}
  %0 = kernel.concat %a, %b dim 1 : tensor<16x256xf16>, tensor<16x16xf32>
  return
}

// -----

func.func @concat_single_operand(%a: tensor<16x256xf16>) {
  // expected-error @below {{'kernel.concat' op concat needs at least two operands}}
  %0 = kernel.concat %a dim 1 : tensor<16x256xf16>
  return
}

// -----

// Without operands the custom form cannot even be written; the generic form
// reaches the verifier.
func.func @concat_no_operands() {
  // expected-error @below {{'kernel.concat' op needs at least two operands}}
  // expected-error @below {{'kernel.concat' op failed to infer returned types}}
  %0 = "kernel.concat"() <{dim = 0 : i64}> : () -> tensor<4xf16>
  return
}

//===----------------------------------------------------------------------===//
// RMS normalization
//===----------------------------------------------------------------------===//

// -----

func.func @rms_norm_shape_not_trailing(%x: tensor<2x256x64xf16>) {
  // expected-error @below {{'kernel.rms_norm' op rms_norm normalized shape 256 does not match the trailing dims of input 2x256x64}}
  %0 = kernel.rms_norm %x over [256] : tensor<2x256x64xf16>
  return
}

// -----

func.func @rms_norm_too_many_dims(%x: tensor<4096xf16>) {
  // expected-error @below {{'kernel.rms_norm' op rms_norm normalizes 2 dims but the input has rank 1}}
  %0 = kernel.rms_norm %x over [1, 4096] : tensor<4096xf16>
  return
}

// -----

// The mean square of zero elements divides by zero (the interpreter died of
// SIGFPE on it).
func.func @rms_norm_zero_extent(%x: tensor<2x0xf16>) {
  // expected-error @below {{'kernel.rms_norm' op rms_norm normalized shape 0 has extent 0 at dimension 0: the mean square of zero elements divides by zero}}
  %0 = kernel.rms_norm %x over [0] : tensor<2x0xf16>
  return
}

// -----

// 9223372036854775807 rows: the verifier rejects a tensor whose byte count
// does not fit in 64 bits, so no tool ever multiplies it out.
func.func @tensor_bytes_overflow(%x: tensor<9223372036854775807x2xf16>) {
  // expected-error @below {{'kernel.exp' op operand #0 of type 'tensor<9223372036854775807x2xf16>' has more than 2^63 - 1 bytes, the limit of a tensor or tile}}
  %0 = kernel.exp %x : tensor<9223372036854775807x2xf16>
  return
}

// -----

// The operands fit; the inferred result, 2^32 x 2^32 x 4 bytes, does not.
func.func @matmul_result_bytes_overflow(%a: tensor<4294967296x1xf32>,
                                        %b: tensor<1x4294967296xf32>) {
  // expected-error @below {{'kernel.matmul' op result #0 of type 'tensor<4294967296x4294967296xf32>' has more than 2^63 - 1 bytes, the limit of a tensor or tile}}
  %0 = kernel.matmul %a, %b : tensor<4294967296x1xf32>, tensor<1x4294967296xf32>
  return
}

// -----

func.func @rms_norm_empty_shape(%x: tensor<2x4096xf16>) {
  // expected-error @below {{'kernel.rms_norm' op rms_norm needs at least one normalized dimension}}
  %0 = kernel.rms_norm %x over [] : tensor<2x4096xf16>
  return
}

// -----

func.func @rms_norm_weight_shape(%x: tensor<2x4096xf16>, %g: tensor<2048xf16>) {
  // expected-error @below {{'kernel.rms_norm' op weight shape 2048 differs from the normalized shape 4096}}
  %0 = kernel.rms_norm %x weight %g over [4096] : tensor<2x4096xf16>, tensor<2048xf16>
  return
}

// -----

func.func @rms_norm_weight_rank(%x: tensor<2x4096xf16>, %g: tensor<1x4096xf16>) {
  // expected-error @below {{'kernel.rms_norm' op weight shape 1x4096 differs from the normalized shape 4096}}
  %0 = kernel.rms_norm %x weight %g over [4096] : tensor<2x4096xf16>, tensor<1x4096xf16>
  return
}

// -----

func.func @rms_norm_weight_element_type(%x: tensor<2x4096xf16>,
                                        %g: tensor<4096xbf16>) {
  // expected-error @below {{'kernel.rms_norm' op weight element type 'bf16' differs from the input's 'f16'}}
  %0 = kernel.rms_norm %x weight %g over [4096] : tensor<2x4096xf16>, tensor<4096xbf16>
  return
}

// -----

func.func @rms_norm_negative_eps(%x: tensor<2x4096xf16>) {
  // expected-error @below {{'kernel.rms_norm' op eps must be a finite, non-negative number}}
  %0 = kernel.rms_norm %x over [4096] eps -1.0e-06 : tensor<2x4096xf16>
  return
}

// -----

func.func @rms_norm_nan_eps(%x: tensor<2x4096xf16>) {
  // expected-error @below {{'kernel.rms_norm' op eps must be a finite, non-negative number}}
  %0 = kernel.rms_norm %x over [4096] eps 0x7FF8000000000000 : tensor<2x4096xf16>
  return
}

// -----

func.func @rms_norm_wrong_result_type(%x: tensor<2x4096xf16>) {
  // expected-error @below {{'kernel.rms_norm' op failed to verify that all of {input, result} have same type}}
  %0 = "kernel.rms_norm"(%x) <{normalized_shape = array<i64: 4096>}>
      : (tensor<2x4096xf16>) -> tensor<2x4096xf32>
  return
}

//===----------------------------------------------------------------------===//
// Clamp
//===----------------------------------------------------------------------===//

// -----

func.func @clamp_min_above_max(%x: tensor<8x4096xf16>) {
  // expected-error @below {{'kernel.clamp' op min 6.000000e+00 is greater than max 0.000000e+00}}
  %0 = kernel.clamp %x min 6.0 max 0.0 : tensor<8x4096xf16>
  return
}

//===----------------------------------------------------------------------===//
// Tensor types
//===----------------------------------------------------------------------===//

// -----

func.func @dynamic_shape(%x: tensor<?x4096xf16>) {
  // expected-error @below {{'kernel.exp' op operand #0 must be statically shaped tensor of rank 1 to 4 with f16, bf16 or f32 elements, but got 'tensor<?x4096xf16>'}}
  %0 = kernel.exp %x : tensor<?x4096xf16>
  return
}

// -----

func.func @rank_zero(%x: tensor<f16>) {
  // expected-error @below {{'kernel.relu' op operand #0 must be statically shaped tensor of rank 1 to 4 with f16, bf16 or f32 elements, but got 'tensor<f16>'}}
  %0 = kernel.relu %x : tensor<f16>
  return
}

// -----

func.func @rank_five(%x: tensor<1x2x2x16x64xf16>) {
  // expected-error @below {{'kernel.silu' op operand #0 must be statically shaped tensor of rank 1 to 4 with f16, bf16 or f32 elements, but got 'tensor<1x2x2x16x64xf16>'}}
  %0 = kernel.silu %x : tensor<1x2x2x16x64xf16>
  return
}

// -----

func.func @integer_elements(%x: tensor<4096xi32>) {
  // expected-error @below {{'kernel.square' op operand #0 must be statically shaped tensor of rank 1 to 4 with f16, bf16 or f32 elements, but got 'tensor<4096xi32>'}}
  %0 = kernel.square %x : tensor<4096xi32>
  return
}

// -----

// Ops that infer their result type check their operand types too.
func.func @integer_elements_binary(%a: tensor<4xi32>, %b: tensor<4xi32>) {
  // expected-error @below {{'kernel.add' op operand #0 must be statically shaped tensor of rank 1 to 4 with f16, bf16 or f32 elements, but got 'tensor<4xi32>'}}
  %0 = kernel.add %a, %b : tensor<4xi32>, tensor<4xi32>
  return
}

// -----

func.func @dynamic_shape_matmul(%a: tensor<?x64xf16>, %b: tensor<64x8xf16>) {
  // expected-error @below {{'kernel.matmul' op operand #0 must be statically shaped tensor of rank 1 to 4 with f16, bf16 or f32 elements, but got 'tensor<?x64xf16>'}}
  %0 = kernel.matmul %a, %b : tensor<?x64xf16>, tensor<64x8xf16>
  return
}

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

// -----

func.func @unknown_attribute(%x: tensor<4096xf16>) {
  // expected-error @below {{'kernel.exp' op has unknown attribute 'foo'}}
  %0 = kernel.exp %x {foo = 1} : tensor<4096xf16>
  return
}

// -----

func.func @unknown_attribute_on_inferred_op(%a: tensor<2x64xf16>,
                                            %b: tensor<64x8xf16>) {
  // expected-error @below {{'kernel.matmul' op has unknown attribute 'transpose_b'}}
  %0 = kernel.matmul %a, %b {transpose_b = true} : tensor<2x64xf16>, tensor<64x8xf16>
  return
}

//===----------------------------------------------------------------------===//
// Inferred result types, checked against explicit ones in the generic form
//===----------------------------------------------------------------------===//

// -----

func.func @generic_wrong_broadcast_result(%a: tensor<2x4096xf16>,
                                          %b: tensor<2x1xf16>) {
  // expected-error @below {{'kernel.add' op inferred type(s) 'tensor<2x4096xf16>' are incompatible with return type(s) of operation 'tensor<2x1xf16>'}}
  // expected-error @below {{'kernel.add' op failed to infer returned types}}
  %0 = "kernel.add"(%a, %b) : (tensor<2x4096xf16>, tensor<2x1xf16>) -> tensor<2x1xf16>
  return
}

// -----

func.func @generic_wrong_matmul_result(%a: tensor<2x4096xf16>,
                                       %b: tensor<4096x6144xf16>) {
  // expected-error @below {{'kernel.matmul' op inferred type(s) 'tensor<2x6144xf16>' are incompatible with return type(s) of operation 'tensor<2x4096xf16>'}}
  // expected-error @below {{'kernel.matmul' op failed to infer returned types}}
  %0 = "kernel.matmul"(%a, %b) : (tensor<2x4096xf16>, tensor<4096x6144xf16>) -> tensor<2x4096xf16>
  return
}

// -----

func.func @generic_wrong_result_element_type(%x: tensor<2x4096xf16>) {
  // expected-error @below {{'kernel.reduction' op inferred type(s) 'tensor<2x1xf16>' are incompatible with return type(s) of operation 'tensor<2x1xf32>'}}
  // expected-error @below {{'kernel.reduction' op failed to infer returned types}}
  %0 = "kernel.reduction"(%x) <{dim = 1 : i64, size = 1 : i64}> : (tensor<2x4096xf16>) -> tensor<2x1xf32>
  return
}

// -----

func.func @generic_wrong_unary_result(%x: tensor<2x4096xf16>) {
  // expected-error @below {{'kernel.exp' op requires the same type for all operands and results}}
  %0 = "kernel.exp"(%x) : (tensor<2x4096xf16>) -> tensor<2x4096xf32>
  return
}

// -----

func.func @generic_shape_rule_violation(%a: tensor<2x64xf16>,
                                        %b: tensor<32x8xf16>) {
  // expected-error @below {{'kernel.matmul' op matmul contraction dims differ: lhs 2x64 has k = 64, rhs 32x8 has k = 32}}
  // expected-error @below {{'kernel.matmul' op failed to infer returned types}}
  %0 = "kernel.matmul"(%a, %b) : (tensor<2x64xf16>, tensor<32x8xf16>) -> tensor<2x8xf16>
  return
}
