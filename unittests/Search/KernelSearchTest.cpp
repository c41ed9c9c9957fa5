//===- KernelSearchTest.cpp - Kernel-level search of the μGraph -----------===//
//
// The dangling bound, and the kernel level run on relu(exp(x)) with its
// collaborators: it must find the fused one-kernel μGraph.
//
//===----------------------------------------------------------------------===//

#include "KernelSearch.h"

#include "SearchTestUtil.h"

#include "gtest/gtest.h"

using namespace mirage;
using namespace mirage::search;
using namespace mirage::testing;

namespace {

TEST(KernelSearchTest, CanReachOutputs) {
  SearchOptions options; // 3 block inputs, 2 block outputs
  // Pre-defined ops change the dangling count by -1 to +1 each.
  EXPECT_TRUE(canReachOutputs(1, 1, 0, 0, options));
  EXPECT_FALSE(canReachOutputs(2, 1, 0, 0, options));
  EXPECT_TRUE(canReachOutputs(2, 1, 1, 0, options));
  EXPECT_FALSE(canReachOutputs(3, 1, 1, 0, options));
  EXPECT_TRUE(canReachOutputs(3, 1, 2, 0, options));
  EXPECT_FALSE(canReachOutputs(1, 3, 1, 0, options));
  // A graph-defined kernel takes up to 3 inputs to 1 output (-2) and adds
  // up to 2 outputs.
  EXPECT_TRUE(canReachOutputs(3, 1, 1, 1, options));
  EXPECT_FALSE(canReachOutputs(4, 1, 1, 1, options));
  EXPECT_TRUE(canReachOutputs(1, 3, 1, 1, options));
  EXPECT_FALSE(canReachOutputs(1, 4, 1, 1, options));
  // Only as many launches as ops.
  EXPECT_FALSE(canReachOutputs(5, 1, 1, 2, options));
  EXPECT_TRUE(canReachOutputs(5, 1, 2, 2, options));
  options.maxBlockInputs = 4;
  EXPECT_TRUE(canReachOutputs(4, 1, 1, 1, options));
}

struct ReluExpSearch {
  KernelGraph reference = reluExpReference();
  SearchOptions options;
  SearchStats stats;
  std::vector<Candidate> ranked;
  uint64_t tasks = 0;

  ReluExpSearch(unsigned maxGraphDefined) {
    constexpr int64_t X = kReplicate;
    options.maxKernelOps = 2; // the input and one op
    options.maxGraphDefinedKernels = maxGraphDefined;
    options.maxBlockOps = 5;
    options.grids = {{8, 1, 1}};
    options.imaps = {{0, X, X}};
    options.omaps = {{0, X, X}};
    options.forloopRanges = {1};
    options.topK = 4;
  }

  void run() {
    llvm::Expected<ReferenceTests> tests =
        makeReferenceTests(reference, options);
    ASSERT_TRUE(static_cast<bool>(tests));
    CandidateBoard board(reference, options, *tests);
    TaskQueue queue(Clock::now(), 0);
    TaskCursor cursor(queue, 0);
    ExprScreen screen(reference);
    KernelSearch search(reference, options, cursor, screen, board);
    search.run();
    stats = cursor.stats();
    ranked = board.takeRanked();
    tasks = queue.tasksStarted(1);
  }
};

TEST(KernelSearchTest, FindsTheFusedKernel) {
  ReluExpSearch s(/*maxGraphDefined=*/1);
  s.run();
  ASSERT_FALSE(s.ranked.empty());
  const KernelGraph &best = s.ranked.front().graph;
  ASSERT_EQ(best.blockGraphs.size(), 1u);
  EXPECT_EQ(kindsOf(best.blockGraphs[0].ops),
            (std::vector<OpKind>{OpKind::Loader, OpKind::Exp, OpKind::Relu,
                                 OpKind::Accum, OpKind::Saver}));
  EXPECT_EQ(kindsOf(best.ops), std::vector<OpKind>{OpKind::GraphDefined});
  EXPECT_EQ(best.outputs.size(), 1u);
  EXPECT_EQ(s.stats.candidatesFound, s.ranked.size());
  EXPECT_GE(s.stats.candidatesVerified, s.stats.candidatesFound);
  EXPECT_GT(s.tasks, 0u);
  // exp(x) alone is a complete candidate the screen by output classes
  // drops.
  EXPECT_GT(s.stats.prunedAbstractExpr, 0u);
}

TEST(KernelSearchTest, PreDefinedOpsAloneCannotFuse) {
  ReluExpSearch s(/*maxGraphDefined=*/0);
  s.run();
  EXPECT_TRUE(s.ranked.empty());
  EXPECT_EQ(s.stats.candidatesVerified, 0u);
  EXPECT_GT(s.stats.statesVisited, 1u);
}

TEST(KernelSearchTest, SameResultTwice) {
  ReluExpSearch a(1), b(1);
  a.run();
  b.run();
  ASSERT_EQ(a.ranked.size(), b.ranked.size());
  for (size_t i = 0; i < a.ranked.size(); ++i)
    EXPECT_EQ(kindsOf(a.ranked[i].graph.blockGraphs[0].ops),
              kindsOf(b.ranked[i].graph.blockGraphs[0].ops));
  EXPECT_EQ(a.stats.statesVisited, b.stats.statesVisited);
  EXPECT_EQ(a.tasks, b.tasks);
}

} // namespace

// The default max-block-ops: a loader per input, a block op per op, an
// accumulator and a saver per output, between 11 and 16.
TEST(DerivedMaxBlockOpsTest, OneKernelFusionOfTheProgram) {
  KernelGraph small = reluExpReference();
  EXPECT_EQ(derivedMaxBlockOps(small), 11u); // 1 + 2 + 2
  // QKNorm-GQA's count: 3 inputs, 7 ops, 1 output.
  KernelGraph g;
  ValueId v = g.addInput(f16({8, 64}));
  g.addInput(f16({8, 64}));
  g.addInput(f16({8, 64}));
  for (int i = 0; i < 7; ++i)
    v = addOp(g, makeOpNode(OpKind::Exp, {v}), f16({8, 64}));
  g.outputs = {v};
  EXPECT_EQ(derivedMaxBlockOps(g), 12u);
  for (int i = 0; i < 10; ++i)
    v = addOp(g, makeOpNode(OpKind::Exp, {v}), f16({8, 64}));
  g.outputs = {v};
  EXPECT_EQ(derivedMaxBlockOps(g), 16u);
  // An explicit bound wins; 0 is derived.
  SearchOptions options;
  EXPECT_EQ(options.maxBlockOps, 0u);
  options.fitToProgram(small);
  EXPECT_EQ(options.maxBlockOps, 11u);
  options.maxBlockOps = 7;
  options.fitToProgram(g);
  EXPECT_EQ(options.maxBlockOps, 7u);
}
