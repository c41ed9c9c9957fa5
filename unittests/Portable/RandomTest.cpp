//===- RandomTest.cpp - The seeded random stream --------------------------===//
//
// Fixed vectors computed from the formula of docs/Semantics.md ("Inputs") by
// an independent Python implementation. The runtime's host tensors and the
// interpreter's inputs are both drawn from these functions (runtime/test/
// RandomTest.cpp and test/Runtime compare them with the interpreter).
//
//===----------------------------------------------------------------------===//

#include "Mirage/Portable/Random.h"
#include "Mirage/Portable/FloatFormats.h"

#include "gtest/gtest.h"

#include <cstring>

using namespace mirage::portable;

namespace {

TEST(Random, Mix64IsSplitMix64) {
  // splitmix64 seeded with 0: its first two outputs.
  EXPECT_EQ(mix64(kSplitMixGamma), 0xe220a8397b1dcdafULL);
  EXPECT_EQ(mix64(2 * kSplitMixGamma), 0x6e789e6aa1b965f4ULL);
  EXPECT_EQ(mix64(0), 0u);
}

TEST(Random, BitsFollowTheDocumentedFormula) {
  EXPECT_EQ(randomBits(0, 0, 0), 0xbfef8030ddc2d772ULL);
  EXPECT_EQ(randomBits(0, 0, 1), 0x5f552ce482f2aa47ULL);
  EXPECT_EQ(randomBits(7, 2, 5), 0xf6c18af38ce0faf1ULL);
  // seed * gamma wraps around modulo 2^64.
  EXPECT_EQ(randomBits(~0ULL, 3, 1000), 0xe5c8e51550422b00ULL);
}

TEST(Random, UnitIntervalTakesTheTop53Bits) {
  EXPECT_EQ(unitInterval(0), 0.0);
  EXPECT_EQ(unitInterval(~0ULL), 1.0 - 0x1p-53);
  EXPECT_EQ(unitInterval(1ULL << 63), 0.5);
  EXPECT_EQ(unitInterval(0x7ff), 0.0); // the low 11 bits are dropped
}

TEST(Random, ValuesAreRoundedOnceToTheDType) {
  // mirage-opt --mirage-interpret="seed=7 input-scale=3" on
  // (tensor<2x3xf16>, tensor<3x4xf32>, tensor<5xbf16>).
  EXPECT_EQ(toF16Bits(randomValue(7, 0, 0, 3.0, DType::F16)), 0x417e);
  EXPECT_EQ(toF16Bits(randomValue(7, 0, 1, 3.0, DType::F16)), 0xb48b);
  EXPECT_EQ(toF16Bits(randomValue(7, 0, 2, 3.0, DType::F16)), 0xbc74);
  float f = static_cast<float>(randomValue(7, 1, 0, 3.0, DType::F32));
  uint32_t bits;
  std::memcpy(&bits, &f, 4);
  EXPECT_EQ(bits, 0xbfee1c61u);
  EXPECT_EQ(toBF16Bits(randomValue(7, 2, 0, 3.0, DType::BF16)), 0xbfc2);
  EXPECT_EQ(toBF16Bits(randomValue(7, 2, 1, 3.0, DType::BF16)), 0x3fb7);
  // The unrounded value is (2u - 1) * scale.
  double u = unitInterval(randomBits(7, 0, 0));
  EXPECT_EQ(randomValue(7, 0, 0, 3.0, DType::F16), roundToF16((2 * u - 1) * 3));
  EXPECT_NE(randomValue(7, 0, 0, 3.0, DType::F16), (2 * u - 1) * 3);
}

TEST(Random, ValuesStayInRange) {
  for (uint64_t i = 0; i < 1000; ++i) {
    double v = randomValue(1, 0, i, 0.5, DType::F32);
    EXPECT_GE(v, -0.5);
    EXPECT_LT(v, 0.5);
  }
}

} // namespace
