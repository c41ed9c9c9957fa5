//===- Calibration.h - Cost-model figures measured on a GPU -----*- C++ -*-===//
//
// The cost model's figures of a GPU (GpuParams) are assumed from data sheets
// unless a calibration file measured on the device overrides them:
// bench/gpu/calibrate.py writes bench/results/gpu-calibration-<device>.json,
// whose "cost_model" object holds what it measured:
//
//   {"format": "mirage-gpu-calibration", "version": 1, "gpu": "h100",
//    "device": "NVIDIA H100 80GB HBM3", ...,
//    "cost_model": {"num_sms": 132, "shared_memory_per_block": 232448,
//                   "dram_bytes_per_second": 3.0e12,
//                   "bandwidth_share_of_one_sm": 0.04,
//                   "tensor_flops_per_second": 6.5e14,
//                   "cuda_flops_per_second": 6.0e13,
//                   "launch_seconds": 2.0e-6}}
//
// Every field of "cost_model" is optional (a measurement that failed is left
// out, and the assumed figure stays); an unknown one is an error, as are a
// missing "format", "version", "gpu" or "cost_model", and values that are
// not positive finite numbers (integers where the figure is a count).
// --mirage-superoptimize='calibration=FILE' loads one, or the file named by
// the environment variable MIRAGE_GPU_CALIBRATION (docs/CostModel.md).
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_SEARCH_CALIBRATION_H
#define MIRAGE_SEARCH_CALIBRATION_H

#include "Mirage/Search/CostModel.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>
#include <string>

namespace mirage {

/// The environment variable naming a calibration file when the pass option
/// does not.
inline constexpr const char *kGpuCalibrationEnv = "MIRAGE_GPU_CALIBRATION";

/// The figures a calibration file measured; each is optional.
struct GpuCalibration {
  /// The file, for messages.
  std::string path;
  /// The device it was measured on, as the driver names it.
  std::string device;
  /// The cost model's parameter set it calibrates ("h100", "h200"); empty
  /// when the device has none (then it cannot be applied).
  std::string gpu;
  std::optional<int64_t> numSMs;
  std::optional<int64_t> sharedMemoryPerBlock;
  std::optional<double> dramBytesPerSecond;
  std::optional<double> bandwidthShareOfOneSM;
  std::optional<double> tensorFlopsPerSecond;
  std::optional<double> cudaFlopsPerSecond;
  std::optional<double> launchSeconds;

  /// The JSON names of the figures present, in a fixed order.
  llvm::SmallVector<llvm::StringRef> measuredFields() const;
};

/// Parses the text of a calibration file; `path` names it in errors
/// ("PATH: cost_model.num_sms: expected a positive integer, got -3").
llvm::Expected<GpuCalibration> parseGpuCalibration(llvm::StringRef text,
                                                   llvm::StringRef path);

/// Reads and parses the file at `path`.
llvm::Expected<GpuCalibration> loadGpuCalibration(llvm::StringRef path);

/// Overrides the fields of `params` that `calibration` measured. Fails,
/// leaving `params` unchanged, when the calibration is for another
/// parameter set than params.name.
llvm::Error applyGpuCalibration(const GpuCalibration &calibration,
                                GpuParams &params);

} // namespace mirage

#endif // MIRAGE_SEARCH_CALIBRATION_H
