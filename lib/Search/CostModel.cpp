//===- CostModel.cpp - Predicted run time of μGraphs ------------*- C++ -*-===//

#include "Mirage/Search/CostModel.h"
#include "Mirage/Portable/Chips.h"

#include "llvm/ADT/StringSwitch.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace mirage;

/// The cost model's figures of a GPU of the chip table
/// (Mirage/Portable/Chips.h), with its architecture's shared memory.
static GpuParams paramsOf(const portable::GpuInfo &gpu) {
  return {gpu.name,
          gpu.numSMs,
          gpu.dramBytesPerSecond,
          gpu.tensorFlopsPerSecond,
          gpu.cudaFlopsPerSecond,
          portable::chipOf(gpu).sharedMemoryPerBlock,
          gpu.bandwidthShareOfOneSM,
          gpu.launchSeconds};
}

const GpuParams &mirage::h100Params() {
  static const GpuParams params = *gpuParamsByName("h100");
  return params;
}

const GpuParams &mirage::h200Params() {
  static const GpuParams params = *gpuParamsByName("h200");
  return params;
}

std::optional<GpuParams> mirage::gpuParamsByName(llvm::StringRef name) {
  if (const portable::GpuInfo *gpu =
          portable::findGpu(std::string_view(name.data(), name.size())))
    return paramsOf(*gpu);
  return std::nullopt;
}

static int64_t bytesOf(const ValueInfo &info) {
  return numElements(info.shape) * dtypeBytes(info.dtype);
}

int64_t mirage::blockSharedMemoryBytes(const BlockGraph &graph) {
  int64_t bytes = 0;
  for (const OpNode &op : graph.ops) {
    if (isInPlace(op.kind) || op.kind == OpKind::Saver)
      continue; // savers write device memory
    for (ValueId result : op.results)
      bytes += bytesOf(graph.values[result]);
  }
  return bytes;
}

/// FLOPs of one evaluation of `op`, split by the unit that runs it.
static void countFlops(const OpNode &op, llvm::ArrayRef<ValueInfo> values,
                       double &tensor, double &cuda) {
  const ValueInfo &out = values[op.results.front()];
  double outElements = static_cast<double>(numElements(out.shape));
  if (isElementwise(op.kind)) {
    // Transcendental functions and divisions cost a few operations.
    cuda += opKindInfo(op.kind).costPerElement * outElements;
    return;
  }
  switch (*asNonElementwiseOpKind(op.kind)) {
  case NonElementwiseOpKind::Matmul: {
    const Shape &lhs = values[op.operands[0]].shape;
    tensor += 2.0 * outElements * static_cast<double>(lhs.back());
    return;
  }
  case NonElementwiseOpKind::ConcatMatmul: {
    const Shape &lhs1 = values[op.operands[0]].shape;
    const Shape &lhs2 = values[op.operands[1]].shape;
    tensor +=
        2.0 * outElements * static_cast<double>(lhs1.back() + lhs2.back());
    return;
  }
  case NonElementwiseOpKind::Loader:
  case NonElementwiseOpKind::Saver:
  case NonElementwiseOpKind::GraphDefined:
  case NonElementwiseOpKind::Concat:
    return;
  case NonElementwiseOpKind::Reduction:
  case NonElementwiseOpKind::ReduceMax:
  case NonElementwiseOpKind::ReduceMean:
  case NonElementwiseOpKind::ReductionToDimx:
  case NonElementwiseOpKind::RunningMax:
  case NonElementwiseOpKind::RmsNorm:
  case NonElementwiseOpKind::Accum: {
    // Proportional to the input, a few operations per element.
    double inElements =
        static_cast<double>(numElements(values[op.operands[0]].shape));
    cuda += 2.0 * inElements;
    return;
  }
  }
}

