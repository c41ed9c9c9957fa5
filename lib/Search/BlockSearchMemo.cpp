//===- BlockSearchMemo.cpp - Memo of block-level searches -------*- C++ -*-===//

#include "BlockSearchMemo.h"

#include "llvm/ADT/STLExtras.h"

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

void BlockSearchMemo::makeRoom() {
  if (searches.size() >= maxSearches || cachedClosures >= maxClosures) {
    searches.clear();
    cachedClosures = 0;
  }
}

void BlockSearchMemo::insert(
    BlockSearchKey key, std::shared_ptr<const BlockSearchOutcome> outcome) {
  size_t closures = outcome->closures.size();
  if (searches.try_emplace(std::move(key), std::move(outcome)).second)
    cachedClosures += closures;
}
