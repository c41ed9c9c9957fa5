//===- FloatFormats.h - f16/bf16/f32 rounding and bit formats ---*- C++ -*-===//
//
// The float number system of the interpreter computes every op in double and
// rounds its result to the op's element type. The rounding here is
// round-to-nearest-even straight from double (no double rounding through
// float), with overflow to infinity and gradual underflow, as IEEE 754
// prescribes for binary16, bfloat16 and binary32.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_SEMANTICS_FLOATFORMATS_H
#define MIRAGE_SEMANTICS_FLOATFORMATS_H

#include "Mirage/Core/UGraph.h"

#include <cstdint>

namespace mirage {

/// Rounds `value` to the nearest binary16 value (ties to even).
double roundToF16(double value);
/// Rounds `value` to the nearest bfloat16 value (ties to even).
double roundToBF16(double value);
/// Rounds `value` to `dtype`.
double roundToDType(double value, DType dtype);

/// The binary16 bit pattern of a value that is exactly representable (for
/// example a result of roundToF16); other values are rounded first.
uint16_t toF16Bits(double value);
/// The value of a binary16 bit pattern.
float fromF16Bits(uint16_t bits);

} // namespace mirage

#endif // MIRAGE_SEMANTICS_FLOATFORMATS_H
