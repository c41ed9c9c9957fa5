//===- SearchState.cpp - State of the μGraph search -------------*- C++ -*-===//

#include "SearchState.h"

#include <algorithm>
#include <numeric>

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

/// Equal fingerprints, element for element.
static bool sameTensor(const Tensor &a, const Tensor &b) {
  return a.shape == b.shape && a.data == b.data;
}

std::optional<llvm::SmallVector<unsigned, 4>>
mirage::search::matchOutputs(const KernelGraph &reference,
                             const KernelGraph &candidate,
                             const ReferenceTests &tests, size_t endTest) {
  unsigned numOutputs = candidate.outputs.size();
  if (numOutputs != reference.outputs.size())
    return std::nullopt;
  llvm::SmallVector<unsigned, 4> perm(numOutputs);
  std::iota(perm.begin(), perm.end(), 0);
  std::vector<llvm::SmallVector<unsigned, 4>> perms;
  do {
    bool fits = true;
    for (unsigned i = 0; i < numOutputs; ++i) {
      const ValueInfo &ref = reference.values[reference.outputs[i]];
      const ValueInfo &cand = candidate.values[candidate.outputs[perm[i]]];
      fits &= ref.shape == cand.shape && ref.dtype == cand.dtype;
    }
    if (fits)
      perms.push_back(perm);
  } while (std::next_permutation(perm.begin(), perm.end()));
  for (size_t test = 0;
       test < std::min(endTest, tests.inputs.size()) && !perms.empty();
       ++test) {
    llvm::Expected<EvalResult> result = evaluate(
        candidate, NumberSystem::Field, tests.inputs[test], tests.seeds[test]);
    if (!result || result->inconclusive) {
      if (!result)
        llvm::consumeError(result.takeError());
      return std::nullopt;
    }
    llvm::erase_if(perms, [&](const llvm::SmallVector<unsigned, 4> &p) {
      for (unsigned i = 0; i < numOutputs; ++i)
        if (!sameTensor(tests.outputs[test][i], result->outputs[p[i]]))
          return true;
      return false;
    });
  }
  if (perms.empty())
    return std::nullopt;
  return perms.front();
}
