//===- Npy.h - The .npy codec -----------------------------------*- C++ -*-===//
//
// Inputs and outputs travel as NumPy .npy files: the interpreter
// (`mirage-opt --mirage-interpret`), mirage-cpu-runner and the GPU runtime
// (mirage-run, the Python wrapper) read and write them with this one codec,
// so that a file one of them writes is byte for byte the file another would
// write (test/Runtime compares them). Standard C++17 only: the runtime
// compiles lib/Portable/ too.
//
// Read: format versions 1.0, 2.0 and 3.0, little-endian, C order, elements
// '<f2', '<f4' or '<f8' read into any element type (each value rounded once
// to it), and for bf16 tensors '<u2' or '<i2' holding raw bfloat16 bit
// patterns (NumPy has no bfloat16; torch: `t.view(torch.int16).numpy()`).
// The file is untrusted: the header is parsed as the Python literal it is,
// and the data must be exactly what the shape needs, checked before
// anything of that size is allocated.
//
// Write: f16 tensors as '<f2', bf16 and f32 tensors as '<f4' (every bf16
// value is exact in float32), a version 1.0 header (2.0 when it is over
// 65535 bytes) padded so that the data starts at a multiple of 64 bytes, as
// NumPy writes it.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_PORTABLE_NPY_H
#define MIRAGE_PORTABLE_NPY_H

#include "Mirage/Portable/DType.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mirage::portable {

/// The element encodings of the .npy files read and written.
enum class NpyElement : uint8_t {
  F16,      ///< '<f2'
  F32,      ///< '<f4'
  F64,      ///< '<f8'
  BF16Bits, ///< '<u2' or '<i2': bfloat16 bit patterns (bf16 tensors only)
};

/// Bytes per element of `element`.
unsigned npyElementBytes(NpyElement element);

/// A parsed .npy file; `data` points into the bytes given to parseNpy.
struct NpyArray {
  NpyElement element = NpyElement::F32;
  /// The header's descr ("<f4", ...).
  std::string descr;
  std::vector<int64_t> shape;
  int64_t numElements = 0;
  const char *data = nullptr;

  /// Element `i` (flat, row-major) as a double, exactly (BF16Bits: the
  /// bfloat16 value of its bits).
  double value(int64_t i) const;
  /// The bit pattern of element `i` of a 2-byte encoding (F16, BF16Bits).
  uint16_t bits16(int64_t i) const;
};

/// Parses the bytes of a .npy file to be read as a tensor of `dtype`. On
/// failure returns false and sets `error` to the problem, e.g. "truncated
/// data: shape [3] needs 12 bytes, the file holds 8" (the caller puts the
/// file's name in front). The data must be exactly what the shape needs;
/// a shape of more than `maxRank` dimensions is refused.
bool parseNpy(std::string_view bytes, DType dtype, NpyArray &array,
              std::string &error, size_t maxRank = SIZE_MAX);

/// The encoding a tensor of `dtype` is written with: F16 for f16, F32 for
/// bf16 and f32.
NpyElement npyElementFor(DType dtype);

/// Everything before the data of a file of `shape` in `element` (not
/// BF16Bits): magic, version, header length and the padded header dict.
std::string formatNpyHeader(NpyElement element,
                            const std::vector<int64_t> &shape);

/// Appends `value` encoded as `element` to `out`: F16 rounded to binary16,
/// F32 to float, F64 as is, BF16Bits rounded to bfloat16.
void appendNpyValue(std::string &out, NpyElement element, double value);

/// A shape as "[2, 3]".
std::string formatNpyShape(const std::vector<int64_t> &shape);

} // namespace mirage::portable

#endif // MIRAGE_PORTABLE_NPY_H
