// Round trip of every kernel op except kernel.graph_defined (tested with the
// block dialect): custom form printed twice identically, the generic form
// parsed back to the same custom form, and the result types the ops infer
// from their operands, which the generic form spells out.
//
// RUN: mirage-opt %s > %t.1 && mirage-opt %t.1 > %t.2 && diff %t.1 %t.2
// RUN: mirage-opt %s | FileCheck %s
// RUN: mirage-opt %s --mlir-print-op-generic | mirage-opt | FileCheck %s
// RUN: mirage-opt %s --mlir-print-op-generic | FileCheck %s --check-prefix=GENERIC

//===----------------------------------------------------------------------===//
// Unary element-wise ops: one element type and rank per op.
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @unary
// CHECK:         kernel.exp %{{.*}} : tensor<64xf16>
// CHECK:         kernel.square %{{.*}} : tensor<8x4096xbf16>
// CHECK:         kernel.sqrt %{{.*}} : tensor<2x256x64xf32>
// CHECK:         kernel.rsqrt %{{.*}} : tensor<2x2x16x64xf16>
// CHECK:         kernel.silu %{{.*}} : tensor<64xbf16>
// CHECK:         kernel.gelu %{{.*}} : tensor<8x4096xf32>
// CHECK:         kernel.relu %{{.*}} : tensor<2x256x64xf16>
// CHECK:         kernel.tanh %{{.*}} : tensor<2x2x16x64xbf16>
// GENERIC-LABEL: sym_name = "unary"
// GENERIC:       "kernel.exp"(%{{.*}}) : (tensor<64xf16>) -> tensor<64xf16>
// GENERIC:       "kernel.tanh"(%{{.*}}) : (tensor<2x2x16x64xbf16>) -> tensor<2x2x16x64xbf16>
func.func @unary(%a: tensor<64xf16>, %b: tensor<8x4096xbf16>,
                 %c: tensor<2x256x64xf32>, %d: tensor<2x2x16x64xf16>,
                 %e: tensor<64xbf16>, %f: tensor<8x4096xf32>,
                 %g: tensor<2x256x64xf16>, %h: tensor<2x2x16x64xbf16>)
    -> (tensor<64xf16>, tensor<8x4096xbf16>, tensor<2x256x64xf32>,
        tensor<2x2x16x64xf16>, tensor<64xbf16>, tensor<8x4096xf32>,
        tensor<2x256x64xf16>, tensor<2x2x16x64xbf16>) {
  %0 = kernel.exp %a : tensor<64xf16>
  %1 = kernel.square %b : tensor<8x4096xbf16>
  %2 = kernel.sqrt %c : tensor<2x256x64xf32>
  %3 = kernel.rsqrt %d : tensor<2x2x16x64xf16>
  %4 = kernel.silu %e : tensor<64xbf16>
  %5 = kernel.gelu %f : tensor<8x4096xf32>
  %6 = kernel.relu %g : tensor<2x256x64xf16>
  %7 = kernel.tanh %h : tensor<2x2x16x64xbf16>
  return %0, %1, %2, %3, %4, %5, %6, %7
      : tensor<64xf16>, tensor<8x4096xbf16>, tensor<2x256x64xf32>,
        tensor<2x2x16x64xf16>, tensor<64xbf16>, tensor<8x4096xf32>,
        tensor<2x256x64xf16>, tensor<2x2x16x64xbf16>
}

// Clamp bounds and the scalar of mul_scalar are f64 attributes; equal clamp
// bounds and negative values are valid.
// CHECK-LABEL: func.func @clamp_and_mul_scalar
// CHECK:         kernel.clamp %{{.*}} min 0.000000e+00 max 6.000000e+00 : tensor<8x4096xf16>
// CHECK:         kernel.clamp %{{.*}} min -1.500000e+00 max -1.500000e+00 : tensor<2x4xbf16>
// CHECK:         kernel.mul_scalar %{{.*}}, 1.250000e-01 : tensor<2x256x64xf16>
// CHECK:         kernel.mul_scalar %{{.*}}, -2.000000e+00 : tensor<2x4xbf16>
// GENERIC-LABEL: sym_name = "clamp_and_mul_scalar"
// GENERIC:       "kernel.clamp"(%{{.*}}) <{max = 6.000000e+00 : f64, min = 0.000000e+00 : f64}> : (tensor<8x4096xf16>) -> tensor<8x4096xf16>
// GENERIC:       "kernel.mul_scalar"(%{{.*}}) <{scalar = 1.250000e-01 : f64}> : (tensor<2x256x64xf16>) -> tensor<2x256x64xf16>
func.func @clamp_and_mul_scalar(%x: tensor<8x4096xf16>, %y: tensor<2x4xbf16>,
                                %z: tensor<2x256x64xf16>)
    -> (tensor<8x4096xf16>, tensor<2x4xbf16>, tensor<2x256x64xf16>,
        tensor<2x4xbf16>) {
  %0 = kernel.clamp %x min 0.0 max 6.0 : tensor<8x4096xf16>
  %1 = kernel.clamp %y min -1.5 max -1.5 : tensor<2x4xbf16>
  %2 = kernel.mul_scalar %z, 0.125 : tensor<2x256x64xf16>
  %3 = kernel.mul_scalar %y, -2.0 : tensor<2x4xbf16>
  return %0, %1, %2, %3
      : tensor<8x4096xf16>, tensor<2x4xbf16>, tensor<2x256x64xf16>,
        tensor<2x4xbf16>
}

