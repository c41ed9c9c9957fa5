//===- Executable.cpp - A bundle loaded on a device -----------------------===//

#include "MirageRuntime/Executable.h"

using namespace mirage::rt;

CapturedGraph::~CapturedGraph() { driver.graphExecDestroy(exec); }

Status CapturedGraph::launch(CUstream stream) {
  CUresult r = driver.graphLaunch(exec, stream);
  if (r != CUDA_SUCCESS)
    return Status::error("cuGraphLaunch failed: " + driver.errorString(r));
  return Status::success();
}

Status Executable::driverError(const std::string &what, CUresult result) {
  return Status::error(what + ": " + driver.errorString(result));
}

Expected<std::unique_ptr<Executable>>
Executable::create(const Bundle &bundle, Driver &driver, int deviceOrdinal) {
  std::unique_ptr<Executable> exe(new Executable(driver, bundle.manifest));
  Status s = exe->openContext(deviceOrdinal);
  if (s.ok())
    s = exe->checkDevice();
  if (s.ok())
    s = exe->loadModule(bundle);
  if (s.ok())
    s = exe->prepareKernels();
  if (s.ok())
    s = exe->allocateWorkspace();
  if (!s.ok())
    return s;
  return Expected<std::unique_ptr<Executable>>(std::move(exe));
}

Executable::~Executable() {
  if (!context)
    return;
  // Freeing needs the context current; errors here have nowhere to go.
  (void)makeCurrent();
  if (workspace)
    driver.memFree(workspace);
  if (module)
    driver.moduleUnload(module);
  if (retainedPrimary)
    driver.devicePrimaryCtxRelease(device);
}

Status Executable::openContext(int deviceOrdinal) {
  CUresult r = driver.init(0);
  if (r == CUDA_ERROR_NO_DEVICE)
    return Status::error("no CUDA device: cuInit reports " +
                         driver.errorString(r));
  if (r != CUDA_SUCCESS)
    return driverError("cannot initialize CUDA: cuInit", r);
  int count = 0;
  if ((r = driver.deviceGetCount(&count)) != CUDA_SUCCESS)
    return driverError("cuDeviceGetCount", r);
  if (count == 0)
    return Status::error("no CUDA device: the driver sees no GPU");
  if (deviceOrdinal >= count)
    return Status::error("device " + std::to_string(deviceOrdinal) +
                         " does not exist (" + std::to_string(count) +
                         " device" + (count == 1 ? "" : "s") + ")");

  CUcontext current = nullptr;
  if ((r = driver.ctxGetCurrent(&current)) != CUDA_SUCCESS)
    return driverError("cuCtxGetCurrent", r);
  if (current) {
    CUdevice currentDevice;
    if ((r = driver.ctxGetDevice(&currentDevice)) != CUDA_SUCCESS)
      return driverError("cuCtxGetDevice", r);
    if (deviceOrdinal < 0 || currentDevice == deviceOrdinal) {
      context = current;
      device = currentDevice;
      return Status::success();
    }
  }
  int ordinal = deviceOrdinal < 0 ? 0 : deviceOrdinal;
  if ((r = driver.deviceGet(&device, ordinal)) != CUDA_SUCCESS)
    return driverError("cuDeviceGet(" + std::to_string(ordinal) + ")", r);
  if ((r = driver.devicePrimaryCtxRetain(&context, device)) != CUDA_SUCCESS)
    return driverError("cuDevicePrimaryCtxRetain", r);
  retainedPrimary = true;
  if ((r = driver.ctxSetCurrent(context)) != CUDA_SUCCESS)
    return driverError("cuCtxSetCurrent", r);
  return Status::success();
}

Status Executable::checkDevice() {
  char name[256] = {0};
  CUresult r = driver.deviceGetName(name, sizeof(name) - 1, device);
  if (r != CUDA_SUCCESS)
    return driverError("cuDeviceGetName", r);
  int major = 0, minor = 0;
  if ((r = driver.deviceGetAttribute(
           &major, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device)) !=
          CUDA_SUCCESS ||
      (r = driver.deviceGetAttribute(
           &minor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device)) !=
          CUDA_SUCCESS)
    return driverError("cuDeviceGetAttribute(COMPUTE_CAPABILITY)", r);
  int cc = major * 10 + minor;
  deviceDescription = std::string(name) + " (sm_" + std::to_string(cc) + ")";
  int wanted = manifest.chipComputeCapability();
  // sm_90a and the like use features of exactly that architecture.
  bool archSpecific = !manifest.chip.empty() && manifest.chip.back() == 'a';
  if (cc < wanted || (archSpecific && cc != wanted))
    return Status::error("the bundle is compiled for " + manifest.chip +
                         " but device " + std::to_string(device) + " is " +
                         deviceDescription);
  return Status::success();
}

