//===- ProgressTest.cpp - Progress reports of the search ------------------===//
//
// The workers publish their counts to the task queue every 256 states; the
// driver's reporter calls SearchOptions::progress while they run and once
// more, with the exact counts, when they are done; the reports change
// nothing in the result (docs/Search.md, "Progress").
//
//===----------------------------------------------------------------------===//

#include "SearchTestUtil.h"
#include "TaskScheduler.h"

#include "Mirage/Search/Superoptimizer.h"

#include "gtest/gtest.h"

#include <mutex>
#include <vector>

using namespace mirage;
using namespace mirage::search;
using namespace mirage::testing;

namespace {

TEST(ProgressTest, CursorPublishesEvery256States) {
  TaskQueue queue(Clock::now(), /*budgetSeconds=*/0);
  TaskCursor cursor(queue, /*worker=*/0);
  cursor.start();
  for (int i = 0; i < 255; ++i) {
    EXPECT_FALSE(cursor.outOfTime());
    ++cursor.tally().statesVisited;
  }
  EXPECT_EQ(queue.statesSoFar(), 0u);
  cursor.tally().candidatesVerified += 3;
  EXPECT_FALSE(cursor.outOfTime()); // the 256th check publishes
  EXPECT_EQ(queue.statesSoFar(), 255u);
  EXPECT_EQ(queue.verifiedSoFar(), 3u);
  for (int i = 0; i < 256; ++i) {
    ++cursor.tally().statesVisited;
    cursor.outOfTime();
  }
  // Only what was counted since the last report is added.
  EXPECT_EQ(queue.statesSoFar(), 511u);
  EXPECT_EQ(queue.verifiedSoFar(), 3u);
}

TEST(ProgressTest, LastReportHasTheExactCountsAndResultIsUnchanged) {
  KernelGraph reference = reluExpReference();
  SearchOptions options;
  options.threads = 2;
  options.maxKernelOps = 3;
  options.maxBlockOps = 7;
  llvm::Expected<SearchResult> quiet = superoptimize(reference, options);
  ASSERT_TRUE(static_cast<bool>(quiet)) << llvm::toString(quiet.takeError());

  std::mutex mutex;
  std::vector<SearchProgress> reports;
  options.progress = [&](const SearchProgress &p) {
    std::lock_guard<std::mutex> lock(mutex);
    reports.push_back(p);
  };
  options.progressIntervalSeconds = 0.001;
  llvm::Expected<SearchResult> reported = superoptimize(reference, options);
  ASSERT_TRUE(static_cast<bool>(reported))
      << llvm::toString(reported.takeError());

  ASSERT_FALSE(reports.empty());
  const SearchProgress &last = reports.back();
  EXPECT_TRUE(last.done);
  for (size_t i = 0; i + 1 < reports.size(); ++i) {
    EXPECT_FALSE(reports[i].done);
    EXPECT_LE(reports[i].statesVisited, last.statesVisited);
    EXPECT_LE(reports[i].elapsedSeconds, last.elapsedSeconds);
  }
  EXPECT_EQ(last.statesVisited, reported->stats.statesVisited);
  EXPECT_EQ(last.candidatesVerified, reported->stats.candidatesVerified);
  EXPECT_DOUBLE_EQ(last.referenceSeconds, reported->referenceCost.seconds);
  ASSERT_EQ(reported->best.empty(), quiet->best.empty());
  if (!reported->best.empty()) {
    ASSERT_TRUE(last.bestSeconds.has_value());
    EXPECT_LE(*last.bestSeconds, reported->best.front().cost.seconds);
    EXPECT_DOUBLE_EQ(reported->best.front().cost.seconds,
                     quiet->best.front().cost.seconds);
  }
  // The reports do not change the search: the states and the best program
  // (above) are the same. The candidate counts are not compared: with two
  // workers they depend on which candidates the live board held when each
  // was screened (docs/Search.md, "Parallelism and determinism").
  EXPECT_EQ(reported->stats.statesVisited, quiet->stats.statesVisited);
}

} // namespace
