// The normalized-Transformer update, rms_norm(X + alpha * (rms_norm(H) + X)),
// at a small shape (8x256): the search must fuse the five kernels, both
// rms_norms included, into one graph-defined kernel in which each block
// takes whole rows (an rms_norm needs its row), checked against the input.
//
// The answer's grid gives each block a row, without a for-loop: a row fits
// in shared memory, and a loop would split the rows the norms need.
//
// The search reaches it without hints: the RUN line gives only size bounds
// and a time budget. The programs of one kernel are tried before any of
// two; among the launches, those that read least come first, the last
// kernel on the inputs never splits the rows that rms_norm reduces over,
// and its block search stops where the e-graph says the output is out of
// reach (docs/Search.md, "Directing the enumeration").
//
// RUN: mirage-opt %s --mirage-superoptimize='threads=2 cache=false max-block-ops=10 time-budget=60' -o %t 2>&1 \
// RUN:   | FileCheck %s --check-prefix=REMARK
// RUN: FileCheck %s < %t
// RUN: mirage-opt %t --mirage-check-equivalence='lhs=reference rhs=ntrans' -o /dev/null \
// RUN:   | FileCheck %s --check-prefix=EQUIV
// The μGraph found is lowered: on the CPU it computes what the interpreter
// computes, and it compiles to a PTX bundle.
// RUN: mirage-cpu-runner %t --entry=ntrans | FileCheck %s --check-prefix=CPU
// RUN: rm -rf %t.bundle && mirage-opt %t --mirage-to-ptx="chip=sm_90 output=%t.bundle" -o /dev/null
// RUN: test -s %t.bundle/ntrans.ptx && test -s %t.bundle/ntrans.json
// The bundle runs on the PTX emulator (docs/Emulator.md) and matches the
// interpreter on the kernel-level reference.
// RUN: mirage-opt %t --mirage-interpret='entry=reference seed=1 output-dir=%t.ref' -o /dev/null > /dev/null
// RUN: mirage-ptx-emu %t.bundle/ntrans.json --seed=1 --expected=%t.ref 2>&1 | FileCheck %s --check-prefix=EMU
// EMU-NOT: error:
// EMU: PASS
// Its numerics are within the reference program's against float64
// (test/Semantics/accumulation-error.test).
// RUN: %if numpy %{ %numpy_python %S/../Semantics/Inputs/accumulation_error.py mirage-opt ntrans \
// RUN:   %t:reference %t:ntrans %t.numerics | FileCheck %s --check-prefix=NUMERICS %}
// NUMERICS: ntrans: {{.*}}: within
// CPU: PASS

// REMARK: remark: mirage-superoptimize: {{.*}} equivalent; {{.*}} s; predicted {{.*}} us -> {{.*}} us
// REMARK-NOT: time budget exhausted
// EQUIV: equivalent

// CHECK-LABEL: func.func @ntrans
// CHECK-NEXT: kernel.graph_defined (%arg0, %arg1, %arg2) grid [8, 1, 1]
// CHECK: %[[H:.*]] = block.loader %{{.*}} imap [0, -1, -1]
// CHECK: %[[X:.*]] = block.loader %{{.*}} imap [0, -1, -1]
// CHECK: %[[ALPHA:.*]] = block.loader %{{.*}} imap [0, -1, -1]
// CHECK: %[[HN:.*]] = block.rms_norm %[[H]]
// CHECK: %[[SUM:.*]] = block.add %[[X]], %[[HN]]
// CHECK: %[[SCALED:.*]] = block.mul %[[ALPHA]], %[[SUM]]
// CHECK: %[[RES:.*]] = block.add %[[X]], %[[SCALED]]
// CHECK: %[[Y:.*]] = block.rms_norm %[[RES]]
// CHECK: block.accum none %[[Y]]
// CHECK: block.yield
// CHECK-NEXT: }
// CHECK-NEXT: return
// CHECK-LABEL: func.func @reference
func.func @ntrans(%h: tensor<8x256xf16>, %x: tensor<8x256xf16>,
                  %alpha: tensor<8x256xf16>) -> tensor<8x256xf16> {
  %hn = kernel.rms_norm %h over [256] : tensor<8x256xf16>
  %sum = kernel.add %hn, %x : tensor<8x256xf16>, tensor<8x256xf16>
  %scaled = kernel.mul %alpha, %sum : tensor<8x256xf16>, tensor<8x256xf16>
  %res = kernel.add %x, %scaled : tensor<8x256xf16>, tensor<8x256xf16>
  %y = kernel.rms_norm %res over [256] : tensor<8x256xf16>
  return %y : tensor<8x256xf16>
}

func.func @reference(%h: tensor<8x256xf16>, %x: tensor<8x256xf16>,
                     %alpha: tensor<8x256xf16>) -> tensor<8x256xf16>
    attributes {mirage.no_superoptimize} {
  %hn = kernel.rms_norm %h over [256] : tensor<8x256xf16>
  %sum = kernel.add %hn, %x : tensor<8x256xf16>, tensor<8x256xf16>
  %scaled = kernel.mul %alpha, %sum : tensor<8x256xf16>, tensor<8x256xf16>
  %res = kernel.add %x, %scaled : tensor<8x256xf16>, tensor<8x256xf16>
  %y = kernel.rms_norm %res over [256] : tensor<8x256xf16>
  return %y : tensor<8x256xf16>
}
