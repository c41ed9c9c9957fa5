//===- Compare.cpp - Comparing outputs with reference values --------------===//

#include "MirageRuntime/Compare.h"

#include <vector>

using namespace mirage::rt;

static std::vector<double> valuesOf(const HostTensor &t) {
  std::vector<double> values(static_cast<size_t>(t.size()));
  for (int64_t i = 0; i < t.size(); ++i)
    values[static_cast<size_t>(i)] = t.get(i);
  return values;
}

Tolerance mirage::rt::defaultTolerance(DType dtype,
                                       const HostTensor &expected) {
  std::vector<double> e = valuesOf(expected);
  return portable::defaultTolerance(
      dtype, portable::maxAbsFinite(e.data(), expected.size()));
}

Comparison mirage::rt::compareTensors(const HostTensor &got,
                                      const HostTensor &expected,
                                      Tolerance tolerance,
                                      NonFinite nonFinite) {
  std::vector<double> g = valuesOf(got), e = valuesOf(expected);
  return portable::compare(g.data(), e.data(), expected.size(), tolerance,
                           nonFinite);
}

Comparison mirage::rt::scanReference(const HostTensor &expected) {
  std::vector<double> e = valuesOf(expected);
  return portable::compare(e.data(), e.data(), expected.size(),
                           defaultTolerance(expected.getDType(), expected));
}
