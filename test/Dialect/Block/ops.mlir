// Round trip of every block op and every accumulator kind, on tiles of rank
// 1 to 4, f16, bf16 and f32, 'pre' and 'post': custom form printed twice
// identically, the generic form parsed back to the same custom form, and the
// result types the ops infer, which only the generic form (GENERIC) spells
// out. Every op lives in a block graph that verifies: loaders from the body
// arguments, accumulators, savers and the yield.
//
// RUN: mirage-opt %s > %t.1 && mirage-opt %t.1 > %t.2 && diff %t.1 %t.2
// RUN: mirage-opt %s | FileCheck %s
// RUN: mirage-opt %s --mlir-print-op-generic | mirage-opt | FileCheck %s
// RUN: mirage-opt %s --mlir-print-op-generic | FileCheck %s --check-prefix=GENERIC

//===----------------------------------------------------------------------===//
// Element-wise unary ops: every function, ranks 1 to 4, each element type,
// on 'pre' tiles inside the for-loop and on 'post' tiles after it.
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @unary
// CHECK:         kernel.graph_defined (%{{.*}}) grid [2, 1, 1] block [128, 1, 1] forloop 4 :
// CHECK:         %[[A:[a-z0-9_]+]] = block.loader %{{.*}} imap [0, -1, -1] fmap -1 : tensor<256xf16> -> !block.tile<128xf16, pre>
// CHECK-NEXT:    %[[A0:[a-z0-9_]+]] = block.exp %[[A]] : !block.tile<128xf16, pre>
// CHECK-NEXT:    %[[A1:[a-z0-9_]+]] = block.rsqrt %[[A0]] : !block.tile<128xf16, pre>
// CHECK-NEXT:    %[[AACC:[a-z0-9_]+]] = block.accum none %[[A1]] : !block.tile<128xf16, pre> -> !block.tile<128xf16, post>
// CHECK-NEXT:    %[[A2:[a-z0-9_]+]] = block.square %[[AACC]] : !block.tile<128xf16, post>
// CHECK-NEXT:    block.saver %[[A2]] omap [0, -1, -1] : !block.tile<128xf16, post> -> tensor<256xf16>
// CHECK:         block.loader %{{.*}} imap [0, -1, -1] fmap 1 : tensor<8x4096xbf16> -> !block.tile<4x1024xbf16, pre>
// CHECK-NEXT:    block.sqrt %{{.*}} : !block.tile<4x1024xbf16, pre>
// CHECK-NEXT:    block.silu %{{.*}} : !block.tile<4x1024xbf16, pre>
// CHECK-NEXT:    block.accum max %{{.*}} : !block.tile<4x1024xbf16, pre> -> !block.tile<4x1024xbf16, post>
// CHECK-NEXT:    block.gelu %{{.*}} : !block.tile<4x1024xbf16, post>
// CHECK:         block.loader %{{.*}} imap [1, -1, -1] fmap 2 : tensor<2x64x512xf32> -> !block.tile<2x32x128xf32, pre>
// CHECK-NEXT:    block.relu %{{.*}} : !block.tile<2x32x128xf32, pre>
// CHECK-NEXT:    block.tanh %{{.*}} : !block.tile<2x32x128xf32, pre>
// CHECK-NEXT:    block.accum none
// CHECK-NEXT:    block.clamp %{{.*}} min -1.000000e+00 max 1.000000e+00 : !block.tile<2x32x128xf32, post>
// CHECK:         block.loader %{{.*}} imap [3, -1, -1] fmap -1 : tensor<2x2x16x64xf16> -> !block.tile<2x2x16x32xf16, pre>
// CHECK-NEXT:    block.clamp %{{.*}} min 0.000000e+00 max 6.000000e+00 : !block.tile<2x2x16x32xf16, pre>
// CHECK-NEXT:    block.mul_scalar %{{.*}}, 1.250000e-01 : !block.tile<2x2x16x32xf16, pre>
// CHECK-NEXT:    block.accum none
// CHECK-NEXT:    block.mul_scalar %{{.*}}, 2.500000e-01 : !block.tile<2x2x16x32xf16, post>
// CHECK-NEXT:    block.saver %{{.*}} omap [3, -1, -1] : !block.tile<2x2x16x32xf16, post> -> tensor<2x2x16x64xf16>
// CHECK-NEXT:    block.yield %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : tensor<256xf16>, tensor<8x1024xbf16>, tensor<2x64x128xf32>, tensor<2x2x16x64xf16>
// GENERIC-LABEL: sym_name = "unary"
// GENERIC:       "block.exp"(%{{.*}}) : (!block.tile<128xf16, pre>) -> !block.tile<128xf16, pre>
// GENERIC:       "block.square"(%{{.*}}) : (!block.tile<128xf16, post>) -> !block.tile<128xf16, post>
// GENERIC:       "block.clamp"(%{{.*}}) <{max = 1.000000e+00 : f64, min = -1.000000e+00 : f64}> : (!block.tile<2x32x128xf32, post>) -> !block.tile<2x32x128xf32, post>
// GENERIC:       "block.mul_scalar"(%{{.*}}) <{scalar = 1.250000e-01 : f64}> : (!block.tile<2x2x16x32xf16, pre>) -> !block.tile<2x2x16x32xf16, pre>
func.func @unary(%a: tensor<256xf16>, %b: tensor<8x4096xbf16>,
                 %c: tensor<2x64x512xf32>, %d: tensor<2x2x16x64xf16>)
    -> (tensor<256xf16>, tensor<8x1024xbf16>, tensor<2x64x128xf32>,
        tensor<2x2x16x64xf16>) {
  %ra, %rb, %rc, %rd = kernel.graph_defined (%a, %b, %c, %d)
      grid [2, 1, 1] block [128, 1, 1] forloop 4
      : (tensor<256xf16>, tensor<8x4096xbf16>, tensor<2x64x512xf32>,
         tensor<2x2x16x64xf16>)
      -> (tensor<256xf16>, tensor<8x1024xbf16>, tensor<2x64x128xf32>,
          tensor<2x2x16x64xf16>) {
  ^bb0(%ad: tensor<256xf16>, %bd: tensor<8x4096xbf16>,
       %cd: tensor<2x64x512xf32>, %dd: tensor<2x2x16x64xf16>):
    %at = block.loader %ad imap [0, -1, -1] fmap -1
        : tensor<256xf16> -> !block.tile<128xf16, pre>
    %a0 = block.exp %at : !block.tile<128xf16, pre>
    %a1 = block.rsqrt %a0 : !block.tile<128xf16, pre>
    %aacc = block.accum none %a1
        : !block.tile<128xf16, pre> -> !block.tile<128xf16, post>
    %a2 = block.square %aacc : !block.tile<128xf16, post>
    %as = block.saver %a2 omap [0, -1, -1]
        : !block.tile<128xf16, post> -> tensor<256xf16>

    %bt = block.loader %bd imap [0, -1, -1] fmap 1
        : tensor<8x4096xbf16> -> !block.tile<4x1024xbf16, pre>
    %b0 = block.sqrt %bt : !block.tile<4x1024xbf16, pre>
    %b1 = block.silu %b0 : !block.tile<4x1024xbf16, pre>
    %bacc = block.accum max %b1
        : !block.tile<4x1024xbf16, pre> -> !block.tile<4x1024xbf16, post>
    %b2 = block.gelu %bacc : !block.tile<4x1024xbf16, post>
    %bs = block.saver %b2 omap [0, -1, -1]
        : !block.tile<4x1024xbf16, post> -> tensor<8x1024xbf16>

    %ct = block.loader %cd imap [1, -1, -1] fmap 2
        : tensor<2x64x512xf32> -> !block.tile<2x32x128xf32, pre>
    %c0 = block.relu %ct : !block.tile<2x32x128xf32, pre>
    %c1 = block.tanh %c0 : !block.tile<2x32x128xf32, pre>
    %cacc = block.accum none %c1
        : !block.tile<2x32x128xf32, pre> -> !block.tile<2x32x128xf32, post>
    %c2 = block.clamp %cacc min -1.0 max 1.0 : !block.tile<2x32x128xf32, post>
    %cs = block.saver %c2 omap [1, -1, -1]
        : !block.tile<2x32x128xf32, post> -> tensor<2x64x128xf32>

    %dt = block.loader %dd imap [3, -1, -1] fmap -1
        : tensor<2x2x16x64xf16> -> !block.tile<2x2x16x32xf16, pre>
    %d0 = block.clamp %dt min 0.0 max 6.0 : !block.tile<2x2x16x32xf16, pre>
    %d1 = block.mul_scalar %d0, 0.125 : !block.tile<2x2x16x32xf16, pre>
    %dacc = block.accum none %d1
        : !block.tile<2x2x16x32xf16, pre> -> !block.tile<2x2x16x32xf16, post>
    %d2 = block.mul_scalar %dacc, 2.5e-01 : !block.tile<2x2x16x32xf16, post>
    %ds = block.saver %d2 omap [3, -1, -1]
        : !block.tile<2x2x16x32xf16, post> -> tensor<2x2x16x64xf16>
    block.yield %as, %bs, %cs, %ds
        : tensor<256xf16>, tensor<8x1024xbf16>, tensor<2x64x128xf32>,
          tensor<2x2x16x64xf16>
  }
  return %ra, %rb, %rc, %rd
      : tensor<256xf16>, tensor<8x1024xbf16>, tensor<2x64x128xf32>,
        tensor<2x2x16x64xf16>
}

