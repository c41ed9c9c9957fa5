// --mirage-outline: maximal regions of kernel ops become private
// kernel-level functions @CALLER_mirage_N called where the region was.
//
// RUN: mirage-opt %s -split-input-file --mirage-outline | FileCheck %s
// Deterministic: a second run prints the same.
// RUN: mirage-opt %s -split-input-file --mirage-outline > %t.1 2>&1
// RUN: mirage-opt %s -split-input-file --mirage-outline > %t.2 2>&1
// RUN: diff %t.1 %t.2
// Tight limits (the remarks are those of these limits).
// RUN: mirage-opt %s -split-input-file -verify-diagnostics \
// RUN:   --mirage-outline='max-inputs=2 max-outputs=1 max-ops=2' \
// RUN:   | FileCheck %s --check-prefix=TIGHT
// Locations: the moved ops keep theirs, the call and the function get the
// fused locations of the region.
// RUN: mirage-opt %s -split-input-file --mirage-outline \
// RUN:   --mlir-print-debuginfo --mlir-print-local-scope | FileCheck %s --check-prefix=LOC
// A bad option is an error.
// RUN: not mirage-opt %s --mirage-outline='max-ops=0' 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BAD
// BAD: error: mirage-outline: max-inputs must be >= 0, max-outputs and max-ops >= 1

// A caller in upstream dialects around two regions: the second starts
// after the op that reads the first region's result.
// CHECK-LABEL: func.func @mixed
// CHECK-NEXT:    %[[R0:.*]] = call @mixed_mirage_0(%arg0, %arg1) : (tensor<8x16xf16>, tensor<16x32xf16>) -> tensor<8x32xf16>
// CHECK-NEXT:    %[[T:.*]] = tensor.empty
// CHECK-NEXT:    %[[TR:.*]] = linalg.transpose ins(%[[R0]]
// CHECK-NEXT:    %[[R1:.*]] = call @mixed_mirage_1(%[[TR]], %arg2) : (tensor<32x8xf16>, tensor<32x8xf16>) -> tensor<32x8xf16>
// CHECK-NEXT:    return %[[R1]]
// CHECK:       func.func private @mixed_mirage_0(%arg0: tensor<8x16xf16>, %arg1: tensor<16x32xf16>) -> tensor<8x32xf16>
// CHECK-NEXT:    %[[M:.*]] = kernel.matmul %arg0, %arg1
// CHECK-NEXT:    %[[S:.*]] = kernel.silu %[[M]]
// CHECK-NEXT:    return %[[S]]
// CHECK:       func.func private @mixed_mirage_1(%arg0: tensor<32x8xf16>, %arg1: tensor<32x8xf16>) -> tensor<32x8xf16>
// CHECK-NEXT:    %[[A:.*]] = kernel.add %arg0, %arg1
// CHECK-NEXT:    %[[Q:.*]] = kernel.square %[[A]]
// CHECK-NEXT:    return %[[Q]]

// With max-ops=2 and max-inputs=2 the same split.
// TIGHT-LABEL: func.func @mixed
// TIGHT:         call @mixed_mirage_0
// TIGHT:         call @mixed_mirage_1

// LOC-LABEL:   func.func @mixed(
// LOC:           call @mixed_mirage_0{{.*}} loc(fused["{{.*}}outline.mlir":[[@LINE+14]]:8, "{{.*}}outline.mlir":[[@LINE+15]]:8])
// LOC-LABEL:   func.func private @mixed_mirage_0(
// LOC-SAME:        %arg0: tensor<8x16xf16> loc("{{.*}}outline.mlir":[[@LINE+6]]:18)
// LOC-SAME:        %arg1: tensor<16x32xf16> loc("{{.*}}outline.mlir":[[@LINE+5]]:40)
// LOC-NEXT:      kernel.matmul {{.*}} loc("{{.*}}outline.mlir":[[@LINE+10]]:8)
// LOC-NEXT:      kernel.silu {{.*}} loc("{{.*}}outline.mlir":[[@LINE+10]]:8)
// LOC-NEXT:      return {{.*}} loc(fused[
// LOC-NEXT:    } loc(fused["{{.*}}outline.mlir":[[@LINE+7]]:8, "{{.*}}outline.mlir":[[@LINE+8]]:8])
func.func @mixed(%a: tensor<8x16xf16>, %b: tensor<16x32xf16>, %c: tensor<32x8xf16>) -> tensor<32x8xf16> {
  // The first region: the matmul and silu. It ends before the transpose,
  // which reads silu's result and is not a kernel op; the call takes the
  // place of silu. The second region, add and square, reads the transpose
  // and the third argument, in the order of their first use; its call takes
  // the place of square.
  %m = kernel.matmul %a, %b : tensor<8x16xf16>, tensor<16x32xf16>
  %s = kernel.silu %m : tensor<8x32xf16>
  %e = tensor.empty() : tensor<32x8xf16>
  %t = linalg.transpose ins(%s : tensor<8x32xf16>) outs(%e : tensor<32x8xf16>) permutation = [1, 0]
  %x = kernel.add %t, %c : tensor<32x8xf16>, tensor<32x8xf16>
  %q = kernel.square %x : tensor<32x8xf16>
  return %q : tensor<32x8xf16>
}

