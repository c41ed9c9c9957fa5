// One case per rule of kernel.graph_defined itself (its launch shape, its
// inputs and results, and what its block graph may hold), each with the exact
// message a user sees. The rules of the block graph's ops are tested in
// test/Dialect/Block/invalid.mlir.
//
// The launch shape is checked before the ops of the body, which depend on
// it: the cases under "Launch shape seen by the body" crashed the tool
// (division by zero, a read past a 2-entry grid) while the check ran after
// the body.
//
// RUN: mirage-opt %s -split-input-file -verify-diagnostics

//===----------------------------------------------------------------------===//
// Launch shape
//===----------------------------------------------------------------------===//

func.func @grid_two_entries(%x: tensor<8x256xf16>) -> tensor<8x256xf16> {
  // expected-error @+1 {{'kernel.graph_defined' op grid must have 3 entries (x, y, z), got 2}}
  %y = kernel.graph_defined (%x) grid [1, 1] block [128, 1, 1] forloop 1
      : (tensor<8x256xf16>) -> tensor<8x256xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    %xt = block.loader %xd imap [-1, -1, -1] fmap -1
        : tensor<8x256xf16> -> !block.tile<8x256xf16, pre>
    %acc = block.accum none %xt
        : !block.tile<8x256xf16, pre> -> !block.tile<8x256xf16, post>
    %s = block.saver %acc omap [-1, -1, -1]
        : !block.tile<8x256xf16, post> -> tensor<8x256xf16>
    block.yield %s : tensor<8x256xf16>
  }
  return %y : tensor<8x256xf16>
}

// -----

func.func @grid_zero(%x: tensor<8x256xf16>) -> tensor<8x256xf16> {
  // expected-error @+1 {{'kernel.graph_defined' op grid x must be >= 1, got 0}}
  %y = kernel.graph_defined (%x) grid [0, 1, 1] block [128, 1, 1] forloop 1
      : (tensor<8x256xf16>) -> tensor<8x256xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    %xt = block.loader %xd imap [-1, -1, -1] fmap -1
        : tensor<8x256xf16> -> !block.tile<8x256xf16, pre>
    %acc = block.accum none %xt
        : !block.tile<8x256xf16, pre> -> !block.tile<8x256xf16, post>
    %s = block.saver %acc omap [-1, -1, -1]
        : !block.tile<8x256xf16, post> -> tensor<8x256xf16>
    block.yield %s : tensor<8x256xf16>
  }
  return %y : tensor<8x256xf16>
}

// -----

func.func @grid_negative(%x: tensor<8x256xf16>) -> tensor<8x256xf16> {
  // expected-error @+1 {{'kernel.graph_defined' op grid z must be >= 1, got -2}}
  %y = kernel.graph_defined (%x) grid [1, 1, -2] block [128, 1, 1] forloop 1
      : (tensor<8x256xf16>) -> tensor<8x256xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    %xt = block.loader %xd imap [-1, -1, -1] fmap -1
        : tensor<8x256xf16> -> !block.tile<8x256xf16, pre>
    %acc = block.accum none %xt
        : !block.tile<8x256xf16, pre> -> !block.tile<8x256xf16, post>
    %s = block.saver %acc omap [-1, -1, -1]
        : !block.tile<8x256xf16, post> -> tensor<8x256xf16>
    block.yield %s : tensor<8x256xf16>
  }
  return %y : tensor<8x256xf16>
}

// -----

// 64 x 64 x 2 = 8192 blocks; every axis is mapped so that the graph is valid.
func.func @too_many_blocks(%x: tensor<64x64x2xf16>) -> tensor<64x64x2xf16> {
  // expected-error @+1 {{'kernel.graph_defined' op grid 64x64x2 has 8192 blocks, more than the limit of 4096}}
  %y = kernel.graph_defined (%x) grid [64, 64, 2] block [128, 1, 1] forloop 1
      : (tensor<64x64x2xf16>) -> tensor<64x64x2xf16> {
  ^bb0(%xd: tensor<64x64x2xf16>):
    %xt = block.loader %xd imap [0, 1, 2] fmap -1
        : tensor<64x64x2xf16> -> !block.tile<1x1x1xf16, pre>
    %acc = block.accum none %xt
        : !block.tile<1x1x1xf16, pre> -> !block.tile<1x1x1xf16, post>
    %s = block.saver %acc omap [0, 1, 2]
        : !block.tile<1x1x1xf16, post> -> tensor<64x64x2xf16>
    block.yield %s : tensor<64x64x2xf16>
  }
  return %y : tensor<64x64x2xf16>
}

