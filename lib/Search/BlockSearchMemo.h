//===- BlockSearchMemo.h - Memo of block-level searches (private) -*- C++
//-*-===//
//
// The in-memory memo of block searches (docs/Search.md, "Block-search
// cache"). The block search of a launch depends only on the loaders' tiles
// (shape, type), their abstract expressions, the for-loop range, the
// reduction dimx and the output counts allowed; not on the grid, imaps or
// fmaps that produced the tiles, nor on the rest of the kernel graph. Each
// worker keeps the outcome of every block search under that key: the
// closable block graphs in enumeration order and the statistics of the
// search. A hit replays those statistics, so hits and misses cannot be told
// apart and the statistics do not depend on which worker searched what.
//
// Per worker (the expression ids in keys and closures belong to the
// worker's pool); bounded: when full it forgets everything, which is only
// slower.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_LIB_SEARCH_BLOCKSEARCHMEMO_H
#define MIRAGE_LIB_SEARCH_BLOCKSEARCHMEMO_H

#include "BlockSearch.h"

#include "Mirage/Core/UGraph.h"
#include "Mirage/Search/AbstractExpr.h"
#include "Mirage/Search/SearchStats.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/Hashing.h"
#include "llvm/ADT/SmallVector.h"

#include <memory>
#include <unordered_map>
#include <vector>

namespace mirage::search {

/// The outcome of the search of one block graph from its loaders: what
/// can be closed, in enumeration order, and the statistics of the search.
struct BlockSearchOutcome {
  std::vector<BlockClosure> closures;
  SearchStats stats;
};

using BlockSearchKey = llvm::SmallVector<int64_t, 24>;

/// The key of a block-graph search: everything it depends on. The
/// loaders' tiles (not the tensors they come from, nor the maps: the block
/// ops see only tiles), their expressions (`inputExprs`, those of the
/// kernel inputs they load), the for-loop range and reduction dimx (they
/// enter accumulators' shapes and expressions), and the output counts the
/// closure may have. The grid is not part of it: it only matters to the
/// omaps and savers, which come after.
BlockSearchKey blockSearchKey(llvm::ArrayRef<ExprId> inputExprs,
                              llvm::ArrayRef<ValueInfo> tiles,
                              const LaunchShape &launch, unsigned minOutputs,
                              unsigned maxOutputs);

class BlockSearchMemo {
public:
  /// About 100 MB per worker at most (a closure is a kilobyte or two).
  static constexpr size_t kMaxSearches = 1 << 16;
  static constexpr size_t kMaxClosures = 1 << 16;

  explicit BlockSearchMemo(size_t maxSearches = kMaxSearches,
                           size_t maxClosures = kMaxClosures)
      : maxSearches(maxSearches), maxClosures(maxClosures) {}

  /// The search made before under `key`, its statistics counted again into
  /// `tally`; null when there is none. Shared: the closures' continuations
  /// may search (and evict) others while the caller replays them.
  std::shared_ptr<const BlockSearchOutcome> lookup(const BlockSearchKey &key,
                                                   SearchStats &tally) const {
    auto it = searches.find(key);
    if (it == searches.end())
      return nullptr;
    tally.add(it->second->stats);
    return it->second;
  }

  /// Forgets everything when full (before a search that may be kept).
  void makeRoom();

  /// Keeps `outcome` under `key`, unless a search is kept there already.
  /// Only complete searches may be kept: one cut short by the time budget
  /// is not.
  void insert(BlockSearchKey key,
              std::shared_ptr<const BlockSearchOutcome> outcome);

  size_t size() const { return searches.size(); }
  size_t closures() const { return cachedClosures; }

private:
  struct KeyHash {
    size_t operator()(const BlockSearchKey &key) const {
      return llvm::hash_combine_range(key.begin(), key.end());
    }
  };

  size_t maxSearches;
  size_t maxClosures;
  std::unordered_map<BlockSearchKey, std::shared_ptr<const BlockSearchOutcome>,
                     KeyHash>
      searches;
  size_t cachedClosures = 0;
};

} // namespace mirage::search

#endif // MIRAGE_LIB_SEARCH_BLOCKSEARCHMEMO_H
