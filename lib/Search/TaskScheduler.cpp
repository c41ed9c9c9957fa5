//===- TaskScheduler.cpp - Tasks of the parallel search ---------*- C++ -*-===//

#include "TaskScheduler.h"

#include <algorithm>
#include <thread>

using namespace mirage::search;

TaskQueue::TaskQueue(Clock::time_point start, double budgetSeconds) {
  if (budgetSeconds > 0) {
    hasDeadline = true;
    deadline = start + std::chrono::duration_cast<Clock::duration>(
                           std::chrono::duration<double>(budgetSeconds));
  }
}

double mirage::search::enumerationBudget(double budgetSeconds,
                                         double testSeconds) {
  if (budgetSeconds <= 0)
    return budgetSeconds;
  double reserve = std::min(budgetSeconds / 2, 3 * testSeconds);
  return budgetSeconds - reserve;
}

void TaskQueue::expire() {
  {
    std::lock_guard<std::mutex> lock(passMutex);
    expired.store(true);
  }
  passDone.notify_all();
}

std::optional<double>
TaskQueue::synchronize(llvm::function_ref<double()> bound) {
  std::unique_lock<std::mutex> lock(passMutex);
  if (expired.load())
    return std::nullopt;
  uint64_t pass = passes;
  if (++arrived == workers) {
    arrived = 0;
    lastBound = bound();
    ++passes;
    passDone.notify_all();
    return lastBound;
  }
  passDone.wait(lock, [&] { return passes != pass || expired.load(); });
  if (passes == pass)
    return std::nullopt;
  return lastBound;
}

void mirage::search::runWorkers(unsigned threads,
                                llvm::function_ref<void(unsigned)> work) {
  if (threads == 1) {
    work(0);
    return;
  }
  std::vector<std::thread> pool;
  for (unsigned i = 0; i < threads; ++i)
    pool.emplace_back([work, i] { work(i); });
  for (std::thread &t : pool)
    t.join();
}
