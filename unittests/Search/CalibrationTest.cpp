//===- CalibrationTest.cpp - Tests of the calibration loader ----*- C++ -*-===//

#include "Mirage/Search/Calibration.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <string>

using namespace mirage;

namespace {

/// A complete file, as bench/gpu/calibrate.py writes it (measurements cut).
const char *kGood = R"json({
  "format": "mirage-gpu-calibration", "version": 1,
  "device": "NVIDIA H100 80GB HBM3", "gpu": "h100",
  "date": "2026-12-06", "measurements": {"launch": {"graph_kernels": 100}},
  "cost_model": {
    "num_sms": 132, "shared_memory_per_block": 232448,
    "dram_bytes_per_second": 3.0e12, "bandwidth_share_of_one_sm": 0.05,
    "tensor_flops_per_second": 6.5e14, "cuda_flops_per_second": 6.0e13,
    "launch_seconds": 2.0e-6
  }
})json";

std::string errorOf(llvm::StringRef text) {
  llvm::Expected<GpuCalibration> c = parseGpuCalibration(text, "cal.json");
  if (c)
    return "(no error)";
  return llvm::toString(c.takeError());
}

/// kGood with `from` replaced by `to` (which must occur once).
std::string edited(llvm::StringRef from, llvm::StringRef to) {
  std::string text = kGood;
  size_t at = text.find(from.str());
  EXPECT_NE(at, std::string::npos) << from.str();
  EXPECT_EQ(text.find(from.str(), at + 1), std::string::npos) << from.str();
  text.replace(at, from.size(), to.str());
  return text;
}

TEST(CalibrationTest, GoodFileOverridesEveryField) {
  llvm::Expected<GpuCalibration> c = parseGpuCalibration(kGood, "cal.json");
  ASSERT_TRUE(static_cast<bool>(c)) << llvm::toString(c.takeError());
  EXPECT_EQ(c->gpu, "h100");
  EXPECT_EQ(c->device, "NVIDIA H100 80GB HBM3");
  EXPECT_EQ(c->measuredFields().size(), 7u);

  GpuParams params = h100Params();
  ASSERT_FALSE(static_cast<bool>(applyGpuCalibration(*c, params)));
  EXPECT_EQ(params.numSMs, 132);
  EXPECT_EQ(params.sharedMemoryPerBlock, 232448);
  EXPECT_EQ(params.dramBytesPerSecond, 3.0e12);
  EXPECT_EQ(params.bandwidthShareOfOneSM, 0.05);
  EXPECT_EQ(params.tensorFlopsPerSecond, 6.5e14);
  EXPECT_EQ(params.cudaFlopsPerSecond, 6.0e13);
  EXPECT_EQ(params.launchSeconds, 2.0e-6);
  EXPECT_STREQ(params.name, "h100");
}

TEST(CalibrationTest, MissingFiguresKeepTheAssumedOnes) {
  llvm::Expected<GpuCalibration> c = parseGpuCalibration(
      R"({"format": "mirage-gpu-calibration", "version": 1, "gpu": "h200",
          "cost_model": {"launch_seconds": 4e-6}})",
      "cal.json");
  ASSERT_TRUE(static_cast<bool>(c)) << llvm::toString(c.takeError());
  ASSERT_EQ(c->measuredFields().size(), 1u);
  EXPECT_EQ(c->measuredFields()[0], "launch_seconds");
  GpuParams params = h200Params();
  ASSERT_FALSE(static_cast<bool>(applyGpuCalibration(*c, params)));
  EXPECT_EQ(params.launchSeconds, 4e-6);
  const GpuParams &assumed = h200Params();
  EXPECT_EQ(params.numSMs, assumed.numSMs);
  EXPECT_EQ(params.dramBytesPerSecond, assumed.dramBytesPerSecond);
  EXPECT_EQ(params.bandwidthShareOfOneSM, assumed.bandwidthShareOfOneSM);
  EXPECT_EQ(params.tensorFlopsPerSecond, assumed.tensorFlopsPerSecond);
  EXPECT_EQ(params.cudaFlopsPerSecond, assumed.cudaFlopsPerSecond);
  EXPECT_EQ(params.sharedMemoryPerBlock, assumed.sharedMemoryPerBlock);
}

TEST(CalibrationTest, MalformedJsonIsAnError) {
  std::string e = errorOf("{\"format\": \"mirage-gpu-calibration\",");
  EXPECT_EQ(e.rfind("cal.json: not valid JSON: [1:", 0), 0u) << e;
  EXPECT_EQ(errorOf("[1, 2]"), "cal.json: expected a JSON object");
}

TEST(CalibrationTest, MissingRequiredKeys) {
  EXPECT_EQ(errorOf(edited("\"format\": \"mirage-gpu-calibration\", ", "")),
            "cal.json: missing key 'format' (expected "
            "\"mirage-gpu-calibration\")");
  EXPECT_EQ(errorOf(edited("\"version\": 1,", "")),
            "cal.json: missing key 'version'");
  EXPECT_EQ(errorOf(edited("\"gpu\": \"h100\",", "")),
            "cal.json: missing key 'gpu' (a parameter set such as \"h100\", "
            "or null)");
  EXPECT_EQ(errorOf(R"({"format": "mirage-gpu-calibration", "version": 1,
                        "gpu": "h100"})"),
            "cal.json: missing key 'cost_model'");
}