//===----------------------------------------------------------------------===//
// Binary element-wise ops: the result shape is the per-dimension maximum.
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @binary
// CHECK:         kernel.add %{{.*}}, %{{.*}} : tensor<4096xf16>, tensor<4096xf16>
// CHECK:         kernel.sub %{{.*}}, %{{.*}} : tensor<2x4096xbf16>, tensor<2x1xbf16>
// CHECK:         kernel.mul %{{.*}}, %{{.*}} : tensor<1x256x1xf32>, tensor<2x1x64xf32>
// CHECK:         kernel.div %{{.*}}, %{{.*}} : tensor<2x2x256x4096xf16>, tensor<2x2x256x1xf16>
// CHECK:         kernel.pow %{{.*}}, %{{.*}} : tensor<1x1xf32>, tensor<1x1xf32>
// CHECK:         return {{.*}} : tensor<4096xf16>, tensor<2x4096xbf16>, tensor<2x256x64xf32>, tensor<2x2x256x4096xf16>, tensor<1x1xf32>
// GENERIC-LABEL: sym_name = "binary"
// GENERIC:       "kernel.add"(%{{.*}}, %{{.*}}) : (tensor<4096xf16>, tensor<4096xf16>) -> tensor<4096xf16>
// GENERIC:       "kernel.sub"(%{{.*}}, %{{.*}}) : (tensor<2x4096xbf16>, tensor<2x1xbf16>) -> tensor<2x4096xbf16>
// GENERIC:       "kernel.mul"(%{{.*}}, %{{.*}}) : (tensor<1x256x1xf32>, tensor<2x1x64xf32>) -> tensor<2x256x64xf32>
// GENERIC:       "kernel.div"(%{{.*}}, %{{.*}}) : (tensor<2x2x256x4096xf16>, tensor<2x2x256x1xf16>) -> tensor<2x2x256x4096xf16>
// GENERIC:       "kernel.pow"(%{{.*}}, %{{.*}}) : (tensor<1x1xf32>, tensor<1x1xf32>) -> tensor<1x1xf32>
func.func @binary(%a: tensor<4096xf16>, %b: tensor<2x4096xbf16>,
                  %c: tensor<2x1xbf16>, %d: tensor<1x256x1xf32>,
                  %e: tensor<2x1x64xf32>, %f: tensor<2x2x256x4096xf16>,
                  %g: tensor<2x2x256x1xf16>, %h: tensor<1x1xf32>)
    -> (tensor<4096xf16>, tensor<2x4096xbf16>, tensor<2x256x64xf32>,
        tensor<2x2x256x4096xf16>, tensor<1x1xf32>) {
  %0 = kernel.add %a, %a : tensor<4096xf16>, tensor<4096xf16>
  %1 = kernel.sub %b, %c : tensor<2x4096xbf16>, tensor<2x1xbf16>
  %2 = kernel.mul %d, %e : tensor<1x256x1xf32>, tensor<2x1x64xf32>
  %3 = kernel.div %f, %g : tensor<2x2x256x4096xf16>, tensor<2x2x256x1xf16>
  %4 = kernel.pow %h, %h : tensor<1x1xf32>, tensor<1x1xf32>
  return %0, %1, %2, %3, %4
      : tensor<4096xf16>, tensor<2x4096xbf16>, tensor<2x256x64xf32>,
        tensor<2x2x256x4096xf16>, tensor<1x1xf32>
}

