//===- FakeDriver.cpp - A CUDA driver without a GPU, for tests ------------===//

#include "FakeDriver.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

using namespace mirage::rt;
using namespace mirage::rt::test;

template <typename Handle> static Handle makeHandle(uintptr_t value) {
  return reinterpret_cast<Handle>(value);
}

static CUcontext primaryContext(int device) {
  return makeHandle<CUcontext>(0xc0 + static_cast<uintptr_t>(device));
}

CUresult FakeDriver::enter(const std::string &name) {
  calls.push_back(name);
  auto it = failures.find(name);
  return it == failures.end() ? CUDA_SUCCESS : it->second;
}

int FakeDriver::count(const std::string &name) const {
  return static_cast<int>(std::count(calls.begin(), calls.end(), name));
}

FakeDriver::Allocation *FakeDriver::find(CUdeviceptr pointer,
                                         CUdeviceptr *start) {
  auto it = memory.upper_bound(pointer);
  if (it == memory.begin())
    return nullptr;
  --it;
  if (pointer >= it->first + std::max<size_t>(it->second.bytes.size(), 1))
    return nullptr;
  if (start)
    *start = it->first;
  return &it->second;
}

CUdeviceptr FakeDriver::addHostMemory(size_t bytes) {
  CUdeviceptr p = nextAddress;
  nextAddress += (bytes + 0x10000) & ~CUdeviceptr(0xffff);
  memory[p] = Allocation{std::vector<uint8_t>(bytes), 0, CU_MEMORYTYPE_HOST};
  return p;
}

CUdeviceptr FakeDriver::addDeviceMemory(size_t bytes, int device) {
  CUdeviceptr p = nextAddress;
  nextAddress += (bytes + 0x10000) & ~CUdeviceptr(0xffff);
  memory[p] =
      Allocation{std::vector<uint8_t>(bytes), device, CU_MEMORYTYPE_DEVICE};
  return p;
}

CUresult FakeDriver::init(unsigned) { return enter("cuInit"); }

CUresult FakeDriver::deviceGet(CUdevice *device, int ordinal) {
  CUresult r = enter("cuDeviceGet");
  if (r == CUDA_SUCCESS)
    *device = ordinal;
  return r;
}

CUresult FakeDriver::deviceGetCount(int *count) {
  CUresult r = enter("cuDeviceGetCount");
  if (r == CUDA_SUCCESS)
    *count = deviceCount;
  return r;
}

CUresult FakeDriver::deviceGetName(char *name, int length, CUdevice) {
  CUresult r = enter("cuDeviceGetName");
  if (r == CUDA_SUCCESS)
    std::snprintf(name, static_cast<size_t>(length), "%s", deviceName.c_str());
  return r;
}

CUresult FakeDriver::deviceGetAttribute(int *value,
                                        CUdevice_attribute attribute,
                                        CUdevice) {
  CUresult r = enter("cuDeviceGetAttribute");
  if (r != CUDA_SUCCESS)
    return r;
  switch (attribute) {
  case CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR:
    *value = computeCapability / 10;
    return r;
  case CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR:
    *value = computeCapability % 10;
    return r;
  case CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN:
    *value = sharedMemoryOptin;
    return r;
  default:
    return CUDA_ERROR_INVALID_VALUE;
  }
}

CUresult FakeDriver::devicePrimaryCtxRetain(CUcontext *context,
                                            CUdevice device) {
  CUresult r = enter("cuDevicePrimaryCtxRetain");
  if (r == CUDA_SUCCESS) {
    *context = primaryContext(device);
    ++primaryRetains;
  }
  return r;
}

CUresult FakeDriver::devicePrimaryCtxRelease(CUdevice) {
  CUresult r = enter("cuDevicePrimaryCtxRelease");
  if (r == CUDA_SUCCESS)
    ++primaryReleases;
  return r;
}