// -----

func.func @block_two_entries(%x: tensor<8x256xf16>) -> tensor<8x256xf16> {
  // expected-error @+1 {{'kernel.graph_defined' op block must have 3 entries (x, y, z), got 2}}
  %y = kernel.graph_defined (%x) grid [1, 1, 1] block [128, 1] forloop 1
      : (tensor<8x256xf16>) -> tensor<8x256xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    %xt = block.loader %xd imap [-1, -1, -1] fmap -1
        : tensor<8x256xf16> -> !block.tile<8x256xf16, pre>
    %acc = block.accum none %xt
        : !block.tile<8x256xf16, pre> -> !block.tile<8x256xf16, post>
    %s = block.saver %acc omap [-1, -1, -1]
        : !block.tile<8x256xf16, post> -> tensor<8x256xf16>
    block.yield %s : tensor<8x256xf16>
  }
  return %y : tensor<8x256xf16>
}

// -----

func.func @block_zero(%x: tensor<8x256xf16>) -> tensor<8x256xf16> {
  // expected-error @+1 {{'kernel.graph_defined' op block y must be >= 1, got 0}}
  %y = kernel.graph_defined (%x) grid [1, 1, 1] block [128, 0, 1] forloop 1
      : (tensor<8x256xf16>) -> tensor<8x256xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    %xt = block.loader %xd imap [-1, -1, -1] fmap -1
        : tensor<8x256xf16> -> !block.tile<8x256xf16, pre>
    %acc = block.accum none %xt
        : !block.tile<8x256xf16, pre> -> !block.tile<8x256xf16, post>
    %s = block.saver %acc omap [-1, -1, -1]
        : !block.tile<8x256xf16, post> -> tensor<8x256xf16>
    block.yield %s : tensor<8x256xf16>
  }
  return %y : tensor<8x256xf16>
}

// -----

func.func @too_many_threads(%x: tensor<8x256xf16>) -> tensor<8x256xf16> {
  // expected-error @+1 {{'kernel.graph_defined' op block 512x2x2 has 2048 threads, more than 1024}}
  %y = kernel.graph_defined (%x) grid [1, 1, 1] block [512, 2, 2] forloop 1
      : (tensor<8x256xf16>) -> tensor<8x256xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    %xt = block.loader %xd imap [-1, -1, -1] fmap -1
        : tensor<8x256xf16> -> !block.tile<8x256xf16, pre>
    %acc = block.accum none %xt
        : !block.tile<8x256xf16, pre> -> !block.tile<8x256xf16, post>
    %s = block.saver %acc omap [-1, -1, -1]
        : !block.tile<8x256xf16, post> -> tensor<8x256xf16>
    block.yield %s : tensor<8x256xf16>
  }
  return %y : tensor<8x256xf16>
}

// -----

func.func @forloop_zero(%x: tensor<8x256xf16>) -> tensor<8x256xf16> {
  // expected-error @+1 {{'kernel.graph_defined' op for-loop range must be >= 1, got 0}}
  %y = kernel.graph_defined (%x) grid [1, 1, 1] block [128, 1, 1] forloop 0
      : (tensor<8x256xf16>) -> tensor<8x256xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    %xt = block.loader %xd imap [-1, -1, -1] fmap -1
        : tensor<8x256xf16> -> !block.tile<8x256xf16, pre>
    %acc = block.accum none %xt
        : !block.tile<8x256xf16, pre> -> !block.tile<8x256xf16, post>
    %s = block.saver %acc omap [-1, -1, -1]
        : !block.tile<8x256xf16, post> -> tensor<8x256xf16>
    block.yield %s : tensor<8x256xf16>
  }
  return %y : tensor<8x256xf16>
}

// -----

