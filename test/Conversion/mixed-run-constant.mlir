// A mixed module with constants runs on the CPU (docs/Import.md): an
// RMSNorm written in linalg with its epsilon in a generic body, a scale by a
// splat arith.constant, a matmul into a zero fill, a tosa.const bias and a
// tosa.reciprocal are imported onto kernel ops and kernel.constant; the
// outliner puts every constant inside the region that reads it (none is an
// argument of a region), a tosa.abs stays in the caller, and the module
// lowered by `mirage-mixed-to-cpu` prints the values the same module lowered
// by upstream passes alone prints.
//
// REQUIRES: mlir-runner
// RUN: mirage-opt --mirage-import --mirage-outline %s -o %t.outlined.mlir
// RUN: FileCheck %s --check-prefix=OUTLINED --input-file=%t.outlined.mlir
// RUN: mirage-opt %t.outlined.mlir --pass-pipeline='builtin.module(func.func(tosa-to-linalg-named, tosa-to-linalg, tosa-to-arith, tosa-to-tensor))' \
// RUN:   | mirage-opt --mirage-mixed-to-cpu -o %t.ours.mlir
// RUN: FileCheck %s --check-prefix=LLVM --input-file=%t.ours.mlir
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

// OUTLINED-LABEL: func.func @model
// OUTLINED-NEXT:    %[[R:.*]] = call @model_mirage_0(%arg0, %arg1) : (tensor<4x16xf32>, tensor<16x8xf32>) -> tensor<4x8xf32>
// OUTLINED-NEXT:    tosa.abs %[[R]]
// OUTLINED-NOT:     constant
// OUTLINED-LABEL: func.func private @model_mirage_0(%arg0: tensor<4x16xf32>, %arg1: tensor<16x8xf32>)
// OUTLINED-DAG:     kernel.constant dense<9.99999997E-7> : tensor<1x1xf32>
// OUTLINED-DAG:     kernel.mul_scalar %{{.*}}, 2.500000e-01
// OUTLINED-DAG:     kernel.constant dense<1.000000e+00> : tensor<1x1xf32>
// OUTLINED-DAG:     kernel.constant dense<5.000000e-01> : tensor<1x8xf32>
// OUTLINED:         return

