// A failing step leaves no bundle behind: not even the bundles of the
// functions that compiled.
// RUN: rm -rf %t && mkdir -p %t/out
// RUN: not mirage-opt %s --mirage-to-ptx="chip=sm_90 output=%t/out" -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=MAPPING
// RUN: ls -A %t/out | count 0

// An output directory that cannot be created is reported, and nothing is
// written.
// RUN: touch %t/file
// RUN: not mirage-opt %S/bundle.mlir --mirage-to-ptx="chip=sm_90 output=%t/file/out" \
// RUN:   -o /dev/null 2>&1 | FileCheck %s --check-prefix=DIR
// DIR: error: cannot create the output directory '{{.*}}file/out': Not a directory

func.func @good(%x: tensor<16x64xf16>) -> tensor<16x64xf16> {
  %y = kernel.exp %x : tensor<16x64xf16>
  return %y : tensor<16x64xf16>
}

// A structured kernel with an op the GPU mapping does not know.
func.func @bad(%x: memref<4xf32>, %y: memref<4xf32>, %ws: memref<0xi8>)
    attributes {structured.abi = #structured.abi<
          (tensor<4xf32>) -> tensor<4xf32>, workspace = 0>} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  structured.kernel "bad_kernel0" grid [1, 1, 1] block [32, 1, 1] forloop 1 (%bx, %by, %bz) {
    // MAPPING: error: 'memref.copy' op in kernel 'bad_kernel0': has no GPU mapping at block level
    memref.copy %x, %y : memref<4xf32> to memref<4xf32>
  }
  return
}
