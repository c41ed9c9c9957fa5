//===- DType.h - Element types of bundle tensors ----------------*- C++ -*-===//
//
// The three element types a bundle may use are the portable ones, shared
// with the compiler (Mirage/Portable/DType.h; rounding and bit patterns in
// Mirage/Portable/FloatFormats.h), named here in the runtime's namespace.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGERUNTIME_DTYPE_H
#define MIRAGERUNTIME_DTYPE_H

#include "Mirage/Portable/DType.h"

namespace mirage::rt {

using portable::DType;
using portable::dtypeBytes;
using portable::dtypeName;
using portable::parseDType;

} // namespace mirage::rt

#endif // MIRAGERUNTIME_DTYPE_H
