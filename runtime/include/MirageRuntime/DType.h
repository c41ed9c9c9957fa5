//===- DType.h - Element types of bundle tensors ----------------*- C++ -*-===//
//
// The three element types a bundle may use, and the conversions between
// doubles and their bit patterns. Rounding from double is round-to-nearest-
// even straight from double (never through float, which would round twice),
// with overflow to infinity and gradual underflow: the same rule as the
// interpreter (lib/Semantics/FloatFormats.cpp), so that random inputs made
// here are bit-identical to the interpreter's.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGERUNTIME_DTYPE_H
#define MIRAGERUNTIME_DTYPE_H

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace mirage::rt {

enum class DType : int { F16 = 0, BF16 = 1, F32 = 2 };

/// "f16", "bf16", "f32": the manifest's spelling.
const char *dtypeName(DType dtype);
/// Parses the manifest's spelling.
std::optional<DType> parseDType(std::string_view name);
/// Bytes per element.
size_t dtypeSize(DType dtype);

/// Rounds to the nearest value of `dtype` (ties to even).
double roundToDType(double value, DType dtype);

/// binary16 and bfloat16 bit patterns of `value` rounded to the type, and
/// back. NaN becomes the canonical quiet NaN.
uint16_t toF16Bits(double value);
double fromF16Bits(uint16_t bits);
uint16_t toBF16Bits(double value);
double fromBF16Bits(uint16_t bits);

} // namespace mirage::rt

#endif // MIRAGERUNTIME_DTYPE_H
