//===- CostModel.cpp - Predicted run time of μGraphs ------------*- C++ -*-===//

#include "Mirage/Search/CostModel.h"
#include "Mirage/Core/SharedMemory.h"
#include "Mirage/Portable/Chips.h"

#include "llvm/ADT/DenseSet.h"
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
  // A constant computes nothing (and is no kernel: estimateCost).
  case NonElementwiseOpKind::Constant:
  case NonElementwiseOpKind::Loader:
  case NonElementwiseOpKind::Saver:
  case NonElementwiseOpKind::GraphDefined:
  case NonElementwiseOpKind::Concat:
  // Layout ops compute nothing: their cost is the memory they move.
  case NonElementwiseOpKind::Transpose:
  case NonElementwiseOpKind::Reshape:
  case NonElementwiseOpKind::Broadcast:
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
///  * `overlapped`: copies overlap compute (a pre-defined kernel, a kernel
///    without a loop, or a loop whose copies are double-buffered), and the
///    time is the largest of the three; otherwise a looped kernel waits for
///    each copy, and memory and compute times add up.
static void finishKernel(KernelCost &cost, const GpuParams &gpu,
                         bool overlapped = true) {
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
  double memory = cost.dramBytes / bandwidth;
  double compute =
      std::max(cost.tensorFlops / (gpu.tensorFlopsPerSecond * computeShare),
               cost.cudaFlops / (gpu.cudaFlopsPerSecond * computeShare));
  double seconds = overlapped ? std::max(memory, compute) : memory + compute;
  cost.seconds = gpu.launchSeconds + seconds;
}

static KernelCost graphDefinedCost(const BlockGraph &graph,
                                   const GpuParams &gpu) {
  KernelCost cost;
  cost.blocks = graph.launch.numBlocks();
  BlockSharedMemory smem = blockSharedMemory(graph);
  cost.sharedMemoryBytes = smem.bytes;
  cost.pipelinedSharedMemoryBytes = smem.pipelinedBytes;
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
  bool overlapped = graph.launch.forloopRange < 2 ||
                    smem.pipelinedBytes <= gpu.sharedMemoryPerBlock;
  finishKernel(cost, gpu, overlapped);
  return cost;
}

/// A pre-defined kernel op is priced as a well-tuned library kernel: its
/// operands and results cross DRAM once and it fills the GPU.
static KernelCost predefinedCost(const OpNode &op,
                                 llvm::ArrayRef<ValueInfo> values,
                                 const llvm::DenseSet<ValueId> &constants,
                                 const GpuParams &gpu) {
  KernelCost cost;
  // A constant operand is no read: the kernel computes its value.
  for (ValueId v : op.operands)
    if (!constants.contains(v))
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
  // A constant is no kernel and no read of device memory.
  llvm::DenseSet<ValueId> constants;
  for (const OpNode &op : graph.ops) {
    if (op.kind == OpKind::Constant) {
      constants.insert(op.results.front());
      continue;
    }
    KernelCost cost =
        op.kind == OpKind::GraphDefined
            ? graphDefinedCost(graph.blockGraphs[op.blockGraph], gpu)
            : predefinedCost(op, graph.values, constants, gpu);
    program.seconds += cost.seconds;
    program.kernels.push_back(cost);
  }
  return program;
}
