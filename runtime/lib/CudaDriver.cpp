//===- CudaDriver.cpp - The driver interface on libcuda.so.1 --------------===//

#include "MirageRuntime/CudaDriver.h"

#include <cstdlib>
#include <dlfcn.h>
#include <initializer_list>

using namespace mirage::rt;

// cuda.h maps many names to versioned symbols (cuMemAlloc -> cuMemAlloc_v2).
// Expanding the macro before stringizing gives the symbol that matches the
// prototype we call through.
#define MIRAGE_RT_STR2(x) #x
#define MIRAGE_RT_STR(x) MIRAGE_RT_STR2(x)

namespace {
/// Function pointers, typed by the cuda.h prototypes.
struct Api {
  decltype(&::cuInit) init = nullptr;
  decltype(&::cuGetErrorName) getErrorName = nullptr;
  decltype(&::cuGetErrorString) getErrorString = nullptr;
  decltype(&::cuDeviceGet) deviceGet = nullptr;
  decltype(&::cuDeviceGetCount) deviceGetCount = nullptr;
  decltype(&::cuDeviceGetName) deviceGetName = nullptr;
  decltype(&::cuDeviceGetAttribute) deviceGetAttribute = nullptr;
  decltype(&::cuDevicePrimaryCtxRetain) devicePrimaryCtxRetain = nullptr;
  decltype(&::cuDevicePrimaryCtxRelease) devicePrimaryCtxRelease = nullptr;
  decltype(&::cuCtxGetCurrent) ctxGetCurrent = nullptr;
  decltype(&::cuCtxSetCurrent) ctxSetCurrent = nullptr;
  decltype(&::cuCtxGetDevice) ctxGetDevice = nullptr;
  decltype(&::cuModuleLoadDataEx) moduleLoadDataEx = nullptr;
  decltype(&::cuModuleUnload) moduleUnload = nullptr;
  decltype(&::cuModuleGetFunction) moduleGetFunction = nullptr;
  decltype(&::cuFuncGetAttribute) funcGetAttribute = nullptr;
  decltype(&::cuFuncSetAttribute) funcSetAttribute = nullptr;
  decltype(&::cuMemAlloc) memAlloc = nullptr;
  decltype(&::cuMemFree) memFree = nullptr;
  decltype(&::cuMemcpyHtoD) memcpyHtoD = nullptr;
  decltype(&::cuMemcpyDtoH) memcpyDtoH = nullptr;
  decltype(&::cuMemsetD8) memsetD8 = nullptr;
  decltype(&::cuPointerGetAttribute) pointerGetAttribute = nullptr;
  decltype(&::cuStreamCreate) streamCreate = nullptr;
  decltype(&::cuStreamDestroy) streamDestroy = nullptr;
  decltype(&::cuStreamSynchronize) streamSynchronize = nullptr;
  decltype(&::cuEventCreate) eventCreate = nullptr;
  decltype(&::cuEventDestroy) eventDestroy = nullptr;
  decltype(&::cuEventRecord) eventRecord = nullptr;
  decltype(&::cuEventSynchronize) eventSynchronize = nullptr;
  decltype(&::cuEventElapsedTime) eventElapsedTime = nullptr;
  decltype(&::cuLaunchKernel) launchKernel = nullptr;
  decltype(&::cuStreamBeginCapture) streamBeginCapture = nullptr;
  decltype(&::cuStreamEndCapture) streamEndCapture = nullptr;
  decltype(&::cuGraphInstantiate) graphInstantiate = nullptr;
  decltype(&::cuGraphLaunch) graphLaunch = nullptr;
  decltype(&::cuGraphExecDestroy) graphExecDestroy = nullptr;
  decltype(&::cuGraphDestroy) graphDestroy = nullptr;
};

class CudaDriver final : public Driver {
public:
  // The library is never closed: the driver's own exit handlers live in it.
  explicit CudaDriver(const Api &api) : api(api) {}

