//===- Random.cpp - The interpreter's seeded random inputs ----------------===//

#include "MirageRuntime/Random.h"
#include "Mirage/Portable/Random.h"

using namespace mirage::rt;

HostTensor mirage::rt::randomTensor(DType dtype, const Shape &shape,
                                    uint64_t seed, unsigned inputIndex,
                                    double scale) {
  HostTensor tensor(dtype, shape);
  for (int64_t i = 0; i < tensor.size(); ++i)
    // The value is already a value of the dtype: set() stores it exactly.
    tensor.set(i,
               portable::randomValue(seed, inputIndex, static_cast<uint64_t>(i),
                                     scale, dtype));
  return tensor;
}
