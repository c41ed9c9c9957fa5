//===- Superoptimizer.cpp - The μGraph search -------------------*- C++ -*-===//
//
// See Superoptimizer.h for the shape of the search and docs/Search.md for
// the rules: canonical order, the checks before each insertion, when a
// block graph can be closed, and how candidates are verified and ranked.
//
//===----------------------------------------------------------------------===//

#include "Mirage/Search/Superoptimizer.h"

#include "SearchState.h"

#include "Mirage/Search/AbstractExpr.h"
#include "Mirage/Search/AbstractPruner.h"
#include "Mirage/Semantics/Equivalence.h"
#include "Mirage/Semantics/Interpreter.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallSet.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <numeric>
#include <thread>
#include <unordered_map>

using namespace mirage;

void SearchOptions::applyPreset() {
  if (preset == Preset::Attention)
    maxGraphDefinedKernels = std::max(maxGraphDefinedKernels, 2u);
  if (preset == Preset::Lora)
    maxBlockInputs = std::max(maxBlockInputs, 4u);
}

void SearchStats::add(const SearchStats &other) {
  statesVisited += other.statesVisited;
  prunedCanonical += other.prunedCanonical;
  prunedShape += other.prunedShape;
  prunedSharedMemory += other.prunedSharedMemory;
  prunedAbstractExpr += other.prunedAbstractExpr;
  prunedCost += other.prunedCost;
  prunedUnclosable += other.prunedUnclosable;
  prunedDangling += other.prunedDangling;
  candidatesVerified += other.candidatesVerified;
  candidatesRejected += other.candidatesRejected;
  candidatesFound += other.candidatesFound;
}

namespace {

using namespace mirage::search;
using Clock = std::chrono::steady_clock;

class Worker;

/// A block graph the search can close: the values and ops after the
/// loaders, and its dangling tiles (all accumulated) with their
/// expressions.
struct BlockClosure {
  std::vector<ValueInfo> values;
  std::vector<OpNode> ops;
  llvm::SmallVector<ValueId, 2> dangling;
  llvm::SmallVector<ExprId, 2> exprs;
};

/// The outcome of the search of one block graph from its loaders: what
/// can be closed, in enumeration order, and the statistics of the search.
struct BlockSearch {
  std::vector<BlockClosure> closures;
  SearchStats stats;
};

using BlockSearchKey = llvm::SmallVector<int64_t, 24>;

struct BlockSearchKeyHash {
  size_t operator()(const BlockSearchKey &key) const {
    return llvm::hash_combine_range(key.begin(), key.end());
  }
};

/// The counters `after` has more than `before`.
static SearchStats difference(const SearchStats &after,
                              const SearchStats &before) {
  SearchStats d;
  d.statesVisited = after.statesVisited - before.statesVisited;
  d.prunedCanonical = after.prunedCanonical - before.prunedCanonical;
  d.prunedShape = after.prunedShape - before.prunedShape;
  d.prunedSharedMemory = after.prunedSharedMemory - before.prunedSharedMemory;
  d.prunedAbstractExpr = after.prunedAbstractExpr - before.prunedAbstractExpr;
  d.prunedCost = after.prunedCost - before.prunedCost;
  d.prunedUnclosable = after.prunedUnclosable - before.prunedUnclosable;
  d.prunedDangling = after.prunedDangling - before.prunedDangling;
  d.candidatesVerified = after.candidatesVerified - before.candidatesVerified;
  d.candidatesRejected = after.candidatesRejected - before.candidatesRejected;
  d.candidatesFound = after.candidatesFound - before.candidatesFound;
  return d;
}

/// State shared by all workers.
struct Shared {
  Shared(const KernelGraph &reference, const SearchOptions &options)
      : reference(reference), options(options) {}

  const KernelGraph &reference;
  const SearchOptions &options;
  ReferenceTests tests;
  std::vector<Shape> inputShapes;
  Clock::time_point deadline;
  bool hasDeadline = false;
  std::atomic<bool> outOfTime{false};
  std::atomic<uint64_t> nextTask{0};
  std::mutex mutex;
  std::map<uint64_t, std::vector<Candidate>> found; // by task
  SearchStats stats;
  /// The reference's predicted time: a candidate that is not faster is of
  /// no use and is not verified.
  double referenceSeconds = 0;
  /// The predicted times of the best verified candidates so far, at most
  /// topK, ascending (guarded by `mutex`).
  std::vector<double> bestSeconds;

  /// Whether a candidate predicted to take `seconds` could still be among
  /// the topK results. Only candidates strictly worse than the k-th best
  /// are dropped, so ties (and therefore the result) do not depend on the
  /// order in which the workers find candidates.
  bool worthVerifying(double seconds) {
    if (!(seconds < referenceSeconds))
      return false;
    std::lock_guard<std::mutex> lock(mutex);
    return bestSeconds.size() < options.topK || seconds <= bestSeconds.back();
  }

  void recordVerified(double seconds) {
    // Caller holds `mutex`.
    bestSeconds.insert(llvm::upper_bound(bestSeconds, seconds), seconds);
    if (bestSeconds.size() > options.topK)
      bestSeconds.pop_back();
  }
};

/// One thread of the search: its own expression pool and pruner (the
/// pruner's memo is not shared), its own graph under construction.
class Worker {
public:
  Worker(Shared &shared, unsigned index)
      : shared(shared), options(shared.options), builder(pool), index(index) {}

