//===- Equivalence.cpp - Probabilistic equivalence of μGraphs -------------===//

#include "Mirage/Semantics/Equivalence.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Sequence.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cmath>

using namespace mirage;

static bool isExpLike(OpKind kind) {
  return kind == OpKind::Exp || kind == OpKind::Silu || kind == OpKind::Gelu ||
         kind == OpKind::Tanh;
}

/// Propagates "depends on an exponential" through one graph's ops; errors
/// when an exponential's argument (or a pow exponent) already does.
static llvm::Error propagateExp(const std::vector<OpNode> &ops,
                                std::vector<char> &tainted,
                                const KernelGraph &graph) {
  for (const OpNode &op : ops) {
    bool any = llvm::any_of(op.operands, [&](ValueId v) { return tainted[v]; });
    if ((isExpLike(op.kind) && tainted[op.operands[0]]) ||
        (op.kind == OpKind::Pow && tainted[op.operands[1]]))
      return llvm::createStringError(
          llvm::formatv("'{0}': {1} of a value that depends on an "
                        "exponential; fingerprints are only sound without "
                        "nested exponentials",
                        graph.name, opKindName(op.kind))
              .str());
    if (op.kind == OpKind::GraphDefined) {
      const BlockGraph &bg = graph.blockGraphs[op.blockGraph];
      std::vector<char> inner(bg.values.size(), 0);
      for (unsigned i = 0; i < bg.numInputs; ++i)
        inner[i] = tainted[op.operands[i]];
      if (llvm::Error err = propagateExp(bg.ops, inner, graph))
        return err;
      for (auto [r, o] : llvm::zip(op.results, bg.outputs))
        tainted[r] = inner[o];
      continue;
    }
    for (ValueId r : op.results)
      tainted[r] = any || isExpLike(op.kind) || op.kind == OpKind::Pow;
  }
  return llvm::Error::success();
}

llvm::Error mirage::checkFingerprintable(const KernelGraph &graph) {
  std::vector<char> tainted(graph.values.size(), 0);
  return propagateExp(graph.ops, tainted, graph);
}

static bool sameValue(const Tensor &a, const Tensor &b, int64_t i,
                      const EquivalenceOptions &options) {
  if (options.system == NumberSystem::Field)
    return a.data[2 * i] == b.data[2 * i] &&
           a.data[2 * i + 1] == b.data[2 * i + 1];
  double x = a.data[i], y = b.data[i];
  if (std::isnan(x) || std::isnan(y))
    return std::isnan(x) && std::isnan(y);
  if (std::isinf(x) || std::isinf(y))
    return x == y;
  return std::fabs(x - y) <= options.atol + options.rtol * std::fabs(y);
}

/// The first differing element of two outputs, or -1.
static int64_t firstDifference(const Tensor &a, const Tensor &b,
                               const EquivalenceOptions &options) {
  int64_t n = a.numElements();
  for (int64_t i = 0; i < n; ++i)
    if (!sameValue(a, b, i, options))
      return i;
  return -1;
}

static Shape unflatten(int64_t flat, llvm::ArrayRef<int64_t> shape) {
  Shape index(shape.size());
  for (size_t d = shape.size(); d-- > 0;) {
    index[d] = flat % shape[d];
    flat /= shape[d];
  }
  return index;
}

static llvm::Error checkSignatures(const KernelGraph &lhs,
                                   const KernelGraph &rhs) {
  if (lhs.numInputs != rhs.numInputs)
    return llvm::createStringError(
        llvm::formatv("'{0}' takes {1} inputs but '{2}' takes {3}", lhs.name,
                      lhs.numInputs, rhs.name, rhs.numInputs)
            .str());
  for (unsigned i = 0; i < lhs.numInputs; ++i)
    if (lhs.values[i].shape != rhs.values[i].shape ||
        lhs.values[i].dtype != rhs.values[i].dtype)
      return llvm::createStringError(
          llvm::formatv("input {0} is {1}x{2} in '{3}' but {4}x{5} in '{6}'", i,
                        formatShape(lhs.values[i].shape),
                        dtypeName(lhs.values[i].dtype), lhs.name,
                        formatShape(rhs.values[i].shape),
                        dtypeName(rhs.values[i].dtype), rhs.name)
              .str());
  if (lhs.outputs.size() != rhs.outputs.size())
    return llvm::createStringError(
        llvm::formatv("'{0}' has {1} results but '{2}' has {3}", lhs.name,
                      lhs.outputs.size(), rhs.name, rhs.outputs.size())
            .str());
  return llvm::Error::success();
}

