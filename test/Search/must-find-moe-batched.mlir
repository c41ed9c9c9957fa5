// A small mixture of experts, Y = exp(X A) B with 2 experts (the leading
// dim, which the matmuls batch over), with default options but for a bound
// on the block graph's size: the search must find one graph-defined kernel
// whose blocks multiply batched tiles (a rank-3 block matmul; which grid
// splits the experts and the tokens is the search's choice), checked
// against the input.
//
// RUN: mirage-opt %s --mirage-superoptimize='threads=2 max-block-ops=8 cache=false' -o %t 2>&1 \
// RUN:   | FileCheck %s --check-prefix=REMARK
// RUN: FileCheck %s < %t
// RUN: mirage-opt %t --mirage-check-equivalence='lhs=reference rhs=moe' -o /dev/null \
// RUN:   | FileCheck %s --check-prefix=EQUIV
// RUN: mirage-cpu-runner %t --entry=moe --input-scale=0.125 | FileCheck %s --check-prefix=CPU

// REMARK: remark: mirage-superoptimize: {{.*}} equivalent; {{.*}} s; predicted {{.*}} us -> {{.*}} us
// REMARK-NOT: time budget exhausted
// EQUIV: equivalent
// CPU: PASS

// CHECK-LABEL: func.func @moe
// CHECK-NEXT: kernel.graph_defined
// CHECK: block.matmul {{.*}} : !block.tile<{{[0-9]+}}x{{[0-9]+}}x64xf16, {{.*}}>, !block.tile<{{[0-9]+}}x64x64xf16, {{.*}}>
// CHECK: block.exp
// CHECK: block.matmul {{.*}} : !block.tile<{{[0-9]+}}x{{[0-9]+}}x64xf16, {{.*}}>, !block.tile<{{[0-9]+}}x64x64xf16, {{.*}}>
// CHECK: block.yield
// CHECK-NEXT: }
// CHECK-NEXT: return
func.func @moe(%x: tensor<2x256x64xf16>, %a: tensor<2x64x64xf16>,
               %b: tensor<2x64x64xf16>) -> tensor<2x256x64xf16> {
  %xa = kernel.matmul %x, %a : tensor<2x256x64xf16>, tensor<2x64x64xf16>
  %e = kernel.exp %xa : tensor<2x256x64xf16>
  %y = kernel.matmul %e, %b : tensor<2x256x64xf16>, tensor<2x64x64xf16>
  return %y : tensor<2x256x64xf16>
}

func.func @reference(%x: tensor<2x256x64xf16>, %a: tensor<2x64x64xf16>,
                     %b: tensor<2x64x64xf16>) -> tensor<2x256x64xf16>
    attributes {mirage.no_superoptimize} {
  %xa = kernel.matmul %x, %a : tensor<2x256x64xf16>, tensor<2x64x64xf16>
  %e = kernel.exp %xa : tensor<2x256x64xf16>
  %y = kernel.matmul %e, %b : tensor<2x256x64xf16>, tensor<2x64x64xf16>
  return %y : tensor<2x256x64xf16>
}
