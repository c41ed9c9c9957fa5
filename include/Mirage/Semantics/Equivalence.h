//===- Equivalence.h - Probabilistic equivalence of μGraphs -----*- C++ -*-===//
//
// Two kernel graphs with the same inputs are compared on K random tests,
// by default in Z_p x Z_q (fingerprints; see docs/Semantics.md for the
// false-positive bound) confirmed by one floating-point test, or in floating
// point alone within a tolerance. Outputs
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

/// The float test that confirms a fingerprint verdict (docs/Semantics.md,
/// "What equivalent guarantees"): both programs run in floating point on
/// one seeded input, scaled down by powers of two until every output of
/// both is finite, and are compared element by element within the
/// tolerance of each output's element type (floatTestTolerance).
struct FloatTest {
  /// False when some output is non-finite even at the smallest scale.
  bool usable = false;
  bool agrees = false;
  /// The input scale used: inputs are uniform in [-scale, scale).
  double inputScale = 1.0;
  /// When usable and not agreeing: the first differing element.
  unsigned output = 0;
  Shape index;
  double lhsValue = 0, rhsValue = 0;
  /// The largest |lhs - rhs| / (|rhs| + rms(rhs)) over all outputs.
  double maxError = 0;
};

/// The float test's tolerance for an element type: |lhs - rhs| <= tol *
/// (|rhs| + rms(rhs)), rms over the output tensor.
double floatTestTolerance(DType dtype);

/// Runs the float test of `lhs` against `rhs` with rhs output
/// `permutation[i]` paired with lhs output i; inputs are drawn from `seed`
/// and start at `inputScale`. Errors when a graph cannot be evaluated.
llvm::Expected<FloatTest> runFloatTest(const KernelGraph &lhs,
                                       const KernelGraph &rhs,
                                       llvm::ArrayRef<unsigned> permutation,
                                       uint64_t seed, double inputScale = 1.0);

enum class Verdict : uint8_t {
  /// Fingerprints agree and (fingerprint mode) the float test confirms.
  Equivalent,
  /// Fingerprints differ and so does the float test (float mode: the float
  /// tests differ).
  NotEquivalent,
  /// Fingerprints differ but the float test agrees: a true identity that
  /// the fingerprint model cannot prove (2 relu(z/2) = relu(z)), or a
  /// difference below the float tolerance.
  NotProvable,
  /// Fingerprints agree but the float test differs (or is unusable): not
  /// reported as equivalent.
  FloatDisagrees,
};

struct EquivalenceResult {
  /// verdict == Verdict::Equivalent.
  bool equivalent = false;
  Verdict verdict = Verdict::NotEquivalent;
  /// rhs output permutation[i] corresponds to lhs output i.
  llvm::SmallVector<unsigned, 4> permutation;
  /// When the fingerprints (or, in float mode, the float tests) differ: the
  /// lhs output and the index of a differing element under the closest
  /// permutation (the identity when it pairs shapes), and both values
  /// (float: the value; fingerprints: residue mod p).
  unsigned output = 0;
  Shape index;
  double lhsValue = 0, rhsValue = 0;
  unsigned testsRun = 0;
  unsigned inconclusiveTests = 0;
  /// Fingerprint mode: the float test run on the verdict's permutation.
  bool floatTestRun = false;
  FloatTest floatTest;
};

/// Checks that fingerprints are sound for `graph`: no exp (or one of its
/// rational functions, the vocabulary's expLike kinds) of a value that
/// itself depends on one.
llvm::Error checkFingerprintable(const KernelGraph &graph);

/// Compares `lhs` and `rhs`; errors when their signatures differ, a graph
/// cannot be evaluated, or too many tests are inconclusive. In fingerprint
/// mode the verdict is confirmed by one float test (runFloatTest): equal
/// fingerprints and a differing float test give FloatDisagrees, differing
/// fingerprints and an agreeing float test NotProvable.
llvm::Expected<EquivalenceResult>
checkEquivalence(const KernelGraph &lhs, const KernelGraph &rhs,
                 const EquivalenceOptions &options);

} // namespace mirage

#endif // MIRAGE_SEMANTICS_EQUIVALENCE_H
