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
  EXPECT_EQ(memo.bytes(), memoEntryBytes(key, *outcomeWith(3, 7)));
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
  EXPECT_EQ(memo.size(), 1u);
}

TEST(BlockSearchMemoTest, EntryBytesCountClosures) {
  BlockSearchKey key = {1, 2, 3};
  auto empty = outcomeWith(0, 1);
  auto two = outcomeWith(2, 1);
  BlockClosure &closure = two->closures[0];
  closure.values.resize(5);
  closure.ops.resize(3);
  size_t base = memoEntryBytes(key, *empty);
  EXPECT_GE(memoEntryBytes(key, *two),
            base + 2 * sizeof(BlockClosure) +
                closure.values.capacity() * sizeof(ValueInfo) +
                closure.ops.capacity() * sizeof(OpNode));
  // A long key counts its heap storage.
  BlockSearchKey longKey(100, 7);
  EXPECT_GE(memoEntryBytes(longKey, *empty), base + 100 * sizeof(int64_t));
}

// Two generations of at most half the budget each: the oldest searches are
// forgotten first, a hit keeps a search, and the bytes never exceed the
// budget.
TEST(BlockSearchMemoTest, ForgetsTheLeastRecentlyMetWhenFull) {
  size_t entry = memoEntryBytes({1}, *outcomeWith(1, 1));
  // Room for two entries per generation.
  BlockSearchMemo memo(/*maxBytes=*/4 * entry + 1);
  SearchStats tally;
  memo.insert({1}, outcomeWith(1, 1));
  memo.insert({2}, outcomeWith(1, 1));
  EXPECT_EQ(memo.size(), 2u);
  // The recent generation is full: {1} and {2} become old.
  memo.insert({3}, outcomeWith(1, 1));
  EXPECT_EQ(memo.size(), 3u);
  // {1} is met again: back to the recent generation.
  EXPECT_NE(memo.lookup({1}, tally), nullptr);
  // Full again: {3, 1} become old, {2} is forgotten.
  memo.insert({4}, outcomeWith(1, 1));
  EXPECT_EQ(memo.lookup({2}, tally), nullptr);
  EXPECT_NE(memo.lookup({4}, tally), nullptr);
  EXPECT_NE(memo.lookup({3}, tally), nullptr);
  EXPECT_NE(memo.lookup({1}, tally), nullptr);
  EXPECT_LE(memo.bytes(), 4 * entry + 1);
  EXPECT_LE(memo.peakBytes(), 4 * entry + 1);
  EXPECT_GE(memo.peakBytes(), memo.bytes());

  // An outcome of more than half the budget is not kept.
  BlockSearchMemo tiny(/*maxBytes=*/entry);
  tiny.insert({1}, outcomeWith(1, 1));
  EXPECT_EQ(tiny.size(), 0u);
  EXPECT_EQ(tiny.bytes(), 0u);

  // An outcome still held by the caller survives the eviction.
  BlockSearchMemo small(/*maxBytes=*/2 * entry + 1);
  small.insert({1}, outcomeWith(1, 1));
  auto held = small.lookup({1}, tally);
  small.insert({2}, outcomeWith(1, 1));
  small.insert({3}, outcomeWith(1, 1));
  EXPECT_EQ(small.lookup({1}, tally), nullptr);
  EXPECT_EQ(held->closures.size(), 1u);
}

} // namespace
