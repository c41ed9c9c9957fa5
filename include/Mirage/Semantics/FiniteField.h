//===- FiniteField.h - The fingerprint number system Z_p x Z_q --*- C++ -*-===//
//
// Fingerprints evaluate a μGraph over Z_p x Z_q with q | p - 1 (see
// docs/Semantics.md). q = 1048571 and p = 2q + 1 = 2097143 are a safe-prime
// pair, both 3 mod 4, so that
//   * g = 4 (a square, not 1) has order exactly q in Z_p^*, and
//     exp(x) = (g^(x mod q) mod p, 1) is a homomorphism (Z_q, +) -> units;
//   * residues are below 2^21: they are exact in float32 storage, products
//     are below 2^42 and 2048 of them sum exactly in a double.
// Residues are carried in doubles holding integers in [0, m). User constants
// and the functions that are not rational functions of add, mul, div and
// exp (gelu, relu, clamp, sqrt, pow) are random, drawn per test from a model
// key (below).
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_SEMANTICS_FINITEFIELD_H
#define MIRAGE_SEMANTICS_FINITEFIELD_H

#include "Mirage/Portable/Random.h"

#include <cmath>
#include <cstdint>

namespace mirage::field {

constexpr uint32_t kP = 2097143;
constexpr uint32_t kQ = 1048571;
constexpr uint32_t kG = 4;
/// Products of residues below 2^42; this many sum exactly in a double.
constexpr int64_t kExactTerms = 2048;

/// The modulus of a component: 0 is Z_p, 1 is Z_q.
constexpr double modulus(unsigned lane) { return lane == 0 ? kP : kQ; }

/// 1 / modulus(lane), rounded once.
constexpr double reciprocal(unsigned lane) {
  return lane == 0 ? 1.0 / kP : 1.0 / kQ;
}

/// Reduces a non-negative integer-valued double below 2^53.
inline double reduce(double x, unsigned lane) {
  double m = modulus(lane);
  // floor(t) by truncation (t < 2^63), without a call to libm's floor.
  double t = x * reciprocal(lane);
  double f = static_cast<double>(static_cast<int64_t>(t));
  if (f > t)
    f -= 1;
  double r = x - f * m;
  // Branch-free corrections (r is in (-m, 2m)): selects, not jumps.
  r += r < 0 ? m : 0.0;
  r -= r >= m ? m : 0.0;
  return r;
}

inline double add(double a, double b, unsigned lane) {
  double r = a + b;
  return r >= modulus(lane) ? r - modulus(lane) : r;
}
inline double sub(double a, double b, unsigned lane) {
  double r = a - b;
  return r < 0 ? r + modulus(lane) : r;
}
inline double mul(double a, double b, unsigned lane) {
  return reduce(a * b, lane);
}
inline double neg(double a, unsigned lane) {
  return a == 0 ? 0 : modulus(lane) - a;
}

/// a^e mod m by square-and-multiply.
double power(double a, uint64_t e, unsigned lane);
/// The inverse of a non-zero residue (Fermat).
inline double inverse(double a, unsigned lane) {
  return power(a, static_cast<uint64_t>(modulus(lane)) - 2, lane);
}
/// g^e mod p for a residue e of Z_q, by two table lookups.
double expP(double e);
/// Those tables: g^i at [i] for i < 1024 and g^(1024 i) at [1024 + i] for
/// i < 2048, so that expP(e) = t[e & 1023] * t[1024 + (e >> 10)] mod p for
/// every e < 2^21 (any representative of a residue below 2q).
const double *expTables();

//===----------------------------------------------------------------------===//
// The random part of the model (docs/Semantics.md, "Constants and opaque
// functions"): drawn per test from the test's seed, so that no other program
// can collide with a constant or an opaque function beyond the stated
// probability.
//===----------------------------------------------------------------------===//

/// splitmix64's finalizer (a bijection of 64-bit words), the one of the
/// seeded inputs.
using portable::mix64;

/// The model key of the test with input seed `seed`: mix64(seed * gamma),
/// the splitmix64 stream that no input uses (input t uses seed * gamma +
/// t + 1).
uint64_t modelKey(uint64_t seed);

/// A residue pair drawn uniformly (bias below 2^-43) from a 64-bit word:
/// lane 0 from `h`, lane 1 from mix64(h + gamma).
void residuesFromBits(uint64_t h, double *y);

/// The image of a user constant (a mul_scalar factor, an eps, a clamp
/// bound): exactly 0 for +-0, otherwise an independent uniform pair keyed by
/// the constant's exact bits, fresh for every model key. Distinct constants
/// (1.0 and 1.9999909, say) get independent images.
void constantImage(uint64_t key, double value, double *y);

/// The functions that are not rational functions of the modelled primitives
/// (add, mul, div, exp): each is an independent random function of the
/// residue pair of its operand(s), fresh for every model key.
enum class OpaqueFunction : uint8_t { Gelu, Sqrt, Pow, Clamp, Erf };

/// The key of one opaque function under a model key. Clamp is keyed by its
/// exact bounds too (relu is clamp to [0, +inf]); the other functions ignore
/// `lo` and `hi`.
uint64_t functionKey(uint64_t key, OpaqueFunction function, double lo = 0,
                     double hi = 0);

/// y = F(x) for the random function with key `fkey`; x and y are residue
/// pairs (x[0] mod p, x[1] mod q) and may alias.
void randomFunction(uint64_t fkey, const double *x, double *y);
/// y = F(a, b), a random function of two residue pairs.
void randomFunction2(uint64_t fkey, const double *a, const double *b,
                     double *y);

/// A residue as a signed integer in (-m/2, m/2): the order relu, clamp and
/// max use (see docs/Semantics.md).
inline double signedRep(double a, unsigned lane) {
  return a > modulus(lane) / 2 ? a - modulus(lane) : a;
}

} // namespace mirage::field

#endif // MIRAGE_SEMANTICS_FINITEFIELD_H
