//===- RandomTest.cpp - The interpreter's inputs as host tensors ---------===//
//
// The expected values were computed from the formula of docs/Semantics.md
// ("Inputs") by an independent Python implementation, and agree with the
// inputs `mirage-opt --mirage-interpret` uses (test/Runtime/ compares the
// two file for file). The generator itself and the rounding are tested in
// unittests/Portable.
//
//===----------------------------------------------------------------------===//

#include "MirageRuntime/Random.h"

#include "gtest/gtest.h"

#include <cstring>

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

} // namespace
