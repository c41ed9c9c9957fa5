//===- TaskScheduler.h - Tasks of the parallel search (private) -*- C++ -*-===//
//
// How the search tree is shared between worker threads, deterministically.
// Every worker walks the same tree in the same order and meets the same task
// starts (the first graph-defined launch on each path, or a complete
// candidate of pre-defined ops only); the i-th start met is task i. A shared
// counter hands out task numbers: a worker runs the task starting where it
// stands only if it claimed that number, and skips the subtree otherwise.
// So every task runs exactly once, on whichever worker, and what a task
// finds does not depend on the number of workers: results stored by task
// number and merged in that order are the same for one thread and many.
// This needs every worker to walk the same tree above the tasks: whatever
// the walk asks there must answer alike in every worker (the
// abstract-expression checks do: one saturation, copied, ExprScreen.h).
//
// The part of the tree above the tasks is walked by every worker; only
// worker 0 counts its statistics, so that the totals do not depend on the
// number of workers either.
//
// The time budget is shared: once the deadline passes, every worker stops
// where it is (outOfTime()).
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_LIB_SEARCH_TASKSCHEDULER_H
#define MIRAGE_LIB_SEARCH_TASKSCHEDULER_H

#include "Mirage/Search/SearchStats.h"

#include "llvm/ADT/STLFunctionalExtras.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <vector>

namespace mirage::search {

using Clock = std::chrono::steady_clock;

/// The part of a time budget of `budgetSeconds` that the enumeration may
/// take (docs/Search.md, "The time budget"): the confirmation of the
/// candidates found runs after it, within the budget. Confirming a
/// candidate draws every test's inputs again, evaluates it on each (a
/// graph-defined kernel evaluates slower than the reference's pre-defined
/// ops) and runs one float test of it and the reference: about three times
/// what making the reference's tests took (`testSeconds`; QKNorm-GQA: 0.73
/// s, then 2.1 s to confirm). The enumeration leaves that, and at most
/// half the budget. No budget (0) stays none.
double enumerationBudget(double budgetSeconds, double testSeconds);

/// The state the workers share: the next unclaimed task and the deadline.
class TaskQueue {
public:
  /// A queue whose deadline is `budgetSeconds` after `start`; no deadline
  /// when `budgetSeconds` is 0.
  TaskQueue(Clock::time_point start, double budgetSeconds);

  /// The next unclaimed task number.
  uint64_t claimNext() { return next.fetch_add(1); }

  /// The tasks started, once `workers` workers have each walked the whole
  /// tree (each holds one claim past the last task).
  uint64_t tasksStarted(unsigned workers) const {
    return next.load() - workers;
  }

  /// Whether the deadline has passed; the clock is read once per 256 calls
  /// counted by `checks` (one counter per worker).
  bool outOfTime(uint64_t &checks) {
    if (!hasDeadline)
      return false;
    if (expired.load(std::memory_order_relaxed))
      return true;
    if ((++checks & 255) == 0 && Clock::now() > deadline)
      expire();
    return expired.load(std::memory_order_relaxed);
  }

  /// Whether some worker saw the deadline pass.
  bool budgetExhausted() const { return expired.load(); }

  /// The number of workers that walk the tree (finishPass waits for all).
  void setWorkers(unsigned count) { workers = std::max(1u, count); }

  /// A meeting point of the workers (KernelSearch::synchronize): waits
  /// until every worker has called it as often, and returns to all
  /// `bound()` evaluated once by the last to arrive. Every worker walks
  /// the part of the tree above the tasks alike and calls it at the same
  /// places, so what they learn here does not depend on how the tasks were
  /// shared. Once the time budget has run out nobody waits: nothing
  /// (a worker may have stopped before its next call).
  std::optional<double> synchronize(llvm::function_ref<double()> bound);

  /// Progress the workers published (TaskCursor::outOfTime): states visited
  /// and candidates verified so far, a little behind the workers' own
  /// counts. Only for progress reports; the statistics are exact.
  void publish(uint64_t states, uint64_t verified) {
    publishedStates.fetch_add(states, std::memory_order_relaxed);
    publishedVerified.fetch_add(verified, std::memory_order_relaxed);
  }
  uint64_t statesSoFar() const {
    return publishedStates.load(std::memory_order_relaxed);
  }
  uint64_t verifiedSoFar() const {
    return publishedVerified.load(std::memory_order_relaxed);
  }

private:
  /// Sets `expired` and wakes the workers waiting in synchronize.
  void expire();

