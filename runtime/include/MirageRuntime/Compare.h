//===- Compare.h - Comparing outputs with reference values ------*- C++ -*-===//
//
// The runtime's side of the one comparison of Mirage-MLIR
// (Mirage/Portable/Compare.h, compiled into this library from
// lib/Portable/Compare.cpp): host tensors in, the shared rule and report out.
// docs/Runtime.md, "Comparing outputs".
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGERUNTIME_COMPARE_H
#define MIRAGERUNTIME_COMPARE_H

#include "Mirage/Portable/Compare.h"
#include "MirageRuntime/HostTensor.h"

namespace mirage::rt {

using portable::Comparison;
using portable::NonFinite;
using portable::Tolerance;
using portable::Verdict;

/// The default tolerance for an output of `dtype` checked against
/// `expected` (portable::defaultTolerance: atol scales with its largest
/// finite magnitude).
Tolerance defaultTolerance(DType dtype, const HostTensor &expected);

/// Compares two tensors of the same shape and dtype.
Comparison compareTensors(const HostTensor &got, const HostTensor &expected,
                          Tolerance tolerance,
                          NonFinite nonFinite = NonFinite::Reject);

/// Counts the values of `expected` that are infinite or NaN: a reference
/// with any of them cannot check anything (checked before any GPU work).
/// Returns a comparison of `expected` with itself.
Comparison scanReference(const HostTensor &expected);

} // namespace mirage::rt

#endif // MIRAGERUNTIME_COMPARE_H
