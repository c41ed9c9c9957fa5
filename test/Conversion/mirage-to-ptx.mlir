// The GPU pipeline from kernel level to PTX: the host function launches the
// outlined kernels of one gpu.binary, whose PTX targets the chip with the
// PTX ISA chosen for it.
// RUN: rm -rf %t
// RUN: mirage-opt %s --mirage-to-ptx="chip=sm_90 output=%t/sm90" | FileCheck %s
// RUN: FileCheck %s --check-prefix=SM90 < %t/sm90/mlp.ptx
// RUN: mirage-opt %s --mirage-to-ptx="chip=sm_90a output=%t/sm90a" -o /dev/null
// RUN: FileCheck %s --check-prefix=SM90A < %t/sm90a/mlp.ptx
// RUN: mirage-opt %s --mirage-to-ptx="chip=sm_80 output=%t/sm80" -o /dev/null
// RUN: FileCheck %s --check-prefix=SM80 < %t/sm80/mlp.ptx
// RUN: mirage-opt %s --mirage-to-ptx="chip=sm_75 output=%t/sm75" -o /dev/null
// RUN: FileCheck %s --check-prefix=SM75 < %t/sm75/mlp.ptx
// RUN: mirage-opt %s --mirage-to-ptx="chip=sm_120 output=%t/sm120" -o /dev/null
// RUN: FileCheck %s --check-prefix=SM120 < %t/sm120/mlp.ptx

// CHECK-LABEL: func.func @mlp
// CHECK-SAME:    (%[[X:.*]]: memref<16x256xf16>, %[[W:.*]]: memref<256x64xf16>, %[[Y:.*]]: memref<16x64xf16>, %[[WS:.*]]: memref<2048xi8>)
// CHECK-SAME:    structured.abi = #structured.abi<
// CHECK:         %[[H:.*]] = memref.view %[[WS]][%{{.*}}][] : memref<2048xi8> to memref<16x64xf16>
// CHECK:         gpu.launch_func @mlp_kernels::@mlp_kernel0 blocks in ({{.*}}) threads in ({{.*}}) dynamic_shared_memory_size %{{.*}} args(%[[X]] : memref<16x256xf16>, %[[W]] : memref<256x64xf16>, %[[H]] : memref<16x64xf16>)
// CHECK:         gpu.launch_func @mlp_kernels::@mlp_kernel1 blocks in ({{.*}}) threads in ({{.*}}) {{.*}}args(%[[H]] : memref<16x64xf16>, %[[Y]] : memref<16x64xf16>)
// CHECK:       gpu.binary @mlp_kernels [#gpu.object<#nvvm.target<O = 3, chip = "sm_90", features = "+ptx80">, {{.*}}assembly =

// Every parameter is one pointer (the bare-pointer convention); the dynamic
// shared memory is the extern array CUDA declares; the matmul runs on tensor
// cores, its for-loop (k in 4 steps) fed by cp.async; the exponential comes
// from libdevice.
// SM90:      .version 8.0
// SM90:      .target sm_90
// SM90:      .extern .shared .align 16 .b8 __dynamic_shmem__0[];
// SM90:      .entry mlp_kernel0(
// SM90-NEXT:   .param .u64 .ptr .align 1 mlp_kernel0_param_0,
// SM90-NEXT:   .param .u64 .ptr .align 1 mlp_kernel0_param_1,
// SM90-NEXT:   .param .u64 .ptr .align 1 mlp_kernel0_param_2
// SM90-NEXT: )
// SM90-NEXT: .maxntid 128, 1, 1
// SM90:      cp.async.cg.shared.global
// SM90:      ldmatrix.sync.aligned.m8n8.x4.shared.b16
// SM90:      ldmatrix.sync.aligned.m8n8.x2.trans.shared.b16
// SM90:      mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32
// SM90:      .entry mlp_kernel1(
// SM90:      ex2.approx

// SM90A:     .version 8.0
// SM90A:     .target sm_90a
// SM80:      .version 7.0
// SM80:      .target sm_80
// SM80:      mma.sync.aligned.m16n8k16
// SM120:     .version 8.7
// SM120:     .target sm_120

// sm_75 has neither m16n8k16 nor cp.async: SIMT matmul, synchronous copies.
// SM75:      .version 7.0
// SM75:      .target sm_75
// SM75-NOT:  mma.sync
// SM75-NOT:  cp.async
// SM75:      .entry mlp_kernel1(
func.func @mlp(%x: tensor<16x256xf16>, %w: tensor<256x64xf16>) -> tensor<16x64xf16> {
  %h = kernel.matmul %x, %w : tensor<16x256xf16>, tensor<256x64xf16>
  %y = kernel.exp %h : tensor<16x64xf16>
  return %y : tensor<16x64xf16>
}
