//===- Random.cpp - The interpreter's seeded random inputs ----------------===//

#include "MirageRuntime/Random.h"

using namespace mirage::rt;

static constexpr uint64_t kGamma = 0x9e3779b97f4a7c15ULL;

uint64_t mirage::rt::mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

uint64_t mirage::rt::randomBits(uint64_t seed, unsigned inputIndex,
                                uint64_t element) {
  uint64_t key = mix64(seed * kGamma + inputIndex + 1);
  return mix64(key + (element + 1) * kGamma);
}

HostTensor mirage::rt::randomTensor(DType dtype, const Shape &shape,
                                    uint64_t seed, unsigned inputIndex,
                                    double scale) {
  HostTensor tensor(dtype, shape);
  for (int64_t i = 0; i < tensor.size(); ++i) {
    uint64_t bits = randomBits(seed, inputIndex, static_cast<uint64_t>(i));
    double u = static_cast<double>(bits >> 11) * 0x1.0p-53;
    // set() rounds from double once, as the interpreter's roundToDType does.
    tensor.set(i, (2 * u - 1) * scale);
  }
  return tensor;
}