// Broadcasting works in either direction: the 1 may be on the left.
// CHECK-LABEL: func.func @broadcast_lhs
// CHECK:         %[[R:.*]] = kernel.add %{{.*}}, %{{.*}} : tensor<2x1xf16>, tensor<2x4096xf16>
// CHECK:         return %[[R]] : tensor<2x4096xf16>
func.func @broadcast_lhs(%a: tensor<2x1xf16>, %b: tensor<2x4096xf16>)
    -> tensor<2x4096xf16> {
  %0 = kernel.add %a, %b : tensor<2x1xf16>, tensor<2x4096xf16>
  return %0 : tensor<2x4096xf16>
}

//===----------------------------------------------------------------------===//
// Matmul: [..., m, k] x [..., k, n] -> [..., m, n].
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @matmul
// CHECK:         kernel.matmul %{{.*}}, %{{.*}} : tensor<2x4096xf16>, tensor<4096x6144xf16>
// CHECK:         kernel.matmul %{{.*}}, %{{.*}} : tensor<2x256x64xbf16>, tensor<2x64x4096xbf16>
// CHECK:         kernel.matmul %{{.*}}, %{{.*}} : tensor<2x2x16x64xf32>, tensor<2x2x64x8xf32>
// CHECK:         return {{.*}} : tensor<2x6144xf16>, tensor<2x256x4096xbf16>, tensor<2x2x16x8xf32>
// GENERIC-LABEL: sym_name = "matmul"
// GENERIC:       "kernel.matmul"(%{{.*}}, %{{.*}}) : (tensor<2x4096xf16>, tensor<4096x6144xf16>) -> tensor<2x6144xf16>
// GENERIC:       "kernel.matmul"(%{{.*}}, %{{.*}}) : (tensor<2x256x64xbf16>, tensor<2x64x4096xbf16>) -> tensor<2x256x4096xbf16>
// GENERIC:       "kernel.matmul"(%{{.*}}, %{{.*}}) : (tensor<2x2x16x64xf32>, tensor<2x2x64x8xf32>) -> tensor<2x2x16x8xf32>
func.func @matmul(%a: tensor<2x4096xf16>, %b: tensor<4096x6144xf16>,
                  %c: tensor<2x256x64xbf16>, %d: tensor<2x64x4096xbf16>,
                  %e: tensor<2x2x16x64xf32>, %f: tensor<2x2x64x8xf32>)
    -> (tensor<2x6144xf16>, tensor<2x256x4096xbf16>, tensor<2x2x16x8xf32>) {
  %0 = kernel.matmul %a, %b : tensor<2x4096xf16>, tensor<4096x6144xf16>
  %1 = kernel.matmul %c, %d : tensor<2x256x64xbf16>, tensor<2x64x4096xbf16>
  %2 = kernel.matmul %e, %f : tensor<2x2x16x64xf32>, tensor<2x2x64x8xf32>
  return %0, %1, %2
      : tensor<2x6144xf16>, tensor<2x256x4096xbf16>, tensor<2x2x16x8xf32>
}

//===----------------------------------------------------------------------===//
// Reduction: dimension `dim` becomes `size` (1 by default).
//===----------------------------------------------------------------------===//

// The default size 1 is not printed, whether written or not; a strided sum
// keeps its size, also when it equals the whole extent.
// CHECK-LABEL: func.func @reduction
// CHECK:         kernel.reduction %{{.*}} dim 0 : tensor<4096xf16>
// CHECK:         kernel.reduction %{{.*}} dim 1 : tensor<2x4096xbf16>
// CHECK:         kernel.reduction %{{.*}} dim 1 : tensor<2x4096xbf16>
// CHECK:         kernel.reduction %{{.*}} dim 2 size 64 : tensor<1x1024x512xf32>
// CHECK:         kernel.reduction %{{.*}} dim 3 size 16 : tensor<2x2x8x16xf16>
// CHECK:         return {{.*}} : tensor<1xf16>, tensor<2x1xbf16>, tensor<2x1xbf16>, tensor<1x1024x64xf32>, tensor<2x2x8x16xf16>
// GENERIC-LABEL: sym_name = "reduction"
// GENERIC:       "kernel.reduction"(%{{.*}}) <{dim = 0 : i64, size = 1 : i64}> : (tensor<4096xf16>) -> tensor<1xf16>
// GENERIC:       "kernel.reduction"(%{{.*}}) <{dim = 2 : i64, size = 64 : i64}> : (tensor<1x1024x512xf32>) -> tensor<1x1024x64xf32>
func.func @reduction(%a: tensor<4096xf16>, %b: tensor<2x4096xbf16>,
                     %c: tensor<1x1024x512xf32>, %d: tensor<2x2x8x16xf16>)
    -> (tensor<1xf16>, tensor<2x1xbf16>, tensor<2x1xbf16>,
        tensor<1x1024x64xf32>, tensor<2x2x8x16xf16>) {
  %0 = kernel.reduction %a dim 0 : tensor<4096xf16>
  %1 = kernel.reduction %b dim 1 : tensor<2x4096xbf16>
  %2 = kernel.reduction %b dim 1 size 1 : tensor<2x4096xbf16>
  %3 = kernel.reduction %c dim 2 size 64 : tensor<1x1024x512xf32>
  %4 = kernel.reduction %d dim 3 size 16 : tensor<2x2x8x16xf16>
  return %0, %1, %2, %3, %4
      : tensor<1xf16>, tensor<2x1xbf16>, tensor<2x1xbf16>,
        tensor<1x1024x64xf32>, tensor<2x2x8x16xf16>
}

