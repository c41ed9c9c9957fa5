// Group-query attention at a small shape (Q 2x64x64, K 2x64x1024, V
// 2x1024x64: two KV heads, exp without max subtraction): the search must find
// split-KV flash-decoding with grid x over the heads, the structure of
// Mirage's gqa_bs1 graph 0, and the result must check against the input.
//
// Kernel 1 runs on grid (2, 4, 2): x takes a head, y one of 4 splits of the
// 1024 keys, z half of the queries; per block it computes exp(Q K), its row
// sums and the partial products with V. Kernel 2, on grid (2, 2, 1), adds
// the partial sums, reduces the numerator splits with sum_to_dimx and
// divides. As in must-find-mqa.mlir, each split fits in shared memory at
// this shape (no for-loop is needed).
//
// The search found split-KV flash decoding here only when its RUN line gave
// the answer's grids, imaps, omaps and forloop-ranges=1.
// Its RUN line now gives only size bounds and a time budget.
// XFAIL: *
// Not found unaided yet (issue 13, item 2). Without the hints, in 60 s the
// search verifies another program (predicted 13.21 us -> 5.79 us, grid
// (2, 4, 4), equivalent) but not flash decoding, whose grids (2, 4, 2) and
// (2, 2, 1) are not launch candidates at this shape; see
// must-find-mqa.mlir.
//
// RUN: mirage-opt %s --mirage-superoptimize='preset=attention threads=2 cache=false max-block-ops=10 time-budget=10' -o %t 2>&1 \
// RUN:   | FileCheck %s --check-prefix=REMARK
// RUN: FileCheck %s < %t
// RUN: mirage-opt %t --mirage-check-equivalence='lhs=reference rhs=gqa' -o /dev/null \
// RUN:   | FileCheck %s --check-prefix=EQUIV
// The μGraph found is lowered: on the CPU it computes what the interpreter
// computes, and it compiles to a PTX bundle.
// RUN: mirage-cpu-runner %t --entry=gqa --input-scale=0.25 --atol=1e-4 | FileCheck %s --check-prefix=CPU
// RUN: rm -rf %t.bundle && mirage-opt %t --mirage-to-ptx="chip=sm_90 output=%t.bundle" -o /dev/null
// RUN: test -s %t.bundle/gqa.ptx && test -s %t.bundle/gqa.json
// The bundle runs on the PTX emulator (docs/Emulator.md) and matches the
// interpreter on the kernel-level reference.
// RUN: mirage-opt %t --mirage-interpret='entry=reference seed=1 input-scale=0.25 output-dir=%t.ref' -o /dev/null > /dev/null
// RUN: mirage-ptx-emu %t.bundle/gqa.json --seed=1 --input-scale=0.25 --atol=1e-4 --expected=%t.ref 2>&1 | FileCheck %s --check-prefix=EMU
// EMU-NOT: error:
// EMU: PASS
// Its numerics are within the reference program's against float64
// (test/Semantics/accumulation-error.test).
// RUN: %if numpy %{ %numpy_python %S/../Semantics/Inputs/accumulation_error.py mirage-opt gqa \
// RUN:   %t:reference %t:gqa %t.numerics | FileCheck %s --check-prefix=NUMERICS %}
// NUMERICS: gqa: {{.*}}: within
// CPU: PASS

// REMARK: remark: mirage-superoptimize: {{.*}} equivalent; {{.*}} s; predicted {{.*}} us -> {{.*}} us
// REMARK-NOT: time budget exhausted
// EQUIV: equivalent

// CHECK-LABEL: func.func @gqa
// CHECK-NEXT: %[[K1:.*]]:2 = kernel.graph_defined (%arg0, %arg1, %arg2) grid [2, 4, 2]
// CHECK: %[[Q:.*]] = block.loader %{{.*}} imap [0, -1, 1]
// CHECK: %[[K:.*]] = block.loader %{{.*}} imap [0, 2, -1]
// CHECK: %[[V:.*]] = block.loader %{{.*}} imap [0, 1, -1]
// CHECK: %[[S:.*]] = block.matmul %[[Q]], %[[K]]
// CHECK: %[[E:.*]] = block.exp %[[S]]
// CHECK: %[[ROWSUM:.*]] = block.accum sum %[[E]]
// CHECK: %[[EV:.*]] = block.matmul %[[E]], %[[V]]
// CHECK: %[[NUM:.*]] = block.accum none %[[EV]]
// CHECK: block.saver %[[ROWSUM]] omap [0, 2, 1]
// CHECK: block.saver %[[NUM]] omap [0, 2, 1]
// CHECK: kernel.graph_defined (%[[K1]]#0, %[[K1]]#1) grid [2, 2, 1]
// CHECK: %[[SUMS:.*]] = block.loader
// CHECK: %[[NUMS:.*]] = block.loader
// CHECK: %[[TOTAL:.*]] = block.accum sum %[[SUMS]]
// CHECK: %[[COMBINED:.*]] = block.accum sum_to_dimx %[[NUMS]]
// CHECK: block.div %[[COMBINED]], %[[TOTAL]]
// CHECK: block.yield
// CHECK-NEXT: }
// CHECK-NEXT: return
// CHECK-LABEL: func.func @reference
func.func @gqa(%q: tensor<2x64x64xf16>, %k: tensor<2x64x1024xf16>,
               %v: tensor<2x1024x64xf16>) -> tensor<2x64x64xf16> {
  %qk = kernel.matmul %q, %k : tensor<2x64x64xf16>, tensor<2x64x1024xf16>
  %s = kernel.exp %qk : tensor<2x64x1024xf16>
  %sum = kernel.reduction %s dim 2 : tensor<2x64x1024xf16>
  %p = kernel.div %s, %sum : tensor<2x64x1024xf16>, tensor<2x64x1xf16>
  %o = kernel.matmul %p, %v : tensor<2x64x1024xf16>, tensor<2x1024x64xf16>
  return %o : tensor<2x64x64xf16>
}

func.func @reference(%q: tensor<2x64x64xf16>, %k: tensor<2x64x1024xf16>,
                     %v: tensor<2x1024x64xf16>) -> tensor<2x64x64xf16>
    attributes {mirage.no_superoptimize} {
  %qk = kernel.matmul %q, %k : tensor<2x64x64xf16>, tensor<2x64x1024xf16>
  %s = kernel.exp %qk : tensor<2x64x1024xf16>
  %sum = kernel.reduction %s dim 2 : tensor<2x64x1024xf16>
  %p = kernel.div %s, %sum : tensor<2x64x1024xf16>, tensor<2x64x1xf16>
  %o = kernel.matmul %p, %v : tensor<2x64x1024xf16>, tensor<2x1024x64xf16>
  return %o : tensor<2x64x64xf16>
}
