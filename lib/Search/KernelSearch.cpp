//===- KernelSearch.cpp - Kernel-level search of the μGraph -----*- C++ -*-===//

#include "KernelSearch.h"

#include "Mirage/Core/SharedMemory.h"
#include "Mirage/Search/AbstractExpr.h"
#include "Mirage/Search/CostModel.h"
#include "Mirage/Support/ShapeRules.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/EquivalenceClasses.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Sequence.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <set>

using namespace mirage;
using namespace mirage::search;

bool mirage::search::canReachOutputs(int64_t dangling, int64_t outputs,
                                     unsigned opsLeft, unsigned kernelsLeft,
                                     const SearchOptions &options) {
  int64_t launches = std::min(opsLeft, kernelsLeft);
  int64_t others = opsLeft - launches;
  int64_t down =
      launches * std::max<int64_t>(1, options.maxBlockInputs - 1) + others;
  int64_t up =
      launches * std::max<int64_t>(1, options.maxBlockOutputs) + others;
  return dangling - outputs <= down && outputs - dangling <= up;
}

/// The dimensions of the reference's inputs that its outputs reduce over
/// (docs/Search.md, "Directing the enumeration"): each (value, dimension) of
/// extent above 1 gets a label; element-wise ops unify the labels of
/// aligned dimensions, a matmul those of its batch dimensions and of its
/// contraction, which it marks reduced, a reduction to size 1 marks its
/// dimension, rms_norm its normalized ones. Empty when the reference holds
/// an op the analysis does not know (every split is then allowed).
static std::vector<llvm::SmallVector<bool, 4>>
reducedInputDims(const KernelGraph &reference) {
  llvm::EquivalenceClasses<std::pair<ValueId, unsigned>> labels;
  llvm::DenseSet<std::pair<ValueId, unsigned>> reduced;
  auto rank = [&](ValueId v) -> unsigned {
    return reference.values[v].shape.size();
  };
  auto extent = [&](ValueId v, unsigned d) {
    return reference.values[v].shape[d];
  };
  auto unify = [&](ValueId a, unsigned da, ValueId b, unsigned db) {
    if (extent(a, da) > 1 && extent(b, db) > 1)
      labels.unionSets({a, da}, {b, db});
  };
  // Aligned from the last dimension (broadcasting).
  auto unifyAligned = [&](ValueId a, ValueId b, unsigned skip = 0) {
    unsigned ra = rank(a), rb = rank(b);
    for (unsigned i = skip; i < std::min(ra, rb); ++i)
      unify(a, ra - 1 - i, b, rb - 1 - i);
  };
  for (const OpNode &op : reference.ops) {
    if (op.results.size() != 1)
      return {};
    ValueId out = op.results[0];
    if (isElementwise(op.kind)) {
      for (ValueId in : op.operands)
        unifyAligned(in, out);
      continue;
    }
    // Not a switch over OpKind: every other op turns the analysis off.
    if (op.kind == OpKind::Matmul) {
      ValueId lhs = op.operands[0], rhs = op.operands[1];
      unsigned rl = rank(lhs), rr = rank(rhs), ro = rank(out);
      if (rl < 2 || rr < 2 || ro < 2)
        return {};
      unify(lhs, rl - 2, out, ro - 2);
      unify(rhs, rr - 1, out, ro - 1);
      unify(lhs, rl - 1, rhs, rr - 2);
      reduced.insert({lhs, rl - 1});
      reduced.insert({rhs, rr - 2});
      unifyAligned(lhs, out, 2);
      unifyAligned(rhs, out, 2);
    } else if (op.kind == OpKind::Reduction) {
      ValueId in = op.operands[0];
      if (rank(in) != rank(out) || op.dim < 0 ||
          op.dim >= static_cast<int64_t>(rank(in)))
        return {};
      for (unsigned d = 0; d < rank(in); ++d)
        if (static_cast<int64_t>(d) != op.dim)
          unify(in, d, out, d);
      if (extent(out, op.dim) == 1)
        reduced.insert({in, static_cast<unsigned>(op.dim)});
    } else if (op.kind == OpKind::RmsNorm) {
      ValueId in = op.operands[0];
      if (rank(in) != rank(out))
        return {};
      for (unsigned d = 0; d < rank(in); ++d)
        unify(in, d, out, d);
      unsigned normalized =
          op.normalizedShape.empty() ? 1 : op.normalizedShape.size();
      for (unsigned d = rank(in) - std::min(normalized, rank(in)); d < rank(in);
           ++d)
        reduced.insert({in, d});
    } else {
      return {};
    }
  }
  llvm::DenseSet<std::pair<ValueId, unsigned>> reducedLeaders;
  for (auto key : reduced)
    if (extent(key.first, key.second) > 1)
      reducedLeaders.insert(labels.getOrInsertLeaderValue(key));
  std::vector<llvm::SmallVector<bool, 4>> result;
  for (ValueId v = 0; v < static_cast<ValueId>(reference.numInputs); ++v) {
    llvm::SmallVector<bool, 4> dims;
    for (unsigned d = 0; d < rank(v); ++d)
      dims.push_back(
          extent(v, d) > 1 &&
          reducedLeaders.contains(labels.getOrInsertLeaderValue({v, d})));
    result.push_back(std::move(dims));
  }
  return result;
}

