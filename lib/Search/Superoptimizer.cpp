//===- Superoptimizer.cpp - The μGraph search -------------------*- C++ -*-===//
//
// The driver of the search: it checks the reference, draws the fingerprint
// tests, starts one worker per thread and confirms what they found. See
// Superoptimizer.h for the shape of the search and docs/Search.md for the
// rules and where each part lives:
//
//   TaskScheduler    tasks, workers and the time budget
//   KernelSearch     the kernel level (pre-defined ops, launches, loaders)
//   BlockSearch      the block level
//   BlockSearchMemo  the per-worker memo of block searches
//   ExprScreen       the abstract-expression checks
//   CandidateCheck   fingerprints, the cost bound, ranking, confirmation
//
//===----------------------------------------------------------------------===//

#include "Mirage/Search/Superoptimizer.h"

#include "CandidateCheck.h"
#include "ExprScreen.h"
#include "KernelSearch.h"
#include "TaskScheduler.h"

#include "Mirage/Semantics/Equivalence.h"
#include "Mirage/Semantics/Interpreter.h"

#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

using namespace mirage;
using namespace mirage::search;

void SearchOptions::applyPreset() {
  if (preset == Preset::Attention)
    maxGraphDefinedKernels = std::max(maxGraphDefinedKernels, 2u);
  if (preset == Preset::Lora)
    maxBlockInputs = std::max(maxBlockInputs, 4u);
}

namespace {

/// One thread of the search: its own expression pool and pruner (the
/// pruner's memo is not shared), its own walk of the tree and graph under
/// construction.
struct Worker {
  /// Worker 0 saturates the reference (`first` null); the others copy its
  /// e-graph.
  Worker(const KernelGraph &reference, const SearchOptions &options,
         TaskQueue &queue, CandidateBoard &board, unsigned index,
         const ExprScreen *first)
      : screen(first ? std::make_unique<ExprScreen>(reference, *first)
                     : std::make_unique<ExprScreen>(reference)),
        tasks(queue, index), search(reference, options, tasks, *screen, board) {
    tasks.stats().saturationSeconds = screen->saturationSeconds();
  }

  std::unique_ptr<ExprScreen> screen;
  TaskCursor tasks;
  KernelSearch search;
};

/// Why no program of the reference's inputs can be built within the size
/// bounds, or empty: the root of the enumeration is pruned when the kernel
/// ops left (max-kernel-ops counts the inputs, as Mirage does) cannot bring
/// the inputs down to the outputs.
std::string sizeBoundNote(const KernelGraph &reference,
                          const SearchOptions &options) {
  unsigned inputs = reference.numInputs, outputs = reference.outputs.size();
  if (inputs >= options.maxKernelOps)
    return llvm::formatv("the {0} inputs leave no op under max-kernel-ops={1}, "
                         "which counts the inputs: raise max-kernel-ops",
                         inputs, options.maxKernelOps)
        .str();
  if (!canReachOutputs(inputs, outputs, options.maxKernelOps - inputs,
                       options.maxGraphDefinedKernels, options))
    return llvm::formatv(
               "{0} inputs cannot be reduced to {1} outputs within "
               "max-kernel-ops={2} (which counts the inputs), "
               "max-graph-defined={3} and {4} inputs per kernel: raise "
               "max-kernel-ops",
               inputs, outputs, options.maxKernelOps,
               options.maxGraphDefinedKernels, options.maxBlockInputs)
        .str();
  return "";
}

} // namespace

llvm::Expected<SearchResult>
mirage::superoptimize(const KernelGraph &reference,
                      const SearchOptions &userOptions) {
  SearchOptions options = userOptions;
  options.applyPreset();
  auto start = Clock::now();
  if (llvm::Error err = checkEvaluable(reference))
    return std::move(err);
  if (llvm::Error err = checkFingerprintable(reference))
    return std::move(err);
  if (reference.numInputs > 16)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "the search supports at most 16 inputs");

  // Four inputs in one kernel where the program has four (LoRA: X W +
  // X A B fuses into one kernel only with all four).
  options.maxBlockInputs = std::max(options.maxBlockInputs,
                                    std::min<unsigned>(reference.numInputs, 4));
  std::string limitNote = sizeBoundNote(reference, options);

  llvm::Expected<ReferenceTests> tests = makeReferenceTests(reference, options);
  if (!tests)
    return tests.takeError();
  CandidateBoard board(reference, options, *tests);
  TaskQueue queue(start, options.timeBudgetSeconds);

  unsigned threads = options.threads;
  if (threads == 0)
    threads = std::max(1u, std::thread::hardware_concurrency());
  // The reference is saturated once, by worker 0, before any starts.
  std::vector<std::unique_ptr<Worker>> workers;
  for (unsigned i = 0; i < threads; ++i)
    workers.push_back(std::make_unique<Worker>(
        reference, options, queue, board, i,
        i == 0 ? nullptr : workers.front()->screen.get()));
  runWorkers(threads, [&](unsigned i) { workers[i]->search.run(); });

  SearchResult result;
  result.limitNote = std::move(limitNote);
  for (const std::unique_ptr<Worker> &worker : workers)
    result.stats.add(worker->tasks.stats());
  result.stats.tasks = queue.tasksStarted(threads);
  result.stats.budgetExhausted = queue.budgetExhausted();
  result.referenceCost = estimateCost(reference, options.gpu);
  if (llvm::Error err = confirmCandidates(reference, *tests, options,
                                          board.takeRanked(), result))
    return std::move(err);
  result.stats.seconds =
      std::chrono::duration<double>(Clock::now() - start).count();
  return result;
}
