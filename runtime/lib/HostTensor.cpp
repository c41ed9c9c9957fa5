//===- HostTensor.cpp - A dense tensor in host memory ---------------------===//

#include "MirageRuntime/HostTensor.h"
#include "Mirage/Portable/FloatFormats.h"

#include <cstring>

using namespace mirage::rt;

std::string mirage::rt::formatShape(const Shape &shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

int64_t mirage::rt::numElements(const Shape &shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

Shape mirage::rt::rowMajorStrides(const Shape &shape) {
  Shape strides(shape.size());
  int64_t stride = 1;
  for (size_t i = shape.size(); i-- > 0;) {
    strides[i] = stride;
    stride *= shape[i];
  }
  return strides;
}

HostTensor::HostTensor(DType dtype, Shape shape)
    : dtype(dtype), shape(std::move(shape)), count(numElements(this->shape)),
      bytes(static_cast<size_t>(count) * dtypeBytes(dtype)) {}

double HostTensor::get(int64_t i) const {
  const uint8_t *p = bytes.data() + static_cast<size_t>(i) * dtypeBytes(dtype);
  if (dtype == DType::F32) {
    float f;
    std::memcpy(&f, p, 4);
    return f;
  }
  uint16_t bits;
  std::memcpy(&bits, p, 2);
  return dtype == DType::F16 ? portable::fromF16Bits(bits)
                             : portable::fromBF16Bits(bits);
}

void HostTensor::set(int64_t i, double value) {
  uint8_t *p = bytes.data() + static_cast<size_t>(i) * dtypeBytes(dtype);
  if (dtype == DType::F32) {
    auto f = static_cast<float>(value);
    std::memcpy(p, &f, 4);
    return;
  }
  uint16_t bits = dtype == DType::F16 ? portable::toF16Bits(value)
                                      : portable::toBF16Bits(value);
  std::memcpy(p, &bits, 2);
}
