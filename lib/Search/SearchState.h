//===- SearchState.h - State of the μGraph search (private) -----*- C++ -*-===//
//
// What both levels of the enumeration build on: the canonical order of ops
// and the graph under construction with its undo.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_LIB_SEARCH_SEARCHSTATE_H
#define MIRAGE_LIB_SEARCH_SEARCHSTATE_H

#include "Mirage/Core/UGraph.h"
#include "Mirage/Search/AbstractExpr.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"

#include <array>
#include <vector>

namespace mirage::search {

/// The canonical-order key of an op. Ops must be created in strictly
/// increasing key order, which admits exactly one creation order per graph.
/// The largest operand comes first so that an op always sorts after the ops
/// producing its operands (Mirage's key, the operand list alone, makes some
/// graphs unreachable, e.g. div(v0, exp(v1))).
struct OpKey {
  ValueId maxOperand = -1;
  uint8_t numOperands = 0;
  uint8_t kind = 0;
  std::array<ValueId, 4> operands = {};

  bool operator<(const OpKey &other) const {
    if (maxOperand != other.maxOperand)
      return maxOperand < other.maxOperand;
    // Lexicographic on the operand lists; a proper prefix is smaller.
    for (unsigned i = 0, e = std::min(numOperands, other.numOperands); i < e;
         ++i)
      if (operands[i] != other.operands[i])
        return operands[i] < other.operands[i];
    if (numOperands != other.numOperands)
      return numOperands < other.numOperands;
    return kind < other.kind;
  }
};

OpKey keyOf(const OpNode &op);

/// Whether a tile has a leading dimension other than 1 (a block matmul
/// takes none).
bool isBatched(llvm::ArrayRef<int64_t> shape);

/// The size of a value in bytes.
int64_t bytesOf(const ValueInfo &info);

/// A graph under construction with the use counts and expressions of its
/// values, undone op by op.
struct GraphState {
  std::vector<ValueInfo> *values = nullptr;
  std::vector<OpNode> *ops = nullptr;
  std::vector<uint16_t> uses;
  std::vector<ExprId> exprs;
  std::vector<OpKey> keys; // of the ops created by the search, in order

  void push(const OpNode &opIn, llvm::ArrayRef<ValueInfo> results,
            llvm::ArrayRef<ExprId> resultExprs) {
    OpNode op = opIn;
    for (ValueId v : op.operands)
      ++uses[v];
    for (auto [info, expr] : llvm::zip_equal(results, resultExprs)) {
      op.results.push_back(addValue(*values, info));
      uses.push_back(0);
      exprs.push_back(expr);
    }
    keys.push_back(keyOf(op));
    ops->push_back(std::move(op));
  }

  void pop() {
    const OpNode &op = ops->back();
    for (ValueId v : op.operands)
      --uses[v];
    values->resize(values->size() - op.results.size());
    uses.resize(values->size());
    exprs.resize(values->size());
    keys.pop_back();
    ops->pop_back();
  }

  bool admits(const OpKey &key) const {
    return keys.empty() || keys.back() < key;
  }
};

} // namespace mirage::search

#endif // MIRAGE_LIB_SEARCH_SEARCHSTATE_H
