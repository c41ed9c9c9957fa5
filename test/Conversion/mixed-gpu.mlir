// --mirage-lower-calls-to-gpu: every called kernel-level function is lowered
// as --mirage-to-ptx lowers it and its kernels are launched from each call,
// between host <-> device copies; upstream's gpu-kernel-outlining makes them
// gpu.launch_func on one gpu.module per function. What the GPU mapping
// refuses stays on the host with a remark; what cannot be rewritten is an
// error.
//
// RUN: mirage-opt %s -split-input-file --mirage-lower-calls-to-gpu \
// RUN:   -verify-diagnostics | FileCheck %s
// RUN: mirage-opt %s -split-input-file --mirage-lower-calls-to-gpu \
// RUN:   --gpu-launch-sink-index-computations --gpu-kernel-outlining \
// RUN:   -verify-diagnostics | FileCheck %s --check-prefix=OUTLINED

// An f16 matmul and an exp: two kernels (the matmul's result goes through
// the workspace), 2 blocks of 128 threads each, 35840 and 8704 bytes of
// dynamic shared memory.
// CHECK-LABEL: module attributes {gpu.container_module}
// CHECK:       func.func @caller
// CHECK-SAME:    (%[[X:.*]]: tensor<64x64xf16>, %[[W:.*]]: tensor<64x128xf16>)
// CHECK-NEXT:    %[[HX:.*]] = bufferization.to_buffer %[[X]] read_only : tensor<64x64xf16> to memref<64x64xf16>
// CHECK-NEXT:    %[[DX:.*]] = gpu.alloc () : memref<64x64xf16>
// CHECK-NEXT:    gpu.memcpy %[[DX]], %[[HX]] : memref<64x64xf16>, memref<64x64xf16>
// CHECK-NEXT:    %[[HW:.*]] = bufferization.to_buffer %[[W]] read_only : tensor<64x128xf16> to memref<64x128xf16>
// CHECK-NEXT:    %[[DW:.*]] = gpu.alloc () : memref<64x128xf16>
// CHECK-NEXT:    gpu.memcpy %[[DW]], %[[HW]]
// CHECK-NEXT:    %[[DO:.*]] = gpu.alloc () : memref<64x128xf16>
// CHECK-NEXT:    %[[WS:.*]] = gpu.alloc () : memref<16384xi8>
// CHECK:         %[[MID:.*]] = memref.view %[[WS]][%{{.*}}][] : memref<16384xi8> to memref<64x128xf16>
// CHECK:         gpu.launch blocks({{.*}}) in ({{.*}} = %[[C2:.*]], {{.*}} = %[[C1:.*]], {{.*}} = %[[C1]]) threads({{.*}}) in ({{.*}} = %[[C128:.*]], {{.*}}) dynamic_shared_memory_size %{{.*}} module(@region_kernels) function(@region_kernel0)
// CHECK:         gpu.launch {{.*}} module(@region_kernels) function(@region_kernel1)
// CHECK:         %[[HO:.*]] = memref.alloc() {alignment = 64 : i64} : memref<64x128xf16>
// CHECK-NEXT:    gpu.memcpy %[[HO]], %[[DO]] : memref<64x128xf16>, memref<64x128xf16>
// CHECK-NEXT:    gpu.dealloc %[[DX]]
// CHECK-NEXT:    gpu.dealloc %[[DW]]
// CHECK-NEXT:    gpu.dealloc %[[DO]]
// CHECK-NEXT:    gpu.dealloc %[[WS]]
// CHECK-NEXT:    %[[T:.*]] = bufferization.to_tensor %[[HO]] restrict writable : memref<64x128xf16> to tensor<64x128xf16>
// CHECK-NEXT:    return %[[T]]
// CHECK-NOT:   func.func {{.*}}@region

