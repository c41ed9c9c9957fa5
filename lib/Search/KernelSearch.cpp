//===- KernelSearch.cpp - Kernel-level search of the μGraph -----*- C++ -*-===//

#include "KernelSearch.h"

#include "Mirage/Core/SharedMemory.h"
#include "Mirage/Search/AbstractExpr.h"
#include "Mirage/Support/ShapeRules.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Sequence.h"

#include <algorithm>
#include <functional>

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

void KernelSearch::run() {
  tasks.start();
  graph = KernelGraph();
  graph.name = reference.name;
  kernel.values = &graph.values;
  kernel.ops = &graph.ops;
  for (unsigned i = 0; i < reference.numInputs; ++i) {
    graph.addInput(reference.values[i]);
    kernel.uses.push_back(0);
    kernel.exprs.push_back(screen.inputExpr(i));
  }
  kernelLevel(/*depth=*/0);
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
    tasks.inTask([&] { verify(dangling); });
    return;
  }
  if (graph.numInputs + graph.ops.size() >= options.maxKernelOps)
    return;
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
  return used < options.maxKernelOps ? options.maxKernelOps - used : 0;
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
    if (kernelOpsLeft() == 1 && !lastKernelCanBuildOutputs(inputs)) {
      ++tasks.tally().prunedAbstractExpr;
      continue;
    }
    enumerateLaunches(inputs, depth);
    if (tasks.outOfTime())
      return;
  }
}

void KernelSearch::enumerateLaunches(llvm::ArrayRef<ValueId> inputs,
                                     unsigned depth) {
  std::vector<Shape> shapes;
  for (ValueId v : inputs)
    shapes.push_back(graph.values[v].shape);
  std::vector<DimMap> imaps = candidateImaps(options.imaps);
  for (const Grid &grid :
       candidateGrids(shapes, options.gpu.numSMs, options.grids)) {
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
      enumerateFmaps(inputs, shapes, grid, chosen, depth);
    });
  }
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
                                  unsigned depth) {
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
  std::function<void(unsigned)> choose = [&](unsigned index) {
    if (index == inputs.size()) {
      for (int64_t range : candidateForloopRanges(
               blockShapes, fmaps, elementBytes, options.sharedMemoryBytes,
               options.forloopRanges))
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

void KernelSearch::startBlockGraph(llvm::ArrayRef<ValueId> inputs,
                                   const Grid &grid,
                                   llvm::ArrayRef<DimMap> imaps,
                                   llvm::ArrayRef<int64_t> fmaps, int64_t range,
                                   unsigned depth) {
  if (tasks.outOfTime())
    return;
  tasks.inTask([&] { buildLoaders(inputs, grid, imaps, fmaps, range, depth); });
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
  auto [minOutputs, maxOutputs] = *outputCounts(inputs);
  llvm::SmallVector<ExprId, 4> inputExprs;
  for (ValueId v : inputs)
    inputExprs.push_back(kernel.exprs[v]);
  BlockSearchKey key =
      blockSearchKey(inputExprs, tiles, launch, minOutputs, maxOutputs);
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
                               maxOutputs);
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
std::shared_ptr<const BlockSearchOutcome>
KernelSearch::searchBlockGraphs(BlockSearchKey key, BlockGraph &block,
                                GraphState &state, int64_t smem,
                                unsigned minOutputs, unsigned maxOutputs) {
  SearchStats before = tasks.tally();
  auto search = std::make_shared<BlockSearchOutcome>();
  blocks.run(block, state, smem, minOutputs, maxOutputs, search->closures);
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
