// LoRA, X W + (X A) B, at a small shape with the `lora` preset: the search
// must put the three matmuls in one graph-defined kernel, the LoRA product
// as concat_matmul ([X | X A] x [W ; B]), checked against the input.
//
// RUN: mirage-opt %s --mirage-superoptimize='threads=2 preset=lora max-block-ops=8 cache=false' -o %t 2>/dev/null
// RUN: FileCheck %s < %t
// RUN: mirage-opt %t --mirage-check-equivalence='lhs=reference rhs=lora' -o /dev/null \
// RUN:   | FileCheck %s --check-prefix=EQUIV
// The μGraph found is lowered: on the CPU it computes what the interpreter
// computes, and it compiles to a PTX bundle.
// RUN: mirage-cpu-runner %t --entry=lora | FileCheck %s --check-prefix=CPU
// RUN: rm -rf %t.bundle && mirage-opt %t --mirage-to-ptx="chip=sm_90 output=%t.bundle" -o /dev/null
// RUN: test -s %t.bundle/lora.ptx && test -s %t.bundle/lora.json
// The bundle runs on the PTX emulator (docs/Emulator.md) and matches the
// interpreter on the kernel-level reference.
// RUN: mirage-opt %t --mirage-interpret='entry=reference seed=1 output-dir=%t.ref' -o /dev/null > /dev/null
// RUN: mirage-ptx-emu %t.bundle/lora.json --seed=1 --expected=%t.ref 2>&1 | FileCheck %s --check-prefix=EMU
// EMU-NOT: error:
// EMU: PASS
// Its numerics are within the reference program's against float64
// (test/Semantics/accumulation-error.test).
// RUN: %if numpy %{ %numpy_python %S/../Semantics/Inputs/accumulation_error.py mirage-opt lora \
// RUN:   %t:reference %t:lora %t.numerics | FileCheck %s --check-prefix=NUMERICS %}
// NUMERICS: lora: {{.*}}: within
// CPU: PASS

// EQUIV: equivalent

// CHECK-LABEL: func.func @lora
// CHECK-NEXT: kernel.graph_defined
// CHECK: %[[XA:.*]] = block.matmul
// CHECK: block.concat_matmul %{{.*}}, %[[XA]], %{{.*}}, %{{.*}}
// CHECK: block.accum none
// CHECK: block.yield
// CHECK-NEXT: }
// CHECK-NEXT: return
func.func @lora(%x: tensor<16x64xf16>, %w: tensor<64x256xf16>,
                %a: tensor<64x16xf16>, %b: tensor<16x256xf16>)
    -> tensor<16x256xf16> {
  %xw = kernel.matmul %x, %w : tensor<16x64xf16>, tensor<64x256xf16>
  %xa = kernel.matmul %x, %a : tensor<16x64xf16>, tensor<64x16xf16>
  %xab = kernel.matmul %xa, %b : tensor<16x16xf16>, tensor<16x256xf16>
  %y = kernel.add %xw, %xab : tensor<16x256xf16>, tensor<16x256xf16>
  return %y : tensor<16x256xf16>
}

func.func @reference(%x: tensor<16x64xf16>, %w: tensor<64x256xf16>,
                     %a: tensor<64x16xf16>, %b: tensor<16x256xf16>)
    -> tensor<16x256xf16> attributes {mirage.no_superoptimize} {
  %xw = kernel.matmul %x, %w : tensor<16x64xf16>, tensor<64x256xf16>
  %xa = kernel.matmul %x, %a : tensor<16x64xf16>, tensor<64x16xf16>
  %xab = kernel.matmul %xa, %b : tensor<16x16xf16>, tensor<16x256xf16>
  %y = kernel.add %xw, %xab : tensor<16x256xf16>, tensor<16x256xf16>
  return %y : tensor<16x256xf16>
}