//===----------------------------------------------------------------------===//
// Element-wise binary ops: every function, with and without broadcasting
// (on either side), on 'pre' and on 'post' tiles.
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @binary
// CHECK:         %[[X:[a-z0-9_]+]] = block.loader %{{.*}} imap [-1, -1, -1] fmap 1 : tensor<64x256xf32> -> !block.tile<64x128xf32, pre>
// CHECK-NEXT:    %[[S:[a-z0-9_]+]] = block.loader %{{.*}} imap [-1, -1, -1] fmap -1 : tensor<64x1xf32> -> !block.tile<64x1xf32, pre>
// CHECK-NEXT:    %[[ADD:[a-z0-9_]+]] = block.add %[[X]], %[[S]] : !block.tile<64x128xf32, pre>, !block.tile<64x1xf32, pre>
// CHECK-NEXT:    %[[SUB:[a-z0-9_]+]] = block.sub %[[S]], %[[ADD]] : !block.tile<64x1xf32, pre>, !block.tile<64x128xf32, pre>
// CHECK-NEXT:    %[[MUL:[a-z0-9_]+]] = block.mul %[[SUB]], %[[X]] : !block.tile<64x128xf32, pre>, !block.tile<64x128xf32, pre>
// CHECK-NEXT:    %[[ACC:[a-z0-9_]+]] = block.accum none %[[MUL]] : !block.tile<64x128xf32, pre> -> !block.tile<64x128xf32, post>
// CHECK-NEXT:    %[[TOT:[a-z0-9_]+]] = block.accum sum %[[X]] : !block.tile<64x128xf32, pre> -> !block.tile<64x1xf32, post>
// CHECK-NEXT:    %[[DIV:[a-z0-9_]+]] = block.div %[[ACC]], %[[TOT]] : !block.tile<64x128xf32, post>, !block.tile<64x1xf32, post>
// CHECK-NEXT:    %[[POW:[a-z0-9_]+]] = block.pow %[[DIV]], %[[ACC]] : !block.tile<64x128xf32, post>, !block.tile<64x128xf32, post>
// CHECK-NEXT:    block.saver %[[POW]] omap [-1, -1, -1] : !block.tile<64x128xf32, post> -> tensor<64x128xf32>
// CHECK:         block.pow %{{.*}}, %{{.*}} : !block.tile<1x2x16x32xbf16, pre>, !block.tile<1x1x16x1xbf16, pre>
// GENERIC-LABEL: sym_name = "binary"
// GENERIC:       "block.add"(%{{.*}}, %{{.*}}) : (!block.tile<64x128xf32, pre>, !block.tile<64x1xf32, pre>) -> !block.tile<64x128xf32, pre>
// GENERIC:       "block.sub"(%{{.*}}, %{{.*}}) : (!block.tile<64x1xf32, pre>, !block.tile<64x128xf32, pre>) -> !block.tile<64x128xf32, pre>
// GENERIC:       "block.mul"(%{{.*}}, %{{.*}}) : (!block.tile<64x128xf32, pre>, !block.tile<64x128xf32, pre>) -> !block.tile<64x128xf32, pre>
// GENERIC:       "block.div"(%{{.*}}, %{{.*}}) : (!block.tile<64x128xf32, post>, !block.tile<64x1xf32, post>) -> !block.tile<64x128xf32, post>
// GENERIC:       "block.pow"(%{{.*}}, %{{.*}}) : (!block.tile<64x128xf32, post>, !block.tile<64x128xf32, post>) -> !block.tile<64x128xf32, post>
// GENERIC:       "block.pow"(%{{.*}}, %{{.*}}) : (!block.tile<1x2x16x32xbf16, pre>, !block.tile<1x1x16x1xbf16, pre>) -> !block.tile<1x2x16x32xbf16, pre>
func.func @binary(%x: tensor<64x256xf32>, %s: tensor<64x1xf32>,
                  %y: tensor<1x2x16x64xbf16>, %z: tensor<1x1x16x1xbf16>)
    -> (tensor<64x128xf32>, tensor<1x2x16x32xbf16>) {
  %r0, %r1 = kernel.graph_defined (%x, %s, %y, %z)
      grid [1, 1, 1] block [128, 1, 1] forloop 2
      : (tensor<64x256xf32>, tensor<64x1xf32>, tensor<1x2x16x64xbf16>,
         tensor<1x1x16x1xbf16>)
      -> (tensor<64x128xf32>, tensor<1x2x16x32xbf16>) {
  ^bb0(%xd: tensor<64x256xf32>, %sd: tensor<64x1xf32>,
       %yd: tensor<1x2x16x64xbf16>, %zd: tensor<1x1x16x1xbf16>):
    %xt = block.loader %xd imap [-1, -1, -1] fmap 1
        : tensor<64x256xf32> -> !block.tile<64x128xf32, pre>
    %st = block.loader %sd imap [-1, -1, -1] fmap -1
        : tensor<64x1xf32> -> !block.tile<64x1xf32, pre>
    %sum = block.add %xt, %st
        : !block.tile<64x128xf32, pre>, !block.tile<64x1xf32, pre>
    %dif = block.sub %st, %sum
        : !block.tile<64x1xf32, pre>, !block.tile<64x128xf32, pre>
    %prod = block.mul %dif, %xt
        : !block.tile<64x128xf32, pre>, !block.tile<64x128xf32, pre>
    %acc = block.accum none %prod
        : !block.tile<64x128xf32, pre> -> !block.tile<64x128xf32, post>
    %tot = block.accum sum %xt
        : !block.tile<64x128xf32, pre> -> !block.tile<64x1xf32, post>
    %quo = block.div %acc, %tot
        : !block.tile<64x128xf32, post>, !block.tile<64x1xf32, post>
    %pw = block.pow %quo, %acc
        : !block.tile<64x128xf32, post>, !block.tile<64x128xf32, post>
    %o0 = block.saver %pw omap [-1, -1, -1]
        : !block.tile<64x128xf32, post> -> tensor<64x128xf32>

    %yt = block.loader %yd imap [-1, -1, -1] fmap 3
        : tensor<1x2x16x64xbf16> -> !block.tile<1x2x16x32xbf16, pre>
    %zt = block.loader %zd imap [-1, -1, -1] fmap -1
        : tensor<1x1x16x1xbf16> -> !block.tile<1x1x16x1xbf16, pre>
    %yz = block.pow %yt, %zt
        : !block.tile<1x2x16x32xbf16, pre>, !block.tile<1x1x16x1xbf16, pre>
    %yacc = block.accum none %yz
        : !block.tile<1x2x16x32xbf16, pre> -> !block.tile<1x2x16x32xbf16, post>
    %o1 = block.saver %yacc omap [-1, -1, -1]
        : !block.tile<1x2x16x32xbf16, post> -> tensor<1x2x16x32xbf16>
    block.yield %o0, %o1 : tensor<64x128xf32>, tensor<1x2x16x32xbf16>
  }
  return %r0, %r1 : tensor<64x128xf32>, tensor<1x2x16x32xbf16>
}

