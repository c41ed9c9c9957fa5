//===- DrawnInputTest.cpp - Inputs drawn where they are read ------------===//
//
// A seeded input above seededInputs' bound is not held: the evaluator draws
// its elements where it reads them (a block of a matmul's second operand,
// a loader's tile, the whole operand for other ops). The values drawn are
// randomInput's, so every fingerprint and float output must be bit for bit
// the one of the held inputs (docs/Semantics.md, "Inputs drawn where they
// are read"); the search's memory figure then leaves those inputs out.
//
//===----------------------------------------------------------------------===//

#include "SearchTestUtil.h"

#include "Mirage/Search/Superoptimizer.h"
#include "Mirage/Semantics/Interpreter.h"

#include "gtest/gtest.h"

#include <array>
#include <chrono>
#include <cstdio>

using namespace mirage;
using namespace mirage::testing;

namespace {

constexpr int64_t X = kReplicate;

/// MoE's inputs X, A and B, batched over `experts`, added to `g`.
std::array<ValueId, 3> addMoeInputs(KernelGraph &g, int64_t experts,
                                    int64_t tokens, int64_t k, int64_t n) {
  return {g.addInput(f16({experts, tokens, k})),
          g.addInput(f16({experts, k, n})), g.addInput(f16({experts, n, k}))};
}

/// The output Y = exp(XA) B of `g`, from XA and B.
void addExpMatmul(KernelGraph &g, ValueId xa, ValueId b, int64_t experts,
                  int64_t tokens, int64_t k, int64_t n) {
  ValueId e =
      addOp(g, makeOpNode(OpKind::Exp, {xa}), f16({experts, tokens, n}));
  g.outputs = {
      addOp(g, makeOpNode(OpKind::Matmul, {e, b}), f16({experts, tokens, k}))};
}

/// Y = exp(X A) B, batched over `experts` (examples/moe.mlir's program).
KernelGraph moeReference(int64_t experts, int64_t tokens, int64_t k,
                         int64_t n) {
  KernelGraph g;
  g.name = "moe";
  auto [x, a, b] = addMoeInputs(g, experts, tokens, k, n);
  ValueId xa =
      addOp(g, makeOpNode(OpKind::Matmul, {x, a}), f16({experts, tokens, n}));
  addExpMatmul(g, xa, b, experts, tokens, k, n);
  return g;
}

/// The same program with X A in a graph-defined kernel: grid (experts,
/// splits, 1), a for-loop of `forloop` over the contraction, loaders of X
/// and A, a block matmul and an accumulator; then kernel-level exp and
/// matmul.
KernelGraph moeWithKernel(int64_t experts, int64_t tokens, int64_t k, int64_t n,
                          int64_t splits, int64_t forloop) {
  KernelGraph g;
  g.name = "moe_kernel";
  auto [x, a, b] = addMoeInputs(g, experts, tokens, k, n);
  BlockGraph bg;
  bg.launch.grid = {experts, splits, 1};
  bg.launch.block = {128, 1, 1};
  bg.launch.forloopRange = forloop;
  bg.numInputs = 2;
  bg.values.push_back(g.values[x]);
  bg.values.push_back(g.values[a]);
  auto loader = [&](ValueId input, DimMap imap, int64_t fmap) {
    OpNode op = makeOpNode(OpKind::Loader, {input});
    op.map = imap;
    op.dim = fmap;
    Shape tile = llvm::cantFail(
        inferLoaderTileShape(bg.values[input].shape, imap, fmap, bg.launch));
    return addOp(bg.values, bg.ops, op, f16(tile));
  };
  ValueId tx = loader(0, {0, X, X}, 2);
  ValueId ta = loader(1, {0, 2, X}, 1);
  ValueId p = addOp(bg.values, bg.ops, makeOpNode(OpKind::Matmul, {tx, ta}),
                    f16({1, tokens, n / splits}));
  OpNode accum = makeOpNode(OpKind::Accum, {p});
  accum.accum = AccumKind::None;
  ValueId acc = addOp(bg.values, bg.ops, accum,
                      f16({1, tokens, n / splits}, /*accumulated=*/true));
  OpNode saver = makeOpNode(OpKind::Saver, {acc});
  saver.map = {0, 2, X};
  bg.outputs = {addOp(bg.values, bg.ops, saver, f16({experts, tokens, n}))};
  g.blockGraphs.push_back(std::move(bg));
  OpNode kernel = makeOpNode(OpKind::GraphDefined, {x, a});
  kernel.blockGraph = 0;
  ValueId xa = addOp(g, kernel, f16({experts, tokens, n}));
  addExpMatmul(g, xa, b, experts, tokens, k, n);
  return g;
}

/// The outputs of `graph` on the seeded inputs of `seed`, held or with
/// every input above `heldBytes` drawn.
std::vector<Tensor> outputsOn(const KernelGraph &graph, NumberSystem system,
                              uint64_t seed, double scale,
                              std::optional<int64_t> heldBytes) {
  std::vector<Tensor> inputs =
      heldBytes ? seededInputs(graph, system, seed, scale, *heldBytes)
                : randomInputs(graph, system, seed, scale);
  EvalResult result =
      llvm::cantFail(evaluate(graph, system, inputs, /*modelSeed=*/seed));
  EXPECT_FALSE(result.inconclusive);
  return std::move(result.outputs);
}

void expectSameOutputs(const std::vector<Tensor> &held,
                       const std::vector<Tensor> &drawn) {
  ASSERT_EQ(held.size(), drawn.size());
  for (size_t i = 0; i < held.size(); ++i) {
    EXPECT_FALSE(drawn[i].isDrawn());
    ASSERT_EQ(held[i].data.size(), drawn[i].data.size());
    // Bit for bit: fingerprints are residues, floats the same sums.
    EXPECT_TRUE(held[i].data == drawn[i].data) << "output " << i;
  }
}

TEST(DrawnInput, SeededInputsHoldOnlySmallInputs) {
  KernelGraph moe = moeReference(2, 8, 1024, 1024);
  // X is 2x8x1024 (256 KiB as fingerprints), A and B 16 MiB each.
  std::vector<Tensor> inputs =
      seededInputs(moe, NumberSystem::Field, 3, 1.0, int64_t(1) << 20);
  ASSERT_EQ(inputs.size(), 3u);
  EXPECT_FALSE(inputs[0].isDrawn());
  EXPECT_EQ(inputs[0].data,
            randomInput(moe.values[0], NumberSystem::Field, 3, 0).data);
  for (unsigned i : {1u, 2u}) {
    EXPECT_TRUE(inputs[i].isDrawn());
    EXPECT_TRUE(inputs[i].data.empty());
    EXPECT_EQ(inputs[i].heldBytes(), 0);
  }
}

TEST(DrawnInput, DrawnValuesAreRandomInputValues) {
  // A program that returns its input: the output is the input drawn whole.
  // Scales that reach f16's subnormals and its overflow, every dtype.
  for (DType dtype : {DType::F16, DType::BF16, DType::F32})
    for (double scale : {1e-4, 0.125, 3.0, 7e4})
      for (NumberSystem system : {NumberSystem::Float, NumberSystem::Field}) {
        KernelGraph identity;
        identity.name = "identity";
        ValueId x = identity.addInput({{3, 1000}, dtype, false});
        identity.outputs = {x};
        Tensor held = randomInput(identity.values[0], system, 11, 0, scale);
        std::vector<Tensor> drawn = seededInputs(identity, system, 11, scale,
                                                 /*heldBytes=*/0);
        ASSERT_TRUE(drawn[0].isDrawn());
        EvalResult result =
            llvm::cantFail(evaluate(identity, system, drawn, 11));
        ASSERT_EQ(result.outputs.size(), 1u);
        EXPECT_TRUE(result.outputs[0].data == held.data)
            << "scale " << scale << " dtype " << static_cast<int>(dtype);
      }
}

TEST(DrawnInput, KernelMatmulsGiveTheSameFingerprintsAndFloats) {
  // k = 1024: the first matmul's second operand is packed (and drawn) in
  // two blocks of columns; the second reads exp's lane of ones, whose
  // column sums of B are drawn row by row.
  KernelGraph moe = moeReference(2, 8, 1024, 1024);
  for (uint64_t seed : {0u, 1u}) {
    std::vector<Tensor> held =
        outputsOn(moe, NumberSystem::Field, seed, 1.0, std::nullopt);
    // A and B drawn; then every input drawn (X too, drawn whole for the
    // matmul that packs it as its first operand).
    for (int64_t bound : {int64_t(1) << 20, int64_t(0)})
      expectSameOutputs(held,
                        outputsOn(moe, NumberSystem::Field, seed, 1.0, bound));
  }
  std::vector<Tensor> held =
      outputsOn(moe, NumberSystem::Float, 5, 0.125, std::nullopt);
  expectSameOutputs(held,
                    outputsOn(moe, NumberSystem::Float, 5, 0.125, 1 << 20));
}

TEST(DrawnInput, LoadersGiveTheSameFingerprintsAndFloats) {
  KernelGraph kernel = moeWithKernel(2, 8, 512, 256, /*splits=*/2,
                                     /*forloop=*/4);
  ASSERT_FALSE(llvm::errorToBool(checkEvaluable(kernel)));
  for (NumberSystem system : {NumberSystem::Field, NumberSystem::Float}) {
    std::vector<Tensor> held =
        outputsOn(kernel, system, 7, 0.125, std::nullopt);
    for (int64_t bound : {int64_t(64) << 10, int64_t(0)})
      expectSameOutputs(held, outputsOn(kernel, system, 7, 0.125, bound));
  }
  // And the kernel computes the reference's function.
  KernelGraph moe = moeReference(2, 8, 512, 256);
  expectSameOutputs(
      outputsOn(moe, NumberSystem::Field, 7, 1.0, std::nullopt),
      outputsOn(kernel, NumberSystem::Field, 7, 1.0, int64_t(64) << 10));
}

TEST(DrawnInput, MemoryFiguresLeaveDrawnInputsOut) {
  // examples/moe.mlir's shape: A and B are 1 GiB each as fingerprints.
  KernelGraph moe = moeReference(8, 8, 4096, 4096);
  auto field = NumberSystem::Field;
  int64_t weight = int64_t(8) * 4096 * 4096 * 8, x = int64_t(8) * 8 * 4096 * 8;
  EXPECT_EQ(inputBytes(moe, field), x + 2 * weight);
  EXPECT_EQ(inputBytes(moe, field, kHeldInputBytes), x);
  int64_t held = *evaluationBytes(moe, field);
  int64_t drawn = *evaluationBytes(moe, field, kHeldInputBytes);
  // Without the weights, plus one drawn block of 16 MiB.
  EXPECT_EQ(held - drawn, 2 * weight - (int64_t(16) << 20));
  // The search fits in issue 13's bound: 500 MB plus the program's inputs
  // at their own dtype (512 MiB of f16 weights).
  SearchOptions options;
  options.threads = 2;
  std::optional<int64_t> need = searchMemoryBytes(moe, options);
  ASSERT_TRUE(need.has_value());
  EXPECT_LT(*need, defaultSearchMemoryLimit(moe, int64_t(1) << 40));
  EXPECT_LT(*need, int64_t(200) << 20);
}

// A measurement, not a check (disabled: it takes ~10 s): one reference
// evaluation of examples/moe.mlir in the field with held and with drawn
// weights, and one in floats with drawn weights. Run it with
// --gtest_also_run_disabled_tests --gtest_filter='*TimeMoE*'.
TEST(DrawnInput, DISABLED_TimeMoE) {
  KernelGraph moe = moeReference(8, 8, 4096, 4096);
  auto time = [&](std::optional<int64_t> bound) {
    auto t0 = std::chrono::steady_clock::now();
    std::vector<Tensor> inputs =
        bound ? seededInputs(moe, NumberSystem::Field, 0, 1.0, *bound)
              : randomInputs(moe, NumberSystem::Field, 0);
    auto t1 = std::chrono::steady_clock::now();
    EvalResult r =
        llvm::cantFail(evaluate(moe, NumberSystem::Field, inputs, 0));
    auto t2 = std::chrono::steady_clock::now();
    printf("bound %s: inputs %.3f s, evaluation %.3f s\n",
           bound ? "256MiB" : "none",
           std::chrono::duration<double>(t1 - t0).count(),
           std::chrono::duration<double>(t2 - t1).count());
    return r.outputs;
  };
  auto a = time(std::nullopt);
  auto b = time(kHeldInputBytes);
  EXPECT_TRUE(a[0].data == b[0].data);
  auto t0 = std::chrono::steady_clock::now();
  std::vector<Tensor> inputs =
      seededInputs(moe, NumberSystem::Float, 0, 0.125, kHeldInputBytes);
  EvalResult r = llvm::cantFail(evaluate(moe, NumberSystem::Float, inputs, 0));
  auto t3 = std::chrono::steady_clock::now();
  std::vector<Tensor> heldFloat =
      randomInputs(moe, NumberSystem::Float, 0, 0.125);
  auto t4 = std::chrono::steady_clock::now();
  EvalResult r2 =
      llvm::cantFail(evaluate(moe, NumberSystem::Float, heldFloat, 0));
  auto t5 = std::chrono::steady_clock::now();
  EXPECT_TRUE(r.outputs[0].data == r2.outputs[0].data);
  printf("float held: inputs %.3f s, evaluation %.3f s\n",
         std::chrono::duration<double>(t4 - t3).count(),
         std::chrono::duration<double>(t5 - t4).count());
  printf("float drawn: %.3f s\n",
         std::chrono::duration<double>(t3 - t0).count());
}
} // namespace
