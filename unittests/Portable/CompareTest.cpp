//===- CompareTest.cpp - The one output comparison ------------------------===//

#include "Mirage/Portable/Compare.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>
#include <vector>

using namespace mirage::portable;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
const double kNaN = std::nan("");

Comparison run(const std::vector<double> &got,
               const std::vector<double> &expected, Tolerance t,
               NonFinite nonFinite = NonFinite::Reject) {
  EXPECT_EQ(got.size(), expected.size());
  return compare(got.data(), expected.data(),
                 static_cast<int64_t>(expected.size()), t, nonFinite);
}

TEST(Compare, IsNumpyIsclose) {
  Tolerance t{1e-2, 1e-3};
  std::vector<double> expected{1.0, 100.0, 0.0, -5.0};
  // On the boundary (atol + rtol |e|) passes; just past it fails.
  Comparison pass = run({1.0105, 100.9, 0.00099, -5.05}, expected, t);
  EXPECT_EQ(pass.verdict(), Verdict::Pass);
  EXPECT_EQ(pass.numMismatches, 0);
  EXPECT_EQ(pass.maxAbsExpected, 100.0);
  Comparison fail = run({1.0, 100.0, 0.0012, -5.125}, expected, t);
  EXPECT_EQ(fail.verdict(), Verdict::Fail);
  EXPECT_EQ(fail.numMismatches, 2);
  EXPECT_EQ(fail.firstMismatch.index, 2);
  EXPECT_EQ(fail.firstMismatch.got, 0.0012);
  EXPECT_EQ(fail.firstMismatch.expected, 0.0);
  EXPECT_EQ(fail.firstMismatch.relError, kInf);
  EXPECT_EQ(fail.maxAbsError, 0.125);
}

TEST(Compare, ReportsTheWorstElementInTolerances) {
  Tolerance t{1e-2, 1e-3};
  // Element 0 has the largest absolute error but is within 1e-2 of 100;
  // element 1 is at 0.9 of its tolerance and the worst; all pass.
  Comparison c = run({100.5, 2.0189, 1.0}, {100.0, 2.0, 1.0}, t);
  EXPECT_EQ(c.verdict(), Verdict::Pass);
  EXPECT_EQ(c.worst.index, 1);
  EXPECT_NEAR(c.worst.absError, 0.0189, 1e-12);
  EXPECT_NEAR(c.worst.relError, 0.00945, 1e-12);
  EXPECT_EQ(summarize(c, {3}),
            "0 of 3 outside rtol 0.01 atol 0.001; max abs error 0.5, max "
            "|expected| 100; worst at [1]: got 2.0189, expected 2 (abs error "
            "0.0189, rel error 0.00945)");
  // Exact results: the worst is the first element, with no error.
  Comparison exact = run({1, 2}, {1, 2}, {0, 0});
  EXPECT_EQ(exact.verdict(), Verdict::Pass);
  EXPECT_EQ(exact.worst.index, 0);
  EXPECT_EQ(exact.worst.absError, 0);
  // At a zero tolerance any error fails.
  EXPECT_EQ(run({1, 2.0000001}, {1, 2}, {0, 0}).numMismatches, 1);
}

TEST(Compare, NonFiniteReferenceIsUnusable) {
  Tolerance t{1e-2, 1e-3};
  // Even when the code computes the same infinities and NaNs.
  Comparison c = run({1.0, kInf, kNaN, -kInf}, {1.0, kInf, kNaN, -kInf}, t);
  EXPECT_EQ(c.verdict(), Verdict::Unusable);
  EXPECT_EQ(c.numNonFiniteExpected, 3);
  EXPECT_EQ(c.firstNonFiniteExpected.index, 1);
  EXPECT_EQ(c.numMismatches, 0);
  EXPECT_EQ(describeProblem(c, {2, 2}),
            "3 of 4 expected values are not finite (first at [0, 1]: inf): "
            "the comparison checks nothing; lower the input scale");
}

TEST(Compare, NonFiniteOutputFails) {
  Tolerance t{1e6, 1e6};
  for (double bad : {kInf, -kInf, kNaN}) {
    Comparison c = run({1.0, bad}, {1.0, 2.0}, t);
    EXPECT_EQ(c.verdict(), Verdict::Fail);
    EXPECT_EQ(c.numNonFiniteGot, 1);
    EXPECT_EQ(c.worst.index, 1);
    EXPECT_EQ(c.worst.absError, kInf);
  }
  Comparison c = run({kNaN, 1.0}, {1.0, 1.0}, t);
  EXPECT_EQ(describeProblem(c, {2}),
            "1 of 2 elements outside rtol 1e+06 atol 1e+06 (1 not finite "
            "where the expected value is); first at [0]: got nan, expected 1 "
            "(abs error inf, rel error inf)");
}

