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

/// The block search of `reference` (one input of 8 rows of 64) after one
/// loader of its input, a row per block, with `maxBlockOps`.
std::vector<BlockClosure> searchRows(const KernelGraph &reference,
                                     unsigned maxBlockOps,
                                     SearchStats *stats = nullptr) {
  ExprScreen screen(reference);
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
               /*maxOutputs=*/1, closures);
  });
  if (stats)
    *stats = tasks.stats();
  return closures;
}

/// A one-input reference on an 8x64 tensor: `build` adds its ops after the
/// input (value 0) and returns the output.
template <typename Fn> KernelGraph reference(Fn &&build) {
  KernelGraph g;
  g.name = "reference";
  ValueId x = g.addInput(f16({8, 64}));
  g.outputs = {build(g, x)};
  return g;
}

bool hasClosure(const std::vector<BlockClosure> &closures,
                const std::vector<OpKind> &kinds) {
  return llvm::any_of(
      closures, [&](const BlockClosure &c) { return kindsOf(c.ops) == kinds; });
}

// mul_scalar is tried with the reference's scales, and only those.
TEST(BlockSearchGeneration, ScalesComeFromTheReference) {
  KernelGraph ref = reference([](KernelGraph &g, ValueId x) {
    OpNode scale = makeOpNode(OpKind::MulScalar, {x});
    scale.scalarA = 0.125;
    ValueId s = addOp(g, scale, f16({8, 64}));
    return addOp(g, makeOpNode(OpKind::Exp, {s}), f16({8, 64}));
  });
  ExprScreen screen(ref);
  EXPECT_EQ(std::vector<double>(screen.scales().begin(), screen.scales().end()),
            std::vector<double>{0.125});
  std::vector<BlockClosure> closures = searchRows(ref, /*maxBlockOps=*/5);
  EXPECT_TRUE(
      hasClosure(closures, {OpKind::MulScalar, OpKind::Exp, OpKind::Accum}));
  for (const BlockClosure &c : closures)
    for (const OpNode &op : c.ops)
      if (op.kind == OpKind::MulScalar)
        EXPECT_EQ(op.scalarA, 0.125);
  // Without a scale in the reference, no mul_scalar is tried.
  for (const BlockClosure &c : searchRows(reluExpReference(), 5))
    for (const OpNode &op : c.ops)
      EXPECT_NE(op.kind, OpKind::MulScalar);
}

// clamp takes the reference's bounds.
TEST(BlockSearchGeneration, ClampBoundsComeFromTheReference) {
  KernelGraph ref = reference([](KernelGraph &g, ValueId x) {
    ValueId e = addOp(g, makeOpNode(OpKind::Exp, {x}), f16({8, 64}));
    OpNode clamp = makeOpNode(OpKind::Clamp, {e});
    clamp.scalarA = -2;
    clamp.scalarB = 6;
    return addOp(g, clamp, f16({8, 64}));
  });
  std::vector<BlockClosure> closures = searchRows(ref, /*maxBlockOps=*/5);
  EXPECT_TRUE(
      hasClosure(closures, {OpKind::Exp, OpKind::Clamp, OpKind::Accum}));
  for (const BlockClosure &c : closures)
    for (const OpNode &op : c.ops)
      if (op.kind == OpKind::Clamp) {
        EXPECT_EQ(op.scalarA, -2);
        EXPECT_EQ(op.scalarB, 6);
      }
}

// tanh, rsqrt and sub are generated at the block level.
TEST(BlockSearchGeneration, NewElementwiseFunctions) {
  for (OpKind kind : {OpKind::Tanh, OpKind::Rsqrt}) {
    KernelGraph ref = reference([&](KernelGraph &g, ValueId x) {
      ValueId e = addOp(g, makeOpNode(OpKind::Exp, {x}), f16({8, 64}));
      return addOp(g, makeOpNode(kind, {e}), f16({8, 64}));
    });
    EXPECT_TRUE(
        hasClosure(searchRows(ref, 5), {OpKind::Exp, kind, OpKind::Accum}))
        << opKindName(kind).str();
  }
  KernelGraph ref = reference([](KernelGraph &g, ValueId x) {
    ValueId e = addOp(g, makeOpNode(OpKind::Exp, {x}), f16({8, 64}));
    return addOp(g, makeOpNode(OpKind::Sub, {e, x}), f16({8, 64}));
  });
  EXPECT_TRUE(hasClosure(searchRows(ref, 5),
                         {OpKind::Exp, OpKind::Sub, OpKind::Accum}));
}

