// RUN: mirage-opt %s -split-input-file -verify-diagnostics

//===----------------------------------------------------------------------===//
// thread.fused: operands and results
//===----------------------------------------------------------------------===//

func.func @fused_no_operands() -> tensor<2x24xf16> {
  // expected-error @+1 {{'thread.fused' op needs at least one operand}}
  %y = thread.fused () : tensor<2x24xf16> {
    thread.yield
  }
  return %y : tensor<2x24xf16>
}

// -----

func.func @fused_no_results(%a: tensor<2x24xf16>) {
  // expected-error @+1 {{'thread.fused' op needs at least one result}}
  thread.fused (%a) : tensor<2x24xf16> {
  ^bb0(%x: f16):
    thread.yield %x : f16
  }
  return
}

// -----

// The result count comes from the text: 2^31 results ran out of memory while
// parsing. It is bounded before anything is allocated.
func.func @fused_result_count_huge(%a: tensor<2xf16>) {
  // expected-error @+1 {{custom op 'thread.fused' binds 2147483648 results, more than the limit of 64}}
  %y:2147483648 = thread.fused (%a) : tensor<2xf16> {
  ^bb0(%x: f16):
    thread.yield %x : f16
  }
  return
}

// -----

func.func @fused_result_count_over_limit(%a: tensor<2xf16>) {
  // expected-error @+1 {{custom op 'thread.fused' binds 65 results, more than the limit of 64}}
  %y:65 = thread.fused (%a) : tensor<2xf16> {
  ^bb0(%x: f16):
    thread.yield %x : f16
  }
  return
}

// -----

// The generic form names every result type, so only the verifier bounds it.
func.func @fused_result_count_generic(%a: tensor<1xf16>) {
  // expected-error @+1 {{'thread.fused' op has 65 results, more than the limit of 64}}
  %y:65 = "thread.fused"(%a) ({
  ^bb0(%x: f16):
    "thread.yield"(%x) : (f16) -> ()
  }) : (tensor<1xf16>) -> (tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>, tensor<1xf16>)
  return
}

// -----

// Each operand and result type of a μGraph op must fit a 64-bit byte count.
func.func @fused_tensor_bytes_overflow(%a: tensor<4294967296x4294967296xf16>) {
  // expected-error @+1 {{'thread.fused' op operand #0 of type 'tensor<4294967296x4294967296xf16>' has more than 2^63 - 1 bytes, the limit of a tensor or tile}}
  %y = thread.fused (%a) : tensor<4294967296x4294967296xf16> {
  ^bb0(%x: f16):
    thread.yield %x : f16
  }
  return
}

// -----

func.func @fused_scalar_operand(%a: f16) -> f16 {
  // expected-error @+1 {{'thread.fused' op operand #0 has type 'f16', expected a statically shaped type (a ranked tensor or a tile)}}
  %y = thread.fused (%a) : f16 {
  ^bb0(%x: f16):
    thread.yield %x : f16
  }
  return %y : f16
}

// -----

func.func @fused_dynamic_shape(%a: tensor<?x24xf16>) -> tensor<?x24xf16> {
  // expected-error @+1 {{'thread.fused' op operand #0 has type 'tensor<?x24xf16>', expected a statically shaped type (a ranked tensor or a tile)}}
  %y = thread.fused (%a) : tensor<?x24xf16> {
  ^bb0(%x: f16):
    thread.yield %x : f16
  }
  return %y : tensor<?x24xf16>
}

// -----

func.func @fused_unranked(%a: tensor<*xf16>) -> tensor<*xf16> {
  // expected-error @+1 {{'thread.fused' op operand #0 has type 'tensor<*xf16>', expected a statically shaped type (a ranked tensor or a tile)}}
  %y = thread.fused (%a) : tensor<*xf16> {
  ^bb0(%x: f16):
    thread.yield %x : f16
  }
  return %y : tensor<*xf16>
}

// -----

func.func @fused_integer_elements(%a: tensor<2x24xi32>) -> tensor<2x24xi32> {
  // expected-error @+1 {{'thread.fused' op operand #0 has element type 'i32', expected f16, bf16 or f32}}
  %y = thread.fused (%a) : tensor<2x24xi32> {
  ^bb0(%x: i32):
    thread.yield %x : i32
  }
  return %y : tensor<2x24xi32>
}

// -----

// The custom form names one type for all values; the generic form can name
// differing ones.
func.func @fused_operand_types_differ(%a: tensor<2x24xf16>,
                                      %b: tensor<2x12xf16>)
    -> tensor<2x24xf16> {
  // expected-error @+1 {{'thread.fused' op operand #1 has type 'tensor<2x12xf16>', expected 'tensor<2x24xf16>' (the type of operand #0)}}
  %y = "thread.fused"(%a, %b) ({
  ^bb0(%x: f16, %w: f16):
    "thread.yield"(%x) : (f16) -> ()
  }) : (tensor<2x24xf16>, tensor<2x12xf16>) -> tensor<2x24xf16>
  return %y : tensor<2x24xf16>
}

