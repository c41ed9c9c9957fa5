// The default max-block-ops is derived from the program (docs/Search.md,
// "Bounds that cut the tree"): a loader per input, a block op per op, an
// accumulator and a saver per output, at least 11 and at most 16. The
// remark and the statistics give the value the search used; an explicit
// max-block-ops wins. (must-find-qknorm-gqa.mlir checks a derived 12.)
//
// RUN: mirage-opt %s --mirage-superoptimize='cache=false threads=1 stats-file=%t.json' -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=DERIVED
// RUN: FileCheck %s --check-prefix=STATS < %t.json
// RUN: mirage-opt %s --mirage-superoptimize='cache=false threads=1 max-block-ops=5 stats-file=%t.5.json' -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=EXPLICIT
// RUN: FileCheck %s --check-prefix=STATS5 < %t.5.json

// relu(exp(x)): 1 input, 2 ops, 1 output: 5, raised to 11.
// DERIVED: remark: mirage-superoptimize: {{.*}} equivalent; max-block-ops=11; {{.*}} s; predicted
// STATS: "max_block_ops": 11,
// EXPLICIT: remark: mirage-superoptimize: {{.*}} equivalent; max-block-ops=5; {{.*}} s; predicted
// STATS5: "max_block_ops": 5,
func.func @relu_exp(%x: tensor<8x64xf16>) -> tensor<8x64xf16> {
  %e = kernel.exp %x : tensor<8x64xf16>
  %r = kernel.relu %e : tensor<8x64xf16>
  return %r : tensor<8x64xf16>
}
