//===- FlashDecodingTest.cpp - The MQA target and the search's checks ----===//
//
// The two-kernel split-KV flash-decoding μGraph that the search must find
// for MQA (examples/ugraphs/mqa_flash_decoding.mlir, at a small shape),
// built by hand and put through each check the search applies on the way to
// it: the abstract-expression check on every value, the canonical order of
// its block ops, and the fingerprints against the reference.
//
//===----------------------------------------------------------------------===//

#include "CandidateCheck.h"
#include "SearchState.h"

#include "Mirage/Search/AbstractExpr.h"
#include "Mirage/Search/AbstractPruner.h"
#include "Mirage/Search/Candidates.h"
#include "Mirage/Semantics/Interpreter.h"

#include "gtest/gtest.h"

using namespace mirage;

namespace {

constexpr int64_t X = kReplicate;

ValueInfo f16(Shape shape, bool accumulated = false) {
  ValueInfo info;
  info.shape = std::move(shape);
  info.accumulated = accumulated;
  return info;
}

ValueId addOp(KernelGraph &g, OpNode op, ValueInfo result) {
  op.results = {addValue(g.values, std::move(result))};
  g.ops.push_back(op);
  return op.results[0];
}

/// MQA at Q 1xMx64, K 1x64xN, V 1xNx64: exp(Q K) / sum_last(exp(Q K)) V.
KernelGraph mqaReference(int64_t m, int64_t n) {
  KernelGraph g;
  g.name = "mqa";
  ValueId q = g.addInput(f16({1, m, 64}));
  ValueId k = g.addInput(f16({1, 64, n}));
  ValueId v = g.addInput(f16({1, n, 64}));
  ValueId s = addOp(g, makeOpNode(OpKind::Matmul, {q, k}), f16({1, m, n}));
  ValueId e = addOp(g, makeOpNode(OpKind::Exp, {s}), f16({1, m, n}));
  OpNode reduce = makeOpNode(OpKind::Reduction, {e});
  reduce.dim = 2;
  reduce.size = 1;
  ValueId sum = addOp(g, reduce, f16({1, m, 1}));
  ValueId p = addOp(g, makeOpNode(OpKind::Div, {e, sum}), f16({1, m, n}));
  ValueId o = addOp(g, makeOpNode(OpKind::Matmul, {p, v}), f16({1, m, 64}));
  g.outputs = {o};
  return g;
}

/// Appends a block op and returns its result.
ValueId addBlockOp(BlockGraph &b, OpNode op, ValueInfo result) {
  op.results = {addValue(b.values, std::move(result))};
  b.ops.push_back(op);
  return op.results[0];
}

ValueId addLoader(BlockGraph &b, ValueId input, DimMap imap, int64_t fmap) {
  OpNode loader = makeOpNode(OpKind::Loader, {input});
  loader.map = imap;
  loader.dim = fmap;
  Shape tile = llvm::cantFail(
      inferLoaderTileShape(b.values[input].shape, imap, fmap, b.launch));
  return addBlockOp(b, loader, f16(tile));
}

ValueId addAccum(BlockGraph &b, AccumKind kind, ValueId x) {
  OpNode op = makeOpNode(OpKind::Accum, {x});
  op.accum = kind;
  Shape shape = llvm::cantFail(
      inferAccumShape(kind, b.values[x].shape, b.launch.reductionDimx));
  return addBlockOp(b, op, f16(shape, /*accumulated=*/true));
}

ValueId addSaver(BlockGraph &b, ValueId x, DimMap omap) {
  OpNode op = makeOpNode(OpKind::Saver, {x});
  op.map = omap;
  Shape shape =
      llvm::cantFail(inferSaverTensorShape(b.values[x].shape, omap, b.launch));
  ValueId out = addBlockOp(b, op, f16(shape));
  b.outputs.push_back(out);
  return out;
}

LaunchShape launchOf(Grid grid, int64_t forloop) {
  LaunchShape launch;
  launch.grid.assign(grid.begin(), grid.end());
  launch.block = {128, 1, 1};
  launch.forloopRange = forloop;
  return launch;
}

/// The flash-decoding μGraph: kernel 1 on grid (1, splits, queryBlocks)
/// with `forloop` iterations over each split's keys, kernel 2 on grid
/// (1, combineBlocks, 1).
KernelGraph flashDecoding(int64_t m, int64_t n, int64_t splits,
                          int64_t queryBlocks, int64_t forloop,
                          int64_t combineBlocks) {
  KernelGraph g;
  g.name = "mqa";
  ValueId q = g.addInput(f16({1, m, 64}));
  ValueId k = g.addInput(f16({1, 64, n}));
  ValueId v = g.addInput(f16({1, n, 64}));

  BlockGraph b1;
  b1.launch = launchOf({1, splits, queryBlocks}, forloop);
  b1.numInputs = 3;
  for (ValueId in : {q, k, v})
    b1.values.push_back(g.values[in]);
  ValueId qt = addLoader(b1, 0, {X, X, 1}, X);
  ValueId kt = addLoader(b1, 1, {X, 2, X}, 2);
  ValueId vt = addLoader(b1, 2, {X, 1, X}, 1);
  ValueId st = addBlockOp(b1, makeOpNode(OpKind::Matmul, {qt, kt}),
                          f16({1, m / queryBlocks, n / splits / forloop}));
  ValueId et = addBlockOp(b1, makeOpNode(OpKind::Exp, {st}), b1.values[st]);
  ValueId rowsum = addAccum(b1, AccumKind::Sum, et);
  ValueId ev = addBlockOp(b1, makeOpNode(OpKind::Matmul, {et, vt}),
                          f16({1, m / queryBlocks, 64}));
  ValueId numerator = addAccum(b1, AccumKind::None, ev);
  ValueId sumsOut = addSaver(b1, rowsum, {X, 2, 1});
  ValueId numOut = addSaver(b1, numerator, {X, 2, 1});
  OpNode k1 = makeOpNode(OpKind::GraphDefined, {q, k, v});
  k1.blockGraph = 0;
  k1.results = {addValue(g.values, f16(b1.values[sumsOut].shape)),
                addValue(g.values, f16(b1.values[numOut].shape))};
  ValueId sums = k1.results[0], numerators = k1.results[1];
  g.ops.push_back(k1);
  g.blockGraphs.push_back(std::move(b1));

  BlockGraph b2;
  b2.launch = launchOf({1, combineBlocks, 1}, 1);
  b2.numInputs = 2;
  b2.values = {g.values[sums], g.values[numerators]};
  ValueId stile = addLoader(b2, 0, {X, 1, X}, X);
  ValueId ntile = addLoader(b2, 1, {X, 1, X}, X);
  ValueId total = addAccum(b2, AccumKind::Sum, stile);
  ValueId combined = addAccum(b2, AccumKind::SumToDimx, ntile);
  ValueId ot = addBlockOp(b2, makeOpNode(OpKind::Div, {combined, total}),
                          b2.values[combined]);
  ValueId out = addSaver(b2, ot, {X, 1, X});
  OpNode k2 = makeOpNode(OpKind::GraphDefined, {sums, numerators});
  k2.blockGraph = 1;
  k2.results = {addValue(g.values, f16(b2.values[out].shape))};
  g.ops.push_back(k2);
  g.blockGraphs.push_back(std::move(b2));
  g.outputs = {k2.results[0]};
  return g;
}

class FlashDecodingTest : public ::testing::Test {
protected:
  KernelGraph reference = mqaReference(32, 256);
  KernelGraph target = flashDecoding(32, 256, /*splits=*/2,
                                     /*queryBlocks=*/2, /*forloop=*/2,
                                     /*combineBlocks=*/2);
};

TEST_F(FlashDecodingTest, TargetIsEquivalent) {
  ASSERT_FALSE(llvm::errorToBool(checkEvaluable(target)));
  search::ReferenceTests tests;
  for (unsigned i = 0; i < reference.numInputs; ++i)
    tests.inputInfos.push_back(reference.values[i]);
  for (uint64_t seed = 0; seed < 3; ++seed) {
    std::vector<Tensor> inputs =
        randomInputs(reference, NumberSystem::Field, seed);
    auto outputs =
        llvm::cantFail(evaluate(reference, NumberSystem::Field, inputs, seed));
    ASSERT_FALSE(outputs.inconclusive);
    tests.add(seed, std::move(inputs), std::move(outputs.outputs));
  }
  EXPECT_TRUE(search::matchOutputs(reference, target, tests, 3).has_value());
}

TEST_F(FlashDecodingTest, EveryValuePassesTheAbstractCheck) {
  ExprPool pool;
  AbstractExprBuilder builder(pool);
  AbstractExprs ref = computeAbstractExprs(builder, reference);
  AbstractPruner pruner(builder, ref.outputs);
  AbstractExprs exprs = computeAbstractExprs(builder, target);
  for (ValueId v = 0; v < static_cast<ValueId>(exprs.values.size()); ++v)
    EXPECT_EQ(pruner.query(exprs.values[v]), QueryResult::Pass)
        << "kernel value " << v << ": "
        << abstractExprToString(pool, exprs.values[v]);
  for (auto [i, block] : llvm::enumerate(exprs.blockValues))
    for (auto [v, e] : llvm::enumerate(block))
      EXPECT_EQ(pruner.query(e), QueryResult::Pass)
          << "block graph " << i << " value " << v << ": "
          << abstractExprToString(pool, e);
}

TEST_F(FlashDecodingTest, BlockOpsFollowTheCanonicalOrder) {
  for (const BlockGraph &block : target.blockGraphs) {
    std::optional<search::OpKey> last;
    for (const OpNode &op : block.ops) {
      if (op.kind == OpKind::Loader || op.kind == OpKind::Saver)
        continue;
      search::OpKey key = search::keyOf(op);
      if (last)
        EXPECT_TRUE(*last < key) << opKindName(op.kind).str();
      last = key;
    }
  }
}

// The search skips the block search of a last kernel whose inputs cannot
// build the reference's output in the saturated e-graph, and screens complete
// candidates by the e-class of their outputs: the target's second kernel
// takes the partial sums and numerators, which build the output; the output
// lands in the reference output's class; Q and K alone build nothing of V.
TEST_F(FlashDecodingTest, OutputClassesAndConstructibility) {
  ExprPool pool;
  AbstractExprBuilder builder(pool);
  AbstractExprs ref = computeAbstractExprs(builder, reference);
  AbstractPruner pruner(builder, ref.outputs);
  ASSERT_FALSE(pruner.report().hitLimit());
  std::optional<ClassId> out = pruner.classOf(ref.outputs[0]);
  ASSERT_TRUE(out.has_value());
  AbstractExprs exprs = computeAbstractExprs(builder, target);
  EXPECT_EQ(pruner.classOf(exprs.values[target.outputs[0]]), out);
  const OpNode &second = target.ops.back();
  std::vector<ClassId> from;
  for (ValueId v : second.operands)
    from.push_back(*pruner.classOf(exprs.values[v]));
  EXPECT_TRUE(pruner.constructible(from, {*out}));
  // The partial sums alone, or Q and K alone, do not build the output.
  EXPECT_FALSE(pruner.constructible({from[0]}, {*out}));
  std::vector<ClassId> qk = {*pruner.classOf(exprs.values[0]),
                             *pruner.classOf(exprs.values[1])};
  EXPECT_FALSE(pruner.constructible(qk, {*out}));
  // The numerators carry V: with the sums they are enough.
  EXPECT_FALSE(pruner.constructible({from[1]}, {*out}));
}

} // namespace