// LLVM-DAG: llvm.func @model_mirage_0(
// LLVM-DAG: llvm.call @model_mirage_0(
// LLVM-NOT: structured.abi

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0, 0)>
func.func @model(%x: tensor<4x16xf32>, %w: tensor<16x8xf32>) -> tensor<4x8xf32> {
  // RMSNorm of x: x * rsqrt(mean(x^2) + eps).
  %e16 = tensor.empty() : tensor<4x16xf32>
  %sq = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<4x16xf32>) outs(%e16 : tensor<4x16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %p = arith.mulf %a, %a : f32
    linalg.yield %p : f32
  } -> tensor<4x16xf32>
  %ss = tosa.reduce_sum %sq {axis = 1 : i32} : (tensor<4x16xf32>) -> tensor<4x1xf32>
  %e1 = tensor.empty() : tensor<4x1xf32>
  %rs = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%ss : tensor<4x1xf32>) outs(%e1 : tensor<4x1xf32>) {
  ^bb0(%a: f32, %o: f32):
    %n = arith.constant 0.0625 : f32
    %m = arith.mulf %a, %n : f32
    %eps = arith.constant 1.0e-06 : f32
    %v = arith.addf %m, %eps : f32
    %r = math.rsqrt %v : f32
    linalg.yield %r : f32
  } -> tensor<4x1xf32>
  %xn = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%x, %rs : tensor<4x16xf32>, tensor<4x1xf32>) outs(%e16 : tensor<4x16xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %p = arith.mulf %a, %b : f32
    linalg.yield %p : f32
  } -> tensor<4x16xf32>
  // A projection into a zero fill, scaled by a splat constant, plus a bias.
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  %mm = linalg.matmul ins(%xn, %w : tensor<4x16xf32>, tensor<16x8xf32>) outs(%f : tensor<4x8xf32>) -> tensor<4x8xf32>
  %scale = arith.constant dense<0.25> : tensor<4x8xf32>
  %sc = arith.mulf %mm, %scale : tensor<4x8xf32>
  %bias = "tosa.const"() <{values = dense<0.5> : tensor<1x8xf32>}> : () -> tensor<1x8xf32>
  %b = tosa.add %sc, %bias : (tensor<4x8xf32>, tensor<1x8xf32>) -> tensor<4x8xf32>
  // 1 / (1 + b^2) (positive).
  %b2 = arith.mulf %b, %b : tensor<4x8xf32>
  %one = arith.constant dense<1.0> : tensor<4x8xf32>
  %d = arith.addf %b2, %one : tensor<4x8xf32>
  %rq = tosa.reciprocal %d : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %ab = tosa.abs %rq : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %ab : tensor<4x8xf32>
}
func.func @main() {
  %x = arith.constant dense<[[-0.73, 0.69, 0.53, -0.49, -0.01, -0.10, 0.30, 0.58, -0.81, -0.94, 0.67, -0.13, 0.52, -1.00, -0.11, 0.44], [-0.54, 0.89, 0.80, -0.94, -0.95, 0.08, 0.88, -0.24, -0.57, -0.16, -0.94, -0.56, -0.12, -0.01, -0.53, -0.54], [-0.56, -0.08, -0.42, -0.96, 0.68, 0.11, 0.28, -0.63, 0.99, 0.72, -0.76, -0.33, 0.44, 0.42, 0.87, -0.16], [0.66, 0.34, -0.39, 0.18, 0.76, 0.69, 0.01, 0.18, -0.93, -0.51, 0.59, -0.17, -0.65, 0.10, 0.41, 0.35]]> : tensor<4x16xf32>
  %w = arith.constant dense<[[-0.25, -0.12, 0.02, 0.56, 0.04, -0.21, -0.02, -0.94], [-0.91, 0.41, 0.97, 0.19, -0.21, -0.66, 0.00, 0.96], [0.54, 0.08, 0.72, -0.54, 0.03, 0.90, 0.16, -0.08], [-0.46, 0.10, 0.91, -0.99, 0.57, 0.64, 0.77, 0.48], [0.62, 0.04, 0.12, -0.15, -0.89, 0.74, 0.14, -0.60], [0.01, -0.03, -0.29, -0.31, 0.08, 0.25, 0.22, -0.08], [-0.94, -0.54, -0.65, 0.17, 0.72, 0.60, 0.59, 0.63], [-0.49, 0.68, 0.35, -0.83, -0.97, -0.97, 0.51, -0.50], [-0.78, 0.25, -0.31, -0.86, -0.68, 0.05, -0.66, -0.45], [0.42, -0.09, -0.36, -0.05, -0.95, -0.23, -0.16, -0.62], [-0.78, 0.80, 0.02, -0.58, 0.21, 0.63, -0.96, -0.96], [-0.71, 0.44, -0.68, 0.41, 0.36, 0.09, -0.56, 0.95], [0.60, 0.03, -0.55, 0.30, -0.21, 0.15, -0.36, 0.26], [-0.88, -0.40, 0.94, 0.75, -0.39, 0.72, -0.38, 0.88], [0.49, -0.17, -0.50, -0.98, 0.76, -0.92, 0.64, 0.92], [0.14, -0.66, 0.74, 0.95, 0.41, 0.02, -0.24, -0.31]]> : tensor<16x8xf32>
  %r = call @model(%x, %w) : (tensor<4x16xf32>, tensor<16x8xf32>) -> tensor<4x8xf32>
  %u = tensor.cast %r : tensor<4x8xf32> to tensor<*xf32>
  call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  return
}
func.func private @printMemrefF32(tensor<*xf32>)
