// RUN: mirage-opt %s > %t.1 && mirage-opt %t.1 > %t.2 && diff %t.1 %t.2
// RUN: mirage-opt %s | FileCheck %s
// RUN: mirage-opt %s --mlir-print-op-generic > %t.g.1 && mirage-opt %t.g.1 --mlir-print-op-generic > %t.g.2 && diff %t.g.1 %t.g.2
// RUN: mirage-opt %s --mlir-print-op-generic | mirage-opt | FileCheck %s

// CHECK-LABEL: func.func @fused_two_inputs
// CHECK-SAME: (%[[A:.*]]: tensor<2x24xf16>, %[[B:.*]]: tensor<2x24xf16>)
func.func @fused_two_inputs(%a: tensor<2x24xf16>, %b: tensor<2x24xf16>)
    -> tensor<2x24xf16> {
  // CHECK: %[[Y:.*]] = thread.fused (%[[A]], %[[B]]) : tensor<2x24xf16> {
  // CHECK-NEXT: ^bb0(%[[X:.*]]: f16, %[[W:.*]]: f16):
  // CHECK-NEXT: %[[E:.*]] = thread.exp %[[X]] : f16
  // CHECK-NEXT: %[[M:.*]] = thread.mul %[[E]], %[[W]] : f16
  // CHECK-NEXT: thread.yield %[[M]] : f16
  // CHECK-NEXT: }
  // CHECK-NEXT: return %[[Y]]
  %y = thread.fused (%a, %b) : tensor<2x24xf16> {
  ^bb0(%x: f16, %w: f16):
    %e = thread.exp %x : f16
    %m = thread.mul %e, %w : f16
    thread.yield %m : f16
  }
  return %y : tensor<2x24xf16>
}

// CHECK-LABEL: func.func @fused_two_results
func.func @fused_two_results(%a: tensor<8x64xf32>)
    -> (tensor<8x64xf32>, tensor<8x64xf32>) {
  // CHECK: %[[Y:.*]]:2 = thread.fused (%{{.*}}) : tensor<8x64xf32> {
  // CHECK: thread.yield %{{.*}}, %{{.*}} : f32, f32
  // CHECK: return %[[Y]]#0, %[[Y]]#1
  %y:2 = thread.fused (%a) : tensor<8x64xf32> {
  ^bb0(%x: f32):
    %s = thread.silu %x : f32
    %r = thread.relu %x : f32
    thread.yield %s, %r : f32, f32
  }
  return %y#0, %y#1 : tensor<8x64xf32>, tensor<8x64xf32>
}

// Every unary function of MirageUnaryFunctions, plus clamp and mul_scalar.
// CHECK-LABEL: func.func @unary_ops
func.func @unary_ops(%a: tensor<2x24xbf16>) -> tensor<2x24xbf16> {
  // CHECK: thread.fused (%{{.*}}) : tensor<2x24xbf16> {
  // CHECK: %[[E:.*]] = thread.exp %{{.*}} : bf16
  // CHECK: %[[SQ:.*]] = thread.square %[[E]] : bf16
  // CHECK: %[[SR:.*]] = thread.sqrt %[[SQ]] : bf16
  // CHECK: %[[RS:.*]] = thread.rsqrt %[[SR]] : bf16
  // CHECK: %[[SI:.*]] = thread.silu %[[RS]] : bf16
  // CHECK: %[[GE:.*]] = thread.gelu %[[SI]] : bf16
  // CHECK: %[[RE:.*]] = thread.relu %[[GE]] : bf16
  // CHECK: %[[TA:.*]] = thread.tanh %[[RE]] : bf16
  // CHECK: %[[CL:.*]] = thread.clamp %[[TA]] min 0.000000e+00 max 6.000000e+00 : bf16
  // CHECK: %[[EQ:.*]] = thread.clamp %[[CL]] min 1.000000e+00 max 1.000000e+00 : bf16
  // CHECK: %[[MS:.*]] = thread.mul_scalar %[[EQ]], 1.250000e-01 : bf16
  // CHECK: thread.yield %[[MS]] : bf16
  %y = thread.fused (%a) : tensor<2x24xbf16> {
  ^bb0(%x: bf16):
    %0 = thread.exp %x : bf16
    %1 = thread.square %0 : bf16
    %2 = thread.sqrt %1 : bf16
    %3 = thread.rsqrt %2 : bf16
    %4 = thread.silu %3 : bf16
    %5 = thread.gelu %4 : bf16
    %6 = thread.relu %5 : bf16
    %7 = thread.tanh %6 : bf16
    %8 = thread.clamp %7 min 0.0 max 6.0 : bf16
    %9 = thread.clamp %8 min 1.0 max 1.0 : bf16
    %10 = thread.mul_scalar %9, 0.125 : bf16
    thread.yield %10 : bf16
  }
  return %y : tensor<2x24xbf16>
}

