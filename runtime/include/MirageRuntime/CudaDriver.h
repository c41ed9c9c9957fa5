//===- CudaDriver.h - The driver interface on libcuda.so.1 ------*- C++ -*-===//
//
// The real Driver: opens libcuda.so.1 with dlopen and resolves every
// function it forwards to. Nothing links against libcuda, so a binary of the
// runtime starts on a machine without an NVIDIA driver and says so.
// MIRAGE_LIBCUDA overrides the library path (the tests point it at a path
// that does not exist to check the "no CUDA driver" message on any host).
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGERUNTIME_CUDADRIVER_H
#define MIRAGERUNTIME_CUDADRIVER_H

#include "MirageRuntime/Driver.h"
#include "MirageRuntime/Error.h"

#include <memory>

namespace mirage::rt {

/// Opens the driver library. Fails with a message that starts with "no CUDA
/// driver" when the library cannot be opened, and names the missing symbol
/// when the driver is too old.
Expected<std::unique_ptr<Driver>> openCudaDriver();

} // namespace mirage::rt

#endif // MIRAGERUNTIME_CUDADRIVER_H
