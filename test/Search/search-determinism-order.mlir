// The directed enumeration (docs/Search.md, "Directing the enumeration")
// keeps the search deterministic: one thread and two give the same μGraph
// and the same statistics without hints. The passes by kernel count, the
// launches cheapest first and the cost bound the workers agree on at their
// meeting points (every 8 launches above the tasks, and at the end of each
// pass) depend only on candidates of launches before the meeting point, so
// the states the bound cuts are the same. Only the counters of the board's
// own cost check (pruned_cost, candidates_*), the per-worker memo peak
// (memo_peak_bytes) and the times may differ.
//
// RUN: mirage-opt %s --mirage-superoptimize='threads=1 cache=false max-block-ops=10 time-budget=120 stats-file=%t.1.json' -o %t.1.mlir 2>/dev/null
// RUN: mirage-opt %s --mirage-superoptimize='threads=2 cache=false max-block-ops=10 time-budget=120 stats-file=%t.2.json' -o %t.2.mlir 2>/dev/null
// RUN: diff %t.1.mlir %t.2.mlir
// RUN: grep -v -e seconds -e pruned_cost -e candidates_ -e memo_peak_bytes %t.1.json > %t.1.stats
// RUN: grep -v -e seconds -e pruned_cost -e candidates_ -e memo_peak_bytes %t.2.json > %t.2.stats
// RUN: diff %t.1.stats %t.2.stats
// RUN: FileCheck %s < %t.1.stats
// RUN: FileCheck %s --check-prefix=FOUND < %t.1.mlir

// The search ran to the end and found the one-kernel μGraph.
// CHECK: "budget_exhausted": false
// CHECK: "states_visited": {{[1-9][0-9]*}}
// FOUND: kernel.graph_defined (%arg0, %arg1, %arg2) grid [8, 1, 1]
func.func @ntrans(%h: tensor<8x256xf16>, %x: tensor<8x256xf16>,
                  %alpha: tensor<8x256xf16>) -> tensor<8x256xf16> {
  %hn = kernel.rms_norm %h over [256] : tensor<8x256xf16>
  %sum = kernel.add %hn, %x : tensor<8x256xf16>, tensor<8x256xf16>
  %scaled = kernel.mul %alpha, %sum : tensor<8x256xf16>, tensor<8x256xf16>
  %res = kernel.add %x, %scaled : tensor<8x256xf16>, tensor<8x256xf16>
  %y = kernel.rms_norm %res over [256] : tensor<8x256xf16>
  return %y : tensor<8x256xf16>
}
