//===- Npy.h - Minimal .npy reader and writer -------------------*- C++ -*-===//
//
// NumPy's .npy format (version 1.0 and 2.0 headers), C order, little-endian
// float16, float32 and float64. NumPy has no bfloat16: bf16 tensors are
// written as float32 (every bf16 value is exact in float32) and read from
// float32 files, rounded to bf16.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_SEMANTICS_NPY_H
#define MIRAGE_SEMANTICS_NPY_H

#include "Mirage/Semantics/Interpreter.h"

#include "llvm/ADT/StringRef.h"

namespace mirage {

/// Reads a float tensor; values are rounded to `dtype`.
llvm::Expected<Tensor> readNpy(llvm::StringRef path, DType dtype);
/// Writes a float tensor as float16 (f16) or float32 (f32, bf16).
llvm::Error writeNpy(llvm::StringRef path, const Tensor &tensor);

} // namespace mirage

#endif // MIRAGE_SEMANTICS_NPY_H
