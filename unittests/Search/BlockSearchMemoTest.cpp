//===- BlockSearchMemoTest.cpp - The memo of block searches ---------------===//

#include "BlockSearchMemo.h"

#include "SearchTestUtil.h"

#include "gtest/gtest.h"

using namespace mirage;
using namespace mirage::search;
using namespace mirage::testing;

namespace {

std::shared_ptr<BlockSearchOutcome> outcomeWith(unsigned closures,
                                                uint64_t states) {
  auto outcome = std::make_shared<BlockSearchOutcome>();
  outcome->closures.resize(closures);
  outcome->stats.statesVisited = states;
  outcome->stats.prunedShape = 2 * states;
  return outcome;
}

TEST(BlockSearchMemoTest, KeyIsWhatTheBlockSearchSees) {
  LaunchShape launch = rowLaunch();
  std::vector<ValueInfo> tiles = {f16({1, 64}), f16({64, 8})};
  BlockSearchKey key = blockSearchKey({3, 5}, tiles, launch, 1, 2);

  // The grid does not enter it (only the omaps and savers see it).
  LaunchShape otherGrid = launch;
  otherGrid.grid = {4, 2, 1};
  EXPECT_EQ(blockSearchKey({3, 5}, tiles, otherGrid, 1, 2), key);

  // Everything else does.
  EXPECT_NE(blockSearchKey({3, 6}, tiles, launch, 1, 2), key);
  EXPECT_NE(blockSearchKey({5, 3}, tiles, launch, 1, 2), key);
  EXPECT_NE(blockSearchKey({3, 5}, tiles, launch, 1, 1), key);
  EXPECT_NE(blockSearchKey({3, 5}, tiles, launch, 2, 2), key);
  LaunchShape looped = launch;
  looped.forloopRange = 2;
  EXPECT_NE(blockSearchKey({3, 5}, tiles, looped, 1, 2), key);
  LaunchShape dimx = launch;
  dimx.reductionDimx = 32;
  EXPECT_NE(blockSearchKey({3, 5}, tiles, dimx, 1, 2), key);
  std::vector<ValueInfo> f32Tiles = tiles;
  f32Tiles[1].dtype = DType::F32;
  EXPECT_NE(blockSearchKey({3, 5}, f32Tiles, launch, 1, 2), key);
  std::vector<ValueInfo> reshaped = {f16({1, 64}), f16({8, 64})};
  EXPECT_NE(blockSearchKey({3, 5}, reshaped, launch, 1, 2), key);
  // A shape's rank is part of it: [1, 64] then [64, 8] is not [1, 64, 64]
  // then [8].
  std::vector<ValueInfo> reranked = {f16({1, 64, 64}), f16({8})};
  EXPECT_NE(blockSearchKey({3, 5}, reranked, launch, 1, 2), key);
}

TEST(BlockSearchMemoTest, HitReplaysTheStatistics) {
  BlockSearchMemo memo;
  BlockSearchKey key = {1, 2, 3};
  SearchStats tally;
  EXPECT_EQ(memo.lookup(key, tally), nullptr);
  EXPECT_EQ(tally.statesVisited, 0u);
  memo.insert(key, outcomeWith(3, 7));
  EXPECT_EQ(memo.size(), 1u);
  EXPECT_EQ(memo.closures(), 3u);
  auto hit = memo.lookup(key, tally);
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(hit->closures.size(), 3u);
  EXPECT_EQ(tally.statesVisited, 7u);
  EXPECT_EQ(tally.prunedShape, 14u);
  memo.lookup(key, tally);
  EXPECT_EQ(tally.statesVisited, 14u);
}

TEST(BlockSearchMemoTest, FirstOutcomeIsKept) {
  BlockSearchMemo memo;
  memo.insert({1}, outcomeWith(1, 1));
  memo.insert({1}, outcomeWith(5, 5));
  SearchStats tally;
  EXPECT_EQ(memo.lookup({1}, tally)->closures.size(), 1u);
  EXPECT_EQ(memo.closures(), 1u);
}

TEST(BlockSearchMemoTest, ForgetsEverythingWhenFull) {
  BlockSearchMemo bySearches(/*maxSearches=*/2, /*maxClosures=*/100);
  bySearches.insert({1}, outcomeWith(1, 1));
  bySearches.makeRoom();
  EXPECT_EQ(bySearches.size(), 1u);
  bySearches.insert({2}, outcomeWith(1, 1));
  bySearches.makeRoom();
  EXPECT_EQ(bySearches.size(), 0u);
  EXPECT_EQ(bySearches.closures(), 0u);
  SearchStats tally;
  EXPECT_EQ(bySearches.lookup({1}, tally), nullptr);

  BlockSearchMemo byClosures(/*maxSearches=*/100, /*maxClosures=*/4);
  byClosures.insert({1}, outcomeWith(4, 1));
  byClosures.makeRoom();
  EXPECT_EQ(byClosures.size(), 0u);

  // An outcome still held by the caller survives the eviction.
  BlockSearchMemo small(1, 100);
  small.insert({1}, outcomeWith(2, 1));
  auto held = small.lookup({1}, tally);
  small.makeRoom();
  EXPECT_EQ(small.size(), 0u);
  EXPECT_EQ(held->closures.size(), 2u);
}

} // namespace
