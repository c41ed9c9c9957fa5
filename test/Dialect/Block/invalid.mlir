// One case per verifier and shape rule of the block dialect, each with the
// exact message a user sees. Apart from the one broken rule, every case is a
// block graph that verifies: loaders from the body arguments, accumulators,
// savers and the yield.
//
// RUN: mirage-opt %s -split-input-file -verify-diagnostics

//===----------------------------------------------------------------------===//
// Tile type
//===----------------------------------------------------------------------===//

// expected-error @+1 {{tile rank must be between 1 and 4, got 0}}
func.func @tile_rank_zero(%t: !block.tile<f16, pre>)

// -----

// expected-error @+1 {{tile rank must be between 1 and 4, got 5}}
func.func @tile_rank_five(%t: !block.tile<1x2x2x2x2xf16, pre>)

// -----

// expected-error @+1 {{tile dimension 1 must be positive, got 0}}
func.func @tile_zero_dim(%t: !block.tile<2x0xf16, pre>)

// -----

// A negative extent does not even lex as a dimension.
// expected-error @+1 {{expected non-function type}}
func.func @tile_negative_dim(%t: !block.tile<-4x2xf16, pre>)

// -----

// expected-error @+1 {{tile element type must be f16, bf16 or f32, got 'i32'}}
func.func @tile_integer_elements(%t: !block.tile<2x4xi32, pre>)

// -----

// expected-error @+1 {{expected accumulation state 'pre' or 'post', got 'done'}}
func.func @tile_bad_state(%t: !block.tile<2x4xf16, done>)

// -----

// The state keyword is required.
// expected-error @+1 {{expected ','}}
func.func @tile_missing_state(%t: !block.tile<2x4xf16>)

// -----

//===----------------------------------------------------------------------===//
// block.loader
//===----------------------------------------------------------------------===//

// The source is a tensor computed inside the block graph, not a kernel
// input (an op of another dialect, which the kernel's verifier would reject
// next).
func.func @loader_source_not_body_argument(%x: tensor<8x256xf16>)
    -> tensor<8x128xf16> {
  %y = kernel.graph_defined (%x) grid [2, 1, 1] block [128, 1, 1] forloop 2
      : (tensor<8x256xf16>) -> tensor<8x128xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    %e = tensor.empty() : tensor<8x256xf16>
    // expected-error @+1 {{'block.loader' op source must be an input of the enclosing kernel.graph_defined (an argument of its body)}}
    %xt = block.loader %e imap [0, -1, -1] fmap 1
        : tensor<8x256xf16> -> !block.tile<4x128xf16, pre>
    %acc = block.accum none %xt
        : !block.tile<4x128xf16, pre> -> !block.tile<4x128xf16, post>
    %s = block.saver %acc omap [0, -1, -1]
        : !block.tile<4x128xf16, post> -> tensor<8x128xf16>
    block.yield %s : tensor<8x128xf16>
  }
  return %y : tensor<8x128xf16>
}

// -----

func.func @loader_post_result(%x: tensor<8x256xf16>) -> tensor<8x128xf16> {
  %y = kernel.graph_defined (%x) grid [2, 1, 1] block [128, 1, 1] forloop 2
      : (tensor<8x256xf16>) -> tensor<8x128xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    // expected-error @+1 {{'block.loader' op loads 'pre' accumulation tiles; the result type says 'post'}}
    %xt = block.loader %xd imap [0, -1, -1] fmap 1
        : tensor<8x256xf16> -> !block.tile<4x128xf16, post>
    %s = block.saver %xt omap [0, -1, -1]
        : !block.tile<4x128xf16, post> -> tensor<8x128xf16>
    block.yield %s : tensor<8x128xf16>
  }
  return %y : tensor<8x128xf16>
}

// -----

func.func @loader_element_type(%x: tensor<8x256xf16>) -> tensor<8x128xbf16> {
  %y = kernel.graph_defined (%x) grid [2, 1, 1] block [128, 1, 1] forloop 2
      : (tensor<8x256xf16>) -> tensor<8x128xbf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    // expected-error @+1 {{'block.loader' op tile element type 'bf16' differs from the source's 'f16'}}
    %xt = block.loader %xd imap [0, -1, -1] fmap 1
        : tensor<8x256xf16> -> !block.tile<4x128xbf16, pre>
    %acc = block.accum none %xt
        : !block.tile<4x128xbf16, pre> -> !block.tile<4x128xbf16, post>
    %s = block.saver %acc omap [0, -1, -1]
        : !block.tile<4x128xbf16, post> -> tensor<8x128xbf16>
    block.yield %s : tensor<8x128xbf16>
  }
  return %y : tensor<8x128xbf16>
}

// -----

// The tile of the unsplit tensor: imap and fmap were forgotten.
func.func @loader_wrong_tile_shape(%x: tensor<8x256xf16>)
    -> tensor<16x256xf16> {
  %y = kernel.graph_defined (%x) grid [2, 1, 1] block [128, 1, 1] forloop 2
      : (tensor<8x256xf16>) -> tensor<16x256xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    // expected-error @+1 {{'block.loader' op tile shape 8x256 differs from the shape 4x128 that imap, fmap, grid and for-loop range give}}
    %xt = block.loader %xd imap [0, -1, -1] fmap 1
        : tensor<8x256xf16> -> !block.tile<8x256xf16, pre>
    %acc = block.accum none %xt
        : !block.tile<8x256xf16, pre> -> !block.tile<8x256xf16, post>
    %s = block.saver %acc omap [0, -1, -1]
        : !block.tile<8x256xf16, post> -> tensor<16x256xf16>
    block.yield %s : tensor<16x256xf16>
  }
  return %y : tensor<16x256xf16>
}

// -----

func.func @loader_grid_does_not_divide(%x: tensor<8x256xf16>)
    -> tensor<8x128xf16> {
  %y = kernel.graph_defined (%x) grid [1, 3, 1] block [128, 1, 1] forloop 2
      : (tensor<8x256xf16>) -> tensor<8x128xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    // expected-error @+1 {{'block.loader' op grid y = 3 does not divide dimension 0 of extent 8}}
    %xt = block.loader %xd imap [-1, 0, -1] fmap 1
        : tensor<8x256xf16> -> !block.tile<4x128xf16, pre>
    %acc = block.accum none %xt
        : !block.tile<4x128xf16, pre> -> !block.tile<4x128xf16, post>
    %s = block.saver %acc omap [-1, 0, -1]
        : !block.tile<4x128xf16, post> -> tensor<8x128xf16>
    block.yield %s : tensor<8x128xf16>
  }
  return %y : tensor<8x128xf16>
}

// -----

func.func @loader_forloop_does_not_divide(%x: tensor<8x256xf16>)
    -> tensor<8x128xf16> {
  %y = kernel.graph_defined (%x) grid [2, 1, 1] block [128, 1, 1] forloop 3
      : (tensor<8x256xf16>) -> tensor<8x128xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    // expected-error @+1 {{'block.loader' op for-loop range 3 does not divide dimension 1 of the per-block extent 256}}
    %xt = block.loader %xd imap [0, -1, -1] fmap 1
        : tensor<8x256xf16> -> !block.tile<4x128xf16, pre>
    %acc = block.accum none %xt
        : !block.tile<4x128xf16, pre> -> !block.tile<4x128xf16, post>
    %s = block.saver %acc omap [0, -1, -1]
        : !block.tile<4x128xf16, post> -> tensor<8x128xf16>
    block.yield %s : tensor<8x128xf16>
  }
  return %y : tensor<8x128xf16>
}

// -----