//===----------------------------------------------------------------------===//
// Matmuls: ranks 2 to 4 (leading dims 1), on 'pre' and on 'post' tiles.
//===----------------------------------------------------------------------===//

// Y = A B over a 16x2 grid: each block takes 8 rows of A and 64 columns of B
// and walks the contraction dim in 4 chunks of 64.
// CHECK-LABEL: func.func @matmul
// CHECK:         kernel.graph_defined (%{{.*}}, %{{.*}}) grid [16, 2, 1] block [256, 1, 1] forloop 4 : (tensor<16x256xf16>, tensor<256x1024xf16>) -> tensor<16x1024xf16>
// CHECK:         %[[A:[a-z0-9_]+]] = block.loader %{{.*}} imap [-1, 0, -1] fmap 1 : tensor<16x256xf16> -> !block.tile<8x64xf16, pre>
// CHECK-NEXT:    %[[B:[a-z0-9_]+]] = block.loader %{{.*}} imap [1, -1, -1] fmap 0 : tensor<256x1024xf16> -> !block.tile<64x64xf16, pre>
// CHECK-NEXT:    %[[AB:[a-z0-9_]+]] = block.matmul %[[A]], %[[B]] : !block.tile<8x64xf16, pre>, !block.tile<64x64xf16, pre>
// CHECK-NEXT:    %[[ACC:[a-z0-9_]+]] = block.accum none %[[AB]] : !block.tile<8x64xf16, pre> -> !block.tile<8x64xf16, post>
// CHECK-NEXT:    %[[OUT:[a-z0-9_]+]] = block.saver %[[ACC]] omap [1, 0, -1] : !block.tile<8x64xf16, post> -> tensor<16x1024xf16>
// CHECK-NEXT:    block.yield %[[OUT]] : tensor<16x1024xf16>
// GENERIC-LABEL: sym_name = "matmul"
// GENERIC:       "block.matmul"(%{{.*}}, %{{.*}}) : (!block.tile<8x64xf16, pre>, !block.tile<64x64xf16, pre>) -> !block.tile<8x64xf16, pre>
func.func @matmul(%a: tensor<16x256xf16>, %b: tensor<256x1024xf16>)
    -> tensor<16x1024xf16> {
  %y = kernel.graph_defined (%a, %b) grid [16, 2, 1] block [256, 1, 1]
      forloop 4 : (tensor<16x256xf16>, tensor<256x1024xf16>)
      -> tensor<16x1024xf16> {
  ^bb0(%ad: tensor<16x256xf16>, %bd: tensor<256x1024xf16>):
    %at = block.loader %ad imap [-1, 0, -1] fmap 1
        : tensor<16x256xf16> -> !block.tile<8x64xf16, pre>
    %bt = block.loader %bd imap [1, -1, -1] fmap 0
        : tensor<256x1024xf16> -> !block.tile<64x64xf16, pre>
    %ab = block.matmul %at, %bt
        : !block.tile<8x64xf16, pre>, !block.tile<64x64xf16, pre>
    %acc = block.accum none %ab
        : !block.tile<8x64xf16, pre> -> !block.tile<8x64xf16, post>
    %out = block.saver %acc omap [1, 0, -1]
        : !block.tile<8x64xf16, post> -> tensor<16x1024xf16>
    block.yield %out : tensor<16x1024xf16>
  }
  return %y : tensor<16x1024xf16>
}