CUresult FakeDriver::ctxGetCurrent(CUcontext *context) {
  CUresult r = enter("cuCtxGetCurrent");
  if (r == CUDA_SUCCESS)
    *context = currentContext;
  return r;
}

CUresult FakeDriver::ctxSetCurrent(CUcontext context) {
  CUresult r = enter("cuCtxSetCurrent");
  if (r == CUDA_SUCCESS) {
    currentContext = context;
    for (int d = 0; d < deviceCount; ++d)
      if (context == primaryContext(d))
        currentContextDevice = d;
  }
  return r;
}

CUresult FakeDriver::ctxGetDevice(CUdevice *device) {
  CUresult r = enter("cuCtxGetDevice");
  if (r == CUDA_SUCCESS)
    *device = currentContextDevice;
  return r;
}

CUresult FakeDriver::moduleLoadDataEx(CUmodule *module, const void *image,
                                      unsigned numOptions,
                                      CUjit_option *options,
                                      void **optionValues) {
  CUresult r = enter("cuModuleLoadDataEx");
  if (r != CUDA_SUCCESS) {
    // Fill the error log the runtime passed, as the JIT does.
    for (unsigned i = 0; i < numOptions; ++i)
      if (options[i] == CU_JIT_ERROR_LOG_BUFFER && !jitLog.empty())
        std::snprintf(static_cast<char *>(optionValues[i]), 256, "%s",
                      jitLog.c_str());
    return r;
  }
  loadedImage = static_cast<const char *>(image);
  moduleLoaded = true;
  *module = makeHandle<CUmodule>(0xa0);
  return r;
}

CUresult FakeDriver::moduleUnload(CUmodule) {
  CUresult r = enter("cuModuleUnload");
  moduleLoaded = false;
  return r;
}

CUresult FakeDriver::moduleGetFunction(CUfunction *function, CUmodule,
                                       const char *name) {
  CUresult r = enter("cuModuleGetFunction");
  if (r != CUDA_SUCCESS)
    return r;
  if (!kernelParams.count(name))
    return CUDA_ERROR_NOT_FOUND;
  functionNames.push_back(name);
  *function = makeHandle<CUfunction>(functionNames.size());
  return r;
}

CUresult FakeDriver::funcGetAttribute(int *value,
                                      CUfunction_attribute attribute,
                                      CUfunction) {
  CUresult r = enter("cuFuncGetAttribute");
  if (r != CUDA_SUCCESS)
    return r;
  switch (attribute) {
  case CU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES:
    *value = functionStaticShared;
    return r;
  case CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK:
    *value = functionMaxThreads;
    return r;
  case CU_FUNC_ATTRIBUTE_NUM_REGS:
    *value = functionRegisters;
    return r;
  default:
    return CUDA_ERROR_INVALID_VALUE;
  }
}

CUresult FakeDriver::funcSetAttribute(CUfunction function,
                                      CUfunction_attribute attribute,
                                      int value) {
  CUresult r = enter("cuFuncSetAttribute");
  if (r == CUDA_SUCCESS)
    attributes.emplace_back(
        functionNames[reinterpret_cast<uintptr_t>(function) - 1], attribute,
        value);
  return r;
}

CUresult FakeDriver::memAlloc(CUdeviceptr *pointer, size_t bytes) {
  CUresult r = enter("cuMemAlloc");
  if (r == CUDA_SUCCESS)
    *pointer = addDeviceMemory(bytes, currentContextDevice);
  return r;
}

CUresult FakeDriver::memFree(CUdeviceptr pointer) {
  CUresult r = enter("cuMemFree");
  if (r == CUDA_SUCCESS && !memory.erase(pointer))
    return CUDA_ERROR_INVALID_VALUE;
  return r;
}

CUresult FakeDriver::memcpyHtoD(CUdeviceptr dst, const void *src,
                                size_t bytes) {
  CUresult r = enter("cuMemcpyHtoD");
  CUdeviceptr start;
  Allocation *a = find(dst, &start);
  if (r != CUDA_SUCCESS || !a || dst - start + bytes > a->bytes.size())
    return r != CUDA_SUCCESS ? r : CUDA_ERROR_INVALID_VALUE;
  std::memcpy(a->bytes.data() + (dst - start), src, bytes);
  return r;
}

