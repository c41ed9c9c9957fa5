//===- Interpreter.cpp - Kernel-level evaluation and the public API -------===//

#include "Evaluator.h"
#include "Mirage/Portable/Random.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/FormatVariadic.h"

#include <limits>
#include <list>

using namespace mirage;
using namespace mirage::detail;

/// The floats a tensor of `shape` holds; saturated, so that a shape no
/// caller has checked makes std::vector throw rather than wrap to a small
/// size. Callers check evaluationBytes against a memory limit first.
static size_t numFloats(llvm::ArrayRef<int64_t> shape, unsigned lanes) {
  return static_cast<size_t>(
      checkedMulSize(mirage::numElements(shape), lanes)
          .value_or(std::numeric_limits<int64_t>::max()));
}

Tensor::Tensor(Shape shape, DType dtype, unsigned lanes)
    : shape(std::move(shape)), dtype(dtype), lanes(lanes),
      data(numFloats(this->shape, lanes), 0.0f) {}

/// The bytes of one value in `system`, or std::nullopt on overflow.
static std::optional<int64_t> valueBytes(const ValueInfo &info,
                                         NumberSystem system) {
  return checkedNumBytes(info.shape, sizeof(float), lanesOf(system));
}

std::optional<int64_t> mirage::evaluationBytes(const KernelGraph &graph,
                                               NumberSystem system,
                                               int64_t heldInputBytes) {
  int64_t largestComputed = 0, largestA = 0, largestTile = 0, longestK = 0;
  size_t n = graph.values.size();
  std::vector<int64_t> bytesOf(n, 0);
  // The inputs seededInputs leaves drawn (they hold nothing).
  std::vector<bool> drawn(n, false);
  for (auto [v, info] : llvm::enumerate(graph.values)) {
    std::optional<int64_t> bytes = valueBytes(info, system);
    if (!bytes)
      return std::nullopt;
    bytesOf[v] = *bytes;
    if (v >= graph.numInputs)
      largestComputed = std::max(largestComputed, *bytes);
    else
      drawn[v] = *bytes > heldInputBytes;
  }
  // The kernel-level values live at once, as the evaluator frees them
  // (Evaluator::run): the inputs throughout, each computed value from its
  // op to its last use (the outputs to the end).
  std::vector<size_t> lastUse(n, 0);
  for (auto [k, op] : llvm::enumerate(graph.ops))
    for (ValueId v : op.operands)
      lastUse[v] = k;
  for (ValueId v : graph.outputs)
    lastUse[v] = graph.ops.size();
  int64_t live = 0;
  for (unsigned i = 0; i < graph.numInputs && i < n; ++i) {
    if (drawn[i])
      continue;
    if (!addSizeTo(live, bytesOf[i]))
      return std::nullopt;
  }
  int64_t total = live;
  // Drawn inputs read where they are drawn: the second operand of a matmul
  // a block of columns at a time (at most the packed block's bytes twice
  // over, or one panel), a loader's tile (counted with the tiles below);
  // any other op draws its drawn operands whole while it runs.
  int64_t drawnBlock = 0;
  for (auto [k, op] : llvm::enumerate(graph.ops)) {
    int64_t drawnWhole = 0;
    if (op.kind != OpKind::GraphDefined)
      for (auto [i, v] : llvm::enumerate(op.operands)) {
        if (!drawn[v])
          continue;
        if (op.kind == OpKind::Matmul && i == 1 && !drawn[op.operands[0]]) {
          drawnBlock = std::max(drawnBlock, bytesOf[v]);
          continue;
        }
        if (!addSizeTo(drawnWhole, bytesOf[v]))
          return std::nullopt;
      }
    for (ValueId r : op.results)
      if (!addSizeTo(live, bytesOf[r]))
        return std::nullopt;
    std::optional<int64_t> during = checkedAddSize(live, drawnWhole);
    if (!during)
      return std::nullopt;
    total = std::max(total, *during);
    for (ValueId v : op.operands)
      if (lastUse[v] == k && static_cast<unsigned>(v) >= graph.numInputs) {
        live -= bytesOf[v];
        lastUse[v] = SIZE_MAX; // an operand listed twice is freed once
      }
  }
  // The first operand of a matmul is packed whole (in double); the second a
  // block of panels at a time (Kernels::multiplyViews), from the cache of
  // packed stable operands in a block graph.
  int64_t largestB = 0;
  bool blockMatmul = false;
  auto matmulOperands = [&](const std::vector<ValueInfo> &values,
                            const std::vector<OpNode> &ops, bool inBlock) {
    for (const OpNode &op : ops) {
      if (op.kind != OpKind::Matmul && op.kind != OpKind::ConcatMatmul)
        continue;
      blockMatmul = blockMatmul || inBlock;
      for (ValueId v : op.operands) {
        const ValueInfo &info = values[v];
        if (!info.shape.empty())
          longestK = std::max(longestK, info.shape.back());
      }
      // (concat_matmul packs its first two operands into one and its last
      // two into another: count all four on both sides.)
      llvm::ArrayRef<ValueId> operands(op.operands);
      bool plain = op.kind == OpKind::Matmul;
      int64_t a = 0, b = 0;
      for (ValueId v : plain ? operands.take_front() : operands)
        a += valueBytes(values[v], system).value_or(0);
      for (ValueId v : plain ? operands.drop_front() : operands)
        b += valueBytes(values[v], system).value_or(0);
      largestA = std::max(largestA, a);
      largestB = std::max(largestB, b);
    }
  };
  matmulOperands(graph.values, graph.ops, /*inBlock=*/false);
  for (const BlockGraph &bg : graph.blockGraphs) {
    matmulOperands(bg.values, bg.ops, /*inBlock=*/true);
    for (size_t v = bg.numInputs; v < bg.values.size(); ++v) {
      std::optional<int64_t> bytes = valueBytes(bg.values[v], system);
      if (!bytes || !addSizeTo(total, checkedMulSize(*bytes, 3)))
        return std::nullopt;
      largestTile = std::max(largestTile, *bytes);
    }
  }
  // The engine's scratch, grown and kept for the whole evaluation: double
  // accumulators and other per-op buffers (twice the largest computed
  // value), the packed first operands (twice the largest), twice the
  // largest tile, one block of packed second operands (8 MiB, or one panel
  // of 12 columns of double pairs when that is more, and never more than
  // the operand in double), and the cache of packed stable operands when a
  // block graph multiplies.
  int64_t panel = 12 * 2 * static_cast<int64_t>(sizeof(double));
  std::optional<int64_t> panelBytes = checkedMulSize(longestK, panel);
  std::optional<int64_t> twiceB = checkedMulSize(largestB, 2);
  if (!panelBytes || !twiceB)
    return std::nullopt;
  int64_t scratch = std::min(std::max(kPackedBlockBytes, *panelBytes), *twiceB);
  if (drawnBlock) {
    // The drawn block is floats: as many bytes as the packed block of one
    // lane in floats, or twice those of both lanes in double.
    std::optional<int64_t> block =
        checkedMulSize(std::max(kPackedBlockBytes, *panelBytes), 2);
    if (!block)
      return std::nullopt;
    scratch += std::min(drawnBlock, *block);
  }
  // An input returned as it is, drawn, is held as an output.
  for (ValueId v : graph.outputs)
    if (v >= 0 && static_cast<size_t>(v) < n && drawn[v] &&
        !addSizeTo(scratch, bytesOf[v]))
      return std::nullopt;
  if (blockMatmul)
    scratch += kPackedCacheBytes;
  for (int64_t part : {largestComputed, largestA, largestTile})
    if (!addSizeTo(scratch, checkedMulSize(part, 2)))
      return std::nullopt;
  std::optional<int64_t> sum = checkedAddSize(total, scratch);
  if (!sum)
    return std::nullopt;
  return *sum;
}