func.func @dimx_zero(%x: tensor<8x256xf16>) -> tensor<8x256xf16> {
  // expected-error @+1 {{'kernel.graph_defined' op reduction dimx must be >= 1, got 0}}
  %y = kernel.graph_defined (%x) grid [1, 1, 1] block [128, 1, 1] forloop 1
      dimx 0 : (tensor<8x256xf16>) -> tensor<8x256xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    %xt = block.loader %xd imap [-1, -1, -1] fmap -1
        : tensor<8x256xf16> -> !block.tile<8x256xf16, pre>
    %acc = block.accum none %xt
        : !block.tile<8x256xf16, pre> -> !block.tile<8x256xf16, post>
    %s = block.saver %acc omap [-1, -1, -1]
        : !block.tile<8x256xf16, post> -> tensor<8x256xf16>
    block.yield %s : tensor<8x256xf16>
  }
  return %y : tensor<8x256xf16>
}

// -----

//===----------------------------------------------------------------------===//
// Inputs, results, body arguments
//===----------------------------------------------------------------------===//

func.func @no_results(%x: tensor<8x256xf16>) {
  // expected-error @+1 {{'kernel.graph_defined' op needs at least one result tensor}}
  kernel.graph_defined (%x) grid [1, 1, 1] block [128, 1, 1] forloop 1
      : (tensor<8x256xf16>) -> () {
  ^bb0(%xd: tensor<8x256xf16>):
    %xt = block.loader %xd imap [-1, -1, -1] fmap -1
        : tensor<8x256xf16> -> !block.tile<8x256xf16, pre>
    block.yield
  }
  return
}

// -----

func.func @body_argument_count(%x: tensor<8x256xf16>, %w: tensor<8x256xf16>)
    -> tensor<8x256xf16> {
  // expected-error @+1 {{'kernel.graph_defined' op body has 1 arguments but the kernel has 2 inputs}}
  %y = kernel.graph_defined (%x, %w) grid [1, 1, 1] block [128, 1, 1]
      forloop 1 : (tensor<8x256xf16>, tensor<8x256xf16>) -> tensor<8x256xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    %xt = block.loader %xd imap [-1, -1, -1] fmap -1
        : tensor<8x256xf16> -> !block.tile<8x256xf16, pre>
    %acc = block.accum none %xt
        : !block.tile<8x256xf16, pre> -> !block.tile<8x256xf16, post>
    %s = block.saver %acc omap [-1, -1, -1]
        : !block.tile<8x256xf16, post> -> tensor<8x256xf16>
    block.yield %s : tensor<8x256xf16>
  }
  return %y : tensor<8x256xf16>
}

// -----

func.func @body_argument_type(%x: tensor<8x256xf16>) -> tensor<8x256xbf16> {
  // expected-error @+1 {{'kernel.graph_defined' op body argument #0 has type 'tensor<8x256xbf16>' but input #0 has type 'tensor<8x256xf16>'}}
  %y = kernel.graph_defined (%x) grid [1, 1, 1] block [128, 1, 1] forloop 1
      : (tensor<8x256xf16>) -> tensor<8x256xbf16> {
  ^bb0(%xd: tensor<8x256xbf16>):
    %xt = block.loader %xd imap [-1, -1, -1] fmap -1
        : tensor<8x256xbf16> -> !block.tile<8x256xbf16, pre>
    %acc = block.accum none %xt
        : !block.tile<8x256xbf16, pre> -> !block.tile<8x256xbf16, post>
    %s = block.saver %acc omap [-1, -1, -1]
        : !block.tile<8x256xbf16, post> -> tensor<8x256xbf16>
    block.yield %s : tensor<8x256xbf16>
  }
  return %y : tensor<8x256xbf16>
}

// -----

//===----------------------------------------------------------------------===//
// What the block graph may hold
//===----------------------------------------------------------------------===//

func.func @arith_op_in_body(%x: tensor<8x256xf16>) -> tensor<8x256xf16> {
  %y = kernel.graph_defined (%x) grid [1, 1, 1] block [128, 1, 1] forloop 1
      : (tensor<8x256xf16>) -> tensor<8x256xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    // expected-error @+1 {{'arith.constant' op is not allowed in the block graph of a kernel.graph_defined; only block ops are}}
    %c = arith.constant 2.0 : f16
    %xt = block.loader %xd imap [-1, -1, -1] fmap -1
        : tensor<8x256xf16> -> !block.tile<8x256xf16, pre>
    %acc = block.accum none %xt
        : !block.tile<8x256xf16, pre> -> !block.tile<8x256xf16, post>
    %s = block.saver %acc omap [-1, -1, -1]
        : !block.tile<8x256xf16, post> -> tensor<8x256xf16>
    block.yield %s : tensor<8x256xf16>
  }
  return %y : tensor<8x256xf16>
}

