//===- Floats.h - The emulator's f16/bf16 conversions -----------*- C++ -*-===//
//
// The one place where the emulator depends on the project's rounding
// (round-to-nearest-even straight from double, overflow to infinity,
// gradual underflow): conversions between f16/bf16 bit patterns and
// float/double.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_LIB_EMULATOR_FLOATS_H
#define MIRAGE_LIB_EMULATOR_FLOATS_H

#include "Mirage/Semantics/FloatFormats.h"

#include <cstdint>
#include <cstring>

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
inline float f16ToFloat(uint16_t bits) { return ::mirage::fromF16Bits(bits); }
/// Rounds `value` once to f16 (ties to even).
inline uint16_t doubleToF16(double value) {
  return ::mirage::toF16Bits(::mirage::roundToF16(value));
}
inline float bf16ToFloat(uint16_t bits) {
  return bitsToF32(static_cast<uint32_t>(bits) << 16);
}
/// Rounds `value` once to bf16 (ties to even).
inline uint16_t doubleToBF16(double value) {
  return static_cast<uint16_t>(
      f32ToBits(static_cast<float>(::mirage::roundToBF16(value))) >> 16);
}

} // namespace mirage::emu

#endif // MIRAGE_LIB_EMULATOR_FLOATS_H