std::optional<int64_t> mirage::inputBytes(const KernelGraph &graph,
                                          NumberSystem system,
                                          int64_t heldInputBytes) {
  int64_t total = 0;
  for (unsigned i = 0; i < graph.numInputs && i < graph.values.size(); ++i) {
    std::optional<int64_t> bytes = valueBytes(graph.values[i], system);
    if (bytes && *bytes > heldInputBytes)
      continue; // drawn where it is read
    if (!addSizeTo(total, bytes))
      return std::nullopt;
  }
  return total;
}

std::optional<int64_t> mirage::interfaceBytes(const KernelGraph &graph,
                                              NumberSystem system) {
  int64_t total = 0;
  auto add = [&](ValueId v) {
    return addSizeTo(total, valueBytes(graph.values[v], system));
  };
  for (unsigned i = 0; i < graph.numInputs; ++i)
    if (!add(static_cast<ValueId>(i)))
      return std::nullopt;
  for (ValueId v : graph.outputs)
    if (v < 0 || static_cast<size_t>(v) >= graph.values.size() || !add(v))
      return std::nullopt;
  return total;
}

template <class D>
void Evaluator<D>::runCommonOp(const OpNode &op, llvm::ArrayRef<View> operands,
                               const std::vector<ValueInfo> &values,
                               Tensor &out, int64_t reductionDimx,
                               unsigned lanes) {
  // A constant has no operand.
  size_t rank = op.operands.empty() ? out.shape.size()
                                    : values[op.operands[0]].shape.size();
  if (isUnaryElementwise(op.kind))
    return kernels.unary(op, operands[0], out);
  if (isBinaryElementwise(op.kind))
    return kernels.binary(op.kind, operands[0], operands[1], out);
  switch (*asNonElementwiseOpKind(op.kind)) {
  case NonElementwiseOpKind::Matmul:
    return kernels.matmul(operands[0], operands[1], out, nullptr, nullptr,
                          lanes);
  case NonElementwiseOpKind::ConcatMatmul:
    return kernels.matmul(operands[0], operands[2], out, &operands[1],
                          &operands[3], lanes);
  case NonElementwiseOpKind::Reduction:
    return kernels.reduce(operands[0], padDim(op.dim, rank), op.size, out);
  case NonElementwiseOpKind::ReductionToDimx:
    return kernels.reduce(operands[0], padDim(op.dim, rank), reductionDimx,
                          out);
  case NonElementwiseOpKind::RmsNorm: {
    // Kernel level: over `normalizedShape`, with eps and weight; block
    // level: over the last dim.
    int64_t rowLength = op.normalizedShape.empty()
                            ? values[op.operands[0]].shape.back()
                            : numElements(op.normalizedShape);
    View weight;
    if (operands.size() > 1)
      weight = operands[1];
    return kernels.rmsNorm(operands[0], rowLength, op.scalarA,
                           operands.size() > 1 ? &weight : nullptr, out);
  }
  case NonElementwiseOpKind::Concat:
    return kernels.concat(operands, padDim(op.dim, rank), out);
  case NonElementwiseOpKind::ReduceMax:
    return kernels.reduceMax(operands[0], padDim(op.dim, rank), out);
  case NonElementwiseOpKind::ReduceMean:
    return kernels.reduceMean(operands[0], padDim(op.dim, rank), out);
  // Layout ops are re-indexings: a strided view of the operand copied in the
  // result's row-major order, each lane exactly (docs/Semantics.md).
  case NonElementwiseOpKind::Transpose: {
    View permuted = operands[0];
    unsigned pad = padDim(0, rank);
    for (size_t d = 0; d < rank; ++d) {
      permuted.shape[pad + d] = operands[0].shape[pad + op.dims[d]];
      permuted.stride[pad + d] = operands[0].stride[pad + op.dims[d]];
    }
    return kernels.copy(permuted, out.data.data());
  }
  case NonElementwiseOpKind::Reshape:
    // The operand's elements in its row-major order are the result's.
    return kernels.copy(operands[0], out.data.data());
  case NonElementwiseOpKind::Broadcast: {
    View repeated = operands[0];
    repeated.shape = padShape(out.shape);
    repeated.stride = {0, 0, 0, 0};
    size_t outRank = out.shape.size();
    unsigned outPad = padDim(0, outRank), inPad = padDim(0, rank), next = 0;
    for (size_t d = 0; d < outRank; ++d)
      if (!llvm::is_contained(op.dims, static_cast<int64_t>(d)))
        repeated.stride[outPad + d] = operands[0].stride[inPad + next++];
    return kernels.copy(repeated, out.data.data());
  }
  case NonElementwiseOpKind::Constant:
    return kernels.fill(op.scalarA, out);
  case NonElementwiseOpKind::GraphDefined:
  case NonElementwiseOpKind::Loader:
  case NonElementwiseOpKind::Saver:
  case NonElementwiseOpKind::RunningMax:
  case NonElementwiseOpKind::Accum:
    break;
  }
  // Element-wise ops returned above; loaders, savers, accumulators and
  // graph-defined kernels are run by their graphs, never here.
  llvm_unreachable("runCommonOp on an op its graph runs itself");
}

