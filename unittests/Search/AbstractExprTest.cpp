//===- AbstractExprTest.cpp - Abstract expressions and pruning ------------===//
//
// The per-op expressions on hand-built μGraphs, and the pruning query: the
// expressions the hand-written μGraphs compute pass, and a catalogue of
// expressions that cannot lead to the target is pruned.
//
//===----------------------------------------------------------------------===//

#include "Mirage/Search/AbstractPruner.h"

#include "gtest/gtest.h"

using namespace mirage;

namespace {

/// The targets of the examples, written as expressions.
struct Targets {
  ExprPool pool;
  AbstractExprBuilder b{pool};
  ExprId x = b.var(0), w = b.var(1), v = b.var(2), other = b.var(3);

  /// examples/rmsnorm_matmul.mlir: rms_norm(X) . W.
  ExprId rmsnormMatmul() {
    return b.sum(4096, b.mul(b.div(x, b.rms(4096, x)), w));
  }
  /// The exponentiated scores of examples/mqa.mlir (Q = v0, K = v1).
  ExprId scores() { return b.unary(AbsOp::Exp, b.sum(64, b.mul(x, w))); }
  /// examples/mqa.mlir: (exp(QK) / sum_last exp(QK)) V.
  ExprId mqa() {
    ExprId e = scores();
    return b.sum(4096, b.mul(b.div(e, b.sum(4096, e)), v));
  }
  /// examples/gated_mlp.mlir: silu(X W1) * (X W2).
  ExprId gatedMlp() {
    return b.mul(b.unary(AbsOp::Silu, b.sum(4096, b.mul(x, w))),
                 b.sum(4096, b.mul(x, v)));
  }
};

TEST(AbstractPruner, RmsNormMatmulMuGraphPasses) {
  Targets t;
  AbstractExprBuilder &b = t.b;
  AbstractPruner pruner(b, {t.rmsnormMatmul()});
  EXPECT_EQ(pruner.report().stop, StopReason::Saturated);
  ExprId rms = b.rms(4096, t.x);
  ExprId mm = b.sum(128, b.mul(t.x, t.w));
  ExprId acc = b.sum(32, mm);
  for (ExprId e : {t.x, t.w, rms, mm, acc, b.div(acc, rms)})
    EXPECT_EQ(pruner.query(e), QueryResult::Pass)
        << abstractExprToString(b.getPool(), e);
  // The other algebraic forms of the same computation pass too.
  ExprId meanSquares = b.mean(4096, b.unary(AbsOp::Square, t.x));
  for (ExprId e :
       {b.div(b.sum(4096, b.mul(t.x, t.w)), rms), b.mul(t.x, b.div(t.w, rms)),
        b.sum(64, b.mul(t.w, t.x)), b.unary(AbsOp::Sqrt, meanSquares),
        b.sum(2048, b.unary(AbsOp::Square, t.x))})
    EXPECT_EQ(pruner.query(e), QueryResult::Pass)
        << abstractExprToString(b.getPool(), e);
}

TEST(AbstractPruner, FlashDecodingMuGraphPasses) {
  Targets t;
  AbstractExprBuilder &b = t.b;
  AbstractPruner pruner(b, {t.mqa()});
  EXPECT_EQ(pruner.report().stop, StopReason::Saturated);
  ExprId s = b.sum(64, b.mul(t.x, t.w));
  ExprId e = b.unary(AbsOp::Exp, s);
  ExprId rowsum = b.sum(512, e);
  ExprId ev = b.sum(128, b.mul(e, t.v));
  ExprId numerator = b.sum(4, ev);
  ExprId total = b.sum(8, rowsum);
  ExprId combined = b.sum(8, numerator);
  for (ExprId x :
       {s, e, rowsum, ev, numerator, total, combined, b.div(combined, total)})
    EXPECT_EQ(pruner.query(x), QueryResult::Pass)
        << abstractExprToString(b.getPool(), x);
}

TEST(AbstractPruner, MemoAgreesWithUncachedQuery) {
  Targets t;
  AbstractExprBuilder &b = t.b;
  AbstractPruner pruner(b, {t.mqa()});
  ExprId e = t.scores();
  for (ExprId x : {b.sum(512, e), b.unary(AbsOp::Exp, e), b.div(b.sum(8, e), e),
                   b.sum(128, b.mul(e, t.v)), b.opaque(),
                   b.add(b.opaque(), t.x), b.add(b.opaque(), t.other)}) {
    EXPECT_EQ(pruner.queryUncached(x), pruner.query(x));
    EXPECT_EQ(pruner.queryUncached(x), pruner.query(x)); // memoized now
  }
}

TEST(AbstractPruner, OpaqueIsUnknownUnlessAnotherPartIsPruned) {
  Targets t;
  AbstractExprBuilder &b = t.b;
  AbstractPruner pruner(b, {t.mqa()});
  ExprId hidden = b.opaque();
  EXPECT_EQ(pruner.query(hidden), QueryResult::Unknown);
  EXPECT_EQ(pruner.query(b.sum(512, b.mul(t.scores(), hidden))),
            QueryResult::Unknown);
  // exp(other) is pruned whatever the opaque value is.
  EXPECT_EQ(pruner.query(b.mul(hidden, b.unary(AbsOp::Exp, t.other))),
            QueryResult::Prune);
}

/// One must-prune expression against one target.
struct PruneCase {
  const char *what;
  std::function<ExprId(Targets &)> target;
  std::function<ExprId(Targets &)> candidate;
};

TEST(AbstractPruner, CatalogueOfMustPruneExpressions) {
  auto rms = [](Targets &t) { return t.rmsnormMatmul(); };
  auto mqa = [](Targets &t) { return t.mqa(); };
  auto mlp = [](Targets &t) { return t.gatedMlp(); };
  using AO = AbsOp;
  std::vector<PruneCase> cases = {
      // RMSNorm + MatMul.
      {"exp the target lacks", rms,
       [](Targets &t) { return t.b.unary(AO::Exp, t.x); }},
      {"silu the target lacks", rms,
       [](Targets &t) { return t.b.unary(AO::Silu, t.x); }},
      {"relu the target lacks", rms,
       [](Targets &t) { return t.b.unary(AO::Relu, t.w); }},
      {"tanh the target lacks", rms,
       [](Targets &t) { return t.b.unary(AO::Tanh, t.x); }},
      {"gelu the target lacks", rms,
       [](Targets &t) { return t.b.unary(AO::Gelu, t.x); }},
      {"clamp the target lacks", rms,
       [](Targets &t) { return t.b.clamp(t.x, -1, 1); }},
      {"sum over a non-divisor", rms,
       [](Targets &t) { return t.b.sum(3, t.b.mul(t.x, t.w)); }},
      {"sum over more than the extent", rms,
       [](Targets &t) { return t.b.sum(8192, t.b.mul(t.x, t.w)); }},
      {"sum over the output extent", rms,
       [](Targets &t) { return t.b.sum(6144, t.b.mul(t.x, t.w)); }},
      {"y/x where the target has x/y", rms,
       [](Targets &t) { return t.b.div(t.b.rms(4096, t.x), t.x); }},
      {"rms of the weight", rms, [](Targets &t) { return t.b.rms(4096, t.w); }},
      {"rms over a partial extent", rms,
       [](Targets &t) { return t.b.rms(128, t.x); }},
      {"product with an unrelated input", rms,
       [](Targets &t) { return t.b.mul(t.x, t.other); }},
      {"sum of a sum", rms, [](Targets &t) { return t.b.add(t.x, t.w); }},
      {"mean where the target sums", rms,
       [](Targets &t) { return t.b.mean(4096, t.b.mul(t.x, t.w)); }},
      {"squared weight", rms,
       [](Targets &t) { return t.b.unary(AO::Square, t.w); }},
      {"product of the output with the input", rms,
       [](Targets &t) { return t.b.mul(t.rmsnormMatmul(), t.x); }},
      {"rms_norm of the output", rms,
       [](Targets &t) {
         return t.b.div(t.rmsnormMatmul(), t.b.rms(6144, t.rmsnormMatmul()));
       }},
      // MQA.
      {"exp of K alone", mqa,
       [](Targets &t) { return t.b.unary(AO::Exp, t.w); }},
      {"Q times V", mqa,
       [](Targets &t) { return t.b.sum(64, t.b.mul(t.x, t.v)); }},
      {"exp without the sum", mqa,
       [](Targets &t) { return t.b.unary(AO::Exp, t.b.mul(t.x, t.w)); }},
      {"scores summed over a non-divisor", mqa,
       [](Targets &t) { return t.b.sum(128, t.b.mul(t.x, t.w)); }},
      {"sum over a partial extent inside exp", mqa,
       [](Targets &t) {
         return t.b.unary(AO::Exp, t.b.sum(32, t.b.mul(t.x, t.w)));
       }},
      {"double exp", mqa,
       [](Targets &t) { return t.b.unary(AO::Exp, t.scores()); }},
      {"denominator over numerator", mqa,
       [](Targets &t) {
         ExprId e = t.scores();
         return t.b.div(t.b.sum(4096, e), e);
       }},
      {"sum of exp over too many keys", mqa,
       [](Targets &t) { return t.b.sum(8192, t.scores()); }},
      {"sqrt the target lacks", mqa,
       [](Targets &t) { return t.b.unary(AO::Sqrt, t.scores()); }},
      {"scores plus values", mqa,
       [](Targets &t) { return t.b.add(t.scores(), t.v); }},
      {"values times unrelated input", mqa,
       [](Targets &t) { return t.b.mul(t.v, t.other); }},
      {"squared scores", mqa,
       [](Targets &t) { return t.b.unary(AO::Square, t.scores()); }},
      {"difference of scores and values", mqa,
       [](Targets &t) { return t.b.binary(AO::Sub, t.scores(), t.v); }},
      {"pow of scores", mqa,
       [](Targets &t) { return t.b.binary(AO::Pow, t.scores(), t.v); }},
      {"rms of the scores", mqa,
       [](Targets &t) { return t.b.rms(4096, t.scores()); }},
      // Gated MLP.
      {"silu of the up projection", mlp,
       [](Targets &t) {
         return t.b.unary(AO::Silu, t.b.sum(4096, t.b.mul(t.x, t.v)));
       }},
      {"silu before the matmul", mlp,
       [](Targets &t) { return t.b.unary(AO::Silu, t.x); }},
      {"product of the weights", mlp,
       [](Targets &t) { return t.b.mul(t.w, t.v); }},
      {"gelu instead of silu", mlp,
       [](Targets &t) {
         return t.b.unary(AO::Gelu, t.b.sum(4096, t.b.mul(t.x, t.w)));
       }},
      {"quotient instead of product", mlp,
       [](Targets &t) {
         return t.b.div(t.b.unary(AO::Silu, t.b.sum(4096, t.b.mul(t.x, t.w))),
                        t.b.sum(4096, t.b.mul(t.x, t.v)));
       }},
  };
  EXPECT_GE(cases.size(), 30u);
  for (PruneCase &c : cases) {
    Targets t;
    AbstractPruner pruner(t.b, {c.target(t)});
    EXPECT_EQ(pruner.report().stop, StopReason::Saturated) << c.what;
    ExprId candidate = c.candidate(t);
    EXPECT_EQ(pruner.query(candidate), QueryResult::Prune)
        << c.what << ": " << abstractExprToString(t.pool, candidate);
  }
}

//===----------------------------------------------------------------------===//
// Per-op expressions on hand-built graphs
//===----------------------------------------------------------------------===//

ValueInfo tensor(Shape shape, bool accumulated = false) {
  ValueInfo info;
  info.shape = std::move(shape);
  info.accumulated = accumulated;
  return info;
}

TEST(AbstractExpr, KernelOps) {
  KernelGraph g;
  g.addInput(tensor({2, 4096}));
  g.addInput(tensor({4096, 64}));
  ValueId norm = addValue(g.values, tensor({2, 4096}));
  OpNode rmsNorm = makeOpNode(OpKind::RmsNorm, {0}, {norm});
  rmsNorm.normalizedShape = {4096};
  g.ops.push_back(rmsNorm);
  ValueId mm = addValue(g.values, tensor({2, 64}));
  g.ops.push_back(makeOpNode(OpKind::Matmul, {norm, 1}, {mm}));
  ValueId red = addValue(g.values, tensor({2, 4}));
  OpNode reduction = makeOpNode(OpKind::Reduction, {mm}, {red});
  reduction.dim = 1;
  reduction.size = 4;
  g.ops.push_back(reduction);
  ValueId scaled = addValue(g.values, tensor({2, 4}));
  OpNode mulScalar = makeOpNode(OpKind::MulScalar, {red}, {scaled});
  mulScalar.scalarA = 0.5;
  g.ops.push_back(mulScalar);
  g.outputs.push_back(scaled);

  ExprPool pool;
  AbstractExprBuilder b(pool);
  AbstractExprs exprs = computeAbstractExprs(b, g);
  // The candidate path's rms_norm is x / rms(x), not rms(x) alone.
  EXPECT_EQ(abstractExprToString(pool, exprs.values[norm]),
            "v0 / rms(4096, v0)");
  EXPECT_EQ(abstractExprToString(pool, exprs.values[mm]),
            "sum(4096, (v0 / rms(4096, v0)) * v1)");
  EXPECT_EQ(abstractExprToString(pool, exprs.values[red]),
            "sum(16, sum(4096, (v0 / rms(4096, v0)) * v1))");
  EXPECT_EQ(abstractExprToString(pool, exprs.outputs[0]),
            "sum(16, sum(4096, (v0 / rms(4096, v0)) * v1)) * 0.5");
  // Hash-consing: building it again gives the same ids.
  AbstractExprs again = computeAbstractExprs(b, g);
  EXPECT_EQ(again.outputs[0], exprs.outputs[0]);
}

TEST(AbstractExpr, Accumulators) {
  BlockGraph g;
  g.launch.grid = {1, 1, 1};
  g.launch.block = {128, 1, 1};
  g.launch.forloopRange = 4;
  g.launch.reductionDimx = 16;
  g.numInputs = 1;
  addValue(g.values, tensor({8, 256}));
  ValueId tile = addValue(g.values, tensor({8, 64}));
  g.ops.push_back(makeOpNode(OpKind::Loader, {0}, {tile}));
  std::vector<std::pair<AccumKind, const char *>> kinds = {
      {AccumKind::None, "sum(4, v0)"},         {AccumKind::Sum, "sum(256, v0)"},
      {AccumKind::Mean, "sum(256, v0) / 256"}, {AccumKind::Rms, "rms(256, v0)"},
      {AccumKind::SumToDimx, "sum(16, v0)"},   {AccumKind::Max, "max(4, v0)"}};
  for (auto &[kind, text] : kinds) {
    ValueId out = addValue(g.values, tensor({8, 1}, true));
    OpNode accum = makeOpNode(OpKind::Accum, {tile}, {out});
    accum.accum = kind;
    g.ops.push_back(accum);
  }
  ExprPool pool;
  AbstractExprBuilder b(pool);
  std::vector<ExprId> exprs = computeBlockGraphExprs(b, g, {b.var(0)});
  EXPECT_EQ(abstractExprToString(pool, exprs[tile]), "v0");
  for (size_t i = 0; i < kinds.size(); ++i)
    EXPECT_EQ(abstractExprToString(pool, exprs[tile + 1 + i]), kinds[i].second);
  for (size_t i = 0; i < kinds.size(); ++i)
    EXPECT_FALSE(b.isOpaque(exprs[tile + 1 + i]));
}

// Online softmax: running_max's `max` is the maximum over the dimension and
// every iteration, its `diff` has no abstraction, and the rescale
// accumulator is the sum of its input over the iterations (the rescaling
// makes each term count under the final maximum), whatever its scale.
TEST(AbstractExpr, RunningMaxAndRescale) {
  BlockGraph g;
  g.launch.grid = {1, 1, 1};
  g.launch.block = {128, 1, 1};
  g.launch.forloopRange = 4;
  g.numInputs = 1;
  addValue(g.values, tensor({8, 256}));
  ValueId tile = addValue(g.values, tensor({8, 64}));
  g.ops.push_back(makeOpNode(OpKind::Loader, {0}, {tile}));
  ValueId max = addValue(g.values, tensor({8, 1}));
  ValueId diff = addValue(g.values, tensor({8, 1}));
  OpNode running = makeOpNode(OpKind::RunningMax, {tile}, {max, diff});
  running.dim = 1;
  g.ops.push_back(running);
  ValueId centered = addValue(g.values, tensor({8, 64}));
  g.ops.push_back(makeOpNode(OpKind::Sub, {tile, max}, {centered}));
  ValueId e = addValue(g.values, tensor({8, 64}));
  g.ops.push_back(makeOpNode(OpKind::Exp, {centered}, {e}));
  ValueId factor = addValue(g.values, tensor({8, 1}));
  g.ops.push_back(makeOpNode(OpKind::Exp, {diff}, {factor}));
  ValueId acc = addValue(g.values, tensor({8, 64}, true));
  OpNode rescale = makeOpNode(OpKind::Accum, {e, factor}, {acc});
  rescale.accum = AccumKind::Rescale;
  g.ops.push_back(rescale);
  ExprPool pool;
  AbstractExprBuilder b(pool);
  std::vector<ExprId> exprs = computeBlockGraphExprs(b, g, {b.var(0)});
  EXPECT_EQ(abstractExprToString(pool, exprs[max]), "max(256, v0)");
  EXPECT_TRUE(b.isOpaque(exprs[diff]));
  EXPECT_TRUE(b.isOpaque(exprs[factor]));
  EXPECT_EQ(abstractExprToString(pool, exprs[acc]),
            "sum(4, exp(v0 - max(256, v0)))");
  EXPECT_FALSE(b.isOpaque(exprs[acc]));
  EXPECT_EQ(b.max(1, b.var(0)), b.var(0));
}

// The maximum splits like the sum: max(256, x) is max(4, max(64, x)), so a
// running maximum over 4 iterations of 64 meets a whole-row maximum.
TEST(AbstractPruner, MaxSplitsLikeSum) {
  ExprPool pool;
  AbstractExprBuilder b(pool);
  ExprId x = b.var(0);
  ExprId target = b.div(
      b.unary(AbsOp::Exp, b.binary(AbsOp::Sub, x, b.max(256, x))),
      b.sum(256, b.unary(AbsOp::Exp, b.binary(AbsOp::Sub, x, b.max(256, x)))));
  AbstractPruner pruner(b, {target});
  EXPECT_EQ(pruner.query(b.max(4, b.max(64, x))), QueryResult::Pass);
  EXPECT_EQ(pruner.query(b.max(64, x)), QueryResult::Pass);
  EXPECT_EQ(
      pruner.query(b.unary(AbsOp::Exp, b.binary(AbsOp::Sub, x, b.max(256, x)))),
      QueryResult::Pass);
  // A maximum over another extent, or of another value, is not part of it.
  EXPECT_EQ(pruner.query(b.max(3, x)), QueryResult::Prune);
  EXPECT_EQ(pruner.query(b.max(256, b.unary(AbsOp::Exp, x))),
            QueryResult::Prune);
  EXPECT_EQ(pruner.query(b.binary(AbsOp::Sub, x, b.sum(256, x))),
            QueryResult::Prune);
}

TEST(AbstractExpr, SumOfOneIsIdentity) {
  ExprPool pool;
  AbstractExprBuilder b(pool);
  ExprId x = b.var(0);
  EXPECT_EQ(b.sum(1, x), x);
  EXPECT_EQ(b.mean(1, x), x);
  EXPECT_NE(b.sum(2, x), x);
  EXPECT_EQ(b.constant(0.0), b.constant(-0.0));
}
} // namespace