  llvm::Error init() {
    auto start = Clock::now();
    AbstractExprs target = computeAbstractExprs(builder, shared.reference);
    pruner = std::make_unique<AbstractPruner>(builder, target.outputs);
    // An element-wise function whose operator appears nowhere in the
    // saturated target cannot pass the query: skip it without building its
    // expression. (Its expression's root is always that operator.)
    auto present = [&](AbsOp kind) {
      return !pruner->egraph().classesWithOp(op(kind)).empty();
    };
    for (bool blockLevel : {false, true})
      for (OpKind kind : searchedFunctions(1, blockLevel))
        if (std::optional<AbsOp> abs = abstractOp(kind); abs && !present(*abs))
          absentKinds.insert(kind);
    // Block rms_norm is x / rms(n, x).
    if (!present(AbsOp::Rms) || !present(AbsOp::Div))
      absentKinds.insert(OpKind::RmsNorm);
    // The outputs' classes, for the screen of complete candidates (verify);
    // only with a saturated e-graph, where every rewriting the axioms give
    // is in it.
    if (!pruner->report().hitLimit()) {
      for (ExprId output : target.outputs) {
        std::optional<ClassId> cls = pruner->classOf(output);
        if (!cls) {
          outputClasses.clear();
          break;
        }
        outputClasses.push_back(*cls);
      }
    }
    stats.saturationSeconds =
        std::chrono::duration<double>(Clock::now() - start).count();
    return llvm::Error::success();
  }

  void run() {
    claimed = shared.nextTask.fetch_add(1);
    graph = KernelGraph();
    graph.name = shared.reference.name;
    kernel.values = &graph.values;
    kernel.ops = &graph.ops;
    for (unsigned i = 0; i < shared.reference.numInputs; ++i) {
      graph.addInput(shared.reference.values[i]);
      kernel.uses.push_back(0);
      kernel.exprs.push_back(builder.var(i));
    }
    taskIndex = 0;
    kernelLevel(/*depth=*/0);
    std::lock_guard<std::mutex> lock(shared.mutex);
    shared.stats.add(stats);
    shared.stats.saturationSeconds =
        std::max(shared.stats.saturationSeconds, stats.saturationSeconds);
  }

private:
  //===--------------------------------------------------------------------===//
  // Tasks, claimed in order by the workers.
  //===--------------------------------------------------------------------===//

  /// Claims the task starting here, in the order every worker meets task
  /// starts, or says that another worker owns it. A task is the first
  /// graph-defined launch on a path (with everything below it), or a
  /// complete candidate of pre-defined ops only; the pre-defined ops above
  /// the tasks are few and every worker walks them.
  bool claimTask() {
    uint64_t index = taskIndex++;
    if (index != claimed)
      return false;
    currentTask = index;
    claimed = shared.nextTask.fetch_add(1);
    return true;
  }

  /// Runs `body` as the task starting here if this worker owns it; inside
  /// a task, just runs it.
  template <typename Fn> void inTask(Fn &&body) {
    if (insideTask) {
      body();
      return;
    }
    if (!claimTask())
      return;
    insideTask = true;
    body();
    insideTask = false;
  }

  /// The statistics to count into: the part of the tree outside tasks is
  /// walked by every worker, and only worker 0 counts it.
  SearchStats &tally() { return insideTask || index == 0 ? stats : discarded; }

  bool outOfTime() {
    if (!shared.hasDeadline)
      return false;
    if (shared.outOfTime.load(std::memory_order_relaxed))
      return true;
    if ((++timeChecks & 255) == 0 && Clock::now() > shared.deadline)
      shared.outOfTime.store(true);
    return shared.outOfTime.load(std::memory_order_relaxed);
  }

  //===--------------------------------------------------------------------===//
  // Checks before an insertion
  //===--------------------------------------------------------------------===//

  /// The expressions of `op`'s results; empty when the pruner rejects one.
  llvm::SmallVector<ExprId, 2> checkExprs(const OpNode &op,
                                          llvm::ArrayRef<ValueInfo> values,
                                          llvm::ArrayRef<ExprId> exprs,
                                          const LaunchShape *launch) {
    llvm::SmallVector<ExprId, 2> results =
        buildAbstractExprs(builder, op, values, exprs, launch);
    for (ExprId e : results)
      if (pruner->query(e) == QueryResult::Prune) {
        ++tally().prunedAbstractExpr;
        return {};
      }
    return results;
  }

  //===--------------------------------------------------------------------===//
  // Kernel level
  //===--------------------------------------------------------------------===//

  void kernelLevel(unsigned depth) {
    if (outOfTime())
      return;
    ++tally().statesVisited;
    llvm::SmallVector<ValueId, 4> dangling;
    for (ValueId v = 0, e = graph.values.size(); v < e; ++v)
      if (kernel.uses[v] == 0)
        dangling.push_back(v);
    if (depth > 0 && dangling.size() == shared.reference.outputs.size()) {
      inTask([&] { verify(dangling); });
      return;
    }
    if (graph.numInputs + graph.ops.size() >= options.maxKernelOps)
      return;
    if (!canReachOutputs(dangling.size(), kernelOpsLeft(), kernelsLeft())) {
      ++tally().prunedDangling;
      return;
    }
    enumerateKernelOps(depth);
    if (graph.blockGraphs.size() < options.maxGraphDefinedKernels)
      enumerateGraphDefined(depth);
  }

