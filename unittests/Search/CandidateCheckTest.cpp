//===- CandidateCheckTest.cpp - Checking complete candidates --------------===//
//
// Fingerprint tests and output matching, the cost bound and the ranking of
// screened candidates, and the final confirmation.
//
//===----------------------------------------------------------------------===//

#include "CandidateCheck.h"
#include "BlockSearchMemo.h"

#include "SearchTestUtil.h"

#include "gtest/gtest.h"

using namespace mirage;
using namespace mirage::search;
using namespace mirage::testing;

namespace {

/// exp(x) and relu(x), in the order `expFirst` says.
KernelGraph twoOutputs(bool expFirst) {
  KernelGraph g;
  g.name = "two";
  ValueId x = g.addInput(f16({8, 64}));
  ValueId e = addOp(g, makeOpNode(OpKind::Exp, {x}), f16({8, 64}));
  ValueId r = addOp(g, makeOpNode(OpKind::Relu, {x}), f16({8, 64}));
  g.outputs = {expFirst ? e : r, expFirst ? r : e};
  return g;
}

ReferenceTests testsOf(const KernelGraph &reference, unsigned count,
                       uint64_t seed = 0) {
  SearchOptions options;
  options.verifyTests = count;
  options.seed = seed;
  return llvm::cantFail(makeReferenceTests(reference, options));
}

Candidate candidate(KernelGraph graph, double seconds) {
  Candidate c;
  c.graph = std::move(graph);
  c.cost.seconds = seconds;
  return c;
}

TEST(CandidateCheckTest, ReferenceTests) {
  ReferenceTests tests = testsOf(reluExpReference(), 3, /*seed=*/7);
  EXPECT_EQ(tests.seeds, (std::vector<uint64_t>{7, 8, 9}));
  ASSERT_EQ(tests.size(), 3u);
  ASSERT_EQ(tests.outputs.size(), 3u);
  EXPECT_EQ(tests.outputs[0].size(), 1u);
  std::vector<Tensor> first, second;
  EXPECT_NE(tests.inputs(0, first)[0].data, tests.inputs(1, second)[0].data);
}

// Only test 0's inputs are kept; the others are drawn again from their seeds,
// and are the inputs the reference outputs were computed on.
TEST(CandidateCheckTest, TestInputsAreDrawnAgain) {
  KernelGraph reference = reluExpReference();
  ReferenceTests tests = testsOf(reference, 3, /*seed=*/7);
  ASSERT_EQ(tests.firstInputs.size(), 1u);
  EXPECT_EQ(
      tests.keptInputBytes(),
      static_cast<int64_t>(tests.firstInputs[0].data.size() * sizeof(float)));
  for (size_t t = 0; t < tests.size(); ++t) {
    std::vector<Tensor> storage;
    llvm::ArrayRef<Tensor> inputs = tests.inputs(t, storage);
    EXPECT_EQ(inputs[0].data,
              randomInputs(reference, NumberSystem::Field, 7 + t)[0].data);
    EvalResult again = llvm::cantFail(
        evaluate(reference, NumberSystem::Field, inputs, tests.seeds[t]));
    EXPECT_EQ(again.outputs[0].data, tests.outputs[t][0].data);
  }
  std::vector<Tensor> before;
  std::vector<float> kept = tests.inputs(0, before)[0].data;
  tests.releaseFirstInputs();
  EXPECT_TRUE(tests.firstInputs.empty());
  EXPECT_EQ(tests.keptInputBytes(), 0);
  std::vector<Tensor> after;
  EXPECT_EQ(tests.inputs(0, after)[0].data, kept);
  // Confirmation still sees all the tests.
  EXPECT_TRUE(
      matchOutputs(reference, reference, tests, tests.size()).has_value());
}

TEST(CandidateCheckTest, MatchOutputsFindsThePairing) {
  KernelGraph reference = twoOutputs(/*expFirst=*/true);
  ReferenceTests tests = testsOf(reference, 2);
  auto same = matchOutputs(reference, reference, tests, 2);
  ASSERT_TRUE(same);
  EXPECT_EQ(*same, (llvm::SmallVector<unsigned, 4>{0, 1}));
  auto swapped =
      matchOutputs(reference, twoOutputs(/*expFirst=*/false), tests, 2);
  ASSERT_TRUE(swapped);
  EXPECT_EQ(*swapped, (llvm::SmallVector<unsigned, 4>{1, 0}));
  KernelGraph wrong = twoOutputs(true);
  wrong.ops[1].kind = OpKind::Square;
  EXPECT_FALSE(matchOutputs(reference, wrong, tests, 2));
  KernelGraph oneOutput = twoOutputs(true);
  oneOutput.outputs.pop_back();
  EXPECT_FALSE(matchOutputs(reference, oneOutput, tests, 2));
}

TEST(CandidateCheckTest, ScreenKeepsOnlyCheaperEquivalentCandidates) {
  KernelGraph reference = reluExpReference();
  SearchOptions options;
  options.topK = 2;
  ReferenceTests tests = testsOf(reference, 3);
  CandidateBoard board(reference, options, tests);
  SearchStats tally;
  // The reference itself is not faster than the reference.
  board.screen(reference, 0, tally);
  EXPECT_EQ(tally.prunedCost, 1u);
  EXPECT_EQ(tally.candidatesVerified, 0u);
  // One fused kernel is; exp alone is not equivalent.
  KernelGraph fused = fusedKernel({OpKind::Exp, OpKind::Relu});
  ASSERT_LT(estimateCost(fused, options.gpu).seconds, board.referenceSeconds());
  board.screen(fusedKernel({OpKind::Exp}), 1, tally);
  board.screen(fused, 2, tally);
  EXPECT_EQ(tally.candidatesVerified, 2u);
  EXPECT_EQ(tally.candidatesRejected, 1u);
  EXPECT_EQ(tally.candidatesFound, 1u);
  std::vector<Candidate> ranked = board.takeRanked();
  ASSERT_EQ(ranked.size(), 1u);
  EXPECT_EQ(ranked[0].graph.blockGraphs[0].ops.size(), 5u);
}

TEST(CandidateCheckTest, CostBoundAndRanking) {
  KernelGraph reference = reluExpReference();
  SearchOptions options;
  options.topK = 2;
  ReferenceTests tests = testsOf(reference, 1);
  CandidateBoard board(reference, options, tests);
  double ref = board.referenceSeconds();
  EXPECT_FALSE(board.worthVerifying(ref));
  EXPECT_TRUE(board.worthVerifying(ref / 2));
  auto named = [&](const char *name, double seconds) {
    KernelGraph g = reference;
    g.name = name;
    return candidate(g, seconds);
  };
  board.record(5, named("t5", ref / 4));
  board.record(3, named("t3-a", ref / 4));
  board.record(3, named("t3-b", ref / 8));
  // Two kept at ref/8 and ref/4: ties with the k-th best still qualify,
  // anything worse does not.
  EXPECT_TRUE(board.worthVerifying(ref / 4));
  EXPECT_FALSE(board.worthVerifying(ref / 3));
  // The k-th best is t3-a (ref/4, task 3), after t5 in no order: t3-a's
  // task comes first. A program of its time and size from task 3 (found
  // after it) or a later task ranks after both kept ones: not screened;
  // from an earlier task, or smaller, or faster, it could rank before.
  size_t ops = reference.ops.size();
  EXPECT_TRUE(board.ranksAfterBest({ref / 4, ops, 3}));
  EXPECT_TRUE(board.ranksAfterBest({ref / 4, ops, 4}));
  EXPECT_TRUE(board.ranksAfterBest({ref / 4, ops + 1, 2}));
  EXPECT_FALSE(board.ranksAfterBest({ref / 4, ops, 2}));
  EXPECT_FALSE(board.ranksAfterBest({ref / 4, ops - 1, 9}));
  EXPECT_FALSE(board.ranksAfterBest({ref / 5, ops + 1, 9}));
  board.record(1, named("t1", ref / 2));
  std::vector<Candidate> ranked = board.takeRanked();
  std::vector<std::string> names;
  for (const Candidate &c : ranked)
    names.push_back(c.graph.name);
  // Cheapest first; ties in task order, then in the order found.
  EXPECT_EQ(names, (std::vector<std::string>{"t3-b", "t3-a", "t5", "t1"}));
  EXPECT_TRUE(board.takeRanked().empty());
}

TEST(CandidateCheckTest, ConfirmTakesTheCheapestThatPassEveryTest) {
  KernelGraph reference = reluExpReference();
  SearchOptions options;
  options.topK = 1;
  ReferenceTests tests = testsOf(reference, 5);
  std::vector<Candidate> ranked;
  ranked.push_back(candidate(fusedKernel({OpKind::Exp}), 1e-7));
  ranked.push_back(candidate(fusedKernel({OpKind::Exp, OpKind::Relu}), 2e-7));
  ranked.push_back(candidate(reference, 3e-7));
  SearchResult result;
  ASSERT_FALSE(static_cast<bool>(
      confirmCandidates(reference, tests, options, ranked, result)));
  ASSERT_EQ(result.best.size(), 1u);
  EXPECT_EQ(result.best[0].graph.name, "fused");
  EXPECT_EQ(result.stats.candidatesUnconfirmed, 1u);

  options.topK = 3;
  SearchResult all;
  ASSERT_FALSE(static_cast<bool>(
      confirmCandidates(reference, tests, options, ranked, all)));
  ASSERT_EQ(all.best.size(), 2u);
  EXPECT_EQ(all.best[1].graph.name, "relu_exp");
  EXPECT_EQ(all.stats.candidatesUnconfirmed, 1u);
}

TEST(CandidateCheckTest, ConfirmPutsOutputsInTheReferenceOrder) {
  KernelGraph reference = twoOutputs(/*expFirst=*/true);
  SearchOptions options;
  ReferenceTests tests = testsOf(reference, 3);
  KernelGraph swapped = twoOutputs(/*expFirst=*/false);
  SearchResult result;
  ASSERT_FALSE(static_cast<bool>(confirmCandidates(
      reference, tests, options, {candidate(swapped, 1e-7)}, result)));
  ASSERT_EQ(result.best.size(), 1u);
  const KernelGraph &best = result.best[0].graph;
  EXPECT_EQ(best.ops[best.outputs[0] - 1].kind, OpKind::Exp);
  EXPECT_EQ(best.ops[best.outputs[1] - 1].kind, OpKind::Relu);
}

} // namespace

