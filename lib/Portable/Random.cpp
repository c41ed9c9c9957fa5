//===- Random.cpp - The seeded random stream of inputs --------------------===//
//
// Standard C++17 only: the GPU runtime compiles this file too.
//
//===----------------------------------------------------------------------===//

#include "Mirage/Portable/Random.h"
#include "Mirage/Portable/FloatFormats.h"

using namespace mirage::portable;

uint64_t mirage::portable::mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

uint64_t mirage::portable::randomBits(uint64_t seed, unsigned inputIndex,
                                      uint64_t element) {
  uint64_t key = mix64(seed * kSplitMixGamma + inputIndex + 1);
  return mix64(key + (element + 1) * kSplitMixGamma);
}

double mirage::portable::unitInterval(uint64_t bits) {
  return static_cast<double>(bits >> 11) * 0x1.0p-53;
}

double mirage::portable::randomValue(uint64_t seed, unsigned inputIndex,
                                     uint64_t element, double scale,
                                     DType dtype) {
  double u = unitInterval(randomBits(seed, inputIndex, element));
  return roundToDType((2 * u - 1) * scale, dtype);
}