func.func @loader_imap_out_of_range(%x: tensor<8x256xf16>)
    -> tensor<8x128xf16> {
  %y = kernel.graph_defined (%x) grid [2, 1, 1] block [128, 1, 1] forloop 2
      : (tensor<8x256xf16>) -> tensor<8x128xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    // expected-error @+1 {{'block.loader' op imap maps grid x to dimension 2, which is out of range for rank 2 (use -1 to replicate)}}
    %xt = block.loader %xd imap [2, -1, -1] fmap 1
        : tensor<8x256xf16> -> !block.tile<4x128xf16, pre>
    %acc = block.accum none %xt
        : !block.tile<4x128xf16, pre> -> !block.tile<4x128xf16, post>
    %s = block.saver %acc omap [0, -1, -1]
        : !block.tile<4x128xf16, post> -> tensor<8x128xf16>
    block.yield %s : tensor<8x128xf16>
  }
  return %y : tensor<8x128xf16>
}

// -----

// -2 is neither a dimension nor -1 (replicate).
func.func @loader_imap_negative(%x: tensor<8x256xf16>)
    -> tensor<8x128xf16> {
  %y = kernel.graph_defined (%x) grid [2, 1, 1] block [128, 1, 1] forloop 2
      : (tensor<8x256xf16>) -> tensor<8x128xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    // expected-error @+1 {{'block.loader' op imap maps grid y to dimension -2, which is out of range for rank 2 (use -1 to replicate)}}
    %xt = block.loader %xd imap [0, -2, -1] fmap 1
        : tensor<8x256xf16> -> !block.tile<4x128xf16, pre>
    %acc = block.accum none %xt
        : !block.tile<4x128xf16, pre> -> !block.tile<4x128xf16, post>
    %s = block.saver %acc omap [0, -1, -1]
        : !block.tile<4x128xf16, post> -> tensor<8x128xf16>
    block.yield %s : tensor<8x128xf16>
  }
  return %y : tensor<8x128xf16>
}

// -----

func.func @loader_imap_two_axes_one_dim(%x: tensor<8x256xf16>)
    -> tensor<8x128xf16> {
  %y = kernel.graph_defined (%x) grid [2, 2, 1] block [128, 1, 1] forloop 2
      : (tensor<8x256xf16>) -> tensor<8x128xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    // expected-error @+1 {{'block.loader' op imap maps both grid x and grid y to dimension 0}}
    %xt = block.loader %xd imap [0, 0, -1] fmap 1
        : tensor<8x256xf16> -> !block.tile<2x128xf16, pre>
    %acc = block.accum none %xt
        : !block.tile<2x128xf16, pre> -> !block.tile<2x128xf16, post>
    %s = block.saver %acc omap [0, 1, -1]
        : !block.tile<2x128xf16, post> -> tensor<4x256xf16>
    block.yield %s : tensor<4x256xf16>
  }
  return %y : tensor<8x128xf16>
}

// -----

func.func @loader_imap_two_entries(%x: tensor<8x256xf16>)
    -> tensor<8x128xf16> {
  %y = kernel.graph_defined (%x) grid [2, 1, 1] block [128, 1, 1] forloop 2
      : (tensor<8x256xf16>) -> tensor<8x128xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    // expected-error @+1 {{'block.loader' op imap must have 3 entries (grid x, y, z), got 2}}
    %xt = block.loader %xd imap [0, -1] fmap 1
        : tensor<8x256xf16> -> !block.tile<4x128xf16, pre>
    %acc = block.accum none %xt
        : !block.tile<4x128xf16, pre> -> !block.tile<4x128xf16, post>
    %s = block.saver %acc omap [0, -1, -1]
        : !block.tile<4x128xf16, post> -> tensor<8x128xf16>
    block.yield %s : tensor<8x128xf16>
  }
  return %y : tensor<8x128xf16>
}

// -----

func.func @loader_fmap_out_of_range(%x: tensor<8x256xf16>)
    -> tensor<8x128xf16> {
  %y = kernel.graph_defined (%x) grid [2, 1, 1] block [128, 1, 1] forloop 2
      : (tensor<8x256xf16>) -> tensor<8x128xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    // expected-error @+1 {{'block.loader' op for-loop dimension 2 is out of range for rank 2 (use -1 for none)}}
    %xt = block.loader %xd imap [0, -1, -1] fmap 2
        : tensor<8x256xf16> -> !block.tile<4x128xf16, pre>
    %acc = block.accum none %xt
        : !block.tile<4x128xf16, pre> -> !block.tile<4x128xf16, post>
    %s = block.saver %acc omap [0, -1, -1]
        : !block.tile<4x128xf16, post> -> tensor<8x128xf16>
    block.yield %s : tensor<8x128xf16>
  }
  return %y : tensor<8x128xf16>
}

// -----

//===----------------------------------------------------------------------===//
// block.saver
//===----------------------------------------------------------------------===//

func.func @saver_pre_tile(%x: tensor<8x256xf16>) -> tensor<8x128xf16> {
  %y = kernel.graph_defined (%x) grid [2, 1, 1] block [128, 1, 1] forloop 2
      : (tensor<8x256xf16>) -> tensor<8x128xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    %xt = block.loader %xd imap [0, -1, -1] fmap 1
        : tensor<8x256xf16> -> !block.tile<4x128xf16, pre>
    // expected-error @+1 {{'block.saver' op saves only 'post' accumulation tiles; accumulate the value with block.accum first}}
    %s = block.saver %xt omap [0, -1, -1]
        : !block.tile<4x128xf16, pre> -> tensor<8x128xf16>
    block.yield %s : tensor<8x128xf16>
  }
  return %y : tensor<8x128xf16>
}

// -----

// The omap lays the two blocks' tiles along dim 0, not dim 1.
func.func @saver_wrong_output_shape(%x: tensor<8x256xf16>)
    -> tensor<4x256xf16> {
  %y = kernel.graph_defined (%x) grid [2, 1, 1] block [128, 1, 1] forloop 2
      : (tensor<8x256xf16>) -> tensor<4x256xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    %xt = block.loader %xd imap [0, -1, -1] fmap 1
        : tensor<8x256xf16> -> !block.tile<4x128xf16, pre>
    %acc = block.accum none %xt
        : !block.tile<4x128xf16, pre> -> !block.tile<4x128xf16, post>
    // expected-error @+1 {{'block.saver' op result shape 4x256 differs from the shape 8x128 that the tile, omap and grid give}}
    %s = block.saver %acc omap [0, -1, -1]
        : !block.tile<4x128xf16, post> -> tensor<4x256xf16>
    block.yield %s : tensor<4x256xf16>
  }
  return %y : tensor<4x256xf16>
}

// -----

func.func @saver_grid_axis_unmapped(%x: tensor<8x256xf16>)
    -> tensor<4x128xf16> {
  %y = kernel.graph_defined (%x) grid [2, 1, 1] block [128, 1, 1] forloop 2
      : (tensor<8x256xf16>) -> tensor<4x128xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    %xt = block.loader %xd imap [0, -1, -1] fmap 1
        : tensor<8x256xf16> -> !block.tile<4x128xf16, pre>
    %acc = block.accum none %xt
        : !block.tile<4x128xf16, pre> -> !block.tile<4x128xf16, post>
    // expected-error @+1 {{'block.saver' op omap leaves grid x (extent 2) unmapped: blocks along it would write the same tile}}
    %s = block.saver %acc omap [-1, -1, -1]
        : !block.tile<4x128xf16, post> -> tensor<4x128xf16>
    block.yield %s : tensor<4x128xf16>
  }
  return %y : tensor<4x128xf16>
}

// -----

