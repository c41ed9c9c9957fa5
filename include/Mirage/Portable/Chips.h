//===- Chips.h - The one table of NVIDIA chips ------------------*- C++ -*-===//
//
// Every chip Mirage-MLIR knows, declared once: the architectures the PTX
// pipeline (--mirage-to-ptx) compiles for, and the GPUs whose figures the
// search's cost model uses, each GPU naming its architecture (so the shared
// memory of a block is written once). Standard C++17 only (no LLVM, no MLIR),
// like the rest of include/Mirage/Portable, so that the GPU runtime, which
// builds with cuda.h alone, can include it too. docs/Vocabulary.md.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_PORTABLE_CHIPS_H
#define MIRAGE_PORTABLE_CHIPS_H

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace mirage::portable {

/// An NVIDIA architecture, as ptxas and the `.target` directive name it.
struct ChipInfo {
  /// "sm_90", "sm_90a", ...
  const char *name;
  /// The compute capability: sm_90a -> 90.
  int computeCapability;
  /// The PTX ISA, as an NVPTX feature: the first that supports the chip, and
  /// at least 7.0 (the first with mma.sync m16n8k16 and cp.async); sm_90
  /// takes 8.0 as the first ISA with all of Hopper's features.
  const char *ptxFeatures;
  /// The most dynamic shared memory one block may opt into, in bytes.
  int64_t sharedMemoryPerBlock;
  /// mma.sync m16n8k16 and cp.async exist (sm_80 and newer).
  bool ampere;
};

/// A GPU the cost model describes (the machines the project measures on).
struct GpuInfo {
  /// "h100", "h200": the names of --mirage-superoptimize='gpu=...'.
  const char *name;
  /// Its architecture, an entry of chips().
  const char *chip;
  int64_t numSMs;
  double dramBytesPerSecond;
  /// Dense fp16/bf16 tensor-core rate with fp32 accumulation.
  double tensorFlopsPerSecond;
  /// Non-tensor (CUDA-core) fp32 rate.
  double cudaFlopsPerSecond;
  /// The fraction of the DRAM bandwidth one SM can draw on its own.
  double bandwidthShareOfOneSM;
  double launchSeconds;
};

/// A contiguous list of table entries.
template <typename T> struct TableRef {
  const T *first;
  size_t count;
  const T *begin() const { return first; }
  const T *end() const { return first + count; }
  size_t size() const { return count; }
  const T &operator[](size_t i) const { return first[i]; }
};

/// The chips CUDA 13's ptxas accepts, oldest first.
TableRef<ChipInfo> chips();
/// The GPUs of the cost model.
TableRef<GpuInfo> gpus();

/// The chip named `name`, or null.
const ChipInfo *findChip(std::string_view name);
/// The GPU named `name`, or null.
const GpuInfo *findGpu(std::string_view name);
/// The architecture of `gpu` (always in the table).
const ChipInfo &chipOf(const GpuInfo &gpu);

} // namespace mirage::portable

#endif // MIRAGE_PORTABLE_CHIPS_H
