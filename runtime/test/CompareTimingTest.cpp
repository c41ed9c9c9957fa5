//===- CompareTimingTest.cpp - Output comparison and timing ---------------===//

#include "MirageRuntime/Compare.h"
#include "MirageRuntime/Timing.h"

#include "FakeDriver.h"

#include "gtest/gtest.h"

#include <cmath>

using namespace mirage::rt;
using namespace mirage::rt::test;

namespace {

HostTensor tensorOf(Shape shape, std::initializer_list<double> values) {
  HostTensor t(DType::F32, std::move(shape));
  int64_t i = 0;
  for (double v : values)
    t.set(i++, v);
  return t;
}

TEST(Compare, UsesAllcloseSemantics) {
  Tolerance t{1e-2, 1e-3};
  HostTensor expected = tensorOf({2, 2}, {1.0, 100.0, 0.0, -5.0});
  EXPECT_TRUE(compareTensors(tensorOf({2, 2}, {1.0105, 100.9, 0.00099, -5.05}),
                             expected, t)
                  .ok());
  Comparison c = compareTensors(tensorOf({2, 2}, {1.0, 100.0, 0.0012, -5.125}),
                                expected, t);
  EXPECT_EQ(c.mismatches, 2);
  EXPECT_EQ(c.firstIndex, 2);
  EXPECT_FLOAT_EQ(c.got, 0.0012f);
  EXPECT_EQ(c.expected, 0.0);
  EXPECT_EQ(c.maxAbsError, 0.125);
  EXPECT_EQ(describeMismatch("output 0",
                             tensorOf({2, 2}, {1.0, 100.0, 0.0012, -5.125}), c,
                             t),
            "output 0: 2 of 4 elements differ (rtol 0.01, atol 0.001); first "
            "at [1, 0]: got 0.0012, expected 0; max abs error 0.125");
}

TEST(Compare, TreatsNanAndInfStrictly) {
  Tolerance t{1e-2, 1e-3};
  double nan = std::nan(""), inf = INFINITY;
  EXPECT_TRUE(
      compareTensors(tensorOf({2}, {nan, inf}), tensorOf({2}, {nan, inf}), t)
          .ok());
  EXPECT_EQ(compareTensors(tensorOf({3}, {nan, -inf, 1.0}),
                           tensorOf({3}, {0.0, inf, nan}), t)
                .mismatches,
            3);
}

TEST(Compare, FormatsMultiIndices) {
  EXPECT_EQ(formatIndex({2, 3, 4}, 23), "[1, 2, 3]");
  EXPECT_EQ(formatIndex({5}, 4), "[4]");
  EXPECT_EQ(formatIndex({}, 0), "[]");
}

TEST(Timing, SummarizesSamples) {
  std::vector<double> samples;
  for (int i = 100; i >= 1; --i)
    samples.push_back(i);
  TimingStats s = summarize(samples);
  EXPECT_EQ(s.runs, 100u);
  EXPECT_EQ(s.minMs, 1);
  EXPECT_EQ(s.maxMs, 100);
  EXPECT_EQ(s.medianMs, 50.5);
  EXPECT_EQ(s.p90Ms, 90);
  EXPECT_EQ(s.meanMs, 50.5);
  s = summarize({3, 1, 2});
  EXPECT_EQ(s.medianMs, 2);
  EXPECT_EQ(s.p90Ms, 3);
  EXPECT_EQ(summarize({}).runs, 0u);
}

TEST(Timing, BracketsEachRunWithEvents) {
  FakeDriver driver;
  driver.elapsedTimes = {0.5f, 0.25f, 0.75f};
  int runs = 0;
  CUstream stream = reinterpret_cast<CUstream>(uintptr_t(0x5));
  Expected<std::vector<double>> samples = timeRuns(driver, stream, 2, 3, [&] {
    ++runs;
    driver.calls.push_back("run");
    return Status::success();
  });
  ASSERT_TRUE(static_cast<bool>(samples)) << samples.message();
  EXPECT_EQ(*samples, (std::vector<double>{0.5, 0.25, 0.75}));
  EXPECT_EQ(runs, 5);
  // Warm-up, a synchronization, then record / run / record per timed run.
  std::vector<std::string> order;
  for (const std::string &c : driver.calls)
    if (c == "run" || c == "cuEventRecord" || c == "cuStreamSynchronize")
      order.push_back(c);
  EXPECT_EQ(order,
            (std::vector<std::string>{
                "run", "run", "cuStreamSynchronize", "cuEventRecord", "run",
                "cuEventRecord", "cuEventRecord", "run", "cuEventRecord",
                "cuEventRecord", "run", "cuEventRecord"}));
  EXPECT_EQ(driver.liveEvents, 0);
}

TEST(Timing, StopsAtTheFirstFailure) {
  FakeDriver driver;
  int runs = 0;
  Expected<std::vector<double>> samples = timeRuns(driver, nullptr, 1, 5, [&] {
    return ++runs == 3 ? Status::error("boom") : Status::success();
  });
  ASSERT_FALSE(static_cast<bool>(samples));
  EXPECT_EQ(samples.message(), "timed run 1: boom");
  EXPECT_EQ(driver.liveEvents, 0);
}

} // namespace