// OUTLINED-LABEL: func.func @caller
// OUTLINED:       %[[DX:.*]] = gpu.alloc () : memref<64x64xf16>
// OUTLINED:       %[[DW:.*]] = gpu.alloc () : memref<64x128xf16>
// OUTLINED:       %[[DO:.*]] = gpu.alloc () : memref<64x128xf16>
// OUTLINED:       %[[WS:.*]] = gpu.alloc () : memref<16384xi8>
// OUTLINED:       %[[MID:.*]] = memref.view %[[WS]]
// OUTLINED:       %[[SM0:.*]] = arith.constant 35840 : i32
// OUTLINED:       gpu.launch_func @region_kernels::@region_kernel0 blocks in (%[[G0:.*]], %{{.*}}, %{{.*}}) threads in (%[[T0:.*]], %{{.*}}, %{{.*}}) dynamic_shared_memory_size %[[SM0]] args(%[[DX]] : memref<64x64xf16>, %[[DW]] : memref<64x128xf16>, %[[MID]] : memref<64x128xf16>)
// OUTLINED:       %[[SM1:.*]] = arith.constant 8704 : i32
// OUTLINED:       gpu.launch_func @region_kernels::@region_kernel1 blocks in ({{.*}}) threads in ({{.*}}) dynamic_shared_memory_size %[[SM1]] args(%[[MID]] : memref<64x128xf16>, %[[DO]] : memref<64x128xf16>)
// OUTLINED:       gpu.module @region_kernels
// OUTLINED:         gpu.func @region_kernel0(
// OUTLINED-SAME:      kernel
// OUTLINED-SAME:      known_block_size = array<i32: 128, 1, 1>
// OUTLINED-SAME:      known_grid_size = array<i32: 2, 1, 1>
// OUTLINED:         gpu.func @region_kernel1(
func.func @caller(%x: tensor<64x64xf16>, %w: tensor<64x128xf16>) -> tensor<64x128xf16> {
  %r = func.call @region(%x, %w) : (tensor<64x64xf16>, tensor<64x128xf16>) -> tensor<64x128xf16>
  return %r : tensor<64x128xf16>
}
func.func private @region(%x: tensor<64x64xf16>, %w: tensor<64x128xf16>) -> tensor<64x128xf16> attributes {mirage.outlined} {
  %m = kernel.matmul %x, %w : tensor<64x64xf16>, tensor<64x128xf16>
  %e = kernel.exp %m : tensor<64x128xf16>
  return %e : tensor<64x128xf16>
}

// -----

// Two calls: the kernels are launched from each, on the buffers of each.
// CHECK-LABEL: func.func @twice
// CHECK:         gpu.launch {{.*}} module(@region_kernels) function(@region_kernel0)
// CHECK:         gpu.dealloc
// CHECK:         gpu.launch {{.*}} module(@region_kernels) function(@region_kernel0)
// CHECK:         gpu.dealloc
// CHECK-NOT:   func.func {{.*}}@region
// OUTLINED-LABEL: func.func @twice
// OUTLINED-COUNT-2: gpu.launch_func @region_kernels::
func.func @twice(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %a = func.call @region(%x) : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %b = func.call @region(%a) : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %b : tensor<4x8xf32>
}
func.func private @region(%x: tensor<4x8xf32>) -> tensor<4x8xf32> attributes {mirage.outlined} {
  %e = kernel.exp %x : tensor<4x8xf32>
  return %e : tensor<4x8xf32>
}

// -----

// A kernel-level function nobody calls is left for mirage-lower-calls.
// CHECK-LABEL: func.func @uncalled
// CHECK-NEXT:    kernel.exp
// CHECK-NOT:   gpu.container_module
func.func @uncalled(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %e = kernel.exp %x : tensor<4x8xf32>
  return %e : tensor<4x8xf32>
}

// -----

func.func @not_outlined(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  // expected-error @below {{mirage-lower-calls-to-gpu: a kernel op in a function that is not kernel level: run --mirage-outline first}}
  %e = kernel.exp %x : tensor<4x8xf32>
  %z = arith.constant dense<0.0> : tensor<4x8xf32>
  %s = arith.addf %e, %z : tensor<4x8xf32>
  return %s : tensor<4x8xf32>
}

// -----

func.func @by_constant() -> ((tensor<4x8xf32>) -> tensor<4x8xf32>) {
  // expected-error @below {{mirage-lower-calls-to-gpu: refers to @region, a kernel-level function, other than by func.call: only calls can be rewritten into kernel launches}}
  %f = func.constant @region : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %f : (tensor<4x8xf32>) -> tensor<4x8xf32>
}
func.func private @region(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %e = kernel.exp %x : tensor<4x8xf32>
  return %e : tensor<4x8xf32>
}
