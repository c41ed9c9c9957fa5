//===- FiniteField.cpp - The fingerprint number system Z_p x Z_q ----------===//

#include "Mirage/Semantics/FiniteField.h"

#include <array>
#include <cstring>

using namespace mirage;

double field::power(double a, uint64_t e, unsigned lane) {
  double result = 1;
  double base = a;
  while (e) {
    if (e & 1)
      result = mul(result, base, lane);
    base = mul(base, base, lane);
    e >>= 1;
  }
  return result;
}

namespace {
/// g^i for i < 1024 and g^(1024 i) for i < 2048: two lookups cover every
/// exponent below 2^21, not only Z_q (q < 2^20), so that vectorized exp may
/// use a representative below 2q.
struct ExpTables {
  std::array<double, 3072> table;
  ExpTables() {
    double *low = table.data(), *high = table.data() + 1024;
    double g1024 = field::power(field::kG, 1024, 0);
    low[0] = high[0] = 1;
    for (unsigned i = 1; i < 1024; ++i)
      low[i] = field::mul(low[i - 1], field::kG, 0);
    for (unsigned i = 1; i < 2048; ++i)
      high[i] = field::mul(high[i - 1], g1024, 0);
  }
};
} // namespace

const double *field::expTables() {
  static const ExpTables tables;
  return tables.table.data();
}

double field::expP(double e) {
  static const double *tables = expTables();
  auto i = static_cast<uint32_t>(e);
  return mul(tables[i & 1023], tables[1024 + (i >> 10)], 0);
}

static constexpr uint64_t kGamma = portable::kSplitMixGamma;

uint64_t field::modelKey(uint64_t seed) { return mix64(seed * kGamma); }

/// floor(h * m / 2^64): uniform in [0, m) up to a bias of m / 2^64.
static double scaleTo(uint64_t h, uint32_t m) {
  return static_cast<double>(
      static_cast<uint64_t>((static_cast<unsigned __int128>(h) * m) >> 64));
}

void field::residuesFromBits(uint64_t h, double *y) {
  y[0] = scaleTo(h, kP);
  y[1] = scaleTo(mix64(h + kGamma), kQ);
}

static uint64_t bitsOf(double value) {
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return bits;
}

/// Domain separation between constants and the functions' keys.
static constexpr uint64_t kConstantTag = 0x636f6e7374616e74ULL; // "constant"
static constexpr uint64_t kFunctionTag = 0x66756e6374696f6eULL; // "function"

void field::constantImage(uint64_t key, double value, double *y) {
  if (value == 0) { // +0 and -0: exact.
    y[0] = y[1] = 0;
    return;
  }
  residuesFromBits(mix64(key ^ mix64(bitsOf(value) + kConstantTag)), y);
}

uint64_t field::functionKey(uint64_t key, OpaqueFunction function, double lo,
                            double hi) {
  uint64_t tag = mix64(static_cast<uint64_t>(function) + kFunctionTag);
  if (function == OpaqueFunction::Clamp) {
    // Keyed by the exact bounds; -0 and +0 are the same bound.
    tag ^= mix64(bitsOf(lo == 0 ? 0.0 : lo) + kGamma);
    tag ^= mix64(mix64(bitsOf(hi == 0 ? 0.0 : hi)) + 2 * kGamma);
  }
  return mix64(key ^ tag);
}

/// The residue pair as one word: x[0] < 2^21, x[1] < 2^20.
static uint64_t pairWord(const double *x) {
  return (static_cast<uint64_t>(x[0]) << 21) | static_cast<uint64_t>(x[1]);
}

void field::randomFunction(uint64_t fkey, const double *x, double *y) {
  residuesFromBits(mix64(fkey + mix64(pairWord(x))), y);
}

void field::randomFunction2(uint64_t fkey, const double *a, const double *b,
                            double *y) {
  uint64_t h = mix64(fkey + mix64(pairWord(a)));
  residuesFromBits(mix64(h ^ mix64(pairWord(b) + kGamma)), y);
}
