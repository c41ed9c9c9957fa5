//===- Random.h - The interpreter's seeded random inputs --------*- C++ -*-===//
//
// mirage-run generates its random inputs with exactly the generator of the
// reference interpreter (docs/Semantics.md, "Inputs"; lib/Semantics/
// Interpreter.cpp), so that `mirage-opt --mirage-interpret="seed=S ..."` and
// `mirage-run --seed S` see bit-identical inputs and the interpreter's
// outputs are the reference values of a GPU run:
//
//   key  = mix64(seed * gamma + t + 1)       t: the input index
//   bits = mix64(key + (i + 1) * gamma)      i: the flat element index
//   u    = (bits >> 11) * 2^-53
//   x    = round_to_dtype((2u - 1) * scale)
//
// with splitmix64's mix64 and gamma = 0x9e3779b97f4a7c15.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGERUNTIME_RANDOM_H
#define MIRAGERUNTIME_RANDOM_H

#include "MirageRuntime/HostTensor.h"

#include <cstdint>

namespace mirage::rt {

/// splitmix64's output function.
uint64_t mix64(uint64_t z);

/// The 64 random bits of element `element` of input `inputIndex`.
uint64_t randomBits(uint64_t seed, unsigned inputIndex, uint64_t element);

/// Input `inputIndex` of a seeded run, uniform in [-scale, scale) rounded to
/// `dtype`.
HostTensor randomTensor(DType dtype, const Shape &shape, uint64_t seed,
                        unsigned inputIndex, double scale = 1.0);

} // namespace mirage::rt

#endif // MIRAGERUNTIME_RANDOM_H
