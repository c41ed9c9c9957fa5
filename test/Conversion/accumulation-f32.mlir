// RUN: mirage-opt %s -split-input-file --mirage-lower-to-structured | FileCheck %s
// RUN: mirage-opt %s -split-input-file --mirage-lower-to-structured --mirage-map-to-gpu \
// RUN:   | FileCheck %s --check-prefix=GPU
// RUN: mirage-opt %s -split-input-file --mirage-lower-to-structured \
// RUN:   --mirage-map-to-gpu="tensor-cores=false vectorize=false async-copy=false" \
// RUN:   | FileCheck %s --check-prefix=SIMT
// RUN: rm -rf %t && mkdir -p %t
// RUN: %if ptxas %{ mirage-opt %s -split-input-file --mirage-to-ptx="chip=sm_90 output=%t" -o /dev/null %}
// RUN: %if ptxas %{ for f in looped scaled attention; do %ptxas -arch=sm_90 %t/$f.ptx -o %t/$f.cubin || exit 1; done %}
//
// Accumulation in f32 (docs/Semantics.md, "Accumulation"; docs/Lowering.md,
// "Numerics"): a looped matmul's partial products reach their accumulator
// unrounded and the sums are rounded once, after the loop.

// A plain accumulator of a matmul: the matmul's f32 buffer is the
// accumulator. It is zeroed once before the loop, every iteration's
// linalg.matmul adds into it, and it is rounded to f16 once, after the loop.
// CHECK-LABEL: func.func @looped
// CHECK: %[[MM:.*]] = memref.alloca() : memref<16x64xf32, #gpu.address_space<workgroup>>
// CHECK: %[[ACC:.*]] = memref.alloca() : memref<16x64xf16, #gpu.address_space<workgroup>>
// CHECK-NOT: #gpu.address_space<private>
// CHECK: memref.store %cst{{.*}}, %[[MM]]
// CHECK: }
// CHECK-NEXT: }
// CHECK-NEXT: structured.for_loop
// CHECK-NOT: arith.truncf
// CHECK-NOT: memref.store
// CHECK: linalg.matmul ins({{.*}}) outs(%[[MM]] : memref<16x64xf32, #gpu.address_space<workgroup>>)
// CHECK-NEXT: }
// CHECK-NEXT: structured.phase
// CHECK: %[[SUM:.*]] = memref.load %[[MM]]
// CHECK-NEXT: %[[ROUNDED:.*]] = arith.truncf %[[SUM]] : f32 to f16
// CHECK-NEXT: memref.store %[[ROUNDED]], %[[ACC]]
//
// On the GPU the mma.sync fragments start from the f32 sums of the earlier
// iterations and go back to them, in f32; the only rounding to f16 follows
// the loop.
// GPU-LABEL: func.func @looped
// GPU: gpu.launch
// GPU-NOT: arith.truncf
// GPU: vector.load %[[SUMS:.*]][%{{.*}}, %{{.*}}] {alignment = 8 : i64} : memref<16x68xf32, #gpu.address_space<workgroup>>, vector<2xf32>
// GPU-NOT: arith.truncf
// GPU: nvgpu.mma.sync({{.*}}) {mmaShape = [16, 8, 16]} : (vector<4x2xf16>, vector<2x2xf16>, vector<2x2xf32>) -> vector<2x2xf32>
// GPU-NOT: arith.truncf
// GPU: vector.store %{{.*}}, %[[SUMS]][%{{.*}}, %{{.*}}] {alignment = 8 : i64} : memref<16x68xf32, #gpu.address_space<workgroup>>, vector<2xf32>
// GPU-NOT: arith.truncf
// GPU: gpu.barrier
// GPU-NEXT: }
// GPU: memref.load %{{.*}} : memref<16x64xf32, strided<[68, 1]>, #gpu.address_space<workgroup>>
// GPU-NEXT: arith.truncf %{{.*}} : f32 to f16
//
// Without tensor cores each thread's dot product starts from the f32 sum.
// SIMT-LABEL: func.func @looped
// SIMT-NOT: arith.truncf
// SIMT: %[[INIT:.*]] = memref.load %[[C:.*]][%{{.*}}, %{{.*}}] : memref<16x64xf32, strided<[68, 1]>, #gpu.address_space<workgroup>>
// SIMT-NEXT: scf.for {{.*}} iter_args(%{{.*}} = %[[INIT]]) -> (f32)
// SIMT-NOT: arith.truncf
// SIMT: memref.store %{{.*}}, %[[C]][%{{.*}}, %{{.*}}] : memref<16x64xf32, strided<[68, 1]>, #gpu.address_space<workgroup>>
// SIMT-NOT: arith.truncf
// SIMT: gpu.barrier
// SIMT-NEXT: }
// SIMT: memref.load %[[C]]
// SIMT-NEXT: arith.truncf %{{.*}} : f32 to f16
func.func @looped(%x: tensor<16x256xf16>, %w: tensor<256x64xf16>) -> tensor<16x64xf16> {
  %y = kernel.graph_defined (%x, %w) grid [1, 1, 1] block [128, 1, 1]
      forloop 4 : (tensor<16x256xf16>, tensor<256x64xf16>) -> tensor<16x64xf16> {
  ^bb0(%xd: tensor<16x256xf16>, %wd: tensor<256x64xf16>):
    %xt = block.loader %xd imap [-1, -1, -1] fmap 1
        : tensor<16x256xf16> -> !block.tile<16x64xf16, pre>
    %wt = block.loader %wd imap [-1, -1, -1] fmap 0
        : tensor<256x64xf16> -> !block.tile<64x64xf16, pre>
    %mm = block.matmul %xt, %wt
        : !block.tile<16x64xf16, pre>, !block.tile<64x64xf16, pre>
    %acc = block.accum none %mm
        : !block.tile<16x64xf16, pre> -> !block.tile<16x64xf16, post>
    %saved = block.saver %acc omap [-1, -1, -1]
        : !block.tile<16x64xf16, post> -> tensor<16x64xf16>
    block.yield %saved : tensor<16x64xf16>
  }
  return %y : tensor<16x64xf16>
}