template <class D>
std::vector<Tensor>
Evaluator<D>::run(const KernelGraph &graph, llvm::ArrayRef<Tensor> inputs,
                  llvm::function_ref<void(ValueId, const Tensor &)> observe) {
  constexpr unsigned L = D::L;
  size_t n = graph.values.size();
  std::vector<Tensor> owned(n);
  std::vector<const Tensor *> value(n, nullptr);
  for (unsigned i = 0; i < graph.numInputs; ++i)
    value[i] = &inputs[i];
  // Free intermediates after their last use: the examples' tensors are large.
  std::vector<size_t> lastUse(n, 0);
  for (size_t k = 0; k < graph.ops.size(); ++k)
    for (ValueId v : graph.ops[k].operands)
      lastUse[v] = k;
  for (ValueId v : graph.outputs)
    lastUse[v] = graph.ops.size();

  llvm::SmallVector<View, 4> views;
  std::list<std::vector<float>> drawnOperands;
  llvm::SmallVector<const Tensor *, 4> blockInputs;
  for (size_t k = 0; k < graph.ops.size(); ++k) {
    const OpNode &op = graph.ops[k];
    for (ValueId r : op.results) {
      owned[r] = Tensor(graph.values[r].shape, graph.values[r].dtype, L);
      value[r] = &owned[r];
    }
    if (op.kind == OpKind::GraphDefined) {
      blockInputs.clear();
      for (ValueId v : op.operands)
        blockInputs.push_back(value[v]);
      llvm::SmallVector<Tensor, 4> outs;
      for (ValueId r : op.results)
        outs.push_back(std::move(owned[r]));
      runBlockGraph(graph.blockGraphs[op.blockGraph], blockInputs, outs);
      for (auto [r, t] : llvm::zip(op.results, outs))
        owned[r] = std::move(t);
    } else {
      views.clear();
      for (auto [i, v] : llvm::enumerate(op.operands)) {
        View view = viewOf(*value[v]);
        // A drawn input is read where it is drawn only as the second
        // operand of a matmul (Kernels::multiplyViews, a block of columns
        // at a time); other ops read it drawn whole for the op.
        bool inPlace = op.kind == OpKind::Matmul && i == 1 &&
                       !value[op.operands[0]]->isDrawn();
        if (view.drawn && !inPlace) {
          drawnOperands.emplace_back();
          view = heldView(view, L, drawnOperands.back());
        }
        views.push_back(view);
      }
      runCommonOp(op, views, graph.values, owned[op.results[0]], 64);
      drawnOperands.clear();
    }
    if (observe)
      for (ValueId r : op.results)
        observe(r, *value[r]);
    for (ValueId v : op.operands)
      if (lastUse[v] == k && static_cast<unsigned>(v) >= graph.numInputs)
        owned[v] = Tensor();
  }
  // Computed outputs are moved out (the last time each is listed), not
  // copied: a graph whose every value is an output (Provenance.cpp) would
  // otherwise hold each twice.
  std::vector<unsigned> listed(n, 0);
  for (ValueId v : graph.outputs)
    ++listed[v];
  std::vector<Tensor> results;
  for (ValueId v : graph.outputs) {
    if (--listed[v] == 0 && static_cast<unsigned>(v) >= graph.numInputs) {
      results.push_back(std::move(owned[v]));
    } else if (value[v]->isDrawn()) {
      // An input returned as it is: its elements, drawn.
      const Tensor &input = *value[v];
      Tensor held(input.shape, input.dtype, L);
      drawView(viewOf(input), L, held.data.data());
      results.push_back(std::move(held));
    } else {
      results.push_back(*value[v]);
    }
  }
  return results;
}

