//===- SpecialValuesTest.cpp - The float domain on special values ---------===//
//
// The rules of docs/Semantics.md, "Special values", element by element: the
// float domain's maximum and minimum propagate NaN and order -0 below +0
// (arith.maximumf/minimumf, torch.maximum), relu and clamp are built on them,
// the order of max and running_max keeps a NaN once seen, and sums are kept
// in the f32 range. test/Conversion/special-values.test checks the same
// against the generated code.
//
//===----------------------------------------------------------------------===//

#include "Domains.h"

#include "gtest/gtest.h"

#include <cmath>
#include <limits>

using namespace mirage;
using mirage::detail::FloatDomain;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
const double kNaN = std::numeric_limits<double>::quiet_NaN();

bool isPositiveZero(double v) { return v == 0 && !std::signbit(v); }
bool isNegativeZero(double v) { return v == 0 && std::signbit(v); }

double unary(OpKind kind, double x, double a = 0, double b = 0) {
  OpNode node = makeOpNode(kind);
  node.scalarA = a;
  node.scalarB = b;
  FloatDomain dom;
  double y = 0;
  dom.unary(node, &x, &y);
  return y;
}

TEST(SpecialValues, MaximumAndMinimumPropagateNaN) {
  EXPECT_TRUE(std::isnan(FloatDomain::maximum(kNaN, 1)));
  EXPECT_TRUE(std::isnan(FloatDomain::maximum(-kInf, kNaN)));
  EXPECT_TRUE(std::isnan(FloatDomain::minimum(kNaN, kInf)));
  EXPECT_TRUE(std::isnan(FloatDomain::minimum(0, kNaN)));
  EXPECT_EQ(FloatDomain::maximum(-kInf, 3), 3);
  EXPECT_EQ(FloatDomain::minimum(kInf, 3), 3);
  // -0 < +0, in either order.
  EXPECT_TRUE(isPositiveZero(FloatDomain::maximum(-0.0, 0.0)));
  EXPECT_TRUE(isPositiveZero(FloatDomain::maximum(0.0, -0.0)));
  EXPECT_TRUE(isNegativeZero(FloatDomain::minimum(-0.0, 0.0)));
  EXPECT_TRUE(isNegativeZero(FloatDomain::minimum(0.0, -0.0)));
}

TEST(SpecialValues, ReluAndClampAreMaximumAndMinimum) {
  EXPECT_TRUE(std::isnan(unary(OpKind::Relu, kNaN)));
  EXPECT_TRUE(isPositiveZero(unary(OpKind::Relu, -0.0)));
  EXPECT_TRUE(isPositiveZero(unary(OpKind::Relu, -kInf)));
  EXPECT_EQ(unary(OpKind::Relu, kInf), kInf);
  EXPECT_EQ(unary(OpKind::Relu, 0x1p-149), 0x1p-149); // a subnormal stays
  EXPECT_TRUE(std::isnan(unary(OpKind::Clamp, kNaN, -1, 1)));
  EXPECT_EQ(unary(OpKind::Clamp, kInf, -1, 0.5), 0.5);
  EXPECT_EQ(unary(OpKind::Clamp, -kInf, -1, 0.5), -1);
}

TEST(SpecialValues, RunningMaximumKeepsNaN) {
  // greater(a, b): whether a replaces the running maximum b.
  auto greater = [](double a, double b) {
    return FloatDomain::greater(&a, &b);
  };
  EXPECT_TRUE(greater(kNaN, 1));     // a NaN enters,
  EXPECT_FALSE(greater(kInf, kNaN)); // and stays;
  EXPECT_FALSE(greater(kNaN, kNaN));
  EXPECT_TRUE(greater(0.0, -0.0)); // +0 replaces -0,
  EXPECT_FALSE(greater(-0.0, 0.0));
  EXPECT_FALSE(greater(1, 1)); // equal values do not.
  EXPECT_TRUE(greater(-1, -kInf));
}