// -----

func.func private @helper(tensor<8x256xf16>) -> tensor<8x256xf16>

func.func @call_in_body(%x: tensor<8x256xf16>) -> tensor<8x256xf16> {
  %y = kernel.graph_defined (%x) grid [1, 1, 1] block [128, 1, 1] forloop 1
      : (tensor<8x256xf16>) -> tensor<8x256xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    // expected-error @+1 {{'func.call' op is not allowed in the block graph of a kernel.graph_defined; only block ops are}}
    %h = func.call @helper(%xd) : (tensor<8x256xf16>) -> tensor<8x256xf16>
    %xt = block.loader %xd imap [-1, -1, -1] fmap -1
        : tensor<8x256xf16> -> !block.tile<8x256xf16, pre>
    %acc = block.accum none %xt
        : !block.tile<8x256xf16, pre> -> !block.tile<8x256xf16, post>
    %s = block.saver %acc omap [-1, -1, -1]
        : !block.tile<8x256xf16, post> -> tensor<8x256xf16>
    block.yield %s : tensor<8x256xf16>
  }
  return %y : tensor<8x256xf16>
}

// -----

// A kernel-level op inside a block graph.
func.func @kernel_op_in_body(%x: tensor<8x256xf16>) -> tensor<8x256xf16> {
  %y = kernel.graph_defined (%x) grid [1, 1, 1] block [128, 1, 1] forloop 1
      : (tensor<8x256xf16>) -> tensor<8x256xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    // expected-error @+1 {{'kernel.exp' op is not allowed in the block graph of a kernel.graph_defined; only block ops are}}
    %e = kernel.exp %xd : tensor<8x256xf16>
    %xt = block.loader %xd imap [-1, -1, -1] fmap -1
        : tensor<8x256xf16> -> !block.tile<8x256xf16, pre>
    %acc = block.accum none %xt
        : !block.tile<8x256xf16, pre> -> !block.tile<8x256xf16, post>
    %s = block.saver %acc omap [-1, -1, -1]
        : !block.tile<8x256xf16, post> -> tensor<8x256xf16>
    block.yield %s : tensor<8x256xf16>
  }
  return %y : tensor<8x256xf16>
}

// -----

// The saver gives 8x256xf16 but the kernel promises a bf16 result.
func.func @yield_type_differs(%x: tensor<8x256xf16>) -> tensor<8x256xbf16> {
  %y = kernel.graph_defined (%x) grid [1, 1, 1] block [128, 1, 1] forloop 1
      : (tensor<8x256xf16>) -> tensor<8x256xbf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    %xt = block.loader %xd imap [-1, -1, -1] fmap -1
        : tensor<8x256xf16> -> !block.tile<8x256xf16, pre>
    %acc = block.accum none %xt
        : !block.tile<8x256xf16, pre> -> !block.tile<8x256xf16, post>
    %s = block.saver %acc omap [-1, -1, -1]
        : !block.tile<8x256xf16, post> -> tensor<8x256xf16>
    // expected-error @+1 {{'block.yield' op yields 1 values whose types differ from the 1 results of the enclosing kernel.graph_defined}}
    block.yield %s : tensor<8x256xf16>
  }
  return %y : tensor<8x256xbf16>
}

// -----

func.func @yield_count_differs(%x: tensor<8x256xf16>)
    -> (tensor<8x256xf16>, tensor<8x256xf16>) {
  %y:2 = kernel.graph_defined (%x) grid [1, 1, 1] block [128, 1, 1] forloop 1
      : (tensor<8x256xf16>) -> (tensor<8x256xf16>, tensor<8x256xf16>) {
  ^bb0(%xd: tensor<8x256xf16>):
    %xt = block.loader %xd imap [-1, -1, -1] fmap -1
        : tensor<8x256xf16> -> !block.tile<8x256xf16, pre>
    %acc = block.accum none %xt
        : !block.tile<8x256xf16, pre> -> !block.tile<8x256xf16, post>
    %s = block.saver %acc omap [-1, -1, -1]
        : !block.tile<8x256xf16, post> -> tensor<8x256xf16>
    // expected-error @+1 {{'block.yield' op yields 1 values whose types differ from the 2 results of the enclosing kernel.graph_defined}}
    block.yield %s : tensor<8x256xf16>
  }
  return %y#0, %y#1 : tensor<8x256xf16>, tensor<8x256xf16>
}