template class mirage::detail::Evaluator<FloatDomain>;
template class mirage::detail::Evaluator<FieldDomain>;

llvm::Expected<EvalResult> mirage::evaluate(const KernelGraph &graph,
                                            NumberSystem system,
                                            llvm::ArrayRef<Tensor> inputs,
                                            uint64_t modelSeed) {
  return evaluate(graph, system, inputs, modelSeed, nullptr);
}

llvm::Expected<EvalResult>
mirage::evaluate(const KernelGraph &graph, NumberSystem system,
                 llvm::ArrayRef<Tensor> inputs, uint64_t modelSeed,
                 llvm::function_ref<void(ValueId, const Tensor &)> observe) {
  if (llvm::Error err = checkEvaluable(graph))
    return std::move(err);
  if (inputs.size() != graph.numInputs)
    return llvm::createStringError(
        llvm::formatv("'{0}' takes {1} inputs, got {2}", graph.name,
                      graph.numInputs, inputs.size())
            .str());
  for (unsigned i = 0; i < graph.numInputs; ++i) {
    const ValueInfo &info = graph.values[i];
    if (inputs[i].shape != info.shape || inputs[i].lanes != lanesOf(system) ||
        (inputs[i].isDrawn()
             ? !inputs[i].data.empty() || inputs[i].dtype != info.dtype
             : inputs[i].data.size() !=
                   static_cast<size_t>(numElements(info.shape) *
                                       lanesOf(system))))
      return llvm::createStringError(
          llvm::formatv("input {0} of '{1}' has shape {2}, expected {3}", i,
                        graph.name, formatShape(inputs[i].shape),
                        formatShape(info.shape))
              .str());
  }
  EvalResult result;
  if (system == NumberSystem::Float) {
    Evaluator<FloatDomain> evaluator;
    result.outputs = evaluator.run(graph, inputs, observe);
  } else {
    Evaluator<FieldDomain> evaluator;
    evaluator.dom.setModelKey(field::modelKey(modelSeed));
    result.outputs = evaluator.run(graph, inputs, observe);
    result.inconclusive = evaluator.dom.inconclusive;
    result.inconclusiveReason = evaluator.dom.reason;
  }
  return result;
}

