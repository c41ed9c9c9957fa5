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

// The rule itself is tested with the portable sources
// (unittests/Portable/CompareTest.cpp); here, the host tensors around it.
TEST(Compare, ComparesHostTensorsByTheSharedRule) {
  Tolerance t{1e-2, 1e-3};
  HostTensor expected = tensorOf({2, 2}, {1.0, 100.0, 0.0, -5.0});
  EXPECT_EQ(compareTensors(tensorOf({2, 2}, {1.0105, 100.9, 0.00099, -5.05}),
                           expected, t)
                .verdict(),
            Verdict::Pass);
  Comparison c = compareTensors(tensorOf({2, 2}, {1.0, 100.0, 0.0012, -5.125}),
                                expected, t);
  EXPECT_EQ(c.verdict(), Verdict::Fail);
  EXPECT_EQ(c.numMismatches, 2);
  EXPECT_EQ(c.firstMismatch.index, 2);
  EXPECT_FLOAT_EQ(c.firstMismatch.got, 0.0012f);
  EXPECT_EQ(c.maxAbsError, 0.125);
  EXPECT_EQ(c.worst.index, 3);
  EXPECT_EQ(mirage::portable::describeProblem(c, {2, 2}),
            "2 of 4 elements outside rtol 0.01 atol 0.001; first at [1, 0]: "
            "got 0.0012, expected 0 (abs error 0.0012, rel error inf)");
}

TEST(Compare, RejectsNonFiniteReferences) {
  double nan = std::nan(""), inf = INFINITY;
  HostTensor expected = tensorOf({3}, {1.0, inf, nan});
  Comparison scan = scanReference(expected);
  EXPECT_EQ(scan.verdict(), Verdict::Unusable);
  EXPECT_EQ(scan.numNonFiniteExpected, 2);
  EXPECT_EQ(scan.firstNonFiniteExpected.index, 1);
  EXPECT_EQ(compareTensors(expected, expected, {1e-2, 1e-3}).verdict(),
            Verdict::Unusable);
  EXPECT_EQ(
      compareTensors(expected, expected, {1e-2, 1e-3}, NonFinite::MatchExactly)
          .verdict(),
      Verdict::Pass);
}

TEST(Compare, DefaultsPerDType) {
  HostTensor expected = tensorOf({3}, {1.0, -4.0, INFINITY});
  EXPECT_EQ(defaultTolerance(DType::F16, expected).rtol, 1e-2);
  EXPECT_EQ(defaultTolerance(DType::F16, expected).atol, 4e-2);
  EXPECT_EQ(defaultTolerance(DType::BF16, expected).rtol, 4e-2);
  EXPECT_EQ(defaultTolerance(DType::F32, expected).atol, 4e-5);
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
