//===- FiniteField.h - The fingerprint number system Z_p x Z_q --*- C++ -*-===//
//
// Fingerprints evaluate a μGraph over Z_p x Z_q with q | p - 1 (see
// docs/Semantics.md). q = 1048571 and p = 2q + 1 = 2097143 are a safe-prime
// pair, both 3 mod 4, so that
//   * g = 4 (a square, not 1) has order exactly q in Z_p^*, and
//     exp(x) = (g^(x mod q) mod p, 1) is a homomorphism (Z_q, +) -> units;
//   * square roots are the power map x^((m+1)/4) in both components;
//   * residues are below 2^21: they are exact in float32 storage, products
//     are below 2^42 and 2048 of them sum exactly in a double.
// Residues are carried in doubles holding integers in [0, m).
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_SEMANTICS_FINITEFIELD_H
#define MIRAGE_SEMANTICS_FINITEFIELD_H

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
/// The square-root power map x^((m+1)/4): a square root of x when x is a
/// square, and multiplicative in every case.
inline double sqrtMap(double a, unsigned lane) {
  return power(a, (static_cast<uint64_t>(modulus(lane)) + 1) / 4, lane);
}
/// g^e mod p for a residue e of Z_q, by two table lookups.
double expP(double e);
/// Those tables: g^i at [i] for i < 1024 and g^(1024 i) at [1024 + i] for
/// i < 2048, so that expP(e) = t[e & 1023] * t[1024 + (e >> 10)] mod p for
/// every e < 2^21 (any representative of a residue below 2q).
const double *expTables();

/// The image of a double (a dyadic rational m * 2^k) under the ring
/// homomorphism Z[1/2] -> Z_m; infinities and NaN map to 0.
double dyadicImage(double value, unsigned lane);

/// A residue as a signed integer in (-m/2, m/2): the order relu, clamp and
/// max use (see docs/Semantics.md).
inline double signedRep(double a, unsigned lane) {
  return a > modulus(lane) / 2 ? a - modulus(lane) : a;
}

} // namespace mirage::field

#endif // MIRAGE_SEMANTICS_FINITEFIELD_H
