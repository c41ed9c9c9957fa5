// Multi-query attention at a small shape (Q 1x64x64, K 1x64x1024, V
// 1x1024x64; exp without max subtraction, as in Mirage's benchmark): the
// search must fuse the whole attention into one graph-defined kernel that
// loops over the keys, and the result must check against the input.
//
// Each block takes 32 queries (grid z) and 8 columns of V (grid y), and
// its for-loop runs over the 1024 keys in 4 chunks of 256: per chunk it
// computes exp(Q K), accumulates its row sums and the products with V, and
// divides once after the loop. Its grid comes from the block counts near
// DRAM-bandwidth saturation (docs/Search.md, "Launch candidates"); before
// those were candidates, the search found grid (1, 4, 4) with 16 queries
// and 16 columns of V per block, predicted 3.74 us. It is predicted faster (3.63 us) than the
// two-kernel split-KV flash decoding that this test used to expect (the
// structure of examples/ugraphs/mqa_flash_decoding.mlir), and the search
// reaches it without hints: its RUN line gives only size bounds and a time
// budget (docs/Search.md, "Directing the enumeration": programs of one
// kernel are all tried before any of two, launches cheapest first, and a
// last kernel on the inputs never splits the keys over its grid).
//
// RUN: mirage-opt %s --mirage-superoptimize='preset=attention threads=2 cache=false max-block-ops=10 time-budget=60' -o %t 2>&1 \
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
// CHECK-NEXT: %[[K1:.*]] = kernel.graph_defined (%arg0, %arg1, %arg2) grid [1, 8, 2] block [128, 1, 1] forloop 4
// CHECK: %[[Q:.*]] = block.loader %{{.*}} imap [-1, -1, 1] fmap -1
// CHECK: %[[K:.*]] = block.loader %{{.*}} imap [-1, -1, -1] fmap 2
// CHECK: %[[V:.*]] = block.loader %{{.*}} imap [-1, 2, -1] fmap 1
// CHECK: %[[S:.*]] = block.matmul %[[Q]], %[[K]]
// CHECK: %[[E:.*]] = block.exp %[[S]]
// CHECK: %[[ROWSUM:.*]] = block.accum sum %[[E]]
// CHECK: %[[EV:.*]] = block.matmul %[[E]], %[[V]]
// CHECK: %[[NUM:.*]] = block.accum none %[[EV]]
// CHECK: %[[O:.*]] = block.div %[[NUM]], %[[ROWSUM]]
// CHECK: block.saver %[[O]] omap [-1, 2, 1]
// CHECK: block.yield
// CHECK-NEXT: }
// CHECK-NEXT: return %[[K1]]
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