  CUresult init(unsigned flags) override { return api.init(flags); }
  CUresult deviceGet(CUdevice *device, int ordinal) override {
    return api.deviceGet(device, ordinal);
  }
  CUresult deviceGetCount(int *count) override {
    return api.deviceGetCount(count);
  }
  CUresult deviceGetName(char *name, int length, CUdevice device) override {
    return api.deviceGetName(name, length, device);
  }
  CUresult deviceGetAttribute(int *value, CUdevice_attribute attribute,
                              CUdevice device) override {
    return api.deviceGetAttribute(value, attribute, device);
  }
  CUresult devicePrimaryCtxRetain(CUcontext *context,
                                  CUdevice device) override {
    return api.devicePrimaryCtxRetain(context, device);
  }
  CUresult devicePrimaryCtxRelease(CUdevice device) override {
    return api.devicePrimaryCtxRelease(device);
  }
  CUresult ctxGetCurrent(CUcontext *context) override {
    return api.ctxGetCurrent(context);
  }
  CUresult ctxSetCurrent(CUcontext context) override {
    return api.ctxSetCurrent(context);
  }
  CUresult ctxGetDevice(CUdevice *device) override {
    return api.ctxGetDevice(device);
  }
  CUresult moduleLoadDataEx(CUmodule *module, const void *image,
                            unsigned numOptions, CUjit_option *options,
                            void **optionValues) override {
    return api.moduleLoadDataEx(module, image, numOptions, options,
                                optionValues);
  }
  CUresult moduleUnload(CUmodule module) override {
    return api.moduleUnload(module);
  }
  CUresult moduleGetFunction(CUfunction *function, CUmodule module,
                             const char *name) override {
    return api.moduleGetFunction(function, module, name);
  }
  CUresult funcGetAttribute(int *value, CUfunction_attribute attribute,
                            CUfunction function) override {
    return api.funcGetAttribute(value, attribute, function);
  }
  CUresult funcSetAttribute(CUfunction function, CUfunction_attribute attribute,
                            int value) override {
    return api.funcSetAttribute(function, attribute, value);
  }
  CUresult memAlloc(CUdeviceptr *pointer, size_t bytes) override {
    return api.memAlloc(pointer, bytes);
  }
  CUresult memFree(CUdeviceptr pointer) override {
    return api.memFree(pointer);
  }
  CUresult memcpyHtoD(CUdeviceptr dst, const void *src, size_t bytes) override {
    return api.memcpyHtoD(dst, src, bytes);
  }
  CUresult memcpyDtoH(void *dst, CUdeviceptr src, size_t bytes) override {
    return api.memcpyDtoH(dst, src, bytes);
  }
  CUresult memsetD8(CUdeviceptr dst, unsigned char value,
                    size_t bytes) override {
    return api.memsetD8(dst, value, bytes);
  }
  CUresult pointerGetAttribute(void *data, CUpointer_attribute attribute,
                               CUdeviceptr pointer) override {
    return api.pointerGetAttribute(data, attribute, pointer);
  }
  CUresult streamCreate(CUstream *stream, unsigned flags) override {
    return api.streamCreate(stream, flags);
  }
  CUresult streamDestroy(CUstream stream) override {
    return api.streamDestroy(stream);
  }
  CUresult streamSynchronize(CUstream stream) override {
    return api.streamSynchronize(stream);
  }
  CUresult eventCreate(CUevent *event, unsigned flags) override {
    return api.eventCreate(event, flags);
  }
  CUresult eventDestroy(CUevent event) override {
    return api.eventDestroy(event);
  }
  CUresult eventRecord(CUevent event, CUstream stream) override {
    return api.eventRecord(event, stream);
  }
  CUresult eventSynchronize(CUevent event) override {
    return api.eventSynchronize(event);
  }
  CUresult eventElapsedTime(float *milliseconds, CUevent start,
                            CUevent end) override {
    return api.eventElapsedTime(milliseconds, start, end);
  }
  CUresult launchKernel(CUfunction function, unsigned gridX, unsigned gridY,
                        unsigned gridZ, unsigned blockX, unsigned blockY,
                        unsigned blockZ, unsigned sharedMemBytes,
                        CUstream stream, void **params, void **extra) override {
    return api.launchKernel(function, gridX, gridY, gridZ, blockX, blockY,
                            blockZ, sharedMemBytes, stream, params, extra);
  }
  CUresult streamBeginCapture(CUstream stream,
                              CUstreamCaptureMode mode) override {
    return api.streamBeginCapture(stream, mode);
  }
  CUresult streamEndCapture(CUstream stream, CUgraph *graph) override {
    return api.streamEndCapture(stream, graph);
  }
  CUresult graphInstantiate(CUgraphExec *exec, CUgraph graph,
                            unsigned long long flags) override {
    return api.graphInstantiate(exec, graph, flags);
  }
  CUresult graphLaunch(CUgraphExec exec, CUstream stream) override {
    return api.graphLaunch(exec, stream);
  }
  CUresult graphExecDestroy(CUgraphExec exec) override {
    return api.graphExecDestroy(exec);
  }
  CUresult graphDestroy(CUgraph graph) override {
    return api.graphDestroy(graph);
  }

  std::string errorString(CUresult result) override {
    const char *name = nullptr, *text = nullptr;
    api.getErrorName(result, &name);
    api.getErrorString(result, &text);
    std::string out = name ? name : "CUDA error " + std::to_string(result);
    if (text)
      out += std::string(" (") + text + ")";
    return out;
  }

private:
  Api api;
};

/// Resolves `fn` to the first of `names` the library has.
template <typename F>
bool resolve(void *library, F &fn, std::initializer_list<const char *> names) {
  for (const char *name : names)
    if (void *symbol = ::dlsym(library, name)) {
      fn = reinterpret_cast<F>(symbol);
      return true;
    }
  return false;
}
} // namespace

