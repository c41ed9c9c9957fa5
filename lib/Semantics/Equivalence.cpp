//===- Equivalence.cpp - Probabilistic equivalence of μGraphs -------------===//

#include "Mirage/Semantics/Equivalence.h"
#include "Mirage/Portable/Compare.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Sequence.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/FormatVariadic.h"

#include <algorithm>
#include <cmath>

using namespace mirage;

/// exp and its exact rational functions (the vocabulary's expLike kinds):
/// their Z_p residue is a function of the operand's Z_q residue, and their
/// Z_q residue is constant. Opaque functions (gelu, relu, clamp, sqrt, pow)
/// are random functions of the whole residue pair and may take any operand
/// (docs/Semantics.md).
static bool isExpLike(OpKind kind) { return opKindInfo(kind).expLike; }

/// Propagates "depends on an exponential" through one graph's ops; errors
/// when an exponential's argument already does.
static llvm::Error propagateExp(const std::vector<OpNode> &ops,
                                std::vector<char> &tainted,
                                const KernelGraph &graph) {
  for (const OpNode &op : ops) {
    bool any = llvm::any_of(op.operands, [&](ValueId v) { return tainted[v]; });
    if (isExpLike(op.kind) && tainted[op.operands[0]])
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
      tainted[r] = any || isExpLike(op.kind);
  }
  return llvm::Error::success();
}

llvm::Error mirage::checkFingerprintable(const KernelGraph &graph) {
  std::vector<char> tainted(graph.values.size(), 0);
  return propagateExp(graph.ops, tainted, graph);
}

/// The first element where two fingerprint outputs differ, or -1.
static int64_t firstFieldDifference(const Tensor &a, const Tensor &b) {
  int64_t n = a.numElements();
  for (int64_t i = 0; i < n; ++i)
    if (a.data[2 * i] != b.data[2 * i] ||
        a.data[2 * i + 1] != b.data[2 * i + 1])
      return i;
  return -1;
}

/// Float mode: the one output comparison (Mirage/Portable/Compare.h) of
/// `a` against the expected `b`, with the options' absolute tolerances. An
/// expected value that is not finite makes the comparison unusable.
static portable::Comparison
compareFloatOutputs(const Tensor &a, const Tensor &b,
                    const EquivalenceOptions &options) {
  return portable::compare(a.data.data(), b.data.data(), b.numElements(),
                           portable::Tolerance{options.rtol, options.atol},
                           portable::NonFinite::Reject);
}

static Shape unflatten(int64_t flat, llvm::ArrayRef<int64_t> shape) {
  Shape index(shape.size());
  for (size_t d = shape.size(); d-- > 0;) {
    index[d] = flat % shape[d];
    flat /= shape[d];
  }
  return index;
}

//===----------------------------------------------------------------------===//
// The float test
//===----------------------------------------------------------------------===//

double mirage::floatTestTolerance(DType dtype) {
  // 20 unit roundoffs of f16 (u = 2^-11), 32 of bf16 (u = 2^-9), and 1e-4
  // for f32: equivalent programs still differ in where they round.
  switch (dtype) {
  case DType::F16:
    return 1e-2;
  case DType::BF16:
    return 6.25e-2;
  case DType::F32:
    return 1e-4;
  }
  llvm_unreachable("unknown dtype");
}

static bool allFinite(const std::vector<Tensor> &outputs) {
  return llvm::all_of(outputs, [](const Tensor &t) {
    return llvm::all_of(t.data, [](float v) { return std::isfinite(v); });
  });
}

namespace {
/// Float outputs of both programs on the input of `seed`, at the largest
/// scale inputScale / 2^k (k <= kMaxHalvings) where every output of both is
/// finite; `usable` is false when there is none.
struct FloatRun {
  bool usable = false;
  double scale = 1.0;
  std::vector<Tensor> lhs, rhs;
};
} // namespace

static constexpr unsigned kMaxHalvings = 10;

static llvm::Expected<FloatRun> runBothInFloat(const KernelGraph &lhs,
                                               const KernelGraph &rhs,
                                               uint64_t seed,
                                               double inputScale) {
  FloatRun run;
  run.scale = inputScale;
  for (unsigned k = 0; k <= kMaxHalvings; ++k, run.scale /= 2) {
    // Large inputs are drawn where they are read (MoE's weights).
    std::vector<Tensor> inputs =
        seededInputs(lhs, NumberSystem::Float, seed, run.scale);
    llvm::Expected<EvalResult> a = evaluate(lhs, NumberSystem::Float, inputs);
    if (!a)
      return a.takeError();
    if (!allFinite(a->outputs))
      continue;
    llvm::Expected<EvalResult> b = evaluate(rhs, NumberSystem::Float, inputs);
    if (!b)
      return b.takeError();
    if (!allFinite(b->outputs))
      continue;
    run.usable = true;
    run.lhs = std::move(a->outputs);
    run.rhs = std::move(b->outputs);
    return run;
  }
  run.scale *= 2;
  return run;
}

/// The root mean square of a float output.
static double rootMeanSquare(const Tensor &t) {
  int64_t n = t.numElements();
  double sumSquares = 0;
  for (int64_t j = 0; j < n; ++j)
    sumSquares += static_cast<double>(t.data[j]) * t.data[j];
  return n ? std::sqrt(sumSquares / static_cast<double>(n)) : 0.0;
}

