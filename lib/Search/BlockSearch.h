//===- BlockSearch.h - Block-level search of the μGraph (private) -*- C++
//-*-===//
//
// The block level of the enumeration (docs/Search.md, "Block level"): from
// the loaders of one graph-defined launch, every block graph of the op
// whitelist in canonical order, pruned before each insertion by shape,
// shared memory and abstract expressions, and abandoned when its op budget
// cannot close it any more. The block graphs that can be closed (every
// dangling tile accumulated, as many as the kernel graph may take) are
// collected in enumeration order; the kernel level turns them into
// graph-defined kernels.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_LIB_SEARCH_BLOCKSEARCH_H
#define MIRAGE_LIB_SEARCH_BLOCKSEARCH_H

#include "ExprScreen.h"
#include "SearchState.h"
#include "TaskScheduler.h"

#include "Mirage/Core/UGraph.h"
#include "Mirage/Search/Superoptimizer.h"

#include "llvm/ADT/SmallVector.h"

#include <vector>

namespace mirage::search {

/// A block graph the search can close: the values and ops after the
/// loaders, and its dangling tiles (all accumulated) with their
/// expressions.
struct BlockClosure {
  std::vector<ValueInfo> values;
  std::vector<OpNode> ops;
  llvm::SmallVector<ValueId, 2> dangling;
  llvm::SmallVector<ExprId, 2> exprs;
};

class BlockSearch {
public:
  BlockSearch(const SearchOptions &options, TaskCursor &tasks,
              ExprScreen &screen)
      : options(options), tasks(tasks), screen(screen) {}

  /// Searches the block graphs that follow `block`'s loaders (`state`
  /// holds their uses and expressions, its keys cleared; `smem` is the
  /// loaders' shared memory) and appends those that can be closed with
  /// between `minOutputs` and `maxOutputs` outputs to `closures`. `block`
  /// and `state` are back as they were on return.
  /// With `distance` (the heights of the e-classes over values the kernel
  /// graph has, ExprScreen::outputDistance), a state is abandoned when its
  /// op budget, with `slack` more ops after the kernel, cannot reach an
  /// output's class.
  void run(BlockGraph &block, GraphState &state, int64_t smem,
           unsigned minOutputs, unsigned maxOutputs,
           std::vector<BlockClosure> &closures,
           const ExprScreen::OutputDistance *distance = nullptr,
           unsigned slack = 0);

private:
  struct BlockContext {
    BlockGraph &graph;
    GraphState &state;
    int64_t smem;
    /// The output counts that leave the kernel graph completable.
    unsigned minOutputs;
    unsigned maxOutputs;
    /// Where the closable block graphs go.
    std::vector<BlockClosure> &closures;
    /// The heights of the outputs' classes, when the kernel must compute
    /// them all; null otherwise.
    const ExprScreen::OutputDistance *distance;
    /// The ops that may follow the kernel on the way to the outputs.
    unsigned slack;
  };

  /// What a value may be used for (scaleRoles).
  enum class ScaleRole : uint8_t { None, Diff, Factor };
  static llvm::SmallVector<ScaleRole, 16> scaleRoles(const BlockGraph &block);

  void blockLevel(BlockContext &ctx);
  unsigned opsToOutputs(BlockContext &ctx);
  void tryBlockOp(BlockContext &ctx, const OpNode &op, const ValueInfo &result);
  void tryBlockOp(BlockContext &ctx, const OpNode &op,
                  llvm::ArrayRef<ValueInfo> results);
  void enumerateAccums(BlockContext &ctx, ValueId a, const ValueInfo &lhs);
  void enumerateReductions(BlockContext &ctx, ValueId a, const ValueInfo &lhs);
  void enumerateBlockOps(BlockContext &ctx);
  void enumerateConcatMatmuls(BlockContext &ctx, ValueId floor);

  const SearchOptions &options;
  TaskCursor &tasks;
  ExprScreen &screen;
};

} // namespace mirage::search

#endif // MIRAGE_LIB_SEARCH_BLOCKSEARCH_H
