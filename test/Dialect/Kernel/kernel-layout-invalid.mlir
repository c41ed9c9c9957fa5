// One case per rule of the layout ops (kernel.transpose, kernel.reshape,
// kernel.broadcast and their block twins), each with the message a user
// sees.
//
// RUN: mirage-opt %s -split-input-file -verify-diagnostics

func.func @transpose_short_permutation(%x: tensor<4x8xf16>) {
  // expected-error @below {{'kernel.transpose' op permutation has 1 entries for rank 2}}
  %0 = kernel.transpose %x permutation [0] : tensor<4x8xf16>
  return
}

// -----

func.func @transpose_out_of_range(%x: tensor<4x8xf16>) {
  // expected-error @below {{'kernel.transpose' op permutation entry 1 is 2, out of range for rank 2}}
  %0 = kernel.transpose %x permutation [0, 2] : tensor<4x8xf16>
  return
}

// -----

func.func @transpose_negative(%x: tensor<4x8xf16>) {
  // expected-error @below {{'kernel.transpose' op permutation entry 0 is -1, out of range for rank 2}}
  %0 = kernel.transpose %x permutation [-1, 0] : tensor<4x8xf16>
  return
}

// -----

func.func @transpose_repeated(%x: tensor<4x8x2xf16>) {
  // expected-error @below {{'kernel.transpose' op permutation names dimension 1 twice}}
  %0 = kernel.transpose %x permutation [1, 1, 0] : tensor<4x8x2xf16>
  return
}

// -----

func.func @transpose_dynamic(%x: tensor<?x8xf16>) {
  // expected-error @below {{'kernel.transpose' op operand #0 must be statically shaped tensor of rank 1 to 4 with f16, bf16 or f32 elements, but got 'tensor<?x8xf16>'}}
  %0 = kernel.transpose %x permutation [1, 0] : tensor<?x8xf16>
  return
}

// -----

func.func @transpose_wrong_result(%x: tensor<4x8xf16>) {
  // expected-error @below {{'kernel.transpose' op inferred type(s) 'tensor<8x4xf16>' are incompatible with return type(s) of operation 'tensor<4x8xf16>'}}
  // expected-error @below {{'kernel.transpose' op failed to infer returned types}}
  %0 = "kernel.transpose"(%x) <{permutation = array<i64: 1, 0>}>
      : (tensor<4x8xf16>) -> tensor<4x8xf16>
  return
}

// -----

func.func @reshape_count(%x: tensor<4x8xf16>) {
  // expected-error @below {{'kernel.reshape' op reshape from 4x8 (32 elements) to 4x4 (16 elements) changes the element count}}
  %0 = kernel.reshape %x : tensor<4x8xf16> -> tensor<4x4xf16>
  return
}

// -----

func.func @reshape_element_type(%x: tensor<4x8xf16>) {
  // expected-error @below {{'kernel.reshape' op result element type 'f32' differs from the input's 'f16'}}
  %0 = kernel.reshape %x : tensor<4x8xf16> -> tensor<32xf32>
  return
}

// -----

func.func @reshape_dynamic(%x: tensor<4x8xf16>) {
  // expected-error @below {{'kernel.reshape' op result #0 must be statically shaped tensor of rank 1 to 4 with f16, bf16 or f32 elements, but got 'tensor<?xf16>'}}
  %0 = kernel.reshape %x : tensor<4x8xf16> -> tensor<?xf16>
  return
}

// -----

// 2^64 elements on both sides: refused as unaddressable before any element
// count could wrap (the shape rule also checks its products).
func.func @reshape_overflow(%x: tensor<4294967296x4294967296xf16>) {
  // expected-error @below {{'kernel.reshape' op operand #0 of type 'tensor<4294967296x4294967296xf16>' has more than 2^63 - 1 bytes, the limit of a tensor or tile}}
  %0 = kernel.reshape %x
      : tensor<4294967296x4294967296xf16> -> tensor<2x4294967296x2147483648xf16>
  return
}

// -----

func.func @broadcast_rank(%x: tensor<64xf16>) {
  // expected-error @below {{'kernel.broadcast' op broadcast of rank 1 adding 1 dimensions gives rank 2, not 3}}
  %0 = kernel.broadcast %x dimensions [0] : tensor<64xf16> -> tensor<2x8x64xf16>
  return
}

// -----

func.func @broadcast_not_increasing(%x: tensor<64xf16>) {
  // expected-error @below {{'kernel.broadcast' op added dimensions must be increasing and below the result rank 3, got 0}}
  %0 = kernel.broadcast %x dimensions [1, 0] : tensor<64xf16> -> tensor<2x8x64xf16>
  return
}

// -----

func.func @broadcast_out_of_range(%x: tensor<64xf16>) {
  // expected-error @below {{'kernel.broadcast' op added dimensions must be increasing and below the result rank 2, got 2}}
  %0 = kernel.broadcast %x dimensions [2] : tensor<64xf16> -> tensor<64x2xf16>
  return
}

// -----

func.func @broadcast_extent(%x: tensor<64xf16>) {
  // expected-error @below {{'kernel.broadcast' op result extent 32 at dimension 1 differs from the input's extent 64 at dimension 0}}
  %0 = kernel.broadcast %x dimensions [0] : tensor<64xf16> -> tensor<8x32xf16>
  return
}

