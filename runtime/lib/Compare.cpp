//===- Compare.cpp - Comparing outputs with reference values --------------===//

#include "MirageRuntime/Compare.h"

#include <cmath>
#include <cstdio>

using namespace mirage::rt;

Tolerance mirage::rt::defaultTolerance(DType dtype) {
  switch (dtype) {
  case DType::F16:
    return {1e-2, 1e-3};
  case DType::BF16:
    return {5e-2, 1e-2};
  case DType::F32:
    return {1e-4, 1e-5};
  }
  return {1e-2, 1e-3};
}

static bool isClose(double got, double expected, Tolerance t) {
  if (std::isnan(got) || std::isnan(expected))
    return std::isnan(got) && std::isnan(expected);
  if (std::isinf(got) || std::isinf(expected))
    return got == expected;
  return std::fabs(got - expected) <= t.atol + t.rtol * std::fabs(expected);
}

Comparison mirage::rt::compareTensors(const HostTensor &got,
                                      const HostTensor &expected,
                                      Tolerance tolerance) {
  Comparison c;
  for (int64_t i = 0; i < got.size(); ++i) {
    double g = got.get(i), e = expected.get(i);
    if (std::isfinite(g) && std::isfinite(e))
      c.maxAbsError = std::fmax(c.maxAbsError, std::fabs(g - e));
    if (isClose(g, e, tolerance))
      continue;
    if (c.mismatches++ == 0) {
      c.firstIndex = i;
      c.got = g;
      c.expected = e;
    }
  }
  return c;
}

std::string mirage::rt::formatIndex(const Shape &shape, int64_t flat) {
  Shape index(shape.size());
  for (size_t d = shape.size(); d-- > 0;) {
    index[d] = flat % shape[d];
    flat /= shape[d];
  }
  return formatShape(index);
}

static std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.6g", v);
  return buf;
}

std::string mirage::rt::describeMismatch(const std::string &name,
                                         const HostTensor &got,
                                         const Comparison &c,
                                         Tolerance tolerance) {
  return name + ": " + std::to_string(c.mismatches) + " of " +
         std::to_string(got.size()) + " elements differ (rtol " +
         number(tolerance.rtol) + ", atol " + number(tolerance.atol) +
         "); first at " + formatIndex(got.getShape(), c.firstIndex) + ": got " +
         number(c.got) + ", expected " + number(c.expected) +
         "; max abs error " + number(c.maxAbsError);
}
