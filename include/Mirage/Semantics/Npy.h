//===- Npy.h - .npy files as interpreter tensors ----------------*- C++ -*-===//
//
// The interpreter's inputs and outputs as NumPy .npy files, with the one
// codec of Mirage-MLIR (Mirage/Portable/Npy.h, shared with the GPU runtime):
// '<f2', '<f4' and '<f8' files (and, for bf16, '<u2'/'<i2' bit patterns)
// are read into any dtype, each value rounded once; f16 tensors are written
// as '<f2', bf16 and f32 tensors as '<f4' (every bf16 value is exact in
// float32).
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_SEMANTICS_NPY_H
#define MIRAGE_SEMANTICS_NPY_H

#include "Mirage/Semantics/Interpreter.h"

#include "llvm/ADT/StringRef.h"

namespace mirage {

/// Reads a float tensor of at most kMaxRank dimensions; values are rounded
/// to `dtype`. Errors name the file.
llvm::Expected<Tensor> readNpy(llvm::StringRef path, DType dtype);
/// Writes a float tensor as float16 (f16) or float32 (f32, bf16).
llvm::Error writeNpy(llvm::StringRef path, const Tensor &tensor);

} // namespace mirage

#endif // MIRAGE_SEMANTICS_NPY_H
