//===- BlockSearchMemo.cpp - Memo of block-level searches -------*- C++ -*-===//

#include "BlockSearchMemo.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>

using namespace mirage;
using namespace mirage::search;

BlockSearchKey mirage::search::blockSearchKey(llvm::ArrayRef<ExprId> inputExprs,
                                              llvm::ArrayRef<ValueInfo> tiles,
                                              const LaunchShape &launch,
                                              unsigned minOutputs,
                                              unsigned maxOutputs) {
  BlockSearchKey key = {static_cast<int64_t>(inputExprs.size()),
                        launch.forloopRange, launch.reductionDimx, minOutputs,
                        maxOutputs};
  for (auto [expr, tile] : llvm::zip_equal(inputExprs, tiles)) {
    key.push_back(expr);
    key.push_back(static_cast<int64_t>(tile.dtype));
    key.push_back(tile.shape.size());
    key.append(tile.shape.begin(), tile.shape.end());
  }
  return key;
}

size_t mirage::search::memoEntryBytes(const BlockSearchKey &key,
                                      const BlockSearchOutcome &outcome) {
  // A node of the hash table: the key, the entry, the links and the bucket.
  size_t bytes = sizeof(BlockSearchKey) + 64 + sizeof(BlockSearchOutcome);
  if (key.capacity() > 24) // beyond BlockSearchKey's inline storage
    bytes += key.capacity() * sizeof(int64_t);
  bytes += outcome.closures.capacity() * sizeof(BlockClosure);
  for (const BlockClosure &closure : outcome.closures)
    bytes += closure.values.capacity() * sizeof(ValueInfo) +
             closure.ops.capacity() * sizeof(OpNode);
  return bytes;
}

std::shared_ptr<const BlockSearchOutcome>
BlockSearchMemo::lookup(const BlockSearchKey &key, SearchStats &tally) {
  if (auto it = recent.find(key); it != recent.end()) {
    tally.add(it->second.outcome->stats);
    return it->second.outcome;
  }
  auto it = old.find(key);
  if (it == old.end())
    return nullptr;
  tally.add(it->second.outcome->stats);
  // Met again: back to the recent generation.
  Entry entry = std::move(it->second);
  BlockSearchKey moved = it->first;
  oldBytes -= entry.bytes;
  old.erase(it);
  std::shared_ptr<const BlockSearchOutcome> outcome = entry.outcome;
  keep(std::move(moved), std::move(entry));
  return outcome;
}

void BlockSearchMemo::insert(
    BlockSearchKey key, std::shared_ptr<const BlockSearchOutcome> outcome) {
  if (recent.count(key) || old.count(key))
    return;
  size_t bytes = memoEntryBytes(key, *outcome);
  if (bytes > maxBytes / 2)
    return;
  keep(std::move(key), Entry{std::move(outcome), bytes});
}

void BlockSearchMemo::keep(BlockSearchKey key, Entry entry) {
  if (recentBytes + entry.bytes > maxBytes / 2) {
    old = std::move(recent);
    oldBytes = recentBytes;
    recent = Generation();
    recentBytes = 0;
  }
  recentBytes += entry.bytes;
  recent.try_emplace(std::move(key), std::move(entry));
  peak = std::max(peak, bytes());
}
