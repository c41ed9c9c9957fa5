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

#include "BlockSearchMemo.h"
#include "CandidateCheck.h"
#include "ExprScreen.h"
#include "KernelSearch.h"
#include "TaskScheduler.h"

#include "Mirage/Semantics/Equivalence.h"
#include "Mirage/Semantics/Interpreter.h"
#include "Mirage/Support/ShapeRules.h"

#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
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

void SearchOptions::fitToProgram(unsigned numInputs) {
  maxBlockInputs = std::max(maxBlockInputs, std::min(numInputs, 4u));
}

void SearchOptions::fitToProgram(const KernelGraph &program) {
  fitToProgram(program.numInputs);
  if (maxBlockOps == 0)
    maxBlockOps = derivedMaxBlockOps(program);
}

unsigned mirage::derivedMaxBlockOps(const KernelGraph &program) {
  uint64_t ops = 0;
  for (const OpNode &op : program.ops) {
    if (op.kind != OpKind::GraphDefined || op.blockGraph < 0 ||
        static_cast<size_t>(op.blockGraph) >= program.blockGraphs.size()) {
      ++ops;
      continue;
    }
    for (const OpNode &inner : program.blockGraphs[op.blockGraph].ops)
      if (inner.kind != OpKind::Loader && inner.kind != OpKind::Saver)
        ++ops;
  }
  uint64_t fusion = program.numInputs + ops + 2 * program.outputs.size();
  // At most 16, the largest block graph --mirage-check-limits accepts by
  // default: a reference of graph-defined kernels would otherwise ask for
  // block graphs the search cannot enumerate.
  return static_cast<unsigned>(std::clamp<uint64_t>(fusion, 11, 16));
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

/// Calls options.progress every progressIntervalSeconds from a thread of its
/// own while the workers run, and once more (done) at finish().
class ProgressReporter {
public:
  ProgressReporter(const SearchOptions &options, const TaskQueue &queue,
                   CandidateBoard &board, Clock::time_point start)
      : options(options), queue(queue), board(board), start(start) {
    if (!options.progress)
      return;
    thread = std::thread([this] {
      auto interval = std::chrono::duration<double>(
          std::max(0.01, this->options.progressIntervalSeconds));
      std::unique_lock<std::mutex> lock(mutex);
      while (!stopped) {
        if (wake.wait_for(lock, interval, [this] { return stopped; }))
          break;
        report(false);
      }
    });
  }
  ~ProgressReporter() { finish(nullptr); }

  /// Stops the reports; the last one gives the workers' merged `exact`
  /// counts when known.
  void finish(const SearchStats *exact) {
    if (!thread.joinable())
      return;
    {
      std::lock_guard<std::mutex> lock(mutex);
      stopped = true;
    }
    wake.notify_all();
    thread.join();
    report(true, exact);
  }

private:
  void report(bool done, const SearchStats *exact = nullptr) {
    SearchProgress progress;
    progress.elapsedSeconds =
        std::chrono::duration<double>(Clock::now() - start).count();
    progress.budgetSeconds = options.timeBudgetSeconds;
    progress.statesVisited = exact ? exact->statesVisited : queue.statesSoFar();
    progress.candidatesVerified =
        exact ? exact->candidatesVerified : queue.verifiedSoFar();
    progress.bestSeconds = board.bestSoFar();
    progress.referenceSeconds = board.referenceSeconds();
    progress.done = done;
    options.progress(progress);
  }

  const SearchOptions &options;
  const TaskQueue &queue;
  CandidateBoard &board;
  Clock::time_point start;
  std::thread thread;
  std::mutex mutex;
  std::condition_variable wake;
  bool stopped = false;
};

} // namespace

/// The reference split at the layout ops that read its inputs (or the
/// results of such ops): `inner` is the rest, which reads each value those
/// ops provide as an input of its own; `prologue` are the layout ops.
struct PeeledReference {
  KernelGraph inner;
  std::vector<OpNode> prologue;
  /// The reference value that each input of `inner` stands for.
  std::vector<ValueId> innerInputOf;
};

static bool isLayoutOp(OpKind kind) {
  return kind == OpKind::Transpose || kind == OpKind::Reshape ||
         kind == OpKind::Broadcast;
}

/// Appends a copy of `op` of `from` to `into`: its operands through `map`
/// (from's value ids to into's), its results as new values of `into`,
/// recorded in `map`.
static void appendRemapped(KernelGraph &into, const OpNode &op,
                           const KernelGraph &from, std::vector<ValueId> &map) {
  OpNode copy = op;
  for (ValueId &v : copy.operands)
    v = map[v];
  for (ValueId &r : copy.results)
    r = map[r] = addValue(into.values, from.values[r]);
  into.ops.push_back(std::move(copy));
}