  unsigned kernelOpsLeft() const {
    unsigned used = graph.numInputs + graph.ops.size();
    return used < options.maxKernelOps ? options.maxKernelOps - used : 0;
  }

  unsigned kernelsLeft() const {
    unsigned used = graph.blockGraphs.size();
    return used < options.maxGraphDefinedKernels
               ? options.maxGraphDefinedKernels - used
               : 0;
  }

  /// Whether `opsLeft` more kernel ops, `kernelsLeft` of them at most
  /// graph-defined, can take a graph with `dangling` dangling tensors to
  /// exactly the reference's output count (where it is verified). An op
  /// changes the count by at most: a pre-defined op -1 (a binary op on two
  /// dangling tensors) to +1; a graph-defined kernel -(inputs - 1) to
  /// +outputs.
  bool canReachOutputs(int64_t dangling, unsigned opsLeft,
                       unsigned kernelsLeft) const {
    int64_t outputs = shared.reference.outputs.size();
    int64_t launches = std::min(opsLeft, kernelsLeft);
    int64_t others = opsLeft - launches;
    int64_t down =
        launches * std::max<int64_t>(1, options.maxBlockInputs - 1) + others;
    int64_t up =
        launches * std::max<int64_t>(1, options.maxBlockOutputs) + others;
    return dangling - outputs <= down && outputs - dangling <= up;
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
  outputCounts(llvm::ArrayRef<ValueId> inputs) const {
    int64_t dangling = llvm::count(kernel.uses, 0);
    for (ValueId v : inputs)
      if (kernel.uses[v] == 0)
        --dangling;
    int64_t outputs = shared.reference.outputs.size();
    unsigned opsLeft = kernelOpsLeft() - 1, launchesLeft = kernelsLeft() - 1;
    std::optional<std::pair<unsigned, unsigned>> range;
    for (unsigned n = 1; n <= options.maxBlockOutputs; ++n) {
      int64_t after = dangling + n;
      if (after != outputs &&
          (opsLeft == 0 || !canReachOutputs(after, opsLeft, launchesLeft)))
        continue;
      if (!range)
        range = {n, n};
      range->second = n;
    }
    return range;
  }

  /// Calls `tryOp` with each unary op of `kinds` on `operand`, skipping the
  /// kinds whose operator the target lacks.
  template <typename Fn>
  void forEachUnary(llvm::ArrayRef<OpKind> kinds, ValueId operand, Fn &&tryOp) {
    for (OpKind kind : kinds) {
      if (absentKinds.contains(kind)) {
        ++tally().prunedAbstractExpr;
        continue;
      }
      tryOp(makeOpNode(kind, {operand}));
    }
  }

  void tryKernelOp(const OpNode &op, unsigned depth) {
    OpKey key = keyOf(op);
    if (!kernel.admits(key)) {
      ++tally().prunedCanonical;
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
        ++tally().prunedShape;
        return;
      }
    }
    results.push_back(result);
    llvm::SmallVector<ExprId, 2> exprs =
        checkExprs(op, graph.values, kernel.exprs, nullptr);
    if (exprs.empty())
      return;
    kernel.push(op, results, exprs);
    kernelLevel(depth + 1);
    kernel.pop();
  }

  void enumerateKernelOps(unsigned depth) {
    // The searched functions of the vocabulary, and matmul.
    llvm::ArrayRef<OpKind> unary = searchedFunctions(1, /*blockLevel=*/false);
    static const llvm::SmallVector<OpKind, 8> binary = [] {
      llvm::SmallVector<OpKind, 8> kinds = {OpKind::Matmul};
      llvm::append_range(kinds, searchedFunctions(2, /*blockLevel=*/false));
      return kinds;
    }();
    ValueId n = graph.values.size();
    for (ValueId a = 0; a < n; ++a) {
      forEachUnary(unary, a, [&](const OpNode &op) { tryKernelOp(op, depth); });
      for (ValueId b = 0; b < n; ++b)
        for (OpKind kind : binary) {
          if ((kind == OpKind::Add || kind == OpKind::Mul) && b < a)
            continue; // commutative: one operand order
          OpNode op;
          op.kind = kind;
          op.operands = {a, b};
          tryKernelOp(op, depth);
        }
    }
  }

  //===--------------------------------------------------------------------===//
  // Graph-defined kernels: inputs, launch, loaders
  //===--------------------------------------------------------------------===//