//===----------------------------------------------------------------------===//
// Seeded inputs
//===----------------------------------------------------------------------===//

Tensor mirage::randomInput(const ValueInfo &info, NumberSystem system,
                           uint64_t seed, unsigned inputIndex, double scale) {
  Tensor tensor(info.shape, info.dtype, lanesOf(system));
  int64_t n = tensor.numElements();
  for (int64_t i = 0; i < n; ++i) {
    if (system == NumberSystem::Float) {
      tensor.data[i] = static_cast<float>(portable::randomValue(
          seed, inputIndex, static_cast<uint64_t>(i), scale, info.dtype));
    } else {
      uint64_t bits =
          portable::randomBits(seed, inputIndex, static_cast<uint64_t>(i));
      tensor.data[2 * i] = static_cast<float>(((bits >> 32) * field::kP) >> 32);
      tensor.data[2 * i + 1] =
          static_cast<float>(((bits & 0xffffffffULL) * field::kQ) >> 32);
    }
  }
  return tensor;
}

std::vector<Tensor> mirage::randomInputs(const KernelGraph &graph,
                                         NumberSystem system, uint64_t seed,
                                         double scale) {
  std::vector<Tensor> inputs;
  for (unsigned i = 0; i < graph.numInputs; ++i)
    inputs.push_back(randomInput(graph.values[i], system, seed, i, scale));
  return inputs;
}

Tensor mirage::seededInput(const ValueInfo &info, NumberSystem system,
                           uint64_t seed, unsigned inputIndex, double scale,
                           int64_t heldBytes) {
  std::optional<int64_t> bytes = valueBytes(info, system);
  if (bytes && *bytes <= heldBytes)
    return randomInput(info, system, seed, inputIndex, scale);
  // Not held (nor allocated): evaluate draws its elements where it reads
  // them (Evaluator::run, runBlockGraph's loaders).
  Tensor drawn;
  drawn.shape = info.shape;
  drawn.dtype = info.dtype;
  drawn.lanes = lanesOf(system);
  drawn.drawn = SeededSource{seed, inputIndex, scale};
  return drawn;
}

std::vector<Tensor> mirage::seededInputs(const KernelGraph &graph,
                                         NumberSystem system, uint64_t seed,
                                         double scale, int64_t heldBytes) {
  std::vector<Tensor> inputs;
  for (unsigned i = 0; i < graph.numInputs; ++i)
    inputs.push_back(
        seededInput(graph.values[i], system, seed, i, scale, heldBytes));
  return inputs;
}