// -----

// Ops of the caller that do not read the region stay where they are, and
// the region grows past them; the call is placed after its last op.
// CHECK-LABEL: func.func @interleaved
// CHECK-NEXT:    %[[C:.*]] = arith.constant
// CHECK-NEXT:    %[[F:.*]] = linalg.fill
// CHECK-NEXT:    %[[R:.*]] = call @interleaved_mirage_0(%arg0, %[[F]])
// CHECK-NEXT:    return %[[R]]
// CHECK:       func.func private @interleaved_mirage_0(%arg0: tensor<4x8xf32>, %arg1: tensor<4x8xf32>) -> tensor<4x8xf32>
// CHECK-NEXT:    kernel.exp %arg0
// CHECK-NEXT:    kernel.add {{.*}}, %arg1
// TIGHT-LABEL: func.func @interleaved
// TIGHT-NEXT:    arith.constant
// TIGHT-NEXT:    linalg.fill
// TIGHT-NEXT:    call @interleaved_mirage_0(%arg0, %{{.*}})
func.func @interleaved(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %e = kernel.exp %x : tensor<4x8xf32>
  %c = arith.constant 1.0 : f32
  %f = linalg.fill ins(%c : f32) outs(%x : tensor<4x8xf32>) -> tensor<4x8xf32>
  %s = kernel.add %e, %f : tensor<4x8xf32>, tensor<4x8xf32>
  return %s : tensor<4x8xf32>
}

// -----

