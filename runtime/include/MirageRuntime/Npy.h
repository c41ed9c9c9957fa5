//===- Npy.h - .npy reader and writer ---------------------------*- C++ -*-===//
//
// Inputs and reference outputs travel as NumPy .npy files. The codec is the
// one of the interpreter (Mirage/Portable/Npy.h: versions 1, 2 and 3,
// little-endian, C order; '<f2', '<f4' and '<f8' files read into any dtype,
// each value rounded once; bf16 written as '<f4' and also read from '<u2' or
// '<i2' raw bit patterns); these functions read it into host tensors.
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