namespace {

// The search's memory need (docs/Search.md, "Memory"): one test's inputs and
// every test's outputs, then per thread one evaluation and the memo.
TEST(SearchMemoryTest, NeedAndDefaultLimit) {
  KernelGraph reference = reluExpReference();
  // x f16 [8, 64]: 1024 bytes at its own dtype.
  EXPECT_EQ(programInputBytes(reference), 8 * 64 * 2);
  EXPECT_EQ(defaultSearchMemoryLimit(reference, int64_t(1) << 40),
            kSearchMemoryBase + 8 * 64 * 2);
  EXPECT_EQ(defaultSearchMemoryLimit(reference, 1000), 1000);

  SearchOptions options;
  options.threads = 1;
  options.verifyTests = 5;
  auto field = NumberSystem::Field;
  int64_t inputs = *inputBytes(reference, field);
  int64_t outputs = *interfaceBytes(reference, field) - inputs;
  int64_t perThread = *evaluationBytes(reference, field) - inputs +
                      static_cast<int64_t>(BlockSearchMemo::kMaxBytes);
  EXPECT_EQ(searchMemoryBytes(reference, options),
            inputs + 5 * outputs + perThread);
  options.threads = 3;
  EXPECT_EQ(searchMemoryBytes(reference, options),
            inputs + 5 * outputs + 3 * perThread);

  // A shape whose bytes overflow: no figure (the pass reports it as too
  // large).
  KernelGraph huge;
  huge.addInput({{int64_t(1) << 40, int64_t(1) << 40}, DType::F32, false});
  huge.outputs = {0};
  EXPECT_EQ(programInputBytes(huge), std::nullopt);
  EXPECT_EQ(searchMemoryBytes(huge, options), std::nullopt);
}

} // namespace
