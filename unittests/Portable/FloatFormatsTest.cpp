//===- FloatFormatsTest.cpp - Rounding to f16, bf16 and f32 ---------------===//
//
// Round-to-nearest-even straight from double, overflow to infinity, gradual
// underflow, NaN; the bit patterns and their values.
//
//===----------------------------------------------------------------------===//

#include "Mirage/Portable/FloatFormats.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstring>
#include <limits>

using namespace mirage::portable;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

TEST(FloatFormats, F16TiesToEven) {
  EXPECT_EQ(roundToF16(1.0), 1.0);
  // 1 + 2^-11 is halfway between 1 and 1 + 2^-10: ties to even -> 1.
  EXPECT_EQ(roundToF16(1.0 + 0x1p-11), 1.0);
  // 1 + 3 * 2^-11 is halfway between 1 + 2^-10 and 1 + 2^-9: -> 1 + 2^-9.
  EXPECT_EQ(roundToF16(1.0 + 3 * 0x1p-11), 1.0 + 0x1p-9);
  EXPECT_EQ(roundToF16(-1.0 - 0x1p-11), -1.0);
  // Just above the tie rounds up; through float the 2^-40 would be lost
  // (double rounding) and the tie would go down to 1.
  EXPECT_EQ(roundToF16(1.0 + 0x1p-11 + 0x1p-40), 1.0 + 0x1p-10);
  EXPECT_EQ(toF16Bits(1.0 + 0x1p-11 + 0x1p-40), 0x3c01);
}

TEST(FloatFormats, F16OverflowsToInfinity) {
  EXPECT_EQ(roundToF16(65504.0), 65504.0);
  EXPECT_EQ(roundToF16(65519.0), 65504.0);
  EXPECT_EQ(roundToF16(65519.99), 65504.0);
  // 65520 is the tie between 65504 and 2^16 (odd mantissa): to even, inf.
  EXPECT_EQ(roundToF16(65520.0), kInf);
  EXPECT_EQ(roundToF16(-65520.0), -kInf);
  EXPECT_EQ(roundToF16(1e300), kInf);
  EXPECT_EQ(toF16Bits(65520.0), 0x7c00);
  EXPECT_EQ(toF16Bits(-1e300), 0xfc00);
}

TEST(FloatFormats, F16Subnormals) {
  EXPECT_EQ(roundToF16(0x1p-24), 0x1p-24); // the smallest subnormal
  EXPECT_EQ(roundToF16(0x1p-25), 0.0);     // tie between 0 and 2^-24: 0
  EXPECT_EQ(roundToF16(0x1.8p-25), 0x1p-24);
  EXPECT_EQ(roundToF16(0x1.8p-24), 0x1p-23);         // tie 1.5 quanta: to 2
  EXPECT_EQ(roundToF16(0x1p-14 - 0x1p-25), 0x1p-14); // up to the smallest
                                                     // normal
  EXPECT_TRUE(std::signbit(roundToF16(-0x1p-26)));   // underflow keeps the sign
  EXPECT_EQ(toF16Bits(0x1p-24), 0x0001);
  EXPECT_EQ(toF16Bits(0x3ffp-24), 0x03ff); // the largest subnormal
  EXPECT_EQ(toF16Bits(0x1p-14), 0x0400);   // the smallest normal
  EXPECT_EQ(toF16Bits(0x1p-25), 0x0000);
  EXPECT_EQ(toF16Bits(0x3p-26), 0x0001);
  EXPECT_EQ(toF16Bits(-0.0), 0x8000);
}

TEST(FloatFormats, F16SpecialValues) {
  EXPECT_TRUE(std::isnan(roundToF16(kNaN)));
  EXPECT_EQ(roundToF16(kInf), kInf);
  EXPECT_EQ(toF16Bits(kNaN), kF16QuietNaN);
  EXPECT_EQ(toF16Bits(-kNaN), kF16QuietNaN);
  EXPECT_EQ(toF16Bits(kInf), 0x7c00);
  EXPECT_EQ(toF16Bits(-kInf), 0xfc00);
  EXPECT_EQ(fromF16Bits(0x7c00), kInf);
  EXPECT_EQ(fromF16Bits(0xfc00), -kInf);
  EXPECT_TRUE(std::isnan(fromF16Bits(0x7c01)));
  EXPECT_TRUE(std::isnan(fromF16Bits(0xfe00)));
}

