// The layout-around-op mappings of --mirage-import (docs/Import.md) run on
// the CPU against upstream's lowering, including the variants the decoder
// layer (decoder-layer.mlir) does not exercise: a matmul with A transposed
// and one with B transposed, a sum into a non-zero init, a sum over two
// dimensions, a maximum kept as 4x1 (torch's keepdim) from -inf, a generic
// reading one input transposed and two through projections, and one reading
// a transposed projection in three loops, and a batch_matmul whose B is
// shared by the batches (a broadcast operand). @model is imported (all of it);
// `mirage-mixed-to-cpu` and mlir-runner run it, and the same module lowered
// by upstream passes alone must print the same values (f32 on both sides,
// sums in other orders: |ours - upstream| <= 1e-6 + 1e-4 |upstream|, finite
// values only).
//
// REQUIRES: mlir-runner
// RUN: mirage-opt --mirage-import --mirage-outline %s -o %t.outlined.mlir 2>/dev/null
// RUN: FileCheck %s --check-prefix=OUTLINED --input-file=%t.outlined.mlir
// RUN: mirage-opt --mirage-mixed-to-cpu %t.outlined.mlir -o %t.ours.mlir
// RUN: mlir-runner %t.ours.mlir -e main -entry-point-result=void \
// RUN:   -shared-libs=%mlir_runner_libs > %t.ours.txt
// RUN: mirage-opt %s \
// RUN:     --one-shot-bufferize='bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map' \
// RUN:     --convert-linalg-to-loops --convert-scf-to-cf --expand-strided-metadata \
// RUN:     --lower-affine --finalize-memref-to-llvm --convert-math-to-llvm \
// RUN:     --convert-math-to-libm --convert-arith-to-llvm --convert-index-to-llvm \
// RUN:     --convert-cf-to-llvm --convert-func-to-llvm --reconcile-unrealized-casts \
// RUN:     -o %t.upstream.mlir
// RUN: mlir-runner %t.upstream.mlir -e main -entry-point-result=void \
// RUN:   -shared-libs=%mlir_runner_libs > %t.upstream.txt
// RUN: %mirage_python %S/Inputs/compare-memref-prints.py --rtol 1e-4 --atol 1e-6 \
// RUN:   %t.upstream.txt %t.ours.txt | FileCheck %s --check-prefix=SAME
// SAME: same: 174 values

// Every upstream op of @model is imported: @model is kernel level as a
// whole, more than one region, and so cut into regions by the outliner's
// limits like any other function; ours lowers the regions.
// OUTLINED-LABEL: func.func @model
// OUTLINED-NOT:     {{linalg|tosa|tensor|math}}.
// OUTLINED:         call @model_mirage_0(
// OUTLINED-NOT:     {{linalg|tosa|tensor|math}}.
// OUTLINED:         call @model_mirage_1(
// OUTLINED-DAG:     kernel.transpose %{{.*}} permutation [1, 0] : tensor<8x4xf32>
// OUTLINED-DAG:     kernel.transpose %{{.*}} permutation [1, 0] : tensor<6x8xf32>
// OUTLINED-DAG:     kernel.reshape %{{.*}} : tensor<1x8xf32> -> tensor<8xf32>
// OUTLINED-DAG:     kernel.reshape %{{.*}} : tensor<1x4x1xf32> -> tensor<4xf32>
// OUTLINED-DAG:     kernel.reduce_max %{{.*}} dim 1 : tensor<4x8xf32>
// OUTLINED-DAG:     kernel.broadcast %{{.*}} dimensions [0] : tensor<8xf32> -> tensor<4x8xf32>
// OUTLINED-DAG:     kernel.broadcast %{{.*}} dimensions [1] : tensor<4xf32> -> tensor<4x8xf32>
// OUTLINED-DAG:     kernel.broadcast %{{.*}} dimensions [1] : tensor<2x3xf32> -> tensor<2x5x3xf32>
// OUTLINED-DAG:     kernel.broadcast %{{.*}} dimensions [0] : tensor<8x6xf32> -> tensor<2x8x6xf32>
// OUTLINED:         return
// OUTLINED-NEXT:  }