func.func @saver_omap_out_of_range(%x: tensor<8x256xf16>)
    -> tensor<8x128xf16> {
  %y = kernel.graph_defined (%x) grid [2, 1, 1] block [128, 1, 1] forloop 2
      : (tensor<8x256xf16>) -> tensor<8x128xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    %xt = block.loader %xd imap [0, -1, -1] fmap 1
        : tensor<8x256xf16> -> !block.tile<4x128xf16, pre>
    %acc = block.accum none %xt
        : !block.tile<4x128xf16, pre> -> !block.tile<4x128xf16, post>
    // expected-error @+1 {{'block.saver' op omap maps grid x to dimension 2, which is out of range for rank 2 (use -1 to replicate)}}
    %s = block.saver %acc omap [2, -1, -1]
        : !block.tile<4x128xf16, post> -> tensor<8x128xf16>
    block.yield %s : tensor<8x128xf16>
  }
  return %y : tensor<8x128xf16>
}

// -----

func.func @saver_element_type(%x: tensor<8x256xf16>) -> tensor<8x128xf32> {
  %y = kernel.graph_defined (%x) grid [2, 1, 1] block [128, 1, 1] forloop 2
      : (tensor<8x256xf16>) -> tensor<8x128xf32> {
  ^bb0(%xd: tensor<8x256xf16>):
    %xt = block.loader %xd imap [0, -1, -1] fmap 1
        : tensor<8x256xf16> -> !block.tile<4x128xf16, pre>
    %acc = block.accum none %xt
        : !block.tile<4x128xf16, pre> -> !block.tile<4x128xf16, post>
    // expected-error @+1 {{'block.saver' op result element type 'f32' differs from the tile's 'f16'}}
    %s = block.saver %acc omap [0, -1, -1]
        : !block.tile<4x128xf16, post> -> tensor<8x128xf32>
    block.yield %s : tensor<8x128xf32>
  }
  return %y : tensor<8x128xf32>
}

// -----

// A saved tensor fed back into the block graph.
func.func @saver_result_used_by_non_yield(%x: tensor<8x256xf16>)
    -> tensor<8x128xf16> {
  %y = kernel.graph_defined (%x) grid [2, 1, 1] block [128, 1, 1] forloop 2
      : (tensor<8x256xf16>) -> tensor<8x128xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    %xt = block.loader %xd imap [0, -1, -1] fmap 1
        : tensor<8x256xf16> -> !block.tile<4x128xf16, pre>
    %acc = block.accum none %xt
        : !block.tile<4x128xf16, pre> -> !block.tile<4x128xf16, post>
    // expected-error @+1 {{'block.saver' op result may only be yielded by block.yield, but it is used by 'block.loader'}}
    %s = block.saver %acc omap [0, -1, -1]
        : !block.tile<4x128xf16, post> -> tensor<8x128xf16>
    %e = block.loader %s imap [0, -1, -1] fmap -1
        : tensor<8x128xf16> -> !block.tile<4x128xf16, pre>
    block.yield %s : tensor<8x128xf16>
  }
  return %y : tensor<8x128xf16>
}

// -----

// A saver nobody yields would write memory no result of the kernel owns
// (the lowering and the interpreter crashed on it).
func.func @saver_never_yielded(%x: tensor<8x256xf16>) -> tensor<8x128xf16> {
  %y = kernel.graph_defined (%x) grid [2, 1, 1] block [128, 1, 1] forloop 2
      : (tensor<8x256xf16>) -> tensor<8x128xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    %xt = block.loader %xd imap [0, -1, -1] fmap 1
        : tensor<8x256xf16> -> !block.tile<4x128xf16, pre>
    %acc = block.accum none %xt
        : !block.tile<4x128xf16, pre> -> !block.tile<4x128xf16, post>
    %s = block.saver %acc omap [0, -1, -1]
        : !block.tile<4x128xf16, post> -> tensor<8x128xf16>
    // expected-error @+1 {{'block.saver' op result is never yielded: every block.saver must be yielded by the block.yield exactly once}}
    %t = block.saver %acc omap [0, -1, -1]
        : !block.tile<4x128xf16, post> -> tensor<8x128xf16>
    block.yield %s : tensor<8x128xf16>
  }
  return %y : tensor<8x128xf16>
}

// -----

// One saver yielded for two results: the interpreter returned zeros for one
// and the compiled code never wrote the other.
func.func @saver_yielded_twice(%x: tensor<8x256xf16>)
    -> (tensor<8x128xf16>, tensor<8x128xf16>) {
  %y:2 = kernel.graph_defined (%x) grid [2, 1, 1] block [128, 1, 1] forloop 2
      : (tensor<8x256xf16>) -> (tensor<8x128xf16>, tensor<8x128xf16>) {
  ^bb0(%xd: tensor<8x256xf16>):
    %xt = block.loader %xd imap [0, -1, -1] fmap 1
        : tensor<8x256xf16> -> !block.tile<4x128xf16, pre>
    %acc = block.accum none %xt
        : !block.tile<4x128xf16, pre> -> !block.tile<4x128xf16, post>
    // expected-error @+1 {{'block.saver' op result is yielded 2 times: every block.saver must be yielded by the block.yield exactly once}}
    %s = block.saver %acc omap [0, -1, -1]
        : !block.tile<4x128xf16, post> -> tensor<8x128xf16>
    block.yield %s, %s : tensor<8x128xf16>, tensor<8x128xf16>
  }
  return %y#0, %y#1 : tensor<8x128xf16>, tensor<8x128xf16>
}

// -----

// A zero-extent kernel input has no tile: grid and for-loop would divide it.
func.func @loader_zero_extent(%x: tensor<0x256xf16>) -> tensor<8x128xf16> {
  // expected-error @+1 {{'kernel.graph_defined' op input #0 of type 'tensor<0x256xf16>' has extent 0 at dimension 0: a graph-defined kernel splits its tensors into tiles of extent >= 1}}
  %y = kernel.graph_defined (%x) grid [2, 1, 1] block [128, 1, 1] forloop 2
      : (tensor<0x256xf16>) -> tensor<8x128xf16> {
  ^bb0(%xd: tensor<0x256xf16>):
    %xt = block.loader %xd imap [0, -1, -1] fmap 1
        : tensor<0x256xf16> -> !block.tile<4x128xf16, pre>
    %acc = block.accum none %xt
        : !block.tile<4x128xf16, pre> -> !block.tile<4x128xf16, post>
    %s = block.saver %acc omap [0, -1, -1]
        : !block.tile<4x128xf16, post> -> tensor<8x128xf16>
    block.yield %s : tensor<8x128xf16>
  }
  return %y : tensor<8x128xf16>
}

// -----

// 2^32 x 2^32 elements: the byte count wrapped, so --mirage-check-limits
// accepted the tile and the lowering emitted a negative memref extent.
// expected-error @+1 {{tile 4294967296x4294967296 has more than 2^63 - 1 bytes, the limit of a tile}}
func.func @tile_bytes_overflow(%t: !block.tile<4294967296x4294967296xf32, pre>)

// -----

// Just within the limit in elements, beyond it in bytes.
// expected-error @+1 {{tile 2x2305843009213693952 has more than 2^63 - 1 bytes, the limit of a tile}}
func.func @tile_bytes_overflow_f16(%t: !block.tile<2x2305843009213693952xf16, pre>)

// -----

//===----------------------------------------------------------------------===//
// Element-wise binary ops
//===----------------------------------------------------------------------===//

