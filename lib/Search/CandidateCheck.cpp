//===- CandidateCheck.cpp - Checking complete candidates --------*- C++ -*-===//

#include "CandidateCheck.h"

#include "Mirage/Semantics/Equivalence.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <limits>
#include <numeric>

using namespace mirage;
using namespace mirage::search;

void ReferenceTests::add(uint64_t seed, std::vector<Tensor> inputs,
                         std::vector<Tensor> referenceOutputs) {
  if (seeds.empty())
    firstInputs = std::move(inputs);
  seeds.push_back(seed);
  outputs.push_back(std::move(referenceOutputs));
}

llvm::ArrayRef<Tensor>
ReferenceTests::inputs(size_t test, std::vector<Tensor> &storage) const {
  if (test == 0 && !firstInputs.empty())
    return firstInputs;
  storage.clear();
  for (auto [i, info] : llvm::enumerate(inputInfos))
    storage.push_back(seededInput(info, NumberSystem::Field, seeds[test],
                                  static_cast<unsigned>(i)));
  return storage;
}

int64_t ReferenceTests::keptInputBytes() const {
  int64_t bytes = 0;
  for (const Tensor &t : firstInputs)
    bytes += t.heldBytes();
  return bytes;
}

llvm::Expected<ReferenceTests>
mirage::search::makeReferenceTests(const KernelGraph &reference,
                                   const SearchOptions &options) {
  ReferenceTests tests;
  for (unsigned i = 0; i < reference.numInputs; ++i)
    tests.inputInfos.push_back(reference.values[i]);
  for (unsigned t = 0; t < options.verifyTests; ++t) {
    std::vector<Tensor> inputs =
        seededInputs(reference, NumberSystem::Field, options.seed + t);
    llvm::Expected<EvalResult> outputs =
        evaluate(reference, NumberSystem::Field, inputs, options.seed + t);
    if (!outputs)
      return outputs.takeError();
    if (outputs->inconclusive)
      continue; // this test's inputs hit a zero divisor: draw the next seed
    // One test's inputs at a time: test 0's are drawn again below.
    tests.add(options.seed + t, std::vector<Tensor>(),
              std::move(outputs->outputs));
  }
  if (tests.seeds.empty())
    return llvm::createStringError(
        llvm::inconvertibleErrorCode(),
        "every fingerprint test of the reference was inconclusive");
  std::vector<Tensor> first;
  (void)tests.inputs(0, first);
  tests.firstInputs = std::move(first);
  return tests;
}

/// Equal fingerprints, element for element.
static bool sameTensor(const Tensor &a, const Tensor &b) {
  return a.shape == b.shape && a.data == b.data;
}

std::optional<llvm::SmallVector<unsigned, 4>>
mirage::search::matchOutputs(const KernelGraph &reference,
                             const KernelGraph &candidate,
                             const ReferenceTests &tests, size_t endTest) {
  unsigned numOutputs = candidate.outputs.size();
  if (numOutputs != reference.outputs.size())
    return std::nullopt;
  llvm::SmallVector<unsigned, 4> perm(numOutputs);
  std::iota(perm.begin(), perm.end(), 0);
  std::vector<llvm::SmallVector<unsigned, 4>> perms;
  do {
    bool fits = true;
    for (unsigned i = 0; i < numOutputs; ++i) {
      const ValueInfo &ref = reference.values[reference.outputs[i]];
      const ValueInfo &cand = candidate.values[candidate.outputs[perm[i]]];
      fits &= ref.shape == cand.shape && ref.dtype == cand.dtype;
    }
    if (fits)
      perms.push_back(perm);
  } while (std::next_permutation(perm.begin(), perm.end()));
  std::vector<Tensor> drawn;
  for (size_t test = 0;
       test < std::min(endTest, tests.size()) && !perms.empty(); ++test) {
    llvm::Expected<EvalResult> result =
        evaluate(candidate, NumberSystem::Field, tests.inputs(test, drawn),
                 tests.seeds[test]);
    if (!result || result->inconclusive) {
      if (!result)
        llvm::consumeError(result.takeError());
      return std::nullopt;
    }
    llvm::erase_if(perms, [&](const llvm::SmallVector<unsigned, 4> &p) {
      for (unsigned i = 0; i < numOutputs; ++i)
        if (!sameTensor(tests.outputs[test][i], result->outputs[p[i]]))
          return true;
      return false;
    });
  }
  if (perms.empty())
    return std::nullopt;
  return perms.front();
}

CandidateBoard::CandidateBoard(const KernelGraph &referenceGraph,
                               const SearchOptions &options,
                               const ReferenceTests &tests)
    : referenceGraph(referenceGraph), options(options), tests(tests),
      reference(estimateCost(referenceGraph, options.gpu).seconds) {}

/// The ops of a program (accumulator rms, not square, mean and sqrt): the
/// ranking's second key.
static size_t opCount(const KernelGraph &graph) {
  size_t ops = graph.ops.size();
  for (const BlockGraph &block : graph.blockGraphs)
    ops += block.ops.size();
  return ops;
}

