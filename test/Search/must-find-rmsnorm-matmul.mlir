// RMSNorm+MatMul at its real shape (X 2x4096, W 4096x6144) with Mirage's
// limits: the search must find one graph-defined kernel whose for-loop
// accumulates the RMS of X and the partial products together, with the
// division after the loop, and the result must check against the input.
//
// RUN: mirage-opt %s --mirage-superoptimize='threads=2 cache=false' -o %t 2>&1 \
// RUN:   | FileCheck %s --check-prefix=REMARK
// RUN: FileCheck %s < %t
// RUN: mirage-opt %t --mirage-check-equivalence='lhs=reference rhs=rmsnorm_matmul' -o /dev/null \
// RUN:   | FileCheck %s --check-prefix=EQUIV
// The μGraph found is lowered: on the CPU it computes what the interpreter
// computes, and it compiles to a PTX bundle.
// RUN: mirage-cpu-runner %t --entry=rmsnorm_matmul | FileCheck %s --check-prefix=CPU
// RUN: rm -rf %t.bundle && mirage-opt %t --mirage-to-ptx="chip=sm_90 output=%t.bundle" -o /dev/null
// RUN: test -s %t.bundle/rmsnorm_matmul.ptx && test -s %t.bundle/rmsnorm_matmul.json
// The bundle runs on the PTX emulator (docs/Emulator.md) and matches the
// interpreter on the kernel-level reference.
// RUN: mirage-opt %t --mirage-interpret='entry=reference seed=1 output-dir=%t.ref' -o /dev/null > /dev/null
// RUN: mirage-ptx-emu %t.bundle/rmsnorm_matmul.json --seed=1 --expected=%t.ref 2>&1 | FileCheck %s --check-prefix=EMU
// EMU-NOT: error:
// EMU: PASS
// Its numerics are within the reference program's against float64
// (test/Semantics/accumulation-error.test).
// RUN: %if numpy %{ %numpy_python %S/../Semantics/Inputs/accumulation_error.py mirage-opt rmsnorm_matmul \
// RUN:   %t:reference %t:rmsnorm_matmul %t.numerics | FileCheck %s --check-prefix=NUMERICS %}
// NUMERICS: rmsnorm_matmul: {{.*}}: within
// CPU: PASS

// REMARK: remark: mirage-superoptimize: {{.*}} equivalent; {{.*}} s; predicted {{.*}} us -> {{.*}} us
// REMARK-NOT: time budget exhausted
// EQUIV: equivalent

// CHECK-LABEL: func.func @rmsnorm_matmul
// CHECK-NEXT: kernel.graph_defined
// CHECK-SAME: forloop
// CHECK: %[[X:.*]] = block.loader %{{.*}} imap [-1, -1, -1] fmap 1
// CHECK: %[[W:.*]] = block.loader %{{.*}} imap [1, -1, -1] fmap 0
// CHECK: %[[RMS:.*]] = block.accum rms %[[X]]
// CHECK: %[[MM:.*]] = block.matmul %[[X]], %[[W]]
// CHECK: %[[ACC:.*]] = block.accum none %[[MM]]
// CHECK: %[[OUT:.*]] = block.div %[[ACC]], %[[RMS]]
// CHECK: block.saver %[[OUT]] omap [1, -1, -1]
// CHECK-NOT: kernel.matmul
// CHECK-NOT: kernel.rms_norm
// CHECK-LABEL: func.func @reference
func.func @rmsnorm_matmul(%x: tensor<2x4096xf16>, %w: tensor<4096x6144xf16>)
    -> tensor<2x6144xf16> {
  %n = kernel.rms_norm %x over [4096] : tensor<2x4096xf16>
  %y = kernel.matmul %n, %w : tensor<2x4096xf16>, tensor<4096x6144xf16>
  return %y : tensor<2x6144xf16>
}

func.func @reference(%x: tensor<2x4096xf16>, %w: tensor<4096x6144xf16>)
    -> tensor<2x6144xf16> attributes {mirage.no_superoptimize} {
  %n = kernel.rms_norm %x over [4096] : tensor<2x4096xf16>
  %y = kernel.matmul %n, %w : tensor<2x4096xf16>, tensor<4096x6144xf16>
  return %y : tensor<2x6144xf16>
}
