//===- ExprScreen.h - Abstract-expression checks of the search --*- C++ -*-===//
//
// The abstract-expression side of the search (docs/AbstractExpressions.md,
// docs/Search.md): one worker's expression pool and pruner, with the
// reference saturated once. It answers the per-op check (is a new value a
// subexpression of some rewriting of the reference's outputs), skips the
// element-wise functions whose operator the target lacks, and, when the
// saturation reached a fixpoint, screens whole kernels and complete
// candidates by the e-classes of the reference's outputs.
//
// Per worker and not thread-safe: the pruner's memo is not shared, and the
// expression ids belong to this screen's pool.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_LIB_SEARCH_EXPRSCREEN_H
#define MIRAGE_LIB_SEARCH_EXPRSCREEN_H

#include "Mirage/Core/UGraph.h"
#include "Mirage/Search/AbstractExpr.h"
#include "Mirage/Search/AbstractPruner.h"
#include "Mirage/Search/SearchStats.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallSet.h"
#include "llvm/ADT/SmallVector.h"

#include <map>
#include <memory>
#include <optional>
#include <tuple>
#include <vector>

namespace mirage::search {

class ExprScreen {
public:
  /// Saturates `reference`'s outputs (within `limits`).
  explicit ExprScreen(const KernelGraph &reference,
                      const RunnerLimits &limits = defaultPrunerLimits());

  /// The screen of another worker: a copy of `saturated`'s e-graph (the
  /// screen of the same `reference`) with its own expression pool and
  /// memo. Every worker must answer alike (the walk above the tasks
  /// depends on the answers, TaskScheduler.h), and a saturation that stops
  /// at its time limit stops at a different point each time: the search
  /// saturates once and copies.
  ExprScreen(const KernelGraph &reference, const ExprScreen &saturated);

  /// The builder holds a reference to the pool.
  ExprScreen(const ExprScreen &) = delete;
  ExprScreen &operator=(const ExprScreen &) = delete;

  /// How long the saturation took; 0 for a copy.
  double saturationSeconds() const { return saturation; }

  /// The expression of input `index`.
  ExprId inputExpr(unsigned index) { return builder.var(index); }

  /// The expressions of `op`'s results; empty, counted in `tally` as
  /// pruned_abstract_expr, when the pruner rejects one.
  llvm::SmallVector<ExprId, 2> checkExprs(const OpNode &op,
                                          llvm::ArrayRef<ValueInfo> values,
                                          llvm::ArrayRef<ExprId> exprs,
                                          const LaunchShape *launch,
                                          SearchStats &tally) {
    llvm::SmallVector<ExprId, 2> results =
        buildAbstractExprs(builder, op, values, exprs, launch);
    for (ExprId e : results)
      if (pruner->query(e) == QueryResult::Prune) {
        ++tally.prunedAbstractExpr;
        return {};
      }
    return results;
  }

  /// Whether the operator of the element-wise `kind` appears nowhere in
  /// the saturated target (its expression could not pass).
  bool isAbsent(OpKind kind) const { return absentKinds.contains(kind); }

  /// Whether the saturated target holds the operator `kind` anywhere.
  bool hasOperator(AbsOp kind) const {
    return !pruner->egraph().classesWithOp(op(kind)).empty();
  }

  /// The constants the search may use: the scales of the reference's
  /// mul_scalar ops and the bounds of its clamps (at both levels), each
  /// once, in the order the reference first uses them. Never a list of our
  /// own: a scale the reference does not have could only be found equal to
  /// it by accident of the fingerprints, which draw every distinct constant
  /// independently (docs/Semantics.md).
  llvm::ArrayRef<double> scales() const { return scaleConstants; }
  llvm::ArrayRef<std::pair<double, double>> clampBounds() const {
    return clampConstants;
  }

  /// Calls `tryOp` with each unary op of `kinds` on `operand`, skipping
  /// (and counting) the kinds whose operator the target lacks. mul_scalar
  /// is tried with each of scales(), clamp with each of clampBounds().
  template <typename Fn>
  void forEachUnary(llvm::ArrayRef<OpKind> kinds, ValueId operand,
                    SearchStats &tally, Fn &&tryOp) {
    for (OpKind kind : kinds) {
      if (isAbsent(kind)) {
        ++tally.prunedAbstractExpr;
        continue;
      }
      OpNode op = makeOpNode(kind, {operand});
      if (kind == OpKind::MulScalar) {
        for (double scale : scaleConstants) {
          op.scalarA = scale;
          tryOp(op);
        }
      } else if (kind == OpKind::Clamp) {
        for (auto [lo, hi] : clampConstants) {
          op.scalarA = lo;
          op.scalarB = hi;
          tryOp(op);
        }
      } else {
        tryOp(op);
      }
    }
  }

  /// Whether the screens by the outputs' e-classes are on (the saturation
  /// reached a fixpoint and every output has a class).
  bool screensOutputs() const { return !outputClasses.empty(); }

  /// The screen of complete candidates: whether `exprs` (the dangling
  /// tensors') land one to one in the classes of the reference's outputs.
  /// True when the screen is off or an expression holds an opaque value.
  bool exprsMatchOutputs(llvm::ArrayRef<ExprId> exprs);

