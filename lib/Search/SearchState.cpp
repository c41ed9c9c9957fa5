//===- SearchState.cpp - State of the μGraph search -------------*- C++ -*-===//

#include "SearchState.h"

#include "Mirage/Support/Vocabulary.h"

#include "llvm/ADT/SmallVector.h"

#include <algorithm>

using namespace mirage;
using namespace mirage::search;

OpKey mirage::search::keyOf(const OpNode &op) {
  OpKey key;
  key.numOperands = std::min<size_t>(op.operands.size(), 4);
  for (unsigned i = 0; i < key.numOperands; ++i) {
    key.operands[i] = op.operands[i];
    key.maxOperand = std::max(key.maxOperand, op.operands[i]);
  }
  key.kind = static_cast<uint8_t>(op.kind);
  return key;
}

bool mirage::search::isBatched(llvm::ArrayRef<int64_t> shape) {
  return shape.size() > 2 &&
         llvm::any_of(shape.drop_back(2), [](int64_t d) { return d != 1; });
}

int64_t mirage::search::bytesOf(const ValueInfo &info) {
  return numElements(info.shape) * dtypeBytes(info.dtype);
}

int64_t mirage::search::storedTilesLowerBound(
    llvm::ArrayRef<ValueInfo> values, llvm::ArrayRef<OpNode> ops,
    const OpNode *next, llvm::ArrayRef<ValueInfo> nextResults) {
  size_t n = values.size() + (next ? nextResults.size() : 0);
  auto info = [&](ValueId v) -> const ValueInfo & {
    return static_cast<size_t>(v) < values.size()
               ? values[v]
               : nextResults[v - values.size()];
  };
  llvm::SmallVector<uint8_t, 32> readers(n, 0), stored(n, 0);
  auto visit = [&](const OpNode &op, llvm::ArrayRef<ValueId> results) {
    for (ValueId v : op.operands)
      readers[v] = std::min(readers[v] + 1, 2);
    bool matmul = op.kind == OpKind::Matmul || op.kind == OpKind::ConcatMatmul;
    if (matmul)
      for (ValueId v : op.operands)
        stored[v] = 1;
    if (op.kind == OpKind::Loader || op.kind == OpKind::Saver ||
        isElementwise(op.kind))
      return;
    for (ValueId r : results)
      stored[r] = 1;
  };
  for (const OpNode &op : ops)
    visit(op, op.results);
  if (next) {
    llvm::SmallVector<ValueId, 2> results;
    for (size_t i = 0; i < nextResults.size(); ++i)
      results.push_back(static_cast<ValueId>(values.size() + i));
    visit(*next, results);
  }
  // Element-wise results read twice or more (loaders' tiles are stored only
  // as matmul operands).
  auto elementwiseResults = [&](const OpNode &op,
                                llvm::ArrayRef<ValueId> results) {
    if (isElementwise(op.kind))
      for (ValueId r : results)
        if (readers[r] > 1)
          stored[r] = 1;
  };
  for (const OpNode &op : ops)
    elementwiseResults(op, op.results);
  int64_t bytes = 0;
  for (size_t v = 0; v < n; ++v)
    if (stored[v])
      bytes += bytesOf(info(static_cast<ValueId>(v)));
  return bytes;
}
