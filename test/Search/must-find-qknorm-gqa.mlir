// QKNorm group-query attention (examples/qknorm_gqa.mlir) at a small shape
// (Q 2x64x64, K 2x64x4096, V 2x4096x64: two KV heads; Q and V normalized
// over the head dimension, as in the benchmark): the search must find
// split-KV flash-decoding with both rms_norms fused into the first kernel,
// and the result must check against the input.
//
// Kernel 1 runs on grid (2, 16, 2): x takes a head, y one of 16 splits of
// the 4096 keys, z half of the queries. Its block graph has 12 ops: it
// normalizes the loaded Q and V tiles (block.rms_norm over the whole head
// dimension each tile holds), then computes exp(Qn K), its row sums and the
// partial products with Vn, as in must-find-gqa.mlir. Kernel 2, on grid
// (2, 2, 1), adds the partial sums, reduces the numerator splits with
// sum_to_dimx and divides.
//
// At 4096 keys a whole head of K or V (64 KB per 512 keys) does not fit in
// one block of the (2, 2, 1) grid, so the second kernel cannot restart from
// the raw K or V: at 1024 keys the same search takes about 4 times as long.
// No for-loop is needed, as in the MQA and GQA tests.
//
// The search found the fused flash decoding here only when its RUN line
// gave the answer's grids, imaps, omaps and forloop-ranges=1.
// Its RUN line now gives only size bounds and a time budget.
// XFAIL: *
// Not found unaided yet (issue 13, item 2). With the directed enumeration
// (docs/Search.md, "Directing the enumeration") the search verifies, in the
// first pass (one kernel), a one-kernel μGraph equivalent to the input
// (grid (2, 8, 1), for-loop 16 over the keys, both rms_norms in the block
// graph; predicted 20.96 us -> 10.34 us), but it does not finish within
// the budget: 4.4M states in 65 s on the loaded 2-core machine (18 s of CPU),
// so the remark says the budget ran out, and the two-kernel flash decoding
// this test checks for is not reached. What is missing: a tighter bound on
// the 12-op block graphs of the first kernel (the distance to the outputs
// leaves 3 spare ops here, and does not see which tile dimension a matmul
// contracts), and a cost bound that cuts two-kernel programs (two launches
// are predicted cheaper than the one-kernel μGraph found, so none is cut).
//
// RUN: mirage-opt %s --mirage-superoptimize='preset=attention threads=2 cache=false max-block-ops=12 time-budget=10' -o %t 2>&1 \
// RUN:   | FileCheck %s --check-prefix=REMARK
// RUN: FileCheck %s < %t
// RUN: mirage-opt %t --mirage-check-equivalence='lhs=reference rhs=qknorm_gqa' -o /dev/null \
// RUN:   | FileCheck %s --check-prefix=EQUIV
// The μGraph found is lowered: on the CPU it computes what the interpreter
// computes, and it compiles to a PTX bundle.
// RUN: mirage-cpu-runner %t --entry=qknorm_gqa --input-scale=0.25 --atol=1e-4 | FileCheck %s --check-prefix=CPU
// RUN: rm -rf %t.bundle && mirage-opt %t --mirage-to-ptx="chip=sm_90 output=%t.bundle" -o /dev/null
// RUN: test -s %t.bundle/qknorm_gqa.ptx && test -s %t.bundle/qknorm_gqa.json
// The bundle runs on the PTX emulator (docs/Emulator.md) and matches the
// interpreter on the kernel-level reference.
// RUN: mirage-opt %t --mirage-interpret='entry=reference seed=1 input-scale=0.25 output-dir=%t.ref' -o /dev/null > /dev/null
// RUN: mirage-ptx-emu %t.bundle/qknorm_gqa.json --seed=1 --input-scale=0.25 --atol=1e-4 --expected=%t.ref 2>&1 | FileCheck %s --check-prefix=EMU
// EMU-NOT: error:
// EMU: PASS
// Its numerics are within the reference program's against float64
// (test/Semantics/accumulation-error.test).
// RUN: %if numpy %{ %numpy_python %S/../Semantics/Inputs/accumulation_error.py mirage-opt qknorm_gqa \
// RUN:   %t:reference %t:qknorm_gqa %t.numerics | FileCheck %s --check-prefix=NUMERICS %}
// NUMERICS: qknorm_gqa: {{.*}}: within
// CPU: PASS

// REMARK: remark: mirage-superoptimize: {{.*}} equivalent; {{.*}} s; predicted {{.*}} us -> {{.*}} us
// REMARK-NOT: time budget exhausted
// EQUIV: equivalent

// CHECK-LABEL: func.func @qknorm_gqa
// CHECK-NEXT: %[[K1:.*]]:2 = kernel.graph_defined (%arg0, %arg1, %arg2) grid [2, 16, 2]
// CHECK: %[[Q:.*]] = block.loader %{{.*}} imap [0, -1, 1]
// CHECK: %[[K:.*]] = block.loader %{{.*}} imap [0, 2, -1]
// CHECK: %[[V:.*]] = block.loader %{{.*}} imap [0, 1, -1]
// CHECK: %[[QN:.*]] = block.rms_norm %[[Q]]
// CHECK: %[[VN:.*]] = block.rms_norm %[[V]]
// CHECK: %[[S:.*]] = block.matmul %[[QN]], %[[K]]
// CHECK: %[[E:.*]] = block.exp %[[S]]
// CHECK: %[[ROWSUM:.*]] = block.accum sum %[[E]]
// CHECK: %[[EV:.*]] = block.matmul %[[E]], %[[VN]]
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
func.func @qknorm_gqa(%q: tensor<2x64x64xf16>, %k: tensor<2x64x4096xf16>,
                      %v: tensor<2x4096x64xf16>) -> tensor<2x64x64xf16> {
  %qn = kernel.rms_norm %q over [64] : tensor<2x64x64xf16>
  %vn = kernel.rms_norm %v over [64] : tensor<2x4096x64xf16>
  %qk = kernel.matmul %qn, %k : tensor<2x64x64xf16>, tensor<2x64x4096xf16>
  %s = kernel.exp %qk : tensor<2x64x4096xf16>
  %sum = kernel.reduction %s dim 2 : tensor<2x64x4096xf16>
  %p = kernel.div %s, %sum : tensor<2x64x4096xf16>, tensor<2x64x1xf16>
  %o = kernel.matmul %p, %vn : tensor<2x64x4096xf16>, tensor<2x4096x64xf16>
  return %o : tensor<2x64x64xf16>
}

func.func @reference(%q: tensor<2x64x64xf16>, %k: tensor<2x64x4096xf16>,
                     %v: tensor<2x4096x64xf16>) -> tensor<2x64x64xf16>
    attributes {mirage.no_superoptimize} {
  %qn = kernel.rms_norm %q over [64] : tensor<2x64x64xf16>
  %vn = kernel.rms_norm %v over [64] : tensor<2x4096x64xf16>
  %qk = kernel.matmul %qn, %k : tensor<2x64x64xf16>, tensor<2x64x4096xf16>
  %s = kernel.exp %qk : tensor<2x64x4096xf16>
  %sum = kernel.reduction %s dim 2 : tensor<2x64x4096xf16>
  %p = kernel.div %s, %sum : tensor<2x64x4096xf16>, tensor<2x64x1xf16>
  %o = kernel.matmul %p, %vn : tensor<2x64x4096xf16>, tensor<2x4096x64xf16>
  return %o : tensor<2x64x64xf16>
}
