// Scaled attention, softmax(Q K * 0.125) V, at a small shape: the search
// must find one graph-defined kernel with both matmuls, the scale (a
// mul_scalar by the reference's own constant, the only scale the search
// tries), exp, the row sums and the division, checked against the input.
// The search's size is bounded (one kernel op after the three inputs), not
// its answer: grids, maps and loop ranges are the built-in ones.
//
// RUN: mirage-opt %s --mirage-superoptimize='threads=2 max-kernel-ops=4 cache=false' -o %t 2>&1 \
// RUN:   | FileCheck %s --check-prefix=REMARK
// RUN: FileCheck %s < %t
// RUN: mirage-opt %t --mirage-check-equivalence='lhs=reference rhs=attention' -o /dev/null \
// RUN:   | FileCheck %s --check-prefix=EQUIV
// RUN: mirage-cpu-runner %t --entry=attention --input-scale=0.25 | FileCheck %s --check-prefix=CPU

// REMARK: remark: mirage-superoptimize: {{.*}} equivalent; {{.*}} s; predicted {{.*}} us -> {{.*}} us
// REMARK-NOT: time budget exhausted
// EQUIV: equivalent
// CPU: PASS

// CHECK-LABEL: func.func @attention
// CHECK-NEXT: kernel.graph_defined
// CHECK-DAG: block.mul_scalar %{{.*}}, 1.250000e-01
// CHECK-DAG: block.exp
// CHECK-DAG: block.accum sum
// CHECK: block.div
// CHECK: block.yield
// CHECK-NEXT: }
// CHECK-NEXT: return
func.func @attention(%q: tensor<16x32xf16>, %k: tensor<32x128xf16>,
                     %v: tensor<128x16xf16>) -> tensor<16x16xf16> {
  %s = kernel.matmul %q, %k : tensor<16x32xf16>, tensor<32x128xf16>
  %t = kernel.mul_scalar %s, 0.125 : tensor<16x128xf16>
  %e = kernel.exp %t : tensor<16x128xf16>
  %r = kernel.reduction %e dim 1 : tensor<16x128xf16>
  %p = kernel.div %e, %r : tensor<16x128xf16>, tensor<16x1xf16>
  %o = kernel.matmul %p, %v : tensor<16x128xf16>, tensor<128x16xf16>
  return %o : tensor<16x16xf16>
}

func.func @reference(%q: tensor<16x32xf16>, %k: tensor<32x128xf16>,
                     %v: tensor<128x16xf16>) -> tensor<16x16xf16>
    attributes {mirage.no_superoptimize} {
  %s = kernel.matmul %q, %k : tensor<16x32xf16>, tensor<32x128xf16>
  %t = kernel.mul_scalar %s, 0.125 : tensor<16x128xf16>
  %e = kernel.exp %t : tensor<16x128xf16>
  %r = kernel.reduction %e dim 1 : tensor<16x128xf16>
  %p = kernel.div %e, %r : tensor<16x128xf16>, tensor<16x1xf16>
  %o = kernel.matmul %p, %v : tensor<16x128xf16>, tensor<128x16xf16>
  return %o : tensor<16x16xf16>
}
