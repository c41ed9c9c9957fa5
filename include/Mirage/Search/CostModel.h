//===- CostModel.h - Predicted run time of μGraphs --------------*- C++ -*-===//
//
// An analytic cost model that ranks verified μGraphs without running them
// (docs/CostModel.md gives the formulas). Per kernel launch:
//
//   time = launch + max(bytes / achievable bandwidth,
//                       tensor-core FLOPs / achievable tensor-core rate,
//                       CUDA-core FLOPs / achievable CUDA-core rate)
//
// where a graph-defined kernel's bytes count every block's loads (so inputs
// replicated across blocks are counted once per block that reads them) and
// stores, and the achievable rates scale with the SMs its blocks keep busy
// and with how evenly the blocks spread over the SMs.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_SEARCH_COSTMODEL_H
#define MIRAGE_SEARCH_COSTMODEL_H

#include "Mirage/Core/UGraph.h"

#include "llvm/ADT/StringRef.h"

#include <optional>

namespace mirage {

/// The figures of a GPU the model needs, from the chip table
/// (Mirage/Portable/Chips.h).
struct GpuParams {
  const char *name;
  int64_t numSMs;
  double dramBytesPerSecond;
  /// Dense fp16/bf16 tensor-core rate with fp32 accumulation.
  double tensorFlopsPerSecond;
  /// Non-tensor (CUDA-core) fp32 rate.
  double cudaFlopsPerSecond;
  int64_t sharedMemoryPerBlock;
  /// The fraction of the DRAM bandwidth one SM can draw on its own.
  double bandwidthShareOfOneSM;
  double launchSeconds;
};

/// H100 SXM5 and H200 SXM (the machines the project measures on).
const GpuParams &h100Params();
const GpuParams &h200Params();
/// The parameter set of the GPU named `name` in the chip table ("h100",
/// "h200").
std::optional<GpuParams> gpuParamsByName(llvm::StringRef name);

/// The predicted figures of one kernel launch.
struct KernelCost {
  double dramBytes = 0;
  double tensorFlops = 0;
  double cudaFlops = 0;
  int64_t blocks = 1;
  /// Shared memory one block needs (single-buffered), and with the
  /// double-buffered copies of its for-loop (Mirage/Core/SharedMemory.h).
  int64_t sharedMemoryBytes = 0;
  int64_t pipelinedSharedMemoryBytes = 0;
  double seconds = 0;
};

/// The predicted figures of a whole program.
struct ProgramCost {
  std::vector<KernelCost> kernels;
  double seconds = 0;
};

ProgramCost estimateCost(const KernelGraph &graph, const GpuParams &gpu);

} // namespace mirage

#endif // MIRAGE_SEARCH_COSTMODEL_H
