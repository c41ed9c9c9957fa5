//===- ArgumentsTest.cpp - Checks of a call's tensors ---------------------===//

#include "MirageRuntime/Arguments.h"

#include "FakeDriver.h"
#include "TestUtil.h"

using namespace mirage::rt;
using namespace mirage::rt::test;

namespace {

/// A manifest with inputs [4096, 6144] f16 and [2, 4096] f16 and output
/// [2, 6144] f16; only the signature matters here.
Manifest matmulManifest() {
  Manifest m;
  m.function = "mm";
  m.inputs = {{{4096, 6144}, DType::F16}, {{2, 4096}, DType::F16}};
  m.outputs = {{{2, 6144}, DType::F16}};
  return m;
}

TensorArg arg(Shape shape, DType dtype, Shape strides = {}) {
  TensorArg t;
  t.data = 0x1000;
  t.shape = std::move(shape);
  t.dtype = dtype;
  t.strides = std::move(strides);
  return t;
}

std::string signatureError(const std::vector<TensorArg> &inputs,
                           const std::vector<TensorArg> &outputs) {
  Status s = checkSignature(matmulManifest(), inputs, outputs);
  return s.ok() ? std::string() : s.message();
}

TEST(Arguments, AcceptsTheSignature) {
  EXPECT_EQ(signatureError({arg({4096, 6144}, DType::F16, {6144, 1}),
                            arg({2, 4096}, DType::F16)},
                           {arg({2, 6144}, DType::F16)}),
            "");
}

TEST(Arguments, ChecksTheNumberOfTensors) {
  EXPECT_EQ(signatureError({arg({4096, 6144}, DType::F16)},
                           {arg({2, 6144}, DType::F16)}),
            "mm takes 2 inputs and 1 output (tensor<4096x6144xf16>, "
            "tensor<2x4096xf16>) -> tensor<2x6144xf16>, got 1 input and 1 "
            "output");
}

TEST(Arguments, ChecksShapeAndDType) {
  EXPECT_EQ(signatureError(
                {arg({4096, 6144}, DType::F16), arg({2, 4096}, DType::F32)},
                {arg({2, 6144}, DType::F16)}),
            "input 1: expected shape [2, 4096] f16, got [2, 4096] f32");
  EXPECT_EQ(signatureError(
                {arg({6144, 4096}, DType::F16), arg({2, 4096}, DType::F16)},
                {arg({2, 6144}, DType::F16)}),
            "input 0: expected shape [4096, 6144] f16, got [6144, 4096] f16");
  EXPECT_EQ(signatureError(
                {arg({4096, 6144}, DType::F16), arg({2, 4096}, DType::F16)},
                {arg({2, 6144, 1}, DType::F16)}),
            "output 0: expected shape [2, 6144] f16, got [2, 6144, 1] f16");
}

TEST(Arguments, ChecksTheLayout) {
  // A transposed view.
  EXPECT_EQ(signatureError({arg({4096, 6144}, DType::F16, {1, 4096}),
                            arg({2, 4096}, DType::F16)},
                           {arg({2, 6144}, DType::F16)}),
            "input 0: expected contiguous row-major strides [6144, 1], got "
            "[1, 4096] (make the tensor contiguous first)");
  // A slice of a wider tensor.
  EXPECT_EQ(signatureError({arg({4096, 6144}, DType::F16),
                            arg({2, 4096}, DType::F16, {8192, 1})},
                           {arg({2, 6144}, DType::F16)}),
            "input 1: expected contiguous row-major strides [4096, 1], got "
            "[8192, 1] (make the tensor contiguous first)");
  EXPECT_EQ(signatureError({arg({4096, 6144}, DType::F16, {1}),
                            arg({2, 4096}, DType::F16)},
                           {arg({2, 6144}, DType::F16)}),
            "input 0: 1 stride for a tensor of rank 2");
}

TEST(Arguments, IgnoresStridesOfUnitDimensions) {
  Manifest m;
  m.function = "f";
  m.inputs = {{{1, 8, 1}, DType::F32}};
  m.outputs = {{{8}, DType::F32}};
  EXPECT_TRUE(checkSignature(m, {arg({1, 8, 1}, DType::F32, {99, 1, 7})},
                             {arg({8}, DType::F32, {1})})
                  .ok());
}

class PointerTest : public ::testing::Test {
protected:
  std::string error(const std::vector<TensorArg> &inputs,
                    const std::vector<TensorArg> &outputs) {
    Status s = checkPointers(inputs, outputs, driver, 0);
    return s.ok() ? std::string() : s.message();
  }
  TensorArg on(CUdeviceptr p, Shape shape = {2, 3}) {
    TensorArg t = arg(std::move(shape), DType::F32);
    t.data = p;
    return t;
  }
  static std::string hex(CUdeviceptr p) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "0x%llx",
                  static_cast<unsigned long long>(p));
    return buf;
  }
  FakeDriver driver;
};