// -----

// An element-wise op between the matmul and the accumulator: the product
// stays f32 through the scaling into the per-thread f32 sums (no rounding to
// the tiles' f16 in the loop).
// CHECK-LABEL: func.func @scaled
// CHECK: %[[MM:.*]] = memref.alloca() : memref<16x64xf32, #gpu.address_space<workgroup>>
// CHECK: %[[STATE:.*]] = memref.alloca() : memref<128x8xf32, #gpu.address_space<private>>
// CHECK: scf.for
// CHECK: linalg.matmul ins({{.*}}) outs(%[[MM]] : memref<16x64xf32, #gpu.address_space<workgroup>>)
// CHECK: %[[OLD:.*]] = memref.load %[[STATE]]
// CHECK-NEXT: %[[P:.*]] = memref.load %[[MM]]
// CHECK-NEXT: %[[SCALED:.*]] = arith.mulf %[[P]], %cst
// CHECK-NEXT: %[[NEW:.*]] = arith.addf %[[OLD]], %[[SCALED]] : f32
// CHECK-NEXT: memref.store %[[NEW]], %[[STATE]]
// CHECK: }
// CHECK-NEXT: }
// CHECK-NEXT: }
// CHECK-NEXT: structured.phase
// CHECK: memref.load %[[STATE]]
// CHECK-NEXT: arith.truncf %{{.*}} : f32 to f16
// GPU-LABEL: func.func @scaled
// SIMT-LABEL: func.func @scaled
func.func @scaled(%x: tensor<16x256xf16>, %w: tensor<256x64xf16>) -> tensor<16x64xf16> {
  %y = kernel.graph_defined (%x, %w) grid [1, 1, 1] block [128, 1, 1]
      forloop 4 : (tensor<16x256xf16>, tensor<256x64xf16>) -> tensor<16x64xf16> {
  ^bb0(%xd: tensor<16x256xf16>, %wd: tensor<256x64xf16>):
    %xt = block.loader %xd imap [-1, -1, -1] fmap 1
        : tensor<16x256xf16> -> !block.tile<16x64xf16, pre>
    %wt = block.loader %wd imap [-1, -1, -1] fmap 0
        : tensor<256x64xf16> -> !block.tile<64x64xf16, pre>
    %mm = block.matmul %xt, %wt
        : !block.tile<16x64xf16, pre>, !block.tile<64x64xf16, pre>
    %s = block.mul_scalar %mm, 0.125 : !block.tile<16x64xf16, pre>
    %acc = block.accum none %s
        : !block.tile<16x64xf16, pre> -> !block.tile<16x64xf16, post>
    %saved = block.saver %acc omap [-1, -1, -1]
        : !block.tile<16x64xf16, post> -> tensor<16x64xf16>
    block.yield %saved : tensor<16x64xf16>
  }
  return %y : tensor<16x64xf16>
}

