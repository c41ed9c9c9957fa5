//===- FakeDriver.h - A CUDA driver without a GPU, for tests ----*- C++ -*-===//
//
// Implements the Driver interface in host memory and records what the
// runtime asks of it: the calls in order, each launch with its parameters,
// function attributes, and stream captures. Device memory is host memory
// behind fake addresses, so copies and memsets work; kernels do not run.
// Any call can be made to fail by name (failures["cuLaunchKernel"] = ...).
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGERUNTIME_TEST_FAKEDRIVER_H
#define MIRAGERUNTIME_TEST_FAKEDRIVER_H

#include "MirageRuntime/Driver.h"

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace mirage::rt::test {

class FakeDriver final : public Driver {
public:
  struct Launch {
    std::string kernel;
    std::array<unsigned, 3> grid;
    std::array<unsigned, 3> block;
    unsigned sharedMemBytes;
    CUstream stream;
    std::vector<CUdeviceptr> params;
    /// Recorded into a graph by a capture, not run.
    bool captured = false;
    /// Replayed by cuGraphLaunch.
    bool fromGraph = false;
  };

  struct Allocation {
    std::vector<uint8_t> bytes;
    int device = 0;
    CUmemorytype type = CU_MEMORYTYPE_DEVICE;
  };

  // The simulated machine.
  int deviceCount = 1;
  int computeCapability = 90;
  int sharedMemoryOptin = 232448;
  std::string deviceName = "Fake GPU";
  /// The calling thread's current context (null: none, as in a fresh
  /// process; set it to simulate PyTorch having made one).
  CUcontext currentContext = nullptr;
  int currentContextDevice = 0;
  /// Attributes every function reports.
  int functionMaxThreads = 1024;
  int functionStaticShared = 0;
  int functionRegisters = 32;
  /// The JIT error log written when cuModuleLoadDataEx fails.
  std::string jitLog;
  /// Calls to fail, by CUDA function name, with the result to return.
  std::map<std::string, CUresult> failures;
  /// Results of cuEventElapsedTime, in order (then 1.0).
  std::deque<float> elapsedTimes;

  // What the runtime did.
  std::vector<std::string> calls;
  std::vector<Launch> launches;
  /// (kernel, attribute, value) of every cuFuncSetAttribute.
  std::vector<std::tuple<std::string, CUfunction_attribute, int>> attributes;
  std::string loadedImage;
  std::map<CUdeviceptr, Allocation> memory;
  int primaryRetains = 0;
  int primaryReleases = 0;
  int liveGraphExecs = 0;
  int liveGraphs = 0;
  int liveEvents = 0;
  int liveStreams = 0;
  bool moduleLoaded = false;

  /// Registers host memory the driver knows (as cuMemHostRegister would).
  CUdeviceptr addHostMemory(size_t bytes);
  /// Device memory on another device.
  CUdeviceptr addDeviceMemory(size_t bytes, int device);
  /// The number of calls named `name`.
  int count(const std::string &name) const;
  /// The mode of the last cuStreamBeginCapture.
  CUstreamCaptureMode lastCaptureMode() const { return captureMode; }

  CUresult init(unsigned flags) override;
  CUresult deviceGet(CUdevice *device, int ordinal) override;
  CUresult deviceGetCount(int *count) override;
  CUresult deviceGetName(char *name, int length, CUdevice device) override;
  CUresult deviceGetAttribute(int *value, CUdevice_attribute attribute,
                              CUdevice device) override;
  CUresult devicePrimaryCtxRetain(CUcontext *context, CUdevice device) override;
  CUresult devicePrimaryCtxRelease(CUdevice device) override;
  CUresult ctxGetCurrent(CUcontext *context) override;
  CUresult ctxSetCurrent(CUcontext context) override;
  CUresult ctxGetDevice(CUdevice *device) override;
  CUresult moduleLoadDataEx(CUmodule *module, const void *image,
                            unsigned numOptions, CUjit_option *options,
                            void **optionValues) override;
  CUresult moduleUnload(CUmodule module) override;
  CUresult moduleGetFunction(CUfunction *function, CUmodule module,
                             const char *name) override;
  CUresult funcGetAttribute(int *value, CUfunction_attribute attribute,
                            CUfunction function) override;
  CUresult funcSetAttribute(CUfunction function, CUfunction_attribute attribute,
                            int value) override;
  CUresult memAlloc(CUdeviceptr *pointer, size_t bytes) override;
  CUresult memFree(CUdeviceptr pointer) override;
  CUresult memcpyHtoD(CUdeviceptr dst, const void *src, size_t bytes) override;
  CUresult memcpyDtoH(void *dst, CUdeviceptr src, size_t bytes) override;
  CUresult memsetD8(CUdeviceptr dst, unsigned char value,
                    size_t bytes) override;
  CUresult pointerGetAttribute(void *data, CUpointer_attribute attribute,
                               CUdeviceptr pointer) override;
  CUresult streamCreate(CUstream *stream, unsigned flags) override;
  CUresult streamDestroy(CUstream stream) override;
  CUresult streamSynchronize(CUstream stream) override;
  CUresult eventCreate(CUevent *event, unsigned flags) override;
  CUresult eventDestroy(CUevent event) override;
  CUresult eventRecord(CUevent event, CUstream stream) override;
  CUresult eventSynchronize(CUevent event) override;
  CUresult eventElapsedTime(float *milliseconds, CUevent start,
                            CUevent end) override;
  CUresult launchKernel(CUfunction function, unsigned gridX, unsigned gridY,
                        unsigned gridZ, unsigned blockX, unsigned blockY,
                        unsigned blockZ, unsigned sharedMemBytes,
                        CUstream stream, void **params, void **extra) override;
  CUresult streamBeginCapture(CUstream stream,
                              CUstreamCaptureMode mode) override;
  CUresult streamEndCapture(CUstream stream, CUgraph *graph) override;
  CUresult graphInstantiate(CUgraphExec *exec, CUgraph graph,
                            unsigned long long flags) override;
  CUresult graphLaunch(CUgraphExec exec, CUstream stream) override;
  CUresult graphExecDestroy(CUgraphExec exec) override;
  CUresult graphDestroy(CUgraph graph) override;
  std::string errorString(CUresult result) override;

  /// The number of parameters each kernel takes, by name; launches read
  /// that many pointers from `params`. Unknown names fail
  /// cuModuleGetFunction with CUDA_ERROR_NOT_FOUND.
  std::map<std::string, size_t> kernelParams;

private:
  /// Records the call; returns the configured failure or success.
  CUresult enter(const std::string &name);
  Allocation *find(CUdeviceptr pointer, CUdeviceptr *start = nullptr);

  CUdeviceptr nextAddress = 0x100000;
  std::vector<std::string> functionNames;
  CUstream capturing = nullptr;
  CUstreamCaptureMode captureMode = CU_STREAM_CAPTURE_MODE_GLOBAL;
  /// The launches of each graph and graph exec (by handle index).
  std::vector<std::vector<Launch>> graphs;
  std::vector<std::vector<Launch>> graphExecs;
  uintptr_t nextHandle = 0x1000;
};

} // namespace mirage::rt::test

#endif // MIRAGERUNTIME_TEST_FAKEDRIVER_H