llvm::Expected<EquivalenceResult>
mirage::checkEquivalence(const KernelGraph &lhs, const KernelGraph &rhs,
                         const EquivalenceOptions &options) {
  if (llvm::Error err = checkSignatures(lhs, rhs))
    return std::move(err);
  for (const KernelGraph *g : {&lhs, &rhs}) {
    if (llvm::Error err = checkEvaluable(*g))
      return std::move(err);
    if (options.system == NumberSystem::Field)
      if (llvm::Error err = checkFingerprintable(*g))
        return std::move(err);
  }
  // Every permutation pairing outputs of equal shape and dtype, identity
  // first (std::next_permutation from the sorted order).
  size_t n = lhs.outputs.size();
  std::vector<llvm::SmallVector<unsigned, 4>> candidates;
  llvm::SmallVector<unsigned, 4> perm;
  for (unsigned i = 0; i < n; ++i)
    perm.push_back(i);
  do {
    bool fits = llvm::all_of(llvm::seq<size_t>(0, n), [&](size_t i) {
      const ValueInfo &a = lhs.values[lhs.outputs[i]];
      const ValueInfo &b = rhs.values[rhs.outputs[perm[i]]];
      return a.shape == b.shape && a.dtype == b.dtype;
    });
    if (fits)
      candidates.push_back(perm);
  } while (std::next_permutation(perm.begin(), perm.end()));

  if (candidates.empty())
    return llvm::createStringError(
        llvm::formatv("the results of '{0}' and '{1}' differ in shape or "
                      "element type under every permutation",
                      lhs.name, rhs.name)
            .str());
  EquivalenceResult result;
  bool haveMismatch = false;
  uint64_t seed = options.seed;
  unsigned done = 0;
  while (done < options.tests && !candidates.empty()) {
    std::vector<Tensor> inputs =
        randomInputs(lhs, options.system, seed++, options.inputScale);
    llvm::Expected<EvalResult> a = evaluate(lhs, options.system, inputs);
    if (!a)
      return a.takeError();
    llvm::Expected<EvalResult> b = evaluate(rhs, options.system, inputs);
    if (!b)
      return b.takeError();
    if (a->inconclusive || b->inconclusive) {
      if (++result.inconclusiveTests > options.maxInconclusive)
        return llvm::createStringError(
            llvm::formatv(
                "{0} fingerprint tests were inconclusive ({1}); the programs "
                "divide by values that vanish too often to be compared",
                result.inconclusiveTests,
                a->inconclusive ? a->inconclusiveReason : b->inconclusiveReason)
                .str());
      continue;
    }
    ++done;
    llvm::erase_if(candidates, [&](const llvm::SmallVector<unsigned, 4> &p) {
      for (size_t i = 0; i < n; ++i) {
        const Tensor &x = a->outputs[i];
        const Tensor &y = b->outputs[p[i]];
        int64_t at = firstDifference(x, y, options);
        if (at < 0)
          continue;
        if (!haveMismatch) {
          haveMismatch = true;
          result.output = static_cast<unsigned>(i);
          result.index = unflatten(at, x.shape);
          result.lhsValue = x.data[at * x.lanes];
          result.rhsValue = y.data[at * y.lanes];
        }
        return true;
      }
      return false;
    });
  }
  result.testsRun = done;
  result.equivalent = !candidates.empty();
  if (result.equivalent)
    result.permutation = candidates.front();
  return result;
}
