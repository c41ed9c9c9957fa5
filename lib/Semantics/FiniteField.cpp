//===- FiniteField.cpp - The fingerprint number system Z_p x Z_q ----------===//

#include "Mirage/Semantics/FiniteField.h"

#include <array>

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

double field::dyadicImage(double value, unsigned lane) {
  if (!std::isfinite(value) || value == 0)
    return 0;
  int exp;
  double frac = std::frexp(std::fabs(value), &exp); // |value| = frac * 2^exp
  // frac * 2^53 is an integer below 2^53; |value| = that * 2^(exp - 53).
  auto mantissa = static_cast<uint64_t>(std::ldexp(frac, 53));
  int shift = exp - 53;
  double m = modulus(lane);
  double r =
      reduce(static_cast<double>(mantissa % static_cast<uint64_t>(m)), lane);
  double two = shift >= 0 ? 2 : inverse(2, lane);
  r = mul(r,
          power(two, static_cast<uint64_t>(shift >= 0 ? shift : -shift), lane),
          lane);
  return value < 0 ? neg(r, lane) : r;
}
