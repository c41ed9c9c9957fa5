// The search's memory budget (docs/Search.md, "Memory"): what the search
// would hold is bounded before anything is allocated. Over `memory-limit`
// with one thread, the function is left unchanged with a remark; over it
// with every thread but not with fewer, the search runs with fewer threads
// (the result does not depend on their number).

// RUN: mirage-opt %s --mirage-superoptimize='cache=false threads=2 memory-limit=1000000' \
// RUN:   -o %t.small.mlir 2>&1 | FileCheck %s --check-prefix=SMALL
// RUN: FileCheck %s --check-prefix=UNCHANGED --input-file=%t.small.mlir
// SMALL: remark: mirage-superoptimize: function left unchanged: too large to search: needs [[NEED:[0-9]+]] bytes ({{.*}}), limit 1000000 bytes (976.6 KiB) (option memory-limit)
// SMALL-NOT: remark
// UNCHANGED: func.func @exp_sum
// UNCHANGED-NEXT: kernel.exp
// UNCHANGED-NEXT: kernel.reduction
// UNCHANGED-NEXT: return

// strict: an error, and no output file.
// RUN: not mirage-opt %s --mirage-superoptimize='cache=false strict=true memory-limit=1000000' \
// RUN:   -o %t.strict.mlir 2>&1 | FileCheck %s --check-prefix=STRICT
// RUN: test ! -e %t.strict.mlir
// STRICT: error: mirage-superoptimize: too large to search: needs {{[0-9]+}} bytes

// The memo's budget alone is 32 MiB per thread: 50 MB is room for one
// thread, not two. The search runs (on one thread) and fuses the two ops.
// RUN: mirage-opt %s --mirage-superoptimize='cache=false threads=2 time-budget=60 memory-limit=50000000' \
// RUN:   -o %t.one.mlir 2>&1 | FileCheck %s --check-prefix=RAN
// RUN: FileCheck %s --check-prefix=FUSED --input-file=%t.one.mlir
// RAN-NOT: too large
// RAN: remark: mirage-superoptimize: {{[0-9]+}} states visited
// FUSED: kernel.graph_defined

// Two threads fit in 100 MB: the same result.
// RUN: mirage-opt %s --mirage-superoptimize='cache=false threads=2 time-budget=60 memory-limit=100000000' \
// RUN:   -o %t.two.mlir 2>&1 | FileCheck %s --check-prefix=RAN
// RUN: diff %t.one.mlir %t.two.mlir

func.func @exp_sum(%x: tensor<64x1024xf16>) -> tensor<64x1xf16> {
  %e = kernel.exp %x : tensor<64x1024xf16>
  %s = kernel.reduction %e dim 1 : tensor<64x1024xf16>
  return %s : tensor<64x1xf16>
}
