//===- EmulatorTest.cpp - Unit tests of the PTX emulator ------------------===//

#include "Mirage/Emulator/Floats.h"

#include "Mirage/Emulator/Emulator.h"
#include "Mirage/Emulator/Ptx.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

using namespace mirage::emu;

namespace {

double fromBits(uint64_t b) {
  double d;
  std::memcpy(&d, &b, 8);
  return d;
}

// The emulator's fast double -> f16 rounding is the project's rounding.
TEST(EmulatorFloats, DoubleToF16MatchesTheProjectsRounding) {
  std::vector<double> special = {0.0,
                                 -0.0,
                                 1.0,
                                 65504.0,
                                 65519.99,
                                 65520.0,
                                 65536.0,
                                 1e30,
                                 std::ldexp(1.0, -24),
                                 std::ldexp(1.0, -25),
                                 std::ldexp(1.0, -25) * 1.0000001,
                                 std::ldexp(1.5, -24),
                                 std::ldexp(1.0, -14),
                                 std::ldexp(1023.5, -24),
                                 1.0 + std::ldexp(1.0, -11),
                                 1.0 + 3 * std::ldexp(1.0, -11),
                                 std::numeric_limits<double>::infinity(),
                                 -std::numeric_limits<double>::infinity(),
                                 std::numeric_limits<double>::quiet_NaN(),
                                 std::numeric_limits<double>::denorm_min()};
  for (double d : special) {
    EXPECT_EQ(doubleToF16(d), doubleToF16Reference(d)) << d;
    EXPECT_EQ(doubleToF16(-d), doubleToF16Reference(-d)) << -d;
  }
  // Every f16 value and the midpoints between neighbours (ties).
  for (uint32_t h = 0; h < 0x7c00; ++h) {
    double v = f16ToFloat(static_cast<uint16_t>(h));
    double next = f16ToFloat(static_cast<uint16_t>(h + 1));
    for (double d : {v, (v + next) / 2, std::nextafter((v + next) / 2, 0.0),
                     std::nextafter((v + next) / 2, 1e9)}) {
      ASSERT_EQ(doubleToF16(d), doubleToF16Reference(d)) << d;
      ASSERT_EQ(doubleToF16(-d), doubleToF16Reference(-d)) << -d;
    }
  }
  std::mt19937_64 rng(7);
  for (int i = 0; i < 1000000; ++i) {
    // Exponents around the f16 range.
    uint64_t bits = (rng() & 0x800fffffffffffffULL) |
                    (static_cast<uint64_t>(1023 - 30 + rng() % 50) << 52);
    double d = fromBits(bits);
    ASSERT_EQ(doubleToF16(d), doubleToF16Reference(d)) << d;
  }
}

TEST(EmulatorFloats, F16ToFloatIsExact) {
  for (uint32_t h = 0; h < 0x10000; ++h) {
    float f = f16ToFloat(static_cast<uint16_t>(h));
    if (std::isnan(f))
      continue;
    EXPECT_EQ(doubleToF16Reference(f), h);
  }
}

// A warp-wide mma.sync on fragments set by hand: every lane's registers
// placed per the PTX ISA's m16n8k16 layouts, the result against a plain
// matrix product.
TEST(Emulator, MmaFragmentLayouts) {
  const char *ptx = R"(
.version 8.0
.target sm_80
.address_size 64
.visible .entry k(.param .u64 k_param_0)
{
  .reg .b32 %r<40>;
  .reg .b64 %rd<8>;
  ld.param.b64 %rd1, [k_param_0];
  cvta.to.global.u64 %rd2, %rd1;
  mov.u32 %r1, %tid.x;
  mul.wide.u32 %rd3, %r1, 64;
  add.s64 %rd4, %rd2, %rd3;
  ld.global.v4.b32 {%r10, %r11, %r12, %r13}, [%rd4];
  ld.global.v2.b32 {%r14, %r15}, [%rd4+16];
  ld.global.v4.b32 {%r16, %r17, %r18, %r19}, [%rd4+32];
  mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 {%r20, %r21, %r22, %r23}, {%r10, %r11, %r12, %r13}, {%r14, %r15}, {%r16, %r17, %r18, %r19};
  st.global.v4.b32 [%rd4+48], {%r20, %r21, %r22, %r23};
  ret;
}
)";
  llvm::Expected<Module> module = parsePtx(ptx, "mma.ptx");
  ASSERT_TRUE(static_cast<bool>(module)) << llvm::toString(module.takeError());
  Emulator emu(*module);
  uint64_t base = emu.allocate("lanes", 32 * 64, 0);
  std::vector<uint8_t> &mem = emu.buffer(base);
  float a[16][16], b[16][8], c[16][8];
  std::mt19937 rng(3);
  auto small = [&] { return static_cast<float>(int(rng() % 9) - 4) / 4; };
  for (auto &row : a)
    for (float &x : row)
      x = small();
  for (auto &row : b)
    for (float &x : row)
      x = small();
  for (auto &row : c)
    for (float &x : row)
      x = small();
  auto put16 = [&](size_t off, float v) {
    uint16_t h = doubleToF16(v);
    std::memcpy(&mem[off], &h, 2);
  };
  auto put32 = [&](size_t off, float v) { std::memcpy(&mem[off], &v, 4); };
  for (unsigned lane = 0; lane < 32; ++lane) {
    unsigned g = lane / 4, t = lane % 4;
    size_t o = lane * 64;
    for (unsigned i = 0; i < 4; ++i)
      for (unsigned h = 0; h < 2; ++h)
        put16(o + 4 * i + 2 * h, a[g + 8 * (i % 2)][2 * t + h + 8 * (i / 2)]);
    for (unsigned i = 0; i < 2; ++i)
      for (unsigned h = 0; h < 2; ++h)
        put16(o + 16 + 4 * i + 2 * h, b[2 * t + h + 8 * i][g]);
    for (unsigned i = 0; i < 4; ++i)
      put32(o + 32 + 4 * i, c[g + 8 * (i / 2)][2 * t + i % 2]);
  }
  Launch launch;
  launch.kernel = &module->kernels[0];
  launch.block = {32, 1, 1};
  launch.params = {base};
  bool ran = emu.run(launch);
  for (const Finding &f : emu.findings())
    ADD_FAILURE() << f.message;
  ASSERT_TRUE(ran);
  for (unsigned lane = 0; lane < 32; ++lane) {
    unsigned g = lane / 4, t = lane % 4;
    for (unsigned i = 0; i < 4; ++i) {
      unsigned row = g + 8 * (i / 2), col = 2 * t + i % 2;
      float want = c[row][col];
      for (unsigned k = 0; k < 16; ++k)
        want += a[row][k] * b[k][col];
      float got;
      std::memcpy(&got, &mem[lane * 64 + 48 + 4 * i], 4);
      EXPECT_EQ(got, want) << "row " << row << " col " << col;
    }
  }
}

} // namespace