  unsigned workers = 1;
  std::mutex passMutex;
  std::condition_variable passDone;
  unsigned arrived = 0;
  uint64_t passes = 0;
  double lastBound = 0;
  std::atomic<uint64_t> next{0};
  std::atomic<uint64_t> publishedStates{0};
  std::atomic<uint64_t> publishedVerified{0};
  Clock::time_point deadline;
  bool hasDeadline = false;
  std::atomic<bool> expired{false};
};

/// One worker's walk of the tree: which task starts it owns, whether it is
/// inside one, and where its statistics go.
class TaskCursor {
public:
  TaskCursor(TaskQueue &queue, unsigned worker)
      : queue(queue), worker(worker) {}

  /// Begins the walk from the root: claims this worker's first task.
  void start() {
    claimed = queue.claimNext();
    taskIndex = 0;
  }

  /// Runs `body` as the task starting here if this worker owns it; inside
  /// a task, just runs it.
  template <typename Fn> void inTask(Fn &&body) {
    if (insideTask) {
      body();
      return;
    }
    if (!claim())
      return;
    insideTask = true;
    body();
    insideTask = false;
  }

  /// Whether the walk is inside a task this worker runs: only there may
  /// it depend on what other workers found (the cost bound), since the
  /// walk above the tasks must be the same in every worker.
  bool inside() const { return insideTask; }

  /// The queue the workers share.
  TaskQueue &sharedQueue() { return queue; }

  /// The task being run (meaningful inside inTask).
  uint64_t currentTask() const { return current; }

  /// The statistics to count into: this worker's outside tasks only for
  /// worker 0.
  SearchStats &tally() { return insideTask || worker == 0 ? counted : ignored; }

  /// What this worker counted.
  SearchStats &stats() { return counted; }

  /// Whether the time budget ran out; called before every state, so every
  /// 256th call also publishes this worker's progress to the queue.
  bool outOfTime() {
    if ((++progressChecks & 255) == 0)
      publishProgress();
    return queue.outOfTime(timeChecks);
  }

  /// Publishes what this worker counted since it last did.
  void publishProgress() {
    queue.publish(counted.statesVisited - publishedStates,
                  counted.candidatesVerified - publishedVerified);
    publishedStates = counted.statesVisited;
    publishedVerified = counted.candidatesVerified;
  }

private:
  /// Whether the task starting here (the next in the order every worker
  /// meets task starts) is this worker's; if so, claims the next one.
  bool claim() {
    uint64_t index = taskIndex++;
    if (index != claimed)
      return false;
    current = index;
    claimed = queue.claimNext();
    return true;
  }

  TaskQueue &queue;
  unsigned worker;
  SearchStats counted;
  SearchStats ignored;
  bool insideTask = false;
  uint64_t claimed = 0;
  uint64_t taskIndex = 0;
  uint64_t current = 0;
  uint64_t timeChecks = 0;
  uint64_t progressChecks = 0;
  uint64_t publishedStates = 0;
  uint64_t publishedVerified = 0;
};

/// Results stored by the task that found them and read back in task order,
/// which does not depend on the number of workers. Not synchronized: the
/// caller guards it.
template <typename T> class TaskResults {
public:
  void add(uint64_t task, T value) { byTask[task].push_back(std::move(value)); }

  /// Every result, by task number, each task's in the order it added them.
  std::vector<T> takeInTaskOrder() {
    std::vector<T> all;
    for (auto &entry : byTask)
      for (T &value : entry.second)
        all.push_back(std::move(value));
    byTask.clear();
    return all;
  }

private:
  std::map<uint64_t, std::vector<T>> byTask;
};

/// Runs `work(i)` for every worker i < `threads`, each on its own thread;
/// with one worker, on the calling thread. Returns when all are done.
void runWorkers(unsigned threads, llvm::function_ref<void(unsigned)> work);

} // namespace mirage::search

#endif // MIRAGE_LIB_SEARCH_TASKSCHEDULER_H
