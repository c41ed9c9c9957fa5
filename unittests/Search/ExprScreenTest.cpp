//===- ExprScreenTest.cpp - Abstract-expression checks of the search ------===//

#include "ExprScreen.h"

#include "SearchTestUtil.h"

#include "gtest/gtest.h"

using namespace mirage;
using namespace mirage::search;
using namespace mirage::testing;

namespace {

/// The screen of relu(exp(x)) with the expressions of x, exp(x) and
/// relu(exp(x)) built through the per-op check.
struct ReluExp : ::testing::Test {
  KernelGraph reference = reluExpReference();
  ExprScreen screen{reference};
  std::vector<ValueInfo> values = {f16({8, 64})};
  std::vector<ExprId> exprs;
  SearchStats tally;

  ExprId check(OpNode op) {
    llvm::SmallVector<ExprId, 2> results =
        screen.checkExprs(op, values, exprs, nullptr, tally);
    EXPECT_EQ(results.size(), 1u);
    values.push_back(f16({8, 64}));
    exprs.push_back(results.empty() ? 0 : results[0]);
    return exprs.back();
  }

  void SetUp() override { exprs.push_back(screen.inputExpr(0)); }
};

TEST_F(ReluExp, AbsentOperatorsAreSkipped) {
  EXPECT_FALSE(screen.isAbsent(OpKind::Exp));
  EXPECT_FALSE(screen.isAbsent(OpKind::Relu));
  for (OpKind kind : {OpKind::Square, OpKind::Sqrt, OpKind::Silu, OpKind::Gelu,
                      OpKind::RmsNorm})
    EXPECT_TRUE(screen.isAbsent(kind)) << opKindName(kind).str();
  std::vector<OpKind> tried;
  screen.forEachUnary({OpKind::Exp, OpKind::Silu, OpKind::Relu}, 0, tally,
                      [&](const OpNode &op) { tried.push_back(op.kind); });
  EXPECT_EQ(tried, (std::vector<OpKind>{OpKind::Exp, OpKind::Relu}));
  EXPECT_EQ(tally.prunedAbstractExpr, 1u);
}

TEST_F(ReluExp, PerOpCheck) {
  check(makeOpNode(OpKind::Exp, {0}));
  check(makeOpNode(OpKind::Relu, {1}));
  EXPECT_EQ(tally.prunedAbstractExpr, 0u);
  // x + x is no subexpression of any rewriting of relu(exp(x)).
  EXPECT_TRUE(screen
                  .checkExprs(makeOpNode(OpKind::Add, {0, 0}), values, exprs,
                              nullptr, tally)
                  .empty());
  EXPECT_EQ(tally.prunedAbstractExpr, 1u);
}

TEST_F(ReluExp, ScreensByTheOutputsClasses) {
  ExprId e = check(makeOpNode(OpKind::Exp, {0}));
  ExprId r = check(makeOpNode(OpKind::Relu, {1}));
  ASSERT_TRUE(screen.screensOutputs());
  EXPECT_TRUE(screen.exprsMatchOutputs({r}));
  EXPECT_FALSE(screen.exprsMatchOutputs({e}));
  EXPECT_TRUE(screen.canBuildOutputs({exprs[0]}));
  EXPECT_TRUE(screen.canBuildOutputs({e}));
  // Redundant closures: an output saved twice, or one the kernel graph
  // already has; for the last kernel, outputs that are not the reference's.
  EXPECT_TRUE(screen.redundantClosure({r, r}, {exprs[0]}, false));
  EXPECT_TRUE(screen.redundantClosure({e}, {exprs[0], e}, false));
  EXPECT_FALSE(screen.redundantClosure({e}, {exprs[0]}, false));
  EXPECT_TRUE(screen.redundantClosure({e}, {exprs[0]}, true));
  EXPECT_FALSE(screen.redundantClosure({r}, {exprs[0]}, true));
}

} // namespace

namespace {

/// Every query the tests above make, as answers.
std::vector<int64_t> answers(ExprScreen &screen) {
  std::vector<ValueInfo> values = {f16({8, 64})};
  std::vector<ExprId> exprs = {screen.inputExpr(0)};
  SearchStats tally;
  std::vector<int64_t> out;
  for (OpNode op :
       {makeOpNode(OpKind::Exp, {0}), makeOpNode(OpKind::Relu, {1}),
        makeOpNode(OpKind::Add, {0, 0}), makeOpNode(OpKind::Mul, {1, 1})}) {
    auto results = screen.checkExprs(op, values, exprs, nullptr, tally);
    out.push_back(results.empty() ? -1 : results[0]);
    values.push_back(f16({8, 64}));
    exprs.push_back(results.empty() ? exprs[0] : results[0]);
  }
  out.push_back(screen.screensOutputs());
  out.push_back(screen.exprsMatchOutputs({exprs[2]}));
  out.push_back(screen.exprsMatchOutputs({exprs[1]}));
  out.push_back(screen.isAbsent(OpKind::Silu));
  out.push_back(tally.prunedAbstractExpr);
  return out;
}

TEST(ExprScreenCopyTest, CopyAnswersLikeTheSaturatedScreen) {
  KernelGraph reference = reluExpReference();
  ExprScreen saturated(reference);
  ExprScreen copy(reference, saturated);
  EXPECT_EQ(copy.saturationSeconds(), 0.0);
  std::vector<int64_t> expected = answers(saturated);
  EXPECT_EQ(answers(copy), expected);
  EXPECT_EQ(expected[4], 1); // the output screen is on
}

TEST(ExprScreenCopyTest, CopyKeepsWhereTheSaturationStopped) {
  // A saturation stopped by a limit (as the time limit stops it, at a
  // point that depends on the machine's load) is copied as it is; a second
  // saturation with other limits answers differently.
  KernelGraph reference = reluExpReference();
  RunnerLimits stopped = defaultPrunerLimits();
  stopped.iterationLimit = 0;
  ExprScreen cut(reference, stopped);
  ExprScreen copy(reference, cut);
  ExprScreen full(reference);
  std::vector<int64_t> expected = answers(cut);
  EXPECT_EQ(expected[4], 0); // the output screen is off
  EXPECT_EQ(answers(copy), expected);
  EXPECT_NE(answers(full), expected);
}

} // namespace

