//===- HostTensor.h - A dense tensor in host memory -------------*- C++ -*-===//
//
// Inputs, outputs and reference values on the host, stored exactly as on the
// device (f16 and bf16 as 16-bit patterns, f32 as float), row-major.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGERUNTIME_HOSTTENSOR_H
#define MIRAGERUNTIME_HOSTTENSOR_H

#include "MirageRuntime/DType.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mirage::rt {

using Shape = std::vector<int64_t>;

/// "[2, 4096]".
std::string formatShape(const Shape &shape);
/// The number of elements (1 for rank 0).
int64_t numElements(const Shape &shape);
/// Contiguous row-major strides, in elements.
Shape rowMajorStrides(const Shape &shape);

class HostTensor {
public:
  HostTensor(DType dtype, Shape shape);

  DType getDType() const { return dtype; }
  const Shape &getShape() const { return shape; }
  int64_t size() const { return count; }
  size_t byteSize() const { return bytes.size(); }
  uint8_t *data() { return bytes.data(); }
  const uint8_t *data() const { return bytes.data(); }

  /// Element `i` (flat, row-major) as a double.
  double get(int64_t i) const;
  /// Sets element `i` to `value` rounded to the dtype.
  void set(int64_t i, double value);

private:
  DType dtype;
  Shape shape;
  int64_t count;
  std::vector<uint8_t> bytes;
};

} // namespace mirage::rt

#endif // MIRAGERUNTIME_HOSTTENSOR_H
