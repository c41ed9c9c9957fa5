// A whole mixed module runs on the CPU: @model in linalg, tosa and arith is
// imported and outlined into three kernel-level regions (the exp of silu
// starts a new region: no nested exponentials; the imported transpose of
// the second region's result starts the third: a layout op on a computed
// value) and a tosa.abs that stays in the caller (no kernel op).
// Upstream's tosa-to-linalg passes lower that one;
// `mirage-mixed-to-cpu` lowers the regions by our lowering and the rest by
// upstream's, and mlir-runner runs @main. The same module
// lowered by upstream passes alone prints the same values (within rtol
// 1e-4: f32 results, printed to 6 digits, summed in another order).
//
// REQUIRES: mlir-runner
// RUN: mirage-opt --mirage-import --mirage-outline %s -o %t.outlined.mlir
// RUN: FileCheck %s --check-prefix=OUTLINED --input-file=%t.outlined.mlir
// RUN: mirage-opt %t.outlined.mlir --pass-pipeline='builtin.module(func.func(tosa-to-linalg-named, tosa-to-linalg, tosa-to-arith, tosa-to-tensor))' \
// RUN:   | mirage-opt --mirage-mixed-to-cpu -o %t.ours.mlir
// RUN: FileCheck %s --check-prefix=LLVM --input-file=%t.ours.mlir
// Every buffer allocated is freed (upstream's buffer deallocation in the
// pipeline): the outputs and workspace of the three calls and the
// caller's own result in @model (6 freed there), and the result @model
// returns, freed by @main after printing it.
// RUN: grep -c "llvm.call @malloc" %t.ours.mlir | FileCheck %s --check-prefix=MALLOCS
// RUN: grep -c "llvm.call @free" %t.ours.mlir | FileCheck %s --check-prefix=FREES
// MALLOCS: {{^}}7{{$}}
// FREES: {{^}}7{{$}}
// RUN: mlir-runner %t.ours.mlir -e main -entry-point-result=void \
// RUN:   -shared-libs=%mlir_runner_libs > %t.ours.txt
//
// RUN: mirage-opt %s --pass-pipeline='builtin.module(func.func(tosa-to-linalg-named, tosa-to-linalg, tosa-to-arith, tosa-to-tensor))' \
// RUN:   | mirage-opt --convert-elementwise-to-linalg \
// RUN:     --one-shot-bufferize='bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map' \
// RUN:     --convert-linalg-to-loops --convert-scf-to-cf --expand-strided-metadata \
// RUN:     --lower-affine --finalize-memref-to-llvm --convert-math-to-llvm \
// RUN:     --convert-math-to-libm --convert-arith-to-llvm --convert-cf-to-llvm \
// RUN:     --convert-func-to-llvm --reconcile-unrealized-casts -o %t.upstream.mlir
// RUN: mlir-runner %t.upstream.mlir -e main -entry-point-result=void \
// RUN:   -shared-libs=%mlir_runner_libs > %t.upstream.txt
// RUN: %mirage_python %S/Inputs/compare-memref-prints.py %t.upstream.txt \
// RUN:   %t.ours.txt | FileCheck %s --check-prefix=SAME
// SAME: same: 32 values
//
// Kernel ops left in a caller (no --mirage-outline) are an error, before
// anything is lowered.
// RUN: mirage-opt --mirage-import %s 2>/dev/null \
// RUN:   | not mirage-opt --mirage-mixed-to-cpu -o %t.none.mlir 2>&1 \
// RUN:   | FileCheck %s --check-prefix=NOTOUTLINED
// RUN: not test -e %t.none.mlir
// NOTOUTLINED: error: mirage-lower-calls: a kernel op in a function that is not kernel level: run --mirage-outline first
//
// The comparison fails on a difference.
// RUN: sed 's/\[\[/[[9/' %t.ours.txt > %t.wrong.txt
// RUN: not %mirage_python %S/Inputs/compare-memref-prints.py \
// RUN:   %t.upstream.txt %t.wrong.txt | FileCheck %s --check-prefix=DIFFER
// DIFFER: error: memref 0, value 0:

// OUTLINED-LABEL: func.func @model
// OUTLINED-NEXT:    call @model_mirage_0(%arg0, %arg1)
// OUTLINED-NEXT:    call @model_mirage_1(
// OUTLINED-NEXT:    call @model_mirage_2(
// OUTLINED-NEXT:    tosa.abs
// OUTLINED:       func.func private @model_mirage_0
// OUTLINED-NEXT:    kernel.matmul
// OUTLINED-NEXT:    kernel.silu
// OUTLINED:       func.func private @model_mirage_1
// OUTLINED-NEXT:    kernel.exp
// OUTLINED-NEXT:    kernel.reduction {{.*}} dim 1
// OUTLINED-NEXT:    kernel.div
// OUTLINED-NEXT:    return
// OUTLINED:       func.func private @model_mirage_2
// OUTLINED-NEXT:    kernel.transpose {{.*}} permutation [1, 0]
// OUTLINED-NEXT:    kernel.exp

