//===- Interpreter.h - The reference interpreter of μGraphs -----*- C++ -*-===//
//
// The executable semantics of every μGraph op at every level (docs/
// Semantics.md): one evaluator over the compact KernelGraph, generic in its
// number system.
//
//   * Float: every op computes in double and rounds its result to the op's
//     element type (f16, bf16 or f32); reductions, matmuls and for-loop
//     accumulators accumulate in double and round once.
//   * Field: fingerprints in Z_p x Z_q (FiniteField.h), the probabilistic
//     equivalence check of Equivalence.h.
//
// Graph-defined kernels run their block graph exactly: per block of the
// grid and per for-loop iteration, loaders by imap/fmap, the per-iteration
// ops, the accumulators, then the post-loop ops once and the savers by omap.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_SEMANTICS_INTERPRETER_H
#define MIRAGE_SEMANTICS_INTERPRETER_H

#include "Mirage/Core/UGraph.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace mirage {

enum class NumberSystem : uint8_t { Float, Field };

/// A seeded random input that is not held: its elements are drawn from the
/// seeded stream (randomInput's values, bit for bit) where the evaluator
/// reads them (docs/Semantics.md, "Inputs drawn where they are read").
struct SeededSource {
  uint64_t seed = 0;
  unsigned inputIndex = 0;
  double scale = 1.0;
};

/// A value of the interpreter, row-major. Float values hold one float per
/// element (exactly the value rounded to `dtype`); fingerprints hold two
/// per element, the residues mod p and mod q, interleaved. A drawn input
/// (`drawn` set) holds no data: `data` is empty.
struct Tensor {
  Shape shape;
  DType dtype = DType::F32;
  unsigned lanes = 1;
  std::vector<float> data;
  std::optional<SeededSource> drawn;

  Tensor() = default;
  Tensor(Shape shape, DType dtype, unsigned lanes);
  int64_t numElements() const { return mirage::numElements(shape); }
  bool isDrawn() const { return drawn.has_value(); }
  /// The bytes `data` holds.
  int64_t heldBytes() const {
    return static_cast<int64_t>(data.size() * sizeof(float));
  }
};

/// The number of floats per element in a number system.
inline unsigned lanesOf(NumberSystem system) {
  return system == NumberSystem::Field ? 2 : 1;
}

struct EvalResult {
  std::vector<Tensor> outputs;
  /// Set when a fingerprint evaluation divided by (or took rsqrt of) a
  /// residue that is zero in one component: the outputs mean nothing and
  /// the test must be repeated with other inputs.
  bool inconclusive = false;
  std::string inconclusiveReason;
};

/// Checks that the evaluator supports every op and shape of `graph` (ranks
/// up to 4, operand counts, consistent shapes); the message names the op.
llvm::Error checkEvaluable(const KernelGraph &graph);

/// An estimate, meant to be an upper bound, of the bytes one evaluation of
/// `graph` in `system` holds at once: the kernel-level values live at once
/// (the inputs throughout, each computed value until its last use, the
/// outputs to the end), every tile of every block graph three times (the
/// tile and its double-precision accumulator), and the engine's scratch:
/// twice the largest computed value (double accumulators), twice the
/// largest first operand of a matmul (packed whole, in double), twice the
/// largest tile, one block of packed second operands and the cache of packed
/// stable operands (lib/Semantics/Engine.h). std::nullopt when it overflows
/// a 64-bit byte count. Callers compare it with a memory limit
/// (Mirage/Support/MemoryLimit.h) before they allocate the inputs.
///
/// With `heldInputBytes` (seededInputs' bound), the inputs above it are
/// drawn where they are read: they count nothing themselves, and the
/// scratch they are drawn into counts instead (a loader's tile, a block of
/// a matmul's second operand, or the whole operand for other ops).
std::optional<int64_t>
evaluationBytes(const KernelGraph &graph, NumberSystem system,
                int64_t heldInputBytes = std::numeric_limits<int64_t>::max());

/// The bytes of the inputs of `graph` in `system` (shared by the evaluations
/// of one test), or std::nullopt on overflow; with `heldInputBytes`, only
/// the inputs seededInputs holds.
std::optional<int64_t>
inputBytes(const KernelGraph &graph, NumberSystem system,
           int64_t heldInputBytes = std::numeric_limits<int64_t>::max());

/// The bytes of the inputs and outputs of `graph` in `system` (what a
/// caller keeps per test), or std::nullopt on overflow.
std::optional<int64_t> interfaceBytes(const KernelGraph &graph,
                                      NumberSystem system);

/// Evaluates `graph` on `inputs` (one per graph input, of its shape, with
/// the lanes of `system`). Fingerprints draw the images of user constants
/// and the opaque functions from `modelSeed` (docs/Semantics.md): programs
/// compared on one test must use the same seed, conventionally the seed of
/// the test's inputs. Float evaluation ignores it.
llvm::Expected<EvalResult> evaluate(const KernelGraph &graph,
                                    NumberSystem system,
                                    llvm::ArrayRef<Tensor> inputs,
                                    uint64_t modelSeed = 0);

/// The same, showing every computed kernel-level value to `observe` once,
/// as it is computed (before the intermediates the outputs do not need are
/// freed): a caller that needs something of every value (a hash) does not
/// have to keep them all.
llvm::Expected<EvalResult>
evaluate(const KernelGraph &graph, NumberSystem system,
         llvm::ArrayRef<Tensor> inputs, uint64_t modelSeed,
         llvm::function_ref<void(ValueId, const Tensor &)> observe);

/// The random input `inputIndex` of a seeded run: the seeded random stream
/// of Mirage/Portable/Random.h (counter-based splitmix64, identical on every
/// machine and in the GPU runtime; docs/Semantics.md gives the formula).
/// Float values are uniform in [-scale, scale) rounded to the dtype
/// (portable::randomValue); residues are uniform in Z_p and Z_q, from the
/// same bits (portable::randomBits).
Tensor randomInput(const ValueInfo &info, NumberSystem system, uint64_t seed,
                   unsigned inputIndex, double scale = 1.0);
std::vector<Tensor> randomInputs(const KernelGraph &graph, NumberSystem system,
                                 uint64_t seed, double scale = 1.0);

/// The bytes above which seededInputs leaves an input drawn (in `system`:
/// a 4096x4096 f16 weight is 128 MiB as fingerprints, 64 MiB as floats).
inline constexpr int64_t kHeldInputBytes = int64_t(256) << 20;

/// The same inputs as randomInputs, but those of more than `heldBytes`
/// bytes are not held: evaluate draws their elements where it reads them,
/// with the same values, so every result is the same (docs/Semantics.md).
Tensor seededInput(const ValueInfo &info, NumberSystem system, uint64_t seed,
                   unsigned inputIndex, double scale = 1.0,
                   int64_t heldBytes = kHeldInputBytes);
std::vector<Tensor> seededInputs(const KernelGraph &graph, NumberSystem system,
                                 uint64_t seed, double scale = 1.0,
                                 int64_t heldBytes = kHeldInputBytes);

} // namespace mirage

#endif // MIRAGE_SEMANTICS_INTERPRETER_H