#id = affine_map<(d0, d1) -> (d0, d1)>
#t = affine_map<(d0, d1) -> (d1, d0)>
#row = affine_map<(d0, d1) -> (d1)>
#col = affine_map<(d0, d1) -> (d0)>
#keep = affine_map<(d0, d1) -> (d0, 0)>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#p3 = affine_map<(d0, d1, d2) -> (d2, d0)>
func.func @model(%x: tensor<4x8xf32>, %xt: tensor<8x4xf32>, %w: tensor<8x6xf32>, %wt: tensor<6x8xf32>,
                 %i8: tensor<8xf32>, %a3: tensor<2x4x8xf32>, %p: tensor<3x2xf32>, %c4: tensor<4xf32>)
    -> (tensor<4x6xf32>, tensor<4x6xf32>, tensor<8xf32>, tensor<4xf32>, tensor<4x1xf32>, tensor<4x8xf32>, tensor<2x5x3xf32>, tensor<2x4x6xf32>) {
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %e46 = tensor.empty() : tensor<4x6xf32>
  %z46 = linalg.fill ins(%zero : f32) outs(%e46 : tensor<4x6xf32>) -> tensor<4x6xf32>
  %m1 = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (k, m)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>]
      ins(%xt, %w : tensor<8x4xf32>, tensor<8x6xf32>) outs(%z46 : tensor<4x6xf32>) -> tensor<4x6xf32>
  %m2 = linalg.matmul indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>]
      ins(%x, %wt : tensor<4x8xf32>, tensor<6x8xf32>) outs(%z46 : tensor<4x6xf32>) -> tensor<4x6xf32>
  %s1 = linalg.reduce ins(%x : tensor<4x8xf32>) outs(%i8 : tensor<8xf32>) dimensions = [0]
    (%a: f32, %acc: f32) {
      %y = arith.addf %a, %acc : f32
      linalg.yield %y : f32
    }
  %e4 = tensor.empty() : tensor<4xf32>
  %z4 = linalg.fill ins(%zero : f32) outs(%e4 : tensor<4xf32>) -> tensor<4xf32>
  %s2 = linalg.reduce ins(%a3 : tensor<2x4x8xf32>) outs(%z4 : tensor<4xf32>) dimensions = [0, 2]
    (%a: f32, %acc: f32) {
      %y = arith.addf %acc, %a : f32
      linalg.yield %y : f32
    }
  %e41 = tensor.empty() : tensor<4x1xf32>
  %n41 = linalg.fill ins(%ninf : f32) outs(%e41 : tensor<4x1xf32>) -> tensor<4x1xf32>
  %mx = linalg.generic {indexing_maps = [#id, #keep], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<4x8xf32>) outs(%n41 : tensor<4x1xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %y = arith.maximumf %a, %acc : f32
    linalg.yield %y : f32
  } -> tensor<4x1xf32>
  %e48 = tensor.empty() : tensor<4x8xf32>
  %g = linalg.generic {indexing_maps = [#id, #t, #row, #col, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %xt, %i8, %c4 : tensor<4x8xf32>, tensor<8x4xf32>, tensor<8xf32>, tensor<4xf32>) outs(%e48 : tensor<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %r: f32, %c: f32, %o: f32):
    %s = arith.subf %a, %b : f32
    %ex = math.exp %s : f32
    %rc = arith.mulf %r, %c : f32
    %y = arith.divf %ex, %rc : f32
    linalg.yield %y : f32
  } -> tensor<4x8xf32>
  %e3 = tensor.empty() : tensor<2x5x3xf32>
  %n3 = linalg.generic {indexing_maps = [#p3, #id3], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%p : tensor<3x2xf32>) outs(%e3 : tensor<2x5x3xf32>) {
  ^bb0(%a: f32, %o: f32):
    %y = arith.negf %a : f32
    linalg.yield %y : f32
  } -> tensor<2x5x3xf32>
  %e246 = tensor.empty() : tensor<2x4x6xf32>
  %z246 = linalg.fill ins(%zero : f32) outs(%e246 : tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
  %bm = linalg.batch_matmul indexing_maps = [affine_map<(b, m, n, k) -> (b, m, k)>, affine_map<(b, m, n, k) -> (k, n)>, affine_map<(b, m, n, k) -> (b, m, n)>]
      ins(%a3, %w : tensor<2x4x8xf32>, tensor<8x6xf32>) outs(%z246 : tensor<2x4x6xf32>) -> tensor<2x4x6xf32>
  return %m1, %m2, %s1, %s2, %mx, %g, %n3, %bm : tensor<4x6xf32>, tensor<4x6xf32>, tensor<8xf32>, tensor<4xf32>, tensor<4x1xf32>, tensor<4x8xf32>, tensor<2x5x3xf32>, tensor<2x4x6xf32>
}

// Inputs ((a * i + b * j + c * k) mod 11 - 5) / 16 and norm-like weights
// 1 + ((a * i) mod 7 - 3) / 8 (never 0), made by linalg.index.
#in3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#in1 = affine_map<(d0) -> (d0)>
func.func @input(%a: index, %b: index, %c: index, %e: tensor<?x?x?xf32>) -> tensor<?x?x?xf32> {
  %r = linalg.generic {indexing_maps = [#in3], iterator_types = ["parallel", "parallel", "parallel"]} outs(%e : tensor<?x?x?xf32>) {
  ^bb0(%o: f32):
    %i = linalg.index 0 : index
    %j = linalg.index 1 : index
    %k = linalg.index 2 : index
    %ai = arith.muli %a, %i : index
    %bj = arith.muli %b, %j : index
    %ck = arith.muli %c, %k : index
    %s0 = arith.addi %ai, %bj : index
    %s = arith.addi %s0, %ck : index
    %c11 = arith.constant 11 : index
    %m = arith.remui %s, %c11 : index
    %c5 = arith.constant 5 : index
    %d = arith.subi %m, %c5 : index
    %di = arith.index_cast %d : index to i64
    %f = arith.sitofp %di : i64 to f32
    %c16 = arith.constant 16.0 : f32
    %v = arith.divf %f, %c16 : f32
    linalg.yield %v : f32
  } -> tensor<?x?x?xf32>
  return %r : tensor<?x?x?xf32>
}

func.func @weight(%a: index, %n: index) -> tensor<?xf32> {
  %e = tensor.empty(%n) : tensor<?xf32>
  %r = linalg.generic {indexing_maps = [#in1], iterator_types = ["parallel"]} outs(%e : tensor<?xf32>) {
  ^bb0(%o: f32):
    %i = linalg.index 0 : index
    %ai = arith.muli %a, %i : index
    %c7 = arith.constant 7 : index
    %m = arith.remui %ai, %c7 : index
    %c3 = arith.constant 3 : index
    %d = arith.subi %m, %c3 : index
    %di = arith.index_cast %d : index to i64
    %f = arith.sitofp %di : i64 to f32
    %c8 = arith.constant 8.0 : f32
    %q = arith.divf %f, %c8 : f32
    %one = arith.constant 1.0 : f32
    %v = arith.addf %one, %q : f32
    linalg.yield %v : f32
  } -> tensor<?xf32>
  return %r : tensor<?xf32>
}

func.func @matrix(%a: index, %b: index, %m: index, %n: index) -> tensor<?x?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %e = tensor.empty(%c1, %m, %n) : tensor<?x?x?xf32>
  %r = call @input(%c0, %a, %b, %e) : (index, index, index, tensor<?x?x?xf32>) -> tensor<?x?x?xf32>
  %c = tensor.collapse_shape %r [[0, 1], [2]] : tensor<?x?x?xf32> into tensor<?x?xf32>
  return %c : tensor<?x?xf32>
}

func.func @main() {
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c4 = arith.constant 4 : index
  %c5 = arith.constant 5 : index
  %c6 = arith.constant 6 : index
  %c7 = arith.constant 7 : index
  %c8 = arith.constant 8 : index
  %xd = call @matrix(%c3, %c7, %c4, %c8) : (index, index, index, index) -> tensor<?x?xf32>
  %xtd = call @matrix(%c5, %c2, %c8, %c4) : (index, index, index, index) -> tensor<?x?xf32>
  %wd = call @matrix(%c2, %c3, %c8, %c6) : (index, index, index, index) -> tensor<?x?xf32>
  %wtd = call @matrix(%c7, %c1, %c6, %c8) : (index, index, index, index) -> tensor<?x?xf32>
  %pd = call @matrix(%c4, %c5, %c3, %c2) : (index, index, index, index) -> tensor<?x?xf32>
  %ea = tensor.empty(%c2, %c4, %c8) : tensor<?x?x?xf32>
  %ad = call @input(%c6, %c1, %c3, %ea) : (index, index, index, tensor<?x?x?xf32>) -> tensor<?x?x?xf32>
  %id = call @weight(%c3, %c8) : (index, index) -> tensor<?xf32>
  %cd = call @weight(%c5, %c4) : (index, index) -> tensor<?xf32>
  %x = tensor.cast %xd : tensor<?x?xf32> to tensor<4x8xf32>
  %xt = tensor.cast %xtd : tensor<?x?xf32> to tensor<8x4xf32>
  %w = tensor.cast %wd : tensor<?x?xf32> to tensor<8x6xf32>
  %wt = tensor.cast %wtd : tensor<?x?xf32> to tensor<6x8xf32>
  %p = tensor.cast %pd : tensor<?x?xf32> to tensor<3x2xf32>
  %a3 = tensor.cast %ad : tensor<?x?x?xf32> to tensor<2x4x8xf32>
  %i8 = tensor.cast %id : tensor<?xf32> to tensor<8xf32>
  %cc = tensor.cast %cd : tensor<?xf32> to tensor<4xf32>
  %r:8 = call @model(%x, %xt, %w, %wt, %i8, %a3, %p, %cc)
      : (tensor<4x8xf32>, tensor<8x4xf32>, tensor<8x6xf32>, tensor<6x8xf32>, tensor<8xf32>, tensor<2x4x8xf32>, tensor<3x2xf32>, tensor<4xf32>)
      -> (tensor<4x6xf32>, tensor<4x6xf32>, tensor<8xf32>, tensor<4xf32>, tensor<4x1xf32>, tensor<4x8xf32>, tensor<2x5x3xf32>, tensor<2x4x6xf32>)
  %u0 = tensor.cast %r#0 : tensor<4x6xf32> to tensor<*xf32>
  call @printMemrefF32(%u0) : (tensor<*xf32>) -> ()
  %u1 = tensor.cast %r#1 : tensor<4x6xf32> to tensor<*xf32>
  call @printMemrefF32(%u1) : (tensor<*xf32>) -> ()
  %u2 = tensor.cast %r#2 : tensor<8xf32> to tensor<*xf32>
  call @printMemrefF32(%u2) : (tensor<*xf32>) -> ()
  %u3 = tensor.cast %r#3 : tensor<4xf32> to tensor<*xf32>
  call @printMemrefF32(%u3) : (tensor<*xf32>) -> ()
  %u4 = tensor.cast %r#4 : tensor<4x1xf32> to tensor<*xf32>
  call @printMemrefF32(%u4) : (tensor<*xf32>) -> ()
  %u5 = tensor.cast %r#5 : tensor<4x8xf32> to tensor<*xf32>
  call @printMemrefF32(%u5) : (tensor<*xf32>) -> ()
  %u6 = tensor.cast %r#6 : tensor<2x5x3xf32> to tensor<*xf32>
  call @printMemrefF32(%u6) : (tensor<*xf32>) -> ()
  %u7 = tensor.cast %r#7 : tensor<2x4x6xf32> to tensor<*xf32>
  call @printMemrefF32(%u7) : (tensor<*xf32>) -> ()
  return
}
func.func private @printMemrefF32(tensor<*xf32>)