func.func @binary_state_mismatch(%x: tensor<8x256xf16>) -> tensor<8x128xf16> {
  %y = kernel.graph_defined (%x) grid [2, 1, 1] block [128, 1, 1] forloop 2
      : (tensor<8x256xf16>) -> tensor<8x128xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    %xt = block.loader %xd imap [0, -1, -1] fmap 1
        : tensor<8x256xf16> -> !block.tile<4x128xf16, pre>
    %acc = block.accum none %xt
        : !block.tile<4x128xf16, pre> -> !block.tile<4x128xf16, post>
    // expected-error @+1 {{'block.add' op operand #1 is 'post' accumulation but operand #0 is 'pre': operands must agree}}
    %sum = block.add %xt, %acc
        : !block.tile<4x128xf16, pre>, !block.tile<4x128xf16, post>
    %s = block.saver %acc omap [0, -1, -1]
        : !block.tile<4x128xf16, post> -> tensor<8x128xf16>
    block.yield %s : tensor<8x128xf16>
  }
  return %y : tensor<8x128xf16>
}

// -----

func.func @binary_element_type_mismatch(%x: tensor<8x256xf16>,
                                        %w: tensor<8x256xf32>)
    -> tensor<8x128xf16> {
  %y = kernel.graph_defined (%x, %w) grid [2, 1, 1] block [128, 1, 1]
      forloop 2 : (tensor<8x256xf16>, tensor<8x256xf32>) -> tensor<8x128xf16> {
  ^bb0(%xd: tensor<8x256xf16>, %wd: tensor<8x256xf32>):
    %xt = block.loader %xd imap [0, -1, -1] fmap 1
        : tensor<8x256xf16> -> !block.tile<4x128xf16, pre>
    %wt = block.loader %wd imap [0, -1, -1] fmap 1
        : tensor<8x256xf32> -> !block.tile<4x128xf32, pre>
    // expected-error @+1 {{'block.mul' op operand #1 has element type 'f32', expected 'f16' like operand #0}}
    %m = block.mul %xt, %wt
        : !block.tile<4x128xf16, pre>, !block.tile<4x128xf32, pre>
    %acc = block.accum none %m
        : !block.tile<4x128xf16, pre> -> !block.tile<4x128xf16, post>
    %s = block.saver %acc omap [0, -1, -1]
        : !block.tile<4x128xf16, post> -> tensor<8x128xf16>
    block.yield %s : tensor<8x128xf16>
  }
  return %y : tensor<8x128xf16>
}

// -----

func.func @binary_broadcast_mismatch(%x: tensor<8x256xf16>,
                                     %w: tensor<8x128xf16>)
    -> tensor<8x128xf16> {
  %y = kernel.graph_defined (%x, %w) grid [2, 1, 1] block [128, 1, 1]
      forloop 2 : (tensor<8x256xf16>, tensor<8x128xf16>) -> tensor<8x128xf16> {
  ^bb0(%xd: tensor<8x256xf16>, %wd: tensor<8x128xf16>):
    %xt = block.loader %xd imap [0, -1, -1] fmap 1
        : tensor<8x256xf16> -> !block.tile<4x128xf16, pre>
    %wt = block.loader %wd imap [0, -1, -1] fmap 1
        : tensor<8x128xf16> -> !block.tile<4x64xf16, pre>
    // expected-error @+1 {{'block.sub' op operand dims 128 and 64 at dimension 1 are neither equal nor 1}}
    %d = block.sub %xt, %wt
        : !block.tile<4x128xf16, pre>, !block.tile<4x64xf16, pre>
    %acc = block.accum none %d
        : !block.tile<4x128xf16, pre> -> !block.tile<4x128xf16, post>
    %s = block.saver %acc omap [0, -1, -1]
        : !block.tile<4x128xf16, post> -> tensor<8x128xf16>
    block.yield %s : tensor<8x128xf16>
  }
  return %y : tensor<8x128xf16>
}

// -----

func.func @binary_rank_mismatch(%x: tensor<8x256xf16>, %w: tensor<128xf16>)
    -> tensor<8x128xf16> {
  %y = kernel.graph_defined (%x, %w) grid [2, 1, 1] block [128, 1, 1]
      forloop 2 : (tensor<8x256xf16>, tensor<128xf16>) -> tensor<8x128xf16> {
  ^bb0(%xd: tensor<8x256xf16>, %wd: tensor<128xf16>):
    %xt = block.loader %xd imap [0, -1, -1] fmap 1
        : tensor<8x256xf16> -> !block.tile<4x128xf16, pre>
    %wt = block.loader %wd imap [-1, -1, -1] fmap -1
        : tensor<128xf16> -> !block.tile<128xf16, pre>
    // expected-error @+1 {{'block.div' op operands must have equal rank for broadcasting, got 2 and 1}}
    %d = block.div %xt, %wt
        : !block.tile<4x128xf16, pre>, !block.tile<128xf16, pre>
    %acc = block.accum none %d
        : !block.tile<4x128xf16, pre> -> !block.tile<4x128xf16, post>
    %s = block.saver %acc omap [0, -1, -1]
        : !block.tile<4x128xf16, post> -> tensor<8x128xf16>
    block.yield %s : tensor<8x128xf16>
  }
  return %y : tensor<8x128xf16>
}

// -----

//===----------------------------------------------------------------------===//
// block.matmul and block.concat_matmul
//===----------------------------------------------------------------------===//

// A block runs a batched matmul on rank-3 tiles only: a rank-4 tile has no
// batch dim.
func.func @matmul_leading_dim_not_one(%a: tensor<1x2x16x64xf16>,
                                      %b: tensor<1x2x64x32xf16>)
    -> tensor<1x2x16x32xf16> {
  %y = kernel.graph_defined (%a, %b) grid [1, 1, 1] block [128, 1, 1]
      forloop 1 : (tensor<1x2x16x64xf16>, tensor<1x2x64x32xf16>)
      -> tensor<1x2x16x32xf16> {
  ^bb0(%ad: tensor<1x2x16x64xf16>, %bd: tensor<1x2x64x32xf16>):
    %at = block.loader %ad imap [-1, -1, -1] fmap -1
        : tensor<1x2x16x64xf16> -> !block.tile<1x2x16x64xf16, pre>
    %bt = block.loader %bd imap [-1, -1, -1] fmap -1
        : tensor<1x2x64x32xf16> -> !block.tile<1x2x64x32xf16, pre>
    // expected-error @+1 {{'block.matmul' op leading dims of a block matmul operand must be 1, got 1x2x16x64}}
    %mm = block.matmul %at, %bt
        : !block.tile<1x2x16x64xf16, pre>, !block.tile<1x2x64x32xf16, pre>
    %acc = block.accum none %mm
        : !block.tile<1x2x16x32xf16, pre> -> !block.tile<1x2x16x32xf16, post>
    %s = block.saver %acc omap [-1, -1, -1]
        : !block.tile<1x2x16x32xf16, post> -> tensor<1x2x16x32xf16>
    block.yield %s : tensor<1x2x16x32xf16>
  }
  return %y : tensor<1x2x16x32xf16>
}

// -----

// A rank-1 operand (found by the import fuzz target: the rule read two
// trailing dims that are not there).
func.func @matmul_rank_one(%a: tensor<64xf16>, %b: tensor<64x32xf16>)
    -> tensor<32xf16> {
  %y = kernel.graph_defined (%a, %b) grid [1, 1, 1] block [128, 1, 1]
      forloop 1 : (tensor<64xf16>, tensor<64x32xf16>) -> tensor<32xf16> {
  ^bb0(%ad: tensor<64xf16>, %bd: tensor<64x32xf16>):
    %at = block.loader %ad imap [-1, -1, -1] fmap -1
        : tensor<64xf16> -> !block.tile<64xf16, pre>
    %bt = block.loader %bd imap [-1, -1, -1] fmap -1
        : tensor<64x32xf16> -> !block.tile<64x32xf16, pre>
    // expected-error @+1 {{'block.matmul' op a block matmul operand must have rank 2 or more, got 64}}
    %mm = block.matmul %at, %bt
        : !block.tile<64xf16, pre>, !block.tile<64x32xf16, pre>
    %acc = block.accum none %mm
        : !block.tile<32xf16, pre> -> !block.tile<32xf16, post>
    %s = block.saver %acc omap [-1, -1, -1]
        : !block.tile<32xf16, post> -> tensor<32xf16>
    block.yield %s : tensor<32xf16>
  }
  return %y : tensor<32xf16>
}

