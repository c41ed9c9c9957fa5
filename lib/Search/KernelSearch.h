//===- KernelSearch.h - Kernel-level search of the μGraph (private) -*- C++
//-*-===//
//
// The kernel level of the enumeration (docs/Search.md, "Kernel level"): from
// a kernel graph holding the reference's inputs, every pre-defined op of the
// whitelist and every graph-defined launch (inputs, grid, imaps, fmaps,
// for-loop range, loaders) in canonical order. A launch hands its loaders to
// the block-level search (through the worker's memo of block searches); each
// block graph it can close becomes a graph-defined kernel under every
// candidate omap, and the enumeration goes on. A state whose dangling
// tensors are as many as the reference's outputs is a complete candidate,
// handed to the candidate board.
//
// One KernelSearch per worker; the tree is cut into tasks by its
// TaskCursor.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_LIB_SEARCH_KERNELSEARCH_H
#define MIRAGE_LIB_SEARCH_KERNELSEARCH_H

#include "BlockSearch.h"
#include "BlockSearchMemo.h"
#include "CandidateCheck.h"
#include "ExprScreen.h"
#include "SearchState.h"
#include "TaskScheduler.h"

#include "Mirage/Core/UGraph.h"
#include "Mirage/Search/Candidates.h"
#include "Mirage/Search/Superoptimizer.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>
#include <utility>

namespace mirage::search {

/// Whether `opsLeft` more kernel ops, `kernelsLeft` of them at most
/// graph-defined (each with at most `options.maxBlockInputs` inputs and
/// `options.maxBlockOutputs` outputs), can take a graph with `dangling`
/// dangling tensors to exactly `outputs` of them (where it is verified). An
/// op changes the count by at most: a pre-defined op -1 (a binary op on two
/// dangling tensors) to +1; a graph-defined kernel -(inputs - 1) to
/// +outputs.
bool canReachOutputs(int64_t dangling, int64_t outputs, unsigned opsLeft,
                     unsigned kernelsLeft, const SearchOptions &options);

class KernelSearch {
public:
  KernelSearch(const KernelGraph &reference, const SearchOptions &options,
               TaskCursor &tasks, ExprScreen &screen, CandidateBoard &board)
      : reference(reference), options(options), tasks(tasks), screen(screen),
        board(board), blocks(options, tasks, screen) {}

  /// Walks the whole tree from the reference's inputs, running the tasks
  /// this worker claims. Once per worker.
  void run();

  /// The most bytes this worker's block-search memo held at once.
  size_t memoPeakBytes() const { return memo.peakBytes(); }

private:
  void kernelLevel(unsigned depth);
  unsigned kernelOpsLeft() const;
  unsigned kernelsLeft() const;
  std::optional<std::pair<unsigned, unsigned>>
  outputCounts(llvm::ArrayRef<ValueId> inputs) const;
  void tryKernelOp(const OpNode &op, unsigned depth);
  void enumerateKernelOps(unsigned depth);

  void enumerateGraphDefined(unsigned depth);
  void enumerateLaunches(llvm::ArrayRef<ValueId> inputs, unsigned depth);
  template <typename Fn>
  void forEachImapCombination(const Grid &grid, llvm::ArrayRef<Shape> shapes,
                              llvm::ArrayRef<DimMap> imaps,
                              llvm::SmallVectorImpl<DimMap> &chosen,
                              unsigned index, Fn &&fn);
  /// One graph-defined launch to try, with the least time it can take.
  struct Launch {
    Grid grid;
    llvm::SmallVector<DimMap, 4> imaps;
    llvm::SmallVector<int64_t, 4> fmaps;
    int64_t range;
    double lowerBound;
  };
  void enumerateFmaps(llvm::ArrayRef<ValueId> inputs,
                      llvm::ArrayRef<Shape> shapes, const Grid &grid,
                      llvm::ArrayRef<DimMap> imaps,
                      std::vector<Launch> &launches);
  void startBlockGraph(llvm::ArrayRef<ValueId> inputs, const Grid &grid,
                       llvm::ArrayRef<DimMap> imaps,
                       llvm::ArrayRef<int64_t> fmaps, int64_t range,
                       unsigned depth);
  void buildLoaders(llvm::ArrayRef<ValueId> inputs, const Grid &grid,
                    llvm::ArrayRef<DimMap> imaps, llvm::ArrayRef<int64_t> fmaps,
                    int64_t range, unsigned depth);
  std::shared_ptr<const BlockSearchOutcome>
  searchBlockGraphs(BlockSearchKey key, BlockGraph &block, GraphState &state,
                    int64_t smem, unsigned minOutputs, unsigned maxOutputs,
                    const ExprScreen::OutputDistance *distance, unsigned slack);
  void closeBlockGraph(const BlockGraph &block,
                       llvm::ArrayRef<ValueId> kernelInputs,
                       llvm::ArrayRef<ValueId> dangling,
                       llvm::ArrayRef<ExprId> danglingExprs, unsigned depth);

  void verify(llvm::ArrayRef<ValueId> dangling);
  bool lastKernelCanBuildOutputs(llvm::ArrayRef<ValueId> inputs);
  bool followersCanBuildOutputs(llvm::ArrayRef<ValueId> inputs);

  const KernelGraph &reference;
  const SearchOptions &options;
  TaskCursor &tasks;
  ExprScreen &screen;
  CandidateBoard &board;
  BlockSearch blocks;
  /// Block-graph searches by context (searchBlockGraphs).
  BlockSearchMemo memo;
  /// The kernel ops (inputs included) of the current deepening pass
  /// (run): programs of exactly that many are verified in it.
  unsigned opLimit = 0;
  /// The cheapest a program of the current pass that extends the current
  /// kernel graph can cost, less `launching` kernels whose bound the
  /// caller adds (the cost bound, inside tasks).
  double partialLowerBound(unsigned launching) const;
  /// Whether a program predicted to take at least `seconds` may still be
  /// worth verifying: faster than the input, and not slower than the k-th
  /// best candidate of the earlier passes (`passBound`, the same in every
  /// worker: the live board would make the states visited depend on the
  /// threads).
  bool withinBound(double seconds) const;
  /// Waits for the other workers (TaskQueue::synchronize) and takes the
  /// cost bound they agree on. Only above the tasks, where every worker
  /// walks alike.
  void synchronize();
  static constexpr size_t kLaunchesPerBound = 8;
  double passBound = 0;
  /// Per reference input, the dimensions its outputs reduce over (empty
  /// when unknown).
  std::vector<llvm::SmallVector<bool, 4>> reducedDims;
  bool splitsReducedDim(llvm::ArrayRef<ValueId> inputs,
                        llvm::ArrayRef<DimMap> imaps) const;
  /// The graph under construction.
  KernelGraph graph;
  GraphState kernel;
};

} // namespace mirage::search

#endif // MIRAGE_LIB_SEARCH_KERNELSEARCH_H