// A rank-3 matmul in the loop, and a rank-4 one after it on accumulated
// tiles (the max accumulator of a tile loaded unchanged in every iteration is
// that tile).
// CHECK-LABEL: func.func @matmul_ranks
// CHECK:         block.matmul %{{.*}}, %{{.*}} : !block.tile<1x16x64xbf16, pre>, !block.tile<1x64x256xbf16, pre>
// CHECK-NEXT:    block.accum none %{{.*}} : !block.tile<1x16x256xbf16, pre> -> !block.tile<1x16x256xbf16, post>
// CHECK-NEXT:    block.saver %{{.*}} omap [-1, -1, 1] : !block.tile<1x16x256xbf16, post> -> tensor<1x64x256xbf16>
// CHECK:         block.accum max %{{.*}} : !block.tile<1x1x8x64xf32, pre> -> !block.tile<1x1x8x64xf32, post>
// CHECK-NEXT:    block.accum max %{{.*}} : !block.tile<1x1x64x16xf32, pre> -> !block.tile<1x1x64x16xf32, post>
// CHECK-NEXT:    block.matmul %{{.*}}, %{{.*}} : !block.tile<1x1x8x64xf32, post>, !block.tile<1x1x64x16xf32, post>
// CHECK-NEXT:    block.saver %{{.*}} omap [-1, -1, 2] : !block.tile<1x1x8x16xf32, post> -> tensor<1x1x32x16xf32>
// GENERIC-LABEL: sym_name = "matmul_ranks"
// GENERIC:       "block.matmul"(%{{.*}}, %{{.*}}) : (!block.tile<1x16x64xbf16, pre>, !block.tile<1x64x256xbf16, pre>) -> !block.tile<1x16x256xbf16, pre>
// GENERIC:       "block.matmul"(%{{.*}}, %{{.*}}) : (!block.tile<1x1x8x64xf32, post>, !block.tile<1x1x64x16xf32, post>) -> !block.tile<1x1x8x16xf32, post>
func.func @matmul_ranks(%q: tensor<1x64x128xbf16>, %k: tensor<1x128x256xbf16>,
                        %d: tensor<1x1x32x64xf32>, %e: tensor<1x1x64x16xf32>)
    -> (tensor<1x64x256xbf16>, tensor<1x1x32x16xf32>) {
  %r0, %r1 = kernel.graph_defined (%q, %k, %d, %e)
      grid [1, 1, 4] block [128, 1, 1] forloop 2
      : (tensor<1x64x128xbf16>, tensor<1x128x256xbf16>,
         tensor<1x1x32x64xf32>, tensor<1x1x64x16xf32>)
      -> (tensor<1x64x256xbf16>, tensor<1x1x32x16xf32>) {
  ^bb0(%qd: tensor<1x64x128xbf16>, %kd: tensor<1x128x256xbf16>,
       %dd: tensor<1x1x32x64xf32>, %ed: tensor<1x1x64x16xf32>):
    %qt = block.loader %qd imap [-1, -1, 1] fmap 2
        : tensor<1x64x128xbf16> -> !block.tile<1x16x64xbf16, pre>
    %kt = block.loader %kd imap [-1, -1, -1] fmap 1
        : tensor<1x128x256xbf16> -> !block.tile<1x64x256xbf16, pre>
    %qk = block.matmul %qt, %kt
        : !block.tile<1x16x64xbf16, pre>, !block.tile<1x64x256xbf16, pre>
    %qkacc = block.accum none %qk
        : !block.tile<1x16x256xbf16, pre> -> !block.tile<1x16x256xbf16, post>
    %o0 = block.saver %qkacc omap [-1, -1, 1]
        : !block.tile<1x16x256xbf16, post> -> tensor<1x64x256xbf16>

    %dt = block.loader %dd imap [-1, -1, 2] fmap -1
        : tensor<1x1x32x64xf32> -> !block.tile<1x1x8x64xf32, pre>
    %et = block.loader %ed imap [-1, -1, -1] fmap -1
        : tensor<1x1x64x16xf32> -> !block.tile<1x1x64x16xf32, pre>
    %dacc = block.accum max %dt
        : !block.tile<1x1x8x64xf32, pre> -> !block.tile<1x1x8x64xf32, post>
    %eacc = block.accum max %et
        : !block.tile<1x1x64x16xf32, pre> -> !block.tile<1x1x64x16xf32, post>
    %de = block.matmul %dacc, %eacc
        : !block.tile<1x1x8x64xf32, post>, !block.tile<1x1x64x16xf32, post>
    %o1 = block.saver %de omap [-1, -1, 2]
        : !block.tile<1x1x8x16xf32, post> -> tensor<1x1x32x16xf32>
    block.yield %o0, %o1 : tensor<1x64x256xbf16>, tensor<1x1x32x16xf32>
  }
  return %r0, %r1 : tensor<1x64x256xbf16>, tensor<1x1x32x16xf32>
}