void KernelSearch::run() {
  tasks.start();
  reducedDims = reducedInputDims(reference);
  graph = KernelGraph();
  graph.name = reference.name;
  kernel.values = &graph.values;
  kernel.ops = &graph.ops;
  for (unsigned i = 0; i < reference.numInputs; ++i) {
    graph.addInput(reference.values[i]);
    kernel.uses.push_back(0);
    kernel.exprs.push_back(screen.inputExpr(i));
  }
  // Iterative deepening by the number of kernel ops, the cost model's
  // first term (every kernel pays a launch): the programs of one kernel
  // are all verified before any of two, and so on. The cheapest found
  // bound the later passes (partialLowerBound), and the last kernel of
  // each pass is bounded by its distance to the outputs. Every worker
  // walks the passes in the same order, so the tasks keep their numbers.
  passBound = std::numeric_limits<double>::infinity();
  for (opLimit = reference.numInputs + 1; opLimit <= options.maxKernelOps;
       ++opLimit) {
    kernelLevel(/*depth=*/0);
    // The passes end together: the bound of the next pass is the cost of
    // the k-th best candidate of the passes so far, the same for every
    // worker (a candidate the board skipped was strictly worse than k
    // found), so what the bound cuts does not depend on the threads.
    synchronize();
    if (tasks.outOfTime())
      return;
  }
}

void KernelSearch::synchronize() {
  std::optional<double> bound =
      tasks.sharedQueue().synchronize([&] { return board.costBound(); });
  if (bound)
    passBound = *bound;
}

bool KernelSearch::withinBound(double seconds) const {
  return seconds < board.referenceSeconds() && seconds <= passBound;
}

double KernelSearch::partialLowerBound(unsigned launching) const {
  // The pass verifies programs of exactly opLimit kernel ops, each paying
  // at least a launch.
  return estimateCost(graph, options.gpu).seconds +
         static_cast<double>(kernelOpsLeft() - launching) *
             options.gpu.launchSeconds;
}

//===----------------------------------------------------------------------===//
// Kernel level
//===----------------------------------------------------------------------===//

void KernelSearch::kernelLevel(unsigned depth) {
  if (tasks.outOfTime())
    return;
  ++tasks.tally().statesVisited;
  llvm::SmallVector<ValueId, 4> dangling;
  for (ValueId v = 0, e = graph.values.size(); v < e; ++v)
    if (kernel.uses[v] == 0)
      dangling.push_back(v);
  if (depth > 0 && dangling.size() == reference.outputs.size()) {
    // Programs of fewer ops were verified in an earlier pass.
    if (graph.numInputs + graph.ops.size() == opLimit)
      tasks.inTask([&] { verify(dangling); });
    return;
  }
  if (graph.numInputs + graph.ops.size() >= opLimit)
    return;
  // Inside a task: a program that needs another kernel after these
  // cannot beat the k-th best candidate found (nor the input).
  if (tasks.inside() && depth > 0 &&
      !withinBound(partialLowerBound(/*launching=*/0))) {
    ++tasks.tally().prunedCost;
    return;
  }
  if (!canReachOutputs(dangling.size(), reference.outputs.size(),
                       kernelOpsLeft(), kernelsLeft(), options)) {
    ++tasks.tally().prunedDangling;
    return;
  }
  enumerateKernelOps(depth);
  if (graph.blockGraphs.size() < options.maxGraphDefinedKernels)
    enumerateGraphDefined(depth);
}

unsigned KernelSearch::kernelOpsLeft() const {
  unsigned used = graph.numInputs + graph.ops.size();
  return used < opLimit ? opLimit - used : 0;
}

unsigned KernelSearch::kernelsLeft() const {
  unsigned used = graph.blockGraphs.size();
  return used < options.maxGraphDefinedKernels
             ? options.maxGraphDefinedKernels - used
             : 0;
}

