//===- Driver.h - The CUDA driver calls the runtime makes -------*- C++ -*-===//
//
// Every CUDA driver call of the runtime goes through this interface, one
// virtual method per driver function with the driver's own signature. Two
// implementations:
//
//  * the real one (CudaDriver.h) forwards to libcuda.so.1, which it opens
//    with dlopen at run time, so that binaries start (and explain) on
//    machines without a driver;
//  * a fake one in the tests records the calls, so that manifest handling,
//    argument checks, workspace allocation, launch order and parameters and
//    graph capture are tested on machines without a GPU.
//
// Only the types of cuda.h are used; nothing links against libcuda.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGERUNTIME_DRIVER_H
#define MIRAGERUNTIME_DRIVER_H

#include <cuda.h>

#include <string>

namespace mirage::rt {

class Driver {
public:
  virtual ~Driver() = default;

  virtual CUresult init(unsigned flags) = 0;
  virtual CUresult deviceGet(CUdevice *device, int ordinal) = 0;
  virtual CUresult deviceGetCount(int *count) = 0;
  virtual CUresult deviceGetName(char *name, int length, CUdevice device) = 0;
  virtual CUresult deviceGetAttribute(int *value, CUdevice_attribute attribute,
                                      CUdevice device) = 0;
  virtual CUresult devicePrimaryCtxRetain(CUcontext *context,
                                          CUdevice device) = 0;
  virtual CUresult devicePrimaryCtxRelease(CUdevice device) = 0;
  virtual CUresult ctxGetCurrent(CUcontext *context) = 0;
  virtual CUresult ctxSetCurrent(CUcontext context) = 0;
  virtual CUresult ctxGetDevice(CUdevice *device) = 0;

  virtual CUresult moduleLoadDataEx(CUmodule *module, const void *image,
                                    unsigned numOptions, CUjit_option *options,
                                    void **optionValues) = 0;
  virtual CUresult moduleUnload(CUmodule module) = 0;
  virtual CUresult moduleGetFunction(CUfunction *function, CUmodule module,
                                     const char *name) = 0;
  virtual CUresult funcGetAttribute(int *value, CUfunction_attribute attribute,
                                    CUfunction function) = 0;
  virtual CUresult funcSetAttribute(CUfunction function,
                                    CUfunction_attribute attribute,
                                    int value) = 0;

  virtual CUresult memAlloc(CUdeviceptr *pointer, size_t bytes) = 0;
  virtual CUresult memFree(CUdeviceptr pointer) = 0;
  virtual CUresult memcpyHtoD(CUdeviceptr dst, const void *src,
                              size_t bytes) = 0;
  virtual CUresult memcpyDtoH(void *dst, CUdeviceptr src, size_t bytes) = 0;
  virtual CUresult memsetD8(CUdeviceptr dst, unsigned char value,
                            size_t bytes) = 0;
  virtual CUresult pointerGetAttribute(void *data,
                                       CUpointer_attribute attribute,
                                       CUdeviceptr pointer) = 0;

  virtual CUresult streamCreate(CUstream *stream, unsigned flags) = 0;
  virtual CUresult streamDestroy(CUstream stream) = 0;
  virtual CUresult streamSynchronize(CUstream stream) = 0;
  virtual CUresult eventCreate(CUevent *event, unsigned flags) = 0;
  virtual CUresult eventDestroy(CUevent event) = 0;
  virtual CUresult eventRecord(CUevent event, CUstream stream) = 0;
  virtual CUresult eventSynchronize(CUevent event) = 0;
  virtual CUresult eventElapsedTime(float *milliseconds, CUevent start,
                                    CUevent end) = 0;

  virtual CUresult launchKernel(CUfunction function, unsigned gridX,
                                unsigned gridY, unsigned gridZ, unsigned blockX,
                                unsigned blockY, unsigned blockZ,
                                unsigned sharedMemBytes, CUstream stream,
                                void **params, void **extra) = 0;

  virtual CUresult streamBeginCapture(CUstream stream,
                                      CUstreamCaptureMode mode) = 0;
  virtual CUresult streamEndCapture(CUstream stream, CUgraph *graph) = 0;
  virtual CUresult graphInstantiate(CUgraphExec *exec, CUgraph graph,
                                    unsigned long long flags) = 0;
  virtual CUresult graphLaunch(CUgraphExec exec, CUstream stream) = 0;
  virtual CUresult graphExecDestroy(CUgraphExec exec) = 0;
  virtual CUresult graphDestroy(CUgraph graph) = 0;

  /// "CUDA_ERROR_NAME (description)".
  virtual std::string errorString(CUresult result) = 0;
};

} // namespace mirage::rt

#endif // MIRAGERUNTIME_DRIVER_H