/// Finishes `cost` from its bytes, FLOPs and blocks.
///  * Bandwidth: each busy SM draws at most `bandwidthShareOfOneSM` of the
///    DRAM bandwidth, so a kernel with few blocks cannot saturate it.
///  * Compute: the fraction of SMs with work, times the balance of blocks
///    over SMs (133 equal blocks on 132 SMs take as long as 264).
///  * A block that needs more shared memory than the GPU has cannot run:
///    its cost is infinite.
static void finishKernel(KernelCost &cost, const GpuParams &gpu) {
  if (cost.sharedMemoryBytes > gpu.sharedMemoryPerBlock) {
    cost.seconds = std::numeric_limits<double>::infinity();
    return;
  }
  int64_t activeSMs = std::min<int64_t>(gpu.numSMs, cost.blocks);
  int64_t blocksPerBusiestSM = (cost.blocks + gpu.numSMs - 1) / gpu.numSMs;
  double balance = static_cast<double>(cost.blocks) /
                   static_cast<double>(activeSMs * blocksPerBusiestSM);
  double bandwidth = gpu.dramBytesPerSecond *
                     std::min(1.0, activeSMs * gpu.bandwidthShareOfOneSM);
  double computeShare = static_cast<double>(activeSMs) / gpu.numSMs * balance;
  double seconds =
      std::max({cost.dramBytes / bandwidth,
                cost.tensorFlops / (gpu.tensorFlopsPerSecond * computeShare),
                cost.cudaFlops / (gpu.cudaFlopsPerSecond * computeShare)});
  cost.seconds = gpu.launchSeconds + seconds;
}

static KernelCost graphDefinedCost(const BlockGraph &graph,
                                   const GpuParams &gpu) {
  KernelCost cost;
  cost.blocks = graph.launch.numBlocks();
  cost.sharedMemoryBytes = blockSharedMemoryBytes(graph);
  double iterations = static_cast<double>(graph.launch.forloopRange);
  double tensor = 0, cuda = 0, bytes = 0;
  for (const OpNode &op : graph.ops) {
    bool perIteration =
        op.kind != OpKind::Saver && !graph.values[op.results[0]].accumulated;
    double repeat = perIteration ? iterations : 1.0;
    if (op.kind == OpKind::Loader) {
      // A loader without a for-loop dimension reads its tile once.
      bool looped = op.dim != kReplicate;
      bytes += bytesOf(graph.values[op.results[0]]) * (looped ? iterations : 1);
      continue;
    }
    if (op.kind == OpKind::Saver) {
      bytes += bytesOf(graph.values[op.operands[0]]);
      continue;
    }
    double t = 0, c = 0;
    countFlops(op, graph.values, t, c);
    tensor += t * repeat;
    cuda += c * repeat;
  }
  double blocks = static_cast<double>(cost.blocks);
  cost.dramBytes = bytes * blocks;
  cost.tensorFlops = tensor * blocks;
  cost.cudaFlops = cuda * blocks;
  finishKernel(cost, gpu);
  return cost;
}

/// A pre-defined kernel op is priced as a well-tuned library kernel: its
/// operands and results cross DRAM once and it fills the GPU.
static KernelCost predefinedCost(const OpNode &op,
                                 llvm::ArrayRef<ValueInfo> values,
                                 const GpuParams &gpu) {
  KernelCost cost;
  for (ValueId v : op.operands)
    cost.dramBytes += bytesOf(values[v]);
  for (ValueId v : op.results)
    cost.dramBytes += bytesOf(values[v]);
  countFlops(op, values, cost.tensorFlops, cost.cudaFlops);
  cost.blocks = gpu.numSMs * 4;
  finishKernel(cost, gpu);
  return cost;
}

ProgramCost mirage::estimateCost(const KernelGraph &graph,
                                 const GpuParams &gpu) {
  ProgramCost program;
  for (const OpNode &op : graph.ops) {
    KernelCost cost =
        op.kind == OpKind::GraphDefined
            ? graphDefinedCost(graph.blockGraphs[op.blockGraph], gpu)
            : predefinedCost(op, graph.values, gpu);
    program.seconds += cost.seconds;
    program.kernels.push_back(cost);
  }
  return program;
}