// LoRA, Y = X W + (X A) B with X 16x256, W 256x4096, A 256x16, B 16x4096
// (docs/Benchmarks.md). The first kernel computes X A; the second
// walks the concatenated contraction dim [X | XA] x [W; B] in 4 chunks, each
// holding a quarter of both parts, so the sum over iterations of
// X_i W_i + (XA)_i B_i is X W + (X A) B.
// CHECK-LABEL: func.func @lora
// CHECK-SAME:    (%[[X:[a-z0-9_]+]]: tensor<16x256xf16>, %[[W:[a-z0-9_]+]]: tensor<256x4096xf16>, %[[A:[a-z0-9_]+]]: tensor<256x16xf16>, %[[B:[a-z0-9_]+]]: tensor<16x4096xf16>)
// CHECK:         %[[XA:[a-z0-9_]+]] = kernel.graph_defined (%[[X]], %[[A]]) grid [1, 1, 1] block [128, 1, 1] forloop 4 : (tensor<16x256xf16>, tensor<256x16xf16>) -> tensor<16x16xf16>
// CHECK:         block.matmul %{{.*}}, %{{.*}} : !block.tile<16x64xf16, pre>, !block.tile<64x16xf16, pre>
// CHECK:         %[[Y:[a-z0-9_]+]] = kernel.graph_defined (%[[X]], %[[XA]], %[[W]], %[[B]]) grid [64, 1, 1] block [128, 1, 1] forloop 4
// CHECK-NEXT:    ^bb0(%{{.*}}: tensor<16x256xf16>, %{{.*}}: tensor<16x16xf16>, %{{.*}}: tensor<256x4096xf16>, %{{.*}}: tensor<16x4096xf16>):
// CHECK-NEXT:    %[[XT:[a-z0-9_]+]] = block.loader %{{.*}} imap [-1, -1, -1] fmap 1 : tensor<16x256xf16> -> !block.tile<16x64xf16, pre>
// CHECK-NEXT:    %[[XAT:[a-z0-9_]+]] = block.loader %{{.*}} imap [-1, -1, -1] fmap 1 : tensor<16x16xf16> -> !block.tile<16x4xf16, pre>
// CHECK-NEXT:    %[[WT:[a-z0-9_]+]] = block.loader %{{.*}} imap [1, -1, -1] fmap 0 : tensor<256x4096xf16> -> !block.tile<64x64xf16, pre>
// CHECK-NEXT:    %[[BT:[a-z0-9_]+]] = block.loader %{{.*}} imap [1, -1, -1] fmap 0 : tensor<16x4096xf16> -> !block.tile<4x64xf16, pre>
// CHECK-NEXT:    %[[MM:[a-z0-9_]+]] = block.concat_matmul %[[XT]], %[[XAT]], %[[WT]], %[[BT]] : !block.tile<16x64xf16, pre>, !block.tile<16x4xf16, pre>, !block.tile<64x64xf16, pre>, !block.tile<4x64xf16, pre>
// CHECK-NEXT:    %[[ACC:[a-z0-9_]+]] = block.accum none %[[MM]] : !block.tile<16x64xf16, pre> -> !block.tile<16x64xf16, post>
// CHECK-NEXT:    block.saver %[[ACC]] omap [1, -1, -1] : !block.tile<16x64xf16, post> -> tensor<16x4096xf16>
// CHECK:         return %[[Y]] : tensor<16x4096xf16>
// GENERIC-LABEL: sym_name = "lora"
// GENERIC:       "block.concat_matmul"(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}) : (!block.tile<16x64xf16, pre>, !block.tile<16x4xf16, pre>, !block.tile<64x64xf16, pre>, !block.tile<4x64xf16, pre>) -> !block.tile<16x64xf16, pre>
func.func @lora(%x: tensor<16x256xf16>, %w: tensor<256x4096xf16>,
                %a: tensor<256x16xf16>, %b: tensor<16x4096xf16>)
    -> tensor<16x4096xf16> {
  %xa = kernel.graph_defined (%x, %a) grid [1, 1, 1] block [128, 1, 1]
      forloop 4 : (tensor<16x256xf16>, tensor<256x16xf16>)
      -> tensor<16x16xf16> {
  ^bb0(%xd: tensor<16x256xf16>, %ad: tensor<256x16xf16>):
    %xt = block.loader %xd imap [-1, -1, -1] fmap 1
        : tensor<16x256xf16> -> !block.tile<16x64xf16, pre>
    %at = block.loader %ad imap [-1, -1, -1] fmap 0
        : tensor<256x16xf16> -> !block.tile<64x16xf16, pre>
    %mm = block.matmul %xt, %at
        : !block.tile<16x64xf16, pre>, !block.tile<64x16xf16, pre>
    %acc = block.accum none %mm
        : !block.tile<16x16xf16, pre> -> !block.tile<16x16xf16, post>
    %out = block.saver %acc omap [-1, -1, -1]
        : !block.tile<16x16xf16, post> -> tensor<16x16xf16>
    block.yield %out : tensor<16x16xf16>
  }
  %y = kernel.graph_defined (%x, %xa, %w, %b) grid [64, 1, 1]
      block [128, 1, 1] forloop 4
      : (tensor<16x256xf16>, tensor<16x16xf16>, tensor<256x4096xf16>,
         tensor<16x4096xf16>) -> tensor<16x4096xf16> {
  ^bb0(%xd: tensor<16x256xf16>, %xad: tensor<16x16xf16>,
       %wd: tensor<256x4096xf16>, %bd: tensor<16x4096xf16>):
    %xt = block.loader %xd imap [-1, -1, -1] fmap 1
        : tensor<16x256xf16> -> !block.tile<16x64xf16, pre>
    %xat = block.loader %xad imap [-1, -1, -1] fmap 1
        : tensor<16x16xf16> -> !block.tile<16x4xf16, pre>
    %wt = block.loader %wd imap [1, -1, -1] fmap 0
        : tensor<256x4096xf16> -> !block.tile<64x64xf16, pre>
    %bt = block.loader %bd imap [1, -1, -1] fmap 0
        : tensor<16x4096xf16> -> !block.tile<4x64xf16, pre>
    %mm = block.concat_matmul %xt, %xat, %wt, %bt
        : !block.tile<16x64xf16, pre>, !block.tile<16x4xf16, pre>,
          !block.tile<64x64xf16, pre>, !block.tile<4x64xf16, pre>
    %acc = block.accum none %mm
        : !block.tile<16x64xf16, pre> -> !block.tile<16x64xf16, post>
    %out = block.saver %acc omap [1, -1, -1]
        : !block.tile<16x64xf16, post> -> tensor<16x4096xf16>
    block.yield %out : tensor<16x4096xf16>
  }
  return %y : tensor<16x4096xf16>
}

//===----------------------------------------------------------------------===//
// Reductions, RMS norm and concatenation.
//===----------------------------------------------------------------------===//

