//===- Superoptimizer.h - The μGraph search ---------------------*- C++ -*-===//
//
// Mirage's search (docs/Search.md) on the compact μGraph: a depth-first
// enumeration of kernel graphs and of the block graphs of their
// graph-defined kernels, in a canonical order so that no graph is built
// twice, pruned before every op insertion by shape, shared-memory and
// abstract-expression checks, with every complete candidate verified by
// fingerprints against the reference program and ranked by the cost model.
//
// The search is parallel and deterministic: the tree is cut into tasks (the
// first graph-defined launch on each path, with everything below it),
// workers take tasks in order, and results are merged in task order, so one
// thread and many give the same answer (unless the time budget runs out,
// which the statistics report).
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_SEARCH_SUPEROPTIMIZER_H
#define MIRAGE_SEARCH_SUPEROPTIMIZER_H

#include "Mirage/Core/UGraph.h"
#include "Mirage/Search/Candidates.h"
#include "Mirage/Search/CostModel.h"
#include "Mirage/Search/SearchStats.h"

#include "llvm/Support/Error.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace mirage {

/// A snapshot of a running search, for progress reports. The counts are
/// what the workers have published so far (a little behind them); they do
/// not affect the search.
struct SearchProgress {
  double elapsedSeconds = 0;
  /// The time budget (0: none).
  double budgetSeconds = 0;
  uint64_t statesVisited = 0;
  uint64_t candidatesVerified = 0;
  /// The predicted time of the best candidate that passed the first
  /// fingerprint test so far (confirmed at the end), if any.
  std::optional<double> bestSeconds;
  double referenceSeconds = 0;
  /// The last report: the workers are done (confirmation follows).
  bool done = false;
};

struct SearchOptions {
  /// Kernel-graph ops, the inputs included (Mirage's count).
  unsigned maxKernelOps = 5;
  /// Block-graph ops, loaders and savers included; 0 (the default)
  /// derives it from the program (fitToProgram, derivedMaxBlockOps).
  unsigned maxBlockOps = 0;
  /// Graph-defined kernels per candidate (attention: at least 2).
  unsigned maxGraphDefinedKernels = 1;
  /// Inputs and outputs of one graph-defined kernel. A program with four
  /// inputs gets four-input kernels (superoptimize raises the bound).
  unsigned maxBlockInputs = 3;
  unsigned maxBlockOutputs = 2;
  Preset preset = Preset::None;
  /// User candidate lists; empty lists mean the built-in generators.
  std::vector<Grid> grids;
  std::vector<DimMap> imaps;
  std::vector<DimMap> omaps;
  std::vector<int64_t> forloopRanges;
  /// Worker threads; 0 means every core.
  unsigned threads = 0;
  /// Wall-clock budget in seconds; 0 means none.
  double timeBudgetSeconds = 0;
  uint64_t seed = 0;
  /// How many of the cheapest verified candidates to keep.
  unsigned topK = 1;
  /// Shared memory per block available to a graph-defined kernel.
  int64_t sharedMemoryBytes = 232448;
  /// Fingerprint tests per verified candidate.
  unsigned verifyTests = 5;
  GpuParams gpu = h100Params();
  /// Called every `progressIntervalSeconds` while the workers run, from a
  /// thread of its own, and once more when they are done. Unset: no
  /// reports.
  std::function<void(const SearchProgress &)> progress;
  double progressIntervalSeconds = 1.0;

  /// Applies the preset's defaults to the limits (attention: 2 kernels;
  /// lora: 4 block inputs).
  void applyPreset();
  /// Fits the bounds to a program of `numInputs` inputs: a program with four
  /// inputs gets four-input kernels (LoRA: X W + X A B fuses into one kernel
  /// only with all four). superoptimize() calls it; so does anything that
  /// explains a search's bounds afterwards.
  void fitToProgram(unsigned numInputs);
  /// The same, and a `maxBlockOps` of 0 becomes derivedMaxBlockOps(program).
  void fitToProgram(const KernelGraph &program);
};

/// The default bound on a block graph's ops for `program`: enough for a
/// one-kernel fusion of it, a loader per input, a block op per op (a
/// graph-defined kernel's block ops other than its loaders and savers), an
/// accumulator and a saver per output; never below 11 (Mirage's bound)
/// nor above 16 (`--mirage-check-limits`' default). QKNorm-GQA (3 inputs, 7
/// ops, 1 output) gets 12; every other example 11.
unsigned derivedMaxBlockOps(const KernelGraph &program);

struct Candidate {
  KernelGraph graph;
  ProgramCost cost;
};

struct SearchResult {
  /// Candidates verified with every fingerprint test, cheapest first (at
  /// most topK).
  std::vector<Candidate> best;
  ProgramCost referenceCost;
  SearchStats stats;
  /// When a size bound keeps the search from building any program of the
  /// reference's inputs: which bound, and the option that would help.
  /// Empty otherwise.
  std::string limitNote;
};

/// Searches for μGraphs equivalent to `reference` (a kernel graph of
/// whole-tensor ops, as imported from a func.func). Errors when the
/// reference cannot be evaluated or fingerprinted.
llvm::Expected<SearchResult> superoptimize(const KernelGraph &reference,
                                           const SearchOptions &options);

/// The bytes the search of `reference` holds at most, beyond the tool
/// itself (docs/Search.md, "Memory"): the inputs of one fingerprint test and
/// the reference's outputs of every test (in the field: two floats per
/// element), and per thread one evaluation's working set (evaluationBytes
/// less the shared inputs) and the block-search memo's budget. Confirmation
/// and the locations of the result hold less (one thread's share).
/// std::nullopt when that overflows a 64-bit byte count.
std::optional<int64_t> searchMemoryBytes(const KernelGraph &reference,
                                         const SearchOptions &options);

/// The bytes of `reference`'s inputs at their own element types.
std::optional<int64_t> programInputBytes(const KernelGraph &reference);

/// The fixed part of the search's default memory limit: 500 MB.
inline constexpr int64_t kSearchMemoryBase = 500'000'000;

/// The search's default memory limit: kSearchMemoryBase plus the program's
/// inputs at their own element types, at most `machineLimit` (the tools'
/// default limit, Mirage/Support/MemoryLimit.h).
int64_t defaultSearchMemoryLimit(const KernelGraph &reference,
                                 int64_t machineLimit);

} // namespace mirage

#endif // MIRAGE_SEARCH_SUPEROPTIMIZER_H
