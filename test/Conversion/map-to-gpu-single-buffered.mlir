// RUN: mirage-opt %s -verify-diagnostics --mirage-map-to-gpu | FileCheck %s

// Double buffering is dropped, not the kernel, when only it does not fit.

// A tile whose double-buffered copies would not fit (2 x 133120 bytes with
// the padded rows) is fetched single-buffered, with a remark.
// CHECK-LABEL: func.func @single_buffered
// CHECK: gpu.launch
// CHECK-SAME: dynamic_shared_memory_size %{{.*}}
// CHECK-NOT: nvgpu.device_async_copy
// CHECK: gpu.terminator
func.func @single_buffered(%x: memref<128x2048xf16>, %ws: memref<0xi8>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c128 = arith.constant 128 : index
  %c512 = arith.constant 512 : index
  // expected-remark @+1 {{kernel 'single_buffered_kernel0': double-buffered copies would need 266240 bytes of shared memory (of 232448); its copies are single-buffered}}
  structured.kernel "single_buffered_kernel0" grid [1, 1, 1] block [128, 1, 1] forloop 4 (%bx, %by, %bz) {
    %a = memref.alloca() : memref<128x512xf16, #gpu.address_space<workgroup>>
    %acc = memref.alloca() : memref<128x1xf32, #gpu.address_space<private>>
    structured.for_loop (%i) {
      %col = arith.muli %i, %c512 : index
      %xs = memref.subview %x[%c0, %col] [128, 512] [1, 1] : memref<128x2048xf16> to memref<128x512xf16, strided<[2048, 1], offset: ?>>
      linalg.copy ins(%xs : memref<128x512xf16, strided<[2048, 1], offset: ?>>) outs(%a : memref<128x512xf16, #gpu.address_space<workgroup>>)
      structured.phase (%t) {
        %v = memref.load %a[%t, %c0] : memref<128x512xf16, #gpu.address_space<workgroup>>
        %f = arith.extf %v : f16 to f32
        %s = memref.load %acc[%t, %c0] : memref<128x1xf32, #gpu.address_space<private>>
        %n = arith.addf %s, %f : f32
        memref.store %n, %acc[%t, %c0] : memref<128x1xf32, #gpu.address_space<private>>
      }
    }
  }
  return
}