// One pass over each input (for-loop range 1): rows of X normalized (eps 0,
// Mirage's block-level rms_norm) and concatenated with their sums (after the
// loop), the same along dim 2 of a rank-4 tile (in the loop, eps 1e-5), and
// a rank-1 tile summed to one element.
// CHECK-LABEL: func.func @reduction_norm_concat
// CHECK:         block.loader %{{.*}} imap [0, -1, -1] fmap -1 : tensor<8x512xf16> -> !block.tile<2x512xf16, pre>
// CHECK-NEXT:    block.rms_norm %{{.*}} : !block.tile<2x512xf16, pre>
// CHECK-NEXT:    %[[XACC:[a-z0-9_]+]] = block.accum none %{{.*}} : !block.tile<2x512xf16, pre> -> !block.tile<2x512xf16, post>
// CHECK-NEXT:    %[[XSUM:[a-z0-9_]+]] = block.reduction %[[XACC]] dim 1 : !block.tile<2x512xf16, post>
// CHECK-NEXT:    %[[XCAT:[a-z0-9_]+]] = block.concat %[[XACC]], %[[XSUM]] dim 1 : !block.tile<2x512xf16, post>, !block.tile<2x1xf16, post>
// CHECK-NEXT:    block.saver %[[XCAT]] omap [0, -1, -1] : !block.tile<2x513xf16, post> -> tensor<8x513xf16>
// CHECK:         block.rms_norm %{{.*}} eps 1.000000e-05 : !block.tile<2x1x16x64xbf16, pre>
// CHECK-NEXT:    block.reduction %{{.*}} dim 2 : !block.tile<2x1x16x64xbf16, pre>
// CHECK-NEXT:    block.concat %{{.*}}, %{{.*}} dim 2 : !block.tile<2x1x16x64xbf16, pre>, !block.tile<2x1x1x64xbf16, pre>
// CHECK-NEXT:    block.accum none %{{.*}} : !block.tile<2x1x17x64xbf16, pre> -> !block.tile<2x1x17x64xbf16, post>
// CHECK:         block.reduction %{{.*}} dim 0 : !block.tile<128xf32, pre>
// CHECK-NEXT:    block.accum none %{{.*}} : !block.tile<1xf32, pre> -> !block.tile<1xf32, post>
// CHECK-NEXT:    block.saver %{{.*}} omap [0, -1, -1] : !block.tile<1xf32, post> -> tensor<4xf32>
// GENERIC-LABEL: sym_name = "reduction_norm_concat"
// GENERIC:       "block.rms_norm"(%{{.*}}) : (!block.tile<2x512xf16, pre>) -> !block.tile<2x512xf16, pre>
// GENERIC:       "block.reduction"(%{{.*}}) <{dim = 1 : i64}> : (!block.tile<2x512xf16, post>) -> !block.tile<2x1xf16, post>
// GENERIC:       "block.concat"(%{{.*}}, %{{.*}}) <{dim = 1 : i64}> : (!block.tile<2x512xf16, post>, !block.tile<2x1xf16, post>) -> !block.tile<2x513xf16, post>
// GENERIC:       "block.rms_norm"(%{{.*}}) <{eps = 1.000000e-05 : f64}> : (!block.tile<2x1x16x64xbf16, pre>) -> !block.tile<2x1x16x64xbf16, pre>
// GENERIC:       "block.reduction"(%{{.*}}) <{dim = 2 : i64}> : (!block.tile<2x1x16x64xbf16, pre>) -> !block.tile<2x1x1x64xbf16, pre>
// GENERIC:       "block.concat"(%{{.*}}, %{{.*}}) <{dim = 2 : i64}> : (!block.tile<2x1x16x64xbf16, pre>, !block.tile<2x1x1x64xbf16, pre>) -> !block.tile<2x1x17x64xbf16, pre>
// GENERIC:       "block.reduction"(%{{.*}}) <{dim = 0 : i64}> : (!block.tile<128xf32, pre>) -> !block.tile<1xf32, pre>
func.func @reduction_norm_concat(%x: tensor<8x512xf16>,
                                 %g: tensor<2x4x16x64xbf16>,
                                 %v: tensor<512xf32>)
    -> (tensor<8x513xf16>, tensor<2x4x17x64xbf16>, tensor<4xf32>) {
  %r0, %r1, %r2 = kernel.graph_defined (%x, %g, %v)
      grid [4, 1, 1] block [128, 1, 1] forloop 1
      : (tensor<8x512xf16>, tensor<2x4x16x64xbf16>, tensor<512xf32>)
      -> (tensor<8x513xf16>, tensor<2x4x17x64xbf16>, tensor<4xf32>) {
  ^bb0(%xd: tensor<8x512xf16>, %gd: tensor<2x4x16x64xbf16>,
       %vd: tensor<512xf32>):
    %xt = block.loader %xd imap [0, -1, -1] fmap -1
        : tensor<8x512xf16> -> !block.tile<2x512xf16, pre>
    %xn = block.rms_norm %xt : !block.tile<2x512xf16, pre>
    %xacc = block.accum none %xn
        : !block.tile<2x512xf16, pre> -> !block.tile<2x512xf16, post>
    %xsum = block.reduction %xacc dim 1 : !block.tile<2x512xf16, post>
    %xcat = block.concat %xacc, %xsum dim 1
        : !block.tile<2x512xf16, post>, !block.tile<2x1xf16, post>
    %o0 = block.saver %xcat omap [0, -1, -1]
        : !block.tile<2x513xf16, post> -> tensor<8x513xf16>

    %gt = block.loader %gd imap [1, -1, -1] fmap -1
        : tensor<2x4x16x64xbf16> -> !block.tile<2x1x16x64xbf16, pre>
    %gn = block.rms_norm %gt eps 1.0e-05 : !block.tile<2x1x16x64xbf16, pre>
    %gsum = block.reduction %gt dim 2 : !block.tile<2x1x16x64xbf16, pre>
    %gcat = block.concat %gn, %gsum dim 2
        : !block.tile<2x1x16x64xbf16, pre>, !block.tile<2x1x1x64xbf16, pre>
    %gacc = block.accum none %gcat
        : !block.tile<2x1x17x64xbf16, pre> -> !block.tile<2x1x17x64xbf16, post>
    %o1 = block.saver %gacc omap [1, -1, -1]
        : !block.tile<2x1x17x64xbf16, post> -> tensor<2x4x17x64xbf16>

    %vt = block.loader %vd imap [0, -1, -1] fmap -1
        : tensor<512xf32> -> !block.tile<128xf32, pre>
    %vsum = block.reduction %vt dim 0 : !block.tile<128xf32, pre>
    %vacc = block.accum none %vsum
        : !block.tile<1xf32, pre> -> !block.tile<1xf32, post>
    %o2 = block.saver %vacc omap [0, -1, -1]
        : !block.tile<1xf32, post> -> tensor<4xf32>
    block.yield %o0, %o1, %o2
        : tensor<8x513xf16>, tensor<2x4x17x64xbf16>, tensor<4xf32>
  }
  return %r0, %r1, %r2
      : tensor<8x513xf16>, tensor<2x4x17x64xbf16>, tensor<4xf32>
}

// reduction_to_dimx (before and after the loop) and the sum_to_dimx
// accumulator reduce to the kernel's dimx, here 32 instead of the default 64:
// three ways to the same strided sum of X's last dim, added up.
// CHECK-LABEL: func.func @reduction_to_dimx
// CHECK:         kernel.graph_defined (%{{.*}}) grid [4, 1, 1] block [128, 1, 1] forloop 2 dimx 32 : (tensor<4x2x16x512xbf16>) -> tensor<4x2x16x32xbf16>
// CHECK:         %[[X:[a-z0-9_]+]] = block.loader %{{.*}} imap [0, -1, -1] fmap 3 : tensor<4x2x16x512xbf16> -> !block.tile<1x2x16x256xbf16, pre>
// CHECK-NEXT:    %[[R:[a-z0-9_]+]] = block.reduction_to_dimx %[[X]] dim 3 : !block.tile<1x2x16x256xbf16, pre> -> !block.tile<1x2x16x32xbf16, pre>
// CHECK-NEXT:    block.accum none %[[R]] : !block.tile<1x2x16x32xbf16, pre> -> !block.tile<1x2x16x32xbf16, post>
// CHECK-NEXT:    block.accum sum_to_dimx %[[X]] : !block.tile<1x2x16x256xbf16, pre> -> !block.tile<1x2x16x32xbf16, post>
// CHECK-NEXT:    %[[XACC:[a-z0-9_]+]] = block.accum none %[[X]] : !block.tile<1x2x16x256xbf16, pre> -> !block.tile<1x2x16x256xbf16, post>
// CHECK-NEXT:    block.reduction_to_dimx %[[XACC]] dim 3 : !block.tile<1x2x16x256xbf16, post> -> !block.tile<1x2x16x32xbf16, post>
func.func @reduction_to_dimx(%x: tensor<4x2x16x512xbf16>)
    -> tensor<4x2x16x32xbf16> {
  %y = kernel.graph_defined (%x) grid [4, 1, 1] block [128, 1, 1] forloop 2
      dimx 32 : (tensor<4x2x16x512xbf16>) -> tensor<4x2x16x32xbf16> {
  ^bb0(%xd: tensor<4x2x16x512xbf16>):
    %xt = block.loader %xd imap [0, -1, -1] fmap 3
        : tensor<4x2x16x512xbf16> -> !block.tile<1x2x16x256xbf16, pre>
    %r = block.reduction_to_dimx %xt dim 3
        : !block.tile<1x2x16x256xbf16, pre> -> !block.tile<1x2x16x32xbf16, pre>
    %racc = block.accum none %r
        : !block.tile<1x2x16x32xbf16, pre> -> !block.tile<1x2x16x32xbf16, post>
    %sacc = block.accum sum_to_dimx %xt
        : !block.tile<1x2x16x256xbf16, pre> -> !block.tile<1x2x16x32xbf16, post>
    %xacc = block.accum none %xt
        : !block.tile<1x2x16x256xbf16, pre> -> !block.tile<1x2x16x256xbf16, post>
    %tacc = block.reduction_to_dimx %xacc dim 3
        : !block.tile<1x2x16x256xbf16, post> -> !block.tile<1x2x16x32xbf16, post>
    %rs = block.add %racc, %sacc
        : !block.tile<1x2x16x32xbf16, post>, !block.tile<1x2x16x32xbf16, post>
    %rst = block.add %rs, %tacc
        : !block.tile<1x2x16x32xbf16, post>, !block.tile<1x2x16x32xbf16, post>
    %out = block.saver %rst omap [0, -1, -1]
        : !block.tile<1x2x16x32xbf16, post> -> tensor<4x2x16x32xbf16>
    block.yield %out : tensor<4x2x16x32xbf16>
  }
  return %y : tensor<4x2x16x32xbf16>
}

