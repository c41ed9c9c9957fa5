// Bad input to --mirage-to-ptx: a diagnostic naming it, a non-zero exit and
// no bundle.
// RUN: rm -rf %t
// RUN: not mirage-opt %s --mirage-to-ptx="chip=sm_50 output=%t" 2>&1 | FileCheck %s --check-prefix=SM50
// RUN: not mirage-opt %s --mirage-to-ptx="chip=sm_70 output=%t" 2>&1 | FileCheck %s --check-prefix=SM70
// RUN: not mirage-opt %s --mirage-to-ptx="chip=sm90 output=%t" 2>&1 | FileCheck %s --check-prefix=TYPO
// RUN: not mirage-opt %s --mirage-to-ptx="chip=sm_90" 2>&1 | FileCheck %s --check-prefix=OUTPUT
// RUN: not mirage-opt %s --mirage-to-ptx="chip=sm_90 output=%t opt-level=4" 2>&1 | FileCheck %s --check-prefix=OPT
// RUN: not ls %t
// RUN: not mirage-opt %S/Inputs/mirage-to-ptx-bad-type.mlir --mirage-to-ptx="chip=sm_90 output=%t" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=TYPE
// RUN: not mirage-opt %S/Inputs/mirage-to-ptx-no-function.mlir --mirage-to-ptx="chip=sm_90 output=%t" 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NOFUNC
// RUN: not ls %t

// SM50: error: unknown chip 'sm_50': CUDA 13's ptxas knows sm_75, sm_80, sm_86, sm_87, sm_88, sm_89, sm_90, sm_90a, sm_100,
// SM70: error: unknown chip 'sm_70'
// TYPO: error: unknown chip 'sm90'
// OUTPUT: error: --mirage-to-ptx needs an output directory (option output=DIR)
// OPT: error: opt-level must be 0, 1, 2 or 3, not 4
// TYPE: error: 'memref.alloca' op has unsupported element type 'f64' (the GPU mapping supports f16, bf16 and f32)
// NOFUNC: error: no function to compile

func.func @mlp(%x: tensor<16x64xf16>, %w: tensor<64x64xf16>) -> tensor<16x64xf16> {
  %h = kernel.matmul %x, %w : tensor<16x64xf16>, tensor<64x64xf16>
  return %h : tensor<16x64xf16>
}

// A function with no outputs is refused before anything is compiled, and no
// bundle is written (mirage-run --validate rejects such bundles).
// RUN: mirage-opt %S/Inputs/mirage-to-ptx-no-outputs.mlir --mirage-to-ptx="chip=sm_90 output=%t" \
// RUN:   -split-input-file -verify-diagnostics -o /dev/null
// RUN: not ls %t
