/* The CUDA runtime wrappers (mgpu*) that upstream's gpu-to-llvm calls, on
 * the CUDA driver API, for the device check of mixed modules
 * (docs/Import.md, "Running a mixed module on a GPU"): the device machine
 * has CUDA but no LLVM/MLIR, so neither upstream's libmlir_cuda_runtime nor
 * mlir-runner. The signatures are those of upstream's
 * mlir/lib/ExecutionEngine/CudaRuntimeWrappers.cpp; every CUDA error stops
 * the program with the call and the error's name (exit status 1). Kernels
 * with more than 48 KiB of dynamic shared memory opt into it first, as
 * upstream's wrappers do. Build: cc -I CUDA/include ... -L CUDA/lib64/stubs
 * -lcuda (bench/gpu/device_check.py, step "mixed"). */
#include <cuda.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static void check(CUresult result, const char *what) {
  if (result == CUDA_SUCCESS)
    return;
  const char *name = NULL;
  cuGetErrorName(result, &name);
  fflush(stdout);
  fprintf(stderr, "mgpu_cuda: %s failed: %s\n", what, name ? name : "?");
  exit(1);
}

static void init(void) {
  static CUcontext context;
  if (context)
    return;
  CUdevice device;
  check(cuInit(0), "cuInit");
  check(cuDeviceGet(&device, 0), "cuDeviceGet");
  check(cuDevicePrimaryCtxRetain(&context, device),
        "cuDevicePrimaryCtxRetain");
  check(cuCtxSetCurrent(context), "cuCtxSetCurrent");
}

void *mgpuModuleLoad(void *data, size_t size) {
  (void)size;
  init();
  CUmodule module;
  check(cuModuleLoadData(&module, data), "cuModuleLoadData");
  return module;
}

void *mgpuModuleLoadJIT(void *data, int optLevel) {
  init();
  char log[8192] = {0};
  CUjit_option options[] = {CU_JIT_ERROR_LOG_BUFFER,
                            CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES,
                            CU_JIT_OPTIMIZATION_LEVEL};
  void *values[] = {log, (void *)(uintptr_t)sizeof(log),
                    (void *)(intptr_t)optLevel};
  CUmodule module;
  CUresult result = cuModuleLoadDataEx(&module, data, 3, options, values);
  if (result != CUDA_SUCCESS)
    fprintf(stderr, "mgpu_cuda: PTX JIT log:\n%s\n", log);
  check(result, "cuModuleLoadDataEx (PTX)");
  return module;
}

void mgpuModuleUnload(void *module) {
  check(cuModuleUnload((CUmodule)module), "cuModuleUnload");
}

void *mgpuModuleGetFunction(void *module, const char *name) {
  CUfunction function;
  check(cuModuleGetFunction(&function, (CUmodule)module, name),
        "cuModuleGetFunction");
  return function;
}

void mgpuLaunchKernel(void *function, intptr_t gridX, intptr_t gridY,
                      intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                      intptr_t blockZ, int32_t smem, void *stream,
                      void **params, void **extra, size_t paramsCount) {
  (void)paramsCount;
  CUfunction f = (CUfunction)function;
  if (smem > 48 * 1024)
    check(cuFuncSetAttribute(f, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES,
                             smem),
          "cuFuncSetAttribute (dynamic shared memory)");
  check(cuLaunchKernel(f, (unsigned)gridX, (unsigned)gridY, (unsigned)gridZ,
                       (unsigned)blockX, (unsigned)blockY, (unsigned)blockZ,
                       (unsigned)smem, (CUstream)stream, params, extra),
        "cuLaunchKernel");
}

void *mgpuStreamCreate(void) {
  init();
  CUstream stream;
  check(cuStreamCreate(&stream, CU_STREAM_NON_BLOCKING), "cuStreamCreate");
  return stream;
}

void mgpuStreamDestroy(void *stream) {
  check(cuStreamDestroy((CUstream)stream), "cuStreamDestroy");
}

/* Kernel faults surface here. */
void mgpuStreamSynchronize(void *stream) {
  check(cuStreamSynchronize((CUstream)stream), "cuStreamSynchronize");
}

void mgpuStreamWaitEvent(void *stream, void *event) {
  check(cuStreamWaitEvent((CUstream)stream, (CUevent)event, 0),
        "cuStreamWaitEvent");
}

void *mgpuEventCreate(void) {
  init();
  CUevent event;
  check(cuEventCreate(&event, CU_EVENT_DISABLE_TIMING), "cuEventCreate");
  return event;
}

void mgpuEventDestroy(void *event) {
  check(cuEventDestroy((CUevent)event), "cuEventDestroy");
}

void mgpuEventSynchronize(void *event) {
  check(cuEventSynchronize((CUevent)event), "cuEventSynchronize");
}

void mgpuEventRecord(void *event, void *stream) {
  check(cuEventRecord((CUevent)event, (CUstream)stream), "cuEventRecord");
}

void *mgpuMemAlloc(uint64_t bytes, void *stream, bool isHostShared) {
  (void)stream;
  init();
  if (bytes == 0)
    return NULL;
  CUdeviceptr ptr;
  if (isHostShared)
    check(cuMemAllocManaged(&ptr, bytes, CU_MEM_ATTACH_GLOBAL),
          "cuMemAllocManaged");
  else
    check(cuMemAlloc(&ptr, bytes), "cuMemAlloc");
  return (void *)ptr;
}

void mgpuMemFree(void *ptr, void *stream) {
  (void)stream;
  if (ptr)
    check(cuMemFree((CUdeviceptr)ptr), "cuMemFree");
}

void mgpuMemcpy(void *dst, void *src, size_t bytes, void *stream) {
  check(cuMemcpyAsync((CUdeviceptr)dst, (CUdeviceptr)src, bytes,
                      (CUstream)stream),
        "cuMemcpyAsync");
}

void mgpuMemset32(void *dst, unsigned value, size_t count, void *stream) {
  check(cuMemsetD32Async((CUdeviceptr)dst, value, count, (CUstream)stream),
        "cuMemsetD32Async");
}

void mgpuMemset16(void *dst, unsigned short value, size_t count,
                  void *stream) {
  check(cuMemsetD16Async((CUdeviceptr)dst, value, count, (CUstream)stream),
        "cuMemsetD16Async");
}
