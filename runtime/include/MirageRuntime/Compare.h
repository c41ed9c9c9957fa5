//===- Compare.h - Comparing outputs with reference values ------*- C++ -*-===//
//
// An element passes when |got - expected| <= atol + rtol * |expected|
// (numpy.allclose); NaN matches NaN and an infinity matches the same
// infinity, anything else involving them fails.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGERUNTIME_COMPARE_H
#define MIRAGERUNTIME_COMPARE_H

#include "MirageRuntime/HostTensor.h"

#include <string>

namespace mirage::rt {

struct Tolerance {
  double rtol;
  double atol;
};

/// The default tolerance for outputs of `dtype`: about 8 ulps relative for
/// f16 and bf16 results of long f32 reductions.
Tolerance defaultTolerance(DType dtype);

struct Comparison {
  int64_t mismatches = 0;
  /// The first failing element (flat), when there is one.
  int64_t firstIndex = -1;
  double got = 0;
  double expected = 0;
  double maxAbsError = 0;

  bool ok() const { return mismatches == 0; }
};

/// Compares two tensors of the same shape.
Comparison compareTensors(const HostTensor &got, const HostTensor &expected,
                          Tolerance tolerance);

/// "output 0: 3 of 12288 elements differ (rtol 0.01, atol 0.001); first at
/// [1, 37]: got 0.5, expected 0.25; max abs error 0.25".
std::string describeMismatch(const std::string &name, const HostTensor &got,
                             const Comparison &comparison, Tolerance tolerance);

/// The multi-index of flat element `flat` of `shape`, as "[1, 37]".
std::string formatIndex(const Shape &shape, int64_t flat);

} // namespace mirage::rt

#endif // MIRAGERUNTIME_COMPARE_H
