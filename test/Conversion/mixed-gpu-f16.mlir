// The GPU path on f16: attention scores and a row softmax without the max
// (exp, sum over the row, divide) and the product with V, in linalg and
// arith on f16 tensors, imported and outlined, then lowered by
// `mirage-mixed-to-gpu`: the matmuls run on tensor cores (mma.sync, with
// cp.async copies), and the host copies two-byte elements. mlir-runner runs
// it with the mgpu* wrappers on the PTX emulator; the same outlined module
// on our CPU path (`mirage-mixed-to-cpu`, the same f16 semantics: f32
// accumulation, one rounding per result) prints the same values within the
// project's tolerance for f16 (rtol 1e-2).
//
// REQUIRES: mlir-runner
// RUN: mirage-opt --mirage-import --mirage-outline %s -o %t.outlined.mlir 2>/dev/null
// RUN: mirage-opt %t.outlined.mlir --mirage-mixed-to-gpu='chip=sm_90a' -o %t.gpu.mlir
// RUN: FileCheck %s --input-file=%t.gpu.mlir
// RUN: %mlir_runner_emu %t.gpu.mlir -e main -entry-point-result=void \
// RUN:   -shared-libs=%mgpu_emu_lib,%mlir_runner_libs > %t.gpu.txt
// RUN: mirage-opt %t.outlined.mlir --mirage-mixed-to-cpu -o %t.cpu.mlir
// RUN: mlir-runner %t.cpu.mlir -e main -entry-point-result=void \
// RUN:   -shared-libs=%mlir_runner_libs > %t.cpu.txt
// RUN: %mirage_python %S/Inputs/compare-memref-prints.py %t.cpu.txt \
// RUN:   %t.gpu.txt --rtol 1e-2 --atol 1e-3 | FileCheck %s --check-prefix=SAME
// SAME: same: 1024 values

// @attention is kernel level as a whole: its kernels, on tensor cores, are
// launched from @main, as is the f16 -> f32 cast before the print (a
// region of @main).
// CHECK-NOT: llvm.func @attention(
// CHECK: gpu.launch_func {{.*}} @attention_kernels::@attention_kernel0
// CHECK: gpu.launch_func {{.*}} @main_mirage_0_kernels::@main_mirage_0_kernel0
// CHECK: gpu.binary @attention_kernels [{{.*}}mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32
// CHECK: gpu.binary @main_mirage_0_kernels

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0, 0)>
func.func @attention(%q: tensor<16x64xf16>, %k: tensor<64x32xf16>, %v: tensor<32x64xf16>) -> tensor<16x64xf16> {
  %z = arith.constant 0.0 : f16
  %es = tensor.empty() : tensor<16x32xf16>
  %fs = linalg.fill ins(%z : f16) outs(%es : tensor<16x32xf16>) -> tensor<16x32xf16>
  %s = linalg.matmul ins(%q, %k : tensor<16x64xf16>, tensor<64x32xf16>) outs(%fs : tensor<16x32xf16>) -> tensor<16x32xf16>
  %e = math.exp %s : tensor<16x32xf16>
  %sum = tosa.reduce_sum %e {axis = 1 : i32} : (tensor<16x32xf16>) -> tensor<16x1xf16>
  %p = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%e, %sum : tensor<16x32xf16>, tensor<16x1xf16>) outs(%es : tensor<16x32xf16>) {
  ^bb0(%a: f16, %b: f16, %o: f16):
    %d = arith.divf %a, %b : f16
    linalg.yield %d : f16
  } -> tensor<16x32xf16>
  %eo = tensor.empty() : tensor<16x64xf16>
  %fo = linalg.fill ins(%z : f16) outs(%eo : tensor<16x64xf16>) -> tensor<16x64xf16>
  %o = linalg.matmul ins(%p, %v : tensor<16x32xf16>, tensor<32x64xf16>) outs(%fo : tensor<16x64xf16>) -> tensor<16x64xf16>
  return %o : tensor<16x64xf16>
}

// Inputs ((a * i + b * j) mod 11 - 5) / 16 in f16, made by linalg.index.
func.func @input(%a: index, %b: index, %e: tensor<?x?xf16>) -> tensor<?x?xf16> {
  %r = linalg.generic {indexing_maps = [#id], iterator_types = ["parallel", "parallel"]} outs(%e : tensor<?x?xf16>) {
  ^bb0(%o: f16):
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
    %h = arith.truncf %v : f32 to f16
    linalg.yield %h : f16
  } -> tensor<?x?xf16>
  return %r : tensor<?x?xf16>
}

func.func @main() {
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c5 = arith.constant 5 : index
  %c7 = arith.constant 7 : index
  %eq = tensor.empty() : tensor<16x64xf16>
  %ek = tensor.empty() : tensor<64x32xf16>
  %ev = tensor.empty() : tensor<32x64xf16>
  %eqd = tensor.cast %eq : tensor<16x64xf16> to tensor<?x?xf16>
  %ekd = tensor.cast %ek : tensor<64x32xf16> to tensor<?x?xf16>
  %evd = tensor.cast %ev : tensor<32x64xf16> to tensor<?x?xf16>
  %qd = call @input(%c3, %c7, %eqd) : (index, index, tensor<?x?xf16>) -> tensor<?x?xf16>
  %kd = call @input(%c5, %c1, %ekd) : (index, index, tensor<?x?xf16>) -> tensor<?x?xf16>
  %vd = call @input(%c2, %c3, %evd) : (index, index, tensor<?x?xf16>) -> tensor<?x?xf16>
  %q = tensor.cast %qd : tensor<?x?xf16> to tensor<16x64xf16>
  %k = tensor.cast %kd : tensor<?x?xf16> to tensor<64x32xf16>
  %v = tensor.cast %vd : tensor<?x?xf16> to tensor<32x64xf16>
  %r = call @attention(%q, %k, %v) : (tensor<16x64xf16>, tensor<64x32xf16>, tensor<32x64xf16>) -> tensor<16x64xf16>
  %e32 = tensor.empty() : tensor<16x64xf32>
  %r32 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%r : tensor<16x64xf16>) outs(%e32 : tensor<16x64xf32>) {
  ^bb0(%a: f16, %o: f32):
    %x = arith.extf %a : f16 to f32
    linalg.yield %x : f32
  } -> tensor<16x64xf32>
  %u = tensor.cast %r32 : tensor<16x64xf32> to tensor<*xf32>
  call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  return
}
func.func private @printMemrefF32(tensor<*xf32>)
