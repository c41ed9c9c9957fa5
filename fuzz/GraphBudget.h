//===- GraphBudget.h - Skip graphs too large to interpret -------*- C++ -*-===//
//
// The interpreter targets run a graph only when its tensors fit in a small
// memory budget and its work (elements touched per block and iteration) in
// a small time budget, computed with overflow-safe arithmetic. A graph over
// either budget is a legitimate program that would only make the campaign
// slow or run it out of memory; it is skipped, not reported.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_FUZZ_GRAPHBUDGET_H
#define MIRAGE_FUZZ_GRAPHBUDGET_H

#include "Mirage/Core/UGraph.h"

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

/// Whether `graph` fits the budgets: `bytesPerElement` bytes of every value
/// at once under `memoryBytes`, and its work under kWorkBudget.
inline bool fitsBudget(const KernelGraph &graph, uint64_t bytesPerElement,
                       uint64_t memoryBytes) {
  std::optional<uint64_t> elements = elementsOf(graph.values);
  std::optional<uint64_t> work = elements;
  for (const BlockGraph &block : graph.blockGraphs) {
    std::optional<uint64_t> tiles = elementsOf(block.values);
    std::optional<uint64_t> repeat = elementsOf(block.launch.grid);
    repeat =
        block.launch.forloopRange < 0
            ? std::nullopt
            : mul(repeat, static_cast<uint64_t>(block.launch.forloopRange));
    work = add(work, tiles ? mul(repeat, *tiles) : std::nullopt);
    elements = add(elements, tiles);
  }
  std::optional<uint64_t> bytes =
      elements ? mul(elements, bytesPerElement) : std::nullopt;
  return bytes && work && *bytes <= memoryBytes && *work <= kWorkBudget;
}

} // namespace mirage::fuzz

#endif // MIRAGE_FUZZ_GRAPHBUDGET_H
