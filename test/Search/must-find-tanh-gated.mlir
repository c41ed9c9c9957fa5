// A tanh-gated layer, tanh(X W1) * (X W2), at a small shape with default
// options: the search must find one graph-defined kernel with both
// matmuls, tanh (searched since it is in the vocabulary's searched list)
// and the product, checked against the input.
//
// RUN: mirage-opt %s --mirage-superoptimize='threads=2 cache=false' -o %t 2>&1 \
// RUN:   | FileCheck %s --check-prefix=REMARK
// RUN: FileCheck %s < %t
// RUN: mirage-opt %t --mirage-check-equivalence='lhs=reference rhs=tanh_gated' -o /dev/null \
// RUN:   | FileCheck %s --check-prefix=EQUIV
// RUN: mirage-cpu-runner %t --entry=tanh_gated --input-scale=0.25 | FileCheck %s --check-prefix=CPU

// REMARK: remark: mirage-superoptimize: {{.*}} equivalent; {{.*}} s; predicted {{.*}} us -> {{.*}} us
// REMARK-NOT: time budget exhausted
// EQUIV: equivalent
// CPU: PASS

// CHECK-LABEL: func.func @tanh_gated
// CHECK-NEXT: kernel.graph_defined
// CHECK-DAG: block.matmul
// CHECK-DAG: block.tanh
// CHECK: block.mul
// CHECK: block.yield
// CHECK-NEXT: }
// CHECK-NEXT: return
func.func @tanh_gated(%x: tensor<16x64xf16>, %w1: tensor<64x256xf16>,
                      %w2: tensor<64x256xf16>) -> tensor<16x256xf16> {
  %a = kernel.matmul %x, %w1 : tensor<16x64xf16>, tensor<64x256xf16>
  %t = kernel.tanh %a : tensor<16x256xf16>
  %b = kernel.matmul %x, %w2 : tensor<16x64xf16>, tensor<64x256xf16>
  %y = kernel.mul %t, %b : tensor<16x256xf16>, tensor<16x256xf16>
  return %y : tensor<16x256xf16>
}

func.func @reference(%x: tensor<16x64xf16>, %w1: tensor<64x256xf16>,
                     %w2: tensor<64x256xf16>) -> tensor<16x256xf16>
    attributes {mirage.no_superoptimize} {
  %a = kernel.matmul %x, %w1 : tensor<16x64xf16>, tensor<64x256xf16>
  %t = kernel.tanh %a : tensor<16x256xf16>
  %b = kernel.matmul %x, %w2 : tensor<16x64xf16>, tensor<64x256xf16>
  %y = kernel.mul %t, %b : tensor<16x256xf16>, tensor<16x256xf16>
  return %y : tensor<16x256xf16>
}
