//===- AbstractPruner.h - Prune by abstract subexpressions ------*- C++ -*-===//
//
// The query of Mirage's search (docs/AbstractExpressions.md): "is E a
// subexpression of some rewriting of the target's outputs?". The target's
// output expressions are saturated ONCE under the axioms (buildAbstractAxioms)
// into an e-graph; a query then canonicalizes E bottom-up through the e-graph's
// hash-cons without adding anything, and E passes iff it lands in an existing
// e-class (every e-class is reachable from an output, so it is a subterm of
// some rewriting of one). Answers are memoized per ExprId, so the search pays
// one hash lookup per new op.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_SEARCH_ABSTRACTPRUNER_H
#define MIRAGE_SEARCH_ABSTRACTPRUNER_H

#include "Mirage/Search/AbstractExpr.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"

namespace mirage {

/// Folds constants: a class whose value is a known constant gets the Const
/// node (so `x / 4096` and `x / (32 * 128)` meet).
class ConstantFolding : public EGraphAnalysis {
public:
  AnalysisValue make(const EGraph &graph, const ENode &node) override;
  void modify(EGraph &graph, ClassId id) override;
};

/// Mirage's axioms plus the rules for our extra operators (see
/// docs/AbstractExpressions.md), with factor rules sum(n, a) <->
/// sum(j, sum(n/j, a)) for every divisor n > 1 of every extent in `extents`
/// and every factorization n = j * (n/j).
std::vector<Rewrite> buildAbstractAxioms(llvm::ArrayRef<int64_t> extents);

enum class QueryResult : uint8_t {
  Pass,    // a subexpression of some rewriting of the target
  Prune,   // not one: the candidate cannot lead to the target
  Unknown, // not found, but it contains an opaque value: not pruned
};
llvm::StringRef queryResultName(QueryResult result);

/// Node and iteration limits, no time limit: what the pruner keeps must not
/// depend on the machine's load. Every example saturates (or reaches the
/// node limit) in well under a second (bench/).
RunnerLimits defaultPrunerLimits();

class AbstractPruner {
public:
  /// Saturates the target's outputs, built in `builder`'s pool. Candidates
  /// must be built in the same pool (and builder).
  AbstractPruner(const AbstractExprBuilder &builder,
                 llvm::ArrayRef<ExprId> targetOutputs,
                 const RunnerLimits &limits = defaultPrunerLimits());
  /// A copy of the saturated `saturated` (its e-graph, with an empty memo)
  /// for candidates built in `builder`'s pool, which must hold the target's
  /// expressions under the same ids as `saturated`'s. The parallel search
  /// saturates once and gives every other worker a copy, so that all
  /// answer alike even when the saturation stopped at its time limit.
  AbstractPruner(const AbstractExprBuilder &builder,
                 const AbstractPruner &saturated);

  /// Memoized: O(1) for an expression whose children were queried before.
  QueryResult query(ExprId id);
  /// The same answer without the memo: canonicalizes all of `id`'s DAG (for
  /// benchmarks and tests of the memo).
  QueryResult queryUncached(ExprId id) const;
  /// The canonical e-class `id` lands in, when it passes (memoized like
  /// query); nullopt when it is pruned or unknown. Two expressions in one
  /// class are equal under the axioms.
  std::optional<ClassId> classOf(ExprId id);
  /// Whether every class of `goals` has a rewriting built from the classes
  /// of `from` alone (with constants and any operator): the least set
  /// holding `from`, closed under e-nodes whose children are all in it.
  /// A program that takes only tensors of expressions `from` and whose
  /// outputs land in `goals` builds each of its values along e-nodes of
  /// this e-graph, so it can exist only if this holds.
  bool constructible(llvm::ArrayRef<ClassId> from,
                     llvm::ArrayRef<ClassId> goals) const;
  /// That least set: the canonical classes a program that takes only
  /// tensors of the classes `from` can give its values (constructible).
  llvm::DenseSet<ClassId> constructibleFrom(llvm::ArrayRef<ClassId> from) const;

  /// The fewest block ops on the longest chain from the classes of `from`
  /// to each class (docs/Search.md, "Distance to the outputs"): the least
  /// fixpoint of h(c) = 0 for c in `from` or a constant, else the minimum
  /// over c's e-nodes of w(node) + the largest h of its children, where
  /// w is 0 for sum, rms and max (a matmul is a product and a sum, a block
  /// rms_norm a division and an rms, an accumulator a sum: one op each)
  /// and 1 for every other operator. A class no e-node builds from `from`
  /// gets kUnreachable. Every searched block op except concat_matmul,
  /// running_max and rescale adds at most 1 to the height of its result's
  /// class over its operands', so a block graph needs at least
  /// h(goal) - max h(value) more ops to reach `goal`.
  /// With `extents` (sorted), a sum, rms or max node counts only when its
  /// extent is one of them: those a block graph can reduce over.
  static constexpr unsigned kUnreachable = ~0u;
  /// The fewest block ops on a path from `goal` down to each class (its
  /// depth below the goal): the least fixpoint of d(goal) = 0 and, for an
  /// e-node of a class c with a child k, d(k) <= d(c) + w(node), with the
  /// weights of heightsFrom. Whatever derives the goal along e-nodes of
  /// this e-graph reaches a value of class k only after d(k) ops on that
  /// path. Classes never reached are absent.
  llvm::DenseMap<ClassId, unsigned> depthsBelow(ClassId goal) const;
  llvm::DenseMap<ClassId, unsigned>
  heightsFrom(llvm::ArrayRef<ClassId> from,
              std::optional<llvm::ArrayRef<int64_t>> extents = {}) const;

  const RunReport &report() const { return runReport; }
  const EGraph &egraph() const { return graph; }
  /// The distinct extents of sums and rms in the target.
  llvm::ArrayRef<int64_t> targetExtents() const { return extents; }

private:
  /// A class id, or one of the two markers below.
  uint32_t resolve(ExprId id);
  uint32_t resolveNode(const ENode &node,
                       llvm::ArrayRef<uint32_t> childResults) const;
  static QueryResult toResult(uint32_t resolved);

  const AbstractExprBuilder &builder;
  ConstantFolding analysis;
  EGraph graph;
  std::vector<int64_t> extents;
  RunReport runReport;
  std::vector<uint32_t> memo; // indexed by ExprId
};

} // namespace mirage

#endif // MIRAGE_SEARCH_ABSTRACTPRUNER_H