//===----------------------------------------------------------------------===//
// RMS normalization over the trailing dimensions.
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @rms_norm
// CHECK-SAME:      (%[[X:[a-z0-9]+]]: tensor<2x4096xf16>, %[[G:[a-z0-9]+]]: tensor<4096xf16>, %[[Y:[a-z0-9]+]]: tensor<2x256x64xbf16>, %[[Z:[a-z0-9]+]]: tensor<2x2x16x64xf32>)
// CHECK:         kernel.rms_norm %[[X]] over [4096] : tensor<2x4096xf16>
// CHECK:         kernel.rms_norm %[[X]] weight %[[G]] over [4096] : tensor<2x4096xf16>, tensor<4096xf16>
// CHECK:         kernel.rms_norm %[[X]] over [4096] eps 9.9999999999999995E-7 : tensor<2x4096xf16>
// CHECK:         kernel.rms_norm %[[X]] weight %[[G]] over [4096] eps 9.9999999999999995E-7 : tensor<2x4096xf16>, tensor<4096xf16>
// CHECK:         kernel.rms_norm %[[Y]] over [256, 64] eps 0.000000e+00 : tensor<2x256x64xbf16>
// CHECK:         kernel.rms_norm %[[Z]] over [2, 2, 16, 64] : tensor<2x2x16x64xf32>
// GENERIC-LABEL: sym_name = "rms_norm"
// GENERIC:       "kernel.rms_norm"(%{{.*}}) <{normalized_shape = array<i64: 4096>}> : (tensor<2x4096xf16>) -> tensor<2x4096xf16>
// GENERIC:       "kernel.rms_norm"(%{{.*}}, %{{.*}}) <{normalized_shape = array<i64: 4096>}> : (tensor<2x4096xf16>, tensor<4096xf16>) -> tensor<2x4096xf16>
func.func @rms_norm(%x: tensor<2x4096xf16>, %g: tensor<4096xf16>,
                    %y: tensor<2x256x64xbf16>, %z: tensor<2x2x16x64xf32>)
    -> (tensor<2x4096xf16>, tensor<2x4096xf16>, tensor<2x4096xf16>,
        tensor<2x4096xf16>, tensor<2x256x64xbf16>, tensor<2x2x16x64xf32>) {
  %0 = kernel.rms_norm %x over [4096] : tensor<2x4096xf16>
  %1 = kernel.rms_norm %x weight %g over [4096]
      : tensor<2x4096xf16>, tensor<4096xf16>
  %2 = kernel.rms_norm %x over [4096] eps 1.0e-06 : tensor<2x4096xf16>
  %3 = kernel.rms_norm %x weight %g over [4096] eps 1.0e-06
      : tensor<2x4096xf16>, tensor<4096xf16>
  %4 = kernel.rms_norm %y over [256, 64] eps 0.0 : tensor<2x256x64xbf16>
  %5 = kernel.rms_norm %z over [2, 2, 16, 64] : tensor<2x2x16x64xf32>
  return %0, %1, %2, %3, %4, %5
      : tensor<2x4096xf16>, tensor<2x4096xf16>, tensor<2x4096xf16>,
        tensor<2x4096xf16>, tensor<2x256x64xbf16>, tensor<2x2x16x64xf32>
}