Status Executable::loadModule(const Bundle &bundle) {
  // The JIT's error log says what is wrong with PTX the driver refuses.
  char log[8192] = {0};
  CUjit_option options[] = {CU_JIT_ERROR_LOG_BUFFER,
                            CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES};
  void *values[] = {log, reinterpret_cast<void *>(sizeof(log) - 1)};
  CUresult r =
      driver.moduleLoadDataEx(&module, bundle.ptx.c_str(), 2, options, values);
  if (r != CUDA_SUCCESS) {
    module = nullptr;
    std::string what =
        "loading " + bundle.manifest.ptx + ": " + driver.errorString(r);
    if (log[0])
      what += "\n" + std::string(log);
    return Status::error(what);
  }
  return Status::success();
}

Status Executable::prepareKernels() {
  int optinLimit = 0;
  CUresult r = driver.deviceGetAttribute(
      &optinLimit, CU_DEVICE_ATTRIBUTE_MAX_SHARED_MEMORY_PER_BLOCK_OPTIN,
      device);
  if (r != CUDA_SUCCESS)
    return driverError("cuDeviceGetAttribute(MAX_SHARED_MEMORY_PER_BLOCK_"
                       "OPTIN)",
                       r);
  for (size_t k = 0; k < manifest.kernels.size(); ++k) {
    const KernelSpec &kernel = manifest.kernels[k];
    std::string where =
        "kernels[" + std::to_string(k) + "] (" + kernel.name + ")";
    CUfunction function;
    if ((r = driver.moduleGetFunction(&function, module,
                                      kernel.name.c_str())) != CUDA_SUCCESS)
      return driverError(where + ": cuModuleGetFunction", r);
    int staticShared = 0, maxThreads = 0, registers = 0;
    if ((r = driver.funcGetAttribute(&staticShared,
                                     CU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES,
                                     function)) != CUDA_SUCCESS ||
        (r = driver.funcGetAttribute(&maxThreads,
                                     CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK,
                                     function)) != CUDA_SUCCESS ||
        (r = driver.funcGetAttribute(&registers, CU_FUNC_ATTRIBUTE_NUM_REGS,
                                     function)) != CUDA_SUCCESS)
      return driverError(where + ": cuFuncGetAttribute", r);
    int64_t shared =
        int64_t(kernel.dynamicSharedMemoryBytes) + int64_t(staticShared);
    if (shared > optinLimit)
      return Status::error(
          where + ": needs " + std::to_string(kernel.dynamicSharedMemoryBytes) +
          " bytes of dynamic and " + std::to_string(staticShared) +
          " of static shared memory; " + deviceDescription + " allows " +
          std::to_string(optinLimit) + " per block");
    int64_t threads =
        int64_t(kernel.block[0]) * kernel.block[1] * kernel.block[2];
    if (threads > maxThreads)
      return Status::error(
          where + ": launched with " + std::to_string(threads) +
          " threads per block, but with " + std::to_string(registers) +
          " registers per thread it can run at most " +
          std::to_string(maxThreads));
    // Above 48 KiB a kernel must opt in to its dynamic shared memory.
    if (kernel.dynamicSharedMemoryBytes > kDefaultDynamicSharedLimit &&
        (r = driver.funcSetAttribute(
             function, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES,
             static_cast<int>(kernel.dynamicSharedMemoryBytes))) !=
            CUDA_SUCCESS)
      return driverError(where + ": raising MAX_DYNAMIC_SHARED_SIZE_BYTES to " +
                             std::to_string(kernel.dynamicSharedMemoryBytes),
                         r);
    functions.push_back(function);
  }
  return Status::success();
}