// -----

// Flash-attention's first kernel: E = exp(Q K) is read by the sum
// accumulator and by the matmul E V, so it is rounded to f16 (as are the
// scores Q K it reads), and both readers see that one value; E V, read by
// the plain accumulator alone, accumulates in f32 across iterations.
// CHECK-LABEL: func.func @attention
// CHECK: %[[S:.*]] = memref.alloca() : memref<1x16x64xf32, #gpu.address_space<workgroup>>
// CHECK: %[[E:.*]] = memref.alloca() : memref<1x16x64xf16, #gpu.address_space<workgroup>>
// CHECK: %[[EV:.*]] = memref.alloca() : memref<1x16x64xf32, #gpu.address_space<workgroup>>
// CHECK: structured.for_loop
// CHECK: linalg.batch_matmul ins({{.*}}) outs(%[[S]] : memref<1x16x64xf32, #gpu.address_space<workgroup>>)
// CHECK: %[[SV:.*]] = memref.load %[[S]]
// CHECK-NEXT: %[[SR:.*]] = arith.truncf %[[SV]] : f32 to f16
// CHECK-NEXT: %[[SX:.*]] = arith.extf %[[SR]] : f16 to f32
// CHECK-NEXT: %[[EX:.*]] = math.exp %[[SX]] : f32
// CHECK-NEXT: %[[ER:.*]] = arith.truncf %[[EX]] : f32 to f16
// CHECK: memref.store %[[ER]], %[[E]]
// CHECK: linalg.batch_matmul ins(%[[E]], %{{.*}} : memref<1x16x64xf16, #gpu.address_space<workgroup>>, memref<1x64x64xf16, #gpu.address_space<workgroup>>) outs(%[[EV]] : memref<1x16x64xf32, #gpu.address_space<workgroup>>)
// CHECK-NEXT: }
// CHECK-NEXT: structured.phase
// GPU-LABEL: func.func @attention
// SIMT-LABEL: func.func @attention
func.func @attention(%q: tensor<1x16x64xf16>, %k: tensor<1x64x256xf16>,
                     %v: tensor<1x256x64xf16>) -> (tensor<1x16x1xf16>, tensor<1x16x64xf16>) {
  %sums, %numerators = kernel.graph_defined (%q, %k, %v)
      grid [1, 1, 1] block [128, 1, 1] forloop 4
      : (tensor<1x16x64xf16>, tensor<1x64x256xf16>, tensor<1x256x64xf16>)
      -> (tensor<1x16x1xf16>, tensor<1x16x64xf16>) {
  ^bb0(%qd: tensor<1x16x64xf16>, %kd: tensor<1x64x256xf16>,
       %vd: tensor<1x256x64xf16>):
    %qt = block.loader %qd imap [-1, -1, -1] fmap -1
        : tensor<1x16x64xf16> -> !block.tile<1x16x64xf16, pre>
    %kt = block.loader %kd imap [-1, -1, -1] fmap 2
        : tensor<1x64x256xf16> -> !block.tile<1x64x64xf16, pre>
    %vt = block.loader %vd imap [-1, -1, -1] fmap 1
        : tensor<1x256x64xf16> -> !block.tile<1x64x64xf16, pre>
    %s = block.matmul %qt, %kt
        : !block.tile<1x16x64xf16, pre>, !block.tile<1x64x64xf16, pre>
    %e = block.exp %s : !block.tile<1x16x64xf16, pre>
    %rowsum = block.accum sum %e
        : !block.tile<1x16x64xf16, pre> -> !block.tile<1x16x1xf16, post>
    %ev = block.matmul %e, %vt
        : !block.tile<1x16x64xf16, pre>, !block.tile<1x64x64xf16, pre>
    %numerator = block.accum none %ev
        : !block.tile<1x16x64xf16, pre> -> !block.tile<1x16x64xf16, post>
    %sums_out = block.saver %rowsum omap [-1, -1, -1]
        : !block.tile<1x16x1xf16, post> -> tensor<1x16x1xf16>
    %numerators_out = block.saver %numerator omap [-1, -1, -1]
        : !block.tile<1x16x64xf16, post> -> tensor<1x16x64xf16>
    block.yield %sums_out, %numerators_out
        : tensor<1x16x1xf16>, tensor<1x16x64xf16>
  }
  return %sums, %numerators : tensor<1x16x1xf16>, tensor<1x16x64xf16>
}