// A reduction of the row after the loop, over the last dimension: after a
// post-loop op (on a `pre` tile, or on accumulator `none`'s result, it
// would repeat accumulator `sum`).
TEST(BlockSearchGeneration, Reduction) {
  KernelGraph ref = reference([](KernelGraph &g, ValueId x) {
    ValueId e = addOp(g, makeOpNode(OpKind::Exp, {x}), f16({8, 64}));
    OpNode sum = makeOpNode(OpKind::Reduction, {e});
    sum.dim = 1;
    return addOp(g, sum, f16({8, 1}));
  });
  std::vector<BlockClosure> closures = searchRows(ref, 5);
  EXPECT_TRUE(
      hasClosure(closures, {OpKind::Accum, OpKind::Exp, OpKind::Reduction}));
  EXPECT_FALSE(
      hasClosure(closures, {OpKind::Exp, OpKind::Accum, OpKind::Reduction}));
  bool reduced = false;
  for (const BlockClosure &c : closures)
    for (const OpNode &op : c.ops)
      if (op.kind == OpKind::Reduction) {
        reduced = true;
        EXPECT_EQ(op.dim, 1);
        EXPECT_EQ(op.size, 1);
        EXPECT_TRUE(c.values[op.operands[0] - 2].accumulated);
      }
  EXPECT_TRUE(reduced);
}

// The row maximum of a stable softmax: the reference computes it in a
// graph-defined kernel (running_max, max accumulator); the search finds
// running_max in its own block graph, and x - max(x) after it. Without a
// maximum in the target, running_max and the max accumulator are not
// tried.
TEST(BlockSearchGeneration, RunningMaxWhereTheTargetHasAMaximum) {
  constexpr int64_t X = kReplicate;
  KernelGraph ref = reference([&](KernelGraph &g, ValueId x) {
    BlockGraph b;
    b.launch = rowLaunch();
    b.numInputs = 1;
    b.values.push_back(g.values[x]);
    OpNode loader = makeOpNode(OpKind::Loader, {0});
    loader.map = {0, X, X};
    loader.dim = X;
    ValueId t = addOp(b.values, b.ops, loader, f16({1, 64}));
    ValueId m = addValue(b.values, f16({1, 1}));
    ValueId d = addValue(b.values, f16({1, 1}));
    OpNode running = makeOpNode(OpKind::RunningMax, {t}, {m, d});
    running.dim = 1;
    b.ops.push_back(running);
    OpNode accum = makeOpNode(OpKind::Accum, {m});
    accum.accum = AccumKind::Max;
    ValueId a = addOp(b.values, b.ops, accum, f16({1, 1}, true));
    OpNode saver = makeOpNode(OpKind::Saver, {a});
    saver.map = {0, X, X};
    b.outputs = {addOp(b.values, b.ops, saver, f16({8, 1}))};
    g.blockGraphs.push_back(std::move(b));
    OpNode kernel = makeOpNode(OpKind::GraphDefined, {x});
    kernel.blockGraph = 0;
    ValueId max = addOp(g, kernel, f16({8, 1}));
    ValueId c = addOp(g, makeOpNode(OpKind::Sub, {x, max}), f16({8, 64}));
    return addOp(g, makeOpNode(OpKind::Exp, {c}), f16({8, 64}));
  });
  std::vector<BlockClosure> closures = searchRows(ref, /*maxBlockOps=*/6);
  EXPECT_TRUE(hasClosure(
      closures, {OpKind::RunningMax, OpKind::Sub, OpKind::Exp, OpKind::Accum}));
  for (const BlockClosure &c : searchRows(reluExpReference(), 6))
    for (const OpNode &op : c.ops) {
      EXPECT_NE(op.kind, OpKind::RunningMax);
      if (op.kind == OpKind::Accum)
        EXPECT_NE(op.accum, AccumKind::Max);
    }
}

} // namespace