/// The output counts a graph-defined kernel on `inputs` may have so that
/// the kernel graph can still be completed: once it closes, the dangling
/// tensors are those it leaves unconsumed plus its outputs, and the ops
/// left must take them to the reference's output count (the kernel that
/// uses the last op must produce exactly the missing outputs). Empty
/// when no count works; the block graph is then not searched at all,
/// which is what keeps the second kernel of a two-kernel program from
/// being searched on inputs that leave a tensor dangling.
std::optional<std::pair<unsigned, unsigned>>
KernelSearch::outputCounts(llvm::ArrayRef<ValueId> inputs) const {
  int64_t dangling = llvm::count(kernel.uses, 0);
  for (ValueId v : inputs)
    if (kernel.uses[v] == 0)
      --dangling;
  int64_t outputs = reference.outputs.size();
  unsigned opsLeft = kernelOpsLeft() - 1, launchesLeft = kernelsLeft() - 1;
  std::optional<std::pair<unsigned, unsigned>> range;
  for (unsigned n = 1; n <= options.maxBlockOutputs; ++n) {
    int64_t after = dangling + n;
    if (after != outputs &&
        (opsLeft == 0 ||
         !canReachOutputs(after, outputs, opsLeft, launchesLeft, options)))
      continue;
    if (!range)
      range = {n, n};
    range->second = n;
  }
  return range;
}

void KernelSearch::tryKernelOp(const OpNode &op, unsigned depth) {
  OpKey key = keyOf(op);
  if (!kernel.admits(key)) {
    ++tasks.tally().prunedCanonical;
    return;
  }
  llvm::SmallVector<ValueInfo, 1> results;
  const ValueInfo &lhs = graph.values[op.operands[0]];
  ValueInfo result = lhs;
  if (op.operands.size() == 2) {
    const ValueInfo &rhs = graph.values[op.operands[1]];
    bool fits =
        op.kind == OpKind::Matmul
            ? tryInferMatmulShape(lhs.shape, rhs.shape, result.shape)
            : tryInferBroadcastShape(lhs.shape, rhs.shape, result.shape);
    if (!fits || lhs.dtype != rhs.dtype) {
      ++tasks.tally().prunedShape;
      return;
    }
  }
  if (op.kind == OpKind::Reduction) {
    // Only generated with a dimension in range and size 1.
    result.shape[op.dim] = op.size;
  }
  results.push_back(result);
  llvm::SmallVector<ExprId, 2> exprs =
      screen.checkExprs(op, graph.values, kernel.exprs, nullptr, tasks.tally());
  if (exprs.empty())
    return;
  kernel.push(op, results, exprs);
  kernelLevel(depth + 1);
  kernel.pop();
}

void KernelSearch::enumerateKernelOps(unsigned depth) {
  // What the vocabulary marks searched at the kernel level: its
  // element-wise functions, matmul and the reduction.
  llvm::ArrayRef<OpKind> unary = searchedFunctions(1, /*blockLevel=*/false);
  static const llvm::SmallVector<OpKind, 8> binary = [] {
    llvm::SmallVector<OpKind, 8> kinds;
    if (isSearched(OpKind::Matmul, /*blockLevel=*/false))
      kinds.push_back(OpKind::Matmul);
    llvm::append_range(kinds, searchedFunctions(2, /*blockLevel=*/false));
    return kinds;
  }();
  static const bool reductions =
      isSearched(OpKind::Reduction, /*blockLevel=*/false);
  ValueId n = graph.values.size();
  for (ValueId a = 0; a < n; ++a) {
    screen.forEachUnary(unary, a, tasks.tally(),
                        [&](const OpNode &op) { tryKernelOp(op, depth); });
    // A sum over the last dimension (size 1: it becomes 1), of a computed
    // value. The abstract expressions say neither which dimension a sum
    // runs over nor what it sums apart (`sum(n, a * b) -> sum(n, a) * b`),
    // so a sum of a bare input passes the screen wherever the input takes
    // part in a matmul, and every such kernel graph was searched below it
    // (at a small scaled attention, 2.2x the fingerprint tests and no
    // better result). A graph-defined kernel still sums inputs (accumulator
    // `sum`).
    if (reductions && a >= graph.numInputs) {
      Shape shape = graph.values[a].shape;
      for (int64_t d = shape.size() - 1, e = shape.size(); d < e; ++d) {
        if (shape[d] <= 1)
          continue;
        OpNode op = makeOpNode(OpKind::Reduction, {a});
        op.dim = d;
        op.size = 1;
        tryKernelOp(op, depth);
      }
    }
    for (ValueId b = 0; b < n; ++b)
      for (OpKind kind : binary) {
        if ((kind == OpKind::Add || kind == OpKind::Mul) && b < a)
          continue; // commutative: one operand order
        // mul(a, a) is square(a), bit for bit, at no less cost: only the
        // square is built.
        if (kind == OpKind::Mul && a == b &&
            llvm::is_contained(unary, OpKind::Square)) {
          ++tasks.tally().prunedCanonical;
          continue;
        }
        OpNode op;
        op.kind = kind;
        op.operands = {a, b};
        tryKernelOp(op, depth);
      }
  }
}

