// Softmax over rows with the attention preset: it must find the one-kernel
// softmax that the default preset finds (a row per block: the preset's
// input maps include it). The size is bounded to one kernel op.
//
// RUN: mirage-opt %s --mirage-superoptimize='threads=2 preset=attention max-kernel-ops=2 cache=false' -o %t 2>&1 \
// RUN:   | FileCheck %s --check-prefix=REMARK
// RUN: FileCheck %s < %t
// RUN: mirage-opt %t --mirage-check-equivalence='lhs=reference rhs=softmax' -o /dev/null \
// RUN:   | FileCheck %s --check-prefix=EQUIV

// REMARK: remark: mirage-superoptimize: {{.*}} equivalent; {{.*}} s; predicted {{.*}} us -> {{.*}} us
// EQUIV: equivalent

// CHECK-LABEL: func.func @softmax
// CHECK-NEXT: kernel.graph_defined
// CHECK: block.loader %{{.*}} imap [0, -1, -1]
// CHECK: block.yield
// CHECK-NEXT: }
// CHECK-NEXT: return
func.func @softmax(%x: tensor<64x128xf16>) -> tensor<64x128xf16> {
  %e = kernel.exp %x : tensor<64x128xf16>
  %s = kernel.reduction %e dim 1 : tensor<64x128xf16>
  %y = kernel.div %e, %s : tensor<64x128xf16>, tensor<64x1xf16>
  return %y : tensor<64x128xf16>
}

func.func @reference(%x: tensor<64x128xf16>) -> tensor<64x128xf16>
    attributes {mirage.no_superoptimize} {
  %e = kernel.exp %x : tensor<64x128xf16>
  %s = kernel.reduction %e dim 1 : tensor<64x128xf16>
  %y = kernel.div %e, %s : tensor<64x128xf16>, tensor<64x1xf16>
  return %y : tensor<64x128xf16>
}
