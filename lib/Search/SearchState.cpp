//===- SearchState.cpp - State of the μGraph search -------------*- C++ -*-===//

#include "SearchState.h"

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
