//===- Arguments.cpp - Checking the tensors of a call ---------------------===//

#include "MirageRuntime/Arguments.h"

#include <cstdio>

using namespace mirage::rt;

static std::string hexPointer(CUdeviceptr p) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "0x%llx", static_cast<unsigned long long>(p));
  return buf;
}

static std::string plural(size_t n, const char *word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

/// Whether `strides` lay `shape` out densely in row-major order. Strides of
/// extent-1 dimensions are never used to address anything, so they may be
/// anything (PyTorch gives such dimensions arbitrary strides).
static bool isRowMajor(const Shape &shape, const Shape &strides) {
  int64_t expected = 1;
  for (size_t i = shape.size(); i-- > 0;) {
    if (shape[i] != 1 && strides[i] != expected)
      return false;
    expected *= shape[i];
  }
  return true;
}

static Status checkOne(const std::string &name, const TensorSpec &spec,
                       const TensorArg &arg) {
  if (arg.shape != spec.shape || arg.dtype != spec.dtype)
    return Status::error(name + ": expected shape " + spec.describe() +
                         ", got " + formatShape(arg.shape) + " " +
                         dtypeName(arg.dtype));
  if (arg.strides.empty())
    return Status::success();
  if (arg.strides.size() != arg.shape.size())
    return Status::error(name + ": " + plural(arg.strides.size(), "stride") +
                         " for a tensor of rank " +
                         std::to_string(arg.shape.size()));
  if (!isRowMajor(arg.shape, arg.strides))
    return Status::error(name + ": expected contiguous row-major strides " +
                         formatShape(rowMajorStrides(arg.shape)) + ", got " +
                         formatShape(arg.strides) +
                         " (make the tensor contiguous first)");
  return Status::success();
}

Status mirage::rt::checkSignature(const Manifest &manifest,
                                  const std::vector<TensorArg> &inputs,
                                  const std::vector<TensorArg> &outputs) {
  if (inputs.size() != manifest.inputs.size() ||
      outputs.size() != manifest.outputs.size())
    return Status::error(manifest.function + " takes " +
                         plural(manifest.inputs.size(), "input") + " and " +
                         plural(manifest.outputs.size(), "output") + " " +
                         manifest.signature() + ", got " +
                         plural(inputs.size(), "input") + " and " +
                         plural(outputs.size(), "output"));
  for (size_t i = 0; i < inputs.size(); ++i) {
    Status s =
        checkOne("input " + std::to_string(i), manifest.inputs[i], inputs[i]);
    if (!s.ok())
      return s;
  }
  for (size_t i = 0; i < outputs.size(); ++i) {
    Status s = checkOne("output " + std::to_string(i), manifest.outputs[i],
                        outputs[i]);
    if (!s.ok())
      return s;
  }
  return Status::success();
}

static Status checkPointer(const std::string &name, const TensorArg &arg,
                           Driver &driver, CUdevice device) {
  if (!arg.data)
    return Status::error(name + ": null pointer");
  // The kernels move tiles in 16-byte vectors (vector loads and stores,
  // cp.async), which fault on a misaligned address: a view that starts
  // inside an element row (x[1:] of a tensor) must be copied first.
  if (arg.data % kRequiredAlignment != 0)
    return Status::error(name + ": " + hexPointer(arg.data) + " is not " +
                         std::to_string(kRequiredAlignment) +
                         "-byte aligned, as the kernels need (pass a copy of "
                         "the tensor)");
  auto memoryType = static_cast<CUmemorytype>(0);
  CUresult r = driver.pointerGetAttribute(
      &memoryType, CU_POINTER_ATTRIBUTE_MEMORY_TYPE, arg.data);
  if (r == CUDA_ERROR_INVALID_VALUE)
    return Status::error(name + ": " + hexPointer(arg.data) +
                         " is not memory of the CUDA driver (a host "
                         "pointer?); pass a device tensor");
  if (r != CUDA_SUCCESS)
    return Status::error(name + ": cuPointerGetAttribute(" +
                         hexPointer(arg.data) +
                         ") failed: " + driver.errorString(r));
  if (memoryType == CU_MEMORYTYPE_HOST)
    return Status::error(name + ": " + hexPointer(arg.data) +
                         " is host memory; pass a device tensor");
  if (memoryType != CU_MEMORYTYPE_DEVICE && memoryType != CU_MEMORYTYPE_UNIFIED)
    return Status::error(name + ": " + hexPointer(arg.data) +
                         " is not linear device memory");
  int ordinal = -1;
  r = driver.pointerGetAttribute(&ordinal, CU_POINTER_ATTRIBUTE_DEVICE_ORDINAL,
                                 arg.data);
  if (r != CUDA_SUCCESS)
    return Status::error(name + ": cuPointerGetAttribute(" +
                         hexPointer(arg.data) +
                         ", DEVICE_ORDINAL) failed: " + driver.errorString(r));
  if (ordinal != static_cast<int>(device))
    return Status::error(name + ": the tensor is on device " +
                         std::to_string(ordinal) +
                         ", the bundle runs on "
                         "device " +
                         std::to_string(device));
  CUdeviceptr start = 0;
  size_t size = 0;
  r = driver.pointerGetAttribute(&start, CU_POINTER_ATTRIBUTE_RANGE_START_ADDR,
                                 arg.data);
  if (r == CUDA_SUCCESS)
    r = driver.pointerGetAttribute(&size, CU_POINTER_ATTRIBUTE_RANGE_SIZE,
                                   arg.data);
  if (r != CUDA_SUCCESS)
    return Status::error(name + ": cuPointerGetAttribute(" +
                         hexPointer(arg.data) +
                         ", RANGE) failed: " + driver.errorString(r));
  size_t available = start + size - arg.data;
  if (arg.byteSize() > available)
    return Status::error(name + ": the allocation at " + hexPointer(arg.data) +
                         " holds " + std::to_string(available) +
                         " bytes from this pointer, the tensor needs " +
                         std::to_string(arg.byteSize()));
  return Status::success();
}

static bool overlaps(const TensorArg &a, const TensorArg &b) {
  return a.data < b.data + b.byteSize() && b.data < a.data + a.byteSize();
}

Status mirage::rt::checkPointers(const std::vector<TensorArg> &inputs,
                                 const std::vector<TensorArg> &outputs,
                                 Driver &driver, CUdevice device) {
  for (size_t i = 0; i < inputs.size(); ++i) {
    Status s =
        checkPointer("input " + std::to_string(i), inputs[i], driver, device);
    if (!s.ok())
      return s;
  }
  for (size_t i = 0; i < outputs.size(); ++i) {
    std::string name = "output " + std::to_string(i);
    Status s = checkPointer(name, outputs[i], driver, device);
    if (!s.ok())
      return s;
    // Kernels may read an output they wrote; a shared buffer would let one
    // argument overwrite another under them.
    for (size_t j = 0; j < inputs.size(); ++j)
      if (overlaps(outputs[i], inputs[j]))
        return Status::error(name + " overlaps input " + std::to_string(j) +
                             " (outputs must not alias other arguments)");
    for (size_t j = 0; j < i; ++j)
      if (overlaps(outputs[i], outputs[j]))
        return Status::error(name + " overlaps output " + std::to_string(j) +
                             " (outputs must not alias other arguments)");
  }
  return Status::success();
}