// -----

func.func @fused_operand_element_types_differ(%a: tensor<2x24xf16>,
                                              %b: tensor<2x24xf32>)
    -> tensor<2x24xf16> {
  // expected-error @+1 {{'thread.fused' op operand #1 has type 'tensor<2x24xf32>', expected 'tensor<2x24xf16>' (the type of operand #0)}}
  %y = "thread.fused"(%a, %b) ({
  ^bb0(%x: f16, %w: f32):
    "thread.yield"(%x) : (f16) -> ()
  }) : (tensor<2x24xf16>, tensor<2x24xf32>) -> tensor<2x24xf16>
  return %y : tensor<2x24xf16>
}

// -----

func.func @fused_result_type_differs(%a: tensor<2x24xf16>)
    -> (tensor<2x24xf16>, tensor<2x24xbf16>) {
  // expected-error @+1 {{'thread.fused' op result #1 has type 'tensor<2x24xbf16>', expected 'tensor<2x24xf16>' (the type of operand #0)}}
  %y:2 = "thread.fused"(%a) ({
  ^bb0(%x: f16):
    "thread.yield"(%x, %x) : (f16, f16) -> ()
  }) : (tensor<2x24xf16>) -> (tensor<2x24xf16>, tensor<2x24xbf16>)
  return %y#0, %y#1 : tensor<2x24xf16>, tensor<2x24xbf16>
}

//===----------------------------------------------------------------------===//
// thread.fused: body
//===----------------------------------------------------------------------===//

// -----

func.func @fused_too_few_block_arguments(%a: tensor<2x24xf16>,
                                         %b: tensor<2x24xf16>)
    -> tensor<2x24xf16> {
  // expected-error @+1 {{'thread.fused' op body has 1 arguments, expected 2 (one per operand)}}
  %y = thread.fused (%a, %b) : tensor<2x24xf16> {
  ^bb0(%x: f16):
    thread.yield %x : f16
  }
  return %y : tensor<2x24xf16>
}

// -----

func.func @fused_too_many_block_arguments(%a: tensor<2x24xf16>)
    -> tensor<2x24xf16> {
  // expected-error @+1 {{'thread.fused' op body has 2 arguments, expected 1 (one per operand)}}
  %y = thread.fused (%a) : tensor<2x24xf16> {
  ^bb0(%x: f16, %w: f16):
    thread.yield %x : f16
  }
  return %y : tensor<2x24xf16>
}

// -----

func.func @fused_block_argument_type(%a: tensor<2x24xf16>,
                                     %b: tensor<2x24xf16>)
    -> tensor<2x24xf16> {
  // expected-error @+1 {{'thread.fused' op block argument #1 has type 'f32', expected 'f16' (the element type of operand #1)}}
  %y = thread.fused (%a, %b) : tensor<2x24xf16> {
  ^bb0(%x: f16, %w: f32):
    thread.yield %x : f16
  }
  return %y : tensor<2x24xf16>
}

// -----

func.func @fused_shaped_block_argument(%a: tensor<2x24xf16>)
    -> tensor<2x24xf16> {
  // expected-error @+1 {{'thread.fused' op block argument #0 has type 'tensor<2x24xf16>', expected 'f16' (the element type of operand #0)}}
  %y = thread.fused (%a) : tensor<2x24xf16> {
  ^bb0(%x: tensor<2x24xf16>):
    %c = thread.exp %c : f16
    thread.yield %c : f16
  }
  return %y : tensor<2x24xf16>
}

// -----

func.func @fused_non_thread_op(%a: tensor<2x24xf16>) -> tensor<2x24xf16> {
  // expected-error @+1 {{'thread.fused' op body may only hold thread ops, found 'arith.addf'}}
  %y = thread.fused (%a) : tensor<2x24xf16> {
  ^bb0(%x: f16):
    // expected-note @+1 {{'arith.addf' is here}}
    %s = arith.addf %x, %x : f16
    thread.yield %s : f16
  }
  return %y : tensor<2x24xf16>
}

// -----

func.func @fused_uses_value_from_above(%a: tensor<2x24xf16>, %s: f16)
    -> tensor<2x24xf16> {
  // expected-note @+1 {{required by region isolation constraints}}
  %y = thread.fused (%a) : tensor<2x24xf16> {
  ^bb0(%x: f16):
    // expected-error @+1 {{'thread.add' op using value defined outside the region}}
    %r = thread.add %x, %s : f16
    thread.yield %r : f16
  }
  return %y : tensor<2x24xf16>
}

// -----

