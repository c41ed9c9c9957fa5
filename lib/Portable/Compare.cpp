//===- Compare.cpp - Comparing computed outputs with reference values -----===//
//
// Standard C++17 only: the GPU runtime compiles this file too.
//
//===----------------------------------------------------------------------===//

#include "Mirage/Portable/Compare.h"

#include <cmath>
#include <cstdio>
#include <limits>

using namespace mirage::portable;

Tolerance mirage::portable::defaultTolerance(DType dtype,
                                             double maxAbsExpected) {
  double scale = std::isfinite(maxAbsExpected) ? std::fabs(maxAbsExpected) : 0;
  switch (dtype) {
  case DType::F16:
    return {1e-2, 1e-2 * scale};
  case DType::BF16:
    return {4e-2, 4e-2 * scale};
  case DType::F32:
    return {1e-4, 1e-5 * scale};
  }
  return {0, 0};
}

template <class T> static double maxAbsFiniteImpl(const T *values, int64_t n) {
  double m = 0;
  for (int64_t i = 0; i < n; ++i) {
    double v = static_cast<double>(values[i]);
    if (std::isfinite(v))
      m = std::fmax(m, std::fabs(v));
  }
  return m;
}

double mirage::portable::maxAbsFinite(const double *values, int64_t n) {
  return maxAbsFiniteImpl(values, n);
}

double mirage::portable::maxAbsFinite(const float *values, int64_t n) {
  return maxAbsFiniteImpl(values, n);
}

Verdict Comparison::verdict() const {
  if (nonFinite == NonFinite::Reject && numNonFiniteExpected)
    return Verdict::Unusable;
  return numMismatches ? Verdict::Fail : Verdict::Pass;
}

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();

/// Whether special values `g` and `e` (one of them not finite) are the same:
/// NaN and NaN, or the same infinity.
bool sameSpecial(double g, double e) {
  if (std::isnan(e))
    return std::isnan(g);
  return g == e;
}

/// Error in tolerances: |g - e| / (atol + rtol |e|), infinite for an error
/// at a zero tolerance.
double errorInTolerances(double absError, double expected, Tolerance t) {
  if (absError == 0)
    return 0;
  double allowed = t.atol + t.rtol * std::fabs(expected);
  return allowed > 0 ? absError / allowed : kInf;
}

template <class T>
Comparison compareImpl(const T *got, const T *expected, int64_t n, Tolerance t,
                       NonFinite nonFinite) {
  Comparison c;
  c.numElements = n;
  c.tolerance = t;
  c.nonFinite = nonFinite;
  double worstScore = -1;
  for (int64_t i = 0; i < n; ++i) {
    double g = static_cast<double>(got[i]);
    double e = static_cast<double>(expected[i]);
    ElementError element;
    element.index = i;
    element.got = g;
    element.expected = e;
    bool ok;
    if (!std::isfinite(e)) {
      if (c.numNonFiniteExpected++ == 0)
        c.firstNonFiniteExpected = element;
      ok = sameSpecial(g, e);
      element.absError = ok ? 0 : kInf;
      element.relError = ok ? 0 : kInf;
    } else if (!std::isfinite(g)) {
      ++c.numNonFiniteGot;
      ok = false;
      element.absError = kInf;
      element.relError = kInf;
    } else {
      element.absError = std::fabs(g - e);
      element.relError = element.absError == 0 ? 0
                         : e == 0              ? kInf
                                  : element.absError / std::fabs(e);
      ok = element.absError <= t.atol + t.rtol * std::fabs(e);
      c.maxAbsError = std::fmax(c.maxAbsError, element.absError);
      c.maxAbsExpected = std::fmax(c.maxAbsExpected, std::fabs(e));
    }
    double score =
        ok && !std::isfinite(e) ? 0 : errorInTolerances(element.absError, e, t);
    if (!ok && score <= 1)
      score = kInf; // Non-finite mismatches rank above every finite one.
    if (score > worstScore ||
        (score == worstScore && element.absError > c.worst.absError)) {
      worstScore = score;
      c.worst = element;
    }
    if (!ok && c.numMismatches++ == 0)
      c.firstMismatch = element;
  }
  return c;
}
} // namespace

