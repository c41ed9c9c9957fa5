// RUN: mirage-opt %s --mirage-print-abstract-exprs='target=softmax' \
// RUN:   -o /dev/null | FileCheck %s
// RUN: not mirage-opt %s --mirage-print-abstract-exprs='target=nope' \
// RUN:   -o /dev/null 2>&1 | FileCheck %s --check-prefix=NO-TARGET
// RUN: not mirage-opt %s \
// RUN:   --mirage-print-abstract-exprs='target-file=%t.does-not-exist' \
// RUN:   -o /dev/null 2>&1 | FileCheck %s --check-prefix=NO-FILE
// RUN: not mirage-opt %s --mirage-print-abstract-exprs='node-limit=0' \
// RUN:   -o /dev/null 2>&1 | FileCheck %s --check-prefix=BAD-LIMIT
// RUN: not mirage-opt %s --mirage-print-abstract-exprs='time-limit-ms=-1' \
// RUN:   -o /dev/null 2>&1 | FileCheck %s --check-prefix=BAD-LIMIT

// NO-TARGET: error: no target function @nope
// NO-FILE: error: cannot read the target file
// BAD-LIMIT: error: node-limit and iteration-limit must be positive, time-limit-ms positive or 0 (no time limit)

// The target: softmax over the last dimension, without max subtraction; an
// argument it does not use is pruned.
// CHECK-LABEL: abstract_exprs @softmax target @softmax: saturated after
// CHECK-NEXT:    %0 = v0 : pass
// CHECK-NEXT:    %1 = v1 : prune
// CHECK-NEXT:    %2 = exp(v0) : pass
// CHECK-NEXT:    %3 = sum(64, exp(v0)) : pass
// CHECK-NEXT:    %4 = exp(v0) / sum(64, exp(v0)) : pass
func.func @softmax(%x: tensor<8x64xf16>, %unused: tensor<8x64xf16>)
    -> tensor<8x64xf16> {
  %e = kernel.exp %x : tensor<8x64xf16>
  %s = kernel.reduction %e dim 1 : tensor<8x64xf16>
  %p = kernel.div %e, %s : tensor<8x64xf16>, tensor<8x1xf16>
  return %p : tensor<8x64xf16>
}

// Candidate values against softmax: partial sums over divisors of 64 pass;
// what softmax cannot contain is pruned; concat has no sound abstraction, so
// what depends on it is unknown (kept), unless another part is pruned.
// CHECK-LABEL: abstract_exprs @candidates target @softmax: saturated after
// CHECK-NEXT:    %0 = v0 : pass
// CHECK-NEXT:    %1 = v1 : prune
// CHECK-NEXT:    %2 = exp(v0) : pass
// CHECK-NEXT:    %3 = sum(16, exp(v0)) : pass
// CHECK-NEXT:    %4 = sum(4, sum(16, exp(v0))) : pass
// CHECK-NEXT:    %5 = sum(4, sum(16, exp(v0))) / exp(v0) : prune
// CHECK-NEXT:    %6 = square(v0) : prune
// CHECK-NEXT:    %7 = exp(exp(v0)) : prune
// CHECK-NEXT:    %8 = exp(v0) * v1 : prune
// CHECK-NEXT:    %9 = opaque#0 : unknown
// CHECK-NEXT:    %10 = sum(128, opaque#0) : unknown
// CHECK-NEXT:    %11 = sum(128, opaque#0) * square(v0) : prune
func.func @candidates(%x: tensor<8x64xf16>, %y: tensor<8x64xf16>)
    -> tensor<8x64xf16> {
  %e = kernel.exp %x : tensor<8x64xf16>
  %s16 = kernel.reduction %e dim 1 size 4 : tensor<8x64xf16>
  %s = kernel.reduction %s16 dim 1 : tensor<8x4xf16>
  %inverted = kernel.div %s, %e : tensor<8x1xf16>, tensor<8x64xf16>
  %sq = kernel.square %x : tensor<8x64xf16>
  %ee = kernel.exp %e : tensor<8x64xf16>
  %other = kernel.mul %e, %y : tensor<8x64xf16>, tensor<8x64xf16>
  %c = kernel.concat %e, %e dim 1 : tensor<8x64xf16>, tensor<8x64xf16>
  %cs = kernel.reduction %c dim 1 : tensor<8x128xf16>
  %mixed = kernel.mul %cs, %sq : tensor<8x1xf16>, tensor<8x64xf16>
  return %e : tensor<8x64xf16>
}
