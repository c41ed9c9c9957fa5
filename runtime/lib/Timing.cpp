//===- Timing.cpp - Timing runs with CUDA events --------------------------===//

#include "MirageRuntime/Timing.h"

#include <algorithm>

using namespace mirage::rt;

TimingStats mirage::rt::summarize(std::vector<double> samples) {
  TimingStats stats;
  if (samples.empty())
    return stats;
  std::sort(samples.begin(), samples.end());
  size_t n = samples.size();
  stats.runs = n;
  stats.minMs = samples.front();
  stats.maxMs = samples.back();
  stats.medianMs =
      n % 2 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2;
  // Nearest rank: the smallest sample with at least 90% of samples <= it.
  size_t rank = (9 * n + 9) / 10; // ceil(0.9 n)
  stats.p90Ms = samples[rank - 1];
  double sum = 0;
  for (double s : samples)
    sum += s;
  stats.meanMs = sum / static_cast<double>(n);
  return stats;
}

namespace {
/// Events destroyed on every path out of timeRuns.
struct EventPool {
  Driver &driver;
  std::vector<CUevent> events;
  explicit EventPool(Driver &driver) : driver(driver) {}
  ~EventPool() {
    for (CUevent e : events)
      driver.eventDestroy(e);
  }
};
} // namespace

Expected<std::vector<double>>
mirage::rt::timeRuns(Driver &driver, CUstream stream, int warmup,
                     int iterations, const std::function<Status()> &body) {
  auto fail = [&](const char *what, CUresult r) {
    return Status::error(std::string(what) + ": " + driver.errorString(r));
  };
  for (int i = 0; i < warmup; ++i) {
    Status s = body();
    if (!s.ok())
      return s.withContext("warm-up run " + std::to_string(i));
  }
  CUresult r = driver.streamSynchronize(stream);
  if (r != CUDA_SUCCESS)
    return fail("after the warm-up runs, cuStreamSynchronize", r);

  EventPool pool(driver);
  for (int i = 0; i < 2 * iterations; ++i) {
    CUevent e;
    if ((r = driver.eventCreate(&e, CU_EVENT_DEFAULT)) != CUDA_SUCCESS)
      return fail("cuEventCreate", r);
    pool.events.push_back(e);
  }
  for (int i = 0; i < iterations; ++i) {
    if ((r = driver.eventRecord(pool.events[2 * i], stream)) != CUDA_SUCCESS)
      return fail("cuEventRecord", r);
    Status s = body();
    if (!s.ok())
      return s.withContext("timed run " + std::to_string(i));
    if ((r = driver.eventRecord(pool.events[2 * i + 1], stream)) !=
        CUDA_SUCCESS)
      return fail("cuEventRecord", r);
  }
  std::vector<double> samples;
  for (int i = 0; i < iterations; ++i) {
    float ms = 0;
    if ((r = driver.eventSynchronize(pool.events[2 * i + 1])) != CUDA_SUCCESS)
      return fail("cuEventSynchronize", r);
    if ((r = driver.eventElapsedTime(&ms, pool.events[2 * i],
                                     pool.events[2 * i + 1])) != CUDA_SUCCESS)
      return fail("cuEventElapsedTime", r);
    samples.push_back(ms);
  }
  return samples;
}
