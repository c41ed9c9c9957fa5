// The whole path on the GPU for a gated MLP written in linalg and arith
// (the module of mixed-run-search.mlir): import, outline, superoptimize (the
// search finds one graph-defined kernel), `mirage-mixed-to-gpu`, which
// launches that kernel with gpu.launch_func from @gated_mlp (its grid, block
// and dynamic shared memory from our mapping), and mlir-runner with the
// mgpu* wrappers on the PTX emulator. It prints what the same module lowered
// by upstream passes alone prints (rtol 1e-4).
//
// REQUIRES: mlir-runner
// RUN: mirage-opt --mirage-import --mirage-outline %s 2>/dev/null \
// RUN:   | mirage-opt --mirage-superoptimize='preset=mlp threads=1' \
// RUN:     -o %t.searched.mlir 2>/dev/null
// RUN: FileCheck %s --check-prefix=SEARCHED --input-file=%t.searched.mlir
// RUN: mirage-opt --mirage-mixed-to-gpu='chip=sm_90a' %t.searched.mlir -o %t.gpu.mlir
// RUN: FileCheck %s --check-prefix=LLVM --input-file=%t.gpu.mlir
// RUN: mlir-translate --mlir-to-llvmir %t.gpu.mlir -o /dev/null
// RUN: %mlir_runner_emu %t.gpu.mlir -e main -entry-point-result=void \
// RUN:   -shared-libs=%mgpu_emu_lib,%mlir_runner_libs > %t.gpu.txt
// RUN: mirage-opt %s \
// RUN:     --one-shot-bufferize='bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map' \
// RUN:     --convert-linalg-to-loops --convert-scf-to-cf --expand-strided-metadata \
// RUN:     --lower-affine --finalize-memref-to-llvm --convert-math-to-llvm \
// RUN:     --convert-math-to-libm --convert-arith-to-llvm --convert-index-to-llvm \
// RUN:     --convert-cf-to-llvm --convert-func-to-llvm --reconcile-unrealized-casts \
// RUN:     -o %t.upstream.mlir
// RUN: mlir-runner %t.upstream.mlir -e main -entry-point-result=void \
// RUN:   -shared-libs=%mlir_runner_libs > %t.upstream.txt
// RUN: %mirage_python %S/Inputs/compare-memref-prints.py %t.upstream.txt \
// RUN:   %t.gpu.txt | FileCheck %s --check-prefix=SAME
// SAME: same: 256 values

// SEARCHED-LABEL: func.func @gated_mlp
// SEARCHED-SAME:    attributes {mirage.outlined}
// SEARCHED:         kernel.graph_defined

// @gated_mlp is kernel level as a whole: its searched kernel is launched
// from @main, the caller, and @gated_mlp itself is gone.
// LLVM-NOT:   llvm.func @gated_mlp(
// LLVM-LABEL: llvm.func @main(
// LLVM:         gpu.launch_func <%{{.*}} : !llvm.ptr> @gated_mlp_kernels::@gated_mlp_kernel0 blocks in
// LLVM-NOT:     gpu.launch_func
// LLVM-NOT:     llvm.call @gated_mlp(
// LLVM:       gpu.binary @gated_mlp_kernels [#gpu.object<#nvvm.target<{{.*}}chip = "sm_90a"

#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @gated_mlp(%x: tensor<4x32xf32>, %w1: tensor<32x64xf32>, %w3: tensor<32x64xf32>) -> tensor<4x64xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<4x64xf32>
  %acc = linalg.fill ins(%zero : f32) outs(%empty : tensor<4x64xf32>) -> tensor<4x64xf32>
  %gate = linalg.matmul ins(%x, %w1 : tensor<4x32xf32>, tensor<32x64xf32>) outs(%acc : tensor<4x64xf32>) -> tensor<4x64xf32>
  %up = linalg.matmul ins(%x, %w3 : tensor<4x32xf32>, tensor<32x64xf32>) outs(%acc : tensor<4x64xf32>) -> tensor<4x64xf32>
  %act = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%gate, %up : tensor<4x64xf32>, tensor<4x64xf32>) outs(%empty : tensor<4x64xf32>) {
  ^bb0(%g: f32, %u: f32, %o: f32):
    %neg = arith.negf %g : f32
    %exp = math.exp %neg : f32
    %one = arith.constant 1.0 : f32
    %den = arith.addf %one, %exp : f32
    %silu = arith.divf %g, %den : f32
    %y = arith.mulf %silu, %u : f32
    linalg.yield %y : f32
  } -> tensor<4x64xf32>
  return %act : tensor<4x64xf32>
}

// Inputs ((a * i + b * j) mod 11 - 5) / 16, made by linalg.index.
func.func @input(%a: index, %b: index, %e: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %r = linalg.generic {indexing_maps = [#id], iterator_types = ["parallel", "parallel"]} outs(%e : tensor<?x?xf32>) {
  ^bb0(%o: f32):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %ai = arith.muli %a, %i : index
    %bj = arith.muli %b, %j : index
    %s = arith.addi %ai, %bj : index
    %c11 = arith.constant 11 : index
    %m = arith.remui %s, %c11 : index
    %c5 = arith.constant 5 : index
    %d = arith.subi %m, %c5 : index
    %di = arith.index_cast %d : index to i64
    %f = arith.sitofp %di : i64 to f32
    %c16 = arith.constant 16.0 : f32
    %v = arith.divf %f, %c16 : f32
    linalg.yield %v : f32
  } -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

func.func @main() {
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c5 = arith.constant 5 : index
  %c7 = arith.constant 7 : index
  %ex = tensor.empty() : tensor<4x32xf32>
  %ew = tensor.empty() : tensor<32x64xf32>
  %exd = tensor.cast %ex : tensor<4x32xf32> to tensor<?x?xf32>
  %ewd = tensor.cast %ew : tensor<32x64xf32> to tensor<?x?xf32>
  %xd = call @input(%c3, %c7, %exd) : (index, index, tensor<?x?xf32>) -> tensor<?x?xf32>
  %w1d = call @input(%c5, %c1, %ewd) : (index, index, tensor<?x?xf32>) -> tensor<?x?xf32>
  %w3d = call @input(%c2, %c3, %ewd) : (index, index, tensor<?x?xf32>) -> tensor<?x?xf32>
  %x = tensor.cast %xd : tensor<?x?xf32> to tensor<4x32xf32>
  %w1 = tensor.cast %w1d : tensor<?x?xf32> to tensor<32x64xf32>
  %w3 = tensor.cast %w3d : tensor<?x?xf32> to tensor<32x64xf32>
  %r = call @gated_mlp(%x, %w1, %w3) : (tensor<4x32xf32>, tensor<32x64xf32>, tensor<32x64xf32>) -> tensor<4x64xf32>
  %u = tensor.cast %r : tensor<4x64xf32> to tensor<*xf32>
  call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  return
}
func.func private @printMemrefF32(tensor<*xf32>)
