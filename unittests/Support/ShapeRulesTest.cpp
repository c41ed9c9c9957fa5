//===- ShapeRulesTest.cpp - Tests of the μGraph shape rules -----*- C++ -*-===//

#include "Mirage/Support/ShapeRules.h"
#include "Mirage/Support/InputNesting.h"
#include "Mirage/Support/MemoryLimit.h"

#include "gtest/gtest.h"

#include <limits>

using namespace mirage;

namespace {

/// The shape, or the error message as a failure of the test.
Shape expectShape(llvm::Expected<Shape> shape) {
  if (!shape) {
    ADD_FAILURE() << llvm::toString(shape.takeError());
    return {};
  }
  return *shape;
}

/// The error message; fails the test if there is none.
std::string expectError(llvm::Expected<Shape> shape) {
  if (shape) {
    ADD_FAILURE() << "expected an error, got shape " << formatShape(*shape);
    return "";
  }
  return llvm::toString(shape.takeError());
}

std::string expectError(llvm::Error error) {
  if (!error) {
    ADD_FAILURE() << "expected an error";
    return "";
  }
  return llvm::toString(std::move(error));
}

/// Whether `error` is success; a failure is consumed.
bool succeeds(llvm::Error error) {
  bool failed = static_cast<bool>(error);
  llvm::consumeError(std::move(error));
  return !failed;
}

LaunchShape launch(Shape grid, int64_t forloop, int64_t dimx = 64) {
  LaunchShape l;
  l.grid.assign(grid.begin(), grid.end());
  l.block = {128, 1, 1};
  l.forloopRange = forloop;
  l.reductionDimx = dimx;
  return l;
}

TEST(ShapeRules, FormatShape) {
  EXPECT_EQ(formatShape({2, 4096}), "2x4096");
  EXPECT_EQ(formatShape({}), "scalar");
}

TEST(ShapeRules, Matmul) {
  EXPECT_EQ(expectShape(inferMatmulShape({2, 4096}, {4096, 6144})),
            (Shape{2, 6144}));
  EXPECT_EQ(expectShape(inferMatmulShape({8, 8, 4096}, {8, 4096, 16})),
            (Shape{8, 8, 16}));
  EXPECT_NE(expectError(inferMatmulShape({2, 4096}, {4095, 8}))
                .find("contraction dims differ"),
            std::string::npos);
  EXPECT_NE(expectError(inferMatmulShape({2, 2, 4}, {3, 4, 8}))
                .find("batch dimension 0 differs"),
            std::string::npos);
  EXPECT_NE(expectError(inferMatmulShape({2, 4}, {1, 4, 8})).find("equal rank"),
            std::string::npos);
  EXPECT_NE(expectError(inferMatmulShape({4}, {4})).find("rank >= 2"),
            std::string::npos);
}

TEST(ShapeRules, Broadcast) {
  EXPECT_EQ(expectShape(inferBroadcastShape({2, 4096}, {2, 1})),
            (Shape{2, 4096}));
  EXPECT_EQ(expectShape(inferBroadcastShape({1, 8}, {4, 1})), (Shape{4, 8}));
  EXPECT_NE(expectError(inferBroadcastShape({2, 3}, {2, 4}))
                .find("neither equal nor 1"),
            std::string::npos);
  EXPECT_NE(expectError(inferBroadcastShape({2, 3}, {3})).find("equal rank"),
            std::string::npos);
}

TEST(ShapeRules, Reduction) {
  EXPECT_EQ(expectShape(inferReductionShape({2, 4096}, 1, 1)), (Shape{2, 1}));
  EXPECT_EQ(expectShape(inferReductionShape({1, 1024, 512}, 2, 64)),
            (Shape{1, 1024, 64}));
  EXPECT_NE(
      expectError(inferReductionShape({2, 100}, 1, 64)).find("does not divide"),
      std::string::npos);
  EXPECT_NE(
      expectError(inferReductionShape({2, 100}, 2, 1)).find("out of range"),
      std::string::npos);
  EXPECT_NE(expectError(inferReductionShape({2, 100}, 1, 0)).find(">= 1"),
            std::string::npos);
}

TEST(ShapeRules, Concat) {
  Shape a{16, 256}, b{16, 16};
  EXPECT_EQ(expectShape(inferConcatShape({a, b}, 1)), (Shape{16, 272}));
  Shape c{8, 16};
  EXPECT_NE(expectError(inferConcatShape({a, c}, 1)).find("extent 8"),
            std::string::npos);
  EXPECT_NE(expectError(inferConcatShape({a}, 0)).find("at least two"),
            std::string::npos);
}

TEST(ShapeRules, Transpose) {
  EXPECT_EQ(expectShape(inferTransposeShape({256, 64}, {1, 0})),
            (Shape{64, 256}));
  EXPECT_EQ(expectShape(inferTransposeShape({2, 3, 4, 5}, {0, 2, 3, 1})),
            (Shape{2, 4, 5, 3}));
  EXPECT_NE(expectError(inferTransposeShape({4, 8}, {0})).find("1 entries"),
            std::string::npos);
  EXPECT_NE(expectError(inferTransposeShape({4, 8}, {0, 2})).find("range"),
            std::string::npos);
  EXPECT_NE(expectError(inferTransposeShape({4, 8}, {-1, 0})).find("range"),
            std::string::npos);
  EXPECT_NE(expectError(inferTransposeShape({4, 8}, {1, 1})).find("twice"),
            std::string::npos);
}

TEST(ShapeRules, Reshape) {
  EXPECT_TRUE(succeeds(checkReshapeShape({2, 4096}, {2, 32, 128})));
  EXPECT_TRUE(succeeds(checkReshapeShape({6}, {3, 1, 2})));
  EXPECT_NE(expectError(checkReshapeShape({4, 8}, {4, 4})).find("count"),
            std::string::npos);
  // 2^64 elements on both sides: an overflow, not two equal wrapped counts.
  int64_t big = int64_t(1) << 32;
  EXPECT_NE(expectError(checkReshapeShape({big, big}, {2, big, big / 2}))
                .find("overflows"),
            std::string::npos);
  EXPECT_NE(expectError(checkReshapeShape({-2, -3}, {6})).find("below 0"),
            std::string::npos);
}

TEST(ShapeRules, BroadcastDims) {
  EXPECT_TRUE(succeeds(checkBroadcastShape({64}, {0}, {8, 64})));
  EXPECT_TRUE(succeeds(checkBroadcastShape({2, 4}, {1, 3}, {2, 3, 4, 5})));
  EXPECT_TRUE(succeeds(checkBroadcastShape({2, 4}, {}, {2, 4})));
  EXPECT_NE(
      expectError(checkBroadcastShape({64}, {0}, {2, 8, 64})).find("rank"),
      std::string::npos);
  EXPECT_NE(expectError(checkBroadcastShape({64}, {1, 0}, {2, 8, 64}))
                .find("increasing"),
            std::string::npos);
  EXPECT_NE(
      expectError(checkBroadcastShape({64}, {2}, {64, 2})).find("increasing"),
      std::string::npos);
  EXPECT_NE(
      expectError(checkBroadcastShape({64}, {0}, {8, 32})).find("extent 32"),
      std::string::npos);
}

TEST(ShapeRules, RmsNorm) {
  EXPECT_FALSE(checkRmsNormShape({2, 4096}, {4096}));
  EXPECT_FALSE(checkRmsNormShape({2, 8, 64}, {8, 64}));
  EXPECT_NE(expectError(checkRmsNormShape({2, 4096}, {2048})).find("trailing"),
            std::string::npos);
  EXPECT_NE(expectError(checkRmsNormShape({4096}, {1, 4096})).find("rank"),
            std::string::npos);
}

TEST(ShapeRules, LaunchLimits) {
  EXPECT_FALSE(checkLaunchShape(launch({256, 1, 1}, 32)));
  EXPECT_FALSE(checkLaunchShape(launch({16, 16, 16}, 1)));
  EXPECT_NE(expectError(checkLaunchShape(launch({64, 64, 2}, 1)))
                .find("more than the limit of 4096"),
            std::string::npos);
  EXPECT_NE(expectError(checkLaunchShape(launch({0, 1, 1}, 1))).find("grid x"),
            std::string::npos);
  EXPECT_NE(expectError(checkLaunchShape(launch({1, 1, 1}, 0)))
                .find("for-loop range"),
            std::string::npos);
}

TEST(ShapeRules, LoaderTileRmsNormMatmul) {
  // The worked RMSNorm+MatMul μGraph: grid (256,1,1), for-loop range 32.
  LaunchShape l = launch({256, 1, 1}, 32);
  EXPECT_EQ(expectShape(inferLoaderTileShape({2, 4096}, {-1, -1, -1}, 1, l)),
            (Shape{2, 128}));
  EXPECT_EQ(expectShape(inferLoaderTileShape({4096, 6144}, {1, -1, -1}, 0, l)),
            (Shape{128, 24}));
}

TEST(ShapeRules, LoaderTileFlashDecoding) {
  // The worked MQA μGraph, kernel 1: grid (1,8,16), for-loop range 4.
  LaunchShape l = launch({1, 8, 16}, 4);
  EXPECT_EQ(
      expectShape(inferLoaderTileShape({1, 1024, 64}, {-1, -1, 1}, -1, l)),
      (Shape{1, 64, 64}));
  EXPECT_EQ(expectShape(inferLoaderTileShape({1, 64, 4096}, {-1, 2, -1}, 2, l)),
            (Shape{1, 64, 128}));
  EXPECT_EQ(expectShape(inferLoaderTileShape({1, 4096, 64}, {-1, 1, -1}, 1, l)),
            (Shape{1, 128, 64}));
}

TEST(ShapeRules, LoaderErrors) {
  LaunchShape l = launch({3, 1, 1}, 4);
  EXPECT_NE(expectError(inferLoaderTileShape({2, 4096}, {1, -1, -1}, -1, l))
                .find("grid x = 3 does not divide dimension 1"),
            std::string::npos);
  l = launch({1, 1, 1}, 3);
  EXPECT_NE(expectError(inferLoaderTileShape({2, 4096}, {-1, -1, -1}, 1, l))
                .find("for-loop range 3 does not divide"),
            std::string::npos);
  EXPECT_NE(expectError(inferLoaderTileShape({2, 4096}, {2, -1, -1}, -1, l))
                .find("out of range"),
            std::string::npos);
  EXPECT_NE(expectError(inferLoaderTileShape({2, 4096}, {1, 1, -1}, -1, l))
                .find("both grid x and grid y"),
            std::string::npos);
  EXPECT_NE(expectError(inferLoaderTileShape({2, 4096}, {-1, -1, -1}, 5, l))
                .find("for-loop dimension 5"),
            std::string::npos);
  EXPECT_NE(expectError(inferLoaderTileShape({2, 4096}, {-1, -1}, -1, l))
                .find("3 entries"),
            std::string::npos);
}

TEST(ShapeRules, SaverTensor) {
  LaunchShape l = launch({256, 1, 1}, 32);
  EXPECT_EQ(expectShape(inferSaverTensorShape({2, 24}, {1, -1, -1}, l)),
            (Shape{2, 6144}));
  LaunchShape k1 = launch({1, 8, 16}, 4);
  EXPECT_EQ(expectShape(inferSaverTensorShape({1, 64, 1}, {-1, 2, 1}, k1)),
            (Shape{1, 1024, 8}));
  EXPECT_EQ(expectShape(inferSaverTensorShape({1, 64, 64}, {-1, 2, 1}, k1)),
            (Shape{1, 1024, 512}));
  EXPECT_NE(expectError(inferSaverTensorShape({1, 64, 64}, {-1, -1, 1}, k1))
                .find("omap leaves grid y (extent 8) unmapped"),
            std::string::npos);
}

TEST(ShapeRules, Accumulators) {
  EXPECT_EQ(expectShape(inferAccumShape(AccumKind::None, {2, 24}, 64)),
            (Shape{2, 24}));
  EXPECT_EQ(expectShape(inferAccumShape(AccumKind::Rms, {2, 128}, 64)),
            (Shape{2, 1}));
  EXPECT_EQ(expectShape(inferAccumShape(AccumKind::Sum, {1, 64, 128}, 64)),
            (Shape{1, 64, 1}));
  EXPECT_EQ(expectShape(inferAccumShape(AccumKind::Mean, {4, 8}, 64)),
            (Shape{4, 1}));
  EXPECT_EQ(
      expectShape(inferAccumShape(AccumKind::SumToDimx, {1, 16, 512}, 64)),
      (Shape{1, 16, 64}));
  EXPECT_EQ(expectShape(inferAccumShape(AccumKind::Max, {4, 8}, 64)),
            (Shape{4, 8}));
  EXPECT_NE(expectError(inferAccumShape(AccumKind::SumToDimx, {4, 100}, 64))
                .find("does not divide"),
            std::string::npos);
}

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

TEST(ShapeRules, NumElements) {
  EXPECT_EQ(numElements({2, 4096}), 8192);
  EXPECT_EQ(numElements({}), 1);
  EXPECT_EQ(numElements({4, 0, 8}), 0);
  EXPECT_EQ(numElements({2, -3}), -1);
  // Saturates instead of wrapping: 2^32 x 2^32 is not 0.
  EXPECT_EQ(numElements({int64_t(1) << 32, int64_t(1) << 32}), kMax);
}

TEST(ShapeRules, CheckedNumElements) {
  EXPECT_EQ(checkedNumElements({2, 4096}), 8192);
  EXPECT_EQ(checkedNumElements({}), 1);
  EXPECT_EQ(checkedNumElements({7, 0}), 0);
  EXPECT_EQ(checkedNumElements({kMax}), kMax);
  EXPECT_EQ(checkedNumElements({kMax, 1, 1}), kMax);
  EXPECT_EQ(checkedNumElements({int64_t(1) << 31, int64_t(1) << 31}),
            int64_t(1) << 62);
  // The products that wrapped: 2^32 x 2^32 (to 0), 2^63 - 1 rows x 2.
  EXPECT_EQ(checkedNumElements({int64_t(1) << 32, int64_t(1) << 32}),
            std::nullopt);
  EXPECT_EQ(checkedNumElements({kMax, 2}), std::nullopt);
  EXPECT_EQ(checkedNumElements({3, -1}), std::nullopt);
  // A zero extent does not hide an overflow of the others... but the
  // product is 0 whatever the order, so it is exact.
  EXPECT_EQ(checkedNumElements({0, kMax, kMax}), 0);
}

TEST(ShapeRules, CheckedNumBytes) {
  EXPECT_EQ(checkedNumBytes({2, 4096}, 2), 16384);
  EXPECT_EQ(checkedNumBytes({2, 4096}, 4, 2), 65536);
  // 2^62 f32 elements are 2^64 bytes; 2^61 f32 elements are 2^63 bytes,
  // one more than INT64_MAX; 2^61 - 1 of them fit.
  EXPECT_EQ(checkedNumBytes({int64_t(1) << 62}, 4), std::nullopt);
  EXPECT_EQ(checkedNumBytes({int64_t(1) << 61}, 4), std::nullopt);
  EXPECT_EQ(checkedNumBytes({(int64_t(1) << 61) - 1}, 4),
            ((int64_t(1) << 61) - 1) * 4);
  EXPECT_EQ(checkedNumBytes({int64_t(1) << 61}, 2), int64_t(1) << 62);
  EXPECT_EQ(checkedNumBytes({int64_t(1) << 62}, 2), std::nullopt);
  EXPECT_EQ(checkedNumBytes({int64_t(1) << 60}, 4, 2), std::nullopt);
  EXPECT_EQ(checkedNumBytes({4}, -1), std::nullopt);
  EXPECT_EQ(checkedNumBytes({4}, 4, kMax), std::nullopt);
}

TEST(ShapeRules, CheckAddressable) {
  EXPECT_TRUE(succeeds(checkAddressable({1048576, 1048576}, 4)));
  EXPECT_NE(
      expectError(checkAddressable({int64_t(1) << 32, int64_t(1) << 32}, 4))
          .find("shape 4294967296x4294967296 has more than 2^63 bytes"),
      std::string::npos);
  EXPECT_NE(expectError(checkAddressable({2, -1}, 4))
                .find("dimension 1 has negative extent -1"),
            std::string::npos);
}

TEST(ShapeRules, CheckedAddAndMul) {
  EXPECT_EQ(checkedAddSize(kMax - 1, 1), kMax);
  EXPECT_EQ(checkedAddSize(kMax, 1), std::nullopt);
  EXPECT_EQ(checkedMulSize(int64_t(1) << 31, int64_t(1) << 31), int64_t(1)
                                                                    << 62);
  EXPECT_EQ(checkedMulSize(int64_t(1) << 32, int64_t(1) << 31), std::nullopt);
  EXPECT_EQ(checkedMulSize(kMax, -1), -kMax);
}

TEST(ShapeRules, FormatBytes) {
  EXPECT_EQ(formatBytes(0), "0 bytes");
  EXPECT_EQ(formatBytes(1023), "1023 bytes");
  EXPECT_EQ(formatBytes(1024), "1024 bytes (1 KiB)");
  EXPECT_EQ(formatBytes(1000000000), "1000000000 bytes (953.7 MiB)");
  EXPECT_EQ(formatBytes(int64_t(1) << 47), "140737488355328 bytes (128 TiB)");
  EXPECT_EQ(formatBytes(kMax), "9223372036854775807 bytes (8 EiB)");
}

TEST(ShapeRules, ZeroExtent) {
  EXPECT_EQ(findZeroExtent({2, 4096}), std::nullopt);
  EXPECT_EQ(findZeroExtent({2, 0, 0}), 1u);
  EXPECT_NE(expectError(checkRmsNormShape({4, 0}, {0}))
                .find("rms_norm normalized shape 0 has extent 0 at dimension "
                      "0: the mean square of zero elements divides by zero"),
            std::string::npos);
  // A zero extent outside the normalized dims divides by nothing.
  EXPECT_TRUE(succeeds(checkRmsNormShape({0, 4}, {4})));
  EXPECT_NE(expectError(inferLoaderTileShape({0, 256}, {0, -1, -1}, 1,
                                             launch({2, 1, 1}, 2)))
                .find("loads from a tensor of shape 0x256, which has extent 0 "
                      "at dimension 0"),
            std::string::npos);
}

TEST(ShapeRules, OverflowingShapeRules) {
  // The saver multiplies tile extents by the grid; the concat adds extents.
  EXPECT_NE(expectError(inferSaverTensorShape({kMax / 2, 4}, {0, -1, -1},
                                              launch({4, 1, 1}, 1)))
                .find("overflows a 64-bit integer"),
            std::string::npos);
  EXPECT_EQ(expectShape(inferSaverTensorShape({kMax / 4, 4}, {0, -1, -1},
                                              launch({4, 1, 1}, 1))),
            (Shape{kMax / 4 * 4, 4}));
  EXPECT_NE(expectError(inferConcatShape({llvm::ArrayRef<int64_t>{kMax, 2},
                                          llvm::ArrayRef<int64_t>{1, 2}},
                                         0))
                .find("concat result extent at dimension 0 overflows"),
            std::string::npos);
}

TEST(MemoryLimit, Check) {
  EXPECT_TRUE(succeeds(checkMemoryNeed(1000, 1000, "interpret")));
  EXPECT_EQ(expectError(checkMemoryNeed(1001, 1000, "interpret")),
            "too large to interpret: needs 1001 bytes, limit 1000 bytes");
  EXPECT_EQ(expectError(checkMemoryNeed(int64_t(1) << 43, int64_t(1) << 32,
                                        "fingerprint")),
            "too large to fingerprint: needs 8796093022208 bytes (8 TiB), "
            "limit 4294967296 bytes (4 GiB)");
  // An overflowed byte count exceeds every limit.
  EXPECT_EQ(expectError(checkMemoryNeed(std::nullopt, kMax, "run")),
            "too large to run: needs more than 2^63 bytes, limit "
            "9223372036854775807 bytes (8 EiB)");
}

TEST(MemoryLimit, Defaults) {
  EXPECT_EQ(resolveMemoryLimit(12345), 12345);
  EXPECT_EQ(resolveMemoryLimit(std::numeric_limits<uint64_t>::max()), kMax);
  // The default is three quarters of what the machine (or its cgroup)
  // offers.
  std::optional<int64_t> available = availableMemoryBytes();
  ASSERT_TRUE(available.has_value());
  EXPECT_GT(*available, 0);
  EXPECT_EQ(resolveMemoryLimit(0), *available / 4 * 3);
  EXPECT_EQ(defaultMemoryLimit(), *available / 4 * 3);
}

} // namespace

//===----------------------------------------------------------------------===//
// Bracket nesting of textual IR (Mirage/Support/InputNesting.h)
//===----------------------------------------------------------------------===//

TEST(InputNesting, FindsTheBracketThatGoesTooDeep) {
  EXPECT_FALSE(mirage::findExcessiveNesting("((()))", 3));
  std::optional<mirage::NestingViolation> deep =
      mirage::findExcessiveNesting("x\n ([{<", 3);
  ASSERT_TRUE(deep);
  EXPECT_EQ(deep->line, 2u);
  EXPECT_EQ(deep->column, 5u);
}

TEST(InputNesting, SkipsStringsCommentsArrowsAndComparisons) {
  EXPECT_FALSE(mirage::findExcessiveNesting("// ((((\n\"((((\\\"((\"", 1));
  // Each -> closes nothing; >= and <= neither open nor close.
  EXPECT_FALSE(mirage::findExcessiveNesting("(a -> b -> c)", 1));
  EXPECT_FALSE(mirage::findExcessiveNesting("(x >= 0, y <= 1)", 1));
  EXPECT_TRUE(mirage::findExcessiveNesting("(a) (b) ((c))", 1));
}
