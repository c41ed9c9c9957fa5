//===- NpyTest.cpp - The .npy codec ---------------------------------------===//

#include "Mirage/Portable/Npy.h"

#include "gtest/gtest.h"

#include <cmath>
#include <cstring>

using namespace mirage::portable;

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

std::string numpyF16() { return std::string(kNumpyF16, sizeof(kNumpyF16) - 1); }

/// A file of format version `major` with `header` (a dict literal) and raw
/// `data`.
std::string npyFile(const std::string &header, const std::string &data,
                    int major = 1) {
  size_t prefix = major == 1 ? 10 : 12;
  std::string h = header;
  while ((prefix + h.size() + 1) % 64)
    h += ' ';
  h += '\n';
  std::string out = "\x93NUMPY";
  out += static_cast<char>(major);
  out += '\0';
  for (size_t i = 0; i < prefix - 8; ++i)
    out += static_cast<char>((h.size() >> (8 * i)) & 0xff);
  return out + h + data;
}

template <typename T> std::string raw(std::initializer_list<T> values) {
  std::string out;
  for (T v : values)
    out.append(reinterpret_cast<const char *>(&v), sizeof(T));
  return out;
}

const std::string kF4Header =
    "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }";

std::string parseError(const std::string &bytes, DType dtype = DType::F32,
                       size_t maxRank = SIZE_MAX) {
  NpyArray array;
  std::string error;
  if (parseNpy(bytes, dtype, array, error, maxRank))
    return "(parsed)";
  return error;
}