// -----

func.func @broadcast_element_type(%x: tensor<64xf16>) {
  // expected-error @below {{'kernel.broadcast' op result element type 'bf16' differs from the input's 'f16'}}
  %0 = kernel.broadcast %x dimensions [0] : tensor<64xf16> -> tensor<8x64xbf16>
  return
}

// -----

func.func @broadcast_rank_limit(%x: tensor<2x2x2x2xf16>) {
  // expected-error @below {{'kernel.broadcast' op result #0 must be statically shaped tensor of rank 1 to 4 with f16, bf16 or f32 elements, but got 'tensor<2x2x2x2x2xf16>'}}
  %0 = kernel.broadcast %x dimensions [0] : tensor<2x2x2x2xf16> -> tensor<2x2x2x2x2xf16>
  return
}

// -----

func.func @block_transpose(%k: tensor<64x128xf16>) -> tensor<64x128xf16> {
  %o = kernel.graph_defined (%k) grid [1, 1, 1] block [128, 1, 1] forloop 1
      : (tensor<64x128xf16>) -> tensor<64x128xf16> {
  ^bb0(%kd: tensor<64x128xf16>):
    %kt = block.loader %kd imap [-1, -1, -1] fmap -1
        : tensor<64x128xf16> -> !block.tile<64x128xf16, pre>
    // expected-error @below {{'block.transpose' op permutation names dimension 0 twice}}
    %t = block.transpose %kt permutation [0, 0] : !block.tile<64x128xf16, pre>
    %a = block.accum none %kt
        : !block.tile<64x128xf16, pre> -> !block.tile<64x128xf16, post>
    %s = block.saver %a omap [-1, -1, -1]
        : !block.tile<64x128xf16, post> -> tensor<64x128xf16>
    block.yield %s : tensor<64x128xf16>
  }
  return %o : tensor<64x128xf16>
}

// -----

func.func @block_reshape(%k: tensor<64x128xf16>) -> tensor<64x128xf16> {
  %o = kernel.graph_defined (%k) grid [1, 1, 1] block [128, 1, 1] forloop 1
      : (tensor<64x128xf16>) -> tensor<64x128xf16> {
  ^bb0(%kd: tensor<64x128xf16>):
    %kt = block.loader %kd imap [-1, -1, -1] fmap -1
        : tensor<64x128xf16> -> !block.tile<64x128xf16, pre>
    // expected-error @below {{'block.reshape' op reshape from 64x128 (8192 elements) to 64x64 (4096 elements) changes the element count}}
    %r = block.reshape %kt
        : !block.tile<64x128xf16, pre> -> !block.tile<64x64xf16, pre>
    %a = block.accum none %kt
        : !block.tile<64x128xf16, pre> -> !block.tile<64x128xf16, post>
    %s = block.saver %a omap [-1, -1, -1]
        : !block.tile<64x128xf16, post> -> tensor<64x128xf16>
    block.yield %s : tensor<64x128xf16>
  }
  return %o : tensor<64x128xf16>
}

// -----

func.func @block_reshape_state(%k: tensor<64x128xf16>) -> tensor<64x128xf16> {
  %o = kernel.graph_defined (%k) grid [1, 1, 1] block [128, 1, 1] forloop 1
      : (tensor<64x128xf16>) -> tensor<64x128xf16> {
  ^bb0(%kd: tensor<64x128xf16>):
    %kt = block.loader %kd imap [-1, -1, -1] fmap -1
        : tensor<64x128xf16> -> !block.tile<64x128xf16, pre>
    // expected-error @below {{'block.reshape' op result type '!block.tile<8192xf16, post>' must keep the input's element type and accumulation state}}
    %r = block.reshape %kt
        : !block.tile<64x128xf16, pre> -> !block.tile<8192xf16, post>
    %a = block.accum none %kt
        : !block.tile<64x128xf16, pre> -> !block.tile<64x128xf16, post>
    %s = block.saver %a omap [-1, -1, -1]
        : !block.tile<64x128xf16, post> -> tensor<64x128xf16>
    block.yield %s : tensor<64x128xf16>
  }
  return %o : tensor<64x128xf16>
}

// -----

func.func @block_broadcast(%v: tensor<32xf16>) -> tensor<32xf16> {
  %o = kernel.graph_defined (%v) grid [1, 1, 1] block [128, 1, 1] forloop 1
      : (tensor<32xf16>) -> tensor<32xf16> {
  ^bb0(%vd: tensor<32xf16>):
    %vt = block.loader %vd imap [-1, -1, -1] fmap -1
        : tensor<32xf16> -> !block.tile<32xf16, pre>
    // expected-error @below {{'block.broadcast' op result extent 16 at dimension 1 differs from the input's extent 32 at dimension 0}}
    %b = block.broadcast %vt dimensions [0]
        : !block.tile<32xf16, pre> -> !block.tile<4x16xf16, pre>
    %a = block.accum none %vt
        : !block.tile<32xf16, pre> -> !block.tile<32xf16, post>
    %s = block.saver %a omap [-1, -1, -1]
        : !block.tile<32xf16, post> -> tensor<32xf16>
    block.yield %s : tensor<32xf16>
  }
  return %o : tensor<32xf16>
}
