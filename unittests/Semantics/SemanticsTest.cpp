//===- SemanticsTest.cpp - Field arithmetic, rounding, interpreter --------===//

#include "Mirage/Semantics/Equivalence.h"
#include "Mirage/Semantics/FiniteField.h"
#include "Mirage/Semantics/FloatFormats.h"
#include "Mirage/Semantics/Interpreter.h"

#include "gtest/gtest.h"

#include <cmath>

using namespace mirage;

namespace {

TEST(FiniteField, PrimesAndGenerator) {
  EXPECT_EQ((field::kP - 1) % field::kQ, 0u);
  EXPECT_EQ(field::kP % 4, 3u);
  EXPECT_EQ(field::kQ % 4, 3u);
  // g has order exactly q (q is prime, g != 1).
  EXPECT_EQ(field::power(field::kG, field::kQ, 0), 1.0);
  EXPECT_NE(field::kG % field::kP, 1u);
}

TEST(FiniteField, Inverse) {
  for (double a : {1.0, 2.0, 12345.0, double(field::kP - 1)})
    EXPECT_EQ(field::mul(a, field::inverse(a, 0), 0), 1.0);
  for (double a : {1.0, 3.0, 999999.0, double(field::kQ - 1)})
    EXPECT_EQ(field::mul(a, field::inverse(a, 1), 1), 1.0);
}

TEST(FiniteField, ExpIsAHomomorphism) {
  for (double a : {0.0, 1.0, 17.0, 1048570.0, 523456.0})
    for (double b : {0.0, 5.0, 1048000.0, 77777.0})
      EXPECT_EQ(field::expP(field::add(a, b, 1)),
                field::mul(field::expP(a), field::expP(b), 0));
  EXPECT_EQ(field::expP(0), 1.0);
  EXPECT_EQ(field::expP(1), double(field::kG));
}

TEST(FiniteField, SqrtOfSquares) {
  for (unsigned lane = 0; lane < 2; ++lane)
    for (double x : {2.0, 3.0, 1000.0, 654321.0}) {
      double sq = field::mul(x, x, lane);
      double r = field::sqrtMap(sq, lane);
      // A square root of x^2 is +-x.
      EXPECT_TRUE(r == x || r == field::neg(x, lane));
      EXPECT_EQ(field::mul(r, r, lane), sq);
      // The power map is multiplicative.
      double y = 4321;
      EXPECT_EQ(
          field::sqrtMap(field::mul(x, y, lane), lane),
          field::mul(field::sqrtMap(x, lane), field::sqrtMap(y, lane), lane));
    }
}

TEST(FiniteField, DyadicImageIsARingMap) {
  for (unsigned lane = 0; lane < 2; ++lane) {
    EXPECT_EQ(field::dyadicImage(3.0, lane), 3.0);
    EXPECT_EQ(field::mul(field::dyadicImage(0.125, lane), 8, lane), 1.0);
    EXPECT_EQ(field::add(field::dyadicImage(-2.5, lane),
                         field::dyadicImage(2.5, lane), lane),
              0.0);
  }
}

TEST(FloatFormats, F16RoundToNearestEven) {
  EXPECT_EQ(roundToF16(1.0), 1.0);
  // 1 + 2^-11 is halfway between 1 and 1 + 2^-10: ties to even -> 1.
  EXPECT_EQ(roundToF16(1.0 + 0x1p-11), 1.0);
  EXPECT_EQ(roundToF16(1.0 + 3 * 0x1p-11), 1.0 + 0x1p-9);
  EXPECT_EQ(roundToF16(65504.0), 65504.0);
  EXPECT_TRUE(std::isinf(roundToF16(65520.0)));
  EXPECT_EQ(roundToF16(65519.0), 65504.0);
  EXPECT_EQ(roundToF16(0x1p-24), 0x1p-24); // smallest subnormal
  EXPECT_EQ(roundToF16(0x1p-25), 0.0);     // tie to even (0)
  EXPECT_EQ(roundToF16(0x1.8p-25), 0x1p-24);
  for (double v : {0.1, -3.75, 1e-5, 60000.0})
    EXPECT_EQ(fromF16Bits(toF16Bits(v)), roundToF16(v));
}

TEST(FloatFormats, BF16RoundToNearestEven) {
  EXPECT_EQ(roundToBF16(1.0 + 0x1p-8), 1.0);
  EXPECT_EQ(roundToBF16(1.0 + 3 * 0x1p-8), 1.0 + 0x1p-6);
  EXPECT_EQ(roundToBF16(3.0), 3.0);
  EXPECT_TRUE(std::isinf(roundToBF16(0x1.ffp127)));
}

/// y = reduction(x, dim 1, size 2) over a 1x4 input, and x * x.
static KernelGraph smallGraph() {
  KernelGraph g;
  g.name = "small";
  ValueId x = g.addInput({{2, 4}, DType::F32, false});
  OpNode red;
  red.kind = OpKind::Reduction;
  red.dim = 1;
  red.size = 2;
  red.operands = {x};
  red.results = {addValue(g.values, {{2, 2}, DType::F32, false})};
  g.ops.push_back(red);
  OpNode sq;
  sq.kind = OpKind::Mul;
  sq.operands = {x, x};
  sq.results = {addValue(g.values, {{2, 4}, DType::F32, false})};
  g.ops.push_back(sq);
  g.outputs = {red.results[0], sq.results[0]};
  return g;
}

TEST(Interpreter, StridedReductionAndElementwise) {
  KernelGraph g = smallGraph();
  Tensor in({2, 4}, DType::F32, 1);
  in.data = {1, 2, 3, 4, 5, 6, 7, 8};
  auto result = evaluate(g, NumberSystem::Float, {in});
  ASSERT_TRUE(static_cast<bool>(result));
  EXPECT_EQ(result->outputs[0].data, (std::vector<float>{4, 6, 12, 14}));
  EXPECT_EQ(result->outputs[1].data[3], 16.0f);
}

TEST(Interpreter, SeededInputsAreDeterministic) {
  ValueInfo info{{3, 5}, DType::F16, false};
  Tensor a = randomInput(info, NumberSystem::Float, 42, 0);
  Tensor b = randomInput(info, NumberSystem::Float, 42, 0);
  Tensor c = randomInput(info, NumberSystem::Float, 43, 0);
  EXPECT_EQ(a.data, b.data);
  EXPECT_NE(a.data, c.data);
  Tensor f = randomInput(info, NumberSystem::Field, 42, 1);
  for (size_t i = 0; i < f.data.size(); i += 2) {
    EXPECT_LT(f.data[i], float(field::kP));
    EXPECT_LT(f.data[i + 1], float(field::kQ));
  }
}

TEST(Equivalence, OutputPermutationIsFound) {
  KernelGraph lhs = smallGraph();
  KernelGraph rhs = smallGraph();
  std::swap(rhs.outputs[0], rhs.outputs[1]);
  auto result = checkEquivalence(lhs, rhs, {});
  ASSERT_TRUE(static_cast<bool>(result));
  EXPECT_TRUE(result->equivalent);
  EXPECT_EQ(result->permutation, (llvm::SmallVector<unsigned, 4>{1, 0}));
  // A real difference is found in the matched output.
  rhs.ops[1].kind = OpKind::Add;
  result = checkEquivalence(lhs, rhs, {});
  ASSERT_TRUE(static_cast<bool>(result));
  EXPECT_FALSE(result->equivalent);
  EXPECT_EQ(result->output, 1u);
}

/// x[8x128] -> one graph-defined kernel (grid 1x1x1) that loads x, accumulates
/// it and saves it, yielding the saver's result `outputs` as given.
KernelGraph saverGraph(llvm::ArrayRef<int> outputs) {
  KernelGraph g;
  g.name = "savers";
  ValueId x = g.addInput({{8, 128}, DType::F32, false});
  BlockGraph bg;
  bg.launch.grid = {1, 1, 1};
  bg.launch.block = {128, 1, 1};
  bg.numInputs = 1;
  bg.values.push_back({{8, 128}, DType::F32, false});
  OpNode load =
      makeOpNode(OpKind::Loader, {0},
                 {addValue(bg.values, {{8, 128}, DType::F32, false})});
  load.dim = kReplicate;
  OpNode acc = makeOpNode(OpKind::Accum, {load.results[0]},
                          {addValue(bg.values, {{8, 128}, DType::F32, true})});
  OpNode save =
      makeOpNode(OpKind::Saver, {acc.results[0]},
                 {addValue(bg.values, {{8, 128}, DType::F32, false})});
  bg.ops = {load, acc, save};
  llvm::SmallVector<ValueId, 2> results;
  for (int o : outputs) {
    bg.outputs.push_back(o < 0 ? save.results[0] : ValueId(o));
    results.push_back(addValue(g.values, {{8, 128}, DType::F32, false}));
  }
  g.blockGraphs.push_back(bg);
  OpNode kernel = makeOpNode(OpKind::GraphDefined, {x}, results);
  kernel.blockGraph = 0;
  g.ops.push_back(kernel);
  g.outputs.assign(results.begin(), results.end());
  return g;
}

std::string evaluableError(const KernelGraph &g) {
  llvm::Error err = checkEvaluable(g);
  return err ? llvm::toString(std::move(err)) : "";
}

TEST(Interpreter, SaversAreOutputsExactlyOnce) {
  EXPECT_EQ(evaluableError(saverGraph({-1})), "");
  // The saver yielded twice, and a block graph output no saver writes (the
  // loaded tile): the interpreter crashed or returned zeros on them.
  EXPECT_NE(evaluableError(saverGraph({-1, -1}))
                .find("result is an output 2 times; every saver is exactly "
                      "one output"),
            std::string::npos);
  EXPECT_NE(evaluableError(saverGraph({1})).find("result is an output 0 times"),
            std::string::npos);
}

TEST(Interpreter, RefusesEmptyAndHugeValues) {
  KernelGraph empty;
  empty.name = "empty";
  ValueId x = empty.addInput({{4, 0}, DType::F16, false});
  empty.ops.push_back(makeOpNode(
      OpKind::Exp, {x}, {addValue(empty.values, {{4, 0}, DType::F16, false})}));
  empty.outputs = {1};
  EXPECT_NE(evaluableError(empty).find(
                "a value has shape 4x0; only tensors with every extent >= 1 "
                "can be evaluated"),
            std::string::npos);

  // 2^62 elements fit in int64_t; two lanes of 4 bytes each do not.
  KernelGraph huge;
  huge.name = "huge";
  huge.addInput({{int64_t(1) << 31, int64_t(1) << 31}, DType::F32, false});
  huge.outputs = {0};
  EXPECT_NE(evaluableError(huge).find("more elements than a 64-bit byte "
                                      "count can address"),
            std::string::npos);
  EXPECT_EQ(evaluationBytes(huge, NumberSystem::Float), std::nullopt);
}

TEST(Interpreter, EvaluationBytes) {
  // smallGraph: x 2x4, reduction 2x2, x*x 2x4, all f32. Values 80 bytes,
  // twice the largest (32) for scratch.
  KernelGraph g = smallGraph();
  EXPECT_EQ(evaluationBytes(g, NumberSystem::Float), 80 + 2 * 32);
  EXPECT_EQ(evaluationBytes(g, NumberSystem::Field), 2 * (80 + 2 * 32));
  EXPECT_EQ(inputBytes(g, NumberSystem::Float), 32);
  EXPECT_EQ(interfaceBytes(g, NumberSystem::Float), 32 + 16 + 32);
  // A block graph adds its tiles three times (not its input tensors).
  KernelGraph k = saverGraph({-1});
  int64_t tensor = 8 * 128 * 4;
  EXPECT_EQ(evaluationBytes(k, NumberSystem::Float),
            2 * tensor + 2 * tensor + 3 * 3 * tensor);
}

} // namespace