// -----

func.func @empty_body(%x: tensor<8x256xf16>) -> tensor<8x256xf16> {
  // expected-error @+1 {{'kernel.graph_defined' op expects a non-empty block}}
  %y = kernel.graph_defined (%x) grid [1, 1, 1] block [128, 1, 1] forloop 1
      : (tensor<8x256xf16>) -> tensor<8x256xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
  }
  return %y : tensor<8x256xf16>
}

// -----

func.func @body_without_terminator(%x: tensor<8x256xf16>)
    -> tensor<8x256xf16> {
  %y = kernel.graph_defined (%x) grid [1, 1, 1] block [128, 1, 1] forloop 1
      : (tensor<8x256xf16>) -> tensor<8x256xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    // expected-error @+1 {{block with no terminator}}
    %xt = block.loader %xd imap [-1, -1, -1] fmap -1
        : tensor<8x256xf16> -> !block.tile<8x256xf16, pre>
  }
  return %y : tensor<8x256xf16>
}

//===----------------------------------------------------------------------===//
// Launch shape seen by the body
//===----------------------------------------------------------------------===//

// -----

func.func @zero_grid_mapped(%x: tensor<8x256xf16>) -> tensor<8x256xf16> {
  // expected-error @+1 {{'kernel.graph_defined' op grid x must be >= 1, got 0}}
  %y = kernel.graph_defined (%x) grid [0, 1, 1] block [128, 1, 1] forloop 1
      : (tensor<8x256xf16>) -> tensor<8x256xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    %t = block.loader %xd imap [1, -1, -1] fmap -1
        : tensor<8x256xf16> -> !block.tile<8x256xf16, pre>
    %a = block.accum none %t
        : !block.tile<8x256xf16, pre> -> !block.tile<8x256xf16, post>
    %o = block.saver %a omap [1, -1, -1]
        : !block.tile<8x256xf16, post> -> tensor<8x256xf16>
    block.yield %o : tensor<8x256xf16>
  }
  return %y : tensor<8x256xf16>
}

// -----

func.func @zero_forloop_looped(%x: tensor<8x256xf16>) -> tensor<8x1xf16> {
  // expected-error @+1 {{'kernel.graph_defined' op for-loop range must be >= 1, got 0}}
  %y = kernel.graph_defined (%x) grid [1, 1, 1] block [128, 1, 1] forloop 0
      : (tensor<8x256xf16>) -> tensor<8x1xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    %t = block.loader %xd imap [-1, -1, -1] fmap 1
        : tensor<8x256xf16> -> !block.tile<8x256xf16, pre>
    %a = block.accum sum %t
        : !block.tile<8x256xf16, pre> -> !block.tile<8x1xf16, post>
    %o = block.saver %a omap [-1, -1, -1]
        : !block.tile<8x1xf16, post> -> tensor<8x1xf16>
    block.yield %o : tensor<8x1xf16>
  }
  return %y : tensor<8x1xf16>
}

// -----

func.func @zero_dimx_sum_to_dimx(%x: tensor<8x256xf16>) -> tensor<8x64xf16> {
  // expected-error @+1 {{'kernel.graph_defined' op reduction dimx must be >= 1, got 0}}
  %y = kernel.graph_defined (%x) grid [1, 1, 1] block [128, 1, 1] forloop 1
      dimx 0 : (tensor<8x256xf16>) -> tensor<8x64xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    %t = block.loader %xd imap [-1, -1, -1] fmap -1
        : tensor<8x256xf16> -> !block.tile<8x256xf16, pre>
    %a = block.accum sum_to_dimx %t
        : !block.tile<8x256xf16, pre> -> !block.tile<8x64xf16, post>
    %o = block.saver %a omap [-1, -1, -1]
        : !block.tile<8x64xf16, post> -> tensor<8x64xf16>
    block.yield %o : tensor<8x64xf16>
  }
  return %y : tensor<8x64xf16>
}

// -----