//===----------------------------------------------------------------------===//
// Concatenation: the extents along `dim` add up.
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @concat
// CHECK:         kernel.concat %{{.*}}, %{{.*}} dim 1 : tensor<16x256xf16>, tensor<16x16xf16>
// CHECK:         kernel.concat %{{.*}}, %{{.*}}, %{{.*}} dim 0 : tensor<1xbf16>, tensor<2xbf16>, tensor<3xbf16>
// CHECK:         kernel.concat %{{.*}}, %{{.*}}, %{{.*}} dim 2 : tensor<2x2x16x64xf32>, tensor<2x2x8x64xf32>, tensor<2x2x16x64xf32>
// CHECK:         return {{.*}} : tensor<16x272xf16>, tensor<6xbf16>, tensor<2x2x40x64xf32>
// GENERIC-LABEL: sym_name = "concat"
// GENERIC:       "kernel.concat"(%{{.*}}, %{{.*}}) <{dim = 1 : i64}> : (tensor<16x256xf16>, tensor<16x16xf16>) -> tensor<16x272xf16>
// GENERIC:       "kernel.concat"(%{{.*}}, %{{.*}}, %{{.*}}) <{dim = 0 : i64}> : (tensor<1xbf16>, tensor<2xbf16>, tensor<3xbf16>) -> tensor<6xbf16>
// GENERIC:       "kernel.concat"(%{{.*}}, %{{.*}}, %{{.*}}) <{dim = 2 : i64}> : (tensor<2x2x16x64xf32>, tensor<2x2x8x64xf32>, tensor<2x2x16x64xf32>) -> tensor<2x2x40x64xf32>
func.func @concat(%a: tensor<16x256xf16>, %b: tensor<16x16xf16>,
                  %c: tensor<1xbf16>, %d: tensor<2xbf16>, %e: tensor<3xbf16>,
                  %f: tensor<2x2x16x64xf32>, %g: tensor<2x2x8x64xf32>)
    -> (tensor<16x272xf16>, tensor<6xbf16>, tensor<2x2x40x64xf32>) {
  %0 = kernel.concat %a, %b dim 1 : tensor<16x256xf16>, tensor<16x16xf16>
  %1 = kernel.concat %c, %d, %e dim 0
      : tensor<1xbf16>, tensor<2xbf16>, tensor<3xbf16>
  %2 = kernel.concat %f, %g, %f dim 2
      : tensor<2x2x16x64xf32>, tensor<2x2x8x64xf32>, tensor<2x2x16x64xf32>
  return %0, %1, %2
      : tensor<16x272xf16>, tensor<6xbf16>, tensor<2x2x40x64xf32>
}

//===----------------------------------------------------------------------===//
// Generic form and attributes.
//===----------------------------------------------------------------------===//

// Ops written in the generic form with the right explicit result types parse
// and print in the custom form.
// CHECK-LABEL: func.func @generic_input
// CHECK:         %[[M:.*]] = kernel.matmul %{{.*}}, %{{.*}} : tensor<2x4096xf16>, tensor<4096x6144xf16>
// CHECK:         %[[S:.*]] = kernel.reduction %[[M]] dim 1 size 64 : tensor<2x6144xf16>
// CHECK:         %[[T:.*]] = kernel.reduction %[[S]] dim 1 : tensor<2x64xf16>
// CHECK:         return %[[S]], %[[T]] : tensor<2x64xf16>, tensor<2x1xf16>
func.func @generic_input(%x: tensor<2x4096xf16>, %w: tensor<4096x6144xf16>)
    -> (tensor<2x64xf16>, tensor<2x1xf16>) {
  %0 = "kernel.matmul"(%x, %w)
      : (tensor<2x4096xf16>, tensor<4096x6144xf16>) -> tensor<2x6144xf16>
  %1 = "kernel.reduction"(%0) <{dim = 1 : i64, size = 64 : i64}>
      : (tensor<2x6144xf16>) -> tensor<2x64xf16>
  // Without `size`, the default 1 applies.
  %2 = "kernel.reduction"(%1) <{dim = 1 : i64}>
      : (tensor<2x64xf16>) -> tensor<2x1xf16>
  return %1, %2 : tensor<2x64xf16>, tensor<2x1xf16>
}

// Discardable attributes with a dialect prefix are kept (only bare names are
// rejected, see invalid.mlir).
// CHECK-LABEL: func.func @namespaced_attribute
// CHECK:         kernel.exp %{{.*}} {mirage.note = "kept"} : tensor<4xf16>
func.func @namespaced_attribute(%x: tensor<4xf16>) -> tensor<4xf16> {
  %0 = kernel.exp %x {mirage.note = "kept"} : tensor<4xf16>
  return %0 : tensor<4xf16>
}
