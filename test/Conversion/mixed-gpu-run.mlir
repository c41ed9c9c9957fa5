// A whole mixed module on the GPU path: @model in linalg, tosa and arith is
// imported and outlined into three kernel-level regions (as in mixed-run.mlir)
// and a tosa.abs that stays in the caller (no kernel op). `mirage-mixed-to-gpu`
// launches the regions' seven kernels with gpu.launch_func on three
// gpu.binary (PTX), copies the buffers between host and device around them,
// and lowers the rest by upstream's passes to the LLVM dialect, with the CUDA
// runtime wrappers (mgpu*) on the host side; mlir-translate takes it to LLVM
// IR. mlir-runner runs it with those wrappers on the PTX emulator
// (%mgpu_emu_lib, which checks every launch: parameters, grid, block, shared
// memory, every access): it prints what the same module lowered by upstream
// passes alone prints (rtol 1e-4). With less shared memory than the first
// region needs, that region runs on the host (a remark) and the result is
// the same. The kernels assemble with ptxas (format=bin makes cubins).
//
// REQUIRES: mlir-runner
// RUN: mirage-opt --mirage-import --mirage-outline %s -o %t.outlined.mlir 2>/dev/null
// RUN: mirage-opt %t.outlined.mlir --pass-pipeline='builtin.module(func.func(tosa-to-linalg-named, tosa-to-linalg, tosa-to-arith, tosa-to-tensor))' -o %t.pre.mlir
// RUN: mirage-opt %t.pre.mlir --mirage-mixed-to-gpu='chip=sm_90a' -o %t.gpu.mlir
// RUN: FileCheck %s --check-prefix=LLVM --input-file=%t.gpu.mlir
// RUN: mlir-translate --mlir-to-llvmir %t.gpu.mlir -o %t.gpu.ll
// RUN: FileCheck %s --check-prefix=IR --input-file=%t.gpu.ll
// RUN: %mlir_runner_emu %t.gpu.mlir -e main -entry-point-result=void \
// RUN:   -shared-libs=%mgpu_emu_lib,%mlir_runner_libs > %t.gpu.txt
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
// RUN:   %t.gpu.txt | FileCheck %s --check-prefix=SAME
// SAME: same: 32 values
//
// The first region's first kernel needs 1280 bytes of shared memory: with
// 1024 it stays on the host, the two others are launched.
// RUN: mirage-opt %t.pre.mlir --mirage-mixed-to-gpu='chip=sm_90a shared-memory-bytes=1024' \
// RUN:   -o %t.some.mlir 2>&1 | FileCheck %s --check-prefix=REMARK
// RUN: FileCheck %s --check-prefix=SOME --input-file=%t.some.mlir
// RUN: %mlir_runner_emu %t.some.mlir -e main -entry-point-result=void \
// RUN:   -shared-libs=%mgpu_emu_lib,%mlir_runner_libs > %t.some.txt
// RUN: %mirage_python %S/Inputs/compare-memref-prints.py %t.upstream.txt \
// RUN:   %t.some.txt | FileCheck %s --check-prefix=SAME
// REMARK: remark: mirage-lower-calls-to-gpu: @model_mirage_0 stays on the host (mirage-lower-calls): the GPU mapping for sm_90a refused it: kernel 'model_mirage_0_kernel0' needs 1280 bytes of shared memory, but only 1024 are available
// SOME:     llvm.call @model_mirage_0(
// SOME-NOT: @model_mirage_0_kernels
// SOME:     gpu.launch_func {{.*}} @model_mirage_1_kernels::@model_mirage_1_kernel0
// SOME:     gpu.launch_func {{.*}} @model_mirage_2_kernels::@model_mirage_2_kernel0
//
// The emulated launch is checked: with less dynamic shared memory than the
// first kernel uses, the run stops.
// RUN: sed 's/constant(1280 : i32)/constant(256 : i32)/' %t.gpu.mlir > %t.small.mlir
// RUN: not %mlir_runner_emu %t.small.mlir -e main -entry-point-result=void \
// RUN:   -shared-libs=%mgpu_emu_lib,%mlir_runner_libs 2>&1 \
// RUN:   | FileCheck %s --check-prefix=SMALL
// SMALL: mirage-mgpu-emu: launch 0 of 'model_mirage_0_kernel0': the emulator found {{[1-9][0-9]*}} problem(s)
//
// ptxas takes the kernels: gpu-module-to-binary makes a cubin of each
// gpu.module with the toolkit's ptxas.
// RUN: %if ptxas %{ mirage-opt %t.pre.mlir --mirage-mixed-to-gpu="chip=sm_90a format=bin cuda-path=$(dirname $(dirname %ptxas))" -o %t.bin.mlir && FileCheck %s --check-prefix=CUBIN --input-file=%t.bin.mlir %}
// CUBIN-COUNT-3: gpu.binary @model_mirage_{{[0-2]}}_kernels [#gpu.object<#nvvm.target<{{.*}}chip = "sm_90a"{{.*}}bin = "\7FELF