// -----

func.func @matmul_contraction_mismatch(%a: tensor<16x64xf16>,
                                       %b: tensor<32x32xf16>)
    -> tensor<16x32xf16> {
  %y = kernel.graph_defined (%a, %b) grid [1, 1, 1] block [128, 1, 1]
      forloop 1 : (tensor<16x64xf16>, tensor<32x32xf16>) -> tensor<16x32xf16> {
  ^bb0(%ad: tensor<16x64xf16>, %bd: tensor<32x32xf16>):
    %at = block.loader %ad imap [-1, -1, -1] fmap -1
        : tensor<16x64xf16> -> !block.tile<16x64xf16, pre>
    %bt = block.loader %bd imap [-1, -1, -1] fmap -1
        : tensor<32x32xf16> -> !block.tile<32x32xf16, pre>
    // expected-error @+1 {{'block.matmul' op matmul contraction dims differ: lhs 16x64 has k = 64, rhs 32x32 has k = 32}}
    %mm = block.matmul %at, %bt
        : !block.tile<16x64xf16, pre>, !block.tile<32x32xf16, pre>
    %acc = block.accum none %mm
        : !block.tile<16x32xf16, pre> -> !block.tile<16x32xf16, post>
    %s = block.saver %acc omap [-1, -1, -1]
        : !block.tile<16x32xf16, post> -> tensor<16x32xf16>
    block.yield %s : tensor<16x32xf16>
  }
  return %y : tensor<16x32xf16>
}

// -----

// Multiplying an accumulated tile by one of the current iteration.
func.func @matmul_state_mismatch(%a: tensor<16x64xf16>, %b: tensor<64x32xf16>)
    -> tensor<16x32xf16> {
  %y = kernel.graph_defined (%a, %b) grid [1, 1, 1] block [128, 1, 1]
      forloop 1 : (tensor<16x64xf16>, tensor<64x32xf16>) -> tensor<16x32xf16> {
  ^bb0(%ad: tensor<16x64xf16>, %bd: tensor<64x32xf16>):
    %at = block.loader %ad imap [-1, -1, -1] fmap -1
        : tensor<16x64xf16> -> !block.tile<16x64xf16, pre>
    %bt = block.loader %bd imap [-1, -1, -1] fmap -1
        : tensor<64x32xf16> -> !block.tile<64x32xf16, pre>
    %aacc = block.accum none %at
        : !block.tile<16x64xf16, pre> -> !block.tile<16x64xf16, post>
    // expected-error @+1 {{'block.matmul' op operand #1 is 'pre' accumulation but operand #0 is 'post': operands must agree}}
    %mm = block.matmul %aacc, %bt
        : !block.tile<16x64xf16, post>, !block.tile<64x32xf16, pre>
    %s = block.saver %mm omap [-1, -1, -1]
        : !block.tile<16x32xf16, post> -> tensor<16x32xf16>
    block.yield %s : tensor<16x32xf16>
  }
  return %y : tensor<16x32xf16>
}

// -----

// LoRA with B's columns split differently from W's: X W is 16x64 per block
// but (X A) B 16x128.
func.func @concat_matmul_partial_products_differ(
    %x: tensor<16x256xf16>, %xa: tensor<16x16xf16>, %w: tensor<256x4096xf16>,
    %b: tensor<16x8192xf16>) -> tensor<16x4096xf16> {
  %y = kernel.graph_defined (%x, %xa, %w, %b) grid [64, 1, 1]
      block [128, 1, 1] forloop 4
      : (tensor<16x256xf16>, tensor<16x16xf16>, tensor<256x4096xf16>,
         tensor<16x8192xf16>) -> tensor<16x4096xf16> {
  ^bb0(%xd: tensor<16x256xf16>, %xad: tensor<16x16xf16>,
       %wd: tensor<256x4096xf16>, %bd: tensor<16x8192xf16>):
    %xt = block.loader %xd imap [-1, -1, -1] fmap 1
        : tensor<16x256xf16> -> !block.tile<16x64xf16, pre>
    %xat = block.loader %xad imap [-1, -1, -1] fmap 1
        : tensor<16x16xf16> -> !block.tile<16x4xf16, pre>
    %wt = block.loader %wd imap [1, -1, -1] fmap 0
        : tensor<256x4096xf16> -> !block.tile<64x64xf16, pre>
    %bt = block.loader %bd imap [1, -1, -1] fmap 0
        : tensor<16x8192xf16> -> !block.tile<4x128xf16, pre>
    // expected-error @+1 {{'block.concat_matmul' op partial products differ in shape: lhs1 x rhs1 is 16x64, lhs2 x rhs2 is 16x128}}
    %mm = block.concat_matmul %xt, %xat, %wt, %bt
        : !block.tile<16x64xf16, pre>, !block.tile<16x4xf16, pre>,
          !block.tile<64x64xf16, pre>, !block.tile<4x128xf16, pre>
    %acc = block.accum none %mm
        : !block.tile<16x64xf16, pre> -> !block.tile<16x64xf16, post>
    %out = block.saver %acc omap [1, -1, -1]
        : !block.tile<16x64xf16, post> -> tensor<16x4096xf16>
    block.yield %out : tensor<16x4096xf16>
  }
  return %y : tensor<16x4096xf16>
}

// -----

func.func @concat_matmul_contraction_mismatch(
    %x: tensor<16x64xf16>, %xa: tensor<16x4xf16>, %w: tensor<64x64xf16>,
    %b: tensor<8x64xf16>) -> tensor<16x64xf16> {
  %y = kernel.graph_defined (%x, %xa, %w, %b) grid [1, 1, 1]
      block [128, 1, 1] forloop 1
      : (tensor<16x64xf16>, tensor<16x4xf16>, tensor<64x64xf16>,
         tensor<8x64xf16>) -> tensor<16x64xf16> {
  ^bb0(%xd: tensor<16x64xf16>, %xad: tensor<16x4xf16>,
       %wd: tensor<64x64xf16>, %bd: tensor<8x64xf16>):
    %xt = block.loader %xd imap [-1, -1, -1] fmap -1
        : tensor<16x64xf16> -> !block.tile<16x64xf16, pre>
    %xat = block.loader %xad imap [-1, -1, -1] fmap -1
        : tensor<16x4xf16> -> !block.tile<16x4xf16, pre>
    %wt = block.loader %wd imap [-1, -1, -1] fmap -1
        : tensor<64x64xf16> -> !block.tile<64x64xf16, pre>
    %bt = block.loader %bd imap [-1, -1, -1] fmap -1
        : tensor<8x64xf16> -> !block.tile<8x64xf16, pre>
    // expected-error @+1 {{'block.concat_matmul' op lhs2 x rhs2: matmul contraction dims differ: lhs 16x4 has k = 4, rhs 8x64 has k = 8}}
    %mm = block.concat_matmul %xt, %xat, %wt, %bt
        : !block.tile<16x64xf16, pre>, !block.tile<16x4xf16, pre>,
          !block.tile<64x64xf16, pre>, !block.tile<8x64xf16, pre>
    %acc = block.accum none %mm
        : !block.tile<16x64xf16, pre> -> !block.tile<16x64xf16, post>
    %out = block.saver %acc omap [-1, -1, -1]
        : !block.tile<16x64xf16, post> -> tensor<16x64xf16>
    block.yield %out : tensor<16x64xf16>
  }
  return %y : tensor<16x64xf16>
}

