//===- CApiTest.cpp - The C API of libmirage_runtime.so -------------------===//
//
// Links the shared library the Python wrapper loads. No test here needs a
// GPU: the driver is forced absent, so the "no CUDA driver" path is the one
// checked on every machine.
//
//===----------------------------------------------------------------------===//

#include "MirageRuntime/CApi.h"

#include "TestUtil.h"

#include <cstdlib>

using namespace mirage::rt::test;

namespace {

class CApiTest : public ::testing::Test {
protected:
  void SetUp() override {
    ::setenv("MIRAGE_LIBCUDA", "/nonexistent/libcuda.so.1", 1);
    bundle = mirage_rt_open(inputPath("triple").c_str());
    ASSERT_NE(bundle, nullptr) << mirage_rt_last_error();
  }
  void TearDown() override { mirage_rt_close(bundle); }

  MirageRtTensor tensor(const int64_t *shape, int32_t dtype = MIRAGE_RT_F32) {
    return MirageRtTensor{0x1000, dtype, 2, shape, nullptr};
  }

  MirageRtBundle *bundle = nullptr;
  const int64_t shape[2] = {2, 3};
};

TEST_F(CApiTest, ReportsTheSignature) {
  EXPECT_EQ(mirage_rt_abi_version(), MIRAGE_RT_ABI_VERSION);
  EXPECT_STREQ(mirage_rt_signature(bundle),
               "{\"function\": \"triple\", \"inputs\": [{\"shape\": [2, 3], "
               "\"dtype\": \"f32\"}], \"outputs\": [{\"shape\": [2, 3], "
               "\"dtype\": \"f32\"}], \"workspace_bytes\": 256, \"kernels\": "
               "2}");
}

TEST_F(CApiTest, OpenReportsBundleErrors) {
  EXPECT_EQ(mirage_rt_open("/nonexistent.json"), nullptr);
  EXPECT_STREQ(mirage_rt_last_error(),
               "/nonexistent.json: cannot read: No such file or directory");
  EXPECT_EQ(mirage_rt_open(nullptr), nullptr);
  EXPECT_STREQ(mirage_rt_last_error(), "mirage_rt_open: null path");
}

TEST_F(CApiTest, ChecksShapesBeforeNeedingADriver) {
  MirageRtTensor in = tensor(shape, MIRAGE_RT_F16), out = tensor(shape);
  EXPECT_NE(mirage_rt_run(bundle, &in, 1, &out, 1, 0), 0);
  EXPECT_STREQ(mirage_rt_last_error(),
               "input 0: expected shape [2, 3] f32, got [2, 3] f16");
  in.dtype = 7;
  EXPECT_NE(mirage_rt_run(bundle, &in, 1, &out, 1, 0), 0);
  EXPECT_STREQ(mirage_rt_last_error(), "input 0: unknown dtype code 7");
  const int64_t strides[2] = {1, 2};
  in = tensor(shape);
  in.strides = strides;
  EXPECT_NE(mirage_rt_run(bundle, &in, 1, &out, 1, 0), 0);
  EXPECT_STREQ(mirage_rt_last_error(),
               "input 0: expected contiguous row-major strides [3, 1], got "
               "[1, 2] (make the tensor contiguous first)");
}

TEST_F(CApiTest, ReportsAMissingDriver) {
  MirageRtTensor in = tensor(shape), out = tensor(shape);
  EXPECT_NE(mirage_rt_run(bundle, &in, 1, &out, 1, 0), 0);
  EXPECT_EQ(
      std::string(mirage_rt_last_error())
          .rfind("no CUDA driver: cannot load /nonexistent/libcuda.so.1", 0),
      0u)
      << mirage_rt_last_error();
}

} // namespace