func.func @fused_without_terminator(%a: tensor<2x24xf16>) -> tensor<2x24xf16> {
  %y = thread.fused (%a) : tensor<2x24xf16> {
  ^bb0(%x: f16):
    // expected-error @+1 {{block with no terminator}}
    %e = thread.exp %x : f16
  }
  return %y : tensor<2x24xf16>
}

// -----

func.func @fused_two_blocks(%a: tensor<2x24xf16>) -> tensor<2x24xf16> {
  // expected-error @+1 {{'thread.fused' op expects region #0 to have 0 or 1 blocks}}
  %y = thread.fused (%a) : tensor<2x24xf16> {
  ^bb0(%x: f16):
    thread.yield %x : f16
  ^bb1(%w: f16):
    thread.yield %w : f16
  }
  return %y : tensor<2x24xf16>
}

//===----------------------------------------------------------------------===//
// thread.yield
//===----------------------------------------------------------------------===//

// -----

func.func @yield_too_few_values(%a: tensor<2x24xf16>)
    -> (tensor<2x24xf16>, tensor<2x24xf16>) {
  %y:2 = thread.fused (%a) : tensor<2x24xf16> {
  ^bb0(%x: f16):
    // expected-error @+1 {{'thread.yield' op yields 1 values, expected 2 (one per result of the enclosing thread.fused)}}
    thread.yield %x : f16
  }
  return %y#0, %y#1 : tensor<2x24xf16>, tensor<2x24xf16>
}

// -----

func.func @yield_too_many_values(%a: tensor<2x24xf16>) -> tensor<2x24xf16> {
  %y = thread.fused (%a) : tensor<2x24xf16> {
  ^bb0(%x: f16):
    // expected-error @+1 {{'thread.yield' op yields 2 values, expected 1 (one per result of the enclosing thread.fused)}}
    thread.yield %x, %x : f16, f16
  }
  return %y : tensor<2x24xf16>
}

// -----

func.func @yield_wrong_type(%a: tensor<2x24xf16>) -> tensor<2x24xf16> {
  %y = thread.fused (%a) : tensor<2x24xf16> {
  ^bb0(%x: f16):
    %c = arith.constant 1.0 : f32
    // expected-error @+1 {{'thread.yield' op value #0 has type 'f32', expected 'f16' (the element type of result #0)}}
    thread.yield %c : f32
  }
  return %y : tensor<2x24xf16>
}

// -----

func.func @yield_integer(%a: tensor<2x24xf16>) -> tensor<2x24xf16> {
  %y = thread.fused (%a) : tensor<2x24xf16> {
  ^bb0(%x: f16):
    %c = arith.constant 1 : i32
    // expected-error @+1 {{'thread.yield' op operand #0 must be variadic of f16, bf16 or f32 scalar, but got 'i32'}}
    thread.yield %c : i32
  }
  return %y : tensor<2x24xf16>
}

// -----

func.func @yield_outside_fused(%x: f16) {
  // expected-error @+1 {{'thread.yield' op expects parent op 'thread.fused'}}
  thread.yield %x : f16
}

//===----------------------------------------------------------------------===//
// Scalar ops
//===----------------------------------------------------------------------===//

// -----

func.func @unary_outside_fused(%x: f16) -> f16 {
  // expected-error @+1 {{'thread.exp' op expects parent op 'thread.fused'}}
  %y = thread.exp %x : f16
  return %y : f16
}

// -----

func.func @binary_outside_fused(%x: f16) -> f16 {
  // expected-error @+1 {{'thread.mul' op expects parent op 'thread.fused'}}
  %y = thread.mul %x, %x : f16
  return %y : f16
}

// -----

func.func @clamp_outside_fused(%x: f16) -> f16 {
  // expected-error @+1 {{'thread.clamp' op expects parent op 'thread.fused'}}
  %y = thread.clamp %x min 0.0 max 6.0 : f16
  return %y : f16
}

// -----

func.func @mul_scalar_outside_fused(%x: f16) -> f16 {
  // expected-error @+1 {{'thread.mul_scalar' op expects parent op 'thread.fused'}}
  %y = thread.mul_scalar %x, 0.125 : f16
  return %y : f16
}

// -----

func.func @scalar_op_in_other_region(%a: tensor<2x24xf16>)
    -> tensor<2x24xf16> {
  %y = thread.fused (%a) : tensor<2x24xf16> {
  ^bb0(%x: f16):
    %r = scf.execute_region -> f16 {
      // expected-error @+1 {{'thread.exp' op expects parent op 'thread.fused'}}
      %e = thread.exp %x : f16
      scf.yield %e : f16
    }
    thread.yield %r : f16
  }
  return %y : tensor<2x24xf16>
}

// -----

