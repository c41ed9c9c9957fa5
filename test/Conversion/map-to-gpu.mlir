// RUN: mirage-opt %s -split-input-file -verify-diagnostics --mirage-map-to-gpu \
// RUN:   | FileCheck %s
// RUN: mirage-opt %s -split-input-file -verify-diagnostics \
// RUN:   --mirage-map-to-gpu="tensor-cores=false vectorize=false async-copy=false" \
// RUN:   | FileCheck %s --check-prefix=PLAIN

// A kernel becomes a gpu.launch of its grid and block, named after it. Phases
// are inlined with the thread id and followed by a barrier only when they
// touch workgroup memory or write global memory, and not at the end. A
// private buffer becomes a per-thread array, indexed by constants once the
// loops over it are unrolled.
// CHECK-LABEL: func.func @phases
// CHECK:         %[[GRID:.*]] = arith.constant 4 : index
// CHECK:         %[[BYTES:.*]] = arith.constant 1024 : i32
// CHECK:         %[[THREADS:.*]] = arith.constant 128 : index
// CHECK:         gpu.launch blocks(%[[BX:[a-z0-9]+]], %{{[a-z0-9]+}}, %{{[a-z0-9]+}}) in (%{{[a-z0-9]+}} = %[[GRID]],
// CHECK-SAME:      threads(%{{[a-z0-9]+}}, %{{[a-z0-9]+}}, %{{[a-z0-9]+}}) in (%{{[a-z0-9]+}} = %[[THREADS]],
// CHECK-SAME:      dynamic_shared_memory_size %[[BYTES]] module(@phases_kernels) function(@phases_kernel0)
// CHECK:         %[[TID:.*]] = gpu.thread_id x
// CHECK:         %[[SMEM:.*]] = gpu.dynamic_shared_memory : memref<?xi8, #gpu.address_space<workgroup>>
// CHECK:         %[[TILE:.*]] = memref.view %[[SMEM]][%{{.*}}][] : memref<?xi8, #gpu.address_space<workgroup>> to memref<1x256xf32, #gpu.address_space<workgroup>>
// CHECK:         %[[ACC:.*]] = memref.alloca() : memref<2xf32>
// CHECK-NOT:     scf.parallel
// CHECK:         memref.store %{{.*}}, %[[ACC]][%{{.*}}] : memref<2xf32>
// CHECK:         memref.store %{{.*}}, %[[ACC]][%{{.*}}] : memref<2xf32>
// CHECK-NEXT:    scf.for
// CHECK:           %[[J:.*]] = arith.addi %[[TID]], %{{.*}} : index
// CHECK:           %[[X:.*]] = memref.load %{{.*}}[%[[BX]], %[[J]]] : memref<4x256xf32>
// CHECK:           memref.store %[[X]], %[[TILE]][%{{.*}}, %[[J]]]
// CHECK:         }
// CHECK-NEXT:    gpu.barrier
// CHECK:         memref.load %[[TILE]]
// CHECK:         memref.load %[[ACC]]
// CHECK:         memref.store %{{.*}}, %{{.*}}[%[[BX]], %{{.*}}] : memref<4x256xf32>
// CHECK:         memref.load %[[TILE]]
// CHECK:         memref.load %[[ACC]]
// CHECK:         memref.store %{{.*}}, %{{.*}}[%[[BX]], %{{.*}}] : memref<4x256xf32>
// CHECK-NEXT:    gpu.terminator
func.func @phases(%in: memref<4x256xf32>, %out: memref<4x256xf32>, %ws: memref<0xi8>)
    attributes {structured.abi = #structured.abi<
          (tensor<4x256xf32>) -> tensor<4x256xf32>, workspace = 0>} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %c128 = arith.constant 128 : index
  %c255 = arith.constant 255 : index
  %zero = arith.constant 0.0 : f32
  structured.kernel "phases_kernel0" grid [4, 1, 1] block [128, 1, 1] forloop 1 (%bx, %by, %bz) {
    %tile = memref.alloca() : memref<1x256xf32, #gpu.address_space<workgroup>>
    %acc = memref.alloca() : memref<128x2xf32, #gpu.address_space<private>>
    structured.phase (%t) {
      scf.for %s = %c0 to %c2 step %c1 {
        memref.store %zero, %acc[%t, %s] : memref<128x2xf32, #gpu.address_space<private>>
      }
    }
    structured.phase (%t) {
      scf.for %s = %c0 to %c2 step %c1 {
        %o = arith.muli %s, %c128 : index
        %j = arith.addi %t, %o : index
        %v = memref.load %in[%bx, %j] : memref<4x256xf32>
        memref.store %v, %tile[%c0, %j] : memref<1x256xf32, #gpu.address_space<workgroup>>
      }
    }
    structured.phase (%t) {
      scf.for %s = %c0 to %c2 step %c1 {
        %o = arith.muli %s, %c128 : index
        %j = arith.addi %t, %o : index
        %r = arith.subi %c255, %j : index
        %v = memref.load %tile[%c0, %r] : memref<1x256xf32, #gpu.address_space<workgroup>>
        %a = memref.load %acc[%t, %s] : memref<128x2xf32, #gpu.address_space<private>>
        %w = arith.addf %a, %v : f32
        memref.store %w, %out[%bx, %j] : memref<4x256xf32>
      }
    }
  }
  return
}