/// Peels the layout ops at the front of `reference` (docs/Search.md,
/// "Layout ops"), or std::nullopt when it has none.
static std::optional<PeeledReference>
peelLayoutOps(const KernelGraph &reference) {
  size_t n = reference.values.size();
  std::vector<bool> beforeSearch(n, false), peeled(reference.ops.size());
  for (unsigned i = 0; i < reference.numInputs; ++i)
    beforeSearch[i] = true;
  bool any = false;
  for (auto [k, op] : llvm::enumerate(reference.ops)) {
    // Constants are peeled too: the search reads each as an input (a
    // candidate must then hold for any value of it, which is stronger), and
    // the prologue puts it back.
    peeled[k] = op.kind == OpKind::Constant ||
                (isLayoutOp(op.kind) && beforeSearch[op.operands[0]]);
    if (!peeled[k])
      continue;
    any = true;
    for (ValueId r : op.results)
      beforeSearch[r] = true;
  }
  if (!any)
    return std::nullopt;
  // The values of the prologue that the rest reads or returns.
  std::vector<bool> needed(n, false);
  for (auto [k, op] : llvm::enumerate(reference.ops))
    if (!peeled[k])
      for (ValueId v : op.operands)
        needed[v] = needed[v] || beforeSearch[v];
  for (ValueId v : reference.outputs)
    needed[v] = needed[v] || beforeSearch[v];
  PeeledReference result;
  KernelGraph &inner = result.inner;
  inner.name = reference.name;
  inner.blockGraphs = reference.blockGraphs;
  std::vector<ValueId> map(n, -1);
  for (size_t v = 0; v < n; ++v)
    if (needed[v]) {
      map[v] = inner.addInput(reference.values[v]);
      result.innerInputOf.push_back(static_cast<ValueId>(v));
    }
  for (auto [k, op] : llvm::enumerate(reference.ops)) {
    if (peeled[k]) {
      result.prologue.push_back(op);
      continue;
    }
    appendRemapped(inner, op, reference, map);
  }
  for (ValueId v : reference.outputs)
    inner.outputs.push_back(map[v]);
  return result;
}

/// `found`, a μGraph equivalent to `peeled.inner`, preceded by the peeled
/// layout ops: a μGraph on the reference's inputs.
static KernelGraph withPrologue(const KernelGraph &reference,
                                const PeeledReference &peeled,
                                const KernelGraph &found) {
  KernelGraph graph;
  graph.name = found.name;
  graph.blockGraphs = found.blockGraphs;
  std::vector<ValueId> fromReference(reference.values.size(), -1);
  for (unsigned i = 0; i < reference.numInputs; ++i)
    fromReference[i] = graph.addInput(reference.values[i]);
  for (const OpNode &op : peeled.prologue) {
    appendRemapped(graph, op, reference, fromReference);
  }
  std::vector<ValueId> map(found.values.size(), -1);
  for (unsigned i = 0; i < found.numInputs; ++i)
    map[i] = fromReference[peeled.innerInputOf[i]];
  for (const OpNode &op : found.ops)
    appendRemapped(graph, op, found, map);
  for (ValueId v : found.outputs)
    graph.outputs.push_back(map[v]);
  return graph;
}

static llvm::Expected<SearchResult>
searchGraph(const KernelGraph &reference, const SearchOptions &userOptions);

llvm::Expected<SearchResult>
mirage::superoptimize(const KernelGraph &reference,
                      const SearchOptions &userOptions) {
  if (llvm::Error err = checkEvaluable(reference))
    return std::move(err);
  std::optional<PeeledReference> peeled = peelLayoutOps(reference);
  if (!peeled)
    return searchGraph(reference, userOptions);
  // The search runs on the rest; every candidate equivalent to the rest
  // for all its inputs is, preceded by the same layout ops, equivalent to
  // the reference.
  llvm::Expected<SearchResult> result = searchGraph(peeled->inner, userOptions);
  if (!result)
    return result.takeError();
  for (Candidate &candidate : result->best) {
    candidate.graph = withPrologue(reference, *peeled, candidate.graph);
    candidate.cost = estimateCost(candidate.graph, userOptions.gpu);
  }
  // The same kernels are added to every candidate, whose cost is the sum
  // of its kernels': the ranking stays as the search made it.
  result->referenceCost = estimateCost(reference, userOptions.gpu);
  return result;
}

