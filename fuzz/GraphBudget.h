//===- GraphBudget.h - Skip graphs too large to interpret -------*- C++ -*-===//
//
// The interpreter targets run a graph only when the interpreter's own
// memory check (evaluationBytes and checkMemoryNeed, which the tools run
// before they allocate) admits it under a small budget, and its work
// (elements touched per block and iteration, overflow-safe) fits a small
// time budget. A graph over either budget is a legitimate program that
// would only make the campaign slow or run it out of memory; it is skipped,
// not reported.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_FUZZ_GRAPHBUDGET_H
#define MIRAGE_FUZZ_GRAPHBUDGET_H

#include "Mirage/Core/UGraph.h"
#include "Mirage/Semantics/Interpreter.h"
#include "Mirage/Support/MemoryLimit.h"

#include "llvm/Support/CheckedArithmetic.h"

#include <cstdint>
#include <optional>

namespace mirage::fuzz {

/// Elements times operations per evaluation; about a second under ASan.
constexpr uint64_t kWorkBudget = 1ull << 24;

/// `a * b` and `a + b`, or nullopt on overflow.
inline std::optional<uint64_t> mul(std::optional<uint64_t> a, uint64_t b) {
  return a ? llvm::checkedMulUnsigned(*a, b) : std::nullopt;
}
inline std::optional<uint64_t> add(std::optional<uint64_t> a,
                                   std::optional<uint64_t> b) {
  return a && b ? llvm::checkedAddUnsigned(*a, *b) : std::nullopt;
}

/// The number of elements of `shape`; nullopt on overflow or a negative
/// extent.
inline std::optional<uint64_t> elementsOf(llvm::ArrayRef<int64_t> shape) {
  std::optional<uint64_t> n = 1;
  for (int64_t d : shape)
    n = d < 0 ? std::nullopt : mul(n, static_cast<uint64_t>(d));
  return n;
}

/// The elements of every value of `values`.
inline std::optional<uint64_t>
elementsOf(const std::vector<ValueInfo> &values) {
  std::optional<uint64_t> sum = 0;
  for (const ValueInfo &value : values)
    sum = add(sum, elementsOf(value.shape));
  return sum;
}

/// Whether `graph` fits the budgets: the interpreter's memory check for a
/// fingerprint evaluation (the larger of the two number systems) under
/// `memoryBytes`, and its work under kWorkBudget.
inline bool fitsBudget(const KernelGraph &graph, uint64_t memoryBytes) {
  if (llvm::Error err =
          checkMemoryNeed(evaluationBytes(graph, NumberSystem::Field),
                          static_cast<int64_t>(memoryBytes), "fingerprint")) {
    llvm::consumeError(std::move(err));
    return false;
  }
  std::optional<uint64_t> work = elementsOf(graph.values);
  for (const BlockGraph &block : graph.blockGraphs) {
    std::optional<uint64_t> tiles = elementsOf(block.values);
    std::optional<uint64_t> repeat = elementsOf(block.launch.grid);
    repeat =
        block.launch.forloopRange < 0
            ? std::nullopt
            : mul(repeat, static_cast<uint64_t>(block.launch.forloopRange));
    work = add(work, tiles ? mul(repeat, *tiles) : std::nullopt);
  }
  return work && *work <= kWorkBudget;
}

} // namespace mirage::fuzz

#endif // MIRAGE_FUZZ_GRAPHBUDGET_H
