//===- CandidateCheck.h - Checking complete candidates (private) *- C++ -*-===//
//
// What happens to a complete candidate of the search (docs/Search.md,
// "Verification and ranking"): it is priced by the cost model and dropped
// unverified when it cannot be among the `top-k`; the others are screened
// with the first fingerprint test and kept by the task that found them. At
// the end the screened candidates are ranked by cost (ties in task order)
// and confirmed, cheapest first, with every fingerprint test and one float
// test until `top-k` are confirmed; their outputs are put in the
// reference's order.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_LIB_SEARCH_CANDIDATECHECK_H
#define MIRAGE_LIB_SEARCH_CANDIDATECHECK_H

#include "TaskScheduler.h"

#include "Mirage/Core/UGraph.h"
#include "Mirage/Search/Superoptimizer.h"
#include "Mirage/Semantics/Interpreter.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Error.h"

#include <mutex>
#include <optional>
#include <tuple>
#include <vector>

namespace mirage::search {

/// The fingerprint tests of the reference, shared read-only by the
/// workers: the reference outputs of every test, and the inputs of the
/// first one only. Inputs are the largest thing the search holds (a field
/// element is two floats: four times an f16 input), and every screened
/// candidate is evaluated on the first test alone; the inputs of the other
/// tests are drawn again from their seeds when a candidate is confirmed
/// (the seeded stream is a pure function of the seed, the input and the
/// element: docs/Semantics.md), one test at a time (docs/Search.md,
/// "Memory").
struct ReferenceTests {
  /// The reference's inputs, to draw a test's inputs again. Inputs above
  /// kHeldInputBytes are not held but drawn where they are read
  /// (seededInputs): MoE's weights.
  std::vector<ValueInfo> inputInfos;
  /// The inputs of test 0, or empty once released (releaseFirstInputs).
  std::vector<Tensor> firstInputs;
  std::vector<std::vector<Tensor>> outputs;
  /// The seed of each test: its inputs and its model of constants and
  /// opaque functions (evaluate's modelSeed).
  std::vector<uint64_t> seeds;

  size_t size() const { return seeds.size(); }

  /// Appends a test: its seed, the reference's outputs on it and, for the
  /// first test, its inputs.
  void add(uint64_t seed, std::vector<Tensor> inputs,
           std::vector<Tensor> referenceOutputs);

  /// The inputs of test `test`: the kept ones of test 0, otherwise drawn
  /// again into `storage` (the same tensors as when the test was made).
  llvm::ArrayRef<Tensor> inputs(size_t test,
                                std::vector<Tensor> &storage) const;

  /// Frees test 0's inputs (after the workers are done): inputs() then draws
  /// them again too, so that confirmation holds one test's inputs at a time.
  void releaseFirstInputs() { std::vector<Tensor>().swap(firstInputs); }

  /// The bytes the kept inputs take.
  int64_t keptInputBytes() const;
};

/// The fingerprint tests of `reference`: `options.verifyTests` seeds from
/// `options.seed`, less those whose inputs hit a zero divisor in the
/// reference. Errors when the reference cannot be evaluated or every test
/// was inconclusive.
llvm::Expected<ReferenceTests> makeReferenceTests(const KernelGraph &reference,
                                                  const SearchOptions &options);

/// The pairing of `candidate`'s outputs with the reference's (outputs of
/// equal shape and type) under which their fingerprints agree on tests
/// [0, endTest), or nothing; `perm[i]` is the candidate output matching
/// reference output i. A test whose inputs hit a zero divisor in the
/// candidate makes it unverifiable: nothing.
std::optional<llvm::SmallVector<unsigned, 4>>
matchOutputs(const KernelGraph &reference, const KernelGraph &candidate,
             const ReferenceTests &tests, size_t endTest);

/// The screened candidates, shared by the workers: the cost bound and the
/// candidates by task. Thread-safe.
class CandidateBoard {
public:
  CandidateBoard(const KernelGraph &reference, const SearchOptions &options,
                 const ReferenceTests &tests);

  /// The reference's predicted time: a candidate that is not faster is of
  /// no use and is not verified.
  double referenceSeconds() const { return reference; }

  /// Prices the complete candidate `graph` (its outputs set), found in task
  /// `task`, and screens it with the first fingerprint test unless it
  /// cannot be among the topK; keeps it when it passes. Counts pruned_cost
  /// and candidates_verified, _rejected and _found in `tally`.
  void screen(const KernelGraph &graph, uint64_t task, SearchStats &tally);

  /// Whether a candidate predicted to take `seconds` could still be among
  /// the topK results. Only candidates strictly worse than the k-th best
  /// are dropped, so ties (and therefore the result) do not depend on the
  /// order in which the workers find candidates.
  bool worthVerifying(double seconds);

  /// Where a candidate ranks (takeRanked): its predicted time, its op
  /// count, its task; among equal keys, the one a task found first.
  struct RankKey {
    double seconds;
    size_t ops;
    uint64_t task;
    bool operator<(const RankKey &o) const {
      return std::tie(seconds, ops, task) < std::tie(o.seconds, o.ops, o.task);
    }
  };
  /// Whether a candidate of `key` would rank after the topK screened
  /// candidates kept so far, ties included (equal keys: the same task,
  /// which found the kept one first). Such a candidate cannot be in the
  /// result and is not screened: with top-k=1, one of many programs of the
  /// same predicted time and size (grids or loops that cost the same) is
  /// screened, not all (MoE's six equal-cost launches, about a second
  /// each at its real shape).
  bool ranksAfterBest(const RankKey &key);

  /// The cost above which a candidate is not worth verifying: the k-th
  /// best screened so far, infinite while fewer than topK are.
  double costBound();
  /// Keeps a screened candidate found in task `task`.
  void record(uint64_t task, Candidate candidate);

  /// The predicted time of the best screened candidate so far, if any (for
  /// progress reports).
  std::optional<double> bestSoFar();

  /// The kept candidates ranked by cost, cheapest first, ties in task order
  /// (then in the order each task found them). Empties the board.
  std::vector<Candidate> takeRanked();

private:
  const KernelGraph &referenceGraph;
  const SearchOptions &options;
  const ReferenceTests &tests;
  double reference;
  std::mutex mutex;
  /// The predicted times of the best screened candidates so far, at most
  /// topK, ascending.
  std::vector<double> bestSeconds;
  /// Their rank keys, ascending.
  std::vector<RankKey> bestKeys;
  TaskResults<Candidate> found;
};

/// Confirms `ranked` candidates in order with every fingerprint test and
/// one float test (docs/Semantics.md) until `options.topK` are confirmed,
/// and appends those to `result.best` with their outputs put in the
/// reference's order; counts the others in
/// `result.stats.candidatesUnconfirmed`. Errors when a float test cannot
/// be run.
llvm::Error confirmCandidates(const KernelGraph &reference,
                              const ReferenceTests &tests,
                              const SearchOptions &options,
                              std::vector<Candidate> ranked,
                              SearchResult &result);

} // namespace mirage::search

#endif // MIRAGE_LIB_SEARCH_CANDIDATECHECK_H
