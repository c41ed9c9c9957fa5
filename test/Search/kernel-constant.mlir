// Programs with kernel.constant on the reference side of the search: the
// constant's abstract expression is the constant (a product with it is the
// product by mul_scalar's factor), and the search peels constants like
// inputs and puts them back in front of what it finds.
//
// RUN: mirage-opt %s --mirage-print-abstract-exprs -o /dev/null | FileCheck %s
// RUN: mirage-opt %s --mirage-superoptimize='threads=1 max-kernel-ops=4 max-block-ops=8 cache=false' \
// RUN:   -o %t.mlir 2>&1 | FileCheck %s --check-prefix=SEARCH
// RUN: FileCheck %s --check-prefix=FOUND --input-file=%t.mlir
// What it found runs on the CPU (the default schedule turns the loader of
// the constant into a block.constant) and matches the interpreter.
// RUN: mirage-opt --mirage-default-schedules %t.mlir | FileCheck %s --check-prefix=SCHED
// RUN: mirage-cpu-runner %t.mlir --entry=scaled | FileCheck %s --check-prefix=CPU --implicit-check-not=FAIL

// CHECK-LABEL: abstract_exprs @scaled target @scaled
// CHECK-NEXT:    %0 = v0 : pass
// CHECK-NEXT:    %1 = v1 : pass
// CHECK-NEXT:    %2 = sum(64, v0 * v1) : pass
// CHECK-NEXT:    %3 = 0.5 : pass
// CHECK-NEXT:    %4 = sum(64, v0 * v1) * 0.5 : pass

// SEARCH: remark: mirage-superoptimize: {{.*}} candidates verified, {{[1-9][0-9]*}} equivalent; {{.*}} -> {{.*}} us ({{.*}}x)
// FOUND-LABEL: func.func @scaled
// FOUND-NEXT:    %[[C:.*]] = kernel.constant dense<5.000000e-01> : tensor<1x1xf16>
// FOUND-NEXT:    kernel.graph_defined (%arg0, %arg1, %[[C]])
// FOUND:         block.matmul
// FOUND-NOT:     kernel.
// FOUND:         return
// SCHED:         kernel.graph_defined (%arg0, %arg1) grid
// SCHED:         block.constant 5.000000e-01 : !block.tile<1x1xf16, pre>
// SCHED-NOT:     kernel.constant
// CPU: output 0: tensor<16x64xf16>: 0 of 1024 outside
// CPU-NEXT: PASS
func.func @scaled(%x: tensor<16x64xf16>, %w: tensor<64x64xf16>) -> tensor<16x64xf16> {
  %m = kernel.matmul %x, %w : tensor<16x64xf16>, tensor<64x64xf16>
  %c = kernel.constant dense<0.5> : tensor<1x1xf16>
  %y = kernel.mul %m, %c : tensor<16x64xf16>, tensor<1x1xf16>
  return %y : tensor<16x64xf16>
}
