//===- Npy.h - .npy reader and writer ---------------------------*- C++ -*-===//
//
// Inputs and reference outputs travel as NumPy .npy files (format versions
// 1, 2 and 3, little-endian, C order). The element type of the file need
// not be the tensor's: like the interpreter's reader, '<f2', '<f4' and '<f8'
// files are read into any dtype, each value rounded once to the dtype.
//
// bf16 convention. NumPy has no bfloat16, so bf16 tensors are written as
// '<f4' holding the exact bf16 values (as the interpreter writes its bf16
// outputs), and a bf16 tensor may also be read from '<u2' or '<i2' files,
// whose elements are then the raw bf16 bit patterns (torch:
// `t.view(torch.int16).numpy()`). '<u2'/'<i2' files are refused for f16 and
// f32 tensors, where bit patterns would be ambiguous.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGERUNTIME_NPY_H
#define MIRAGERUNTIME_NPY_H

#include "MirageRuntime/Error.h"
#include "MirageRuntime/HostTensor.h"

#include <string>

namespace mirage::rt {

/// Reads `path` as a tensor of `dtype`. Errors name the file.
Expected<HostTensor> readNpy(const std::string &path, DType dtype);

/// Parses the bytes of a .npy file; `name` is used in errors.
Expected<HostTensor> parseNpy(const std::string &bytes, DType dtype,
                              const std::string &name);

/// Writes `tensor` to `path` ('<f2' for f16, '<f4' for f32 and bf16).
Status writeNpy(const std::string &path, const HostTensor &tensor);

/// The bytes writeNpy writes.
std::string formatNpy(const HostTensor &tensor);

} // namespace mirage::rt

#endif // MIRAGERUNTIME_NPY_H
