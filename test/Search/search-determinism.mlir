// One thread and two give the same μGraph and the same statistics. Each
// worker keeps its own cache of block searches, so with two threads the
// same launch is a hit for one worker and a miss for the other; a hit counts
// the statistics of the search it replaces, so the counts must not change.
// Only the counters of the cost bound (pruned_cost, candidates_*) may, as
// they depend on the best candidate found so far by any worker, the times,
// and the memo's peak bytes (per worker).
//
// RUN: mirage-opt %s --mirage-superoptimize='threads=1 cache=false grids=8x1x1 imaps=0__ forloop-ranges=1 max-block-ops=10 stats-file=%t.1.json' -o %t.1.mlir 2>/dev/null
// RUN: mirage-opt %s --mirage-superoptimize='threads=2 cache=false grids=8x1x1 imaps=0__ forloop-ranges=1 max-block-ops=10 stats-file=%t.2.json' -o %t.2.mlir 2>/dev/null
// RUN: diff %t.1.mlir %t.2.mlir
// RUN: grep -v -e seconds -e pruned_cost -e candidates_ -e memo_peak_bytes %t.1.json > %t.1.stats
// RUN: grep -v -e seconds -e pruned_cost -e candidates_ -e memo_peak_bytes %t.2.json > %t.2.stats
// RUN: diff %t.1.stats %t.2.stats
// RUN: FileCheck %s < %t.1.stats

// The search ran to the end, visited states and used the dangling bound.
// CHECK: "budget_exhausted": false
// CHECK: "pruned_dangling": {{[1-9][0-9]*}}
// CHECK: "states_visited": {{[1-9][0-9]*}}
func.func @ntrans(%h: tensor<8x256xf16>, %x: tensor<8x256xf16>,
                  %alpha: tensor<8x256xf16>) -> tensor<8x256xf16> {
  %hn = kernel.rms_norm %h over [256] : tensor<8x256xf16>
  %sum = kernel.add %hn, %x : tensor<8x256xf16>, tensor<8x256xf16>
  %scaled = kernel.mul %alpha, %sum : tensor<8x256xf16>, tensor<8x256xf16>
  %res = kernel.add %x, %scaled : tensor<8x256xf16>, tensor<8x256xf16>
  %y = kernel.rms_norm %res over [256] : tensor<8x256xf16>
  return %y : tensor<8x256xf16>
}
