//===- HostArguments.cpp - Memrefs for a JIT-compiled μGraph --------------===//

#include "HostArguments.h"

#include "Mirage/Portable/FloatFormats.h"

#include <cstring>

using namespace mirage;

namespace {

constexpr int64_t kAlignment = 256;

uint32_t floatBits(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  return bits;
}

} // namespace

HostMemRef::HostMemRef(Shape shape, DType dtype) : dtype(dtype) {
  init(std::move(shape), dtypeBytes(dtype));
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
      uint32_t nan = portable::kF32QuietNaN;
      std::memcpy(data + 4 * i, &nan, 4);
      break;
    }
    case DType::F16:
    case DType::BF16: {
      uint16_t nan = dtype == DType::F16 ? portable::kF16QuietNaN
                                         : portable::kBF16QuietNaN;
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
      // Bit moves: inputs of tens of millions of elements convert in
      // milliseconds (every value of an f16 tensor is exactly f16).
      uint16_t bits = portable::exactF16Bits(values[i]);
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
      tensor.data[i] = static_cast<float>(dtype == DType::F16
                                              ? portable::fromF16Bits(bits)
                                              : portable::fromBF16Bits(bits));
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
