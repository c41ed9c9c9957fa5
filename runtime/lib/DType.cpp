//===- DType.cpp - Element types of bundle tensors ------------------------===//

#include "MirageRuntime/DType.h"

#include <cmath>
#include <cstring>
#include <limits>

using namespace mirage::rt;

const char *mirage::rt::dtypeName(DType dtype) {
  switch (dtype) {
  case DType::F16:
    return "f16";
  case DType::BF16:
    return "bf16";
  case DType::F32:
    return "f32";
  }
  return "?";
}

std::optional<DType> mirage::rt::parseDType(std::string_view name) {
  if (name == "f16")
    return DType::F16;
  if (name == "bf16")
    return DType::BF16;
  if (name == "f32")
    return DType::F32;
  return std::nullopt;
}

size_t mirage::rt::dtypeSize(DType dtype) {
  return dtype == DType::F32 ? 4 : 2;
}

/// Rounds to a binary format with `mantissaBits` stored fraction bits,
/// smallest normal exponent `minExp` and largest finite value `maxFinite`.
/// Scaling by a power of two is exact, so nearbyint (ties to even in the
/// default rounding mode) on the scaled value rounds exactly once. The same
/// algorithm as the interpreter's roundToFormat, on purpose.
static double roundToFormat(double value, int mantissaBits, int minExp,
                            double maxFinite) {
  if (!std::isfinite(value) || value == 0.0)
    return value;
  int exp = std::ilogb(value);
  if (exp < minExp)
    exp = minExp; // subnormal: fixed quantum 2^(minExp - mantissaBits)
  int shift = mantissaBits - exp;
  double rounded = std::ldexp(std::nearbyint(std::ldexp(value, shift)), -shift);
  if (std::fabs(rounded) > maxFinite)
    return std::copysign(std::numeric_limits<double>::infinity(), value);
  return rounded;
}

double mirage::rt::roundToDType(double value, DType dtype) {
  switch (dtype) {
  case DType::F16:
    return roundToFormat(value, 10, -14, 65504.0);
  case DType::BF16:
    return roundToFormat(value, 7, -126, 0x1.fep127);
  case DType::F32:
    return static_cast<double>(static_cast<float>(value));
  }
  return value;
}

uint16_t mirage::rt::toF16Bits(double value) {
  double v = roundToDType(value, DType::F16);
  if (std::isnan(v))
    return 0x7e00;
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

double mirage::rt::fromF16Bits(uint16_t bits) {
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

uint16_t mirage::rt::toBF16Bits(double value) {
  double v = roundToDType(value, DType::BF16);
  if (std::isnan(v))
    return 0x7fc0;
  // Every bfloat16 value is a float whose low 16 bits are zero.
  auto f = static_cast<float>(v);
  uint32_t bits;
  std::memcpy(&bits, &f, 4);
  return static_cast<uint16_t>(bits >> 16);
}

double mirage::rt::fromBF16Bits(uint16_t bits) {
  uint32_t wide = static_cast<uint32_t>(bits) << 16;
  float f;
  std::memcpy(&f, &wide, 4);
  return f;
}