// -----

//===----------------------------------------------------------------------===//
// Reductions, concat, running max
//===----------------------------------------------------------------------===//

func.func @reduction_dim_out_of_range(%x: tensor<8x256xf16>)
    -> tensor<8x1xf16> {
  %y = kernel.graph_defined (%x) grid [2, 1, 1] block [128, 1, 1] forloop 2
      : (tensor<8x256xf16>) -> tensor<8x1xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    %xt = block.loader %xd imap [0, -1, -1] fmap 1
        : tensor<8x256xf16> -> !block.tile<4x128xf16, pre>
    // expected-error @+1 {{'block.reduction' op reduction dimension 2 is out of range for rank 2}}
    %r = block.reduction %xt dim 2 : !block.tile<4x128xf16, pre>
    %acc = block.accum sum %xt
        : !block.tile<4x128xf16, pre> -> !block.tile<4x1xf16, post>
    %s = block.saver %acc omap [0, -1, -1]
        : !block.tile<4x1xf16, post> -> tensor<8x1xf16>
    block.yield %s : tensor<8x1xf16>
  }
  return %y : tensor<8x1xf16>
}

// -----

func.func @reduction_to_dimx_not_divisible(%x: tensor<8x256xf16>)
    -> tensor<8x48xf16> {
  %y = kernel.graph_defined (%x) grid [2, 1, 1] block [128, 1, 1] forloop 2
      dimx 48 : (tensor<8x256xf16>) -> tensor<8x48xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    %xt = block.loader %xd imap [0, -1, -1] fmap 1
        : tensor<8x256xf16> -> !block.tile<4x128xf16, pre>
    // expected-error @+1 {{'block.reduction_to_dimx' op reduction size 48 does not divide dimension 1 of extent 128 (dimx of the enclosing kernel)}}
    %r = block.reduction_to_dimx %xt dim 1
        : !block.tile<4x128xf16, pre> -> !block.tile<4x48xf16, pre>
    %acc = block.accum none %r
        : !block.tile<4x48xf16, pre> -> !block.tile<4x48xf16, post>
    %s = block.saver %acc omap [0, -1, -1]
        : !block.tile<4x48xf16, post> -> tensor<8x48xf16>
    block.yield %s : tensor<8x48xf16>
  }
  return %y : tensor<8x48xf16>
}

// -----

// The result has the default dimx, 64, but the kernel says 32.
func.func @reduction_to_dimx_wrong_result_type(%x: tensor<8x256xf16>)
    -> tensor<8x64xf16> {
  %y = kernel.graph_defined (%x) grid [2, 1, 1] block [128, 1, 1] forloop 2
      dimx 32 : (tensor<8x256xf16>) -> tensor<8x64xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    %xt = block.loader %xd imap [0, -1, -1] fmap 1
        : tensor<8x256xf16> -> !block.tile<4x128xf16, pre>
    // expected-error @+1 {{'block.reduction_to_dimx' op result type '!block.tile<4x64xf16, pre>' should be '!block.tile<4x32xf16, pre>'}}
    %r = block.reduction_to_dimx %xt dim 1
        : !block.tile<4x128xf16, pre> -> !block.tile<4x64xf16, pre>
    %acc = block.accum none %r
        : !block.tile<4x64xf16, pre> -> !block.tile<4x64xf16, post>
    %s = block.saver %acc omap [0, -1, -1]
        : !block.tile<4x64xf16, post> -> tensor<8x64xf16>
    block.yield %s : tensor<8x64xf16>
  }
  return %y : tensor<8x64xf16>
}

// -----

// The state is kept: a 'pre' input gives a 'pre' result.
func.func @reduction_to_dimx_wrong_result_state(%x: tensor<8x256xf16>)
    -> tensor<8x64xf16> {
  %y = kernel.graph_defined (%x) grid [2, 1, 1] block [128, 1, 1] forloop 2
      : (tensor<8x256xf16>) -> tensor<8x64xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    %xt = block.loader %xd imap [0, -1, -1] fmap 1
        : tensor<8x256xf16> -> !block.tile<4x128xf16, pre>
    // expected-error @+1 {{'block.reduction_to_dimx' op result type '!block.tile<4x64xf16, post>' should be '!block.tile<4x64xf16, pre>'}}
    %r = block.reduction_to_dimx %xt dim 1
        : !block.tile<4x128xf16, pre> -> !block.tile<4x64xf16, post>
    %s = block.saver %r omap [0, -1, -1]
        : !block.tile<4x64xf16, post> -> tensor<8x64xf16>
    block.yield %s : tensor<8x64xf16>
  }
  return %y : tensor<8x64xf16>
}

// -----

func.func @concat_extent_mismatch(%x: tensor<8x256xf16>) -> tensor<8x256xf16> {
  %y = kernel.graph_defined (%x) grid [2, 1, 1] block [128, 1, 1] forloop 2
      : (tensor<8x256xf16>) -> tensor<8x256xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    %xt = block.loader %xd imap [0, -1, -1] fmap 1
        : tensor<8x256xf16> -> !block.tile<4x128xf16, pre>
    %r = block.reduction %xt dim 0 : !block.tile<4x128xf16, pre>
    // expected-error @+1 {{'block.concat' op concat operand 1 has extent 1 at dimension 0, expected 4}}
    %c = block.concat %xt, %r dim 1
        : !block.tile<4x128xf16, pre>, !block.tile<1x128xf16, pre>
    %acc = block.accum none %c
        : !block.tile<4x256xf16, pre> -> !block.tile<4x256xf16, post>
    %s = block.saver %acc omap [0, -1, -1]
        : !block.tile<4x256xf16, post> -> tensor<8x256xf16>
    block.yield %s : tensor<8x256xf16>
  }
  return %y : tensor<8x256xf16>
}

// -----

// A running maximum runs across iterations: it cannot follow an accumulator.
func.func @running_max_post_input(%x: tensor<8x256xf16>) -> tensor<8x1xf16> {
  %y = kernel.graph_defined (%x) grid [2, 1, 1] block [128, 1, 1] forloop 2
      : (tensor<8x256xf16>) -> tensor<8x1xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    %xt = block.loader %xd imap [0, -1, -1] fmap 1
        : tensor<8x256xf16> -> !block.tile<4x128xf16, pre>
    %acc = block.accum none %xt
        : !block.tile<4x128xf16, pre> -> !block.tile<4x128xf16, post>
    // expected-error @+1 {{'block.running_max' op input must be 'pre' accumulation: a running maximum runs across for-loop iterations}}
    %m, %d = block.running_max %acc dim 1 : !block.tile<4x128xf16, post>
    %s = block.saver %m omap [0, -1, -1]
        : !block.tile<4x1xf16, post> -> tensor<8x1xf16>
    block.yield %s : tensor<8x1xf16>
  }
  return %y : tensor<8x1xf16>
}

// -----

func.func @rms_norm_negative_eps(%x: tensor<8x256xf16>) -> tensor<8x128xf16> {
  %y = kernel.graph_defined (%x) grid [2, 1, 1] block [128, 1, 1] forloop 2
      : (tensor<8x256xf16>) -> tensor<8x128xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    %xt = block.loader %xd imap [0, -1, -1] fmap 1
        : tensor<8x256xf16> -> !block.tile<4x128xf16, pre>
    // expected-error @+1 {{'block.rms_norm' op eps must be a finite, non-negative number}}
    %n = block.rms_norm %xt eps -1.0e-05 : !block.tile<4x128xf16, pre>
    %acc = block.accum none %n
        : !block.tile<4x128xf16, pre> -> !block.tile<4x128xf16, post>
    %s = block.saver %acc omap [0, -1, -1]
        : !block.tile<4x128xf16, post> -> tensor<8x128xf16>
    block.yield %s : tensor<8x128xf16>
  }
  return %y : tensor<8x128xf16>
}

