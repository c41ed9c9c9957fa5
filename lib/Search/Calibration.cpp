//===- Calibration.cpp - Cost-model figures measured on a GPU ---*- C++ -*-===//

#include "Mirage/Search/Calibration.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

#include <cmath>

using namespace mirage;

namespace {

constexpr llvm::StringLiteral kFormat = "mirage-gpu-calibration";
constexpr int64_t kVersion = 1;

/// The "cost_model" fields: a count (integer) or a rate (real).
struct IntField {
  llvm::StringLiteral name;
  std::optional<int64_t> GpuCalibration::*member;
};
struct RealField {
  llvm::StringLiteral name;
  std::optional<double> GpuCalibration::*member;
  /// The largest value allowed (a share is at most 1).
  double max;
};

constexpr IntField kIntFields[] = {
    {"num_sms", &GpuCalibration::numSMs},
    {"shared_memory_per_block", &GpuCalibration::sharedMemoryPerBlock},
};
const RealField kRealFields[] = {
    {"dram_bytes_per_second", &GpuCalibration::dramBytesPerSecond, HUGE_VAL},
    {"bandwidth_share_of_one_sm", &GpuCalibration::bandwidthShareOfOneSM, 1.0},
    {"tensor_flops_per_second", &GpuCalibration::tensorFlopsPerSecond,
     HUGE_VAL},
    {"cuda_flops_per_second", &GpuCalibration::cudaFlopsPerSecond, HUGE_VAL},
    {"launch_seconds", &GpuCalibration::launchSeconds, HUGE_VAL},
};

llvm::Error fail(llvm::StringRef path, const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 path + ": " + message);
}

std::string describe(const llvm::json::Value &value) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << value;
  if (text.size() > 40)
    text = text.substr(0, 37) + "...";
  return text;
}

} // namespace

llvm::SmallVector<llvm::StringRef> GpuCalibration::measuredFields() const {
  llvm::SmallVector<llvm::StringRef> names;
  for (const IntField &f : kIntFields)
    if (this->*f.member)
      names.push_back(f.name);
  for (const RealField &f : kRealFields)
    if (this->*f.member)
      names.push_back(f.name);
  return names;
}

llvm::Expected<GpuCalibration>
mirage::parseGpuCalibration(llvm::StringRef text, llvm::StringRef path) {
  llvm::Expected<llvm::json::Value> parsed = llvm::json::parse(text);
  if (!parsed)
    return fail(path, "not valid JSON: " + llvm::toString(parsed.takeError()));
  const llvm::json::Object *root = parsed->getAsObject();
  if (!root)
    return fail(path, "expected a JSON object");

  GpuCalibration result;
  result.path = path.str();
  const llvm::json::Value *format = root->get("format");
  if (!format)
    return fail(path, "missing key 'format' (expected \"" + kFormat + "\")");
  if (format->getAsString() != std::optional<llvm::StringRef>(kFormat))
    return fail(path, "format: expected \"" + kFormat + "\", got " +
                          describe(*format));
  const llvm::json::Value *version = root->get("version");
  if (!version)
    return fail(path, "missing key 'version'");
  if (version->getAsInteger() != std::optional<int64_t>(kVersion))
    return fail(path, "version: unsupported calibration version " +
                          describe(*version) + " (expected " +
                          llvm::Twine(kVersion) + ")");
  const llvm::json::Value *gpu = root->get("gpu");
  if (!gpu)
    return fail(path, "missing key 'gpu' (a parameter set such as \"h100\", "
                      "or null)");
  if (std::optional<llvm::StringRef> name = gpu->getAsString())
    result.gpu = name->str();
  else if (!gpu->getAsNull())
    return fail(path, "gpu: expected a string or null, got " + describe(*gpu));
  if (const llvm::json::Value *device = root->get("device")) {
    std::optional<llvm::StringRef> name = device->getAsString();
    if (!name)
      return fail(path, "device: expected a string, got " + describe(*device));
    result.device = name->str();
  }
  const llvm::json::Value *costModelValue = root->get("cost_model");
  if (!costModelValue)
    return fail(path, "missing key 'cost_model'");
  const llvm::json::Object *costModel = costModelValue->getAsObject();
  if (!costModel)
    return fail(path, "cost_model: expected an object, got " +
                          describe(*costModelValue));

  // A key no field knows is a typo, never silently ignored. Keys are
  // checked in sorted order so that the message does not depend on the
  // map's iteration order.
  std::vector<llvm::StringRef> keys;
  for (const auto &entry : *costModel)
    keys.push_back(entry.first);
  llvm::sort(keys);
  for (llvm::StringRef key : keys) {
    bool known =
        llvm::any_of(kIntFields,
                     [&](const IntField &f) { return f.name == key; }) ||
        llvm::any_of(kRealFields,
                     [&](const RealField &f) { return f.name == key; });
    if (!known)
      return fail(path, "cost_model: unknown key '" + key + "'");
  }
  for (const IntField &f : kIntFields) {
    const llvm::json::Value *value = costModel->get(f.name);
    if (!value)
      continue;
    std::optional<int64_t> n = value->getAsInteger();
    if (!n || *n <= 0)
      return fail(path, "cost_model." + f.name +
                            ": expected a positive integer, got " +
                            describe(*value));
    result.*f.member = *n;
  }
  for (const RealField &f : kRealFields) {
    const llvm::json::Value *value = costModel->get(f.name);
    if (!value)
      continue;
    std::optional<double> x = value->getAsNumber();
    llvm::StringRef range = f.max == HUGE_VAL ? "(0, inf)" : "(0, 1]";
    if (!x || !std::isfinite(*x) || *x <= 0 || *x > f.max)
      return fail(path, "cost_model." + f.name + ": expected a number in " +
                            range + ", got " + describe(*value));
    result.*f.member = *x;
  }
  return result;
}

llvm::Expected<GpuCalibration>
mirage::loadGpuCalibration(llvm::StringRef path) {
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buffer)
    return fail(path, "cannot read the calibration file: " +
                          buffer.getError().message());
  return parseGpuCalibration((*buffer)->getBuffer(), path);
}

llvm::Error mirage::applyGpuCalibration(const GpuCalibration &calibration,
                                        GpuParams &params) {
  if (calibration.gpu != params.name)
    return fail(calibration.path,
                llvm::formatv("measured on {0}, which calibrates {1}, not the "
                              "cost model's '{2}' (choose it with gpu=)",
                              calibration.device.empty() ? "an unnamed device"
                                                         : calibration.device,
                              calibration.gpu.empty()
                                  ? "no parameter set of the cost model"
                                  : "'" + calibration.gpu + "'",
                              params.name)
                    .str());
  if (calibration.numSMs)
    params.numSMs = *calibration.numSMs;
  if (calibration.sharedMemoryPerBlock)
    params.sharedMemoryPerBlock = *calibration.sharedMemoryPerBlock;
  if (calibration.dramBytesPerSecond)
    params.dramBytesPerSecond = *calibration.dramBytesPerSecond;
  if (calibration.bandwidthShareOfOneSM)
    params.bandwidthShareOfOneSM = *calibration.bandwidthShareOfOneSM;
  if (calibration.tensorFlopsPerSecond)
    params.tensorFlopsPerSecond = *calibration.tensorFlopsPerSecond;
  if (calibration.cudaFlopsPerSecond)
    params.cudaFlopsPerSecond = *calibration.cudaFlopsPerSecond;
  if (calibration.launchSeconds)
    params.launchSeconds = *calibration.launchSeconds;
  return llvm::Error::success();
}