//===----------------------------------------------------------------------===//
// Graph-defined kernels: inputs, launch, loaders
//===----------------------------------------------------------------------===//

void KernelSearch::enumerateGraphDefined(unsigned depth) {
  ValueId n = graph.values.size();
  unsigned maxInputs = std::min<unsigned>(options.maxBlockInputs, n);
  // Every subset of the available tensors (in increasing id order), not
  // only Mirage's "last two".
  for (uint32_t mask = 1; mask < (1u << n); ++mask) {
    if (static_cast<unsigned>(llvm::popcount(mask)) > maxInputs)
      continue;
    llvm::SmallVector<ValueId, 4> inputs;
    for (ValueId v = 0; v < n; ++v)
      if (mask & (1u << v))
        inputs.push_back(v);
    OpNode probe;
    probe.kind = OpKind::GraphDefined;
    probe.operands.assign(inputs.begin(), inputs.end());
    if (!kernel.admits(keyOf(probe))) {
      ++tasks.tally().prunedCanonical;
      continue;
    }
    if (!outputCounts(inputs)) {
      ++tasks.tally().prunedDangling;
      continue;
    }
    if (kernelOpsLeft() == 1 ? !lastKernelCanBuildOutputs(inputs)
                             : !followersCanBuildOutputs(inputs)) {
      ++tasks.tally().prunedAbstractExpr;
      continue;
    }
    enumerateLaunches(inputs, depth);
    if (tasks.outOfTime())
      return;
  }
}

/// The least time a launch of `blocks` blocks that reads `bytes` per block
/// can take under the cost model (docs/CostModel.md): its launch and its
/// reads at the bandwidth its busy SMs can draw. Whatever block graph
/// follows only adds (computation, stores).
static double launchLowerBound(double bytes, int64_t blocks,
                               const GpuParams &gpu) {
  int64_t active = std::min<int64_t>(gpu.numSMs, std::max<int64_t>(blocks, 1));
  double bandwidth =
      gpu.dramBytesPerSecond *
      std::min(1.0, static_cast<double>(active) * gpu.bandwidthShareOfOneSM);
  return gpu.launchSeconds + bytes * static_cast<double>(blocks) / bandwidth;
}

void KernelSearch::enumerateLaunches(llvm::ArrayRef<ValueId> inputs,
                                     unsigned depth) {
  std::vector<Shape> shapes;
  for (ValueId v : inputs)
    shapes.push_back(graph.values[v].shape);
  std::vector<DimMap> imaps = candidateImaps(options.imaps);
  std::vector<Launch> launches;
  // The fewest blocks whose SMs draw the whole DRAM bandwidth (the cost
  // model's bandwidth term), at most one per SM.
  double share = options.gpu.bandwidthShareOfOneSM;
  int64_t saturating =
      share > 0 && share <= 1
          ? std::min<int64_t>(options.gpu.numSMs,
                              static_cast<int64_t>(std::ceil(1.0 / share)))
          : options.gpu.numSMs;
  for (const Grid &grid :
       candidateGrids(shapes, options.gpu.numSMs, saturating, options.grids)) {
    // The imaps that map only axes of more than one block (acceptImaps
    // would reject the others).
    std::vector<DimMap> usable;
    for (const DimMap &imap : imaps)
      if (llvm::all_of(llvm::seq<unsigned>(0, kNumGridAxes), [&](unsigned a) {
            return imap[a] == kReplicate || grid[a] > 1;
          }))
        usable.push_back(imap);
    llvm::SmallVector<DimMap, 4> chosen(inputs.size());
    forEachImapCombination(grid, shapes, usable, chosen, 0, [&] {
      if (splitsReducedDim(inputs, chosen)) {
        ++tasks.tally().prunedAbstractExpr;
        return;
      }
      enumerateFmaps(inputs, shapes, grid, chosen, launches);
    });
  }
  // Best first: by the least time each launch can take (its reads), so
  // that cheap programs are verified early and bound the rest (the cost
  // bound of buildLoaders). A launch that replicates a large input over
  // many blocks comes after those that split it. Stable: among equal
  // bounds, the order of the grids (wave efficiency), imaps and fmaps.
  llvm::stable_sort(launches, [](const Launch &a, const Launch &b) {
    return a.lowerBound < b.lowerBound;
  });
  for (auto [i, launch] : llvm::enumerate(launches)) {
    // Above the tasks, every kLaunchesPerBound launches, the workers meet
    // and take the k-th best candidate found so far as the cost bound:
    // cheap programs found by the first launches cut the later ones, the
    // same with any number of threads.
    if (i > 0 && i % kLaunchesPerBound == 0 && !tasks.inside())
      synchronize();
    startBlockGraph(inputs, launch.grid, launch.imaps, launch.fmaps,
                    launch.range, depth);
    if (tasks.outOfTime())
      return;
  }
}

