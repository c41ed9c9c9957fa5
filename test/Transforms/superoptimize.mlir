// The search fuses rms_norm(X) · W into one graph-defined kernel, the result
// is re-checked by the fingerprint checker against the untouched reference,
// and one thread and two give byte-identical output.
//
// RUN: mirage-opt %s --mirage-superoptimize='threads=1 max-kernel-ops=3 max-block-ops=7 cache=false' > %t.1
// RUN: mirage-opt %s --mirage-superoptimize='threads=2 max-kernel-ops=3 max-block-ops=7 cache=false' > %t.2
// RUN: diff %t.1 %t.2
// RUN: FileCheck %s < %t.1
// RUN: mirage-opt %t.1 --mirage-check-equivalence='lhs=reference rhs=rmsnorm_matmul' -o /dev/null \
// RUN:   | FileCheck %s --check-prefix=EQUIV
// The remark reports the search.
// RUN: mirage-opt %s --mirage-superoptimize='threads=2 max-kernel-ops=3 max-block-ops=7 cache=false stats-file=%t.json' \
// RUN:   -o /dev/null 2>&1 | FileCheck %s --check-prefix=REMARK
// RUN: FileCheck %s --check-prefix=STATS < %t.json

// EQUIV: equivalent

// REMARK: remark: mirage-superoptimize: {{[0-9]+}} states visited, pruned {{[0-9]+}} by abstract expressions, {{[0-9]+}} by shape, {{[0-9]+}} by shared memory, {{[0-9]+}} by canonical order, {{[0-9]+}} by cost; {{[0-9]+}} candidates verified, {{[1-9][0-9]*}} equivalent; {{.*}} s; predicted {{.*}} us -> {{.*}} us ({{.*}}x)

// STATS: "budget_exhausted": false
// STATS: "candidates_found": {{[1-9]}}
// STATS: "function": "rmsnorm_matmul"

// CHECK-LABEL: func.func @reference
// CHECK: kernel.rms_norm
// CHECK: kernel.matmul
func.func @reference(%x: tensor<2x256xf16>, %w: tensor<256x384xf16>)
    -> tensor<2x384xf16> attributes {mirage.no_superoptimize} {
  %n = kernel.rms_norm %x over [256] : tensor<2x256xf16>
  %y = kernel.matmul %n, %w : tensor<2x256xf16>, tensor<256x384xf16>
  return %y : tensor<2x384xf16>
}

// CHECK-LABEL: func.func @rmsnorm_matmul
// CHECK-NEXT: kernel.graph_defined
// CHECK: block.loader
// CHECK: block.loader
// CHECK: block.saver
// CHECK-NEXT: block.yield
// CHECK-NEXT: }
// CHECK-NEXT: return
// CHECK-NOT: kernel.matmul
func.func @rmsnorm_matmul(%x: tensor<2x256xf16>, %w: tensor<256x384xf16>)
    -> tensor<2x384xf16> {
  %n = kernel.rms_norm %x over [256] : tensor<2x256xf16>
  %y = kernel.matmul %n, %w : tensor<2x256xf16>, tensor<256x384xf16>
  return %y : tensor<2x384xf16>
}