void CandidateBoard::screen(const KernelGraph &graph, uint64_t task,
                            SearchStats &tally) {
  ProgramCost cost = estimateCost(graph, options.gpu);
  if (!worthVerifying(cost.seconds) ||
      ranksAfterBest({cost.seconds, opCount(graph), task})) {
    ++tally.prunedCost;
    return;
  }
  ++tally.candidatesVerified;
  std::optional<llvm::SmallVector<unsigned, 4>> perm =
      matchOutputs(referenceGraph, graph, tests, /*endTest=*/1);
  if (!perm) {
    ++tally.candidatesRejected;
    return;
  }
  ++tally.candidatesFound;
  Candidate candidate;
  candidate.graph = graph;
  candidate.cost = std::move(cost);
  record(task, std::move(candidate));
}

bool CandidateBoard::worthVerifying(double seconds) {
  if (!(seconds < reference))
    return false;
  std::lock_guard<std::mutex> lock(mutex);
  return bestSeconds.size() < options.topK || seconds <= bestSeconds.back();
}

double CandidateBoard::costBound() {
  std::lock_guard<std::mutex> lock(mutex);
  return bestSeconds.size() < options.topK
             ? std::numeric_limits<double>::infinity()
             : bestSeconds.back();
}

bool CandidateBoard::ranksAfterBest(const RankKey &key) {
  std::lock_guard<std::mutex> lock(mutex);
  return bestKeys.size() >= options.topK && !(key < bestKeys.back());
}

void CandidateBoard::record(uint64_t task, Candidate candidate) {
  std::lock_guard<std::mutex> lock(mutex);
  double seconds = candidate.cost.seconds;
  bestSeconds.insert(llvm::upper_bound(bestSeconds, seconds), seconds);
  if (bestSeconds.size() > options.topK)
    bestSeconds.pop_back();
  RankKey key{seconds, opCount(candidate.graph), task};
  bestKeys.insert(llvm::upper_bound(bestKeys, key), key);
  if (bestKeys.size() > options.topK)
    bestKeys.pop_back();
  found.add(task, std::move(candidate));
}

std::optional<double> CandidateBoard::bestSoFar() {
  std::lock_guard<std::mutex> lock(mutex);
  if (bestSeconds.empty())
    return std::nullopt;
  return bestSeconds.front();
}

std::vector<Candidate> CandidateBoard::takeRanked() {
  std::vector<Candidate> inTaskOrder;
  {
    std::lock_guard<std::mutex> lock(mutex);
    inTaskOrder = found.takeInTaskOrder();
  }
  // Rank by cost; among equal costs the program of fewer ops (accumulator
  // rms, not square, mean and sqrt), then the task order.
  std::vector<std::pair<size_t, Candidate>> ordered;
  for (Candidate &c : inTaskOrder)
    ordered.emplace_back(ordered.size(), std::move(c));
  llvm::sort(ordered, [&](const auto &a, const auto &b) {
    if (a.second.cost.seconds != b.second.cost.seconds)
      return a.second.cost.seconds < b.second.cost.seconds;
    size_t opsA = opCount(a.second.graph), opsB = opCount(b.second.graph);
    if (opsA != opsB)
      return opsA < opsB;
    return a.first < b.first;
  });
  std::vector<Candidate> ranked;
  for (auto &entry : ordered)
    ranked.push_back(std::move(entry.second));
  return ranked;
}

llvm::Error mirage::search::confirmCandidates(const KernelGraph &reference,
                                              const ReferenceTests &tests,
                                              const SearchOptions &options,
                                              std::vector<Candidate> ranked,
                                              SearchResult &result) {
  // Confirm the cheapest screened candidates with every fingerprint test,
  // in rank order, until topK are confirmed; their outputs are put in the
  // reference's order.
  for (Candidate &candidate : ranked) {
    if (result.best.size() == options.topK)
      break;
    std::optional<llvm::SmallVector<unsigned, 4>> perm =
        matchOutputs(reference, candidate.graph, tests, tests.size());
    if (!perm) {
      ++result.stats.candidatesUnconfirmed;
      continue;
    }
    // Fingerprints are confirmed by one float test (docs/Semantics.md):
    // a candidate whose float outputs differ is not emitted.
    llvm::Expected<FloatTest> floatTest =
        runFloatTest(reference, candidate.graph, *perm, options.seed);
    if (!floatTest)
      return floatTest.takeError();
    if (!floatTest->usable || !floatTest->agrees) {
      ++result.stats.candidatesUnconfirmed;
      continue;
    }
    llvm::SmallVector<ValueId, 4> outputs;
    for (unsigned i : *perm)
      outputs.push_back(candidate.graph.outputs[i]);
    candidate.graph.outputs.assign(outputs.begin(), outputs.end());
    result.best.push_back(std::move(candidate));
  }
  return llvm::Error::success();
}