TEST(Compare, MatchExactlyForSpecialValueTables) {
  Tolerance t{1e-2, 1e-3};
  NonFinite exact = NonFinite::MatchExactly;
  EXPECT_EQ(run({kNaN, kInf, -kInf, 0.0}, {kNaN, kInf, -kInf, -0.0}, t, exact)
                .verdict(),
            Verdict::Pass);
  // NaN matches only NaN, an infinity only itself.
  Comparison c = run({0.0, -kInf, kInf, kNaN, 1e300},
                     {kNaN, kInf, kNaN, kInf, kInf}, t, exact);
  EXPECT_EQ(c.verdict(), Verdict::Fail);
  EXPECT_EQ(c.numMismatches, 5);
  EXPECT_EQ(c.numNonFiniteExpected, 5);
  EXPECT_EQ(c.firstMismatch.index, 0);
}

TEST(Compare, FloatInputsAndEmptyTensors) {
  std::vector<float> got{1.0f, 2.5f}, expected{1.0f, 2.0f};
  Comparison c = compare(got.data(), expected.data(), 2, {0.1, 0.1});
  EXPECT_EQ(c.numMismatches, 1);
  EXPECT_EQ(c.firstMismatch.got, 2.5);
  Comparison empty = compare(got.data(), expected.data(), 0, {0, 0});
  EXPECT_EQ(empty.verdict(), Verdict::Pass);
  EXPECT_EQ(empty.worst.index, -1);
  EXPECT_EQ(summarize(empty, {0}),
            "0 of 0 outside rtol 0 atol 0; max abs error 0, max |expected| 0");
}

TEST(Compare, DefaultTolerancePerType) {
  // rtol per type; atol a fraction of the output's largest finite value.
  Tolerance f16 = defaultTolerance(DType::F16, 4.0);
  EXPECT_EQ(f16.rtol, 1e-2);
  EXPECT_EQ(f16.atol, 4e-2);
  Tolerance bf16 = defaultTolerance(DType::BF16, -0.5);
  EXPECT_EQ(bf16.rtol, 4e-2);
  EXPECT_EQ(bf16.atol, 2e-2);
  Tolerance f32 = defaultTolerance(DType::F32, 2.0);
  EXPECT_EQ(f32.rtol, 1e-4);
  EXPECT_EQ(f32.atol, 2e-5);
  EXPECT_EQ(defaultTolerance(DType::F16, kInf).atol, 0);
}

TEST(Compare, MaxAbsFiniteSkipsSpecialValues) {
  std::vector<double> v{1.0, -3.0, kInf, kNaN, 2.0};
  EXPECT_EQ(maxAbsFinite(v.data(), 5), 3.0);
  std::vector<float> f{-0.0f, 0.5f};
  EXPECT_EQ(maxAbsFinite(f.data(), 2), 0.5);
  EXPECT_EQ(maxAbsFinite(v.data(), 0), 0.0);
}

TEST(Compare, FormatsIndicesAndNumbers) {
  EXPECT_EQ(formatIndex({2, 3, 4}, 23), "[1, 2, 3]");
  EXPECT_EQ(formatIndex({5}, 4), "[4]");
  EXPECT_EQ(formatIndex({}, 0), "[]");
  EXPECT_EQ(formatNumber(-kInf), "-inf");
  EXPECT_EQ(formatNumber(kNaN), "nan");
  EXPECT_EQ(formatNumber(0.1234567), "0.123457");
}

TEST(Compare, JudgementOfARun) {
  Tolerance t{1e-2, 1e-3};
  Comparison pass = run({1.0, 2.0}, {1.0, 2.0}, t);
  Comparison fail = run({1.0, 3.0}, {1.0, 2.0}, t);
  Comparison unusable = run({1.0, kInf}, {1.0, kInf}, t);
  std::vector<std::vector<int64_t>> shapes(3, std::vector<int64_t>{2});

  Judgement ok = judge({pass, pass}, shapes);
  EXPECT_EQ(ok.exitStatus, 0);
  EXPECT_TRUE(ok.failures.empty());
  EXPECT_EQ(ok.error, "");

  Judgement failed = judge({pass, fail}, shapes);
  EXPECT_EQ(failed.exitStatus, 1);
  ASSERT_EQ(failed.failures.size(), 1u);
  EXPECT_EQ(failed.failures[0],
            "FAIL: output 1: " + describeProblem(fail, {2}));

  // An unusable output makes the run an error, whatever the others say;
  // the failures are still listed.
  Judgement error = judge({fail, unusable, unusable}, shapes);
  EXPECT_EQ(error.exitStatus, 2);
  EXPECT_EQ(error.failures.size(), 1u);
  EXPECT_EQ(error.error, "output 1: " + describeProblem(unusable, {2}));

  EXPECT_EQ(judge({}, {}).exitStatus, 0);
}

} // namespace