static llvm::Expected<SearchResult>
searchGraph(const KernelGraph &reference, const SearchOptions &userOptions) {
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

  options.fitToProgram(reference);
  std::string limitNote = sizeBoundNote(reference, options);

  auto testsStart = Clock::now();
  llvm::Expected<ReferenceTests> tests = makeReferenceTests(reference, options);
  if (!tests)
    return tests.takeError();
  double testSeconds =
      std::chrono::duration<double>(Clock::now() - testsStart).count();
  CandidateBoard board(reference, options, *tests);
  TaskQueue queue(start,
                  enumerationBudget(options.timeBudgetSeconds, testSeconds));

  unsigned threads = options.threads;
  if (threads == 0)
    threads = std::max(1u, std::thread::hardware_concurrency());
  queue.setWorkers(threads);
  ProgressReporter reporter(options, queue, board, start);
  // The reference is saturated once, by worker 0, before any starts.
  std::vector<std::unique_ptr<Worker>> workers;
  for (unsigned i = 0; i < threads; ++i)
    workers.push_back(std::make_unique<Worker>(
        reference, options, queue, board, i,
        i == 0 ? nullptr : workers.front()->screen.get()));
  runWorkers(threads, [&](unsigned i) { workers[i]->search.run(); });
  // Confirmation evaluates one candidate at a time on one test at a time:
  // it draws every test's inputs again, test 0's included, so that it holds
  // one test's inputs, not two (docs/Search.md, "Memory").
  int64_t fingerprintInputBytes = tests->keptInputBytes();
  tests->releaseFirstInputs();

  SearchResult result;
  result.limitNote = std::move(limitNote);
  for (const std::unique_ptr<Worker> &worker : workers) {
    worker->tasks.stats().memoPeakBytes = worker->search.memoPeakBytes();
    result.stats.add(worker->tasks.stats());
  }
  result.stats.fingerprintInputBytes = fingerprintInputBytes;
  result.stats.tasks = queue.tasksStarted(threads);
  result.stats.budgetExhausted = queue.budgetExhausted();
  result.stats.maxBlockOps = options.maxBlockOps;
  reporter.finish(&result.stats);
  result.referenceCost = estimateCost(reference, options.gpu);
  if (llvm::Error err = confirmCandidates(reference, *tests, options,
                                          board.takeRanked(), result))
    return std::move(err);
  result.stats.seconds =
      std::chrono::duration<double>(Clock::now() - start).count();
  return result;
}

std::optional<int64_t> mirage::searchMemoryBytes(const KernelGraph &reference,
                                                 const SearchOptions &options) {
  auto field = NumberSystem::Field;
  // Inputs above kHeldInputBytes are drawn where they are read, not held
  // (seededInputs): they count only as the scratch they are drawn into.
  std::optional<int64_t> evaluation =
      evaluationBytes(reference, field, kHeldInputBytes);
  std::optional<int64_t> inputs = inputBytes(reference, field, kHeldInputBytes);
  std::optional<int64_t> allInputs = inputBytes(reference, field);
  std::optional<int64_t> interface = interfaceBytes(reference, field);
  if (!evaluation || !inputs || !allInputs || !interface)
    return std::nullopt;
  unsigned threads = options.threads
                         ? options.threads
                         : std::max(1u, std::thread::hardware_concurrency());
  // Per thread: one evaluation (the inputs are shared) and the memo.
  std::optional<int64_t> perThread =
      checkedAddSize(*evaluation - *inputs,
                     static_cast<int64_t>(search::BlockSearchMemo::kMaxBytes));
  std::optional<int64_t> threadsBytes =
      perThread ? checkedMulSize(*perThread, threads) : std::nullopt;
  // The reference's outputs of every test.
  std::optional<int64_t> outputs = checkedMulSize(
      *interface - *allInputs, std::max(1u, options.verifyTests));
  std::optional<int64_t> kept =
      outputs ? checkedAddSize(*inputs, *outputs) : std::nullopt;
  return threadsBytes && kept ? checkedAddSize(*threadsBytes, *kept)
                              : std::nullopt;
}

std::optional<int64_t> mirage::programInputBytes(const KernelGraph &reference) {
  int64_t total = 0;
  for (unsigned i = 0; i < reference.numInputs; ++i) {
    const ValueInfo &info = reference.values[i];
    if (!addSizeTo(total, checkedNumBytes(info.shape, dtypeBytes(info.dtype))))
      return std::nullopt;
  }
  return total;
}

int64_t mirage::defaultSearchMemoryLimit(const KernelGraph &reference,
                                         int64_t machineLimit) {
  std::optional<int64_t> inputs = programInputBytes(reference);
  std::optional<int64_t> limit =
      inputs ? checkedAddSize(kSearchMemoryBase, *inputs) : std::nullopt;
  return std::min(machineLimit, limit.value_or(machineLimit));
}