TEST(Npy, ReadsNumpyOutput) {
  std::string bytes = numpyF16();
  NpyArray a;
  std::string error;
  ASSERT_TRUE(parseNpy(bytes, DType::F16, a, error)) << error;
  EXPECT_EQ(a.element, NpyElement::F16);
  EXPECT_EQ(a.descr, "<f2");
  EXPECT_EQ(a.shape, (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(a.numElements, 6);
  EXPECT_EQ(a.value(0), 1.5);
  EXPECT_EQ(a.value(1), -2.0);
  EXPECT_EQ(a.value(2), 0.0999755859375);
  EXPECT_EQ(a.value(3), 65504.0);
  EXPECT_TRUE(std::signbit(a.value(4)));
  EXPECT_EQ(a.value(5), std::ldexp(1.0, -24));
  EXPECT_EQ(a.bits16(3), 0x7bff);
}

TEST(Npy, WritesWhatNumpyWrites) {
  // The header of the NumPy file above, byte for byte.
  std::string bytes = numpyF16();
  std::string header = formatNpyHeader(NpyElement::F16, {2, 3});
  EXPECT_EQ(header, bytes.substr(0, bytes.size() - 12));
  for (double v : {1.5, -2.0, 0.099975586, 65504.0, -0.0, 6e-8})
    appendNpyValue(header, NpyElement::F16, v);
  EXPECT_EQ(header, bytes);
  // Tuples as Python prints them: "(5,)", "()".
  EXPECT_NE(formatNpyHeader(NpyElement::F32, {5}).find("'shape': (5,), }"),
            std::string::npos);
  EXPECT_NE(formatNpyHeader(NpyElement::F32, {}).find("'shape': (), }"),
            std::string::npos);
  EXPECT_EQ(formatNpyHeader(NpyElement::F32, {7, 1, 2}).size() % 64, 0u);
}

TEST(Npy, DTypesAreWrittenAsNumpyTypes) {
  EXPECT_EQ(npyElementFor(DType::F16), NpyElement::F16);
  // NumPy has no bfloat16: bf16 travels as float32, exactly.
  EXPECT_EQ(npyElementFor(DType::BF16), NpyElement::F32);
  EXPECT_EQ(npyElementFor(DType::F32), NpyElement::F32);
  EXPECT_EQ(npyElementBytes(NpyElement::F64), 8u);
}

TEST(Npy, RoundTripsEveryElement) {
  for (NpyElement element :
       {NpyElement::F16, NpyElement::F32, NpyElement::F64}) {
    std::string bytes = formatNpyHeader(element, {3, 1, 2});
    for (int i = 0; i < 6; ++i)
      appendNpyValue(bytes, element, 0.25 * i - 0.5);
    NpyArray a;
    std::string error;
    ASSERT_TRUE(parseNpy(bytes, DType::F32, a, error)) << error;
    EXPECT_EQ(a.element, element);
    EXPECT_EQ(a.shape, (std::vector<int64_t>{3, 1, 2}));
    for (int i = 0; i < 6; ++i)
      EXPECT_EQ(a.value(i), 0.25 * i - 0.5);
  }
}

TEST(Npy, ReadsVersions2And3) {
  std::string data = raw<float>({1.0f, 2.5f});
  for (int major : {1, 2, 3}) {
    NpyArray a;
    std::string error;
    std::string bytes = npyFile(kF4Header, data, major);
    ASSERT_TRUE(parseNpy(bytes, DType::F32, a, error)) << major << error;
    EXPECT_EQ(a.value(1), 2.5);
  }
  EXPECT_EQ(parseError(npyFile(kF4Header, data, 4)),
            "unsupported .npy format version 4");
}

TEST(Npy, WritesVersion2ForLongHeaders) {
  std::vector<int64_t> shape(30000, 1);
  std::string bytes = formatNpyHeader(NpyElement::F32, shape);
  EXPECT_EQ(bytes[6], 2);
  EXPECT_EQ(bytes.size() % 64, 0u);
  appendNpyValue(bytes, NpyElement::F32, -3.0);
  NpyArray a;
  std::string error;
  ASSERT_TRUE(parseNpy(bytes, DType::F32, a, error)) << error;
  EXPECT_EQ(a.shape, shape);
  EXPECT_EQ(a.value(0), -3.0);
}

TEST(Npy, ReadsBF16Bits) {
  for (const char *descr : {"<u2", "<i2"}) {
    std::string bytes = npyFile(std::string("{'descr': '") + descr +
                                    "', 'fortran_order': False, "
                                    "'shape': (2,), }",
                                raw<uint16_t>({0x3f80, 0xc040}));
    NpyArray a;
    std::string error;
    ASSERT_TRUE(parseNpy(bytes, DType::BF16, a, error)) << error;
    EXPECT_EQ(a.element, NpyElement::BF16Bits);
    EXPECT_EQ(a.value(0), 1.0);
    EXPECT_EQ(a.value(1), -3.0);
    EXPECT_EQ(a.bits16(1), 0xc040);
    EXPECT_EQ(parseError(bytes, DType::F16),
              std::string("element type '") + descr +
                  "' holds raw bf16 bits and is only read into bf16 "
                  "tensors, not f16");
  }
}

TEST(Npy, RejectsFortranOrderAndOtherLayouts) {
  std::string data = raw<float>({1, 2});
  EXPECT_EQ(parseError(npyFile("{'descr': '<f4', 'fortran_order': True, "
                               "'shape': (2,), }",
                               data)),
            "Fortran-order arrays are not supported (save a C-order array: "
            "np.ascontiguousarray)");
  EXPECT_EQ(parseError(npyFile("{'descr': '>f4', 'fortran_order': False, "
                               "'shape': (2,), }",
                               data)),
            "big-endian data ('>f4') is not supported");
  EXPECT_EQ(parseError(npyFile("{'descr': '<i4', 'fortran_order': False, "
                               "'shape': (2,), }",
                               data)),
            "element type '<i4' is not supported (<f2, <f4, <f8; <u2 or <i2 "
            "for bf16 bits)");
}

TEST(Npy, RejectsTruncatedFiles) {
  std::string file = npyFile(kF4Header, raw<float>({1, 2}));
  EXPECT_EQ(parseError(""), "not a .npy file (bad magic)");
  EXPECT_EQ(parseError("PK\x03\x04 not npy"), "not a .npy file (bad magic)");
  EXPECT_EQ(parseError(file.substr(0, 9)), "not a .npy file (bad magic)");
  // Cut inside the header, or inside the 4-byte length of version 2.
  EXPECT_EQ(parseError(file.substr(0, 40)), "truncated header");
  EXPECT_EQ(parseError(npyFile(kF4Header, "", 2).substr(0, 11)),
            "truncated header");
  // Cut inside the data; or more data than the shape holds.
  EXPECT_EQ(parseError(file.substr(0, file.size() - 1)),
            "truncated data: shape [2] needs 8 bytes, the file holds 7");
  EXPECT_EQ(parseError(npyFile(kF4Header, "")),
            "truncated data: shape [2] needs 8 bytes, the file holds 0");
  EXPECT_EQ(parseError(file + "x"),
            "trailing data: shape [2] needs 8 bytes, the file holds 9");
}

TEST(Npy, RejectsMalformedHeaders) {
  std::string data = raw<float>({1, 2});
  EXPECT_EQ(parseError(npyFile("{'descr': '<f4', 'shape': (2,), }", data)),
            "header has no 'fortran_order'");
  EXPECT_EQ(parseError(npyFile("{'descr': '<f4', 'fortran_order': False, "
                               "'shape': (2,) ",
                               data)),
            "expected ',' or '}' in the header");
  EXPECT_EQ(parseError(npyFile("{'descr': '<f4', 'fortran_order': False, "
                               "'shape': (-2,), }",
                               data)),
            "negative extent in the shape");
  EXPECT_EQ(parseError(npyFile("{'descr': '<f4', 'fortran_order': False, "
                               "'shape': (99999999999999999999,), }",
                               data)),
            "an extent of the shape overflows a 64-bit integer");
  EXPECT_EQ(parseError(npyFile("{'descr': '<f4', 'fortran_order': 0, "
                               "'shape': (2,), }",
                               data)),
            "malformed value of 'fortran_order' in the header");
  EXPECT_EQ(parseError(npyFile("{'descr': (2,), 'fortran_order': False, "
                               "'shape': (2,), }",
                               data)),
            "malformed header (descr, fortran_order or shape)");
}

TEST(Npy, ChecksTheShapeBeforeAnyAllocation) {
  // 2^62 x 4 f32 elements: the byte count overflows int64_t.
  EXPECT_EQ(parseError(npyFile("{'descr': '<f4', 'fortran_order': False, "
                               "'shape': (4611686018427387904, 4), }",
                               "")),
            "shape [4611686018427387904, 4] has more elements than a 64-bit "
            "byte count can address");
  // A zero extent makes any other extent harmless.
  std::string empty = npyFile("{'descr': '<f4', 'fortran_order': False, "
                              "'shape': (4611686018427387904, 0, 4), }",
                              "");
  NpyArray a;
  std::string error;
  ASSERT_TRUE(parseNpy(empty, DType::F32, a, error)) << error;
  EXPECT_EQ(a.numElements, 0);
  // The caller's rank limit.
  EXPECT_EQ(parseError(npyFile("{'descr': '<f4', 'fortran_order': False, "
                               "'shape': (1, 1, 1, 1, 2), }",
                               raw<float>({1, 2})),
                       DType::F32, 4),
            "shape [1, 1, 1, 1, 2] has more than 4 dimensions");
}

} // namespace
