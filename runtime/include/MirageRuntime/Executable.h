//===- Executable.h - A bundle loaded on a device ---------------*- C++ -*-===//
//
// An Executable is a bundle whose PTX is loaded on one CUDA context, with
// its kernels resolved, their shared-memory limits raised, and its
// workspace allocated. run() checks a call's tensors and launches the
// kernels in the manifest's order on a stream; capture() records the same
// launches into a CUDA graph. All driver calls go through a Driver, so this
// code is tested with a fake driver on machines without a GPU.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGERUNTIME_EXECUTABLE_H
#define MIRAGERUNTIME_EXECUTABLE_H

#include "MirageRuntime/Arguments.h"
#include "MirageRuntime/Bundle.h"
#include "MirageRuntime/Driver.h"
#include "MirageRuntime/Error.h"

#include <memory>
#include <string>
#include <vector>

namespace mirage::rt {

/// A CUDA graph of one run, instantiated and ready to launch.
class CapturedGraph {
public:
  CapturedGraph(Driver &driver, CUgraphExec exec)
      : driver(driver), exec(exec) {}
  ~CapturedGraph();
  CapturedGraph(const CapturedGraph &) = delete;
  CapturedGraph &operator=(const CapturedGraph &) = delete;

  Status launch(CUstream stream);

private:
  Driver &driver;
  CUgraphExec exec;
};

class Executable {
public:
  /// Loads `bundle` with `driver`, which must outlive the Executable. The
  /// context is the calling thread's current one when it belongs to
  /// `deviceOrdinal` (or when `deviceOrdinal` is -1), so that the runtime
  /// shares PyTorch's context; otherwise the device's primary context,
  /// retained until destruction. -1 with no current context means device 0.
  static Expected<std::unique_ptr<Executable>>
  create(const Bundle &bundle, Driver &driver, int deviceOrdinal = -1);
  ~Executable();
  Executable(const Executable &) = delete;
  Executable &operator=(const Executable &) = delete;

  /// Checks the tensors, then launches every kernel in order on `stream`.
  /// Asynchronous: nothing waits for the kernels.
  Status run(const std::vector<TensorArg> &inputs,
             const std::vector<TensorArg> &outputs, CUstream stream);

  /// Launches without checking; only for tensors that passed run() or
  /// checkCall() before (timing loops).
  Status launch(const std::vector<TensorArg> &inputs,
                const std::vector<TensorArg> &outputs, CUstream stream);

  /// The checks of run() alone.
  Status checkCall(const std::vector<TensorArg> &inputs,
                   const std::vector<TensorArg> &outputs);

  /// Checks the tensors and captures one run on `stream` (a created
  /// stream: the legacy default stream cannot be captured) into a graph.
  Expected<std::unique_ptr<CapturedGraph>>
  capture(const std::vector<TensorArg> &inputs,
          const std::vector<TensorArg> &outputs, CUstream stream);

  /// Makes the Executable's context current on the calling thread.
  Status makeCurrent();

  const Manifest &getManifest() const { return manifest; }
  CUdevice getDevice() const { return device; }
  CUcontext getContext() const { return context; }
  CUdeviceptr getWorkspace() const { return workspace; }
  /// "NVIDIA H100 80GB HBM3 (sm_90)".
  const std::string &getDeviceDescription() const { return deviceDescription; }

private:
  Executable(Driver &driver, Manifest manifest)
      : driver(driver), manifest(std::move(manifest)) {}

  Status openContext(int deviceOrdinal);
  Status checkDevice();
  Status loadModule(const Bundle &bundle);
  Status prepareKernels();
  Status allocateWorkspace();
  Status driverError(const std::string &what, CUresult result);

  Driver &driver;
  Manifest manifest;
  CUdevice device = 0;
  CUcontext context = nullptr;
  bool retainedPrimary = false;
  CUmodule module = nullptr;
  /// One function per manifest kernel, in order.
  std::vector<CUfunction> functions;
  CUdeviceptr workspace = 0;
  std::string deviceDescription;
};

} // namespace mirage::rt

#endif // MIRAGERUNTIME_EXECUTABLE_H