/// Whether a kernel that must compute the outputs (it takes the last op
/// and every dangling tensor) splits over its grid a dimension the outputs
/// reduce over (reducedInputDims) of a reference input that it is the only
/// one of its inputs to depend on: each block would see part of a sum (or
/// of a row to normalize) and write its own part of the output, and no
/// later kernel could combine the parts; no other input carries what the
/// block does not load. Before, only a kernel on the reference's inputs
/// alone was checked; a kernel after pre-defined ops that did not read the
/// input is bound alike (QKNorm-GQA: V's keys after kernel.matmul(Q, K)).
/// A for-loop may still split the dimension.
bool KernelSearch::splitsReducedDim(llvm::ArrayRef<ValueId> inputs,
                                    llvm::ArrayRef<DimMap> imaps) const {
  if (reducedDims.empty() || kernelOpsLeft() != 1)
    return false;
  for (ValueId v = 0, e = graph.values.size(); v < e; ++v)
    if (kernel.uses[v] == 0 && !llvm::is_contained(inputs, v))
      return false;
  // The reference inputs each value depends on (at most 16 inputs).
  std::vector<uint32_t> deps(graph.values.size(), 0);
  for (unsigned i = 0; i < graph.numInputs; ++i)
    deps[i] = 1u << i;
  for (const OpNode &op : graph.ops) {
    uint32_t mask = 0;
    for (ValueId v : op.operands)
      mask |= deps[v];
    for (ValueId r : op.results)
      deps[r] = mask;
  }
  for (auto [v, imap] : llvm::zip_equal(inputs, imaps)) {
    if (v >= static_cast<ValueId>(graph.numInputs) ||
        v >= static_cast<ValueId>(reducedDims.size()))
      continue;
    ValueId input = v;
    if (llvm::any_of(inputs, [&](ValueId u) {
          return u != input && (deps[u] & (1u << input)) != 0;
        }))
      continue;
    for (int64_t d : imap)
      if (d != kReplicate && d < static_cast<int64_t>(reducedDims[v].size()) &&
          reducedDims[v][d])
        return true;
  }
  return false;
}

template <typename Fn>
void KernelSearch::forEachImapCombination(const Grid &grid,
                                          llvm::ArrayRef<Shape> shapes,
                                          llvm::ArrayRef<DimMap> imaps,
                                          llvm::SmallVectorImpl<DimMap> &chosen,
                                          unsigned index, Fn &&fn) {
  if (index == shapes.size()) {
    if (acceptImaps(grid, shapes, chosen))
      fn();
    return;
  }
  for (const DimMap &imap : imaps) {
    chosen[index] = imap;
    forEachImapCombination(grid, shapes, imaps, chosen, index + 1, fn);
  }
}

void KernelSearch::enumerateFmaps(llvm::ArrayRef<ValueId> inputs,
                                  llvm::ArrayRef<Shape> shapes,
                                  const Grid &grid,
                                  llvm::ArrayRef<DimMap> imaps,
                                  std::vector<Launch> &launches) {
  // The per-block extents after the grid split.
  std::vector<Shape> blockShapes;
  for (auto [shape, imap] : llvm::zip_equal(shapes, imaps)) {
    Shape block = shape;
    for (unsigned a = 0; a < kNumGridAxes; ++a)
      if (imap[a] != kReplicate)
        block[imap[a]] /= grid[a];
    blockShapes.push_back(block);
  }
  llvm::SmallVector<int64_t, 4> fmaps(inputs.size());
  llvm::SmallVector<int64_t, 4> elementBytes;
  for (ValueId v : inputs)
    elementBytes.push_back(dtypeBytes(graph.values[v].dtype));
  // What every block reads: its tiles, each once (the loop reads the
  // looped ones piece by piece).
  double bytes = 0;
  for (auto [block, size] : llvm::zip_equal(blockShapes, elementBytes))
    bytes +=
        static_cast<double>(numElements(block)) * static_cast<double>(size);
  double lowerBound =
      launchLowerBound(bytes, grid[0] * grid[1] * grid[2], options.gpu);
  std::function<void(unsigned)> choose = [&](unsigned index) {
    if (index == inputs.size()) {
      for (int64_t range : candidateForloopRanges(
               blockShapes, fmaps, elementBytes, options.sharedMemoryBytes,
               options.forloopRanges))
        launches.push_back({grid, llvm::SmallVector<DimMap, 4>(imaps), fmaps,
                            range, lowerBound});
      return;
    }
    for (int64_t fmap : candidateFmaps(blockShapes[index])) {
      fmaps[index] = fmap;
      choose(index + 1);
    }
  };
  choose(0);
}

