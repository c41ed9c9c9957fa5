//===- AccumulationTest.cpp - Values held in f32 on the way to accumulators
//===//
//
// docs/Semantics.md, "Accumulation": which values of a block graph are held
// in f32 (mirage::valuesHeldInF32), and the float interpreter rounding a
// looped matmul once instead of once per iteration.
//
//===----------------------------------------------------------------------===//

#include "Mirage/Core/UGraph.h"
#include "Mirage/Semantics/Interpreter.h"

#include "gtest/gtest.h"

#include <cmath>

using namespace mirage;

namespace {

constexpr int64_t X = kReplicate;
using Map = std::array<int64_t, kNumGridAxes>;

ValueInfo tile(Shape shape, bool accumulated = false) {
  ValueInfo info;
  info.shape = std::move(shape);
  info.accumulated = accumulated;
  return info;
}

ValueId add(BlockGraph &b, OpNode op, ValueInfo result) {
  op.results = {addValue(b.values, std::move(result))};
  b.ops.push_back(op);
  return op.results[0];
}

ValueId loader(BlockGraph &b, ValueId input, int64_t fmap) {
  OpNode op = makeOpNode(OpKind::Loader, {input});
  op.map = Map{X, X, X};
  op.dim = fmap;
  Shape shape = llvm::cantFail(
      inferLoaderTileShape(b.values[input].shape, op.map, fmap, b.launch));
  return add(b, op, tile(shape));
}

ValueId accum(BlockGraph &b, AccumKind kind, llvm::ArrayRef<ValueId> in) {
  OpNode op = makeOpNode(OpKind::Accum, in);
  op.accum = kind;
  Shape shape = llvm::cantFail(
      inferAccumShape(kind, b.values[in[0]].shape, b.launch.reductionDimx));
  return add(b, op, tile(shape, /*accumulated=*/true));
}

ValueId saver(BlockGraph &b, ValueId x) {
  OpNode op = makeOpNode(OpKind::Saver, {x});
  op.map = Map{X, X, X};
  ValueId out = add(b, op, tile(b.values[x].shape));
  b.outputs.push_back(out);
  return out;
}

/// A one-block graph over x (m x k) and w (k x n) with `forloop` iterations
/// along k.
BlockGraph blockGraph(int64_t m, int64_t k, int64_t n, int64_t forloop) {
  BlockGraph b;
  b.launch.grid = {1, 1, 1};
  b.launch.block = {128, 1, 1};
  b.launch.forloopRange = forloop;
  b.numInputs = 2;
  b.values = {tile({m, k}), tile({k, n})};
  return b;
}

TEST(Accumulation, MatmulAndElementwiseChainToAnAccumulatorAreHeld) {
  BlockGraph b = blockGraph(16, 256, 64, 4);
  ValueId xt = loader(b, 0, 1), wt = loader(b, 1, 0);
  ValueId mm = add(b, makeOpNode(OpKind::Matmul, {xt, wt}), tile({16, 64}));
  OpNode scale = makeOpNode(OpKind::MulScalar, {mm});
  scale.scalarA = 0.125;
  ValueId scaled = add(b, scale, tile({16, 64}));
  ValueId acc = accum(b, AccumKind::None, {scaled});
  ValueId rms = accum(b, AccumKind::Rms, {xt});
  ValueId post =
      add(b, makeOpNode(OpKind::Div, {acc, rms}), tile({16, 64}, true));
  saver(b, post);
  std::vector<bool> held = valuesHeldInF32(b);
  EXPECT_TRUE(held[mm]);
  EXPECT_TRUE(held[scaled]);
  // Loaded tiles are exact in their dtype; accumulator results and post-loop
  // values are rounded to theirs.
  EXPECT_FALSE(held[xt]);
  EXPECT_FALSE(held[wt]);
  EXPECT_FALSE(held[acc]);
  EXPECT_FALSE(held[rms]);
  EXPECT_FALSE(held[post]);
  // With one iteration nothing is summed across iterations.
  b.launch.forloopRange = 1;
  held = valuesHeldInF32(b);
  EXPECT_FALSE(held[mm]);
  EXPECT_FALSE(held[scaled]);
}

TEST(Accumulation, AValueAnythingElseReadsIsRounded) {
  // Flash attention: E = exp(Q K) feeds the sum accumulator and the matmul
  // E V; E and the scores it reads are rounded, E V (only the plain
  // accumulator reads it) is held.
  BlockGraph b = blockGraph(16, 64, 256, 4);
  b.numInputs = 3;
  b.values.push_back(tile({256, 64}));
  ValueId qt = add(
      b,
      [] {
        OpNode op = makeOpNode(OpKind::Loader, {0});
        op.map = Map{X, X, X};
        op.dim = X;
        return op;
      }(),
      tile({16, 64}));
  ValueId kt = loader(b, 1, 1), vt = loader(b, 2, 0);
  ValueId s = add(b, makeOpNode(OpKind::Matmul, {qt, kt}), tile({16, 64}));
  ValueId e = add(b, makeOpNode(OpKind::Exp, {s}), tile({16, 64}));
  ValueId rowsum = accum(b, AccumKind::Sum, {e});
  ValueId ev = add(b, makeOpNode(OpKind::Matmul, {e, vt}), tile({16, 64}));
  ValueId numerator = accum(b, AccumKind::None, {ev});
  saver(b, rowsum);
  saver(b, numerator);
  std::vector<bool> held = valuesHeldInF32(b);
  EXPECT_FALSE(held[s]);
  EXPECT_FALSE(held[e]);
  EXPECT_TRUE(held[ev]);
}

TEST(Accumulation, ACastIsRounded) {
  // matmul -> cast -> accum: the cast is the rounding the program asks for,
  // so its result is not held (and the matmul it reads, read by nothing
  // else, is rounded to its own dtype before the cast).
  BlockGraph b = blockGraph(16, 256, 64, 4);
  ValueId xt = loader(b, 0, 1), wt = loader(b, 1, 0);
  ValueId mm = add(b, makeOpNode(OpKind::Matmul, {xt, wt}), tile({16, 64}));
  ValueInfo narrow = tile({16, 64});
  narrow.dtype = DType::BF16;
  ValueId cast = add(b, makeOpNode(OpKind::Cast, {mm}), narrow);
  ValueId acc = accum(b, AccumKind::None, {cast});
  saver(b, acc);
  std::vector<bool> held = valuesHeldInF32(b);
  EXPECT_FALSE(held[cast]);
  EXPECT_FALSE(held[mm]);
}

TEST(Accumulation, RescaleScaleIsHeld) {
  BlockGraph b = blockGraph(16, 256, 64, 4);
  ValueId xt = loader(b, 0, 1), wt = loader(b, 1, 0);
  ValueId mm = add(b, makeOpNode(OpKind::Matmul, {xt, wt}), tile({16, 64}));
  OpNode rm = makeOpNode(OpKind::RunningMax, {mm});
  rm.dim = 1;
  rm.results = {addValue(b.values, tile({16, 1})),
                addValue(b.values, tile({16, 1}))};
  b.ops.push_back(rm);
  ValueId diff = rm.results[1];
  ValueId factor = add(b, makeOpNode(OpKind::Exp, {diff}), tile({16, 1}));
  ValueId acc = accum(b, AccumKind::Rescale, {mm, factor});
  saver(b, acc);
  std::vector<bool> held = valuesHeldInF32(b);
  EXPECT_TRUE(held[factor]);
  EXPECT_TRUE(held[diff]);
  // The running maximum reads the matmul too: it is rounded.
  EXPECT_FALSE(held[mm]);
  EXPECT_FALSE(held[rm.results[0]]);
}

/// y = x w for x = ones (1 x 2F), computed by a block graph with F for-loop
/// iterations of 2 along k.
KernelGraph loopedMatmul(int64_t forloop) {
  KernelGraph g;
  g.name = "looped";
  ValueId x = g.addInput(tile({1, 2 * forloop}));
  ValueId w = g.addInput(tile({2 * forloop, 1}));
  BlockGraph b = blockGraph(1, 2 * forloop, 1, forloop);
  ValueId xt = loader(b, 0, 1), wt = loader(b, 1, 0);
  ValueId mm = add(b, makeOpNode(OpKind::Matmul, {xt, wt}), tile({1, 1}));
  ValueId out = saver(b, accum(b, AccumKind::None, {mm}));
  OpNode k = makeOpNode(OpKind::GraphDefined, {x, w});
  k.blockGraph = 0;
  k.results = {addValue(g.values, tile(b.values[out].shape))};
  g.ops.push_back(k);
  g.outputs = {k.results[0]};
  g.blockGraphs.push_back(std::move(b));
  return g;
}

TEST(Accumulation, LoopedMatmulIsRoundedOnce) {
  // Iteration i's partial product is w[2i] + w[2i+1]: 1 + 2^-12 for even i
  // (not an f16: rounded alone it would be 1) and -1 for odd i. The exact
  // sum of 16 iterations is 8 * 2^-12 = 2^-9, an f16; rounding each partial
  // product to f16 first would give 0.
  constexpr int64_t kForloop = 16;
  KernelGraph g = loopedMatmul(kForloop);
  Tensor x({1, 2 * kForloop}, DType::F16, 1);
  std::fill(x.data.begin(), x.data.end(), 1.0f);
  Tensor w({2 * kForloop, 1}, DType::F16, 1);
  for (int64_t i = 0; i < kForloop; ++i) {
    w.data[2 * i] = i % 2 ? -1.0f : 1.0f;
    w.data[2 * i + 1] = i % 2 ? 0.0f : std::ldexp(1.0f, -12);
  }
  auto result = evaluate(g, NumberSystem::Float, {x, w});
  ASSERT_TRUE(static_cast<bool>(result)) << llvm::toString(result.takeError());
  EXPECT_EQ(result->outputs[0].data[0], std::ldexp(1.0f, -9));
}

} // namespace
