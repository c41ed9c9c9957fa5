// LoRA, X W + (X A) B, with its four inputs and default options but for
// a bound on the block graph's size (no preset: before, max-kernel-ops
// counted the four inputs and a kernel took three, so the search visited
// one state). The search must fuse the three matmuls into one
// graph-defined kernel of four inputs, checked against the input.
//
// RUN: mirage-opt %s --mirage-superoptimize='threads=2 max-block-ops=10 cache=false' -o %t 2>&1 \
// RUN:   | FileCheck %s --check-prefix=REMARK
// RUN: FileCheck %s < %t
// RUN: mirage-opt %t --mirage-check-equivalence='lhs=reference rhs=lora' -o /dev/null \
// RUN:   | FileCheck %s --check-prefix=EQUIV
// RUN: mirage-cpu-runner %t --entry=lora | FileCheck %s --check-prefix=CPU
// With one kernel op fewer than the inputs need, the remark says why.
// RUN: mirage-opt %s --mirage-superoptimize='threads=2 max-kernel-ops=4 cache=false' -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=BOUND

// REMARK: remark: mirage-superoptimize: {{.*}} equivalent; {{.*}} s; predicted {{.*}} us -> {{.*}} us
// REMARK-NOT: time budget exhausted
// EQUIV: equivalent
// CPU: PASS
// BOUND: remark: mirage-superoptimize: {{.*}} no equivalent candidate found, function unchanged: the program's 4 inputs fill max-kernel-ops=4, which counts them (raise max-kernel-ops to at least 5)

// CHECK-LABEL: func.func @lora
// CHECK-NEXT: kernel.graph_defined (%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}})
// CHECK-COUNT-2: block.matmul
// CHECK: block.yield
// CHECK-NEXT: }
// CHECK-NEXT: return
func.func @lora(%x: tensor<16x64xf16>, %w: tensor<64x128xf16>,
                %a: tensor<64x16xf16>, %b: tensor<16x128xf16>)
    -> tensor<16x128xf16> {
  %xw = kernel.matmul %x, %w : tensor<16x64xf16>, tensor<64x128xf16>
  %xa = kernel.matmul %x, %a : tensor<16x64xf16>, tensor<64x16xf16>
  %xab = kernel.matmul %xa, %b : tensor<16x16xf16>, tensor<16x128xf16>
  %y = kernel.add %xw, %xab : tensor<16x128xf16>, tensor<16x128xf16>
  return %y : tensor<16x128xf16>
}

func.func @reference(%x: tensor<16x64xf16>, %w: tensor<64x128xf16>,
                %a: tensor<64x16xf16>, %b: tensor<16x128xf16>)
    -> tensor<16x128xf16> attributes {mirage.no_superoptimize} {
  %xw = kernel.matmul %x, %w : tensor<16x64xf16>, tensor<64x128xf16>
  %xa = kernel.matmul %x, %a : tensor<16x64xf16>, tensor<64x16xf16>
  %xab = kernel.matmul %xa, %b : tensor<16x16xf16>, tensor<16x128xf16>
  %y = kernel.add %xw, %xab : tensor<16x128xf16>, tensor<16x128xf16>
  return %y : tensor<16x128xf16>
}
