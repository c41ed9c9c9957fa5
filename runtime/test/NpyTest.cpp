//===- NpyTest.cpp - The .npy reader and writer ---------------------------===//

#include "MirageRuntime/Npy.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstring>

using namespace mirage::rt;

namespace {

/// np.save(np.array([[1.5, -2, 0.099975586], [65504, -0.0, 6e-8]],
/// dtype='<f2')) by NumPy 1.24, byte for byte.
const char kNumpyF16[] =
    "\x93\x4e\x55\x4d\x50\x59\x01\x00\x76\x00\x7b\x27\x64\x65\x73\x63\x72\x27"
    "\x3a\x20\x27\x3c\x66\x32\x27\x2c\x20\x27\x66\x6f\x72\x74\x72\x61\x6e\x5f"
    "\x6f\x72\x64\x65\x72\x27\x3a\x20\x46\x61\x6c\x73\x65\x2c\x20\x27\x73\x68"
    "\x61\x70\x65\x27\x3a\x20\x28\x32\x2c\x20\x33\x29\x2c\x20\x7d\x20\x20\x20"
    "\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20"
    "\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20"
    "\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20\x20"
    "\x20\x0a\x00\x3e\x00\xc0\x66\x2e\xff\x7b\x00\x80\x01\x00";

/// A version 1.0 file with `header` (a dict literal) and raw `data`.
std::string npyFile(const std::string &header, const std::string &data) {
  std::string h = header;
  while ((10 + h.size() + 1) % 64)
    h += ' ';
  h += '\n';
  std::string out = "\x93NUMPY\x01";
  out += '\0';
  out += static_cast<char>(h.size() & 0xff);
  out += static_cast<char>(h.size() >> 8);
  return out + h + data;
}

template <typename T> std::string raw(std::initializer_list<T> values) {
  std::string out;
  for (T v : values)
    out.append(reinterpret_cast<const char *>(&v), sizeof(T));
  return out;
}

std::string readError(const std::string &bytes, DType dtype) {
  Expected<HostTensor> t = parseNpy(bytes, dtype, "x.npy");
  return t ? std::string() : t.message();
}

TEST(Npy, ReadsNumpyOutput) {
  Expected<HostTensor> t =
      parseNpy(std::string(kNumpyF16, sizeof(kNumpyF16) - 1), DType::F16, "a");
  ASSERT_TRUE(static_cast<bool>(t)) << t.message();
  EXPECT_EQ(t->getShape(), (Shape{2, 3}));
  EXPECT_EQ(t->get(0), 1.5);
  EXPECT_EQ(t->get(1), -2.0);
  EXPECT_EQ(t->get(2), 0.0999755859375);
  EXPECT_EQ(t->get(3), 65504.0);
  EXPECT_TRUE(std::signbit(t->get(4)));
  EXPECT_EQ(t->get(5), std::ldexp(1.0, -24));
}

TEST(Npy, RoundTripsEveryDType) {
  for (DType dtype : {DType::F16, DType::BF16, DType::F32}) {
    HostTensor t(dtype, {3, 1, 2});
    for (int64_t i = 0; i < t.size(); ++i)
      t.set(i, 0.3 * static_cast<double>(i) - 0.7);
    Expected<HostTensor> back = parseNpy(formatNpy(t), dtype, "t");
    ASSERT_TRUE(static_cast<bool>(back)) << back.message();
    EXPECT_EQ(back->getShape(), t.getShape());
    ASSERT_EQ(back->byteSize(), t.byteSize());
    EXPECT_EQ(std::memcmp(back->data(), t.data(), t.byteSize()), 0)
        << dtypeName(dtype);
  }
}

TEST(Npy, WritesTheInterpretersFormat) {
  // f16 as '<f2'; bf16 and f32 as '<f4' (bf16 values exactly); the data
  // starts at a multiple of 64 bytes; shapes print as Python tuples.
  HostTensor h(DType::F16, {2, 3});
  std::string f16 = formatNpy(h);
  EXPECT_EQ(f16.substr(10, 59), "{'descr': '<f2', 'fortran_order': False, "
                                "'shape': (2, 3), }");
  EXPECT_EQ((f16.size() - 12) % 64, 0u);
  HostTensor b(DType::BF16, {5});
  b.set(0, 1.0 / 3.0);
  std::string bf16 = formatNpy(b);
  EXPECT_NE(bf16.find("'descr': '<f4'"), std::string::npos);
  EXPECT_NE(bf16.find("'shape': (5,)"), std::string::npos);
  float first;
  std::memcpy(&first, bf16.data() + bf16.size() - 20, 4);
  EXPECT_EQ(first, 0.333984375f); // 1/3 rounded to bf16
  HostTensor s(DType::F32, {});
  EXPECT_NE(formatNpy(s).find("'shape': ()"), std::string::npos);
}

TEST(Npy, ConvertsAndRoundsOtherElementTypes) {
  // A '<f8' file read as f16: 1 + 2^-11 + 2^-40 rounds up once from
  // double (through float it would tie and round to even, down to 1).
  std::string file = npyFile(
      "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }",
      raw<double>({1 + std::ldexp(1.0, -11) + std::ldexp(1.0, -40), 0.5}));
  Expected<HostTensor> t = parseNpy(file, DType::F16, "x");
  ASSERT_TRUE(static_cast<bool>(t)) << t.message();
  EXPECT_EQ(t->get(0), 1 + std::ldexp(1.0, -10));
  // '<f2' read as f32 widens exactly.
  t = parseNpy(std::string(kNumpyF16, sizeof(kNumpyF16) - 1), DType::F32, "a");
  ASSERT_TRUE(static_cast<bool>(t));
  EXPECT_EQ(t->get(2), 0.0999755859375);
}

TEST(Npy, ReadsBF16BitsFromU2) {
  std::string file =
      npyFile("{'descr': '<u2', 'fortran_order': False, 'shape': (2,), }",
              raw<uint16_t>({0x3f80, 0xc040}));
  Expected<HostTensor> t = parseNpy(file, DType::BF16, "x");
  ASSERT_TRUE(static_cast<bool>(t)) << t.message();
  EXPECT_EQ(t->get(0), 1.0);
  EXPECT_EQ(t->get(1), -3.0);
  EXPECT_EQ(readError(file, DType::F16),
            "x.npy: element type '<u2' holds raw bf16 bits and is only read "
            "into bf16 tensors, not f16");
}

TEST(Npy, ReadsVersion2Headers) {
  std::string file =
      npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }",
              raw<float>({1.0f, 2.5f, -3.25f}));
  // Rewrite as version 2.0: a 4-byte header length.
  std::string header = file.substr(10, file.size() - 10 - 12);
  std::string v2 = "\x93NUMPY\x02";
  v2 += '\0';
  v2 += raw<uint32_t>({static_cast<uint32_t>(header.size())});
  v2 += header + raw<float>({1.0f, 2.5f, -3.25f});
  Expected<HostTensor> t = parseNpy(v2, DType::F32, "x");
  ASSERT_TRUE(static_cast<bool>(t)) << t.message();
  EXPECT_EQ(t->get(2), -3.25);
}

