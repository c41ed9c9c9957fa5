// A stable softmax, exp(x - max(x)) / sum(exp(x - max(x))) over rows, with
// default options. No kernel-level op takes a row maximum, so the input
// computes it in a graph-defined kernel (running_max and the max
// accumulator) and subtracts, exponentiates, sums and divides at the
// kernel level: five kernels. The search must find one graph-defined
// kernel that takes the maximum itself (running_max: tried because the
// target has a maximum), checked against the input.
//
// RUN: mirage-opt %s --mirage-superoptimize='threads=2 cache=false' -o %t 2>&1 \
// RUN:   | FileCheck %s --check-prefix=REMARK
// RUN: FileCheck %s < %t
// RUN: mirage-opt %t --mirage-check-equivalence='lhs=reference rhs=softmax' -o /dev/null \
// RUN:   | FileCheck %s --check-prefix=EQUIV
// RUN: mirage-cpu-runner %t --entry=softmax | FileCheck %s --check-prefix=CPU

// REMARK: remark: mirage-superoptimize: {{.*}} equivalent; {{.*}} s; predicted {{.*}} us -> {{.*}} us
// REMARK-NOT: time budget exhausted
// EQUIV: equivalent
// CPU: PASS

// CHECK-LABEL: func.func @softmax
// CHECK-NEXT: kernel.graph_defined
// CHECK: block.running_max
// CHECK: block.sub
// CHECK: block.exp
// CHECK: block.div
// CHECK: block.yield
// CHECK-NEXT: }
// CHECK-NEXT: return
func.func @softmax(%x: tensor<64x128xf32>) -> tensor<64x128xf32> {
  %m = kernel.graph_defined (%x) grid [64, 1, 1] block [128, 1, 1] forloop 1
      : (tensor<64x128xf32>) -> tensor<64x1xf32> {
  ^bb0(%xd: tensor<64x128xf32>):
    %xt = block.loader %xd imap [0, -1, -1] fmap -1
        : tensor<64x128xf32> -> !block.tile<1x128xf32, pre>
    %mt, %dt = block.running_max %xt dim 1 : !block.tile<1x128xf32, pre>
    %ma = block.accum max %mt
        : !block.tile<1x1xf32, pre> -> !block.tile<1x1xf32, post>
    %o = block.saver %ma omap [0, -1, -1]
        : !block.tile<1x1xf32, post> -> tensor<64x1xf32>
    block.yield %o : tensor<64x1xf32>
  }
  %c = kernel.sub %x, %m : tensor<64x128xf32>, tensor<64x1xf32>
  %e = kernel.exp %c : tensor<64x128xf32>
  %s = kernel.reduction %e dim 1 : tensor<64x128xf32>
  %y = kernel.div %e, %s : tensor<64x128xf32>, tensor<64x1xf32>
  return %y : tensor<64x128xf32>
}

func.func @reference(%x: tensor<64x128xf32>) -> tensor<64x128xf32>
    attributes {mirage.no_superoptimize} {
  %m = kernel.graph_defined (%x) grid [64, 1, 1] block [128, 1, 1] forloop 1
      : (tensor<64x128xf32>) -> tensor<64x1xf32> {
  ^bb0(%xd: tensor<64x128xf32>):
    %xt = block.loader %xd imap [0, -1, -1] fmap -1
        : tensor<64x128xf32> -> !block.tile<1x128xf32, pre>
    %mt, %dt = block.running_max %xt dim 1 : !block.tile<1x128xf32, pre>
    %ma = block.accum max %mt
        : !block.tile<1x1xf32, pre> -> !block.tile<1x1xf32, post>
    %o = block.saver %ma omap [0, -1, -1]
        : !block.tile<1x1xf32, post> -> tensor<64x1xf32>
    block.yield %o : tensor<64x1xf32>
  }
  %c = kernel.sub %x, %m : tensor<64x128xf32>, tensor<64x1xf32>
  %e = kernel.exp %c : tensor<64x128xf32>
  %s = kernel.reduction %e dim 1 : tensor<64x128xf32>
  %y = kernel.div %e, %s : tensor<64x128xf32>, tensor<64x1xf32>
  return %y : tensor<64x128xf32>
}