func.func @clamp_min_greater_than_max(%a: tensor<2x24xf16>)
    -> tensor<2x24xf16> {
  %y = thread.fused (%a) : tensor<2x24xf16> {
  ^bb0(%x: f16):
    // expected-error @+1 {{'thread.clamp' op min 6.000000e+00 is greater than max 0.000000e+00}}
    %c = thread.clamp %x min 6.0 max 0.0 : f16
    thread.yield %c : f16
  }
  return %y : tensor<2x24xf16>
}

// -----

func.func @unary_integer_operand(%a: tensor<2x24xf16>) -> tensor<2x24xf16> {
  %y = thread.fused (%a) : tensor<2x24xf16> {
  ^bb0(%x: f16):
    %c = arith.constant 1 : i32
    // expected-error @+1 {{'thread.exp' op operand #0 must be f16, bf16 or f32 scalar, but got 'i32'}}
    %e = thread.exp %c : i32
    thread.yield %x : f16
  }
  return %y : tensor<2x24xf16>
}

// -----

func.func @unary_f64_operand(%a: tensor<2x24xf16>) -> tensor<2x24xf16> {
  %y = thread.fused (%a) : tensor<2x24xf16> {
  ^bb0(%x: f16):
    %c = arith.constant 1.0 : f64
    // expected-error @+1 {{'thread.sqrt' op operand #0 must be f16, bf16 or f32 scalar, but got 'f64'}}
    %e = thread.sqrt %c : f64
    thread.yield %x : f16
  }
  return %y : tensor<2x24xf16>
}

// -----

func.func @unary_result_type_differs(%a: tensor<2x24xf16>)
    -> tensor<2x24xf16> {
  %y = thread.fused (%a) : tensor<2x24xf16> {
  ^bb0(%x: f16):
    // expected-error @+1 {{'thread.relu' op requires the same type for all operands and results}}
    %r = "thread.relu"(%x) : (f16) -> bf16
    thread.yield %x : f16
  }
  return %y : tensor<2x24xf16>
}

// -----

func.func @binary_operand_types_differ(%a: tensor<2x24xf16>)
    -> tensor<2x24xf16> {
  %y = thread.fused (%a) : tensor<2x24xf16> {
  ^bb0(%x: f16):
    %c = arith.constant 2.0 : f32
    // expected-error @+1 {{'thread.pow' op requires the same type for all operands and results}}
    %p = "thread.pow"(%x, %c) : (f16, f32) -> f16
    thread.yield %p : f16
  }
  return %y : tensor<2x24xf16>
}

// -----

func.func @binary_operand_tensor(%a: tensor<2x24xf16>) -> tensor<2x24xf16> {
  %y = thread.fused (%a) : tensor<2x24xf16> {
  ^bb0(%x: f16):
    %c = arith.constant dense<1.0> : tensor<2x24xf16>
    // expected-error @+1 {{'thread.add' op operand #0 must be f16, bf16 or f32 scalar, but got 'tensor<2x24xf16>'}}
    %s = thread.add %c, %c : tensor<2x24xf16>
    thread.yield %x : f16
  }
  return %y : tensor<2x24xf16>
}

//===----------------------------------------------------------------------===//
// Unknown attributes
//===----------------------------------------------------------------------===//

// -----

func.func @fused_unknown_attribute(%a: tensor<2x24xf16>) -> tensor<2x24xf16> {
  // expected-error @+1 {{'thread.fused' op has unknown attribute}}
  %y = thread.fused (%a) {foo = 1} : tensor<2x24xf16> {
  ^bb0(%x: f16):
    thread.yield %x : f16
  }
  return %y : tensor<2x24xf16>
}

// -----

func.func @scalar_unknown_attribute(%a: tensor<2x24xf16>)
    -> tensor<2x24xf16> {
  %y = thread.fused (%a) : tensor<2x24xf16> {
  ^bb0(%x: f16):
    // expected-error @+1 {{'thread.exp' op has unknown attribute}}
    %e = thread.exp %x {foo = 1} : f16
    thread.yield %e : f16
  }
  return %y : tensor<2x24xf16>
}

// -----

func.func @clamp_unknown_attribute(%a: tensor<2x24xf16>)
    -> tensor<2x24xf16> {
  %y = thread.fused (%a) : tensor<2x24xf16> {
  ^bb0(%x: f16):
    // expected-error @+1 {{'thread.clamp' op has unknown attribute}}
    %c = thread.clamp %x min 0.0 max 6.0 {foo = 1} : f16
    thread.yield %c : f16
  }
  return %y : tensor<2x24xf16>
}

// -----

func.func @yield_unknown_attribute(%a: tensor<2x24xf16>) -> tensor<2x24xf16> {
  %y = thread.fused (%a) : tensor<2x24xf16> {
  ^bb0(%x: f16):
    // expected-error @+1 {{'thread.yield' op has unknown attribute}}
    thread.yield {foo = 1} %x : f16
  }
  return %y : tensor<2x24xf16>
}
