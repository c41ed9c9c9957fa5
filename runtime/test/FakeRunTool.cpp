//===- FakeRunTool.cpp - Run real bundles on the fake driver ----*- C++ -*-===//
//
// mirage-run-fake BUNDLE...: loads each bundle (as mirage-run does), creates
// its executable on the fake driver, runs it once on stream launches, then
// captures it in a CUDA graph and replays that, on tensors of its signature
// (fake device memory), and checks every
// launch against the manifest: the kernels in manifest order, each with its
// grid, block and dynamic shared memory, and each parameter the base of its
// buffer (input, output or the executable's workspace) plus the argument's
// offset. Prints one line per launch and "OK" per bundle; exit 1 on the
// first difference. No GPU: the GPU check's bundles are taken through the
// runtime up to the driver (test/Runtime/device-check.test). Kernels do not
// run: what they compute is the emulator's and the GPU's business.
//
//===----------------------------------------------------------------------===//

#include "MirageRuntime/Bundle.h"
#include "MirageRuntime/Executable.h"

#include "FakeDriver.h"

#include <cstdio>
#include <string>
#include <vector>

using namespace mirage::rt;
using namespace mirage::rt::test;

namespace {

std::string dims(const std::array<unsigned, 3> &d) {
  return std::to_string(d[0]) + "x" + std::to_string(d[1]) + "x" +
         std::to_string(d[2]);
}

/// Checks the launches recorded from `first` on against the manifest.
bool checkLaunches(const FakeDriver &driver, size_t first,
                   const Manifest &manifest,
                   const std::vector<TensorArg> &inputs,
                   const std::vector<TensorArg> &outputs, CUdeviceptr workspace,
                   const char *how) {
  size_t count = driver.launches.size() - first;
  if (count != manifest.kernels.size()) {
    std::fprintf(stderr, "error: %s: %zu launches, the manifest has %zu\n", how,
                 count, manifest.kernels.size());
    return false;
  }
  for (size_t k = 0; k < count; ++k) {
    const FakeDriver::Launch &l = driver.launches[first + k];
    const KernelSpec &spec = manifest.kernels[k];
    std::string where = std::string(how) + ": launch " + std::to_string(k);
    if (l.kernel != spec.name || l.grid != spec.grid || l.block != spec.block ||
        l.sharedMemBytes != spec.dynamicSharedMemoryBytes) {
      std::fprintf(stderr,
                   "error: %s: %s grid %s block %s smem %u, the manifest "
                   "says %s grid %s block %s smem %u\n",
                   where.c_str(), l.kernel.c_str(), dims(l.grid).c_str(),
                   dims(l.block).c_str(), l.sharedMemBytes, spec.name.c_str(),
                   dims(spec.grid).c_str(), dims(spec.block).c_str(),
                   spec.dynamicSharedMemoryBytes);
      return false;
    }
    if (l.params.size() != spec.args.size()) {
      std::fprintf(stderr, "error: %s: %zu parameters, the manifest has %zu\n",
                   where.c_str(), l.params.size(), spec.args.size());
      return false;
    }
    std::string params;
    for (size_t a = 0; a < spec.args.size(); ++a) {
      const KernelArg &arg = spec.args[a];
      CUdeviceptr base = 0;
      std::string name = bufferKindName(arg.buffer);
      switch (arg.buffer) {
      case BufferKind::Input:
        base = inputs[arg.index].data;
        name += std::to_string(arg.index);
        break;
      case BufferKind::Output:
        base = outputs[arg.index].data;
        name += std::to_string(arg.index);
        break;
      case BufferKind::Workspace:
        base = workspace;
        break;
      }
      if (l.params[a] != base + static_cast<CUdeviceptr>(arg.offsetBytes)) {
        std::fprintf(
            stderr, "error: %s: parameter %zu is 0x%llx, expected %s + %lld\n",
            where.c_str(), a, static_cast<unsigned long long>(l.params[a]),
            name.c_str(), static_cast<long long>(arg.offsetBytes));
        return false;
      }
      params += (a ? ", " : "") + name + "+" + std::to_string(arg.offsetBytes);
    }
    std::printf("  %s: %s grid %s block %s smem %u (%s)\n", where.c_str(),
                l.kernel.c_str(), dims(l.grid).c_str(), dims(l.block).c_str(),
                l.sharedMemBytes, params.c_str());
  }
  return true;
}

bool runOne(const std::string &path) {
  Expected<Bundle> bundle = loadBundle(path);
  if (!bundle) {
    std::fprintf(stderr, "error: %s\n", bundle.message().c_str());
    return false;
  }
  const Manifest &manifest = bundle->manifest;
  FakeDriver driver;
  driver.computeCapability = manifest.chipComputeCapability();
  for (const KernelSpec &kernel : manifest.kernels)
    driver.kernelParams[kernel.name] = kernel.args.size();
  Expected<std::unique_ptr<Executable>> exe =
      Executable::create(*bundle, driver);
  if (!exe) {
    std::fprintf(stderr, "error: %s: %s\n", path.c_str(),
                 exe.message().c_str());
    return false;
  }
  auto tensors = [&](const std::vector<TensorSpec> &specs) {
    std::vector<TensorArg> args;
    for (const TensorSpec &spec : specs) {
      TensorArg t;
      t.data = driver.addDeviceMemory(spec.byteSize(), 0);
      t.dtype = spec.dtype;
      t.shape = spec.shape;
      args.push_back(t);
    }
    return args;
  };
  std::vector<TensorArg> inputs = tensors(manifest.inputs);
  std::vector<TensorArg> outputs = tensors(manifest.outputs);
  CUstream stream = reinterpret_cast<CUstream>(uintptr_t(0x5));
  std::printf("%s: %s, %zu kernels\n", manifest.function.c_str(),
              manifest.signature().c_str(), manifest.kernels.size());

  size_t first = driver.launches.size();
  Status run = (*exe)->run(inputs, outputs, stream);
  if (!run.ok()) {
    std::fprintf(stderr, "error: %s: run: %s\n", path.c_str(),
                 run.message().c_str());
    return false;
  }
  if (!checkLaunches(driver, first, manifest, inputs, outputs,
                     (*exe)->getWorkspace(), "stream"))
    return false;

  first = driver.launches.size();
  Expected<std::unique_ptr<CapturedGraph>> graph =
      (*exe)->capture(inputs, outputs, stream);
  if (!graph) {
    std::fprintf(stderr, "error: %s: capture: %s\n", path.c_str(),
                 graph.message().c_str());
    return false;
  }
  if (!checkLaunches(driver, first, manifest, inputs, outputs,
                     (*exe)->getWorkspace(), "captured"))
    return false;
  first = driver.launches.size();
  Status replay = (*graph)->launch(stream);
  if (!replay.ok()) {
    std::fprintf(stderr, "error: %s: graph launch: %s\n", path.c_str(),
                 replay.message().c_str());
    return false;
  }
  if (!checkLaunches(driver, first, manifest, inputs, outputs,
                     (*exe)->getWorkspace(), "replayed"))
    return false;
  std::printf("OK %s\n", manifest.function.c_str());
  return true;
}

} // namespace

int main(int argc, char **argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: mirage-run-fake BUNDLE...\n");
    return 2;
  }
  for (int i = 1; i < argc; ++i)
    if (!runOne(argv[i]))
      return 1;
  return 0;
}
