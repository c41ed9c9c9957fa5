// RUN: mirage-opt %s --mirage-lower-to-structured -split-input-file \
// RUN:   -verify-diagnostics | FileCheck %s

// RMSNorm + MatMul as one kernel (examples/ugraphs): the matmul operands are
// staged by linalg.copy into workgroup buffers and multiplied by a
// cooperative linalg.matmul into an f32 buffer; the rms accumulator lives in
// a per-thread buffer, and the plain accumulator of the matmul is the
// matmul's f32 buffer itself (zeroed once, added into by every iteration,
// rounded once); the division after the loop is fused into the saver.
// CHECK-LABEL: func.func @rmsnorm_matmul
// CHECK-SAME: (%[[X:.*]]: memref<2x4096xf16>, %[[W:.*]]: memref<4096x6144xf16>, %[[Y:.*]]: memref<2x6144xf16>, %{{.*}}: memref<0xi8>)
// CHECK-SAME: structured.abi = #structured.abi<(tensor<2x4096xf16>, tensor<4096x6144xf16>) -> tensor<2x6144xf16>, workspace = 0>
// CHECK: structured.kernel "rmsnorm_matmul_kernel0" grid [256, 1, 1] block [128, 1, 1] forloop 32 (%[[BX:.*]], %{{.*}}, %{{.*}}) {
// CHECK-DAG: %[[XT:.*]] = memref.alloca() : memref<2x128xf16, #gpu.address_space<workgroup>>
// CHECK-DAG: %[[WT:.*]] = memref.alloca() : memref<128x24xf16, #gpu.address_space<workgroup>>
// CHECK-DAG: %[[MM:.*]] = memref.alloca() : memref<2x24xf32, #gpu.address_space<workgroup>>
// CHECK-DAG: %[[ACC:.*]] = memref.alloca() : memref<2x24xf16, #gpu.address_space<workgroup>>
// CHECK-DAG: %[[RMS:.*]] = memref.alloca() : memref<128x1xf32, #gpu.address_space<private>>
// CHECK-NOT: #gpu.address_space<private>
// The accumulators start at zero, in one phase: the rms state and the f32
// matmul buffer.
// CHECK: structured.phase (%{{.*}}) {
// CHECK: memref.store %cst{{.*}}, %[[RMS]]
// CHECK: memref.store %cst{{.*}}, %[[MM]]
// CHECK: }
// CHECK-NEXT: }
// CHECK-NEXT: structured.for_loop (%[[I:.*]]) {
// The loaders: x is replicated and walks dim 1 with the loop; w walks dim 0
// and is split along dim 1 by grid x (tile 24, so block bx starts at 24 bx).
// CHECK: %[[XOFF:.*]] = arith.muli %[[I]], %c128 : index
// CHECK: %[[XS:.*]] = memref.subview %[[X]][%c0, %[[XOFF]]] [2, 128] [1, 1]
// CHECK: linalg.copy ins(%[[XS]] : {{.*}}) outs(%[[XT]] : memref<2x128xf16, #gpu.address_space<workgroup>>)
// CHECK: %[[WS:.*]] = memref.subview %[[W]]
// CHECK: linalg.copy ins(%[[WS]] : {{.*}}) outs(%[[WT]] : memref<128x24xf16, #gpu.address_space<workgroup>>)
// The rms accumulator sums squares of the staged x tile; linalg.matmul adds
// the iteration's product into the sums of the earlier ones, and nothing
// else runs in the loop (no zeroing, no rounding, no second sum).
// CHECK: structured.phase
// CHECK: arith.mulf
// CHECK: memref.store %{{.*}}, %[[RMS]]
// CHECK: }
// CHECK-NEXT: }
// CHECK-NEXT: linalg.matmul ins(%[[XT]], %[[WT]] : memref<2x128xf16, #gpu.address_space<workgroup>>, memref<128x24xf16, #gpu.address_space<workgroup>>) outs(%[[MM]] : memref<2x24xf32, #gpu.address_space<workgroup>>)
// CHECK-NEXT: }
// CHECK-NEXT: structured.phase
// After the loop: rms = sqrt(sum / (32 * 128)), and the matmul's sums are
// rounded to f16 once.
// CHECK: arith.divf %{{.*}}, %cst{{.*}} : f32
// CHECK: math.sqrt
// CHECK: %[[SUM:.*]] = memref.load %[[MM]]
// CHECK-NEXT: %[[ROUNDED:.*]] = arith.truncf %[[SUM]] : f32 to f16
// CHECK-NEXT: memref.store %[[ROUNDED]], %[[ACC]]
// CHECK: }
// CHECK-NEXT: }
// The saver divides and stores whole 16-byte chunks (8 f16) at column
// 24 bx + 8 c, chunk c of a row taken by one thread.
// CHECK: structured.phase
// CHECK: %[[Q:.*]] = arith.divf
// The quotient is rounded to f16, as the μGraph's div result is.
// CHECK: arith.truncf %[[Q]] : f32 to f16
// CHECK: %[[V:.*]] = vector.from_elements {{.*}} : vector<8xf16>
// CHECK: %[[COL:.*]] = arith.muli %[[BX]], %c24 : index
// CHECK: %[[J:.*]] = arith.addi %{{.*}}, %[[COL]] : index
// CHECK: vector.store %[[V]], %[[Y]][%{{.*}}, %[[J]]] {alignment = 16 : i64} : memref<2x6144xf16>, vector<8xf16>
// CHECK: }
// CHECK-NEXT: }
// CHECK-NEXT: }
// CHECK: return
func.func @rmsnorm_matmul(%x: tensor<2x4096xf16>, %w: tensor<4096x6144xf16>)
    -> tensor<2x6144xf16> {
  %y = kernel.graph_defined (%x, %w) grid [256, 1, 1] block [128, 1, 1]
      forloop 32 : (tensor<2x4096xf16>, tensor<4096x6144xf16>)
      -> tensor<2x6144xf16> {
  ^bb0(%xd: tensor<2x4096xf16>, %wd: tensor<4096x6144xf16>):
    %xt = block.loader %xd imap [-1, -1, -1] fmap 1
        : tensor<2x4096xf16> -> !block.tile<2x128xf16, pre>
    %wt = block.loader %wd imap [1, -1, -1] fmap 0
        : tensor<4096x6144xf16> -> !block.tile<128x24xf16, pre>
    %rms = block.accum rms %xt
        : !block.tile<2x128xf16, pre> -> !block.tile<2x1xf16, post>
    %mm = block.matmul %xt, %wt
        : !block.tile<2x128xf16, pre>, !block.tile<128x24xf16, pre>
    %acc = block.accum none %mm
        : !block.tile<2x24xf16, pre> -> !block.tile<2x24xf16, post>
    %out = block.div %acc, %rms
        : !block.tile<2x24xf16, post>, !block.tile<2x1xf16, post>
    %saved = block.saver %out omap [1, -1, -1]
        : !block.tile<2x24xf16, post> -> tensor<2x6144xf16>
    block.yield %saved : tensor<2x6144xf16>
  }
  return %y : tensor<2x6144xf16>
}

