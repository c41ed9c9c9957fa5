//===- FloatFormats.cpp - f16/bf16/f32 rounding and bit formats -----------===//
//
// Standard C++17 only: the GPU runtime compiles this file too.
//
//===----------------------------------------------------------------------===//

#include "Mirage/Portable/FloatFormats.h"

#include <cmath>
#include <cstring>
#include <limits>

using namespace mirage::portable;

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

double mirage::portable::roundToF16(double value) {
  return roundToFormat(value, 10, -14, 65504.0);
}

double mirage::portable::roundToBF16(double value) {
  return roundToFormat(value, 7, -126, 0x1.fep127);
}

double mirage::portable::roundToDType(double value, DType dtype) {
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

uint16_t mirage::portable::toF16Bits(double value) {
  double v = roundToF16(value);
  if (std::isnan(v))
    return kF16QuietNaN;
  uint16_t sign = std::signbit(v) ? 0x8000 : 0;
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

double mirage::portable::fromF16Bits(uint16_t bits) {
  double sign = (bits & 0x8000) ? -1.0 : 1.0;
  int exp = (bits >> 10) & 0x1f;
  int frac = bits & 0x3ff;
  if (exp == 0)
    return sign * std::ldexp(static_cast<double>(frac), -24);
  if (exp == 31)
    return frac ? std::numeric_limits<double>::quiet_NaN()
                : sign * std::numeric_limits<double>::infinity();
  return sign * std::ldexp(static_cast<double>(frac + 1024), exp - 25);
}

uint16_t mirage::portable::toBF16Bits(double value) {
  double v = roundToBF16(value);
  if (std::isnan(v))
    return kBF16QuietNaN;
  // Every bfloat16 value is a float whose low 16 bits are zero.
  auto f = static_cast<float>(v);
  uint32_t bits;
  std::memcpy(&bits, &f, 4);
  return static_cast<uint16_t>(bits >> 16);
}

double mirage::portable::fromBF16Bits(uint16_t bits) {
  uint32_t wide = static_cast<uint32_t>(bits) << 16;
  float f;
  std::memcpy(&f, &wide, 4);
  return f;
}

uint16_t mirage::portable::exactF16Bits(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  auto sign = static_cast<uint16_t>((bits >> 16) & 0x8000);
  uint32_t exponent = (bits >> 23) & 0xff;
  uint32_t mantissa = bits & 0x7fffff;
  if (exponent == 0xff) // infinity or NaN
    return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  int unbiased = static_cast<int>(exponent) - 127;
  if (exponent == 0 || unbiased < -24) // zero
    return sign;
  if (unbiased >= -14) // normal
    return sign |
           static_cast<uint16_t>(((unbiased + 15) << 10) | (mantissa >> 13));
  // Subnormal: the value is m * 2^-24 with m = 1.mantissa * 2^(unbiased+24).
  return sign |
         static_cast<uint16_t>((0x800000 | mantissa) >> (-unbiased - 14 + 13));
}