// -----

// Shared-memory planning: %a is dead when %c is born, so they share bytes;
// %b is live at the same time as both and goes after them. Rows of 64 f16
// (128 bytes, an even number of 16-byte chunks) are padded to 72.
// CHECK-LABEL: func.func @planning
// CHECK-SAME:    (%{{.*}}: memref<64x64xf16>, %[[OUT:[a-z0-9]+]]: memref<64x64xf16>, %{{.*}}: memref<0xi8>)
// CHECK:         dynamic_shared_memory_size %c9280_i32
// CHECK:         %[[SMEM:.*]] = gpu.dynamic_shared_memory
// CHECK:         %[[A:.*]] = memref.view %[[SMEM]][%[[ZERO:c0[_0-9]*]]][] {{.*}} to memref<64x72xf16, #gpu.address_space<workgroup>>
// CHECK:         %[[AV:.*]] = memref.subview %[[A]][0, 0] [64, 64] [1, 1] {{.*}} to memref<64x64xf16, strided<[72, 1]>, #gpu.address_space<workgroup>>
// CHECK:         %[[B:.*]] = memref.view %[[SMEM]][%c9216][] {{.*}} to memref<16xf32, #gpu.address_space<workgroup>>
// CHECK:         %[[C:.*]] = memref.view %[[SMEM]][%[[ZERO]]][] {{.*}} to memref<64x72xf16, #gpu.address_space<workgroup>>
// CHECK:         %[[CV:.*]] = memref.subview %[[C]]
// CHECK:         memref.store %{{.*}}, %[[AV]]
// CHECK-NEXT:    gpu.barrier
// CHECK:         memref.load %[[AV]]
// CHECK:         memref.store %{{.*}}, %[[B]]
// CHECK-NEXT:    gpu.barrier
// CHECK:         memref.load %[[B]]
// CHECK:         memref.store %{{.*}}, %[[CV]]
// CHECK-NEXT:    gpu.barrier
// CHECK:         memref.load %[[CV]]
// CHECK:         memref.store %{{.*}}, %[[OUT]]
// CHECK-NEXT:    gpu.terminator
func.func @planning(%in: memref<64x64xf16>, %out: memref<64x64xf16>, %ws: memref<0xi8>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c128 = arith.constant 128 : index
  %h = arith.constant 0.0 : f16
  structured.kernel "planning_kernel0" grid [1, 1, 1] block [128, 1, 1] forloop 1 (%bx, %by, %bz) {
    %a = memref.alloca() : memref<64x64xf16, #gpu.address_space<workgroup>>
    %b = memref.alloca() : memref<16xf32, #gpu.address_space<workgroup>>
    %c = memref.alloca() : memref<64x64xf16, #gpu.address_space<workgroup>>
    structured.phase (%t) {
      memref.store %h, %a[%t, %c0] : memref<64x64xf16, #gpu.address_space<workgroup>>
    }
    structured.phase (%t) {
      %v = memref.load %a[%t, %c0] : memref<64x64xf16, #gpu.address_space<workgroup>>
      %f = arith.extf %v : f16 to f32
      memref.store %f, %b[%c0] : memref<16xf32, #gpu.address_space<workgroup>>
    }
    structured.phase (%t) {
      %f = memref.load %b[%c0] : memref<16xf32, #gpu.address_space<workgroup>>
      %v = arith.truncf %f : f32 to f16
      memref.store %v, %c[%t, %c0] : memref<64x64xf16, #gpu.address_space<workgroup>>
    }
    structured.phase (%t) {
      %v = memref.load %c[%t, %c0] : memref<64x64xf16, #gpu.address_space<workgroup>>
      memref.store %v, %out[%t, %c0] : memref<64x64xf16>
    }
  }
  return
}