TEST(SpecialValues, SumsStayInTheF32Range) {
  double fltMax = std::numeric_limits<float>::max();
  EXPECT_EQ(FloatDomain::sumInF32Range(fltMax), fltMax);
  // Below FLT_MAX + half an ulp (2^103) the sum rounds to FLT_MAX; from
  // there it rounds to infinity.
  EXPECT_EQ(FloatDomain::sumInF32Range(fltMax + 0x1p102), fltMax + 0x1p102);
  EXPECT_EQ(FloatDomain::sumInF32Range(fltMax + 0x1p103), kInf);
  EXPECT_EQ(FloatDomain::sumInF32Range(-2 * fltMax), -kInf);
  EXPECT_TRUE(std::isnan(FloatDomain::sumInF32Range(kNaN)));
  // The mean of 64 values whose sum overflows f32 is infinite, and an
  // rms_norm row whose squares overflow is scaled by 0, as in f32 code.
  EXPECT_EQ(FloatDomain::divCount(2 * fltMax, 64, 0), kInf);
  FloatDomain dom;
  double overflowing = 2 * fltMax * 1e10, finite = fltMax, factor = -1;
  dom.rmsFactors(&overflowing, 64, 1e-6, &factor);
  EXPECT_EQ(factor, 0);
  dom.rmsFactors(&finite, 64, 1e-6, &factor);
  EXPECT_GT(factor, 0);
}

TEST(SpecialValues, NegSigmoidErfAndCast) {
  // neg flips the sign of zeros and infinities and keeps NaN.
  EXPECT_TRUE(isNegativeZero(unary(OpKind::Neg, 0.0)));
  EXPECT_TRUE(isPositiveZero(unary(OpKind::Neg, -0.0)));
  EXPECT_EQ(unary(OpKind::Neg, kInf), -kInf);
  EXPECT_EQ(unary(OpKind::Neg, -0x1p-149), 0x1p-149);
  EXPECT_TRUE(std::isnan(unary(OpKind::Neg, kNaN)));
  // sigmoid reaches its limits at the infinities (exp(+Inf) = +Inf gives
  // +0, not NaN), is 1/2 at both zeros and keeps NaN.
  EXPECT_TRUE(isPositiveZero(unary(OpKind::Sigmoid, -kInf)));
  EXPECT_EQ(unary(OpKind::Sigmoid, kInf), 1);
  EXPECT_EQ(unary(OpKind::Sigmoid, -0.0), 0.5);
  EXPECT_EQ(unary(OpKind::Sigmoid, 0x1p-149), 0.5);
  EXPECT_TRUE(std::isnan(unary(OpKind::Sigmoid, kNaN)));
  // erf is odd: -0 stays -0, the infinities give +-1.
  EXPECT_TRUE(isNegativeZero(unary(OpKind::Erf, -0.0)));
  EXPECT_EQ(unary(OpKind::Erf, kInf), 1);
  EXPECT_EQ(unary(OpKind::Erf, -kInf), -1);
  EXPECT_TRUE(std::isnan(unary(OpKind::Erf, kNaN)));
  // cast computes the identity; the engine's rounding to the result type
  // (FloatDomain::finish) is the conversion: f32's largest finite value
  // overflows f16 and bf16 rounds it to the nearest even.
  EXPECT_TRUE(isNegativeZero(unary(OpKind::Cast, -0.0)));
  EXPECT_TRUE(std::isnan(unary(OpKind::Cast, kNaN)));
  double fltMax = std::numeric_limits<float>::max();
  EXPECT_EQ(FloatDomain::finish(unary(OpKind::Cast, fltMax), 0, DType::F16),
            std::numeric_limits<float>::infinity());
  EXPECT_EQ(FloatDomain::finish(unary(OpKind::Cast, -0x1p-149), 0, DType::F16),
            0.0f);
  EXPECT_TRUE(std::signbit(
      FloatDomain::finish(unary(OpKind::Cast, -0x1p-149), 0, DType::F16)));
  EXPECT_EQ(FloatDomain::finish(unary(OpKind::Cast, 0x1p-24), 0, DType::F16),
            0x1p-24f); // f16's smallest subnormal
  EXPECT_EQ(
      FloatDomain::finish(unary(OpKind::Cast, 1.0 + 0x1p-8), 0, DType::BF16),
      1.0f); // a tie goes to the even neighbour
}

} // namespace
