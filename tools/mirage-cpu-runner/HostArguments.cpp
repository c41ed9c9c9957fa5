//===- HostArguments.cpp - Memrefs for a JIT-compiled μGraph --------------===//

#include "HostArguments.h"

#include "Mirage/Semantics/FloatFormats.h"

#include <cstring>

using namespace mirage;

namespace {

constexpr int64_t kAlignment = 256;

int64_t elementBytes(DType dtype) { return dtype == DType::F32 ? 4 : 2; }

uint32_t floatBits(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  return bits;
}

float floatFromBits(uint32_t bits) {
  float value;
  std::memcpy(&value, &bits, sizeof(value));
  return value;
}

/// The binary16 bits of a float that is exactly a binary16 value (as every
/// interpreter value of an f16 tensor is): plain bit moves, no rounding, so
/// that inputs of tens of millions of elements convert in milliseconds
/// (mirage::toF16Bits rounds from double and is much slower).
uint16_t exactF16Bits(float value) {
  uint32_t bits = floatBits(value);
  auto sign = static_cast<uint16_t>((bits >> 16) & 0x8000);
  uint32_t exponent = (bits >> 23) & 0xff;
  uint32_t mantissa = bits & 0x7fffff;
  if (exponent == 0xff) // infinity or NaN
    return sign | 0x7c00 | (mantissa ? 0x200 : 0);
  int unbiased = static_cast<int>(exponent) - 127;
  if (exponent == 0 || unbiased < -24) // zero
    return sign;
  if (unbiased >= -14) // normal
    return sign |
           static_cast<uint16_t>(((unbiased + 15) << 10) | (mantissa >> 13));
  // Subnormal: the value is m * 2^-24 with m = 1.mantissa * 2^(unbiased+24).
  return sign |
         static_cast<uint16_t>((0x800000 | mantissa) >> (-unbiased - 14 + 13));
}

} // namespace

HostMemRef::HostMemRef(Shape shape, DType dtype) : dtype(dtype) {
  init(std::move(shape), elementBytes(dtype));
}

HostMemRef::HostMemRef(int64_t bytes) : isWorkspace(true) {
  init(Shape{bytes}, 1);
}

void HostMemRef::init(Shape newShape, int64_t bytesPerElement) {
  shape = std::move(newShape);
  numElements = mirage::numElements(shape);
  // At least one element, so that an empty workspace still has an address.
  int64_t bytes = std::max<int64_t>(numElements, 1) * bytesPerElement;
  storage = std::make_unique<uint8_t[]>(bytes + kAlignment);
  auto address = reinterpret_cast<uintptr_t>(storage.get());
  data = storage.get() + (kAlignment - address % kAlignment) % kAlignment;

  auto rank = static_cast<int64_t>(shape.size());
  words.assign(3 + 2 * rank, 0);
  words[0] = static_cast<int64_t>(reinterpret_cast<intptr_t>(storage.get()));
  words[1] = static_cast<int64_t>(reinterpret_cast<intptr_t>(data));
  words[2] = 0; // offset
  int64_t stride = 1;
  for (int64_t d = rank - 1; d >= 0; --d) {
    words[3 + d] = shape[d];
    words[3 + rank + d] = stride;
    stride *= shape[d];
  }
}

void HostMemRef::poison() {
  if (isWorkspace) {
    std::memset(data, 0xff, numElements);
    return;
  }
  for (int64_t i = 0; i < numElements; ++i) {
    switch (dtype) {
    case DType::F32: {
      uint32_t nan = 0x7fc00000;
      std::memcpy(data + 4 * i, &nan, 4);
      break;
    }
    case DType::F16:
    case DType::BF16: {
      uint16_t nan = dtype == DType::F16 ? 0x7e00 : 0x7fc0;
      std::memcpy(data + 2 * i, &nan, 2);
      break;
    }
    }
  }
}

void HostMemRef::store(const Tensor &tensor) {
  const std::vector<float> &values = tensor.data;
  for (int64_t i = 0; i < numElements; ++i) {
    switch (dtype) {
    case DType::F32:
      std::memcpy(data + 4 * i, &values[i], 4);
      break;
    case DType::F16: {
      uint16_t bits = exactF16Bits(values[i]);
      std::memcpy(data + 2 * i, &bits, 2);
      break;
    }
    case DType::BF16: {
      // A bfloat16 value is a float whose low 16 bits are zero.
      auto bits = static_cast<uint16_t>(floatBits(values[i]) >> 16);
      std::memcpy(data + 2 * i, &bits, 2);
      break;
    }
    }
  }
}

Tensor HostMemRef::load() const {
  Tensor tensor(shape, dtype, /*lanes=*/1);
  for (int64_t i = 0; i < numElements; ++i) {
    switch (dtype) {
    case DType::F32:
      std::memcpy(&tensor.data[i], data + 4 * i, 4);
      break;
    case DType::F16:
    case DType::BF16: {
      uint16_t bits;
      std::memcpy(&bits, data + 2 * i, 2);
      tensor.data[i] = dtype == DType::F16
                           ? fromF16Bits(bits)
                           : floatFromBits(static_cast<uint32_t>(bits) << 16);
      break;
    }
    }
  }
  return tensor;
}

HostArguments::HostArguments(llvm::ArrayRef<Tensor> inputTensors,
                             const KernelGraph &graph, int64_t workspaceBytes)
    : workspace(workspaceBytes) {
  for (const Tensor &tensor : inputTensors) {
    inputs.emplace_back(tensor.shape, tensor.dtype);
    inputs.back().store(tensor);
  }
  for (ValueId id : graph.outputs) {
    const ValueInfo &info = graph.values[id];
    outputs.emplace_back(info.shape, info.dtype);
    outputs.back().poison();
  }
  workspace.poison();

  for (HostMemRef &memref : inputs)
    descriptors.push_back(memref.descriptor());
  for (HostMemRef &memref : outputs)
    descriptors.push_back(memref.descriptor());
  descriptors.push_back(workspace.descriptor());
  for (void *&descriptor : descriptors)
    packed.push_back(&descriptor);
}
