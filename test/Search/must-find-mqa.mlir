// Multi-query attention at a small shape (Q 1x64x64, K 1x64x1024, V
// 1x1024x64; exp without max subtraction, as in Mirage's benchmark): the
// search must find split-KV flash-decoding, the structure of
// examples/ugraphs/mqa_flash_decoding.mlir, and the result must check
// against the input.
//
// Kernel 1 splits the 1024 keys over grid y (4 splits of 256) and the queries
// over grid z; per block it computes exp(Q K), its row sums and the partial
// products with V. Kernel 2 adds the partial sums, reduces the 4 numerator
// splits with sum_to_dimx and divides. At this shape each split fits in
// shared memory (no for-loop is needed).
//
// The search found split-KV flash decoding here only when its RUN line gave
// the answer's grids, imaps, omaps and forloop-ranges=1.
// Its RUN line now gives only size bounds and a time budget.
// XFAIL: *
// Not found unaided yet (issue 13, item 2). Without the hints, in 60 s the
// search verifies another program (kernel.matmul for Q K, then one kernel
// on grid (1, 4, 8) for the softmax and the product with V; predicted
// 12.86 us -> 5.55 us, equivalent) but not flash decoding: its grids,
// (1, 4, 2) and (1, 2, 1), 8 and 2 blocks, are not among the launch
// candidates at this shape (docs/Search.md, "Launch candidates": per
// extent the three block counts of best wave efficiency, and one index
// per block), which on 132 SMs favour 128 to 512 blocks. At the real shape
// (examples/mqa.mlir) the worked μGraph's (1, 8, 16) is a candidate. What
// is missing: directing the enumeration by what the saturated e-graph of
// the reference needs, ordering by predicted cost, and a search at the
// real shape within the test's time.
//
// RUN: mirage-opt %s --mirage-superoptimize='preset=attention threads=2 cache=false max-block-ops=10 time-budget=10' -o %t 2>&1 \
// RUN:   | FileCheck %s --check-prefix=REMARK
// RUN: FileCheck %s < %t
// RUN: mirage-opt %t --mirage-check-equivalence='lhs=reference rhs=mqa' -o /dev/null \
// RUN:   | FileCheck %s --check-prefix=EQUIV
// The μGraph found is lowered: on the CPU it computes what the interpreter
// computes, and it compiles to a PTX bundle.
// RUN: mirage-cpu-runner %t --entry=mqa --input-scale=0.25 --atol=1e-4 | FileCheck %s --check-prefix=CPU
// RUN: rm -rf %t.bundle && mirage-opt %t --mirage-to-ptx="chip=sm_90 output=%t.bundle" -o /dev/null
// RUN: test -s %t.bundle/mqa.ptx && test -s %t.bundle/mqa.json
// The bundle runs on the PTX emulator (docs/Emulator.md) and matches the
// interpreter on the kernel-level reference.
// RUN: mirage-opt %t --mirage-interpret='entry=reference seed=1 input-scale=0.25 output-dir=%t.ref' -o /dev/null > /dev/null
// RUN: mirage-ptx-emu %t.bundle/mqa.json --seed=1 --input-scale=0.25 --atol=1e-4 --expected=%t.ref 2>&1 | FileCheck %s --check-prefix=EMU
// EMU-NOT: error:
// EMU: PASS
// Its numerics are within the reference program's against float64
// (test/Semantics/accumulation-error.test).
// RUN: %if numpy %{ %numpy_python %S/../Semantics/Inputs/accumulation_error.py mirage-opt mqa \
// RUN:   %t:reference %t:mqa %t.numerics | FileCheck %s --check-prefix=NUMERICS %}
// NUMERICS: mqa: {{.*}}: within
// CPU: PASS

// REMARK: remark: mirage-superoptimize: {{.*}} equivalent; {{.*}} s; predicted {{.*}} us -> {{.*}} us
// REMARK-NOT: time budget exhausted
// EQUIV: equivalent

// CHECK-LABEL: func.func @mqa
// CHECK-NEXT: %[[K1:.*]]:2 = kernel.graph_defined (%arg0, %arg1, %arg2) grid [1, 4, 2]
// CHECK: %[[Q:.*]] = block.loader %{{.*}} imap [-1, -1, 1]
// CHECK: %[[K:.*]] = block.loader %{{.*}} imap [-1, 2, -1]
// CHECK: %[[V:.*]] = block.loader %{{.*}} imap [-1, 1, -1]
// CHECK: %[[S:.*]] = block.matmul %[[Q]], %[[K]]
// CHECK: %[[E:.*]] = block.exp %[[S]]
// CHECK: %[[ROWSUM:.*]] = block.accum sum %[[E]]
// CHECK: %[[EV:.*]] = block.matmul %[[E]], %[[V]]
// CHECK: %[[NUM:.*]] = block.accum none %[[EV]]
// CHECK: block.saver %[[ROWSUM]] omap [-1, 2, 1]
// CHECK: block.saver %[[NUM]] omap [-1, 2, 1]
// CHECK: kernel.graph_defined (%[[K1]]#0, %[[K1]]#1) grid [1, 2, 1]
// CHECK: %[[SUMS:.*]] = block.loader
// CHECK: %[[NUMS:.*]] = block.loader
// CHECK: %[[TOTAL:.*]] = block.accum sum %[[SUMS]]
// CHECK: %[[COMBINED:.*]] = block.accum sum_to_dimx %[[NUMS]]
// CHECK: block.div %[[COMBINED]], %[[TOTAL]]
// CHECK: block.yield
// CHECK-NEXT: }
// CHECK-NEXT: return
// CHECK-LABEL: func.func @reference
func.func @mqa(%q: tensor<1x64x64xf16>, %k: tensor<1x64x1024xf16>,
               %v: tensor<1x1024x64xf16>) -> tensor<1x64x64xf16> {
  %qk = kernel.matmul %q, %k : tensor<1x64x64xf16>, tensor<1x64x1024xf16>
  %s = kernel.exp %qk : tensor<1x64x1024xf16>
  %sum = kernel.reduction %s dim 2 : tensor<1x64x1024xf16>
  %p = kernel.div %s, %sum : tensor<1x64x1024xf16>, tensor<1x64x1xf16>
  %o = kernel.matmul %p, %v : tensor<1x64x1024xf16>, tensor<1x1024x64xf16>
  return %o : tensor<1x64x64xf16>
}

func.func @reference(%q: tensor<1x64x64xf16>, %k: tensor<1x64x1024xf16>,
                     %v: tensor<1x1024x64xf16>) -> tensor<1x64x64xf16>
    attributes {mirage.no_superoptimize} {
  %qk = kernel.matmul %q, %k : tensor<1x64x64xf16>, tensor<1x64x1024xf16>
  %s = kernel.exp %qk : tensor<1x64x1024xf16>
  %sum = kernel.reduction %s dim 2 : tensor<1x64x1024xf16>
  %p = kernel.div %s, %sum : tensor<1x64x1024xf16>, tensor<1x64x1xf16>
  %o = kernel.matmul %p, %v : tensor<1x64x1024xf16>, tensor<1x1024x64xf16>
  return %o : tensor<1x64x64xf16>
}
