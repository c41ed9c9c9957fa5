//===- Arguments.h - Checking the tensors of a call -------------*- C++ -*-===//
//
// Before a launch the runtime checks every tensor of the call against the
// manifest's signature: how many there are, each shape and dtype, the
// layout (dense row-major, since kernels index with the manifest's
// strides), and, through the driver, that each pointer is device memory on
// the bundle's device, 16-byte aligned, large enough for the tensor, and
// that no output
// overlaps another argument. A wrong call is an error message, never a
// launch, e.g.
//   input 1: expected shape [4096, 6144] f16, got [4096, 6144] f32
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGERUNTIME_ARGUMENTS_H
#define MIRAGERUNTIME_ARGUMENTS_H

#include "MirageRuntime/Driver.h"
#include "MirageRuntime/Error.h"
#include "MirageRuntime/Manifest.h"

#include <vector>

namespace mirage::rt {

/// Every tensor pointer must be aligned to this many bytes: the kernels
/// move 16-byte vectors (docs/Lowering.md).
constexpr CUdeviceptr kRequiredAlignment = 16;

/// A tensor in device memory, as a caller passes it.
struct TensorArg {
  CUdeviceptr data = 0;
  DType dtype = DType::F16;
  Shape shape;
  /// In elements; empty means dense row-major.
  Shape strides;

  size_t byteSize() const {
    return static_cast<size_t>(numElements(shape)) * dtypeBytes(dtype);
  }
};

/// Counts, shapes, dtypes and layouts; needs no driver.
Status checkSignature(const Manifest &manifest,
                      const std::vector<TensorArg> &inputs,
                      const std::vector<TensorArg> &outputs);

/// Device pointers: device memory on `device`, large enough, outputs not
/// overlapping any other argument. Run after checkSignature.
Status checkPointers(const std::vector<TensorArg> &inputs,
                     const std::vector<TensorArg> &outputs, Driver &driver,
                     CUdevice device);

} // namespace mirage::rt

#endif // MIRAGERUNTIME_ARGUMENTS_H
