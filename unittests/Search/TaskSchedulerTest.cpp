//===- TaskSchedulerTest.cpp - Tasks of the parallel search ---------------===//
//
// A synthetic tree walked by 1, 2 and 3 workers through TaskCursor: every
// task runs exactly once, results merged in task order and the counted
// statistics are the same for any number of workers.
//
//===----------------------------------------------------------------------===//

#include "TaskScheduler.h"

#include "gtest/gtest.h"

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

using namespace mirage;
using namespace mirage::search;

namespace {

constexpr unsigned kTasks = 40;

/// What one walk of the synthetic tree produced.
struct Outcome {
  std::vector<int> results;
  std::vector<unsigned> runs; // per task
  SearchStats stats;
  uint64_t tasks = 0;
};

/// The tree: a root with kTasks children, each a task start; a task visits
/// a nested task start (which must just run) and finds two results. Every
/// node counts one state; task i also counts i pruned shapes.
Outcome walk(unsigned threads) {
  TaskQueue queue(Clock::now(), /*budgetSeconds=*/0);
  std::vector<std::unique_ptr<TaskCursor>> cursors;
  for (unsigned i = 0; i < threads; ++i)
    cursors.push_back(std::make_unique<TaskCursor>(queue, i));
  std::mutex mutex;
  TaskResults<int> results;
  std::vector<std::atomic<unsigned>> runs(kTasks);
  runWorkers(threads, [&](unsigned w) {
    TaskCursor &cursor = *cursors[w];
    cursor.start();
    ++cursor.tally().statesVisited; // the root, walked by everyone
    for (unsigned child = 0; child < kTasks; ++child) {
      ++cursor.tally().statesVisited;
      cursor.inTask([&] {
        EXPECT_EQ(cursor.currentTask(), child);
        ++runs[child];
        cursor.tally().prunedShape += child;
        bool nested = false;
        cursor.inTask([&] { nested = true; });
        EXPECT_TRUE(nested);
        // Uneven work, so that two workers interleave.
        if (child % 3 == 0)
          std::this_thread::sleep_for(std::chrono::microseconds(200));
        std::lock_guard<std::mutex> lock(mutex);
        results.add(cursor.currentTask(), 10 * child);
        results.add(cursor.currentTask(), 10 * child + 1);
      });
    }
  });
  Outcome outcome;
  outcome.results = results.takeInTaskOrder();
  for (auto &r : runs)
    outcome.runs.push_back(r.load());
  for (auto &cursor : cursors)
    outcome.stats.add(cursor->stats());
  outcome.tasks = queue.tasksStarted(threads);
  return outcome;
}

TEST(TaskSchedulerTest, EnumerationLeavesTimeToConfirm) {
  // Three times the reference's tests are left for confirmation...
  EXPECT_DOUBLE_EQ(enumerationBudget(60, 0.5), 58.5);
  // ...at most half the budget...
  EXPECT_DOUBLE_EQ(enumerationBudget(10, 4), 5);
  // ...and no budget stays none.
  EXPECT_DOUBLE_EQ(enumerationBudget(0, 4), 0);
}

TEST(TaskSchedulerTest, EveryTaskRunsOnceInTaskOrder) {
  for (unsigned threads : {1u, 2u, 3u}) {
    SCOPED_TRACE(threads);
    Outcome outcome = walk(threads);
    EXPECT_EQ(outcome.tasks, kTasks);
    EXPECT_EQ(outcome.runs, std::vector<unsigned>(kTasks, 1));
    ASSERT_EQ(outcome.results.size(), 2 * kTasks);
    for (unsigned i = 0; i < 2 * kTasks; ++i)
      EXPECT_EQ(outcome.results[i], 10 * static_cast<int>(i / 2) + i % 2);
  }
}

TEST(TaskSchedulerTest, StatisticsDoNotDependOnTheWorkerCount) {
  Outcome one = walk(1), two = walk(2), three = walk(3);
  // The root and the task starts once each, whoever walked them.
  EXPECT_EQ(one.stats.statesVisited, 1 + kTasks);
  EXPECT_EQ(one.stats.prunedShape, kTasks * (kTasks - 1) / 2);
  for (const Outcome *other : {&two, &three}) {
    EXPECT_EQ(other->stats.statesVisited, one.stats.statesVisited);
    EXPECT_EQ(other->stats.prunedShape, one.stats.prunedShape);
    EXPECT_EQ(other->results, one.results);
  }
}

TEST(TaskSchedulerTest, OnlyWorkerZeroCountsOutsideTasks) {
  TaskQueue queue(Clock::now(), 0);
  TaskCursor first(queue, 0), second(queue, 1);
  first.start();
  second.start();
  ++first.tally().statesVisited;
  ++second.tally().statesVisited;
  EXPECT_EQ(first.stats().statesVisited, 1u);
  EXPECT_EQ(second.stats().statesVisited, 0u);
  // `first` claimed task 0 and `second` task 1: each runs its own and
  // skips the other's, and counts what it does inside its task.
  unsigned firstRuns = 0, secondRuns = 0;
  first.inTask([&] { ++firstRuns; });
  second.inTask([&] { ++secondRuns; });
  EXPECT_EQ(firstRuns, 1u);
  EXPECT_EQ(secondRuns, 0u);
  first.inTask([&] { ++firstRuns; });
  second.inTask([&] {
    ++secondRuns;
    EXPECT_EQ(second.currentTask(), 1u);
    ++second.tally().statesVisited;
  });
  EXPECT_EQ(firstRuns, 1u);
  EXPECT_EQ(secondRuns, 1u);
  EXPECT_EQ(second.stats().statesVisited, 1u);
}

TEST(TaskSchedulerTest, TimeBudget) {
  TaskQueue unlimited(Clock::now() - std::chrono::hours(1), 0);
  uint64_t checks = 0;
  for (int i = 0; i < 1000; ++i)
    EXPECT_FALSE(unlimited.outOfTime(checks));
  EXPECT_FALSE(unlimited.budgetExhausted());

  // A budget that ran out long ago is seen within 256 checks, then by
  // every worker at once.
  TaskQueue expired(Clock::now() - std::chrono::hours(1), 1.0);
  checks = 0;
  int calls = 0;
  while (!expired.outOfTime(checks) && calls < 1000)
    ++calls;
  EXPECT_LT(calls, 256);
  EXPECT_TRUE(expired.budgetExhausted());
  uint64_t otherChecks = 0;
  EXPECT_TRUE(expired.outOfTime(otherChecks));

  TaskQueue later(Clock::now(), 3600);
  checks = 0;
  for (int i = 0; i < 1000; ++i)
    EXPECT_FALSE(later.outOfTime(checks));
}

} // namespace

