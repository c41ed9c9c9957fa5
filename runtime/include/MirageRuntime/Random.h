//===- Random.h - The interpreter's seeded random inputs --------*- C++ -*-===//
//
// mirage-run generates its random inputs with the generator of the
// reference interpreter, the one seeded random stream of Mirage-MLIR
// (Mirage/Portable/Random.h, docs/Semantics.md "Inputs"), so that
// `mirage-opt --mirage-interpret="seed=S ..."` and `mirage-run --seed S` see
// bit-identical inputs and the interpreter's outputs are the reference
// values of a GPU run.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGERUNTIME_RANDOM_H
#define MIRAGERUNTIME_RANDOM_H

#include "MirageRuntime/HostTensor.h"

#include <cstdint>

namespace mirage::rt {

/// Input `inputIndex` of a seeded run, uniform in [-scale, scale) rounded to
/// `dtype` (portable::randomValue of each element).
HostTensor randomTensor(DType dtype, const Shape &shape, uint64_t seed,
                        unsigned inputIndex, double scale = 1.0);

} // namespace mirage::rt

#endif // MIRAGERUNTIME_RANDOM_H
