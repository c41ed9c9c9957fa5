//===- Equivalence.h - Probabilistic equivalence of μGraphs -----*- C++ -*-===//
//
// Two kernel graphs with the same inputs are compared on K random tests,
// by default in Z_p x Z_q (fingerprints; see docs/Semantics.md for the
// false-positive bound), or in floating point within a tolerance. Outputs
// may be permuted: every permutation that pairs outputs of equal shape and
// element type is tried, and the one that matches is reported.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_SEMANTICS_EQUIVALENCE_H
#define MIRAGE_SEMANTICS_EQUIVALENCE_H

#include "Mirage/Semantics/Interpreter.h"

namespace mirage {

/// Fingerprint tests per check: the bound of docs/Semantics.md gives at most
/// (1/63)^5 < 1e-9 for a false positive.
constexpr unsigned kDefaultFingerprintTests = 5;

struct EquivalenceOptions {
  NumberSystem system = NumberSystem::Field;
  unsigned tests = kDefaultFingerprintTests;
  uint64_t seed = 0;
  /// Float mode: |lhs - rhs| <= atol + rtol * |rhs| per element.
  double rtol = 1e-3;
  double atol = 1e-5;
  /// Float mode: inputs are uniform in [-inputScale, inputScale).
  double inputScale = 1.0;
  /// Inconclusive fingerprint tests (a zero divisor) are retried with fresh
  /// inputs; more than this many in one check is an error.
  unsigned maxInconclusive = 16;
};

struct EquivalenceResult {
  bool equivalent = false;
  /// rhs output permutation[i] corresponds to lhs output i.
  llvm::SmallVector<unsigned, 4> permutation;
  /// When not equivalent: the lhs output and the index of a differing
  /// element under the closest permutation (the identity when it pairs
  /// shapes), and both values (float: the value; fingerprints: residue mod
  /// p).
  unsigned output = 0;
  Shape index;
  double lhsValue = 0, rhsValue = 0;
  unsigned testsRun = 0;
  unsigned inconclusiveTests = 0;
};

/// Checks that fingerprints are sound for `graph`: no exp (or silu, gelu,
/// tanh, or pow exponent) of a value that itself depends on one.
llvm::Error checkFingerprintable(const KernelGraph &graph);

/// Compares `lhs` and `rhs`; errors when their signatures differ, a graph
/// cannot be evaluated, or too many tests are inconclusive.
llvm::Expected<EquivalenceResult>
checkEquivalence(const KernelGraph &lhs, const KernelGraph &rhs,
                 const EquivalenceOptions &options);

} // namespace mirage

#endif // MIRAGE_SEMANTICS_EQUIVALENCE_H