TEST(FloatFormats, F16BitsRoundTrip) {
  EXPECT_EQ(toF16Bits(1.0), 0x3c00);
  EXPECT_EQ(toF16Bits(-2.0), 0xc000);
  EXPECT_EQ(toF16Bits(65504.0), 0x7bff);
  for (uint32_t b = 0; b < 0x10000; ++b) {
    auto bits = static_cast<uint16_t>(b);
    double v = fromF16Bits(bits);
    if (std::isnan(v))
      continue; // NaN payloads are canonicalized
    ASSERT_EQ(toF16Bits(v), bits) << b;
    ASSERT_EQ(roundToF16(v), v) << b;
    // The fast path of exact values agrees with the rounding one.
    ASSERT_EQ(exactF16Bits(static_cast<float>(v)), bits) << b;
  }
  for (double v : {0.1, -3.75, 1e-5, 60000.0, 1.0 / 3.0})
    EXPECT_EQ(fromF16Bits(toF16Bits(v)), roundToF16(v));
}

TEST(FloatFormats, BF16TiesToEven) {
  EXPECT_EQ(roundToBF16(1.0 + 0x1p-8), 1.0);
  EXPECT_EQ(roundToBF16(1.0 + 3 * 0x1p-8), 1.0 + 0x1p-6);
  EXPECT_EQ(roundToBF16(3.0), 3.0);
  EXPECT_EQ(toBF16Bits(1.0), 0x3f80);
  EXPECT_EQ(toBF16Bits(1 + 0x1p-8), 0x3f80);
  EXPECT_EQ(toBF16Bits(1 + 0x3p-8), 0x3f82);
  // Just above the tie: float would drop the 2^-30 and round to even.
  EXPECT_EQ(toBF16Bits(1 + 0x1p-8 + 0x1p-30), 0x3f81);
}

TEST(FloatFormats, BF16OverflowSubnormalsAndSpecials) {
  EXPECT_EQ(roundToBF16(0x1.fep127), 0x1.fep127); // the largest finite
  EXPECT_EQ(roundToBF16(0x1.ffp127), kInf);       // the tie: to even, inf
  EXPECT_EQ(roundToBF16(0x1.fefp127), 0x1.fep127);
  EXPECT_EQ(toBF16Bits(1e39), 0x7f80);
  EXPECT_EQ(toBF16Bits(-1e39), 0xff80);
  EXPECT_EQ(roundToBF16(0x1p-133), 0x1p-133);   // the smallest subnormal
  EXPECT_EQ(roundToBF16(0x1p-134), 0.0);        // tie: to even, 0
  EXPECT_EQ(roundToBF16(0x1.8p-133), 0x1p-132); // tie: to even, up
  EXPECT_EQ(toBF16Bits(0x1p-133), 0x0001);
  EXPECT_EQ(toBF16Bits(kNaN), kBF16QuietNaN);
  EXPECT_EQ(fromBF16Bits(0xc040), -3.0);
  EXPECT_EQ(fromBF16Bits(0x7f80), kInf);
  EXPECT_TRUE(std::isnan(fromBF16Bits(0x7fc1)));
  for (uint32_t b = 0; b < 0x10000; ++b) {
    auto bits = static_cast<uint16_t>(b);
    double v = fromBF16Bits(bits);
    if (std::isnan(v))
      continue;
    ASSERT_EQ(toBF16Bits(v), bits) << b;
  }
}

TEST(FloatFormats, F32IsFloat) {
  EXPECT_EQ(roundToDType(1.0 + 0x1p-24, DType::F32), 1.0); // tie to even
  EXPECT_EQ(roundToDType(1.0 + 0x1p-24 + 0x1p-50, DType::F32), 1.0 + 0x1p-23);
  EXPECT_EQ(roundToDType(0x1.ffffffp127, DType::F32), kInf);
  EXPECT_EQ(roundToDType(0x1p-149, DType::F32), 0x1p-149);
  EXPECT_EQ(roundToDType(0x1p-150, DType::F32), 0.0);
  EXPECT_TRUE(std::isnan(roundToDType(kNaN, DType::F32)));
}

TEST(FloatFormats, RoundToDTypeDispatches) {
  double v = 1.0 / 3.0;
  EXPECT_EQ(roundToDType(v, DType::F16), roundToF16(v));
  EXPECT_EQ(roundToDType(v, DType::BF16), roundToBF16(v));
  EXPECT_EQ(roundToDType(v, DType::F32),
            static_cast<double>(static_cast<float>(v)));
}

TEST(FloatFormats, ExactF16BitsKeepsNaNSignAndInfinity) {
  EXPECT_EQ(exactF16Bits(std::numeric_limits<float>::infinity()), 0x7c00);
  EXPECT_EQ(exactF16Bits(-std::numeric_limits<float>::quiet_NaN()), 0xfe00);
  EXPECT_EQ(exactF16Bits(-0.0f), 0x8000);
}

} // namespace
