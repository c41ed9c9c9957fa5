//===- Timing.h - Timing runs with CUDA events ------------------*- C++ -*-===//
//
// Each timed run is bracketed by its own pair of CUDA events on the stream,
// so a sample is GPU time for that run alone; host overhead between runs
// does not count unless the GPU waits for it. Warm-up runs (module load,
// caches, clocks) are not recorded.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGERUNTIME_TIMING_H
#define MIRAGERUNTIME_TIMING_H

#include "MirageRuntime/Driver.h"
#include "MirageRuntime/Error.h"

#include <functional>
#include <vector>

namespace mirage::rt {

/// The fewest timed runs a benchmark may report on.
inline constexpr int kMinTimedRuns = 100;

struct TimingStats {
  size_t runs = 0;
  double minMs = 0;
  double medianMs = 0;
  /// The nearest-rank 90th percentile.
  double p90Ms = 0;
  double meanMs = 0;
  double maxMs = 0;
};

/// Statistics of `samples` (milliseconds); all zero when empty.
TimingStats summarize(std::vector<double> samples);

/// Runs `body` `warmup` times, synchronizes, then `iterations` times with a
/// pair of events around each, and returns the milliseconds of each timed
/// run. `body` enqueues one run on `stream`.
Expected<std::vector<double>> timeRuns(Driver &driver, CUstream stream,
                                       int warmup, int iterations,
                                       const std::function<Status()> &body);

} // namespace mirage::rt

#endif // MIRAGERUNTIME_TIMING_H