  void enumerateGraphDefined(unsigned depth) {
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
        ++tally().prunedCanonical;
        continue;
      }
      if (!outputCounts(inputs)) {
        ++tally().prunedDangling;
        continue;
      }
      if (kernelOpsLeft() == 1 && !lastKernelCanBuildOutputs(inputs)) {
        ++tally().prunedAbstractExpr;
        continue;
      }
      enumerateLaunches(inputs, depth);
      if (outOfTime())
        return;
    }
  }

  void enumerateLaunches(llvm::ArrayRef<ValueId> inputs, unsigned depth) {
    std::vector<Shape> shapes;
    for (ValueId v : inputs)
      shapes.push_back(graph.values[v].shape);
    std::vector<DimMap> imaps = candidateImaps(options.preset, options.imaps);
    for (const Grid &grid :
         candidateGrids(shapes, options.preset, options.grids)) {
      llvm::SmallVector<DimMap, 4> chosen(inputs.size());
      forEachImapCombination(grid, shapes, imaps, chosen, 0, [&] {
        enumerateFmaps(inputs, shapes, grid, chosen, depth);
      });
    }
  }

  template <typename Fn>
  void forEachImapCombination(const Grid &grid, llvm::ArrayRef<Shape> shapes,
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

  void enumerateFmaps(llvm::ArrayRef<ValueId> inputs,
                      llvm::ArrayRef<Shape> shapes, const Grid &grid,
                      llvm::ArrayRef<DimMap> imaps, unsigned depth) {
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
    std::function<void(unsigned)> choose = [&](unsigned index) {
      if (index == inputs.size()) {
        for (int64_t range : candidateForloopRanges(
                 blockShapes, fmaps, options.preset, options.forloopRanges))
          startBlockGraph(inputs, grid, imaps, fmaps, range, depth);
        return;
      }
      for (int64_t fmap : candidateFmaps(blockShapes[index])) {
        fmaps[index] = fmap;
        choose(index + 1);
      }
    };
    choose(0);
  }

  void startBlockGraph(llvm::ArrayRef<ValueId> inputs, const Grid &grid,
                       llvm::ArrayRef<DimMap> imaps,
                       llvm::ArrayRef<int64_t> fmaps, int64_t range,
                       unsigned depth) {
    if (outOfTime())
      return;
    inTask([&] { buildLoaders(inputs, grid, imaps, fmaps, range, depth); });
  }

  void buildLoaders(llvm::ArrayRef<ValueId> inputs, const Grid &grid,
                    llvm::ArrayRef<DimMap> imaps, llvm::ArrayRef<int64_t> fmaps,
                    int64_t range, unsigned depth) {
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
        ++tally().prunedShape;
        return;
      }
      ValueInfo info = input;
      info.shape = std::move(*tile);
      info.accumulated = false;
      smem += bytesOf(info);
      tiles.push_back(std::move(info));
    }
    if (smem > options.sharedMemoryBytes) {
      ++tally().prunedSharedMemory;
      return;
    }
    auto [minOutputs, maxOutputs] = *outputCounts(inputs);
    BlockSearchKey key =
        blockSearchKey(inputs, tiles, launch, minOutputs, maxOutputs);
    // Shared: the closures' continuations may search (and evict) others.
    std::shared_ptr<const BlockSearch> search = cachedBlockSearch(key);
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
                                 maxOutputs);
    // Each closable block graph becomes a kernel op, under each omap, and
    // the search goes on at the kernel level.
    bool last = kernelOpsLeft() == 1;
    for (const BlockClosure &closure : search->closures) {
      if (redundantClosure(closure.exprs, last)) {
        ++tally().prunedAbstractExpr;
        continue;
      }
      BlockGraph closed = block;
      llvm::append_range(closed.values, closure.values);
      llvm::append_range(closed.ops, closure.ops);
      closeBlockGraph(closed, inputs, closure.dangling, closure.exprs, depth);
      if (outOfTime())
        return;
    }
  }

  /// Whether a closable block graph cannot be part of a useful program,
  /// by its outputs' abstract expressions: two outputs with the same
  /// expression (one computation saved twice), an output with the
  /// expression of a tensor the kernel graph already has (a copy or a
  /// recomputation: later kernels can load that tensor instead), or, for
  /// the kernel that takes the last op, outputs that are not the
  /// reference's outputs under the axioms (outputsMatchExprs).
  bool redundantClosure(llvm::ArrayRef<ExprId> exprs, bool last) {
    for (auto [i, e] : llvm::enumerate(exprs)) {
      for (ExprId other : exprs.take_front(i))
        if (other == e)
          return true;
      if (llvm::is_contained(kernel.exprs, e))
        return true;
    }
    return last && !exprsMatchOutputs(exprs);
  }

  /// The key of a block-graph search: everything it depends on. The
  /// loaders' tiles (not the tensors they come from, nor the maps: the block
  /// ops see only tiles), their expressions, the for-loop range and
  /// reduction dimx (they enter accumulators' shapes and expressions), and
  /// the output counts the closure may have. The grid is not part of it:
  /// it only matters to the omaps and savers, which come after.
  BlockSearchKey blockSearchKey(llvm::ArrayRef<ValueId> inputs,
                                llvm::ArrayRef<ValueInfo> tiles,
                                const LaunchShape &launch, unsigned minOutputs,
                                unsigned maxOutputs) const {
    BlockSearchKey key = {static_cast<int64_t>(inputs.size()),
                          launch.forloopRange, launch.reductionDimx, minOutputs,
                          maxOutputs};
    for (auto [v, tile] : llvm::zip_equal(inputs, tiles)) {
      key.push_back(kernel.exprs[v]);
      key.push_back(static_cast<int64_t>(tile.dtype));
      key.push_back(tile.shape.size());
      key.append(tile.shape.begin(), tile.shape.end());
    }
    return key;
  }

  /// The search made before in the same context, if any; its statistics
  /// are counted again, so that hits and misses cannot be told apart and
  /// the statistics do not depend on which worker searched what.
  std::shared_ptr<const BlockSearch>
  cachedBlockSearch(const BlockSearchKey &key) {
    auto it = blockSearches.find(key);
    if (it == blockSearches.end())
      return nullptr;
    tally().add(it->second->stats);
    return it->second;
  }

  /// Searches the block graphs that start from `block`'s loaders, and
  /// keeps the outcome under `key`. Many launches give the same tiles
  /// (another grid or imap with the same per-block extents), and in a
  /// two-kernel program every closure of the first kernel searches the
  /// second anew: without the cache, the second kernel's block graphs are
  /// enumerated again for each.
  std::shared_ptr<const BlockSearch>
  searchBlockGraphs(BlockSearchKey key, BlockGraph &block, GraphState &state,
                    int64_t smem, unsigned minOutputs, unsigned maxOutputs) {
    // Bounded memory: forgetting is invisible (see above), only slower.
    if (blockSearches.size() >= kMaxBlockSearches ||
        cachedClosures >= kMaxCachedClosures) {
      blockSearches.clear();
      cachedClosures = 0;
    }
    SearchStats before = tally();
    auto search = std::make_shared<BlockSearch>();
    BlockContext context{block,      state,      smem,
                         minOutputs, maxOutputs, search->closures};
    blockLevel(context);
    search->stats = difference(tally(), before);
    // A search cut short by the time budget is incomplete: not kept.
    if (!outOfTime() &&
        blockSearches.try_emplace(std::move(key), search).second)
      cachedClosures += search->closures.size();
    return search;
  }

  //===--------------------------------------------------------------------===//
  // Block level
  //===--------------------------------------------------------------------===//

  struct BlockContext {
    BlockGraph &graph;
    GraphState &state;
    int64_t smem;
    /// The output counts that leave the kernel graph completable
    /// (outputCounts).
    unsigned minOutputs;
    unsigned maxOutputs;
    /// Where the closable block graphs go.
    std::vector<BlockClosure> &closures;
  };

  void blockLevel(BlockContext &ctx) {
    if (outOfTime())
      return;
    ++tally().statesVisited;
    BlockGraph &block = ctx.graph;
    // Close the graph when every dangling tile is accumulated and none is a
    // loader's: savers for each, under each candidate omap.
    llvm::SmallVector<ValueId, 4> dangling;
    bool closable = true;
    for (ValueId v = block.numInputs, e = block.values.size(); v < e; ++v) {
      if (ctx.state.uses[v] != 0)
        continue;
      if (!block.values[v].accumulated)
        closable = false;
      dangling.push_back(v);
    }
    unsigned used = block.ops.size();
    if (closable && dangling.size() >= ctx.minOutputs &&
        dangling.size() <= ctx.maxOutputs &&
        used + dangling.size() <= options.maxBlockOps) {
      BlockClosure closure;
      closure.values.assign(block.values.begin() + 2 * block.numInputs,
                            block.values.end());
      closure.ops.assign(block.ops.begin() + block.numInputs, block.ops.end());
      closure.dangling.assign(dangling.begin(), dangling.end());
      for (ValueId v : dangling)
        closure.exprs.push_back(ctx.state.exprs[v]);
      ctx.closures.push_back(std::move(closure));
    }
    // A lower bound on the ops still needed to close the graph. An op
    // consuming c dangling `pre` tiles and producing one removes at most
    // c - 1 of them (a binary op merges two; concat_matmul, with `lora`,
    // merges four), an accumulator turns one into `post`, and `pre` and
    // `post` never meet; every dangling `post` tile costs at least one op
    // (a saver, or a merge into another).
    unsigned pre = llvm::count_if(
        dangling, [&](ValueId v) { return !block.values[v].accumulated; });
    unsigned post = dangling.size() - pre;
    unsigned perOp = options.preset == Preset::Lora ? 3 : 1;
    unsigned needed = (pre + perOp - 1) / perOp + std::max(post, 1u);
    if (used + 1 > options.maxBlockOps || used + needed > options.maxBlockOps) {
      ++tally().prunedUnclosable;
      return;
    }
    enumerateBlockOps(ctx);
  }

  void closeBlockGraph(const BlockGraph &block,
                       llvm::ArrayRef<ValueId> kernelInputs,
                       llvm::ArrayRef<ValueId> dangling,
                       llvm::ArrayRef<ExprId> danglingExprs, unsigned depth) {
    unsigned rank = block.values[dangling.front()].shape.size();
    for (ValueId v : dangling)
      if (block.values[v].shape.size() != rank)
        return;
    Grid grid = {block.launch.grid[0], block.launch.grid[1],
                 block.launch.grid[2]};
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
        ++tally().prunedShape;
        continue;
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
      if (outOfTime())
        return;
    }
  }

  void tryBlockOp(BlockContext &ctx, const OpNode &op,
                  const ValueInfo &result) {
    OpKey key = keyOf(op);
    if (!ctx.state.admits(key)) {
      ++tally().prunedCanonical;
      return;
    }
    int64_t smem = ctx.smem + (isInPlace(op.kind) ? 0 : bytesOf(result));
    if (smem > options.sharedMemoryBytes) {
      ++tally().prunedSharedMemory;
      return;
    }
    llvm::SmallVector<ExprId, 2> exprs =
        checkExprs(op, ctx.graph.values, ctx.state.exprs, &ctx.graph.launch);
    if (exprs.empty())
      return;
    int64_t saved = ctx.smem;
    ctx.smem = smem;
    ctx.state.push(op, result, exprs);
    blockLevel(ctx);
    ctx.state.pop();
    ctx.smem = saved;
  }

  void enumerateBlockOps(BlockContext &ctx) {
    BlockGraph &block = ctx.graph;
    // The searched functions of the vocabulary, rms_norm and matmul.
    static const llvm::SmallVector<OpKind, 8> unary = [] {
      llvm::SmallVector<OpKind, 8> kinds(
          searchedFunctions(1, /*blockLevel=*/true));
      kinds.push_back(OpKind::RmsNorm);
      return kinds;
    }();
    static const llvm::SmallVector<OpKind, 8> binary = [] {
      llvm::SmallVector<OpKind, 8> kinds = {OpKind::Matmul};
      llvm::append_range(kinds, searchedFunctions(2, /*blockLevel=*/true));
      return kinds;
    }();
    llvm::SmallVector<AccumKind, 4> accums = {AccumKind::None, AccumKind::Sum,
                                              AccumKind::Rms};
    if (options.preset == Preset::Attention)
      accums.push_back(AccumKind::SumToDimx);
    ValueId n = block.values.size();
    // A new op's key must exceed the last op's, whose largest operand bounds
    // the new op's largest operand from below: skip what cannot qualify
    // before building anything.
    ValueId floor =
        ctx.state.keys.empty() ? -1 : ctx.state.keys.back().maxOperand;
    for (ValueId a = block.numInputs; a < n; ++a) {
      // Copies: trying an op appends to block.values, which may reallocate.
      const ValueInfo lhs = block.values[a];
      if (a >= floor) {
        forEachUnary(unary, a,
                     [&](const OpNode &op) { tryBlockOp(ctx, op, lhs); });
        if (!lhs.accumulated)
          for (AccumKind accum : accums) {
            auto shape =
                inferAccumShape(accum, lhs.shape, block.launch.reductionDimx);
            if (!shape) {
              llvm::consumeError(shape.takeError());
              continue;
            }
            OpNode op;
            op.kind = OpKind::Accum;
            op.accum = accum;
            op.operands = {a};
            ValueInfo result = lhs;
            result.shape = *shape;
            result.accumulated = true;
            tryBlockOp(ctx, op, result);
          }
      }
      for (ValueId b = block.numInputs; b < n; ++b) {
        if (std::max(a, b) < floor)
          continue;
        const ValueInfo rhs = block.values[b];
        if (lhs.accumulated != rhs.accumulated || lhs.dtype != rhs.dtype)
          continue;
        for (OpKind kind : binary) {
          if ((kind == OpKind::Add || kind == OpKind::Mul) && b < a)
            continue;
          ValueInfo result = lhs;
          bool fits =
              kind == OpKind::Matmul
                  ? !isBatched(lhs.shape) && !isBatched(rhs.shape) &&
                        tryInferMatmulShape(lhs.shape, rhs.shape, result.shape)
                  : tryInferBroadcastShape(lhs.shape, rhs.shape, result.shape);
          if (!fits) {
            ++tally().prunedShape;
            continue;
          }
          OpNode op;
          op.kind = kind;
          op.operands = {a, b};
          tryBlockOp(ctx, op, result);
        }
      }
      if (outOfTime())
        return;
    }
    if (options.preset == Preset::Lora)
      enumerateConcatMatmuls(ctx, floor);
  }

  /// LoRA's [A1|A2] x [B1;B2] = A1 B1 + A2 B2 on every quadruple of tiles of
  /// one state whose two products have the same shape.
  void enumerateConcatMatmuls(BlockContext &ctx, ValueId floor) {
    BlockGraph &block = ctx.graph;
    ValueId first = block.numInputs, n = block.values.size();
    for (ValueId a1 = first; a1 < n; ++a1)
      for (ValueId a2 = first; a2 < n; ++a2)
        for (ValueId b1 = first; b1 < n; ++b1) {
          ValueInfo lhs1 = block.values[a1], rhs1 = block.values[b1];
          ValueInfo product = lhs1;
          if (lhs1.accumulated != rhs1.accumulated || isBatched(lhs1.shape) ||
              isBatched(rhs1.shape) ||
              !tryInferMatmulShape(lhs1.shape, rhs1.shape, product.shape))
            continue;
          for (ValueId b2 = first; b2 < n; ++b2) {
            if (std::max({a1, a2, b1, b2}) < floor)
              continue;
            const ValueInfo &lhs2 = block.values[a2];
            const ValueInfo &rhs2 = block.values[b2];
            Shape second;
            if (lhs2.accumulated != lhs1.accumulated ||
                rhs2.accumulated != lhs1.accumulated ||
                lhs2.dtype != lhs1.dtype || rhs2.dtype != lhs1.dtype ||
                isBatched(lhs2.shape) || isBatched(rhs2.shape) ||
                !tryInferMatmulShape(lhs2.shape, rhs2.shape, second) ||
                second != product.shape) {
              ++tally().prunedShape;
              continue;
            }
            OpNode op;
            op.kind = OpKind::ConcatMatmul;
            op.operands = {a1, a2, b1, b2};
            tryBlockOp(ctx, op, product);
          }
        }
  }

  //===--------------------------------------------------------------------===//
  // Verification
  //===--------------------------------------------------------------------===//

  /// Screens a complete candidate with the first fingerprint test (most
  /// wrong candidates fail it); the survivors are confirmed with all tests
  /// at the end of the search, cheapest first (confirmCandidates).
  void verify(llvm::ArrayRef<ValueId> dangling) {
    if (!outputsMatchExprs(dangling)) {
      ++tally().prunedAbstractExpr;
      return;
    }
    graph.outputs.assign(dangling.begin(), dangling.end());
    ProgramCost cost = estimateCost(graph, options.gpu);
    if (!shared.worthVerifying(cost.seconds)) {
      ++tally().prunedCost;
      return;
    }
    ++tally().candidatesVerified;
    std::optional<llvm::SmallVector<unsigned, 4>> perm =
        matchOutputs(shared.reference, graph, shared.tests, /*endTest=*/1);
    if (!perm) {
      ++tally().candidatesRejected;
      return;
    }
    ++tally().candidatesFound;
    Candidate candidate;
    candidate.graph = graph;
    candidate.cost = std::move(cost);
    std::lock_guard<std::mutex> lock(shared.mutex);
    shared.recordVerified(candidate.cost.seconds);
    shared.found[currentTask].push_back(std::move(candidate));
  }

  /// Whether a graph-defined kernel that takes the last op, on `inputs`,
  /// can compute the reference's outputs: it sees only its inputs, so each
  /// output's class must be constructible from theirs in the saturated
  /// e-graph (AbstractPruner::constructible). Where it is not, no block
  /// graph of the kernel passes the screen of complete candidates
  /// (outputsMatchExprs), and its block search is skipped. True when the
  /// screen is off, an input's expression is opaque, or a dangling tensor
  /// outside `inputs` stays one of the outputs.
  bool lastKernelCanBuildOutputs(llvm::ArrayRef<ValueId> inputs) {
    if (outputClasses.empty())
      return true;
    for (ValueId v = 0, e = graph.values.size(); v < e; ++v)
      if (kernel.uses[v] == 0 && !llvm::is_contained(inputs, v))
        return true;
    std::vector<ClassId> from;
    for (ValueId v : inputs) {
      std::optional<ClassId> cls = pruner->classOf(kernel.exprs[v]);
      if (!cls)
        return true;
      from.push_back(*cls);
    }
    llvm::sort(from);
    from.erase(std::unique(from.begin(), from.end()), from.end());
    auto [it, inserted] = constructibleMemo.try_emplace(from, false);
    if (inserted)
      it->second = pruner->constructible(from, outputClasses);
    return it->second;
  }

  /// The abstract-expression screen of a complete candidate: every
  /// dangling tensor's expression must be equal under the axioms to one of
  /// the reference's outputs (land in its e-class), and every output must be
  /// met. The per-op check only asks for a subexpression of some rewriting,
  /// which most wrong complete candidates pass (a partial sum, a factor);
  /// this one is a hash lookup where a fingerprint evaluates the program.
  /// Skipped (the candidate goes on to the fingerprints) when the e-graph
  /// was not saturated or an expression holds an opaque value.
  bool outputsMatchExprs(llvm::ArrayRef<ValueId> dangling) {
    llvm::SmallVector<ExprId, 4> exprs;
    for (ValueId v : dangling)
      exprs.push_back(kernel.exprs[v]);
    return exprsMatchOutputs(exprs);
  }

  bool exprsMatchOutputs(llvm::ArrayRef<ExprId> exprs) {
    if (outputClasses.size() != exprs.size())
      return true;
    llvm::SmallVector<bool, 4> met(outputClasses.size(), false);
    for (ExprId expr : exprs) {
      if (pruner->query(expr) == QueryResult::Unknown)
        return true;
      std::optional<ClassId> cls = pruner->classOf(expr);
      if (!cls)
        return false;
      bool found = false;
      for (auto [i, out] : llvm::enumerate(outputClasses))
        if (out == *cls) {
          met[i] = true;
          found = true;
        }
      if (!found)
        return false;
    }
    return llvm::all_of(met, [](bool m) { return m; });
  }

  Shared &shared;
  const SearchOptions &options;
  ExprPool pool;
  AbstractExprBuilder builder;
  std::unique_ptr<AbstractPruner> pruner;
  KernelGraph graph;
  GraphState kernel;
  SearchStats stats;
  unsigned index;
  /// Element-wise kinds whose operator the target lacks.
  llvm::SmallSet<OpKind, 8> absentKinds;
  /// The canonical e-classes of the reference's outputs; empty when the
  /// screen is off (outputsMatchExprs).
  llvm::SmallVector<ClassId, 2> outputClasses;
  /// lastKernelCanBuildOutputs by the sorted input classes.
  std::map<std::vector<ClassId>, bool> constructibleMemo;
  /// Block-graph searches by context (searchBlockGraphs); their expression
  /// ids belong to this worker's pool.
  std::unordered_map<BlockSearchKey, std::shared_ptr<const BlockSearch>,
                     BlockSearchKeyHash>
      blockSearches;
  size_t cachedClosures = 0;
  /// About 100 MB per worker at most (a closure is a kilobyte or two).
  static constexpr size_t kMaxBlockSearches = 1 << 16;
  static constexpr size_t kMaxCachedClosures = 1 << 16;
  SearchStats discarded;
  bool insideTask = false;
  uint64_t claimed = 0;
  uint64_t taskIndex = 0;
  uint64_t currentTask = 0;
  uint64_t timeChecks = 0;
};

} // namespace

