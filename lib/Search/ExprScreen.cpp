//===- ExprScreen.cpp - Abstract-expression checks of the search *- C++ -*-===//

#include "ExprScreen.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/ErrorHandling.h"

#include <algorithm>
#include <chrono>
#include <cstring>

using namespace mirage;
using namespace mirage::search;

/// The scales of `reference`'s mul_scalar ops and the bounds of its clamps,
/// kernel and block level, each once (by exact bits) in order of first use.
static void collectConstants(const KernelGraph &reference,
                             std::vector<double> &scales,
                             std::vector<std::pair<double, double>> &bounds) {
  auto same = [](double a, double b) {
    return std::memcmp(&a, &b, sizeof(double)) == 0;
  };
  auto visit = [&](const OpNode &op) {
    if (op.kind == OpKind::MulScalar &&
        llvm::none_of(scales, [&](double s) { return same(s, op.scalarA); }))
      scales.push_back(op.scalarA);
    if (op.kind == OpKind::Clamp &&
        llvm::none_of(bounds, [&](const std::pair<double, double> &b) {
          return same(b.first, op.scalarA) && same(b.second, op.scalarB);
        }))
      bounds.push_back({op.scalarA, op.scalarB});
  };
  for (const OpNode &op : reference.ops)
    visit(op);
  for (const BlockGraph &block : reference.blockGraphs)
    for (const OpNode &op : block.ops)
      visit(op);
}

ExprScreen::ExprScreen(const KernelGraph &reference, const RunnerLimits &limits)
    : builder(pool) {
  collectConstants(reference, scaleConstants, clampConstants);
  auto start = std::chrono::steady_clock::now();
  AbstractExprs target = computeAbstractExprs(builder, reference);
  targetOutputs.assign(target.outputs.begin(), target.outputs.end());
  pruner = std::make_unique<AbstractPruner>(builder, target.outputs, limits);
  // An element-wise function whose operator appears nowhere in the
  // saturated target cannot pass the query: skip it without building its
  // expression. (Its expression's root is always that operator.)
  auto present = [&](AbsOp kind) {
    return !pruner->egraph().classesWithOp(op(kind)).empty();
  };
  for (bool blockLevel : {false, true})
    for (OpKind kind : searchedFunctions(1, blockLevel))
      if (std::optional<AbsOp> abs = abstractOp(kind); abs && !present(*abs))
        absentKinds.insert(kind);
  // Block rms_norm is x / rms(n, x).
  if (!present(AbsOp::Rms) || !present(AbsOp::Div))
    absentKinds.insert(OpKind::RmsNorm);
  // The outputs' classes, for the screen of complete candidates; only with
  // a saturated e-graph, where every rewriting the axioms give is in it.
  if (!pruner->report().hitLimit()) {
    for (ExprId output : target.outputs) {
      std::optional<ClassId> cls = pruner->classOf(output);
      if (!cls) {
        outputClasses.clear();
        break;
      }
      outputClasses.push_back(*cls);
    }
  }
  // The outputs' classes as the goals of the distance bound, saturated or
  // not: every value the search builds passes the per-op check, so it is
  // in this e-graph, and the heights bound the ops to the reference's own
  // output classes (outputDistance).
  for (ExprId output : target.outputs) {
    std::optional<ClassId> cls = pruner->classOf(output);
    if (!cls) {
      goalClasses.clear();
      break;
    }
    goalClasses.push_back(*cls);
  }
  saturation =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
}

ExprScreen::ExprScreen(const KernelGraph &reference,
                       const ExprScreen &saturated)
    : builder(pool), absentKinds(saturated.absentKinds),
      outputClasses(saturated.outputClasses),
      goalClasses(saturated.goalClasses),
      scaleConstants(saturated.scaleConstants),
      clampConstants(saturated.clampConstants) {
  // The same expressions under the same ids: the copied e-graph's answers
  // hold for this pool.
  AbstractExprs target = computeAbstractExprs(builder, reference);
  targetOutputs.assign(target.outputs.begin(), target.outputs.end());
  if (targetOutputs != saturated.targetOutputs ||
      pool.size() != saturated.pool.size())
    llvm::report_fatal_error(
        "ExprScreen: a copy of another reference's screen");
  pruner = std::make_unique<AbstractPruner>(builder, *saturated.pruner);
}

