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
// worker's pool); bounded in bytes: when full it forgets the searches it
// has not met for longest, which is only slower.
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

/// The bytes `outcome` kept under `key` takes in the memo: the key, the
/// outcome and its closures' values and ops (their capacities), and a
/// hash-table node. Shapes and operand lists of up to four entries are held
/// inline, which covers the block graphs the search builds.
size_t memoEntryBytes(const BlockSearchKey &key,
                      const BlockSearchOutcome &outcome);

/// A byte-bounded memo in two generations: new outcomes go to the recent
/// one; when it would exceed half the budget, the old generation is
/// dropped and the recent one becomes old. A hit in the old generation
/// moves the outcome back to the recent one, so what the search keeps
/// meeting stays (an approximation of least-recently-used). Eviction is a
/// function of the worker's own sequence of lookups and inserts, and a
/// forgotten search is only searched again: the result and the statistics
/// do not depend on it.
class BlockSearchMemo {
public:
  /// 32 MiB per worker by default (docs/Search.md, "Memory").
  static constexpr size_t kMaxBytes = size_t(32) << 20;

  explicit BlockSearchMemo(size_t maxBytes = kMaxBytes) : maxBytes(maxBytes) {}

  /// The search made before under `key`, its statistics counted again into
  /// `tally`; null when there is none. Shared: the closures' continuations
  /// may search (and evict) others while the caller replays them.
  std::shared_ptr<const BlockSearchOutcome> lookup(const BlockSearchKey &key,
                                                   SearchStats &tally);

  /// Keeps `outcome` under `key`, unless a search is kept there already or
  /// it alone is more than half the budget. Only complete searches may be
  /// kept: one cut short by the time budget is not.
  void insert(BlockSearchKey key,
              std::shared_ptr<const BlockSearchOutcome> outcome);

  /// Searches kept, in both generations.
  size_t size() const { return recent.size() + old.size(); }
  /// Bytes kept now, and the most kept at once (memoEntryBytes).
  size_t bytes() const { return recentBytes + oldBytes; }
  size_t peakBytes() const { return peak; }

private:
  struct KeyHash {
    size_t operator()(const BlockSearchKey &key) const {
      return llvm::hash_combine_range(key.begin(), key.end());
    }
  };
  struct Entry {
    std::shared_ptr<const BlockSearchOutcome> outcome;
    size_t bytes = 0;
  };
  using Generation = std::unordered_map<BlockSearchKey, Entry, KeyHash>;

  /// Adds `entry` to the recent generation, turning it old first when it
  /// would exceed half the budget.
  void keep(BlockSearchKey key, Entry entry);

  size_t maxBytes;
  Generation recent, old;
  size_t recentBytes = 0, oldBytes = 0, peak = 0;
};

} // namespace mirage::search

#endif // MIRAGE_LIB_SEARCH_BLOCKSEARCHMEMO_H
