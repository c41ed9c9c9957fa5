//===- FloatFormats.h - f16/bf16/f32 rounding and bit formats ---*- C++ -*-===//
//
// Rounding to the element types and their bit patterns, shared by the
// interpreter (which computes every op in double and rounds its result to
// the op's element type), mirage-cpu-runner and the GPU runtime (whose
// seeded inputs must be bit-identical to the interpreter's). Standard C++17
// only: the runtime compiles lib/Portable/ too.
//
// The rounding is round-to-nearest-even straight from double (never through
// float, which would round twice), with overflow to infinity and gradual
// underflow, as IEEE 754 prescribes for binary16, bfloat16 and binary32.
// NaN stays NaN; bit patterns of NaN are the canonical quiet NaNs below.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_PORTABLE_FLOATFORMATS_H
#define MIRAGE_PORTABLE_FLOATFORMATS_H

#include "Mirage/Portable/DType.h"

#include <cstdint>

namespace mirage::portable {

/// The quiet NaN that the conversions to bits produce.
inline constexpr uint16_t kF16QuietNaN = 0x7e00;
inline constexpr uint16_t kBF16QuietNaN = 0x7fc0;
inline constexpr uint32_t kF32QuietNaN = 0x7fc00000;

/// Rounds `value` to the nearest binary16 value (ties to even).
double roundToF16(double value);
/// Rounds `value` to the nearest bfloat16 value (ties to even).
double roundToBF16(double value);
/// Rounds `value` to the nearest value of `dtype` (ties to even).
double roundToDType(double value, DType dtype);

/// The binary16 bit pattern of `value` rounded to binary16, and the value
/// of a bit pattern.
uint16_t toF16Bits(double value);
double fromF16Bits(uint16_t bits);

/// The bfloat16 bit pattern of `value` rounded to bfloat16, and the value
/// of a bit pattern.
uint16_t toBF16Bits(double value);
double fromBF16Bits(uint16_t bits);

/// The binary16 bits of a float that is exactly a binary16 value (as every
/// interpreter value of an f16 tensor is) by bit moves alone, much faster
/// than toF16Bits; the sign and the quiet bit of a NaN are kept. For a
/// float that is not a binary16 value the result is truncated, not rounded.
uint16_t exactF16Bits(float value);

} // namespace mirage::portable

#endif // MIRAGE_PORTABLE_FLOATFORMATS_H