TEST_F(PointerTest, AcceptsDeviceMemory) {
  CUdeviceptr a = driver.addDeviceMemory(24, 0);
  CUdeviceptr b = driver.addDeviceMemory(64, 0);
  // A tensor inside a larger allocation (a PyTorch caching-allocator block).
  EXPECT_EQ(error({on(a)}, {on(b + 16)}), "");
}

TEST_F(PointerTest, RejectsNullAndUnknownPointers) {
  EXPECT_EQ(error({on(0)}, {}), "input 0: null pointer");
  EXPECT_EQ(error({on(0x40)}, {}),
            "input 0: 0x40 is not memory of the CUDA driver (a host "
            "pointer?); pass a device tensor");
}

TEST_F(PointerTest, RejectsHostMemory) {
  CUdeviceptr h = driver.addHostMemory(24);
  EXPECT_EQ(error({}, {on(h)}),
            "output 0: " + hex(h) + " is host memory; pass a device tensor");
}

TEST_F(PointerTest, RejectsOtherDevices) {
  driver.deviceCount = 2;
  CUdeviceptr p = driver.addDeviceMemory(24, 1);
  EXPECT_EQ(error({on(p)}, {}),
            "input 0: the tensor is on device 1, the bundle runs on device 0");
}

TEST_F(PointerTest, RejectsAllocationsTooSmall) {
  CUdeviceptr p = driver.addDeviceMemory(32, 0);
  EXPECT_EQ(error({on(p + 16)}, {}),
            "input 0: the allocation at " + hex(p + 16) +
                " holds 16 bytes from this pointer, the tensor needs 24");
}

TEST_F(PointerTest, RejectsAliasedOutputs) {
  CUdeviceptr p = driver.addDeviceMemory(64, 0);
  EXPECT_EQ(error({on(p)}, {on(p + 16)}),
            "output 0 overlaps input 0 (outputs must not alias other "
            "arguments)");
  EXPECT_EQ(error({}, {on(p), on(p + 16)}),
            "output 1 overlaps output 0 (outputs must not alias other "
            "arguments)");
  // Adjacent is fine.
  EXPECT_EQ(error({on(p, {2, 4})}, {on(p + 32, {2, 4})}), "");
}

TEST_F(PointerTest, RejectsMisalignedPointers) {
  CUdeviceptr p = driver.addDeviceMemory(64, 0);
  // A view starting at the second f32 of an allocation.
  EXPECT_EQ(error({on(p + 4)}, {}),
            "input 0: " + hex(p + 4) +
                " is not 16-byte aligned, as the kernels need (pass a copy "
                "of the tensor)");
  EXPECT_EQ(error({}, {on(p + 8)}),
            "output 0: " + hex(p + 8) +
                " is not 16-byte aligned, as the kernels need (pass a copy "
                "of the tensor)");
}

TEST_F(PointerTest, ReportsDriverFailures) {
  CUdeviceptr p = driver.addDeviceMemory(24, 0);
  driver.failures["cuPointerGetAttribute"] = CUDA_ERROR_NO_DEVICE;
  EXPECT_EQ(error({on(p)}, {}),
            "input 0: cuPointerGetAttribute(" + hex(p) +
                ") failed: CUDA_ERROR_NO_DEVICE (no CUDA-capable device is "
                "detected)");
}

} // namespace