// -----

// An element-wise chain read once is never stored: the loader reads global
// memory where the exp needs it (thread-level fusion into the saver's
// phase). Two kernels: the intermediate lives in the workspace.
// CHECK-LABEL: func.func @chain
// CHECK-SAME: %[[A:.*]]: memref<16x256xf32>, %[[OUT:.*]]: memref<16x256xf32>, %[[WS:.*]]: memref<16384xi8>
// CHECK: %[[T:.*]] = memref.view %[[WS]][%c0][] : memref<16384xi8> to memref<16x256xf32>
// CHECK: structured.kernel "chain_kernel0" grid [4, 1, 1] block [128, 1, 1] forloop 1
// Only the accumulator has buffers: its result and its per-thread state.
// CHECK-NEXT: memref.alloca() : memref<4x256xf32, #gpu.address_space<workgroup>>
// CHECK-NEXT: %[[ACC:.*]] = memref.alloca() : memref<128x8xf32, #gpu.address_space<private>>
// CHECK-NOT: memref.alloca
// CHECK: structured.for_loop
// CHECK: %[[OLD:.*]] = memref.load %[[ACC]]
// CHECK: %[[V:.*]] = memref.load %[[A]]
// CHECK: %[[E:.*]] = math.exp %[[V]] : f32
// CHECK: %[[NEW:.*]] = arith.addf %[[OLD]], %[[E]] : f32
// CHECK: memref.store %[[NEW]], %[[ACC]]
// CHECK: vector.store %{{.*}}, %[[T]]
// CHECK: structured.kernel "chain_kernel1"
// CHECK: memref.load %[[T]]
// CHECK: arith.mulf
// CHECK: vector.store %{{.*}}, %[[OUT]]
func.func @chain(%a: tensor<16x256xf32>) -> tensor<16x256xf32> {
  %t = kernel.graph_defined (%a) grid [4, 1, 1] block [128, 1, 1] forloop 1
      : (tensor<16x256xf32>) -> tensor<16x256xf32> {
  ^bb0(%ad: tensor<16x256xf32>):
    %at = block.loader %ad imap [0, -1, -1] fmap -1
        : tensor<16x256xf32> -> !block.tile<4x256xf32, pre>
    %e = block.exp %at : !block.tile<4x256xf32, pre>
    %acc = block.accum none %e
        : !block.tile<4x256xf32, pre> -> !block.tile<4x256xf32, post>
    %s = block.saver %acc omap [0, -1, -1]
        : !block.tile<4x256xf32, post> -> tensor<16x256xf32>
    block.yield %s : tensor<16x256xf32>
  }
  %u = kernel.graph_defined (%t) grid [4, 1, 1] block [128, 1, 1] forloop 1
      : (tensor<16x256xf32>) -> tensor<16x256xf32> {
  ^bb0(%td: tensor<16x256xf32>):
    %tt = block.loader %td imap [0, -1, -1] fmap -1
        : tensor<16x256xf32> -> !block.tile<4x256xf32, pre>
    %acc = block.accum none %tt
        : !block.tile<4x256xf32, pre> -> !block.tile<4x256xf32, post>
    %sq = block.mul %acc, %acc
        : !block.tile<4x256xf32, post>, !block.tile<4x256xf32, post>
    %s = block.saver %sq omap [0, -1, -1]
        : !block.tile<4x256xf32, post> -> tensor<16x256xf32>
    block.yield %s : tensor<16x256xf32>
  }
  return %u : tensor<16x256xf32>
}

// -----

// A plain kernel op must get a block graph first: the error points at it.
func.func @plain(%a: tensor<16x256xf32>) -> tensor<16x256xf32> {
  // expected-error @below {{the kernel op 'exp' has no block graph; run --mirage-default-schedules first}}
  %e = kernel.exp %a : tensor<16x256xf32>
  return %e : tensor<16x256xf32>
}

// -----

// expected-error @+1 {{result 0 returns an input unchanged, which the lowering does not support}}
func.func @identity(%a: tensor<16x256xf32>) -> tensor<16x256xf32> {
  return %a : tensor<16x256xf32>
}

// -----

// A function without kernel ops or tensors is not the pass's business.
// CHECK-LABEL: func.func @scalar
// CHECK-NEXT: return %arg0 : f32
func.func @scalar(%a: f32) -> f32 {
  return %a : f32
}