Expected<std::unique_ptr<Driver>> mirage::rt::openCudaDriver() {
  const char *override = std::getenv("MIRAGE_LIBCUDA");
  std::string path = override && *override ? override : "libcuda.so.1";
  void *library = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    const char *reason = ::dlerror();
    return Status::error("no CUDA driver: cannot load " + path + " (" +
                         (reason ? reason : "unknown reason") +
                         "); running a bundle needs an NVIDIA GPU and its "
                         "driver");
  }
  Api api;
  std::string missing;
  // Each entry: the slot and the symbols to try, newest first. Fallbacks
  // are listed only where the older symbol has the same signature.
#define MIRAGE_RT_RESOLVE(slot, fn, ...)                                       \
  if (missing.empty() &&                                                       \
      !resolve(library, api.slot, {MIRAGE_RT_STR(fn), ##__VA_ARGS__}))         \
    missing = MIRAGE_RT_STR(fn);
  MIRAGE_RT_RESOLVE(init, cuInit)
  MIRAGE_RT_RESOLVE(getErrorName, cuGetErrorName)
  MIRAGE_RT_RESOLVE(getErrorString, cuGetErrorString)
  MIRAGE_RT_RESOLVE(deviceGet, cuDeviceGet)
  MIRAGE_RT_RESOLVE(deviceGetCount, cuDeviceGetCount)
  MIRAGE_RT_RESOLVE(deviceGetName, cuDeviceGetName)
  MIRAGE_RT_RESOLVE(deviceGetAttribute, cuDeviceGetAttribute)
  MIRAGE_RT_RESOLVE(devicePrimaryCtxRetain, cuDevicePrimaryCtxRetain)
  MIRAGE_RT_RESOLVE(devicePrimaryCtxRelease, cuDevicePrimaryCtxRelease)
  MIRAGE_RT_RESOLVE(ctxGetCurrent, cuCtxGetCurrent)
  MIRAGE_RT_RESOLVE(ctxSetCurrent, cuCtxSetCurrent)
  MIRAGE_RT_RESOLVE(ctxGetDevice, cuCtxGetDevice)
  MIRAGE_RT_RESOLVE(moduleLoadDataEx, cuModuleLoadDataEx)
  MIRAGE_RT_RESOLVE(moduleUnload, cuModuleUnload)
  MIRAGE_RT_RESOLVE(moduleGetFunction, cuModuleGetFunction)
  MIRAGE_RT_RESOLVE(funcGetAttribute, cuFuncGetAttribute)
  MIRAGE_RT_RESOLVE(funcSetAttribute, cuFuncSetAttribute)
  MIRAGE_RT_RESOLVE(memAlloc, cuMemAlloc)
  MIRAGE_RT_RESOLVE(memFree, cuMemFree)
  MIRAGE_RT_RESOLVE(memcpyHtoD, cuMemcpyHtoD)
  MIRAGE_RT_RESOLVE(memcpyDtoH, cuMemcpyDtoH)
  MIRAGE_RT_RESOLVE(memsetD8, cuMemsetD8)
  MIRAGE_RT_RESOLVE(pointerGetAttribute, cuPointerGetAttribute)
  MIRAGE_RT_RESOLVE(streamCreate, cuStreamCreate)
  MIRAGE_RT_RESOLVE(streamDestroy, cuStreamDestroy)
  MIRAGE_RT_RESOLVE(streamSynchronize, cuStreamSynchronize)
  MIRAGE_RT_RESOLVE(eventCreate, cuEventCreate)
  MIRAGE_RT_RESOLVE(eventDestroy, cuEventDestroy)
  MIRAGE_RT_RESOLVE(eventRecord, cuEventRecord)
  MIRAGE_RT_RESOLVE(eventSynchronize, cuEventSynchronize)
  // cuEventElapsedTime_v2 is CUDA 12.8+; drivers before it have the
  // unversioned function with the same signature.
  MIRAGE_RT_RESOLVE(eventElapsedTime, cuEventElapsedTime, "cuEventElapsedTime")
  MIRAGE_RT_RESOLVE(launchKernel, cuLaunchKernel)
  MIRAGE_RT_RESOLVE(streamBeginCapture, cuStreamBeginCapture)
  MIRAGE_RT_RESOLVE(streamEndCapture, cuStreamEndCapture)
  MIRAGE_RT_RESOLVE(graphInstantiate, cuGraphInstantiate)
  MIRAGE_RT_RESOLVE(graphLaunch, cuGraphLaunch)
  MIRAGE_RT_RESOLVE(graphExecDestroy, cuGraphExecDestroy)
  MIRAGE_RT_RESOLVE(graphDestroy, cuGraphDestroy)
#undef MIRAGE_RT_RESOLVE
  if (!missing.empty()) {
    ::dlclose(library);
    return Status::error(path + " has no " + missing +
                         ": the NVIDIA driver is too old for this runtime "
                         "(it needs CUDA 11.4 or newer)");
  }
  return std::unique_ptr<Driver>(new CudaDriver(api));
}