//===----------------------------------------------------------------------===//
// For-loop accumulators: every kind.
//===----------------------------------------------------------------------===//

// Row statistics of X (8x4096, one row per block, 16 chunks of 256): the
// sums, means, RMS, the strided sum down to dimx = 64, and a rank-3 RMS.
// CHECK-LABEL: func.func @accumulators
// CHECK:         %[[X:[a-z0-9_]+]] = block.loader %{{.*}} imap [0, -1, -1] fmap 1 : tensor<8x4096xf16> -> !block.tile<1x256xf16, pre>
// CHECK-NEXT:    block.accum none %[[X]] : !block.tile<1x256xf16, pre> -> !block.tile<1x256xf16, post>
// CHECK-NEXT:    block.accum sum %[[X]] : !block.tile<1x256xf16, pre> -> !block.tile<1x1xf16, post>
// CHECK-NEXT:    block.accum mean %[[X]] : !block.tile<1x256xf16, pre> -> !block.tile<1x1xf16, post>
// CHECK-NEXT:    block.accum rms %[[X]] : !block.tile<1x256xf16, pre> -> !block.tile<1x1xf16, post>
// CHECK-NEXT:    block.accum sum_to_dimx %[[X]] : !block.tile<1x256xf16, pre> -> !block.tile<1x64xf16, post>
// CHECK:         block.accum rms %{{.*}} : !block.tile<2x1x64xf32, pre> -> !block.tile<2x1x1xf32, post>
// CHECK-NEXT:    block.saver %{{.*}} omap [1, -1, -1] : !block.tile<2x1x1xf32, post> -> tensor<2x8x1xf32>
// GENERIC-LABEL: sym_name = "accumulators"
// GENERIC:       "block.accum"(%{{.*}}) <{kind = 0 : i32}> : (!block.tile<1x256xf16, pre>) -> !block.tile<1x256xf16, post>
// GENERIC:       "block.accum"(%{{.*}}) <{kind = 1 : i32}> : (!block.tile<1x256xf16, pre>) -> !block.tile<1x1xf16, post>
// GENERIC:       "block.accum"(%{{.*}}) <{kind = 2 : i32}> : (!block.tile<1x256xf16, pre>) -> !block.tile<1x1xf16, post>
// GENERIC:       "block.accum"(%{{.*}}) <{kind = 3 : i32}> : (!block.tile<1x256xf16, pre>) -> !block.tile<1x1xf16, post>
// GENERIC:       "block.accum"(%{{.*}}) <{kind = 4 : i32}> : (!block.tile<1x256xf16, pre>) -> !block.tile<1x64xf16, post>
func.func @accumulators(%x: tensor<8x4096xf16>, %z: tensor<2x8x1024xf32>)
    -> (tensor<8x256xf16>, tensor<8x1xf16>, tensor<8x64xf16>,
        tensor<2x8x1xf32>) {
  %r:4 = kernel.graph_defined (%x, %z) grid [8, 1, 1] block [128, 1, 1]
      forloop 16 : (tensor<8x4096xf16>, tensor<2x8x1024xf32>)
      -> (tensor<8x256xf16>, tensor<8x1xf16>, tensor<8x64xf16>,
          tensor<2x8x1xf32>) {
  ^bb0(%xd: tensor<8x4096xf16>, %zd: tensor<2x8x1024xf32>):
    %xt = block.loader %xd imap [0, -1, -1] fmap 1
        : tensor<8x4096xf16> -> !block.tile<1x256xf16, pre>
    %none = block.accum none %xt
        : !block.tile<1x256xf16, pre> -> !block.tile<1x256xf16, post>
    %sum = block.accum sum %xt
        : !block.tile<1x256xf16, pre> -> !block.tile<1x1xf16, post>
    %mean = block.accum mean %xt
        : !block.tile<1x256xf16, pre> -> !block.tile<1x1xf16, post>
    %rms = block.accum rms %xt
        : !block.tile<1x256xf16, pre> -> !block.tile<1x1xf16, post>
    %todimx = block.accum sum_to_dimx %xt
        : !block.tile<1x256xf16, pre> -> !block.tile<1x64xf16, post>
    %centered = block.sub %none, %sum
        : !block.tile<1x256xf16, post>, !block.tile<1x1xf16, post>
    %ratio = block.div %mean, %rms
        : !block.tile<1x1xf16, post>, !block.tile<1x1xf16, post>
    %o0 = block.saver %centered omap [0, -1, -1]
        : !block.tile<1x256xf16, post> -> tensor<8x256xf16>
    %o1 = block.saver %ratio omap [0, -1, -1]
        : !block.tile<1x1xf16, post> -> tensor<8x1xf16>
    %o2 = block.saver %todimx omap [0, -1, -1]
        : !block.tile<1x64xf16, post> -> tensor<8x64xf16>

    %zt = block.loader %zd imap [1, -1, -1] fmap 2
        : tensor<2x8x1024xf32> -> !block.tile<2x1x64xf32, pre>
    %zrms = block.accum rms %zt
        : !block.tile<2x1x64xf32, pre> -> !block.tile<2x1x1xf32, post>
    %o3 = block.saver %zrms omap [1, -1, -1]
        : !block.tile<2x1x1xf32, post> -> tensor<2x8x1xf32>
    block.yield %o0, %o1, %o2, %o3
        : tensor<8x256xf16>, tensor<8x1xf16>, tensor<8x64xf16>,
          tensor<2x8x1xf32>
  }
  return %r#0, %r#1, %r#2, %r#3
      : tensor<8x256xf16>, tensor<8x1xf16>, tensor<8x64xf16>,
        tensor<2x8x1xf32>
}