llvm::Expected<SearchResult>
mirage::superoptimize(const KernelGraph &reference,
                      const SearchOptions &userOptions) {
  SearchOptions options = userOptions;
  options.applyPreset();
  auto start = Clock::now();
  if (llvm::Error err = checkEvaluable(reference))
    return std::move(err);
  if (llvm::Error err = checkFingerprintable(reference))
    return std::move(err);
  if (reference.numInputs > 16)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "the search supports at most 16 inputs");

  Shared shared(reference, options);
  for (unsigned t = 0; t < options.verifyTests; ++t) {
    std::vector<Tensor> inputs =
        randomInputs(reference, NumberSystem::Field, options.seed + t);
    llvm::Expected<EvalResult> outputs =
        evaluate(reference, NumberSystem::Field, inputs, options.seed + t);
    if (!outputs)
      return outputs.takeError();
    if (outputs->inconclusive)
      continue; // this test's inputs hit a zero divisor: draw the next seed
    shared.tests.inputs.push_back(std::move(inputs));
    shared.tests.outputs.push_back(std::move(outputs->outputs));
    shared.tests.seeds.push_back(options.seed + t);
  }
  if (shared.tests.inputs.empty())
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        "every fingerprint test of the reference was inconclusive");
  shared.referenceSeconds = estimateCost(reference, options.gpu).seconds;
  if (options.timeBudgetSeconds > 0) {
    shared.hasDeadline = true;
    shared.deadline =
        start + std::chrono::duration_cast<Clock::duration>(
                    std::chrono::duration<double>(options.timeBudgetSeconds));
  }

  unsigned threads = options.threads;
  if (threads == 0)
    threads = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::unique_ptr<Worker>> workers;
  for (unsigned i = 0; i < threads; ++i) {
    workers.push_back(std::make_unique<Worker>(shared, i));
    if (llvm::Error err = workers.back()->init())
      return std::move(err);
  }
  if (threads == 1) {
    workers.front()->run();
  } else {
    std::vector<std::thread> pool;
    for (auto &worker : workers)
      pool.emplace_back([&worker] { worker->run(); });
    for (std::thread &t : pool)
      t.join();
  }

  SearchResult result;
  result.stats = shared.stats;
  result.stats.tasks = shared.nextTask.load() - threads;
  result.stats.budgetExhausted = shared.outOfTime.load();
  result.referenceCost = estimateCost(reference, options.gpu);
  // Merge in task order, then rank by cost; ties keep the task order.
  std::vector<std::pair<size_t, Candidate>> ordered;
  for (auto &entry : shared.found)
    for (Candidate &c : entry.second)
      ordered.emplace_back(ordered.size(), std::move(c));
  llvm::sort(ordered, [](const auto &a, const auto &b) {
    if (a.second.cost.seconds != b.second.cost.seconds)
      return a.second.cost.seconds < b.second.cost.seconds;
    return a.first < b.first;
  });
  // Confirm the cheapest screened candidates with every fingerprint test,
  // in rank order, until topK are confirmed; their outputs are put in the
  // reference's order.
  for (auto &entry : ordered) {
    if (result.best.size() == options.topK)
      break;
    Candidate &candidate = entry.second;
    std::optional<llvm::SmallVector<unsigned, 4>> perm = matchOutputs(
        reference, candidate.graph, shared.tests, shared.tests.inputs.size());
    if (!perm) {
      ++result.stats.candidatesUnconfirmed;
      continue;
    }
    // Fingerprints are confirmed by one float test (docs/Semantics.md):
    // a candidate whose float outputs differ is not emitted.
    llvm::Expected<FloatTest> floatTest =
        runFloatTest(reference, candidate.graph, *perm, options.seed);
    if (!floatTest)
      return floatTest.takeError();
    if (!floatTest->usable || !floatTest->agrees) {
      ++result.stats.candidatesUnconfirmed;
      continue;
    }
    llvm::SmallVector<ValueId, 4> outputs;
    for (unsigned i : *perm)
      outputs.push_back(candidate.graph.outputs[i]);
    candidate.graph.outputs.assign(outputs.begin(), outputs.end());
    result.best.push_back(std::move(candidate));
  }
  result.stats.seconds =
      std::chrono::duration<double>(Clock::now() - start).count();
  return result;
}