bool ExprScreen::exprsMatchOutputs(llvm::ArrayRef<ExprId> exprs) {
  // The goals, saturated or not (see goalClasses).
  if (goalClasses.size() != exprs.size())
    return true;
  llvm::SmallVector<bool, 4> met(goalClasses.size(), false);
  for (ExprId expr : exprs) {
    if (pruner->query(expr) == QueryResult::Unknown)
      return true;
    std::optional<ClassId> cls = pruner->classOf(expr);
    if (!cls)
      return false;
    bool found = false;
    for (auto [i, out] : llvm::enumerate(goalClasses))
      if (out == *cls) {
        met[i] = true;
        found = true;
      }
    if (!found)
      return false;
  }
  return llvm::all_of(met, [](bool m) { return m; });
}

bool ExprScreen::canBuildOutputs(llvm::ArrayRef<ExprId> inputExprs) {
  if (outputClasses.empty())
    return true;
  std::vector<ClassId> from;
  for (ExprId expr : inputExprs) {
    std::optional<ClassId> cls = pruner->classOf(expr);
    if (!cls)
      return true;
    from.push_back(*cls);
  }
  llvm::sort(from);
  from.erase(std::unique(from.begin(), from.end()), from.end());
  auto [it, inserted] = constructibleMemo.try_emplace(from, false);
  if (inserted)
    it->second = pruner->constructible(from, outputClasses);
  return it->second;
}

bool ExprScreen::followersCanReachOutputs(llvm::ArrayRef<ExprId> kernelExprs,
                                          llvm::ArrayRef<ExprId> inputExprs,
                                          unsigned steps) {
  if (goalClasses.empty())
    return true;
  auto classes =
      [&](llvm::ArrayRef<ExprId> exprs) -> std::optional<std::vector<ClassId>> {
    std::vector<ClassId> result;
    for (ExprId expr : exprs) {
      std::optional<ClassId> cls = pruner->classOf(expr);
      if (!cls)
        return std::nullopt;
      result.push_back(*cls);
    }
    llvm::sort(result);
    result.erase(std::unique(result.begin(), result.end()), result.end());
    return result;
  };
  std::optional<std::vector<ClassId>> available = classes(kernelExprs);
  std::optional<std::vector<ClassId>> from = classes(inputExprs);
  if (!available || !from)
    return true;
  auto [it, inserted] = followersMemo.try_emplace(
      std::make_tuple(*available, *from, steps), false);
  if (!inserted)
    return it->second;
  llvm::DenseSet<ClassId> made = pruner->constructibleFrom(*from);
  llvm::append_range(*available, made);
  llvm::DenseMap<ClassId, unsigned> heights = pruner->heightsFrom(*available);
  it->second = llvm::all_of(goalClasses, [&](ClassId goal) {
    auto found = heights.find(goal);
    return found != heights.end() && found->second <= steps;
  });
  return it->second;
}

std::shared_ptr<const ExprScreen::OutputDistance>
ExprScreen::outputDistance(llvm::ArrayRef<ExprId> inputExprs,
                           std::optional<llvm::ArrayRef<int64_t>> extents) {
  if (goalClasses.empty())
    return nullptr;
  std::vector<ClassId> from;
  for (ExprId expr : inputExprs) {
    std::optional<ClassId> cls = pruner->classOf(expr);
    if (!cls)
      return nullptr;
    from.push_back(*cls);
  }
  llvm::sort(from);
  from.erase(std::unique(from.begin(), from.end()), from.end());
  // No extents and no restriction differ: -1 marks the restricted key.
  std::vector<int64_t> allowed;
  if (extents) {
    allowed.push_back(-1);
    llvm::append_range(allowed, *extents);
  }
  auto [it, inserted] =
      distanceMemo.try_emplace(std::make_pair(from, allowed), nullptr);
  if (inserted) {
    auto distance = std::make_shared<OutputDistance>();
    distance->heights = pruner->heightsFrom(from, extents);
    if (!goalDepths) {
      auto depths =
          std::make_shared<std::vector<llvm::DenseMap<ClassId, unsigned>>>();
      for (ClassId goal : goalClasses)
        depths->push_back(pruner->depthsBelow(goal));
      goalDepths = std::move(depths);
    }
    distance->depths = goalDepths;
    for (ClassId goal : goalClasses) {
      auto found = distance->heights.find(goal);
      distance->goals.push_back(found == distance->heights.end()
                                    ? AbstractPruner::kUnreachable
                                    : found->second);
    }
    it->second = std::move(distance);
  }
  return it->second;
}

bool ExprScreen::redundantClosure(llvm::ArrayRef<ExprId> exprs,
                                  llvm::ArrayRef<ExprId> kernelExprs,
                                  bool last) {
  for (auto [i, e] : llvm::enumerate(exprs)) {
    for (ExprId other : exprs.take_front(i))
      if (other == e)
        return true;
    if (llvm::is_contained(kernelExprs, e))
      return true;
  }
  return last && !exprsMatchOutputs(exprs);
}