void KernelSearch::startBlockGraph(llvm::ArrayRef<ValueId> inputs,
                                   const Grid &grid,
                                   llvm::ArrayRef<DimMap> imaps,
                                   llvm::ArrayRef<int64_t> fmaps, int64_t range,
                                   unsigned depth) {
  if (tasks.outOfTime())
    return;
  tasks.inTask([&] { buildLoaders(inputs, grid, imaps, fmaps, range, depth); });
}

/// The extents a block graph on loaders of `tiles` can reduce over, a
/// superset: every tile it makes has dimensions of the loaders' tiles (a
/// matmul's result takes its operands', a reduction leaves 1), or the
/// reduction dimx; a matmul, a reduction or rms_norm reduces over one of
/// them (d), an accumulator over the iterations (r) or r * d, sum_to_dimx
/// over r * d / dimx.
static std::vector<int64_t> reducibleExtents(llvm::ArrayRef<ValueInfo> tiles,
                                             const LaunchShape &launch) {
  std::set<int64_t> dims = {1, launch.reductionDimx};
  for (const ValueInfo &tile : tiles)
    dims.insert(tile.shape.begin(), tile.shape.end());
  int64_t r = std::max<int64_t>(1, launch.forloopRange);
  std::set<int64_t> extents = {r};
  for (int64_t d : dims) {
    extents.insert(d);
    extents.insert(r * d);
    if (launch.reductionDimx > 0)
      extents.insert(std::max<int64_t>(1, r * d / launch.reductionDimx));
  }
  return std::vector<int64_t>(extents.begin(), extents.end());
}

void KernelSearch::buildLoaders(llvm::ArrayRef<ValueId> inputs,
                                const Grid &grid, llvm::ArrayRef<DimMap> imaps,
                                llvm::ArrayRef<int64_t> fmaps, int64_t range,
                                unsigned depth) {
  LaunchShape launch;
  launch.grid.assign(grid.begin(), grid.end());
  launch.block = {128, 1, 1};
  launch.forloopRange = range;
  launch.reductionDimx = 64;
  // The tiles first: most launches end at a cached search with nothing to
  // close, and need no block graph at all.
  llvm::SmallVector<ValueInfo, 4> tiles;
  int64_t smem = 0;
  for (unsigned i = 0; i < inputs.size(); ++i) {
    const ValueInfo &input = graph.values[inputs[i]];
    auto tile = inferLoaderTileShape(input.shape, imaps[i], fmaps[i], launch);
    if (!tile) {
      llvm::consumeError(tile.takeError());
      ++tasks.tally().prunedShape;
      return;
    }
    ValueInfo info = input;
    info.shape = std::move(*tile);
    info.accumulated = false;
    smem += bytesOf(info);
    tiles.push_back(std::move(info));
  }
  if (smem > options.sharedMemoryBytes) {
    ++tasks.tally().prunedSharedMemory;
    return;
  }
  // The cost bound (inside the task only): the program so far, plus the
  // least this launch can take.
  if (tasks.inside()) {
    double bytes = 0;
    for (auto [tile, fmap] : llvm::zip_equal(tiles, fmaps))
      bytes += static_cast<double>(bytesOf(tile)) *
               static_cast<double>(fmap != kReplicate ? range : 1);
    double seconds = partialLowerBound(/*launching=*/1) +
                     launchLowerBound(bytes, launch.numBlocks(), options.gpu);
    if (!withinBound(seconds)) {
      ++tasks.tally().prunedCost;
      return;
    }
  }
  auto [minOutputs, maxOutputs] = *outputCounts(inputs);
  llvm::SmallVector<ExprId, 4> inputExprs;
  for (ValueId v : inputs)
    inputExprs.push_back(kernel.exprs[v]);
  // The distance to the outputs in the saturated e-graph bounds the block
  // search (BlockSearch::opsToOutputs): the outputs must be built from the
  // kernel graph's values and this kernel's block values by the block ops
  // left and the kernel ops after this one (`slack`: a pre-defined op adds
  // at most 1 to a height, a graph-defined kernel at most max-block-ops).
  // The kernel that takes the last op and every dangling tensor sees only
  // its inputs: heights from them, no slack. Not with running_max and
  // rescale (opaque values) or concat_matmul (two products and a sum in
  // one op).
  std::shared_ptr<const ExprScreen::OutputDistance> distance;
  unsigned slack = 0;
  bool lastKernel =
      kernelOpsLeft() == 1 &&
      llvm::all_of(llvm::seq<ValueId>(0, graph.values.size()), [&](ValueId v) {
        return kernel.uses[v] != 0 || llvm::is_contained(inputs, v);
      });
  if (options.preset != Preset::Lora && !screen.hasOperator(AbsOp::Max)) {
    if (lastKernel) {
      std::vector<int64_t> extents = reducibleExtents(tiles, launch);
      distance = screen.outputDistance(inputExprs, extents);
    } else {
      unsigned after = kernelOpsLeft() - 1;
      unsigned launchesAfter = std::min(after, kernelsLeft() - 1);
      slack = (after - launchesAfter) + launchesAfter * options.maxBlockOps;
      distance = screen.outputDistance(kernel.exprs);
    }
  }
  BlockSearchKey key =
      blockSearchKey(inputExprs, tiles, launch, minOutputs, maxOutputs);
  // The bound changes the outcome: its inputs are part of the key.
  key.push_back(distance != nullptr);
  if (distance && !lastKernel) {
    key.push_back(slack);
    llvm::append_range(key, kernel.exprs);
  }
  // Shared: the closures' continuations may search (and evict) others.
  std::shared_ptr<const BlockSearchOutcome> search =
      memo.lookup(key, tasks.tally());
  if (search && search->closures.empty())
    return;

  BlockGraph block;
  block.launch = launch;
  block.numInputs = inputs.size();
  GraphState state;
  state.values = &block.values;
  state.ops = &block.ops;
  for (ValueId v : inputs) {
    block.values.push_back(graph.values[v]);
    state.uses.push_back(1); // each kernel input is loaded once
    state.exprs.push_back(kernel.exprs[v]);
  }
  for (unsigned i = 0; i < inputs.size(); ++i) {
    OpNode loader;
    loader.kind = OpKind::Loader;
    loader.operands = {static_cast<ValueId>(i)};
    loader.map = imaps[i];
    loader.dim = fmaps[i];
    // A loader's expression is its input's (partitioning is ignored).
    state.push(loader, tiles[i], state.exprs[i]);
  }
  // Loaders are fixed by the launch; the search orders the ops after them.
  state.keys.clear();
  if (!search)
    search = searchBlockGraphs(std::move(key), block, state, smem, minOutputs,
                               maxOutputs, distance.get(), slack);
  // Each closable block graph becomes a kernel op, under each omap, and
  // the search goes on at the kernel level.
  bool last = kernelOpsLeft() == 1;
  for (const BlockClosure &closure : search->closures) {
    if (screen.redundantClosure(closure.exprs, kernel.exprs, last)) {
      ++tasks.tally().prunedAbstractExpr;
      continue;
    }
    BlockGraph closed = block;
    llvm::append_range(closed.values, closure.values);
    llvm::append_range(closed.ops, closure.ops);
    closeBlockGraph(closed, inputs, closure.dangling, closure.exprs, depth);
    if (tasks.outOfTime())
      return;
  }
}