// -----

// eps = +infinity.
func.func @rms_norm_infinite_eps(%x: tensor<8x256xf16>) -> tensor<8x128xf16> {
  %y = kernel.graph_defined (%x) grid [2, 1, 1] block [128, 1, 1] forloop 2
      : (tensor<8x256xf16>) -> tensor<8x128xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    %xt = block.loader %xd imap [0, -1, -1] fmap 1
        : tensor<8x256xf16> -> !block.tile<4x128xf16, pre>
    // expected-error @+1 {{'block.rms_norm' op eps must be a finite, non-negative number}}
    %n = block.rms_norm %xt eps 0x7FF0000000000000 : !block.tile<4x128xf16, pre>
    %acc = block.accum none %n
        : !block.tile<4x128xf16, pre> -> !block.tile<4x128xf16, post>
    %s = block.saver %acc omap [0, -1, -1]
        : !block.tile<4x128xf16, post> -> tensor<8x128xf16>
    block.yield %s : tensor<8x128xf16>
  }
  return %y : tensor<8x128xf16>
}

// -----

//===----------------------------------------------------------------------===//
// block.accum
//===----------------------------------------------------------------------===//

func.func @accum_post_input(%x: tensor<8x256xf16>) -> tensor<8x128xf16> {
  %y = kernel.graph_defined (%x) grid [2, 1, 1] block [128, 1, 1] forloop 2
      : (tensor<8x256xf16>) -> tensor<8x128xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    %xt = block.loader %xd imap [0, -1, -1] fmap 1
        : tensor<8x256xf16> -> !block.tile<4x128xf16, pre>
    %acc = block.accum none %xt
        : !block.tile<4x128xf16, pre> -> !block.tile<4x128xf16, post>
    // expected-error @+1 {{'block.accum' op accumulates only 'pre' accumulation tiles, got a 'post' tile}}
    %acc2 = block.accum none %acc
        : !block.tile<4x128xf16, post> -> !block.tile<4x128xf16, post>
    %s = block.saver %acc2 omap [0, -1, -1]
        : !block.tile<4x128xf16, post> -> tensor<8x128xf16>
    block.yield %s : tensor<8x128xf16>
  }
  return %y : tensor<8x128xf16>
}

// -----

func.func @accum_rescale_without_scale(%x: tensor<8x256xf16>)
    -> tensor<8x128xf16> {
  %y = kernel.graph_defined (%x) grid [2, 1, 1] block [128, 1, 1] forloop 2
      : (tensor<8x256xf16>) -> tensor<8x128xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    %xt = block.loader %xd imap [0, -1, -1] fmap 1
        : tensor<8x256xf16> -> !block.tile<4x128xf16, pre>
    // expected-error @+1 {{'block.accum' op kind 'rescale' needs a scale operand}}
    %acc = block.accum rescale %xt
        : !block.tile<4x128xf16, pre> -> !block.tile<4x128xf16, post>
    %s = block.saver %acc omap [0, -1, -1]
        : !block.tile<4x128xf16, post> -> tensor<8x128xf16>
    block.yield %s : tensor<8x128xf16>
  }
  return %y : tensor<8x128xf16>
}

// -----

func.func @accum_scale_on_other_kind(%x: tensor<8x256xf16>)
    -> tensor<8x128xf16> {
  %y = kernel.graph_defined (%x) grid [2, 1, 1] block [128, 1, 1] forloop 2
      : (tensor<8x256xf16>) -> tensor<8x128xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    %xt = block.loader %xd imap [0, -1, -1] fmap 1
        : tensor<8x256xf16> -> !block.tile<4x128xf16, pre>
    %m, %d = block.running_max %xt dim 1 : !block.tile<4x128xf16, pre>
    // expected-error @+1 {{'block.accum' op only kind 'rescale' takes a scale operand}}
    %acc = block.accum none %xt, %d
        : !block.tile<4x128xf16, pre>, !block.tile<4x1xf16, pre>
        -> !block.tile<4x128xf16, post>
    %s = block.saver %acc omap [0, -1, -1]
        : !block.tile<4x128xf16, post> -> tensor<8x128xf16>
    block.yield %s : tensor<8x128xf16>
  }
  return %y : tensor<8x128xf16>
}

// -----

func.func @accum_scale_does_not_broadcast(%x: tensor<8x256xf16>)
    -> tensor<8x128xf16> {
  %y = kernel.graph_defined (%x) grid [2, 1, 1] block [128, 1, 1] forloop 2
      : (tensor<8x256xf16>) -> tensor<8x128xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    %xt = block.loader %xd imap [0, -1, -1] fmap 1
        : tensor<8x256xf16> -> !block.tile<4x128xf16, pre>
    %m, %d = block.running_max %xt dim 0 : !block.tile<4x128xf16, pre>
    %r = block.reduction_to_dimx %d dim 1
        : !block.tile<1x128xf16, pre> -> !block.tile<1x64xf16, pre>
    // expected-error @+1 {{'block.accum' op scale does not broadcast to the input: operand dims 128 and 64 at dimension 1 are neither equal nor 1}}
    %acc = block.accum rescale %xt, %r
        : !block.tile<4x128xf16, pre>, !block.tile<1x64xf16, pre>
        -> !block.tile<4x128xf16, post>
    %s = block.saver %acc omap [0, -1, -1]
        : !block.tile<4x128xf16, post> -> tensor<8x128xf16>
    block.yield %s : tensor<8x128xf16>
  }
  return %y : tensor<8x128xf16>
}

// -----

// The scale must broadcast to the input, not the input to the scale.
func.func @accum_scale_larger_than_input(%x: tensor<8x256xf16>)
    -> tensor<8x1xf16> {
  %y = kernel.graph_defined (%x) grid [2, 1, 1] block [128, 1, 1] forloop 2
      : (tensor<8x256xf16>) -> tensor<8x1xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    %xt = block.loader %xd imap [0, -1, -1] fmap 1
        : tensor<8x256xf16> -> !block.tile<4x128xf16, pre>
    %m, %d = block.running_max %xt dim 1 : !block.tile<4x128xf16, pre>
    // expected-error @+1 {{'block.accum' op scale 4x128 would broadcast the input 4x1 to 4x128}}
    %acc = block.accum rescale %m, %xt
        : !block.tile<4x1xf16, pre>, !block.tile<4x128xf16, pre>
        -> !block.tile<4x1xf16, post>
    %s = block.saver %acc omap [0, -1, -1]
        : !block.tile<4x1xf16, post> -> tensor<8x1xf16>
    block.yield %s : tensor<8x1xf16>
  }
  return %y : tensor<8x1xf16>
}

// -----

func.func @accum_scale_post(%x: tensor<8x256xf16>) -> tensor<8x128xf16> {
  %y = kernel.graph_defined (%x) grid [2, 1, 1] block [128, 1, 1] forloop 2
      : (tensor<8x256xf16>) -> tensor<8x128xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    %xt = block.loader %xd imap [0, -1, -1] fmap 1
        : tensor<8x256xf16> -> !block.tile<4x128xf16, pre>
    %m = block.accum max %xt
        : !block.tile<4x128xf16, pre> -> !block.tile<4x128xf16, post>
    // expected-error @+1 {{'block.accum' op scale must be 'pre' accumulation}}
    %acc = block.accum rescale %xt, %m
        : !block.tile<4x128xf16, pre>, !block.tile<4x128xf16, post>
        -> !block.tile<4x128xf16, post>
    %s = block.saver %acc omap [0, -1, -1]
        : !block.tile<4x128xf16, post> -> tensor<8x128xf16>
    block.yield %s : tensor<8x128xf16>
  }
  return %y : tensor<8x128xf16>
}

