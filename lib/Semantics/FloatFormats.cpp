//===- FloatFormats.cpp - f16/bf16/f32 rounding and bit formats -----------===//

#include "Mirage/Semantics/FloatFormats.h"

#include <cmath>
#include <cstring>
#include <limits>

using namespace mirage;

/// Rounds to a binary format with `mantissaBits` stored fraction bits,
/// smallest normal exponent `minExp` (the value 2^minExp) and largest finite
/// value `maxFinite`. Scaling by a power of two is exact, so nearbyint (ties
/// to even in the default rounding mode) on the scaled value rounds exactly
/// once.
static double roundToFormat(double value, int mantissaBits, int minExp,
                            double maxFinite) {
  if (!std::isfinite(value) || value == 0.0)
    return value;
  int exp = std::ilogb(value); // value = m * 2^exp with 1 <= |m| < 2
  if (exp < minExp)
    exp = minExp; // subnormal: fixed quantum 2^(minExp - mantissaBits)
  int shift = mantissaBits - exp;
  double rounded = std::ldexp(std::nearbyint(std::ldexp(value, shift)), -shift);
  if (std::fabs(rounded) > maxFinite)
    return std::copysign(std::numeric_limits<double>::infinity(), value);
  return rounded;
}

double mirage::roundToF16(double value) {
  return roundToFormat(value, 10, -14, 65504.0);
}

double mirage::roundToBF16(double value) {
  return roundToFormat(value, 7, -126, 0x1.fep127);
}

double mirage::roundToDType(double value, DType dtype) {
  switch (dtype) {
  case DType::F16:
    return roundToF16(value);
  case DType::BF16:
    return roundToBF16(value);
  case DType::F32:
    return static_cast<double>(static_cast<float>(value));
  }
  return value;
}

uint16_t mirage::toF16Bits(double value) {
  double v = roundToF16(value);
  uint16_t sign = std::signbit(v) ? 0x8000 : 0;
  if (std::isnan(v))
    return 0x7e00;
  if (std::isinf(v))
    return sign | 0x7c00;
  double a = std::fabs(v);
  if (a == 0.0)
    return sign;
  int exp = std::ilogb(a);
  if (exp < -14) // subnormal: a = frac * 2^-24
    return sign | static_cast<uint16_t>(std::ldexp(a, 24));
  auto frac = static_cast<uint16_t>(std::ldexp(a, 10 - exp) - 1024.0);
  return sign | static_cast<uint16_t>((exp + 15) << 10) | frac;
}

float mirage::fromF16Bits(uint16_t bits) {
  float sign = (bits & 0x8000) ? -1.0f : 1.0f;
  int exp = (bits >> 10) & 0x1f;
  int frac = bits & 0x3ff;
  if (exp == 0)
    return sign * std::ldexp(static_cast<float>(frac), -24);
  if (exp == 31)
    return frac ? std::numeric_limits<float>::quiet_NaN()
                : sign * std::numeric_limits<float>::infinity();
  return sign * std::ldexp(static_cast<float>(frac + 1024), exp - 25);
}