// The distance to the outputs: relu(exp(x)) is two ops from x, one from
// exp(x); the heights of the values built on the way.
TEST_F(ReluExp, DistanceToTheOutputs) {
  std::shared_ptr<const ExprScreen::OutputDistance> distance =
      screen.outputDistance({exprs[0]});
  ASSERT_TRUE(distance);
  EXPECT_EQ(distance->goals, (llvm::SmallVector<unsigned, 2>{2}));
  ExprId e = check(makeOpNode(OpKind::Exp, {0}));
  EXPECT_EQ(screen.heightOf(*distance, exprs[0]), 0u);
  EXPECT_EQ(screen.heightOf(*distance, e), 1u);
  // From exp(x), the output is one op away, and x is out of reach.
  std::shared_ptr<const ExprScreen::OutputDistance> fromExp =
      screen.outputDistance({e});
  ASSERT_TRUE(fromExp);
  EXPECT_EQ(fromExp->goals, (llvm::SmallVector<unsigned, 2>{1}));
  EXPECT_EQ(screen.heightOf(*fromExp, exprs[0]), std::nullopt);
}

// A graph-defined kernel followed only by pre-defined ops: its values lie
// in the classes built from its inputs', and each op after it adds at most
// 1 to a height. relu(exp(x) * tanh(y)): a kernel on x alone leaves tanh,
// mul and relu, three ops; a kernel on x and y can compute the output.
TEST(ExprScreenFollowersTest, PreDefinedOpsAfterTheLastKernel) {
  KernelGraph g;
  g.name = "relu_exp_tanh";
  ValueId x = g.addInput(f16({8, 64}));
  ValueId y = g.addInput(f16({8, 64}));
  ValueId e = addOp(g, makeOpNode(OpKind::Exp, {x}), f16({8, 64}));
  ValueId t = addOp(g, makeOpNode(OpKind::Tanh, {y}), f16({8, 64}));
  ValueId m = addOp(g, makeOpNode(OpKind::Mul, {e, t}), f16({8, 64}));
  g.outputs = {addOp(g, makeOpNode(OpKind::Relu, {m}), f16({8, 64}))};
  ExprScreen screen(g);
  llvm::SmallVector<ExprId, 2> inputs = {screen.inputExpr(0),
                                         screen.inputExpr(1)};
  for (unsigned steps : {1u, 2u})
    EXPECT_FALSE(screen.followersCanReachOutputs(inputs, {inputs[0]}, steps))
        << steps;
  EXPECT_TRUE(screen.followersCanReachOutputs(inputs, {inputs[0]}, 3));
  EXPECT_TRUE(screen.followersCanReachOutputs(inputs, {inputs[1]}, 3));
  EXPECT_FALSE(screen.followersCanReachOutputs(inputs, {inputs[1]}, 2));
  EXPECT_TRUE(screen.followersCanReachOutputs(inputs, inputs, 1));
}

// The depth of each class below the output: relu(exp(x)) is one op above
// exp(x) and two above x; a class off every path down from the output
// has none.
TEST_F(ReluExp, DepthsBelowTheOutput) {
  std::shared_ptr<const ExprScreen::OutputDistance> distance =
      screen.outputDistance({exprs[0]});
  ASSERT_TRUE(distance && distance->depths);
  ASSERT_EQ(distance->depths->size(), 1u);
  const llvm::DenseMap<ClassId, unsigned> &depths = distance->depths->front();
  ExprId e = check(makeOpNode(OpKind::Exp, {0}));
  ExprId r = check(makeOpNode(OpKind::Relu, {1}));
  EXPECT_EQ(depths.lookup(*screen.classOf(r)), 0u);
  EXPECT_EQ(depths.lookup(*screen.classOf(e)), 1u);
  EXPECT_EQ(depths.lookup(*screen.classOf(exprs[0])), 2u);
  EXPECT_EQ(depths.size(), 3u);
}