// Attention with online softmax: in iteration i,
// S = Q K_i, m_i = running max of S's rows, P = exp(S - m_i); the row sums
// of P and P V_i are accumulated with rescaling by exp(m_{i-1} - m_i), so
// after the loop O / l is softmax(Q K) V. The max accumulator keeps the
// final row maxima. Two blocks along z take 64 queries each.
// CHECK-LABEL: func.func @online_softmax
// CHECK:         %[[S:[a-z0-9_]+]] = block.matmul %{{.*}}, %{{.*}} : !block.tile<64x64xf32, pre>, !block.tile<64x128xf32, pre>
// CHECK-NEXT:    %[[M:[a-z0-9_]+]], %[[D:[a-z0-9_]+]] = block.running_max %[[S]] dim 1 : !block.tile<64x128xf32, pre>
// CHECK-NEXT:    %[[SH:[a-z0-9_]+]] = block.sub %[[S]], %[[M]] : !block.tile<64x128xf32, pre>, !block.tile<64x1xf32, pre>
// CHECK-NEXT:    %[[P:[a-z0-9_]+]] = block.exp %[[SH]] : !block.tile<64x128xf32, pre>
// CHECK-NEXT:    %[[F:[a-z0-9_]+]] = block.exp %[[D]] : !block.tile<64x1xf32, pre>
// CHECK-NEXT:    %[[RS:[a-z0-9_]+]] = block.reduction %[[P]] dim 1 : !block.tile<64x128xf32, pre>
// CHECK-NEXT:    %[[L:[a-z0-9_]+]] = block.accum rescale %[[RS]], %[[F]] : !block.tile<64x1xf32, pre>, !block.tile<64x1xf32, pre> -> !block.tile<64x1xf32, post>
// CHECK-NEXT:    %[[PV:[a-z0-9_]+]] = block.matmul %[[P]], %{{.*}} : !block.tile<64x128xf32, pre>, !block.tile<128x64xf32, pre>
// CHECK-NEXT:    %[[O:[a-z0-9_]+]] = block.accum rescale %[[PV]], %[[F]] : !block.tile<64x64xf32, pre>, !block.tile<64x1xf32, pre> -> !block.tile<64x64xf32, post>
// CHECK-NEXT:    %[[MMAX:[a-z0-9_]+]] = block.accum max %[[M]] : !block.tile<64x1xf32, pre> -> !block.tile<64x1xf32, post>
// CHECK-NEXT:    %[[OUT:[a-z0-9_]+]] = block.div %[[O]], %[[L]] : !block.tile<64x64xf32, post>, !block.tile<64x1xf32, post>
// CHECK-NEXT:    block.saver %[[OUT]] omap [-1, -1, 0] : !block.tile<64x64xf32, post> -> tensor<128x64xf32>
// CHECK-NEXT:    block.saver %[[MMAX]] omap [-1, -1, 0] : !block.tile<64x1xf32, post> -> tensor<128x1xf32>
// GENERIC-LABEL: sym_name = "online_softmax"
// GENERIC:       "block.running_max"(%{{.*}}) <{dim = 1 : i64}> : (!block.tile<64x128xf32, pre>) -> (!block.tile<64x1xf32, pre>, !block.tile<64x1xf32, pre>)
// GENERIC:       "block.accum"(%{{.*}}, %{{.*}}) <{kind = 5 : i32}> : (!block.tile<64x1xf32, pre>, !block.tile<64x1xf32, pre>) -> !block.tile<64x1xf32, post>
// GENERIC:       "block.accum"(%{{.*}}, %{{.*}}) <{kind = 5 : i32}> : (!block.tile<64x64xf32, pre>, !block.tile<64x1xf32, pre>) -> !block.tile<64x64xf32, post>
// GENERIC:       "block.accum"(%{{.*}}) <{kind = 6 : i32}> : (!block.tile<64x1xf32, pre>) -> !block.tile<64x1xf32, post>
func.func @online_softmax(%q: tensor<128x64xf32>, %k: tensor<64x1024xf32>,
                          %v: tensor<1024x64xf32>)
    -> (tensor<128x64xf32>, tensor<128x1xf32>) {
  %o, %lmax = kernel.graph_defined (%q, %k, %v)
      grid [1, 1, 2] block [128, 1, 1] forloop 8
      : (tensor<128x64xf32>, tensor<64x1024xf32>, tensor<1024x64xf32>)
      -> (tensor<128x64xf32>, tensor<128x1xf32>) {
  ^bb0(%qd: tensor<128x64xf32>, %kd: tensor<64x1024xf32>,
       %vd: tensor<1024x64xf32>):
    %qt = block.loader %qd imap [-1, -1, 0] fmap -1
        : tensor<128x64xf32> -> !block.tile<64x64xf32, pre>
    %kt = block.loader %kd imap [-1, -1, -1] fmap 1
        : tensor<64x1024xf32> -> !block.tile<64x128xf32, pre>
    %vt = block.loader %vd imap [-1, -1, -1] fmap 0
        : tensor<1024x64xf32> -> !block.tile<128x64xf32, pre>
    %s = block.matmul %qt, %kt
        : !block.tile<64x64xf32, pre>, !block.tile<64x128xf32, pre>
    %m, %d = block.running_max %s dim 1 : !block.tile<64x128xf32, pre>
    %shifted = block.sub %s, %m
        : !block.tile<64x128xf32, pre>, !block.tile<64x1xf32, pre>
    %p = block.exp %shifted : !block.tile<64x128xf32, pre>
    %f = block.exp %d : !block.tile<64x1xf32, pre>
    %rowsum = block.reduction %p dim 1 : !block.tile<64x128xf32, pre>
    %l = block.accum rescale %rowsum, %f
        : !block.tile<64x1xf32, pre>, !block.tile<64x1xf32, pre>
        -> !block.tile<64x1xf32, post>
    %pv = block.matmul %p, %vt
        : !block.tile<64x128xf32, pre>, !block.tile<128x64xf32, pre>
    %acc = block.accum rescale %pv, %f
        : !block.tile<64x64xf32, pre>, !block.tile<64x1xf32, pre>
        -> !block.tile<64x64xf32, post>
    %mmax = block.accum max %m
        : !block.tile<64x1xf32, pre> -> !block.tile<64x1xf32, post>
    %out = block.div %acc, %l
        : !block.tile<64x64xf32, post>, !block.tile<64x1xf32, post>
    %o0 = block.saver %out omap [-1, -1, 0]
        : !block.tile<64x64xf32, post> -> tensor<128x64xf32>
    %o1 = block.saver %mmax omap [-1, -1, 0]
        : !block.tile<64x1xf32, post> -> tensor<128x1xf32>
    block.yield %o0, %o1 : tensor<128x64xf32>, tensor<128x1xf32>
  }
  return %o, %lmax : tensor<128x64xf32>, tensor<128x1xf32>
}