CUresult FakeDriver::memcpyDtoH(void *dst, CUdeviceptr src, size_t bytes) {
  CUresult r = enter("cuMemcpyDtoH");
  CUdeviceptr start;
  Allocation *a = find(src, &start);
  if (r != CUDA_SUCCESS || !a || src - start + bytes > a->bytes.size())
    return r != CUDA_SUCCESS ? r : CUDA_ERROR_INVALID_VALUE;
  std::memcpy(dst, a->bytes.data() + (src - start), bytes);
  return r;
}

CUresult FakeDriver::memsetD8(CUdeviceptr dst, unsigned char value,
                              size_t bytes) {
  CUresult r = enter("cuMemsetD8");
  CUdeviceptr start;
  Allocation *a = find(dst, &start);
  if (r != CUDA_SUCCESS || !a || dst - start + bytes > a->bytes.size())
    return r != CUDA_SUCCESS ? r : CUDA_ERROR_INVALID_VALUE;
  std::memset(a->bytes.data() + (dst - start), value, bytes);
  return r;
}

CUresult FakeDriver::pointerGetAttribute(void *data,
                                         CUpointer_attribute attribute,
                                         CUdeviceptr pointer) {
  CUresult r = enter("cuPointerGetAttribute");
  if (r != CUDA_SUCCESS)
    return r;
  CUdeviceptr start;
  Allocation *a = find(pointer, &start);
  if (!a)
    return CUDA_ERROR_INVALID_VALUE;
  switch (attribute) {
  case CU_POINTER_ATTRIBUTE_MEMORY_TYPE:
    *static_cast<CUmemorytype *>(data) = a->type;
    return r;
  case CU_POINTER_ATTRIBUTE_DEVICE_ORDINAL:
    *static_cast<int *>(data) = a->device;
    return r;
  case CU_POINTER_ATTRIBUTE_RANGE_START_ADDR:
    *static_cast<CUdeviceptr *>(data) = start;
    return r;
  case CU_POINTER_ATTRIBUTE_RANGE_SIZE:
    *static_cast<size_t *>(data) = a->bytes.size();
    return r;
  default:
    return CUDA_ERROR_INVALID_VALUE;
  }
}

CUresult FakeDriver::streamCreate(CUstream *stream, unsigned) {
  CUresult r = enter("cuStreamCreate");
  if (r == CUDA_SUCCESS) {
    *stream = makeHandle<CUstream>(nextHandle++);
    ++liveStreams;
  }
  return r;
}

CUresult FakeDriver::streamDestroy(CUstream) {
  CUresult r = enter("cuStreamDestroy");
  --liveStreams;
  return r;
}

CUresult FakeDriver::streamSynchronize(CUstream) {
  return enter("cuStreamSynchronize");
}

CUresult FakeDriver::eventCreate(CUevent *event, unsigned) {
  CUresult r = enter("cuEventCreate");
  if (r == CUDA_SUCCESS) {
    *event = makeHandle<CUevent>(nextHandle++);
    ++liveEvents;
  }
  return r;
}

CUresult FakeDriver::eventDestroy(CUevent) {
  CUresult r = enter("cuEventDestroy");
  --liveEvents;
  return r;
}

CUresult FakeDriver::eventRecord(CUevent, CUstream) {
  return enter("cuEventRecord");
}

CUresult FakeDriver::eventSynchronize(CUevent) {
  return enter("cuEventSynchronize");
}

CUresult FakeDriver::eventElapsedTime(float *milliseconds, CUevent, CUevent) {
  CUresult r = enter("cuEventElapsedTime");
  if (r != CUDA_SUCCESS)
    return r;
  *milliseconds = 1.0f;
  if (!elapsedTimes.empty()) {
    *milliseconds = elapsedTimes.front();
    elapsedTimes.pop_front();
  }
  return r;
}