/// Searches the block graphs that start from `block`'s loaders, and
/// keeps the outcome under `key`. Many launches give the same tiles
/// (another grid or imap with the same per-block extents), and in a
/// two-kernel program every closure of the first kernel searches the
/// second anew: without the memo, the second kernel's block graphs are
/// enumerated again for each.
std::shared_ptr<const BlockSearchOutcome> KernelSearch::searchBlockGraphs(
    BlockSearchKey key, BlockGraph &block, GraphState &state, int64_t smem,
    unsigned minOutputs, unsigned maxOutputs,
    const ExprScreen::OutputDistance *distance, unsigned slack) {
  SearchStats before = tasks.tally();
  auto search = std::make_shared<BlockSearchOutcome>();
  blocks.run(block, state, smem, minOutputs, maxOutputs, search->closures,
             distance, slack);
  search->stats = tasks.tally().since(before);
  // A search cut short by the time budget is incomplete: not kept.
  if (!tasks.outOfTime())
    memo.insert(std::move(key), search);
  return search;
}

void KernelSearch::closeBlockGraph(const BlockGraph &block,
                                   llvm::ArrayRef<ValueId> kernelInputs,
                                   llvm::ArrayRef<ValueId> dangling,
                                   llvm::ArrayRef<ExprId> danglingExprs,
                                   unsigned depth) {
  unsigned rank = block.values[dangling.front()].shape.size();
  for (ValueId v : dangling)
    if (block.values[v].shape.size() != rank)
      return;
  Grid grid = {block.launch.grid[0], block.launch.grid[1],
               block.launch.grid[2]};
  // The shared memory the code generator lays out for the closed block
  // (Mirage/Core/SharedMemory.h), counted once: savers read the same
  // values under every omap.
  std::optional<bool> fits;
  for (const DimMap &omap : candidateOmaps(grid, rank, options.omaps)) {
    BlockGraph closed = block;
    llvm::SmallVector<ValueInfo, 2> outputs;
    llvm::SmallVector<ExprId, 2> outputExprs;
    bool ok = true;
    for (auto [v, expr] : llvm::zip_equal(dangling, danglingExprs)) {
      auto shape =
          inferSaverTensorShape(block.values[v].shape, omap, block.launch);
      if (!shape) {
        llvm::consumeError(shape.takeError());
        ok = false;
        break;
      }
      ValueInfo info = block.values[v];
      info.shape = *shape;
      info.accumulated = false;
      OpNode saver;
      saver.kind = OpKind::Saver;
      saver.operands = {v};
      saver.map = omap;
      saver.results = {addValue(closed.values, info)};
      closed.outputs.push_back(saver.results[0]);
      closed.ops.push_back(saver);
      outputs.push_back(info);
      outputExprs.push_back(expr);
    }
    if (!ok) {
      ++tasks.tally().prunedShape;
      continue;
    }
    if (!fits)
      fits = blockSharedMemory(closed).bytes <= options.sharedMemoryBytes;
    if (!*fits) {
      ++tasks.tally().prunedSharedMemory;
      return;
    }
    OpNode kernelOp;
    kernelOp.kind = OpKind::GraphDefined;
    kernelOp.operands.assign(kernelInputs.begin(), kernelInputs.end());
    kernelOp.blockGraph = graph.blockGraphs.size();
    graph.blockGraphs.push_back(std::move(closed));
    kernel.push(kernelOp, outputs, outputExprs);
    kernelLevel(depth + 1);
    kernel.pop();
    graph.blockGraphs.pop_back();
    if (tasks.outOfTime())
      return;
  }
}

