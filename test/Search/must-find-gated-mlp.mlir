// GatedMLP, silu(X W1) * (X W2), at a small shape: the search must find one
// graph-defined kernel with both matmuls, silu and the product, checked
// against the input.
//
// RUN: mirage-opt %s --mirage-superoptimize='threads=2 max-block-ops=10 cache=false' -o %t 2>/dev/null
// RUN: FileCheck %s < %t
// RUN: mirage-opt %t --mirage-check-equivalence='lhs=reference rhs=gated_mlp' -o /dev/null \
// RUN:   | FileCheck %s --check-prefix=EQUIV
// The μGraph found is lowered: on the CPU it computes what the interpreter
// computes, and it compiles to a PTX bundle.
// RUN: mirage-cpu-runner %t --entry=gated_mlp --input-scale=0.25 | FileCheck %s --check-prefix=CPU
// RUN: rm -rf %t.bundle && mirage-opt %t --mirage-to-ptx="chip=sm_90 output=%t.bundle" -o /dev/null
// RUN: test -s %t.bundle/gated_mlp.ptx && test -s %t.bundle/gated_mlp.json
// The bundle runs on the PTX emulator (docs/Emulator.md) and matches the
// interpreter on the kernel-level reference.
// RUN: mirage-opt %t --mirage-interpret='entry=reference seed=1 input-scale=0.25 output-dir=%t.ref' -o /dev/null > /dev/null
// RUN: mirage-ptx-emu %t.bundle/gated_mlp.json --seed=1 --input-scale=0.25 --expected=%t.ref 2>&1 | FileCheck %s --check-prefix=EMU
// EMU-NOT: error:
// EMU: PASS
// Its numerics are within the reference program's against float64
// (test/Semantics/accumulation-error.test).
// RUN: %if numpy %{ %numpy_python %S/../Semantics/Inputs/accumulation_error.py mirage-opt gated_mlp \
// RUN:   %t:reference %t:gated_mlp %t.numerics | FileCheck %s --check-prefix=NUMERICS %}
// NUMERICS: gated_mlp: {{.*}}: within
// CPU: PASS

// EQUIV: equivalent

// CHECK-LABEL: func.func @gated_mlp
// CHECK-NEXT: kernel.graph_defined
// CHECK-DAG: block.matmul
// CHECK-DAG: block.matmul
// CHECK-DAG: block.silu
// CHECK-DAG: block.mul
// CHECK: block.yield
// CHECK-NEXT: }
// CHECK-NEXT: return
func.func @gated_mlp(%x: tensor<8x64xf16>, %w1: tensor<64x128xf16>,
                     %w2: tensor<64x128xf16>) -> tensor<8x128xf16> {
  %a = kernel.matmul %x, %w1 : tensor<8x64xf16>, tensor<64x128xf16>
  %s = kernel.silu %a : tensor<8x128xf16>
  %b = kernel.matmul %x, %w2 : tensor<8x64xf16>, tensor<64x128xf16>
  %y = kernel.mul %s, %b : tensor<8x128xf16>, tensor<8x128xf16>
  return %y : tensor<8x128xf16>
}

func.func @reference(%x: tensor<8x64xf16>, %w1: tensor<64x128xf16>,
                     %w2: tensor<64x128xf16>) -> tensor<8x128xf16>
    attributes {mirage.no_superoptimize} {
  %a = kernel.matmul %x, %w1 : tensor<8x64xf16>, tensor<64x128xf16>
  %s = kernel.silu %a : tensor<8x128xf16>
  %b = kernel.matmul %x, %w2 : tensor<8x64xf16>, tensor<64x128xf16>
  %y = kernel.mul %s, %b : tensor<8x128xf16>, tensor<8x128xf16>
  return %y : tensor<8x128xf16>
}
