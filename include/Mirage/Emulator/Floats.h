//===- Floats.h - The emulator's f16/bf16 conversions -----------*- C++ -*-===//
//
// The one place where the emulator depends on the project's rounding
// (round-to-nearest-even straight from double, overflow to infinity,
// gradual underflow): conversions between f16/bf16 bit patterns and
// float/double.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_EMULATOR_FLOATS_H
#define MIRAGE_EMULATOR_FLOATS_H

#include "Mirage/Portable/FloatFormats.h"

#include <cstdint>
#include <cstring>
#include <vector>

namespace mirage::emu {

inline float bitsToF32(uint32_t bits) {
  float f;
  std::memcpy(&f, &bits, 4);
  return f;
}
inline uint32_t f32ToBits(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, 4);
  return bits;
}
/// The value of an f16 bit pattern (a table built once from the project's
/// conversion).
inline float f16ToFloat(uint16_t bits) {
  static const std::vector<float> table = [] {
    std::vector<float> t(1 << 16);
    for (uint32_t i = 0; i < (1u << 16); ++i)
      t[i] = ::mirage::portable::fromF16Bits(static_cast<uint16_t>(i));
    return t;
  }();
  return table[bits];
}
/// Rounds `value` once to f16 (ties to even, overflow to infinity, gradual
/// underflow): the project's roundToF16 + toF16Bits, computed on the bits
/// (unittests/Emulator checks that they agree). mirage-ptx-emu converts
/// its inputs and outputs with these too..
inline uint16_t doubleToF16(double value) {
  uint64_t b;
  std::memcpy(&b, &value, 8);
  uint16_t sign = static_cast<uint16_t>((b >> 48) & 0x8000);
  uint64_t magnitude = b & 0x7fffffffffffffffULL;
  if (magnitude >= 0x7ff0000000000000ULL) // inf, NaN
    return magnitude > 0x7ff0000000000000ULL ? 0x7e00 : sign | 0x7c00;
  int exponent = static_cast<int>(magnitude >> 52) - 1023;
  if (exponent >= 16)
    return sign | 0x7c00;
  if (exponent < -26) // below half the smallest subnormal
    return sign;
  uint64_t mantissa =
      (magnitude & ((uint64_t(1) << 52) - 1)) | (uint64_t(1) << 52);
  int halfExponent = exponent + 15;
  int shift = halfExponent >= 1 ? 42 : 42 + 1 - halfExponent;
  uint64_t kept = mantissa >> shift;
  uint64_t rest = mantissa & ((uint64_t(1) << shift) - 1);
  uint64_t halfway = uint64_t(1) << (shift - 1);
  if (rest > halfway || (rest == halfway && (kept & 1)))
    ++kept;
  uint64_t result = halfExponent >= 1
                        ? (static_cast<uint64_t>(halfExponent) << 10) + kept -
                              (uint64_t(1) << 10)
                        : kept;
  if (result >= 0x7c00)
    return sign | 0x7c00;
  return sign | static_cast<uint16_t>(result);
}
/// The slow reference of doubleToF16, for tests.
inline uint16_t doubleToF16Reference(double value) {
  return ::mirage::portable::toF16Bits(::mirage::portable::roundToF16(value));
}
inline float bf16ToFloat(uint16_t bits) {
  return bitsToF32(static_cast<uint32_t>(bits) << 16);
}
/// Rounds `value` once to bf16 (ties to even).
inline uint16_t doubleToBF16(double value) {
  return static_cast<uint16_t>(
      f32ToBits(static_cast<float>(::mirage::portable::roundToBF16(value))) >>
      16);
}

} // namespace mirage::emu

#endif // MIRAGE_EMULATOR_FLOATS_H