//===----------------------------------------------------------------------===//
// Complete candidates
//===----------------------------------------------------------------------===//

/// Screens a complete candidate by its outputs' abstract expressions
/// (ExprScreen::exprsMatchOutputs: a hash lookup where a fingerprint
/// evaluates the program), then hands it to the board: cost bound and the
/// first fingerprint test; the survivors are confirmed with all tests at
/// the end of the search, cheapest first (confirmCandidates).
void KernelSearch::verify(llvm::ArrayRef<ValueId> dangling) {
  llvm::SmallVector<ExprId, 4> exprs;
  for (ValueId v : dangling)
    exprs.push_back(kernel.exprs[v]);
  if (!screen.exprsMatchOutputs(exprs)) {
    ++tasks.tally().prunedAbstractExpr;
    return;
  }
  graph.outputs.assign(dangling.begin(), dangling.end());
  board.screen(graph, tasks.currentTask(), tasks.tally());
}

/// Whether a graph-defined kernel on `inputs` that is not the last op but
/// the last graph-defined kernel the pass allows can be followed by
/// pre-defined ops that reach the reference's outputs (docs/Search.md,
/// "Directing the enumeration"). Each pre-defined op adds at most 1 to the
/// height of its result's class, and the kernel's values lie in the classes
/// constructible from its inputs' (ExprScreen::followersCanReachOutputs).
/// True where another graph-defined kernel may follow, and where the
/// distance bound is off (a maximum in the target, lora).
bool KernelSearch::followersCanBuildOutputs(llvm::ArrayRef<ValueId> inputs) {
  unsigned after = kernelOpsLeft() - 1;
  if (std::min(after, kernelsLeft() - 1) != 0 ||
      options.preset == Preset::Lora || screen.hasOperator(AbsOp::Max))
    return true;
  llvm::SmallVector<ExprId, 4> inputExprs;
  for (ValueId v : inputs)
    inputExprs.push_back(kernel.exprs[v]);
  return screen.followersCanReachOutputs(kernel.exprs, inputExprs, after);
}

/// Whether a graph-defined kernel that takes the last op, on `inputs`,
/// can compute the reference's outputs: it sees only its inputs, so each
/// output's class must be constructible from theirs in the saturated
/// e-graph (ExprScreen::canBuildOutputs). Where it is not, no block graph
/// of the kernel passes the screen of complete candidates, and its block
/// search is skipped. True when a dangling tensor outside `inputs` stays
/// one of the outputs.
bool KernelSearch::lastKernelCanBuildOutputs(llvm::ArrayRef<ValueId> inputs) {
  if (!screen.screensOutputs())
    return true;
  for (ValueId v = 0, e = graph.values.size(); v < e; ++v)
    if (kernel.uses[v] == 0 && !llvm::is_contained(inputs, v))
      return true;
  llvm::SmallVector<ExprId, 4> inputExprs;
  for (ValueId v : inputs)
    inputExprs.push_back(kernel.exprs[v]);
  return screen.canBuildOutputs(inputExprs);
}
