//===- CostModelTest.cpp - Tests of the analytic cost model -----*- C++ -*-===//

#include "Mirage/Search/CostModel.h"

#include "gtest/gtest.h"

#include <cmath>

using namespace mirage;

namespace {

ValueInfo f16(Shape shape, bool accumulated = false) {
  ValueInfo info;
  info.shape = shape;
  info.dtype = DType::F16;
  info.accumulated = accumulated;
  return info;
}

/// rms_norm(X) · W as two pre-defined kernel ops.
KernelGraph unfusedRmsNormMatmul() {
  KernelGraph g;
  g.name = "rmsnorm_matmul";
  g.addInput(f16({2, 4096}));
  g.addInput(f16({4096, 6144}));
  ValueId normed = addValue(g.values, f16({2, 4096}));
  OpNode norm = makeOpNode(OpKind::RmsNorm, {0}, {normed});
  norm.normalizedShape = {4096};
  g.ops.push_back(norm);
  ValueId y = addValue(g.values, f16({2, 6144}));
  g.ops.push_back(makeOpNode(OpKind::Matmul, {normed, 1}, {y}));
  g.outputs = {y};
  return g;
}

/// Mirage's RMSNorm+MatMul μGraph (docs/Benchmarks.md): one graph-defined
/// kernel.
KernelGraph fusedRmsNormMatmul() {
  KernelGraph g;
  g.name = "rmsnorm_matmul";
  g.addInput(f16({2, 4096}));
  g.addInput(f16({4096, 6144}));
  BlockGraph b;
  b.launch.grid = {256, 1, 1};
  b.launch.block = {128, 1, 1};
  b.launch.forloopRange = 32;
  b.numInputs = 2;
  b.values = {f16({2, 4096}), f16({4096, 6144})};
  ValueId xt = addValue(b.values, f16({2, 128}));
  OpNode lx = makeOpNode(OpKind::Loader, {0}, {xt});
  lx.dim = 1;
  b.ops.push_back(lx);
  ValueId wt = addValue(b.values, f16({128, 24}));
  OpNode lw = makeOpNode(OpKind::Loader, {1}, {wt});
  lw.map = {1, kReplicate, kReplicate};
  lw.dim = 0;
  b.ops.push_back(lw);
  ValueId rms = addValue(b.values, f16({2, 1}, true));
  OpNode acc = makeOpNode(OpKind::Accum, {xt}, {rms});
  acc.accum = AccumKind::Rms;
  b.ops.push_back(acc);
  ValueId mm = addValue(b.values, f16({2, 24}));
  b.ops.push_back(makeOpNode(OpKind::Matmul, {xt, wt}, {mm}));
  ValueId sum = addValue(b.values, f16({2, 24}, true));
  b.ops.push_back(makeOpNode(OpKind::Accum, {mm}, {sum}));
  ValueId div = addValue(b.values, f16({2, 24}, true));
  b.ops.push_back(makeOpNode(OpKind::Div, {sum, rms}, {div}));
  ValueId out = addValue(b.values, f16({2, 6144}));
  OpNode saver = makeOpNode(OpKind::Saver, {div}, {out});
  saver.map = {1, kReplicate, kReplicate};
  b.ops.push_back(saver);
  b.outputs = {out};
  g.blockGraphs.push_back(b);
  ValueId y = addValue(g.values, f16({2, 6144}));
  OpNode kernel = makeOpNode(OpKind::GraphDefined, {0, 1}, {y});
  kernel.blockGraph = 0;
  g.ops.push_back(kernel);
  g.outputs = {y};
  return g;
}

TEST(CostModel, SharedMemoryAccounting) {
  // The layout of the code generator (Mirage/Core/SharedMemory.h), largest
  // buffer first at 16-byte offsets: W's 128x24 tile (6144 bytes), X's 2x128
  // tile padded to 16 rows for the tensor cores and by 8 columns against
  // bank conflicts (16x136 halves, 4352 bytes), the matmul's f32 result
  // padded to 16x24 and by 4 columns (1792 bytes), the two accumulators in
  // f16 (96 and 4 bytes); the division is computed where the saver reads it.
  KernelCost cost =
      estimateCost(fusedRmsNormMatmul(), h100Params()).kernels.front();
  EXPECT_EQ(cost.sharedMemoryBytes, 12400);
  // The looped loaders feed the matmul: double-buffered, two stages each.
  EXPECT_EQ(cost.pipelinedSharedMemoryBytes, 22896);
}

TEST(CostModel, FusedRmsNormMatmulReadsWOnceAndIsFaster) {
  ProgramCost fused = estimateCost(fusedRmsNormMatmul(), h100Params());
  ProgramCost unfused = estimateCost(unfusedRmsNormMatmul(), h100Params());
  ASSERT_EQ(fused.kernels.size(), 1u);
  ASSERT_EQ(unfused.kernels.size(), 2u);
  // W (4096x6144 halves) is read once in all; X (2x4096) once per block.
  double w = 4096.0 * 6144 * 2, x = 2.0 * 4096 * 2, y = 2.0 * 6144 * 2;
  EXPECT_DOUBLE_EQ(fused.kernels[0].dramBytes, w + 256 * x + y);
  EXPECT_DOUBLE_EQ(fused.kernels[0].tensorFlops, 2.0 * 2 * 6144 * 4096);
  // One launch fewer and no round trip of the normalized X.
  EXPECT_LT(fused.seconds, unfused.seconds);
  // Memory-bound: close to W / bandwidth plus one launch.
  EXPECT_NEAR(fused.seconds, w / 3.35e12 + 2.5e-6, 2e-6);
}

TEST(CostModel, FewBlocksCannotSaturateBandwidth) {
  KernelGraph g = fusedRmsNormMatmul();
  double wide = estimateCost(g, h100Params()).seconds;
  // The same work on 4 blocks: each takes 1536 of W's columns.
  BlockGraph &b = g.blockGraphs[0];
  b.launch.grid = {4, 1, 1};
  b.values[3].shape = {128, 1536}; // W tile
  for (ValueId v : {5, 6, 7})      // matmul, accumulator, div
    b.values[v].shape = {2, 1536};
  double narrow = estimateCost(g, h100Params()).seconds;
  // 4 SMs draw 16% of the bandwidth: about 6x slower.
  EXPECT_GT(narrow, 4 * wide);
}

TEST(CostModel, H200IsFasterOnMemoryBoundKernels) {
  KernelGraph g = fusedRmsNormMatmul();
  EXPECT_LT(estimateCost(g, h200Params()).seconds,
            estimateCost(g, h100Params()).seconds);
  EXPECT_TRUE(gpuParamsByName("h200").has_value());
  EXPECT_FALSE(gpuParamsByName("a100").has_value());
}

TEST(CostModel, OversizedBlocksCannotRun) {
  KernelGraph g = fusedRmsNormMatmul();
  g.blockGraphs[0].values[3].shape = {4096, 6144};
  EXPECT_TRUE(std::isinf(estimateCost(g, h100Params()).seconds));
}

TEST(CostModel, AConstantIsNoKernelAndNoRead) {
  // x + c with c a constant of x's shape, against x + y with y an input:
  // the constant costs no launch and its bytes are not read.
  KernelGraph withConstant, withInput;
  withConstant.addInput(f16({1024, 1024}));
  ValueId c = addValue(withConstant.values, f16({1024, 1024}));
  OpNode constant = makeOpNode(OpKind::Constant, {}, {c});
  constant.scalarA = 0.5;
  withConstant.ops.push_back(constant);
  ValueId sum = addValue(withConstant.values, f16({1024, 1024}));
  withConstant.ops.push_back(makeOpNode(OpKind::Add, {0, c}, {sum}));
  withConstant.outputs.push_back(sum);

  withInput.addInput(f16({1024, 1024}));
  withInput.addInput(f16({1024, 1024}));
  ValueId s = addValue(withInput.values, f16({1024, 1024}));
  withInput.ops.push_back(makeOpNode(OpKind::Add, {0, 1}, {s}));
  withInput.outputs.push_back(s);

  ProgramCost a = estimateCost(withConstant, h100Params());
  ProgramCost b = estimateCost(withInput, h100Params());
  ASSERT_EQ(a.kernels.size(), 1u);
  ASSERT_EQ(b.kernels.size(), 1u);
  EXPECT_DOUBLE_EQ(a.kernels[0].dramBytes, 2.0 * 1024 * 1024 * 2);
  EXPECT_DOUBLE_EQ(b.kernels[0].dramBytes, 3.0 * 1024 * 1024 * 2);
  EXPECT_LT(a.seconds, b.seconds);
}

} // namespace