// Every worker leaves a meeting point with the same bound, computed once by
// the last to arrive after all have arrived.
TEST(TaskSchedulerTest, SynchronizeAgreesOnOneBound) {
  constexpr unsigned kWorkers = 3, kMeetings = 20;
  TaskQueue queue(Clock::now(), 0);
  queue.setWorkers(kWorkers);
  std::atomic<unsigned> arrivedTotal{0}, evaluations{0};
  std::mutex mutex;
  std::vector<std::vector<double>> seen(kWorkers);
  runWorkers(kWorkers, [&](unsigned worker) {
    for (unsigned meeting = 0; meeting < kMeetings; ++meeting) {
      arrivedTotal.fetch_add(1);
      std::optional<double> bound = queue.synchronize([&] {
        ++evaluations;
        // Everyone of this meeting has arrived.
        EXPECT_EQ(arrivedTotal.load(), (meeting + 1) * kWorkers);
        return static_cast<double>(meeting);
      });
      ASSERT_TRUE(bound.has_value());
      std::lock_guard<std::mutex> lock(mutex);
      seen[worker].push_back(*bound);
    }
  });
  EXPECT_EQ(evaluations.load(), kMeetings);
  for (const std::vector<double> &bounds : seen) {
    ASSERT_EQ(bounds.size(), kMeetings);
    for (unsigned meeting = 0; meeting < kMeetings; ++meeting)
      EXPECT_EQ(bounds[meeting], static_cast<double>(meeting));
  }
}

// Once the budget has run out nobody waits: a worker alone at a meeting
// point of two returns instead of waiting for one that stopped.
TEST(TaskSchedulerTest, SynchronizeDoesNotWaitOnceTheBudgetRanOut) {
  TaskQueue queue(Clock::now() - std::chrono::hours(1), 1.0);
  queue.setWorkers(2);
  uint64_t checks = 0;
  while (!queue.outOfTime(checks)) {
  }
  EXPECT_FALSE(queue.synchronize([] { return 0.0; }).has_value());

  // A worker already waiting is woken when another sees the deadline.
  TaskQueue later(Clock::now(), 0.2);
  later.setWorkers(2);
  std::optional<double> waited = 1.0;
  std::thread waiter([&] { waited = later.synchronize([] { return 0.0; }); });
  uint64_t otherChecks = 0;
  while (!later.outOfTime(otherChecks))
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  waiter.join();
  EXPECT_FALSE(waited.has_value());
}
