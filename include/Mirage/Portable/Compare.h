//===- Compare.h - Comparing outputs with reference values ---*- C++ -*-===//
//
// The one comparison of Mirage-MLIR: mirage-cpu-runner (the CPU code against
// the interpreter), mirage-run (a bundle on the GPU against reference .npy
// files) and the tests all decide PASS and FAIL here. Standard C++17 only (no
// LLVM, no MLIR): the GPU runtime, which builds with cuda.h alone, compiles
// this file too (docs/Runtime.md, "Comparing outputs").
//
// The rule, per element, for a finite expected value e and a computed value
// g:
//
//   |g - e| <= atol + rtol * |e|        (numpy.isclose)
//
// with a tolerance per element type (defaultTolerance): rtol is a fraction
// of |e|, and the default atol a fraction of the largest finite |e| of the
// output (the error of a sum or of a softmax average is proportional to the
// size of its terms, not to the result, so a result near zero is judged at
// the output's scale). An atol given on a command line is absolute. A
// computed value that is infinite or NaN where e is finite fails. An expected
// value that is infinite or NaN makes the comparison unusable (it checks
// nothing: an overflow in the reference hides whatever the code computed),
// unless the caller asks for NonFinite::MatchExactly, where NaN matches only
// NaN and an infinity only the same infinity (tests of special values).
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_PORTABLE_COMPARE_H
#define MIRAGE_PORTABLE_COMPARE_H

#include "Mirage/Portable/DType.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mirage::portable {

struct Tolerance {
  double rtol = 0;
  double atol = 0;
};

/// The default tolerance of an output of `dtype` whose largest finite
/// |expected| is `maxAbsExpected`:
///   f16  rtol 1e-2, atol 1e-2 * maxAbsExpected (ulp 2^-10 at 1)
///   bf16 rtol 4e-2, atol 4e-2 * maxAbsExpected (ulp 2^-7 at 1)
///   f32  rtol 1e-4, atol 1e-5 * maxAbsExpected
Tolerance defaultTolerance(DType dtype, double maxAbsExpected);

/// The largest finite |value| of `n` values (0 when there is none).
double maxAbsFinite(const double *values, int64_t n);
double maxAbsFinite(const float *values, int64_t n);

/// What an expected value that is infinite or NaN means.
enum class NonFinite : uint8_t {
  /// The comparison is unusable (Verdict::Unusable).
  Reject,
  /// It must be matched exactly: NaN by NaN, +-Inf by the same infinity.
  MatchExactly,
};

/// One element and how far the computed value is from the expected one.
struct ElementError {
  /// Row-major flat index; -1 when there is no such element.
  int64_t index = -1;
  double got = 0;
  double expected = 0;
  /// |got - expected| (infinite when either is not finite and they differ,
  /// 0 when they match exactly).
  double absError = 0;
  /// absError / |expected|; infinite for a nonzero error at expected 0, 0
  /// for no error.
  double relError = 0;
};

enum class Verdict : uint8_t { Pass, Fail, Unusable };

struct Comparison {
  int64_t numElements = 0;
  Tolerance tolerance;
  NonFinite nonFinite = NonFinite::Reject;

  /// Expected values that are infinite or NaN, and the first of them.
  int64_t numNonFiniteExpected = 0;
  ElementError firstNonFiniteExpected;

  /// Elements outside the tolerance (computed non-finite values where the
  /// expected one is finite included), and the first of them.
  int64_t numMismatches = 0;
  ElementError firstMismatch;
  /// Computed values that are infinite or NaN where the expected value is
  /// finite (each is also a mismatch).
  int64_t numNonFiniteGot = 0;

  /// The element with the largest error measured in tolerances,
  /// |g - e| / (atol + rtol |e|) (ties: the larger absolute error, then the
  /// first); the element where the check is tightest even when all pass.
  ElementError worst;

  /// Over the elements where both values are finite.
  double maxAbsError = 0;
  /// The largest finite |expected|.
  double maxAbsExpected = 0;

  Verdict verdict() const;
};

/// Compares `n` computed values with `n` expected ones.
Comparison compare(const double *got, const double *expected, int64_t n,
                   Tolerance tolerance,
                   NonFinite nonFinite = NonFinite::Reject);
Comparison compare(const float *got, const float *expected, int64_t n,
                   Tolerance tolerance,
                   NonFinite nonFinite = NonFinite::Reject);

/// The multi-index of the row-major element `flat` of `shape`, as "[1, 37]".
std::string formatIndex(const std::vector<int64_t> &shape, int64_t flat);

/// `value` in %.6g ("inf", "-inf", "nan" for the special values).
std::string formatNumber(double value);

/// "[1, 37]: got 0.5, expected 0.25 (abs error 0.25, rel error 1)".
std::string describeElement(const ElementError &element,
                            const std::vector<int64_t> &shape);

/// The summary of a comparison on one line:
/// "0 of 12288 outside rtol 0.01 atol 0.01; max abs error 0.0078, max
/// |expected| 3.2; worst at [1, 37]: got ..., expected ... (abs error ...,
/// rel error ...)".
std::string summarize(const Comparison &comparison,
                      const std::vector<int64_t> &shape);

/// Why the comparison does not pass, on one line, or "" when it passes:
///   Unusable: "512 of 512 expected values are not finite (first at [0, 0]:
///     inf): the comparison checks nothing; lower the input scale"
///   Fail: "3 of 12288 elements outside rtol 0.01 atol 0.01 (1 not finite);
///     first at [0, 7]: got ..., expected ... (abs error ..., rel error ...)"
std::string describeProblem(const Comparison &comparison,
                            const std::vector<int64_t> &shape);

/// What a tool that checks a run concludes from the comparisons of its
/// outputs, the same for mirage-cpu-runner and mirage-ptx-emu: the lines it
/// prints and its exit status.
struct Judgement {
  /// "FAIL: output I: <problem>" for each output that fails.
  std::vector<std::string> failures;
  /// "output I: <problem>" for the first output that is unusable (an
  /// expected value that is not finite), else "".
  std::string error;
  /// 0 when every output passes (the tool prints "PASS"), 1 when one fails,
  /// 2 when one is unusable (an error, whatever the others say).
  int exitStatus = 0;
};

/// Judges the comparisons of a run's outputs; `shapes[i]` is output i's.
Judgement judge(const std::vector<Comparison> &comparisons,
                const std::vector<std::vector<int64_t>> &shapes);

} // namespace mirage::portable

#endif // MIRAGE_PORTABLE_COMPARE_H
