// QKNorm group-query attention (examples/qknorm_gqa.mlir) at a small shape
// (Q 2x64x64, K 2x64x4096, V 2x4096x64: two KV heads; Q and V normalized
// over the head dimension, as in the benchmark): the search must find, with
// size bounds and a time budget only (no grids, imaps, omaps or for-loop
// ranges), one kernel that fuses both rms_norms into the attention, and the
// result must check against the input.
//
// What it finds: one graph-defined kernel on grid (2, 8, 1): x takes a
// head, y 8 rows of the 64 queries; a for-loop of 16 iterations runs over
// the 4096 keys, 256 at a time. Its block graph has 12 ops, the default
// max-block-ops derived from the program (3 loaders, one op per reference
// op, an accumulator and a saver per output; docs/Search.md, "Bounds that
// cut the tree"): it normalizes the loaded Q and V tiles (block.rms_norm
// over the whole head dimension each tile holds), computes exp(Qn K), sums
// it over the loop (the row sums of the softmax) and accumulates its
// product with Vn, and divides once after the loop. Predicted 20.96 us ->
// 10.34 us.
//
// `max-kernel-ops=4` (one kernel op besides the three inputs) is the size
// bound: the first pass, the one-kernel programs, finishes in about 3 s on
// the loaded 2-core machine (about 14,000 states). The second pass (a
// pre-defined op and a graph-defined kernel) does not finish within 60 s
// yet (docs/Search.md, "QKNorm-GQA"), so with the default max-kernel-ops
// the result would be whatever the budget reached. Before, this test handed the search the two-kernel
// split-KV flash decoding's grids, imaps, omaps and forloop-ranges=1 (with
// preset=attention), and without them it was marked as an expected
// failure: the one-kernel fusion needs 12 block ops, one more than the old
// default of 11.
//
// RUN: mirage-opt %s --mirage-superoptimize='threads=2 cache=false max-kernel-ops=4 time-budget=120' -o %t 2>&1 \
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

// REMARK: remark: mirage-superoptimize: {{.*}} equivalent; max-block-ops=12; {{.*}} s; predicted {{.*}} us -> {{.*}} us
// REMARK-NOT: time budget exhausted
// EQUIV: equivalent

// CHECK-LABEL: func.func @qknorm_gqa
// CHECK-NEXT: %[[O:.*]] = kernel.graph_defined (%arg0, %arg1, %arg2) grid [2, 8, 1] block [128, 1, 1] forloop 16
// CHECK: %[[Q:.*]] = block.loader %{{.*}} imap [0, 1, -1] fmap -1
// CHECK: %[[K:.*]] = block.loader %{{.*}} imap [0, -1, -1] fmap 2
// CHECK: %[[V:.*]] = block.loader %{{.*}} imap [0, -1, -1] fmap 1
// CHECK: %[[QN:.*]] = block.rms_norm %[[Q]]
// CHECK: %[[VN:.*]] = block.rms_norm %[[V]]
// CHECK: %[[S:.*]] = block.matmul %[[QN]], %[[K]]
// CHECK: %[[E:.*]] = block.exp %[[S]]
// CHECK: %[[ROWSUM:.*]] = block.accum sum %[[E]]
// CHECK: %[[EV:.*]] = block.matmul %[[E]], %[[VN]]
// CHECK: %[[NUM:.*]] = block.accum none %[[EV]]
// CHECK: %[[OUT:.*]] = block.div %[[NUM]], %[[ROWSUM]]
// CHECK: block.saver %[[OUT]] omap [0, 1, -1]
// CHECK: block.yield
// CHECK-NEXT: }
// CHECK-NEXT: return %[[O]]
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
