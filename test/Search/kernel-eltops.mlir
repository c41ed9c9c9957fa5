// Programs with neg, sigmoid, erf, cast, reduce_max and reduce_mean on the
// reference side of the search: their abstract expressions (pruning) and a
// search that accepts them (it generates none of them itself).
//
// RUN: mirage-opt %s --mirage-print-abstract-exprs -o /dev/null | FileCheck %s
// RUN: mirage-opt %s --mirage-superoptimize='threads=1 max-kernel-ops=3 max-block-ops=7 cache=false' \
// RUN:   2>&1 | FileCheck %s --check-prefix=SEARCH

// CHECK-LABEL: abstract_exprs @eltops target @eltops
// CHECK-NEXT:    %0 = v0 : pass
// CHECK-NEXT:    %1 = sigmoid(v0) : pass
// CHECK-NEXT:    %2 = erf(sigmoid(v0)) : pass
// CHECK-NEXT:    %3 = erf(sigmoid(v0)) * -1 : pass
// CHECK-NEXT:    %4 = erf(sigmoid(v0)) * -1 : pass
// CHECK-NEXT:    %5 = opaque#{{[0-9]+}} : unknown
// CHECK-NEXT:    %6 = sum(64, v0) / 64 : pass

// SEARCH: remark: mirage-superoptimize: {{.*}} no equivalent candidate found, function unchanged
// SEARCH-LABEL: module
// SEARCH: kernel.sigmoid
// SEARCH: kernel.erf
// SEARCH: kernel.neg
// SEARCH: kernel.cast %{{.*}} : tensor<8x64xf16> to tensor<8x64xf32>
// SEARCH: kernel.reduce_max %{{.*}} dim 1
// SEARCH: kernel.reduce_mean %{{.*}} dim 1
func.func @eltops(%x: tensor<8x64xf16>)
    -> (tensor<8x64xf32>, tensor<8x1xf16>, tensor<8x1xf16>) {
  %s = kernel.sigmoid %x : tensor<8x64xf16>
  %e = kernel.erf %s : tensor<8x64xf16>
  %n = kernel.neg %e : tensor<8x64xf16>
  %c = kernel.cast %n : tensor<8x64xf16> to tensor<8x64xf32>
  %m = kernel.reduce_max %x dim 1 : tensor<8x64xf16>
  %a = kernel.reduce_mean %x dim 1 : tensor<8x64xf16>
  return %c, %m, %a : tensor<8x64xf32>, tensor<8x1xf16>, tensor<8x1xf16>
}
