// The search's result points at the user's ops: the graph-defined kernel
// that computes rms_norm and matmul carries the fused location of both, its
// block rms_norm and block matmul the location of the user's op of their
// kind, the others (loaders, accumulators, saver) the kernel's; the function,
// its arguments and its return keep theirs. The same holds for a result the
// search cache answers (the cache stores no locations).
//
// RUN: rm -rf %t.cache
// RUN: mirage-opt %s --mirage-superoptimize='threads=1 max-kernel-ops=3 max-block-ops=7 cache-dir=%t.cache' \
// RUN:   -mlir-print-debuginfo -mlir-print-local-scope 2>/dev/null | FileCheck %s
// RUN: mirage-opt %s --mirage-superoptimize='threads=1 max-kernel-ops=3 max-block-ops=7 cache-dir=%t.cache' \
// RUN:   -mlir-print-debuginfo -mlir-print-local-scope 2>&1 | FileCheck %s --check-prefixes=CHECK,CACHED

// The structured lowering right after the search takes the graph the search
// recorded (Bridge/ImportedGraph.h) instead of importing the body again; the
// result is the same as lowering the printed result in another process, and
// the lowered code still points at the user's ops.
// RUN: mirage-opt %s --mirage-superoptimize='threads=1 max-kernel-ops=3 max-block-ops=7 cache=false' \
// RUN:   --mirage-default-schedules --mirage-lower-to-structured -mlir-print-debuginfo -o %t.one 2>/dev/null
// RUN: mirage-opt %s --mirage-superoptimize='threads=1 max-kernel-ops=3 max-block-ops=7 cache=false' \
// RUN:   -mlir-print-debuginfo 2>/dev/null \
// RUN:   | mirage-opt --mirage-default-schedules --mirage-lower-to-structured -mlir-print-debuginfo -o %t.two
// RUN: diff %t.one %t.two
// RUN: mirage-opt %t.one -mlir-print-debuginfo -mlir-print-local-scope | FileCheck %s --check-prefix=LOWERED --strict-whitespace
// LOWERED: linalg.matmul {{.*}} loc("user_matmul")
// LOWERED: {{^    }}} loc(fused["user_rms_norm", "user_matmul"])

// CACHED: remark: loc("user_function"): mirage-superoptimize: search cache hit: result re-verified
// CHECK-LABEL: func.func @rmsnorm_matmul
// CHECK-SAME:    loc("x")
// CHECK-SAME:    loc("w")
// CHECK:         kernel.graph_defined
// CHECK:           block.loader {{.*}} loc(fused["user_rms_norm", "user_matmul"])
// CHECK:           block.rms_norm {{.*}} loc("user_rms_norm")
// CHECK:           block.matmul {{.*}} loc("user_matmul")
// CHECK:           block.saver {{.*}} loc(fused["user_rms_norm", "user_matmul"])
// CHECK:         } loc(fused["user_rms_norm", "user_matmul"])
// CHECK-NEXT:    return {{.*}} loc("user_return")
// CHECK-NEXT:  } loc("user_function")
func.func @rmsnorm_matmul(%x: tensor<2x256xf16> loc("x"),
                          %w: tensor<256x384xf16> loc("w"))
    -> tensor<2x384xf16> {
  %n = kernel.rms_norm %x over [256] : tensor<2x256xf16> loc("user_rms_norm")
  %y = kernel.matmul %n, %w : tensor<2x256xf16>, tensor<256x384xf16>
      loc("user_matmul")
  return %y : tensor<2x384xf16> loc("user_return")
} loc("user_function")