Comparison mirage::portable::compare(const double *got, const double *expected,
                                     int64_t n, Tolerance tolerance,
                                     NonFinite nonFinite) {
  return compareImpl(got, expected, n, tolerance, nonFinite);
}

Comparison mirage::portable::compare(const float *got, const float *expected,
                                     int64_t n, Tolerance tolerance,
                                     NonFinite nonFinite) {
  return compareImpl(got, expected, n, tolerance, nonFinite);
}

std::string mirage::portable::formatIndex(const std::vector<int64_t> &shape,
                                          int64_t flat) {
  std::vector<int64_t> index(shape.size());
  for (size_t d = shape.size(); d-- > 0;) {
    if (shape[d] <= 0)
      continue;
    index[d] = flat % shape[d];
    flat /= shape[d];
  }
  std::string text = "[";
  for (size_t d = 0; d < index.size(); ++d)
    text += (d ? ", " : "") + std::to_string(index[d]);
  return text + "]";
}

std::string mirage::portable::formatNumber(double value) {
  if (std::isnan(value))
    return "nan";
  if (std::isinf(value))
    return value > 0 ? "inf" : "-inf";
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.6g", value);
  return buf;
}

std::string
mirage::portable::describeElement(const ElementError &element,
                                  const std::vector<int64_t> &shape) {
  return formatIndex(shape, element.index) + ": got " +
         formatNumber(element.got) + ", expected " +
         formatNumber(element.expected) + " (abs error " +
         formatNumber(element.absError) + ", rel error " +
         formatNumber(element.relError) + ")";
}

static std::string toleranceText(Tolerance t) {
  return "rtol " + formatNumber(t.rtol) + " atol " + formatNumber(t.atol);
}

std::string mirage::portable::summarize(const Comparison &c,
                                        const std::vector<int64_t> &shape) {
  std::string text = std::to_string(c.numMismatches) + " of " +
                     std::to_string(c.numElements) + " outside " +
                     toleranceText(c.tolerance) + "; max abs error " +
                     formatNumber(c.maxAbsError) + ", max |expected| " +
                     formatNumber(c.maxAbsExpected);
  if (c.worst.index >= 0)
    text += "; worst at " + describeElement(c.worst, shape);
  if (c.numNonFiniteExpected)
    text += "; " + std::to_string(c.numNonFiniteExpected) +
            " expected values not finite";
  return text;
}

mirage::portable::Judgement
mirage::portable::judge(const std::vector<Comparison> &comparisons,
                        const std::vector<std::vector<int64_t>> &shapes) {
  Judgement j;
  for (size_t i = 0; i < comparisons.size(); ++i) {
    const Comparison &c = comparisons[i];
    std::string problem = describeProblem(c, shapes[i]);
    switch (c.verdict()) {
    case Verdict::Pass:
      break;
    case Verdict::Fail:
      j.failures.push_back("FAIL: output " + std::to_string(i) + ": " +
                           problem);
      if (j.exitStatus == 0)
        j.exitStatus = 1;
      break;
    case Verdict::Unusable:
      if (j.error.empty())
        j.error = "output " + std::to_string(i) + ": " + problem;
      j.exitStatus = 2;
      break;
    }
  }
  return j;
}

std::string
mirage::portable::describeProblem(const Comparison &c,
                                  const std::vector<int64_t> &shape) {
  switch (c.verdict()) {
  case Verdict::Pass:
    return "";
  case Verdict::Unusable:
    return std::to_string(c.numNonFiniteExpected) + " of " +
           std::to_string(c.numElements) +
           " expected values are not finite (first at " +
           formatIndex(shape, c.firstNonFiniteExpected.index) + ": " +
           formatNumber(c.firstNonFiniteExpected.expected) +
           "): the comparison checks nothing; lower the input scale";
  case Verdict::Fail: {
    std::string text = std::to_string(c.numMismatches) + " of " +
                       std::to_string(c.numElements) + " elements outside " +
                       toleranceText(c.tolerance);
    if (c.numNonFiniteGot)
      text += " (" + std::to_string(c.numNonFiniteGot) +
              " not finite where the expected value is)";
    return text + "; first at " + describeElement(c.firstMismatch, shape);
  }
  }
  return "";
}