/// Compares a float run under one permutation with the one output
/// comparison (Mirage/Portable/Compare.h). The float test's rule,
///   |lhs - rhs| <= tol * (|rhs| + rms(rhs)),
/// is numpy.isclose with rtol = tol and atol = tol * rms(rhs): the same
/// bound, computed as tol * rms + tol * |rhs| (the two forms differ at most
/// in the rounding of the bound, by an ulp either way, never by a factor).
/// Every output is finite here (runBothInFloat), so NonFinite never applies.
static FloatTest compareFloatRun(const FloatRun &run,
                                 llvm::ArrayRef<unsigned> permutation) {
  FloatTest test;
  test.usable = run.usable;
  test.inputScale = run.scale;
  if (!run.usable)
    return test;
  test.agrees = true;
  for (size_t i = 0; i < run.lhs.size(); ++i) {
    const Tensor &x = run.lhs[i];
    const Tensor &y = run.rhs[permutation[i]];
    double tol = floatTestTolerance(y.dtype);
    double rms = rootMeanSquare(y);
    portable::Comparison c = portable::compare(
        x.data.data(), y.data.data(), y.numElements(),
        portable::Tolerance{tol, tol * rms}, portable::NonFinite::Reject);
    // The worst element in tolerances is the one with the largest error
    // relative to |rhs| + rms (tol is fixed per output).
    if (c.worst.index >= 0) {
      double scale = std::fabs(c.worst.expected) + rms;
      double error = scale > 0              ? c.worst.absError / scale
                     : c.worst.absError > 0 ? INFINITY
                                            : 0.0;
      test.maxError = std::max(test.maxError, error);
    }
    if (!c.numMismatches || !test.agrees)
      continue;
    test.agrees = false;
    test.output = static_cast<unsigned>(i);
    test.index = unflatten(c.firstMismatch.index, x.shape);
    test.lhsValue = c.firstMismatch.got;
    test.rhsValue = c.firstMismatch.expected;
  }
  return test;
}

llvm::Expected<FloatTest>
mirage::runFloatTest(const KernelGraph &lhs, const KernelGraph &rhs,
                     llvm::ArrayRef<unsigned> permutation, uint64_t seed,
                     double inputScale) {
  llvm::Expected<FloatRun> run = runBothInFloat(lhs, rhs, seed, inputScale);
  if (!run)
    return run.takeError();
  return compareFloatRun(*run, permutation);
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
  const std::vector<llvm::SmallVector<unsigned, 4>> pairings = candidates;
  EquivalenceResult result;
  bool haveMismatch = false;
  uint64_t seed = options.seed;
  unsigned done = 0;
  while (done < options.tests && !candidates.empty()) {
    std::vector<Tensor> inputs =
        seededInputs(lhs, options.system, seed, options.inputScale);
    // Both programs see the same constants and opaque functions: the model
    // of this test's seed.
    llvm::Expected<EvalResult> a = evaluate(lhs, options.system, inputs, seed);
    if (!a)
      return a.takeError();
    llvm::Expected<EvalResult> b = evaluate(rhs, options.system, inputs, seed);
    ++seed;
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
    // Float mode: an output of either program that is not all finite
    // checks nothing; that is an error, never a verdict.
    if (options.system == NumberSystem::Float)
      for (const auto &[graph, outputs] : {std::make_pair(&lhs, &a->outputs),
                                           std::make_pair(&rhs, &b->outputs)})
        for (const Tensor &y : *outputs) {
          portable::Comparison c = compareFloatOutputs(y, y, options);
          if (c.verdict() == portable::Verdict::Unusable)
            return llvm::createStringError(
                llvm::formatv(
                    "the float comparison is unusable at input scale {0}: in "
                    "a result of '{1}', {2}",
                    options.inputScale, graph->name,
                    portable::describeProblem(
                        c,
                        std::vector<int64_t>(y.shape.begin(), y.shape.end())))
                    .str());
        }
    llvm::erase_if(candidates, [&](const llvm::SmallVector<unsigned, 4> &p) {
      for (size_t i = 0; i < n; ++i) {
        const Tensor &x = a->outputs[i];
        const Tensor &y = b->outputs[p[i]];
        int64_t at = -1;
        if (options.system == NumberSystem::Field) {
          at = firstFieldDifference(x, y);
        } else {
          portable::Comparison c = compareFloatOutputs(x, y, options);
          if (c.verdict() != portable::Verdict::Pass)
            at = c.firstMismatch.index;
        }
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
  if (!candidates.empty())
    result.permutation = candidates.front();
  if (options.system == NumberSystem::Float) {
    result.equivalent = !candidates.empty();
    result.verdict =
        result.equivalent ? Verdict::Equivalent : Verdict::NotEquivalent;
    return result;
  }

  // One float test confirms the fingerprints' verdict; it uses the seed of
  // the first fingerprint test (float and field inputs differ anyway).
  llvm::Expected<FloatRun> run =
      runBothInFloat(lhs, rhs, options.seed, options.inputScale);
  if (!run)
    return run.takeError();
  result.floatTestRun = true;
  if (!candidates.empty()) {
    result.floatTest = compareFloatRun(*run, result.permutation);
    result.verdict = result.floatTest.usable && result.floatTest.agrees
                         ? Verdict::Equivalent
                         : Verdict::FloatDisagrees;
  } else {
    // Not equivalent unless some pairing of the outputs agrees in float.
    result.verdict = Verdict::NotEquivalent;
    for (const llvm::SmallVector<unsigned, 4> &p : pairings) {
      FloatTest test = compareFloatRun(*run, p);
      if (test.usable && test.agrees) {
        result.verdict = Verdict::NotProvable;
        result.permutation = p;
        result.floatTest = std::move(test);
        break;
      }
      if (&p == &pairings.front())
        result.floatTest = std::move(test);
    }
  }
  result.equivalent = result.verdict == Verdict::Equivalent;
  return result;
}
