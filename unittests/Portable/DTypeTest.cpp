//===- DTypeTest.cpp - Element types, names and sizes ---------------------===//

#include "Mirage/Portable/DType.h"

#include "gtest/gtest.h"

using namespace mirage::portable;

namespace {

TEST(DType, NamesRoundTrip) {
  EXPECT_STREQ(dtypeName(DType::F16), "f16");
  EXPECT_STREQ(dtypeName(DType::BF16), "bf16");
  EXPECT_STREQ(dtypeName(DType::F32), "f32");
  for (DType dtype : kAllDTypes)
    EXPECT_EQ(parseDType(dtypeName(dtype)), dtype);
  EXPECT_EQ(parseDType("f64"), std::nullopt);
  EXPECT_EQ(parseDType("F16"), std::nullopt);
  EXPECT_EQ(parseDType(""), std::nullopt);
}

TEST(DType, Bytes) {
  EXPECT_EQ(dtypeBytes(DType::F16), 2u);
  EXPECT_EQ(dtypeBytes(DType::BF16), 2u);
  EXPECT_EQ(dtypeBytes(DType::F32), 4u);
}

TEST(DType, CodesAreStable) {
  // The runtime's C API and Python wrapper pass these numbers.
  EXPECT_EQ(static_cast<int>(DType::F16), 0);
  EXPECT_EQ(static_cast<int>(DType::BF16), 1);
  EXPECT_EQ(static_cast<int>(DType::F32), 2);
}

} // namespace
