//===- Random.h - The seeded random stream of inputs ------------*- C++ -*-===//
//
// The random inputs of a seeded run, the same on every machine: the
// interpreter (`mirage-opt --mirage-interpret="seed=S ..."`, the equivalence
// checker, mirage-cpu-runner) and the GPU runtime (`mirage-run --seed S`)
// draw them here, so that a GPU run sees bit-identical inputs and the
// interpreter's outputs are its reference values (docs/Semantics.md,
// "Inputs"). Standard C++17 only: the runtime compiles lib/Portable/ too.
//
//   key  = mix64(seed * gamma + t + 1)       t: the input index
//   bits = mix64(key + (i + 1) * gamma)      i: the flat element index
//   u    = (bits >> 11) * 2^-53              uniform in [0, 1)
//   x    = round_to_dtype((2u - 1) * scale)  uniform in [-scale, scale)
//
// with splitmix64's output function mix64 and its increment gamma =
// 0x9e3779b97f4a7c15; all arithmetic on 64-bit words wraps around.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_PORTABLE_RANDOM_H
#define MIRAGE_PORTABLE_RANDOM_H

#include "Mirage/Portable/DType.h"

#include <cstdint>

namespace mirage::portable {

/// splitmix64's increment (the golden ratio in 64-bit fixed point).
inline constexpr uint64_t kSplitMixGamma = 0x9e3779b97f4a7c15ULL;

/// splitmix64's output function, a bijection of 64-bit words.
uint64_t mix64(uint64_t z);

/// The 64 random bits of element `element` of input `inputIndex`: the
/// (element + 1)-th output of the splitmix64 stream keyed by (seed, input).
uint64_t randomBits(uint64_t seed, unsigned inputIndex, uint64_t element);

/// The top 53 of `bits` as a double uniform in [0, 1).
double unitInterval(uint64_t bits);

/// Element `element` of float input `inputIndex`: uniform in [-scale,
/// scale), rounded once to `dtype`.
double randomValue(uint64_t seed, unsigned inputIndex, uint64_t element,
                   double scale, DType dtype);

} // namespace mirage::portable

#endif // MIRAGE_PORTABLE_RANDOM_H