// -----

func.func @accum_scale_element_type(%x: tensor<8x256xf16>,
                                    %f: tensor<8x1xf32>)
    -> tensor<8x128xf16> {
  %y = kernel.graph_defined (%x, %f) grid [2, 1, 1] block [128, 1, 1]
      forloop 2 : (tensor<8x256xf16>, tensor<8x1xf32>) -> tensor<8x128xf16> {
  ^bb0(%xd: tensor<8x256xf16>, %fd: tensor<8x1xf32>):
    %xt = block.loader %xd imap [0, -1, -1] fmap 1
        : tensor<8x256xf16> -> !block.tile<4x128xf16, pre>
    %ft = block.loader %fd imap [0, -1, -1] fmap -1
        : tensor<8x1xf32> -> !block.tile<4x1xf32, pre>
    // expected-error @+1 {{'block.accum' op scale element type 'f32' differs from the input's 'f16'}}
    %acc = block.accum rescale %xt, %ft
        : !block.tile<4x128xf16, pre>, !block.tile<4x1xf32, pre>
        -> !block.tile<4x128xf16, post>
    %s = block.saver %acc omap [0, -1, -1]
        : !block.tile<4x128xf16, post> -> tensor<8x128xf16>
    block.yield %s : tensor<8x128xf16>
  }
  return %y : tensor<8x128xf16>
}

// -----

// sum reduces the last dim to 1.
func.func @accum_wrong_result_shape(%x: tensor<8x256xf16>)
    -> tensor<8x128xf16> {
  %y = kernel.graph_defined (%x) grid [2, 1, 1] block [128, 1, 1] forloop 2
      : (tensor<8x256xf16>) -> tensor<8x128xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    %xt = block.loader %xd imap [0, -1, -1] fmap 1
        : tensor<8x256xf16> -> !block.tile<4x128xf16, pre>
    // expected-error @+1 {{'block.accum' op result type '!block.tile<4x128xf16, post>' should be '!block.tile<4x1xf16, post>'}}
    %acc = block.accum sum %xt
        : !block.tile<4x128xf16, pre> -> !block.tile<4x128xf16, post>
    %s = block.saver %acc omap [0, -1, -1]
        : !block.tile<4x128xf16, post> -> tensor<8x128xf16>
    block.yield %s : tensor<8x128xf16>
  }
  return %y : tensor<8x128xf16>
}

// -----

func.func @accum_wrong_result_state(%x: tensor<8x256xf16>)
    -> tensor<8x128xf16> {
  %y = kernel.graph_defined (%x) grid [2, 1, 1] block [128, 1, 1] forloop 2
      : (tensor<8x256xf16>) -> tensor<8x128xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    %xt = block.loader %xd imap [0, -1, -1] fmap 1
        : tensor<8x256xf16> -> !block.tile<4x128xf16, pre>
    // expected-error @+1 {{'block.accum' op result type '!block.tile<4x128xf16, pre>' should be '!block.tile<4x128xf16, post>'}}
    %acc = block.accum none %xt
        : !block.tile<4x128xf16, pre> -> !block.tile<4x128xf16, pre>
    %acc2 = block.accum none %acc
        : !block.tile<4x128xf16, pre> -> !block.tile<4x128xf16, post>
    %s = block.saver %acc2 omap [0, -1, -1]
        : !block.tile<4x128xf16, post> -> tensor<8x128xf16>
    block.yield %s : tensor<8x128xf16>
  }
  return %y : tensor<8x128xf16>
}

// -----

func.func @accum_sum_to_dimx_not_divisible(%x: tensor<8x256xf16>)
    -> tensor<8x48xf16> {
  %y = kernel.graph_defined (%x) grid [2, 1, 1] block [128, 1, 1] forloop 2
      dimx 48 : (tensor<8x256xf16>) -> tensor<8x48xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    %xt = block.loader %xd imap [0, -1, -1] fmap 1
        : tensor<8x256xf16> -> !block.tile<4x128xf16, pre>
    // expected-error @+1 {{'block.accum' op reduction dimx 48 does not divide the last dimension of extent 128}}
    %acc = block.accum sum_to_dimx %xt
        : !block.tile<4x128xf16, pre> -> !block.tile<4x48xf16, post>
    %s = block.saver %acc omap [0, -1, -1]
        : !block.tile<4x48xf16, post> -> tensor<8x48xf16>
    block.yield %s : tensor<8x48xf16>
  }
  return %y : tensor<8x48xf16>
}

// -----

//===----------------------------------------------------------------------===//
// Unary ops, yield, placement, attributes
//===----------------------------------------------------------------------===//

func.func @clamp_min_greater_than_max(%x: tensor<8x256xf16>)
    -> tensor<8x128xf16> {
  %y = kernel.graph_defined (%x) grid [2, 1, 1] block [128, 1, 1] forloop 2
      : (tensor<8x256xf16>) -> tensor<8x128xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    %xt = block.loader %xd imap [0, -1, -1] fmap 1
        : tensor<8x256xf16> -> !block.tile<4x128xf16, pre>
    // expected-error @+1 {{'block.clamp' op min 6.000000e+00 is greater than max 0.000000e+00}}
    %c = block.clamp %xt min 6.0 max 0.0 : !block.tile<4x128xf16, pre>
    %acc = block.accum none %c
        : !block.tile<4x128xf16, pre> -> !block.tile<4x128xf16, post>
    %s = block.saver %acc omap [0, -1, -1]
        : !block.tile<4x128xf16, post> -> tensor<8x128xf16>
    block.yield %s : tensor<8x128xf16>
  }
  return %y : tensor<8x128xf16>
}

// -----

// Passing a kernel input through unchanged is not a block graph.
func.func @yield_not_from_saver(%x: tensor<8x256xf16>) -> tensor<8x256xf16> {
  %y = kernel.graph_defined (%x) grid [2, 1, 1] block [128, 1, 1] forloop 2
      : (tensor<8x256xf16>) -> tensor<8x256xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    // expected-error @+1 {{'block.yield' op operand #0 must be the result of a block.saver}}
    block.yield %xd : tensor<8x256xf16>
  }
  return %y : tensor<8x256xf16>
}

// -----

func.func @block_op_outside_kernel(%t: !block.tile<4x128xf16, pre>)
    -> !block.tile<4x128xf16, pre> {
  // expected-error @+1 {{'block.exp' op expects parent op 'kernel.graph_defined'}}
  %e = block.exp %t : !block.tile<4x128xf16, pre>
  return %e : !block.tile<4x128xf16, pre>
}

// -----

func.func @unknown_attribute(%x: tensor<8x256xf16>) -> tensor<8x128xf16> {
  %y = kernel.graph_defined (%x) grid [2, 1, 1] block [128, 1, 1] forloop 2
      : (tensor<8x256xf16>) -> tensor<8x128xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    %xt = block.loader %xd imap [0, -1, -1] fmap 1
        : tensor<8x256xf16> -> !block.tile<4x128xf16, pre>
    // expected-error @+1 {{'block.exp' op has unknown attribute 'foo'}}
    %e = block.exp %xt {foo = 1} : !block.tile<4x128xf16, pre>
    %acc = block.accum none %e
        : !block.tile<4x128xf16, pre> -> !block.tile<4x128xf16, post>
    %s = block.saver %acc omap [0, -1, -1]
        : !block.tile<4x128xf16, post> -> tensor<8x128xf16>
    block.yield %s : tensor<8x128xf16>
  }
  return %y : tensor<8x128xf16>
}