TEST(Npy, RejectsWhatItCannotRead) {
  std::string data = raw<float>({1, 2});
  EXPECT_EQ(readError("PK\x03\x04 not npy", DType::F32),
            "x.npy: not a .npy file (bad magic)");
  EXPECT_EQ(readError(npyFile("{'descr': '<f4', 'fortran_order': True, "
                              "'shape': (2,), }",
                              data),
                      DType::F32),
            "x.npy: Fortran-order arrays are not supported (save a C-order "
            "array: np.ascontiguousarray)");
  EXPECT_EQ(readError(npyFile("{'descr': '>f4', 'fortran_order': False, "
                              "'shape': (2,), }",
                              data),
                      DType::F32),
            "x.npy: big-endian data ('>f4') is not supported");
  EXPECT_EQ(readError(npyFile("{'descr': '<i4', 'fortran_order': False, "
                              "'shape': (2,), }",
                              data),
                      DType::F32),
            "x.npy: element type '<i4' is not supported (<f2, <f4, <f8; <u2 "
            "or <i2 for bf16 bits)");
  EXPECT_EQ(readError(npyFile("{'descr': '<f4', 'fortran_order': False, "
                              "'shape': (3,), }",
                              data),
                      DType::F32),
            "x.npy: truncated data: shape [3] needs 12 bytes, the file holds "
            "8");
  EXPECT_EQ(
      readError(npyFile("{'descr': '<f4', 'shape': (2,), }", data), DType::F32),
      "x.npy: header has no 'fortran_order'");
  EXPECT_EQ(readError(npyFile("{'descr': '<f4', 'fortran_order': False, "
                              "'shape': (2,) ",
                              data),
                      DType::F32),
            "x.npy: expected ',' or '}' in the header");
}

TEST(Npy, FileErrorsNameThePath) {
  Expected<HostTensor> t = readNpy("/nonexistent/dir/x.npy", DType::F16);
  ASSERT_FALSE(static_cast<bool>(t));
  EXPECT_EQ(t.message(),
            "/nonexistent/dir/x.npy: cannot read: No such file or directory");
}

} // namespace