func.func @two_entry_grid_mapped_z(%x: tensor<8x256xf16>) -> tensor<8x256xf16> {
  // expected-error @+1 {{'kernel.graph_defined' op grid must have 3 entries (x, y, z), got 2}}
  %y = kernel.graph_defined (%x) grid [2, 1] block [128, 1, 1] forloop 1
      : (tensor<8x256xf16>) -> tensor<8x256xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    %t = block.loader %xd imap [-1, -1, 1] fmap -1
        : tensor<8x256xf16> -> !block.tile<8x256xf16, pre>
    %a = block.accum none %t
        : !block.tile<8x256xf16, pre> -> !block.tile<8x256xf16, post>
    %o = block.saver %a omap [-1, -1, 1]
        : !block.tile<8x256xf16, post> -> tensor<8x256xf16>
    block.yield %o : tensor<8x256xf16>
  }
  return %y : tensor<8x256xf16>
}

// -----

// Extents whose product overflows 64 bits saturate instead of wrapping to a
// small number that would pass the limit.
func.func @overflowing_grid(%x: tensor<8x256xf16>) -> tensor<8x256xf16> {
  // expected-error @+1 {{'kernel.graph_defined' op grid 4294967296x4294967296x1 has 9223372036854775807 blocks, more than the limit of 4096}}
  %y = kernel.graph_defined (%x) grid [4294967296, 4294967296, 1]
      block [128, 1, 1] forloop 1 : (tensor<8x256xf16>) -> tensor<8x256xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    %t = block.loader %xd imap [-1, -1, -1] fmap -1
        : tensor<8x256xf16> -> !block.tile<8x256xf16, pre>
    %a = block.accum none %t
        : !block.tile<8x256xf16, pre> -> !block.tile<8x256xf16, post>
    %o = block.saver %a omap [-1, -1, -1]
        : !block.tile<8x256xf16, post> -> tensor<8x256xf16>
    block.yield %o : tensor<8x256xf16>
  }
  return %y : tensor<8x256xf16>
}

// -----

//===----------------------------------------------------------------------===//
// Zero extents: a graph-defined kernel splits every tensor into tiles, whose
// extents are all >= 1.
//===----------------------------------------------------------------------===//

// An input nobody loads still has no tiles.
func.func @input_zero_extent(%x: tensor<8x256xf16>, %z: tensor<4x0xf16>)
    -> tensor<8x256xf16> {
  // expected-error @+1 {{'kernel.graph_defined' op input #1 of type 'tensor<4x0xf16>' has extent 0 at dimension 1: a graph-defined kernel splits its tensors into tiles of extent >= 1}}
  %y = kernel.graph_defined (%x, %z) grid [1, 1, 1] block [128, 1, 1] forloop 1
      : (tensor<8x256xf16>, tensor<4x0xf16>) -> tensor<8x256xf16> {
  ^bb0(%xd: tensor<8x256xf16>, %zd: tensor<4x0xf16>):
    %xt = block.loader %xd imap [-1, -1, -1] fmap -1
        : tensor<8x256xf16> -> !block.tile<8x256xf16, pre>
    %acc = block.accum none %xt
        : !block.tile<8x256xf16, pre> -> !block.tile<8x256xf16, post>
    %s = block.saver %acc omap [-1, -1, -1]
        : !block.tile<8x256xf16, post> -> tensor<8x256xf16>
    block.yield %s : tensor<8x256xf16>
  }
  return %y : tensor<8x256xf16>
}

// -----

func.func @result_zero_extent(%x: tensor<8x256xf16>) -> tensor<0x256xf16> {
  // expected-error @+1 {{'kernel.graph_defined' op result #0 of type 'tensor<0x256xf16>' has extent 0 at dimension 0: a graph-defined kernel splits its tensors into tiles of extent >= 1}}
  %y = kernel.graph_defined (%x) grid [1, 1, 1] block [128, 1, 1] forloop 1
      : (tensor<8x256xf16>) -> tensor<0x256xf16> {
  ^bb0(%xd: tensor<8x256xf16>):
    %xt = block.loader %xd imap [-1, -1, -1] fmap -1
        : tensor<8x256xf16> -> !block.tile<8x256xf16, pre>
    %acc = block.accum none %xt
        : !block.tile<8x256xf16, pre> -> !block.tile<8x256xf16, post>
    %s = block.saver %acc omap [-1, -1, -1]
        : !block.tile<8x256xf16, post> -> tensor<8x256xf16>
    block.yield %s : tensor<8x256xf16>
  }
  return %y : tensor<0x256xf16>
}
