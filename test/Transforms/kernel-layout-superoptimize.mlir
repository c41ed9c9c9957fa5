// The search takes a reference with layout ops: the transpose of K (given
// as [kv, d]) that feeds Q x K^T is peeled off, the rest is searched with
// K^T as an input, and the transpose is put back in front of the μGraph
// found (docs/Search.md, "Layout ops"). The default schedules then fold it
// into the loader of the fused kernel: one kernel, K read transposed. Both
// are checked equivalent to the untouched reference and run on the CPU
// against the interpreter.
//
// RUN: mirage-opt %s --mirage-superoptimize='threads=1 max-kernel-ops=3 max-block-ops=7 cache=false' > %t.1
// RUN: FileCheck %s < %t.1
// RUN: mirage-opt %t.1 --mirage-check-equivalence='lhs=reference rhs=scores' -o /dev/null | FileCheck %s --check-prefix=EQUIV
// RUN: mirage-opt %t.1 --mirage-default-schedules > %t.2
// RUN: FileCheck %s --check-prefix=FOLD < %t.2
// RUN: mirage-opt %t.2 --mirage-check-equivalence='lhs=reference rhs=scores' -o /dev/null | FileCheck %s --check-prefix=EQUIV
// RUN: mirage-cpu-runner %t.1 --entry=scores | FileCheck %s --check-prefix=CPU

// CHECK-LABEL: func.func @scores
// CHECK-SAME: (%[[Q:.*]]: tensor<16x64xf16>, %[[K:.*]]: tensor<32x64xf16>)
// CHECK: %[[KT:.*]] = kernel.transpose %[[K]] permutation [1, 0] : tensor<32x64xf16>
// CHECK: kernel.graph_defined (%[[Q]], %[[KT]])
// CHECK: block.matmul
// CHECK: block.exp
// CHECK-NOT: kernel.
// CHECK: return

// FOLD-LABEL: func.func @scores
// FOLD-NOT: kernel.transpose
// FOLD: kernel.graph_defined (%{{.*}}, %{{.*}}) grid
// FOLD: block.loader %{{.*}} : tensor<32x64xf16> -> !block.tile<[[R:[0-9]+]]x[[C:[0-9]+]]xf16, pre>
// FOLD-NEXT: block.transpose %{{.*}} permutation [1, 0] : !block.tile<[[R]]x[[C]]xf16, pre>
// FOLD: block.matmul
// FOLD-NOT: kernel.graph_defined
// FOLD: return

// EQUIV: {{^}}equivalent{{$}}
// CPU: output 0: tensor<16x32xf16>: 0 of 512 outside
// CPU-NEXT: PASS

func.func @reference(%q: tensor<16x64xf16>, %k: tensor<32x64xf16>)
    -> tensor<16x32xf16> attributes {mirage.no_superoptimize} {
  %kt = kernel.transpose %k permutation [1, 0] : tensor<32x64xf16>
  %s = kernel.matmul %q, %kt : tensor<16x64xf16>, tensor<64x32xf16>
  %e = kernel.exp %s : tensor<16x32xf16>
  return %e : tensor<16x32xf16>
}

func.func @scores(%q: tensor<16x64xf16>, %k: tensor<32x64xf16>)
    -> tensor<16x32xf16> {
  %kt = kernel.transpose %k permutation [1, 0] : tensor<32x64xf16>
  %s = kernel.matmul %q, %kt : tensor<16x64xf16>, tensor<64x32xf16>
  %e = kernel.exp %s : tensor<16x32xf16>
  return %e : tensor<16x32xf16>
}