// Seven launches in program order, their grid, block and dynamic shared
// memory from our mapping, every argument a device pointer.
// LLVM-DAG:   %[[ONE:.*]] = llvm.mlir.constant(1 : index) : i64
// LLVM-DAG:   %[[T128:.*]] = llvm.mlir.constant(128 : index) : i64
// LLVM-DAG:   %[[S1280:.*]] = llvm.mlir.constant(1280 : i32) : i32
// LLVM-DAG:   %[[S192:.*]] = llvm.mlir.constant(192 : i32) : i32
// LLVM-DAG:   %[[S16:.*]] = llvm.mlir.constant(16 : i32) : i32
// LLVM-DAG:   %[[S128:.*]] = llvm.mlir.constant(128 : i32) : i32
// LLVM: gpu.launch_func <%{{.*}} : !llvm.ptr> @model_mirage_0_kernels::@model_mirage_0_kernel0 blocks in (%[[ONE]], %[[ONE]], %[[ONE]]) threads in (%[[T128]], %[[ONE]], %[[ONE]]) : i64 dynamic_shared_memory_size %[[S1280]] args(%{{.*}} : !llvm.ptr, %{{.*}} : !llvm.ptr, %{{.*}} : !llvm.ptr)
// LLVM: gpu.launch_func {{.*}} @model_mirage_0_kernels::@model_mirage_0_kernel1 {{.*}} dynamic_shared_memory_size %[[S192]] args(%{{.*}} : !llvm.ptr, %{{.*}} : !llvm.ptr)
// LLVM: gpu.launch_func {{.*}} @model_mirage_1_kernels::@model_mirage_1_kernel0 {{.*}} dynamic_shared_memory_size %[[S192]]
// LLVM: gpu.launch_func {{.*}} @model_mirage_1_kernels::@model_mirage_1_kernel1 {{.*}} dynamic_shared_memory_size %[[S16]]
// LLVM: gpu.launch_func {{.*}} @model_mirage_1_kernels::@model_mirage_1_kernel2 {{.*}} dynamic_shared_memory_size %[[S192]]
// LLVM: gpu.launch_func {{.*}} @model_mirage_2_kernels::@model_mirage_2_kernel0 {{.*}} dynamic_shared_memory_size %[[S128]]
// LLVM: gpu.launch_func {{.*}} @model_mirage_2_kernels::@model_mirage_2_kernel1 {{.*}} dynamic_shared_memory_size %[[S128]]
// LLVM-NOT: gpu.launch_func
// LLVM-DAG: gpu.binary @model_mirage_0_kernels [#gpu.object<#nvvm.target<{{.*}}chip = "sm_90a"{{.*}}assembly = "{{.*}}.entry model_mirage_0_kernel0(
// LLVM-DAG: gpu.binary @model_mirage_1_kernels
// LLVM-DAG: gpu.binary @model_mirage_2_kernels
// LLVM-NOT: structured.abi
// LLVM-NOT: llvm.func @model_mirage_

// The host side: the CUDA runtime wrappers.
// IR-COUNT-7: call void @mgpuLaunchKernel(
// IR-NOT: call void @mgpuLaunchKernel(
// IR-DAG: call ptr @mgpuModuleLoadJIT(ptr @model_mirage_0_kernels_binary
// IR-DAG: call ptr @mgpuModuleLoadJIT(ptr @model_mirage_1_kernels_binary
// IR-DAG: call ptr @mgpuModuleLoadJIT(ptr @model_mirage_2_kernels_binary
// IR-DAG: declare ptr @mgpuMemAlloc(i64, ptr, i8)
// IR-DAG: declare void @mgpuMemcpy(ptr, ptr, i64, ptr)
// IR-DAG: declare void @mgpuMemFree(ptr, ptr)

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