// -----

// A cooperative copy: 16-byte vectors when both sides are contiguous and
// aligned (the source offset is a multiple of 64 elements), elements
// otherwise (rows of 3 f32); a barrier after each.
// CHECK-LABEL: func.func @copies
// CHECK:         %[[TID:.*]] = gpu.thread_id x
// CHECK:         %[[XT:.*]] = memref.subview %{{.*}}[0, 0] [8, 64] [1, 1] {{.*}} to memref<8x64xf16, strided<[72, 1]>, #gpu.address_space<workgroup>>
// CHECK:         %[[YT:.*]] = memref.view {{.*}} to memref<4x3xf32, #gpu.address_space<workgroup>>
// CHECK:         %[[XS:.*]] = memref.subview %{{.*}}[%{{.*}}, %{{.*}}] [8, 64] [1, 1]
// CHECK:         arith.cmpi ult, %[[TID]], %c64
// CHECK:         %[[V:.*]] = vector.load %[[XS]][%{{.*}}, %{{.*}}] {alignment = 16 : i64} : {{.*}}, vector<8xf16>
// CHECK:         vector.store %[[V]], %[[XT]][%{{.*}}, %{{.*}}] {alignment = 16 : i64} : {{.*}}, vector<8xf16>
// CHECK:         gpu.barrier
// CHECK:         %[[YS:.*]] = memref.subview %{{.*}}[4, 2] [4, 3] [1, 1]
// CHECK:         arith.cmpi ult, %[[TID]], %c12
// CHECK:         %[[E:.*]] = memref.load %[[YS]]
// CHECK:         memref.store %[[E]], %[[YT]]
// CHECK-NOT:     gpu.barrier
// CHECK:         gpu.terminator
// PLAIN-LABEL: func.func @copies
// PLAIN-NOT:     vector.load
// PLAIN:         gpu.terminator
func.func @copies(%x: memref<8x4096xf16>, %y: memref<8x6xf32>, %ws: memref<0xi8>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %c64 = arith.constant 64 : index
  %c128 = arith.constant 128 : index
  structured.kernel "copies_kernel0" grid [64, 1, 1] block [128, 1, 1] forloop 1 (%bx, %by, %bz) {
    %xt = memref.alloca() : memref<8x64xf16, #gpu.address_space<workgroup>>
    %yt = memref.alloca() : memref<4x3xf32, #gpu.address_space<workgroup>>
    %col = arith.muli %bx, %c64 : index
    %xs = memref.subview %x[%c0, %col] [8, 64] [1, 1] : memref<8x4096xf16> to memref<8x64xf16, strided<[4096, 1], offset: ?>>
    linalg.copy ins(%xs : memref<8x64xf16, strided<[4096, 1], offset: ?>>) outs(%xt : memref<8x64xf16, #gpu.address_space<workgroup>>)
    %ys = memref.subview %y[4, 2] [4, 3] [1, 1] : memref<8x6xf32> to memref<4x3xf32, strided<[6, 1], offset: 26>>
    linalg.copy ins(%ys : memref<4x3xf32, strided<[6, 1], offset: 26>>) outs(%yt : memref<4x3xf32, #gpu.address_space<workgroup>>)
  }
  return
}

// -----

// Tensor cores: two warps, one 16x8 tile of C each; k = 32 takes two steps
// of ldmatrix (A x4, B x2 transposed) and mma.sync m16n8k16. The tiles are
// padded against bank conflicts (rows of 32 and 16 f16, 16 f32).
// CHECK-LABEL: func.func @mma
// CHECK:         %[[A:.*]] = memref.view {{.*}} to memref<16x40xf16, #gpu.address_space<workgroup>>
// CHECK:         %[[B:.*]] = memref.view {{.*}} to memref<32x24xf16, #gpu.address_space<workgroup>>
// CHECK:         %[[C:.*]] = memref.view {{.*}} to memref<16x20xf32, #gpu.address_space<workgroup>>
// CHECK:         vector.load %[[C]]{{.*}} vector<2xf32>
// CHECK:         vector.load %[[C]]{{.*}} vector<2xf32>
// CHECK:         %[[ACC:.*]] = scf.for %{{.*}} = %{{.*}} to %c2 step %{{.*}} iter_args(%[[IT:.*]] = %{{.*}}) -> (vector<2x2xf32>)
// CHECK:           %[[FA:.*]] = nvgpu.ldmatrix %[[A]][{{.*}}] {numTiles = 4 : i32, transpose = false} : {{.*}} -> vector<4x2xf16>
// CHECK:           %[[FB:.*]] = nvgpu.ldmatrix %[[B]][{{.*}}] {numTiles = 2 : i32, transpose = true} : {{.*}} -> vector<2x2xf16>
// CHECK:           nvgpu.mma.sync(%[[FA]], %[[FB]], %[[IT]]) {mmaShape = [16, 8, 16]}
// CHECK:         vector.extract %[[ACC]][0]
// CHECK:         vector.extract %[[ACC]][1]
// CHECK:         vector.store %{{.*}}, %[[C]]
// CHECK:         vector.store %{{.*}}, %[[C]]
// CHECK:         gpu.barrier
// PLAIN-LABEL: func.func @mma
// PLAIN-NOT:     nvgpu
// PLAIN:         arith.mulf
// PLAIN:         gpu.terminator
func.func @mma(%x: memref<16x32xf16>, %w: memref<32x16xf16>, %ws: memref<0xi8>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %zero = arith.constant 0.0 : f32
  structured.kernel "mma_kernel0" grid [1, 1, 1] block [64, 1, 1] forloop 1 (%bx, %by, %bz) {
    %a = memref.alloca() : memref<16x32xf16, #gpu.address_space<workgroup>>
    %b = memref.alloca() : memref<32x16xf16, #gpu.address_space<workgroup>>
    %c = memref.alloca() : memref<16x16xf32, #gpu.address_space<workgroup>>
    linalg.copy ins(%x : memref<16x32xf16>) outs(%a : memref<16x32xf16, #gpu.address_space<workgroup>>)
    linalg.copy ins(%w : memref<32x16xf16>) outs(%b : memref<32x16xf16, #gpu.address_space<workgroup>>)
    linalg.matmul ins(%a, %b : memref<16x32xf16, #gpu.address_space<workgroup>>, memref<32x16xf16, #gpu.address_space<workgroup>>) outs(%c : memref<16x16xf32, #gpu.address_space<workgroup>>)
    structured.phase (%t) {
      %v = memref.load %c[%c0, %t] : memref<16x16xf32, #gpu.address_space<workgroup>>
      memref.store %v, %c[%c1, %t] : memref<16x16xf32, #gpu.address_space<workgroup>>
    }
  }
  return
}

// -----

// Other matmuls (here f32) run as a SIMT loop: thread t computes the elements
// t, t + T, ... of C as dot products.
// CHECK-LABEL: func.func @simt
// CHECK:         %[[TID:.*]] = gpu.thread_id x
// CHECK-NOT:     nvgpu
// CHECK:         %[[INIT:.*]] = memref.load %[[C:.*]][%{{.*}}, %{{.*}}, %{{.*}}] : memref<2x4x4xf32
// CHECK:         %[[DOT:.*]] = scf.for %{{.*}} = %{{.*}} to %c8 step %{{.*}} iter_args(%[[S:.*]] = %[[INIT]]) -> (f32)
// CHECK:           %[[P:.*]] = arith.mulf
// CHECK:           %[[N:.*]] = arith.addf %[[S]], %[[P]]
// CHECK:           scf.yield %[[N]]
// CHECK:         memref.store %[[DOT]], %[[C]]
// CHECK-NEXT:    gpu.terminator
func.func @simt(%ws: memref<0xi8>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c32 = arith.constant 32 : index
  structured.kernel "simt_kernel0" grid [1, 1, 1] block [32, 1, 1] forloop 1 (%bx, %by, %bz) {
    %a = memref.alloca() : memref<2x4x8xf32, #gpu.address_space<workgroup>>
    %b = memref.alloca() : memref<2x8x4xf32, #gpu.address_space<workgroup>>
    %c = memref.alloca() : memref<2x4x4xf32, #gpu.address_space<workgroup>>
    linalg.batch_matmul ins(%a, %b : memref<2x4x8xf32, #gpu.address_space<workgroup>>, memref<2x8x4xf32, #gpu.address_space<workgroup>>) outs(%c : memref<2x4x4xf32, #gpu.address_space<workgroup>>)
  }
  return
}

// -----

// Copies at the top of the for-loop are double-buffered: the first tile is
// fetched before the loop, iteration i fetches tile i + 1 into the other
// stage with cp.async, waits for its own and meets the other threads.
// CHECK-LABEL: func.func @pipelined
// CHECK:         dynamic_shared_memory_size %c4608_i32
// CHECK:         %[[S0:.*]] = memref.subview %{{.*}}[0, 0] [16, 64] [1, 1]
// CHECK:         %[[S1:.*]] = memref.subview %{{.*}}[0, 0] [16, 64] [1, 1]
// CHECK:         nvgpu.device_async_copy %{{.*}}, %[[S0]][%{{.*}}], 8 {bypassL1}
// CHECK:         %[[FIRST:.*]] = nvgpu.device_async_create_group
// CHECK:         scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK:           %[[CUR:.*]] = arith.select %[[ODD:.*]], %[[S1]], %[[S0]]
// CHECK:           %[[NEXT:.*]] = arith.select %[[ODD]], %[[S0]], %[[S1]]
// CHECK:           scf.if
// CHECK:             nvgpu.device_async_copy %{{.*}}, %[[NEXT]][%{{.*}}], 8 {bypassL1}
// CHECK:             %[[G:.*]] = nvgpu.device_async_create_group
// CHECK:             nvgpu.device_async_wait %[[G]] {numGroups = 1 : i32}
// CHECK:           } else {
// CHECK:             nvgpu.device_async_wait %[[FIRST]] {numGroups = 0 : i32}
// CHECK:           }
// CHECK-NEXT:      gpu.barrier
// CHECK-NOT:       linalg.copy
// CHECK:           memref.load %[[CUR]]
// CHECK:           gpu.barrier
// CHECK-NEXT:    }
// PLAIN-LABEL: func.func @pipelined
// PLAIN-NOT:     nvgpu
// PLAIN:         scf.for
// PLAIN:           memref.load %{{.*}} : memref<16x64xf16, strided<[256, 1], offset: ?>>
// PLAIN:           memref.store
// PLAIN:           gpu.barrier
// PLAIN:             gpu.barrier
// PLAIN-NEXT:      }
// PLAIN-NEXT:      gpu.terminator
func.func @pipelined(%x: memref<16x256xf16>, %ws: memref<0xi8>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c64 = arith.constant 64 : index
  %c128 = arith.constant 128 : index
  structured.kernel "pipelined_kernel0" grid [1, 1, 1] block [128, 1, 1] forloop 4 (%bx, %by, %bz) {
    %a = memref.alloca() : memref<16x64xf16, #gpu.address_space<workgroup>>
    %acc = memref.alloca() : memref<128x1xf32, #gpu.address_space<private>>
    structured.for_loop (%i) {
      %col = arith.muli %i, %c64 : index
      %xs = memref.subview %x[%c0, %col] [16, 64] [1, 1] : memref<16x256xf16> to memref<16x64xf16, strided<[256, 1], offset: ?>>
      linalg.copy ins(%xs : memref<16x64xf16, strided<[256, 1], offset: ?>>) outs(%a : memref<16x64xf16, #gpu.address_space<workgroup>>)
      structured.phase (%t) {
        %v = memref.load %a[%c0, %c0] : memref<16x64xf16, #gpu.address_space<workgroup>>
        %f = arith.extf %v : f16 to f32
        %s = memref.load %acc[%t, %c0] : memref<128x1xf32, #gpu.address_space<private>>
        %n = arith.addf %s, %f : f32
        memref.store %n, %acc[%t, %c0] : memref<128x1xf32, #gpu.address_space<private>>
      }
    }
  }
  return
}

// -----

func.func @too_big(%ws: memref<0xi8>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c128 = arith.constant 128 : index
  %zero = arith.constant 0.0 : f32
  // expected-error @+1 {{kernel 'too_big_kernel0' needs 266240 bytes of shared memory, but only 232448 are available (option shared-memory-bytes)}}
  structured.kernel "too_big_kernel0" grid [1, 1, 1] block [128, 1, 1] forloop 1 (%bx, %by, %bz) {
    %a = memref.alloca() : memref<256x256xf32, #gpu.address_space<workgroup>>
    structured.phase (%t) {
      memref.store %zero, %a[%t, %t] : memref<256x256xf32, #gpu.address_space<workgroup>>
    }
  }
  return
}

// -----

func.func @no_mapping(%x: memref<4xf32>, %y: memref<4xf32>, %ws: memref<0xi8>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  structured.kernel "no_mapping_kernel0" grid [1, 1, 1] block [32, 1, 1] forloop 1 (%bx, %by, %bz) {
    // expected-error @+1 {{'memref.copy' op in kernel 'no_mapping_kernel0': has no GPU mapping at block level (index arithmetic, subviews, loops, phases, buffers and cooperative ops have)}}
    memref.copy %x, %y : memref<4xf32> to memref<4xf32>
  }
  return
}

// -----

func.func @no_lowering_in_phase(%x: memref<4xf32>, %ws: memref<0xi8>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  structured.kernel "no_lowering_in_phase_kernel0" grid [1, 1, 1] block [32, 1, 1] forloop 1 (%bx, %by, %bz) {
    structured.phase (%t) {
      // expected-error @+1 {{'vector.load' op in kernel 'no_lowering_in_phase_kernel0': has no lowering inside a phase (arith, math, scf.for, scf.if, memref.load, memref.store, vector.from_elements and vector.store have)}}
      %v = vector.load %x[%c0] : memref<4xf32>, vector<4xf32>
    }
  }
  return
}

// -----

func.func @element_type(%ws: memref<0xi8>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  structured.kernel "element_type_kernel0" grid [1, 1, 1] block [32, 1, 1] forloop 1 (%bx, %by, %bz) {
    // expected-error @+1 {{'memref.alloca' op has unsupported element type 'f64' (the GPU mapping supports f16, bf16 and f32)}}
    %a = memref.alloca() : memref<4xf64, #gpu.address_space<workgroup>>
  }
  return
}

// -----

// The signature names the bundle's element types (the structured.abi
// attribute's verifier): f64 is not one.
// expected-error @+2 {{the signature's 'tensor<4xf64>' is not a statically shaped tensor of f16, bf16 or f32}}
func.func @argument_type(%x: memref<4xf64>, %ws: memref<0xi8>)
    attributes {structured.abi = #structured.abi<
          (tensor<4xf64>) -> (), workspace = 0>} {
  return
}

// -----

func.func @block_shape(%ws: memref<0xi8>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @+1 {{kernel 'block_shape_kernel0' has block [32, 2, 1]; the GPU mapping supports blocks [T, 1, 1]}}
  structured.kernel "block_shape_kernel0" grid [1, 1, 1] block [32, 2, 1] forloop 1 (%bx, %by, %bz) {
  }
  return
}

// -----

func.func @too_many_threads(%ws: memref<0xi8>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  // expected-error @+1 {{kernel 'too_many_threads_kernel0' has 2048 threads per block; CUDA allows at most 1024}}
  structured.kernel "too_many_threads_kernel0" grid [1, 1, 1] block [2048, 1, 1] forloop 1 (%bx, %by, %bz) {
  }
  return
}

// -----

func.func @workgroup_use(%ws: memref<0xi8>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  structured.kernel "workgroup_use_kernel0" grid [1, 1, 1] block [32, 1, 1] forloop 1 (%bx, %by, %bz) {
    %a = memref.alloca() : memref<4xf32, #gpu.address_space<workgroup>>
    // expected-error @+1 {{'memref.cast' op in kernel 'workgroup_use_kernel0': uses a workgroup buffer; only loads, stores, subviews and cooperative ops may}}
    %b = memref.cast %a : memref<4xf32, #gpu.address_space<workgroup>> to memref<?xf32, #gpu.address_space<workgroup>>
  }
  return
}

// -----

#map_a = affine_map<(m, n, k) -> (k, m)>
#map_b = affine_map<(m, n, k) -> (k, n)>
#map_c = affine_map<(m, n, k) -> (m, n)>
func.func @transposed_matmul(%ws: memref<0xi8>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  structured.kernel "transposed_matmul_kernel0" grid [1, 1, 1] block [32, 1, 1] forloop 1 (%bx, %by, %bz) {
    %a = memref.alloca() : memref<16x16xf16, #gpu.address_space<workgroup>>
    %b = memref.alloca() : memref<16x16xf16, #gpu.address_space<workgroup>>
    %c = memref.alloca() : memref<16x16xf32, #gpu.address_space<workgroup>>
    // expected-error @+1 {{'linalg.matmul' op in kernel 'transposed_matmul_kernel0': a matmul with other than the default indexing maps has no GPU mapping}}
    linalg.matmul indexing_maps = [#map_a, #map_b, #map_c]
        ins(%a, %b : memref<16x16xf16, #gpu.address_space<workgroup>>, memref<16x16xf16, #gpu.address_space<workgroup>>) outs(%c : memref<16x16xf32, #gpu.address_space<workgroup>>)
  }
  return
}

