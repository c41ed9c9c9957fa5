//===- MgpuEmu.cpp - The mgpu* runtime wrappers on the PTX emulator -------===//
//
// Upstream's gpu-to-llvm lowers gpu.alloc, gpu.memcpy, gpu.dealloc and
// gpu.launch_func to calls of the CUDA runtime wrappers (mgpuMemAlloc,
// mgpuLaunchKernel, ...), and the gpu.binary of each kernel module to a
// global constructor that loads it (mgpuModuleLoadJIT for PTX). This
// library gives those functions the same signatures, runs the kernels on
// the PTX emulator (docs/Emulator.md) and keeps "device" memory in host
// memory, so that a module from mirage-mixed-to-gpu (format=isa) runs
// under mlir-runner without a GPU (docs/Import.md, "Running a mixed module
// on a GPU"). Every launch is checked: the kernel exists, the launch shape
// and dynamic shared memory are within the chip's limits, each parameter
// points into a live device buffer, and the emulator's checks find nothing;
// anything else stops the program with a message and exit status 1.
//
//===----------------------------------------------------------------------===//

#include "Mirage/Emulator/Emulator.h"
#include "Mirage/Emulator/Ptx.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

using namespace mirage;

namespace {

constexpr const char *kTool = "mirage-mgpu-emu";
/// CUDA's launch limits, and the largest dynamic shared memory a block of
/// any chip we compile for may opt into (sm_90's 227 KiB).
constexpr int64_t kMaxThreadsPerBlock = 1024;
constexpr int64_t kMaxSharedBytes = 232448;

[[noreturn]] void fail(const std::string &message) {
  llvm::outs().flush();
  llvm::errs() << kTool << ": " << message << "\n";
  llvm::errs().flush();
  std::exit(1);
}

struct LoadedModule {
  emu::Module ptx;
};

struct Function {
  LoadedModule *module;
  const emu::Kernel *kernel;
};

struct State {
  /// Device buffers: host memory, by base address, with their sizes.
  std::map<uintptr_t, uint64_t> buffers;
  std::vector<std::unique_ptr<LoadedModule>> modules;
  std::vector<std::unique_ptr<Function>> functions;
  unsigned launches = 0;
};

State &state() {
  static State s;
  return s;
}

/// The device buffer holding `address`, or buffers.end().
std::map<uintptr_t, uint64_t>::iterator findBuffer(uintptr_t address) {
  auto &buffers = state().buffers;
  auto it = buffers.upper_bound(address);
  if (it == buffers.begin())
    return buffers.end();
  --it;
  return address < it->first + it->second ? it : buffers.end();
}

int stream = 0;

} // namespace

