//===- TaskScheduler.cpp - Tasks of the parallel search ---------*- C++ -*-===//

#include "TaskScheduler.h"

#include <thread>

using namespace mirage::search;

TaskQueue::TaskQueue(Clock::time_point start, double budgetSeconds) {
  if (budgetSeconds > 0) {
    hasDeadline = true;
    deadline = start + std::chrono::duration_cast<Clock::duration>(
                           std::chrono::duration<double>(budgetSeconds));
  }
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