Status Executable::allocateWorkspace() {
  if (manifest.workspaceBytes == 0)
    return Status::success();
  CUresult r =
      driver.memAlloc(&workspace, static_cast<size_t>(manifest.workspaceBytes));
  if (r != CUDA_SUCCESS) {
    workspace = 0;
    return driverError("allocating the workspace (" +
                           std::to_string(manifest.workspaceBytes) + " bytes)",
                       r);
  }
  return Status::success();
}

Status Executable::makeCurrent() {
  CUcontext current = nullptr;
  CUresult r = driver.ctxGetCurrent(&current);
  if (r != CUDA_SUCCESS)
    return driverError("cuCtxGetCurrent", r);
  if (current != context && (r = driver.ctxSetCurrent(context)) != CUDA_SUCCESS)
    return driverError("cuCtxSetCurrent", r);
  return Status::success();
}

Status Executable::checkCall(const std::vector<TensorArg> &inputs,
                             const std::vector<TensorArg> &outputs) {
  Status s = checkSignature(manifest, inputs, outputs);
  if (s.ok())
    s = makeCurrent();
  if (s.ok())
    s = checkPointers(inputs, outputs, driver, device);
  return s;
}

Status Executable::launch(const std::vector<TensorArg> &inputs,
                          const std::vector<TensorArg> &outputs,
                          CUstream stream) {
  for (size_t k = 0; k < manifest.kernels.size(); ++k) {
    const KernelSpec &kernel = manifest.kernels[k];
    // Bare-pointer convention: each parameter is base + offset_bytes.
    std::vector<CUdeviceptr> pointers;
    pointers.reserve(kernel.args.size());
    for (const KernelArg &arg : kernel.args) {
      CUdeviceptr base =
          arg.buffer == BufferKind::Input    ? inputs[arg.index].data
          : arg.buffer == BufferKind::Output ? outputs[arg.index].data
                                             : workspace;
      pointers.push_back(base + static_cast<CUdeviceptr>(arg.offsetBytes));
    }
    std::vector<void *> params;
    params.reserve(pointers.size());
    for (CUdeviceptr &p : pointers)
      params.push_back(&p);
    CUresult r = driver.launchKernel(
        functions[k], kernel.grid[0], kernel.grid[1], kernel.grid[2],
        kernel.block[0], kernel.block[1], kernel.block[2],
        kernel.dynamicSharedMemoryBytes, stream,
        params.empty() ? nullptr : params.data(), nullptr);
    if (r != CUDA_SUCCESS)
      return driverError("launching kernels[" + std::to_string(k) + "] (" +
                             kernel.name + ")",
                         r);
  }
  return Status::success();
}

Status Executable::run(const std::vector<TensorArg> &inputs,
                       const std::vector<TensorArg> &outputs, CUstream stream) {
  Status s = checkCall(inputs, outputs);
  if (!s.ok())
    return s;
  return launch(inputs, outputs, stream);
}

Expected<std::unique_ptr<CapturedGraph>>
Executable::capture(const std::vector<TensorArg> &inputs,
                    const std::vector<TensorArg> &outputs, CUstream stream) {
  if (!stream)
    return Status::error("cannot capture a CUDA graph on the legacy default "
                         "stream; create a stream");
  Status s = checkCall(inputs, outputs);
  if (!s.ok())
    return s;
  CUresult r =
      driver.streamBeginCapture(stream, CU_STREAM_CAPTURE_MODE_THREAD_LOCAL);
  if (r != CUDA_SUCCESS)
    return driverError("cuStreamBeginCapture", r);
  Status launched = launch(inputs, outputs, stream);
  // End the capture even when a launch failed, so the stream is usable.
  CUgraph graph = nullptr;
  r = driver.streamEndCapture(stream, &graph);
  if (!launched.ok()) {
    if (graph)
      driver.graphDestroy(graph);
    return launched.withContext("during graph capture");
  }
  if (r != CUDA_SUCCESS)
    return driverError("cuStreamEndCapture", r);
  CUgraphExec exec = nullptr;
  r = driver.graphInstantiate(&exec, graph, 0);
  driver.graphDestroy(graph);
  if (r != CUDA_SUCCESS)
    return driverError("cuGraphInstantiate", r);
  return std::make_unique<CapturedGraph>(driver, exec);
}
