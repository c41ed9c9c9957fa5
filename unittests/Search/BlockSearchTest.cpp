//===- BlockSearchTest.cpp - Block-level search of the μGraph -------------===//
//
// The block search from one loader of relu(exp(x))'s input: the closable
// block graphs it collects, and the op budget that cuts it.
//
//===----------------------------------------------------------------------===//

#include "BlockSearch.h"

#include "SearchTestUtil.h"

#include "gtest/gtest.h"

using namespace mirage;
using namespace mirage::search;
using namespace mirage::testing;

namespace {

struct BlockSearchTest : ::testing::Test {
  KernelGraph reference = reluExpReference();
  ExprScreen screen{reference};
  /// The statistics of the last search.
  SearchStats stats;

  /// Runs the block search after one loader of x (a row per block) with
  /// `maxBlockOps`; returns the closures.
  std::vector<BlockClosure> search(unsigned maxBlockOps) {
    SearchOptions options;
    options.maxBlockOps = maxBlockOps;
    BlockGraph block;
    block.launch = rowLaunch();
    block.numInputs = 1;
    GraphState state;
    state.values = &block.values;
    state.ops = &block.ops;
    block.values.push_back(reference.values[0]);
    state.uses.push_back(1);
    state.exprs.push_back(screen.inputExpr(0));
    OpNode loader = makeOpNode(OpKind::Loader, {0});
    loader.map = {0, kReplicate, kReplicate};
    loader.dim = kReplicate;
    state.push(loader, f16({1, 64}), state.exprs[0]);
    state.keys.clear();
    TaskQueue queue(Clock::now(), 0);
    TaskCursor tasks(queue, 0);
    tasks.start();
    std::vector<BlockClosure> closures;
    BlockSearch blocks(options, tasks, screen);
    tasks.inTask([&] {
      blocks.run(block, state, /*smem=*/128, /*minOutputs=*/1,
                 /*maxOutputs=*/2, closures);
    });
    // The graph is back as the loaders left it.
    EXPECT_EQ(block.ops.size(), 1u);
    EXPECT_EQ(block.values.size(), 2u);
    EXPECT_EQ(state.uses.size(), 2u);
    stats = tasks.stats();
    return closures;
  }
};

TEST_F(BlockSearchTest, CollectsTheClosableGraphs) {
  std::vector<BlockClosure> closures = search(/*maxBlockOps=*/5);
  bool fused = false;
  for (const BlockClosure &closure : closures) {
    ASSERT_FALSE(closure.dangling.empty());
    // Values after the loaders' tiles, ops after the loaders.
    EXPECT_EQ(closure.values.size(), closure.ops.size());
    for (ValueId v : closure.dangling)
      EXPECT_TRUE(closure.values[v - 2].accumulated);
    EXPECT_EQ(closure.exprs.size(), closure.dangling.size());
    // Room for a saver per output.
    EXPECT_LE(1 + closure.ops.size() + closure.dangling.size(), 5u);
    fused |= kindsOf(closure.ops) ==
             std::vector<OpKind>{OpKind::Exp, OpKind::Relu, OpKind::Accum};
  }
  EXPECT_TRUE(fused) << "relu(exp(x)) was not collected";
  EXPECT_GT(stats.statesVisited, 0u);
  EXPECT_GT(stats.prunedAbstractExpr, 0u);
  EXPECT_GT(stats.prunedCanonical, 0u);
}

TEST_F(BlockSearchTest, OpBudgetCutsTheSearch) {
  // Loader, exp, relu and an accumulator leave no room for the saver.
  std::vector<BlockClosure> closures = search(/*maxBlockOps=*/4);
  for (const BlockClosure &closure : closures)
    EXPECT_LE(closure.ops.size(), 2u);
  EXPECT_GT(stats.prunedUnclosable, 0u);
  uint64_t states = stats.statesVisited;
  // A larger budget collects more and visits more states.
  std::vector<BlockClosure> more = search(/*maxBlockOps=*/6);
  EXPECT_GT(more.size(), closures.size());
  EXPECT_GT(stats.statesVisited, states);
}

} // namespace