  /// Whether a graph-defined kernel that sees only values of `inputExprs`
  /// can build every output's class (AbstractPruner::constructible,
  /// memoized by the sorted input classes). True when the screen is off or
  /// an input's expression is opaque.
  bool canBuildOutputs(llvm::ArrayRef<ExprId> inputExprs);

  /// Whether a graph-defined kernel on tensors of `inputExprs`, followed by
  /// at most `steps` pre-defined ops (and no other graph-defined kernel)
  /// on the kernel graph's tensors (`kernelExprs`) and the kernel's
  /// outputs, can reach every output's class: the kernel's values lie in
  /// the classes constructible from its inputs' (constructibleFrom), and
  /// each pre-defined op adds at most 1 to a height (heightsFrom), so each
  /// output's class must be within `steps` of those classes and the
  /// kernel graph's. Memoized; true when the goals or a class are unknown.
  /// A screen by the abstraction, like the distance (outputDistance).
  bool followersCanReachOutputs(llvm::ArrayRef<ExprId> kernelExprs,
                                llvm::ArrayRef<ExprId> inputExprs,
                                unsigned steps);

  /// The heights of the e-classes over the classes of `inputExprs`
  /// (AbstractPruner::heightsFrom) and those of the reference's outputs:
  /// a block graph on loaders of `inputExprs` that must compute every
  /// output needs at least max(goal - max height of its values) more ops.
  struct OutputDistance {
    llvm::DenseMap<ClassId, unsigned> heights;
    llvm::SmallVector<unsigned, 2> goals;
    /// Per output, the depths of the classes below its class
    /// (AbstractPruner::depthsBelow), shared by every distance.
    std::shared_ptr<const std::vector<llvm::DenseMap<ClassId, unsigned>>>
        depths;
  };
  /// Memoized by the sorted input classes; null when an output or an
  /// input's expression has no class. Also where the saturation stopped
  /// at its limits: the bound is then one more screen by the abstraction
  /// (a candidate whose output lands in a class the saturation did not
  /// merge with the output's is not reached).
  /// With `extents` (sorted), only the reductions over them count
  /// (AbstractPruner::heightsFrom).
  std::shared_ptr<const OutputDistance>
  outputDistance(llvm::ArrayRef<ExprId> inputExprs,
                 std::optional<llvm::ArrayRef<int64_t>> extents = {});

  /// The class of `expr` when it passes the per-op check.
  std::optional<ClassId> classOf(ExprId expr) { return pruner->classOf(expr); }

  /// The height of `expr`'s class in `distance`; nullopt when it has no
  /// class (opaque or unknown) or no height.
  std::optional<unsigned> heightOf(const OutputDistance &distance,
                                   ExprId expr) {
    std::optional<ClassId> cls = pruner->classOf(expr);
    if (!cls)
      return std::nullopt;
    auto it = distance.heights.find(*cls);
    if (it == distance.heights.end())
      return std::nullopt;
    return it->second;
  }

  /// Whether a closable block graph with outputs `exprs` cannot be part of
  /// a useful program: two outputs with the same expression (one
  /// computation saved twice), an output with the expression of a tensor
  /// the kernel graph already has (`kernelExprs`: a copy or a
  /// recomputation, later kernels can load that tensor instead), or, for
  /// the kernel that takes the last op (`last`), outputs that are not the
  /// reference's outputs under the axioms (exprsMatchOutputs).
  bool redundantClosure(llvm::ArrayRef<ExprId> exprs,
                        llvm::ArrayRef<ExprId> kernelExprs, bool last);

private:
  ExprPool pool;
  AbstractExprBuilder builder;
  /// The expressions of the reference's outputs.
  std::vector<ExprId> targetOutputs;
  std::unique_ptr<AbstractPruner> pruner;
  double saturation = 0;
  /// Element-wise kinds whose operator the target lacks.
  llvm::SmallSet<OpKind, 8> absentKinds;
  /// The canonical e-classes of the reference's outputs; empty when the
  /// screens are off.
  llvm::SmallVector<ClassId, 2> outputClasses;
  /// The classes of the reference's outputs, saturated or not: the goals
  /// of outputDistance. Empty when an output has no class.
  llvm::SmallVector<ClassId, 2> goalClasses;
  /// scales(), clampBounds().
  std::vector<double> scaleConstants;
  std::vector<std::pair<double, double>> clampConstants;
  /// canBuildOutputs by the sorted input classes.
  std::map<std::vector<ClassId>, bool> constructibleMemo;
  /// followersCanReachOutputs by the sorted classes of the kernel graph
  /// and of the kernel's inputs, and the steps.
  std::map<std::tuple<std::vector<ClassId>, std::vector<ClassId>, unsigned>,
           bool>
      followersMemo;
  /// The depths below each goal class (OutputDistance::depths), once.
  std::shared_ptr<const std::vector<llvm::DenseMap<ClassId, unsigned>>>
      goalDepths;
  /// outputDistance by the sorted input classes.
  std::map<std::pair<std::vector<ClassId>, std::vector<int64_t>>,
           std::shared_ptr<const OutputDistance>>
      distanceMemo;
};

} // namespace mirage::search

#endif // MIRAGE_LIB_SEARCH_EXPRSCREEN_H