extern "C" {

void *mgpuModuleLoad(void *, size_t) {
  fail("a cubin or fatbin cannot be emulated: lower with "
       "mirage-mixed-to-gpu{format=isa} (PTX)");
}

void *mgpuModuleLoadJIT(void *data, int) {
  const char *text = static_cast<const char *>(data);
  llvm::Expected<emu::Module> parsed =
      emu::parsePtx(llvm::StringRef(text), "gpu.binary");
  if (!parsed)
    fail(llvm::toString(parsed.takeError()));
  auto module = std::make_unique<LoadedModule>();
  module->ptx = std::move(*parsed);
  state().modules.push_back(std::move(module));
  return state().modules.back().get();
}

void mgpuModuleUnload(void *) {}

void *mgpuModuleGetFunction(void *module, const char *name) {
  auto *loaded = static_cast<LoadedModule *>(module);
  const emu::Kernel *kernel = loaded->ptx.lookup(name);
  if (!kernel)
    fail(std::string("no kernel '") + name + "' in the loaded PTX");
  state().functions.push_back(
      std::make_unique<Function>(Function{loaded, kernel}));
  return state().functions.back().get();
}

void *mgpuStreamCreate() { return &stream; }
void mgpuStreamDestroy(void *) {}
void mgpuStreamSynchronize(void *) {}
void mgpuStreamWaitEvent(void *, void *) {}
void *mgpuEventCreate() { return &stream; }
void mgpuEventDestroy(void *) {}
void mgpuEventSynchronize(void *) {}
void mgpuEventRecord(void *, void *) {}

void *mgpuMemAlloc(uint64_t bytes, void *, bool) {
  // 256-byte aligned, as cuMemAlloc's; never empty, so that every buffer
  // has its own address.
  uint64_t size = bytes == 0 ? 256 : (bytes + 255) / 256 * 256;
  void *p = std::aligned_alloc(256, size);
  if (!p)
    fail("out of memory allocating " + std::to_string(bytes) + " bytes");
  std::memset(p, 0xff, size); // as the emulator's outputs: NaN bytes
  state().buffers[reinterpret_cast<uintptr_t>(p)] = bytes;
  return p;
}

void mgpuMemFree(void *ptr, void *) {
  auto &buffers = state().buffers;
  auto it = buffers.find(reinterpret_cast<uintptr_t>(ptr));
  if (it == buffers.end())
    fail("mgpuMemFree of an address that is not a device buffer");
  buffers.erase(it);
  std::free(ptr);
}

void mgpuMemcpy(void *dst, void *src, size_t bytes, void *) {
  auto d = findBuffer(reinterpret_cast<uintptr_t>(dst));
  auto s = findBuffer(reinterpret_cast<uintptr_t>(src));
  auto end = state().buffers.end();
  if (d == end && s == end)
    fail("mgpuMemcpy between two host buffers");
  auto inside = [&](auto it, void *p) {
    return it == end ||
           reinterpret_cast<uintptr_t>(p) + bytes <= it->first + it->second;
  };
  if (!inside(d, dst) || !inside(s, src))
    fail("mgpuMemcpy of " + std::to_string(bytes) +
         " bytes past the end of a device buffer");
  std::memmove(dst, src, bytes);
}

void mgpuMemset32(void *dst, unsigned value, size_t count, void *) {
  auto *p = static_cast<uint32_t *>(dst);
  for (size_t i = 0; i < count; ++i)
    p[i] = value;
}

void mgpuMemset16(void *dst, unsigned short value, size_t count, void *) {
  auto *p = static_cast<uint16_t *>(dst);
  for (size_t i = 0; i < count; ++i)
    p[i] = value;
}

void mgpuLaunchKernel(void *function, intptr_t gridX, intptr_t gridY,
                      intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                      intptr_t blockZ, int32_t smem, void *, void **params,
                      void **extra, size_t paramsCount) {
  auto *f = static_cast<Function *>(function);
  const std::string name = f->kernel->name;
  unsigned index = state().launches++;
  std::string where = "launch " + std::to_string(index) + " of '" + name + "'";
  if (extra)
    fail(where + ": extra launch parameters are not supported");
  if (paramsCount != f->kernel->params.size())
    fail(where + ": " + std::to_string(paramsCount) +
         " parameters, the "
         "kernel takes " +
         std::to_string(f->kernel->params.size()));
  for (intptr_t extent : {gridX, gridY, gridZ, blockX, blockY, blockZ})
    if (extent < 1 || extent > INT32_MAX)
      fail(where + ": a grid or block extent out of range");
  if (blockX * blockY * blockZ > kMaxThreadsPerBlock)
    fail(where + ": more than 1024 threads per block");
  if (smem < 0 || smem > kMaxSharedBytes)
    fail(where + ": " + std::to_string(smem) +
         " bytes of dynamic shared memory, more than any chip allows");

  // The buffers the kernel reads and writes, at the emulator's addresses:
  // every parameter is a pointer into a live device buffer (the kernels
  // take their memrefs as bare pointers).
  emu::EmulatorOptions options;
  options.maxInstructions = uint64_t(1) << 34;
  emu::Emulator emulator(f->module->ptx, options);
  std::map<uintptr_t, uint64_t> emulated; // host base -> emulator address
  emu::Launch launch;
  launch.kernel = f->kernel;
  launch.grid = {unsigned(gridX), unsigned(gridY), unsigned(gridZ)};
  launch.block = {unsigned(blockX), unsigned(blockY), unsigned(blockZ)};
  launch.dynamicSharedBytes = uint64_t(smem);
  for (size_t i = 0; i < paramsCount; ++i) {
    uintptr_t value;
    std::memcpy(&value, params[i], sizeof(value));
    auto it = findBuffer(value);
    if (it == state().buffers.end())
      fail(where + ": parameter " + std::to_string(i) +
           " does not point into a device buffer");
    auto [slot, added] = emulated.try_emplace(it->first, 0);
    if (added) {
      slot->second =
          emulator.allocate("parameter " + std::to_string(i), it->second, 0);
      std::memcpy(emulator.buffer(slot->second).data(),
                  reinterpret_cast<void *>(it->first), it->second);
    }
    launch.params.push_back(slot->second + (value - it->first));
  }
  bool completed = emulator.run(launch);
  llvm::outs().flush();
  uint64_t findings = 0;
  for (unsigned k = 0; k < emu::kNumFindingKinds; ++k)
    findings += emulator.count(static_cast<emu::FindingKind>(k));
  for (const emu::Finding &finding : emulator.findings())
    llvm::errs() << finding.message << "\n";
  if (!completed || findings)
    fail(where + ": the emulator found " + std::to_string(findings) +
         " problem(s)");
  for (auto [base, address] : emulated)
    std::memcpy(reinterpret_cast<void *>(base), emulator.buffer(address).data(),
                emulator.buffer(address).size());
}

} // extern "C"