// Our lowering of each region, called from the caller.
// LLVM-DAG: llvm.func @model_mirage_0(
// LLVM-DAG: llvm.func @model_mirage_1(
// LLVM-DAG: llvm.func @model_mirage_2(
// LLVM-DAG: llvm.call @model_mirage_0(
// LLVM-DAG: llvm.call @model_mirage_1(
// LLVM-DAG: llvm.call @model_mirage_2(
// LLVM-NOT: structured.abi

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0, 0)>
func.func @model(%x: tensor<4x16xf32>, %w: tensor<16x8xf32>) -> tensor<8x4xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  %m = linalg.matmul ins(%x, %w : tensor<4x16xf32>, tensor<16x8xf32>) outs(%f : tensor<4x8xf32>) -> tensor<4x8xf32>
  %s = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%m : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %n = arith.negf %a : f32
    %ex = math.exp %n : f32
    %one = arith.constant 1.0 : f32
    %d = arith.addf %one, %ex : f32
    %r = arith.divf %a, %d : f32
    linalg.yield %r : f32
  } -> tensor<4x8xf32>
  %ex = tosa.exp %s : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %sum = tosa.reduce_sum %ex {axis = 1 : i32} : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %sm = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%ex, %sum : tensor<4x8xf32>, tensor<4x1xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %q = arith.divf %a, %b : f32
    linalg.yield %q : f32
  } -> tensor<4x8xf32>
  %e2 = tensor.empty() : tensor<8x4xf32>
  %t = linalg.transpose ins(%sm : tensor<4x8xf32>) outs(%e2 : tensor<8x4xf32>) permutation = [1, 0]
  %q = math.exp %t : tensor<8x4xf32>
  %rq = tosa.abs %q : (tensor<8x4xf32>) -> tensor<8x4xf32>
  return %rq : tensor<8x4xf32>
}
func.func @main() {
  %x = arith.constant dense<[[-0.73, 0.69, 0.53, -0.49, -0.01, -0.10, 0.30, 0.58, -0.81, -0.94, 0.67, -0.13, 0.52, -1.00, -0.11, 0.44], [-0.54, 0.89, 0.80, -0.94, -0.95, 0.08, 0.88, -0.24, -0.57, -0.16, -0.94, -0.56, -0.12, -0.01, -0.53, -0.54], [-0.56, -0.08, -0.42, -0.96, 0.68, 0.11, 0.28, -0.63, 0.99, 0.72, -0.76, -0.33, 0.44, 0.42, 0.87, -0.16], [0.66, 0.34, -0.39, 0.18, 0.76, 0.69, 0.01, 0.18, -0.93, -0.51, 0.59, -0.17, -0.65, 0.10, 0.41, 0.35]]> : tensor<4x16xf32>
  %w = arith.constant dense<[[-0.25, -0.12, 0.02, 0.56, 0.04, -0.21, -0.02, -0.94], [-0.91, 0.41, 0.97, 0.19, -0.21, -0.66, 0.00, 0.96], [0.54, 0.08, 0.72, -0.54, 0.03, 0.90, 0.16, -0.08], [-0.46, 0.10, 0.91, -0.99, 0.57, 0.64, 0.77, 0.48], [0.62, 0.04, 0.12, -0.15, -0.89, 0.74, 0.14, -0.60], [0.01, -0.03, -0.29, -0.31, 0.08, 0.25, 0.22, -0.08], [-0.94, -0.54, -0.65, 0.17, 0.72, 0.60, 0.59, 0.63], [-0.49, 0.68, 0.35, -0.83, -0.97, -0.97, 0.51, -0.50], [-0.78, 0.25, -0.31, -0.86, -0.68, 0.05, -0.66, -0.45], [0.42, -0.09, -0.36, -0.05, -0.95, -0.23, -0.16, -0.62], [-0.78, 0.80, 0.02, -0.58, 0.21, 0.63, -0.96, -0.96], [-0.71, 0.44, -0.68, 0.41, 0.36, 0.09, -0.56, 0.95], [0.60, 0.03, -0.55, 0.30, -0.21, 0.15, -0.36, 0.26], [-0.88, -0.40, 0.94, 0.75, -0.39, 0.72, -0.38, 0.88], [0.49, -0.17, -0.50, -0.98, 0.76, -0.92, 0.64, 0.92], [0.14, -0.66, 0.74, 0.95, 0.41, 0.02, -0.24, -0.31]]> : tensor<16x8xf32>
  %r = call @model(%x, %w) : (tensor<4x16xf32>, tensor<16x8xf32>) -> tensor<8x4xf32>
  %u = tensor.cast %r : tensor<8x4xf32> to tensor<*xf32>
  call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  return
}
func.func private @printMemrefF32(tensor<*xf32>)