TEST(CalibrationTest, WrongFormatVersionAndTypes) {
  EXPECT_EQ(errorOf(edited("\"mirage-gpu-calibration\"", "\"mirage-bundle\"")),
            "cal.json: format: expected \"mirage-gpu-calibration\", got "
            "\"mirage-bundle\"");
  EXPECT_EQ(errorOf(edited("\"version\": 1", "\"version\": 2")),
            "cal.json: version: unsupported calibration version 2 "
            "(expected 1)");
  EXPECT_EQ(errorOf(edited("\"gpu\": \"h100\"", "\"gpu\": 100")),
            "cal.json: gpu: expected a string or null, got 100");
  EXPECT_EQ(errorOf(edited("\"device\": \"NVIDIA H100 80GB HBM3\"",
                           "\"device\": []")),
            "cal.json: device: expected a string, got []");
}

TEST(CalibrationTest, BadFigures) {
  EXPECT_EQ(errorOf(edited("\"num_sms\": 132", "\"num_sms\": -3")),
            "cal.json: cost_model.num_sms: expected a positive integer, got "
            "-3");
  EXPECT_EQ(errorOf(edited("\"num_sms\": 132", "\"num_sms\": 13.5")),
            "cal.json: cost_model.num_sms: expected a positive integer, got "
            "13.5");
  EXPECT_EQ(
      errorOf(edited("\"launch_seconds\": 2.0e-6", "\"launch_seconds\": 0")),
      "cal.json: cost_model.launch_seconds: expected a number in (0, "
      "inf), got 0");
  EXPECT_EQ(errorOf(edited("\"dram_bytes_per_second\": 3.0e12",
                           "\"dram_bytes_per_second\": \"fast\"")),
            "cal.json: cost_model.dram_bytes_per_second: expected a number "
            "in (0, inf), got \"fast\"");
  EXPECT_EQ(errorOf(edited("\"bandwidth_share_of_one_sm\": 0.05",
                           "\"bandwidth_share_of_one_sm\": 1.5")),
            "cal.json: cost_model.bandwidth_share_of_one_sm: expected a "
            "number in (0, 1], got 1.5");
  EXPECT_EQ(errorOf(edited("\"launch_seconds\": 2.0e-6",
                           "\"launch_seconds\": 2.0e-6, \"lanch_us\": 2")),
            "cal.json: cost_model: unknown key 'lanch_us'");
}

TEST(CalibrationTest, AnotherGpuIsRefusedAndChangesNothing) {
  llvm::Expected<GpuCalibration> c = parseGpuCalibration(kGood, "cal.json");
  ASSERT_TRUE(static_cast<bool>(c));
  GpuParams params = h200Params();
  llvm::Error e = applyGpuCalibration(*c, params);
  ASSERT_TRUE(static_cast<bool>(e));
  EXPECT_EQ(llvm::toString(std::move(e)),
            "cal.json: measured on NVIDIA H100 80GB HBM3, which calibrates "
            "'h100', not the cost model's 'h200' (choose it with gpu=)");
  EXPECT_EQ(params.launchSeconds, h200Params().launchSeconds);
  EXPECT_EQ(params.dramBytesPerSecond, h200Params().dramBytesPerSecond);

  llvm::Expected<GpuCalibration> none = parseGpuCalibration(
      edited("\"gpu\": \"h100\"", "\"gpu\": null"), "cal.json");
  ASSERT_TRUE(static_cast<bool>(none));
  params = h100Params();
  EXPECT_EQ(llvm::toString(applyGpuCalibration(*none, params)),
            "cal.json: measured on NVIDIA H100 80GB HBM3, which calibrates "
            "no parameter set of the cost model, not the cost model's 'h100' "
            "(choose it with gpu=)");
}

TEST(CalibrationTest, LoadsFromDisk) {
  llvm::SmallString<128> path;
  ASSERT_FALSE(llvm::sys::fs::createTemporaryFile("calibration", "json", path));
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec);
    ASSERT_FALSE(ec);
    os << kGood;
  }
  llvm::Expected<GpuCalibration> c = loadGpuCalibration(path);
  ASSERT_TRUE(static_cast<bool>(c)) << llvm::toString(c.takeError());
  EXPECT_EQ(c->path, path.str().str());
  llvm::sys::fs::remove(path);
  llvm::Expected<GpuCalibration> missing = loadGpuCalibration(path);
  ASSERT_FALSE(static_cast<bool>(missing));
  std::string e = llvm::toString(missing.takeError());
  EXPECT_EQ(e.rfind((path + ": cannot read the calibration file: ").str(), 0),
            0u)
      << e;
}

} // namespace