CUresult FakeDriver::launchKernel(CUfunction function, unsigned gridX,
                                  unsigned gridY, unsigned gridZ,
                                  unsigned blockX, unsigned blockY,
                                  unsigned blockZ, unsigned sharedMemBytes,
                                  CUstream stream, void **params, void **) {
  CUresult r = enter("cuLaunchKernel");
  if (r != CUDA_SUCCESS)
    return r;
  Launch launch;
  launch.kernel = functionNames[reinterpret_cast<uintptr_t>(function) - 1];
  launch.grid = {gridX, gridY, gridZ};
  launch.block = {blockX, blockY, blockZ};
  launch.sharedMemBytes = sharedMemBytes;
  launch.stream = stream;
  for (size_t i = 0; i < kernelParams[launch.kernel]; ++i)
    launch.params.push_back(*static_cast<CUdeviceptr *>(params[i]));
  if (capturing && stream == capturing) {
    launch.captured = true;
    graphs.back().push_back(launch);
  }
  launches.push_back(launch);
  return r;
}

CUresult FakeDriver::streamBeginCapture(CUstream stream,
                                        CUstreamCaptureMode mode) {
  CUresult r = enter("cuStreamBeginCapture");
  if (r == CUDA_SUCCESS) {
    capturing = stream;
    captureMode = mode;
    graphs.emplace_back();
  }
  return r;
}

CUresult FakeDriver::streamEndCapture(CUstream stream, CUgraph *graph) {
  CUresult r = enter("cuStreamEndCapture");
  if (r == CUDA_SUCCESS && capturing != stream)
    return CUDA_ERROR_ILLEGAL_STATE;
  capturing = nullptr;
  if (r == CUDA_SUCCESS) {
    *graph = makeHandle<CUgraph>(graphs.size());
    ++liveGraphs;
  }
  return r;
}

CUresult FakeDriver::graphInstantiate(CUgraphExec *exec, CUgraph graph,
                                      unsigned long long) {
  CUresult r = enter("cuGraphInstantiate");
  if (r == CUDA_SUCCESS) {
    graphExecs.push_back(graphs[reinterpret_cast<uintptr_t>(graph) - 1]);
    *exec = makeHandle<CUgraphExec>(graphExecs.size());
    ++liveGraphExecs;
  }
  return r;
}

CUresult FakeDriver::graphLaunch(CUgraphExec exec, CUstream stream) {
  CUresult r = enter("cuGraphLaunch");
  if (r != CUDA_SUCCESS)
    return r;
  for (Launch launch : graphExecs[reinterpret_cast<uintptr_t>(exec) - 1]) {
    launch.captured = false;
    launch.fromGraph = true;
    launch.stream = stream;
    launches.push_back(launch);
  }
  return r;
}

CUresult FakeDriver::graphExecDestroy(CUgraphExec) {
  CUresult r = enter("cuGraphExecDestroy");
  --liveGraphExecs;
  return r;
}

CUresult FakeDriver::graphDestroy(CUgraph) {
  CUresult r = enter("cuGraphDestroy");
  --liveGraphs;
  return r;
}

std::string FakeDriver::errorString(CUresult result) {
  switch (result) {
  case CUDA_ERROR_NO_DEVICE:
    return "CUDA_ERROR_NO_DEVICE (no CUDA-capable device is detected)";
  case CUDA_ERROR_OUT_OF_MEMORY:
    return "CUDA_ERROR_OUT_OF_MEMORY (out of memory)";
  case CUDA_ERROR_INVALID_PTX:
    return "CUDA_ERROR_INVALID_PTX (a PTX JIT compilation failed)";
  case CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES:
    return "CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES (too many resources requested "
           "for launch)";
  default:
    return "CUDA error " + std::to_string(result);
  }
}