// Every binary function of MirageBinaryFunctions.
// CHECK-LABEL: func.func @binary_ops
func.func @binary_ops(%a: tensor<4x2x16xf16>, %b: tensor<4x2x16xf16>,
                      %c: tensor<4x2x16xf16>) -> tensor<4x2x16xf16> {
  // CHECK: thread.fused (%{{.*}}, %{{.*}}, %{{.*}}) : tensor<4x2x16xf16> {
  // CHECK-NEXT: ^bb0(%[[X:.*]]: f16, %[[Y:.*]]: f16, %[[Z:.*]]: f16):
  // CHECK-NEXT: %[[ADD:.*]] = thread.add %[[X]], %[[Y]] : f16
  // CHECK-NEXT: %[[SUB:.*]] = thread.sub %[[ADD]], %[[Z]] : f16
  // CHECK-NEXT: %[[MUL:.*]] = thread.mul %[[SUB]], %[[X]] : f16
  // CHECK-NEXT: %[[DIV:.*]] = thread.div %[[MUL]], %[[Y]] : f16
  // CHECK-NEXT: %[[POW:.*]] = thread.pow %[[DIV]], %[[Z]] : f16
  // CHECK-NEXT: thread.yield %[[POW]] : f16
  %r = thread.fused (%a, %b, %c) : tensor<4x2x16xf16> {
  ^bb0(%x: f16, %y: f16, %z: f16):
    %0 = thread.add %x, %y : f16
    %1 = thread.sub %0, %z : f16
    %2 = thread.mul %1, %x : f16
    %3 = thread.div %2, %y : f16
    %4 = thread.pow %3, %z : f16
    thread.yield %4 : f16
  }
  return %r : tensor<4x2x16xf16>
}

// Discardable attributes with a dialect prefix are kept; the body may yield
// a block argument directly.
// CHECK-LABEL: func.func @passthrough_with_attribute
func.func @passthrough_with_attribute(%a: tensor<16xf32>) -> tensor<16xf32> {
  // CHECK: thread.fused (%{{.*}}) {mirage.note = "copy"} : tensor<16xf32> {
  // CHECK-NEXT: ^bb0(%[[X:.*]]: f32):
  // CHECK-NEXT: thread.yield %[[X]] : f32
  %y = thread.fused (%a) {mirage.note = "copy"} : tensor<16xf32> {
  ^bb0(%x: f32):
    thread.yield %x : f32
  }
  return %y : tensor<16xf32>
}

// At the block level the operands are tiles, which are shaped types too.
// CHECK-LABEL: func.func @fused_on_tiles
func.func @fused_on_tiles(%a: !block.tile<2x24xf16, post>,
                          %b: !block.tile<2x24xf16, post>)
    -> !block.tile<2x24xf16, post> {
  // CHECK: thread.fused (%{{.*}}, %{{.*}}) : !block.tile<2x24xf16, post> {
  // CHECK-NEXT: ^bb0(%[[X:.*]]: f16, %[[W:.*]]: f16):
  // CHECK-NEXT: %[[E:.*]] = thread.exp %[[X]] : f16
  // CHECK-NEXT: %[[M:.*]] = thread.mul %[[E]], %[[W]] : f16
  // CHECK-NEXT: thread.yield %[[M]] : f16
  %y = thread.fused (%a, %b) : !block.tile<2x24xf16, post> {
  ^bb0(%x: f16, %w: f16):
    %e = thread.exp %x : f16
    %m = thread.mul %e, %w : f16
    thread.yield %m : f16
  }
  return %y : !block.tile<2x24xf16, post>
}