// An exponential of an exponential is outside the LAX fragment: the second
// exp starts a new region.
// CHECK-LABEL: func.func @nested_exp
// CHECK-NEXT:    %[[A:.*]] = call @nested_exp_mirage_0(%arg0)
// CHECK-NEXT:    %[[B:.*]] = call @nested_exp_mirage_1(%[[A]])
// CHECK:       func.func private @nested_exp_mirage_0
// CHECK-NEXT:    kernel.exp
// CHECK-NEXT:    kernel.mul_scalar
// CHECK-NEXT:    return
// CHECK:       func.func private @nested_exp_mirage_1
// CHECK-NEXT:    kernel.exp
// CHECK-NEXT:    return
func.func @nested_exp(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %a = kernel.exp %x : tensor<4x8xf32>
  %b = kernel.mul_scalar %a, 2.0 : tensor<4x8xf32>
  %c = kernel.exp %b : tensor<4x8xf32>
  %z = arith.constant dense<0.0> : tensor<4x8xf32>
  %r = arith.addf %c, %z : tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// -----

// Limits: with max-inputs=2 the third input starts a new region, a concat
// of three inputs stays in place, and max-outputs=1 cuts a region whose two
// values are used after it; max-ops=2 cuts after two ops.
// CHECK-LABEL: func.func @limits
// CHECK-NEXT:    call @limits_mirage_0(%arg0, %arg1, %arg2)
// CHECK-NOT:     call
// CHECK:         return
// TIGHT-LABEL: func.func @limits
// TIGHT-NEXT:    %[[A:.*]] = call @limits_mirage_0(%arg0, %arg1) : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
// TIGHT-NEXT:    %[[B:.*]] = call @limits_mirage_1(%[[A]], %arg2) : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
// TIGHT-NEXT:    %[[C:.*]] = kernel.concat %[[A]], %[[B]], %arg0 dim 0
// TIGHT-NEXT:    %[[D:.*]] = call @limits_mirage_2(%[[C]]) : (tensor<12x8xf32>) -> tensor<12x8xf32>
// TIGHT-NEXT:    %[[E:.*]] = call @limits_mirage_3(%[[D]]) : (tensor<12x8xf32>) -> tensor<12x8xf32>
// TIGHT-NEXT:    arith.constant
// TIGHT-NEXT:    arith.addf %[[E]]
// TIGHT-NEXT:    return %[[D]],
func.func @limits(%x: tensor<4x8xf32>, %y: tensor<4x8xf32>, %z: tensor<4x8xf32>) -> (tensor<12x8xf32>, tensor<12x8xf32>) {
  %a = kernel.add %x, %y : tensor<4x8xf32>, tensor<4x8xf32>
  %b = kernel.mul %a, %z : tensor<4x8xf32>, tensor<4x8xf32>
  // expected-remark @+1 {{mirage-outline: 'kernel.concat' left in place: 3 input tensors exceed the limit of 2 (option max-inputs)}}
  %c = kernel.concat %a, %b, %x dim 0 : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>
  %d = kernel.square %c : tensor<12x8xf32>
  %e = kernel.relu %d : tensor<12x8xf32>
  %z0 = arith.constant dense<0.0> : tensor<12x8xf32>
  %r = arith.addf %e, %z0 : tensor<12x8xf32>
  return %d, %r : tensor<12x8xf32>, tensor<12x8xf32>
}

// -----

// A kernel-level function is left alone, but marked when the rest of the
// program calls it; names already taken are skipped.
// CHECK-LABEL: func.func @kernel_level
// CHECK-SAME:    attributes {mirage.outlined}
// CHECK-NEXT:    kernel.exp
// CHECK-NEXT:    return
// CHECK-LABEL: func.func @caller
// CHECK-NEXT:    call @caller_mirage_1(%arg0)
// CHECK:       func.func private @caller_mirage_1
// CHECK:       func.func @caller_mirage_0
// CHECK-LABEL: func.func @not_called
// CHECK-NOT:     mirage.outlined
// CHECK-SAME:    {
func.func @kernel_level(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %a = kernel.exp %x : tensor<4x8xf32>
  return %a : tensor<4x8xf32>
}
func.func @caller(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %a = kernel.exp %x : tensor<4x8xf32>
  %r = func.call @kernel_level(%a) : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}
func.func @caller_mirage_0() {
  return
}
func.func @not_called(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %a = kernel.exp %x : tensor<4x8xf32>
  return %a : tensor<4x8xf32>
}

// -----

// A read inside a nested region of a caller op ends the region too.
// CHECK-LABEL: func.func @nested_read
// CHECK-NEXT:    %[[A:.*]] = call @nested_read_mirage_0(%arg0)
// CHECK-NEXT:    %[[R:.*]] = scf.if
// CHECK-NEXT:      scf.yield %[[A]]
// CHECK:         call @nested_read_mirage_1(%[[R]], %arg0)
func.func @nested_read(%x: tensor<4x8xf32>, %c: i1) -> tensor<4x8xf32> {
  %a = kernel.exp %x : tensor<4x8xf32>
  %r = scf.if %c -> tensor<4x8xf32> {
    scf.yield %a : tensor<4x8xf32>
  } else {
    scf.yield %x : tensor<4x8xf32>
  }
  %b = kernel.add %r, %x : tensor<4x8xf32>, tensor<4x8xf32>
  return %b : tensor<4x8xf32>
}

// -----

// Layout ops: the search peels the layout ops at the front of a region
// (those that read an input or another such op) and cannot produce any
// other, so a layout op on a value the region computes starts the next
// region, where it reads an input. Here a row maximum dropped to 4x8 and
// broadcast back (a stable softmax's first step), and the heads merged
// after the softmax.
// CHECK-LABEL: func.func @layout
// CHECK-NEXT:    %[[M:.*]]:2 = call @layout_mirage_0(%arg0, %arg1)
// CHECK-NEXT:    %[[P:.*]] = call @layout_mirage_1(%[[M]]#1, %[[M]]#0)
// CHECK-NEXT:    %[[O:.*]] = call @layout_mirage_2(%[[P]])
// CHECK-NEXT:    arith.constant
// CHECK-NEXT:    arith.addf %[[O]]
// The transposes of the inputs lead the first region; the reshape of the
// maximum would read a computed value and ends it.
// CHECK:       func.func private @layout_mirage_0(%arg0: tensor<8x4x8xf32>, %arg1: tensor<4x8x8xf32>) -> (tensor<4x8x8xf32>, tensor<4x8x1xf32>)
// CHECK-NEXT:    kernel.transpose %arg0 permutation [1, 0, 2]
// CHECK-NEXT:    kernel.transpose %arg1 permutation [0, 2, 1]
// CHECK-NEXT:    kernel.matmul
// CHECK-NEXT:    kernel.reduce_max
// CHECK-NEXT:    return
// The maximum's reshape and the broadcast of its result lead the second
// region; the transpose of the quotient ends it.
// CHECK:       func.func private @layout_mirage_1(%arg0: tensor<4x8x1xf32>, %arg1: tensor<4x8x8xf32>) -> tensor<4x8x8xf32>
// CHECK-NEXT:    kernel.reshape %arg0 : tensor<4x8x1xf32> -> tensor<4x8xf32>
// CHECK-NEXT:    kernel.broadcast {{.*}} dimensions [2]
// CHECK-NEXT:    kernel.sub %arg1,
// CHECK-NEXT:    kernel.exp
// CHECK-NEXT:    kernel.reduction {{.*}} dim 2
// CHECK-NEXT:    kernel.div
// CHECK-NEXT:    return
// CHECK:       func.func private @layout_mirage_2(%arg0: tensor<4x8x8xf32>) -> tensor<8x32xf32>
// CHECK-NEXT:    kernel.transpose %arg0 permutation [1, 0, 2]
// CHECK-NEXT:    kernel.reshape
// CHECK-NEXT:    return
// TIGHT-LABEL: func.func @layout
func.func @layout(%q: tensor<8x4x8xf32>, %k: tensor<4x8x8xf32>) -> tensor<8x32xf32> {
  %qh = kernel.transpose %q permutation [1, 0, 2] : tensor<8x4x8xf32>
  %kt = kernel.transpose %k permutation [0, 2, 1] : tensor<4x8x8xf32>
  %s = kernel.matmul %qh, %kt : tensor<4x8x8xf32>, tensor<4x8x8xf32>
  %mx = kernel.reduce_max %s dim 2 : tensor<4x8x8xf32>
  %m2 = kernel.reshape %mx : tensor<4x8x1xf32> -> tensor<4x8xf32>
  %mb = kernel.broadcast %m2 dimensions [2] : tensor<4x8xf32> -> tensor<4x8x8xf32>
  %d = kernel.sub %s, %mb : tensor<4x8x8xf32>, tensor<4x8x8xf32>
  %e = kernel.exp %d : tensor<4x8x8xf32>
  %sum = kernel.reduction %e dim 2 : tensor<4x8x8xf32>
  %p = kernel.div %e, %sum : tensor<4x8x8xf32>, tensor<4x8x1xf32>
  %pt = kernel.transpose %p permutation [1, 0, 2] : tensor<4x8x8xf32>
  %o = kernel.reshape %pt : tensor<8x4x8xf32> -> tensor<8x32xf32>
  %z = arith.constant dense<0.0> : tensor<8x32xf32>
  %r = arith.addf %o, %z : tensor<8x32xf32>
  return %r : tensor<8x32xf32>
}

// -----

// A layout op on an input stays in the region wherever it is: the search
// peels it too.
// CHECK-LABEL: func.func @layout_of_input
// CHECK-NEXT:    %[[R:.*]] = call @layout_of_input_mirage_0(%arg0, %arg1)
// CHECK-NEXT:    arith.constant
// CHECK:       func.func private @layout_of_input_mirage_0(%arg0: tensor<4x8xf32>, %arg1: tensor<8xf32>) -> tensor<4x8xf32>
// CHECK-NEXT:    kernel.exp %arg0
// CHECK-NEXT:    kernel.broadcast %arg1 dimensions [0]
// CHECK-NEXT:    kernel.add
// CHECK-NEXT:    return
func.func @layout_of_input(%x: tensor<4x8xf32>, %g: tensor<8xf32>) -> tensor<4x8xf32> {
  %e = kernel.exp %x : tensor<4x8xf32>
  %gb = kernel.broadcast %g dimensions [0] : tensor<8xf32> -> tensor<4x8xf32>
  %a = kernel.add %e, %gb : tensor<4x8xf32>, tensor<4x8xf32>
  %z = arith.constant dense<0.0> : tensor<4x8xf32>
  %r = arith.addf %a, %z : tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// -----

// A kernel-level function that is more than one region (here an
// exponential nested in another) is cut like any caller.
// CHECK-LABEL: func.func @kernel_level_split
// CHECK-NOT:     mirage.outlined
// CHECK-NEXT:    %[[A:.*]] = call @kernel_level_split_mirage_0(%arg0)
// CHECK-NEXT:    %[[B:.*]] = call @kernel_level_split_mirage_1(%[[A]])
// CHECK-NEXT:    return %[[B]]
// CHECK:       func.func private @kernel_level_split_mirage_0
// CHECK-SAME:    attributes {mirage.outlined}
// CHECK-NEXT:    kernel.exp %arg0
// CHECK-NEXT:    return
// CHECK:       func.func private @kernel_level_split_mirage_1
// CHECK-NEXT:    kernel.exp %arg0
// CHECK-NEXT:    return
func.func @kernel_level_split(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %a = kernel.exp %x : tensor<4x8xf32>
  %b = kernel.exp %a : tensor<4x8xf32>
  return %b : tensor<4x8xf32>
}
