//===- RandomTest.cpp - dtype rounding and the interpreter's inputs -------===//
//
// The expected values were computed from the formula of docs/Semantics.md
// ("Inputs") by an independent Python implementation, and agree with the
// inputs `mirage-opt --mirage-interpret` uses (test/Runtime/ compares the
// two generators file for file).
//
//===----------------------------------------------------------------------===//

#include "MirageRuntime/Random.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstring>
#include <limits>

using namespace mirage::rt;

namespace {

uint16_t bits16(const HostTensor &t, int64_t i) {
  uint16_t b;
  std::memcpy(&b, t.data() + 2 * i, 2);
  return b;
}

uint32_t bits32(const HostTensor &t, int64_t i) {
  uint32_t b;
  std::memcpy(&b, t.data() + 4 * i, 4);
  return b;
}

TEST(Random, BitsFollowTheDocumentedFormula) {
  EXPECT_EQ(randomBits(0, 0, 0), 0xbfef8030ddc2d772ULL);
  EXPECT_EQ(randomBits(0, 0, 1), 0x5f552ce482f2aa47ULL);
  EXPECT_EQ(randomBits(7, 2, 5), 0xf6c18af38ce0faf1ULL);
  // seed * gamma wraps around modulo 2^64.
  EXPECT_EQ(randomBits(~0ULL, 3, 1000), 0xe5c8e51550422b00ULL);
}

TEST(Random, TensorsMatchTheInterpreter) {
  // mirage-opt --mirage-interpret="seed=7 input-scale=3" on
  // (tensor<2x3xf16>, tensor<3x4xf32>, tensor<5xbf16>).
  HostTensor a = randomTensor(DType::F16, {2, 3}, 7, 0, 3.0);
  EXPECT_EQ(bits16(a, 0), 0x417e); // 2.74609
  EXPECT_EQ(bits16(a, 1), 0xb48b); // -0.283936
  EXPECT_EQ(bits16(a, 2), 0xbc74); // -1.11328
  HostTensor b = randomTensor(DType::F32, {3, 4}, 7, 1, 3.0);
  EXPECT_EQ(bits32(b, 0), 0xbfee1c61u);
  EXPECT_EQ(bits32(b, 1), 0x400fa858u);
  EXPECT_EQ(bits32(b, 2), 0xbf8e3a9au);
  HostTensor c = randomTensor(DType::BF16, {5}, 7, 2, 3.0);
  EXPECT_EQ(bits16(c, 0), 0xbfc2); // -1.515625
  EXPECT_EQ(bits16(c, 1), 0x3fb7); // 1.4296875
  EXPECT_EQ(bits16(c, 2), 0xbf08); // -0.53125
}

TEST(Random, ValuesStayInRange) {
  HostTensor t = randomTensor(DType::F32, {1000}, 1, 0, 0.5);
  for (int64_t i = 0; i < t.size(); ++i) {
    EXPECT_GE(t.get(i), -0.5);
    EXPECT_LT(t.get(i), 0.5);
  }
}

TEST(DType, F16RoundsOnceFromDouble) {
  EXPECT_EQ(toF16Bits(1.0), 0x3c00);
  EXPECT_EQ(toF16Bits(-2.0), 0xc000);
  EXPECT_EQ(toF16Bits(65504.0), 0x7bff);
  EXPECT_EQ(toF16Bits(65519.99), 0x7bff);
  EXPECT_EQ(toF16Bits(65520.0), 0x7c00); // the tie rounds to even: inf
  EXPECT_EQ(toF16Bits(std::ldexp(1.0, -24)), 0x0001);
  EXPECT_EQ(toF16Bits(std::ldexp(1.0, -25)), 0x0000); // tie to even
  EXPECT_EQ(toF16Bits(std::ldexp(3.0, -26)), 0x0001);
  EXPECT_EQ(toF16Bits(-0.0), 0x8000);
  EXPECT_EQ(toF16Bits(std::numeric_limits<double>::quiet_NaN()), 0x7e00);
  // Through float this would round twice and land on 1.0.
  EXPECT_EQ(toF16Bits(1 + std::ldexp(1.0, -11) + std::ldexp(1.0, -40)), 0x3c01);
  for (uint32_t b = 0; b < 0x10000; ++b) {
    if ((b & 0x7c00) == 0x7c00 && (b & 0x3ff))
      continue; // NaN payloads are canonicalized
    ASSERT_EQ(toF16Bits(fromF16Bits(static_cast<uint16_t>(b))), b) << b;
  }
}

TEST(DType, BF16RoundsOnceFromDouble) {
  EXPECT_EQ(toBF16Bits(1.0), 0x3f80);
  EXPECT_EQ(toBF16Bits(1 + std::ldexp(1.0, -8)), 0x3f80); // tie to even
  EXPECT_EQ(toBF16Bits(1 + std::ldexp(3.0, -8)), 0x3f82); // tie to even, up
  EXPECT_EQ(toBF16Bits(1 + std::ldexp(1.0, -8) + std::ldexp(1.0, -30)),
            0x3f81); // just above the tie (float would drop the 2^-30)
  EXPECT_EQ(toBF16Bits(1e39), 0x7f80);
  EXPECT_EQ(toBF16Bits(std::numeric_limits<double>::quiet_NaN()), 0x7fc0);
  EXPECT_EQ(fromBF16Bits(0xc040), -3.0);
}

TEST(DType, Names) {
  EXPECT_EQ(parseDType("bf16"), DType::BF16);
  EXPECT_EQ(parseDType("f64"), std::nullopt);
  EXPECT_STREQ(dtypeName(DType::F32), "f32");
  EXPECT_EQ(dtypeSize(DType::BF16), 2u);
}

} // namespace
