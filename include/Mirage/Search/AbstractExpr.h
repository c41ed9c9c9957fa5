//===- AbstractExpr.h - Abstract expressions of μGraph values ---*- C++ -*-===//
//
// The abstract expression of a value says, index-free, which inputs it is
// built from and by which operators and reductions (the
// grammar, each op's expression and the deviations from the original are in
// docs/AbstractExpressions.md). The search prunes a candidate op whose
// result's expression is not a subexpression of some rewriting of the
// target's outputs (Search/AbstractPruner.h).
//
// Expressions are hash-consed in an ExprPool: equal expressions have equal
// ids, so the search computes them incrementally (one pool node per new op)
// and the pruner memoizes its answers per id.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_SEARCH_ABSTRACTEXPR_H
#define MIRAGE_SEARCH_ABSTRACTEXPR_H

#include "Mirage/Core/UGraph.h"
#include "Mirage/Search/EGraph.h"
#include "Mirage/Search/Rewrite.h"

namespace mirage {

using ExprId = uint32_t;

/// A hash-consed DAG of terms (ENodes whose children are ExprIds).
class ExprPool {
public:
  ExprId make(ENode node);
  const ENode &node(ExprId id) const { return nodes[id]; }
  size_t size() const { return nodes.size(); }

private:
  std::vector<ENode> nodes;
  llvm::DenseMap<ENode, ExprId, ENodeInfo> memo;
};

// The operators of abstract expressions (op-codes of the ExprPool and of the
// pruner's e-graph) are AbsOp (Mirage/Support/Vocabulary.h, generated from
// Vocabulary.td): every abstract element-wise function under its OpKind
// value, then var (payload: input index), const (payload: the bits of a
// double), opaque (payload: a fresh id; a value without a sound
// abstraction), sum (payload: the number of summed elements; sum(n, e)) and
// rms (payload: the number of elements; sqrt(sum(n, e^2) / n)). clamp's
// operands are x, const lo, const hi.

constexpr OpCode op(AbsOp kind) { return static_cast<OpCode>(kind); }

/// The operator table (names for patterns and printing).
const OpTable &abstractOpTable();

/// Builds abstract expressions into a pool, applying the identities that
/// hold by definition (sum(1, e) = e) so that equal expressions are equal
/// ids.
class AbstractExprBuilder {
public:
  explicit AbstractExprBuilder(ExprPool &pool) : pool(pool) {}

  ExprPool &getPool() const { return pool; }
  ExprId var(int64_t index);
  ExprId constant(double value);
  ExprId opaque();
  ExprId unary(AbsOp kind, ExprId x);
  ExprId binary(AbsOp kind, ExprId lhs, ExprId rhs);
  ExprId add(ExprId a, ExprId b) { return binary(AbsOp::Add, a, b); }
  ExprId mul(ExprId a, ExprId b) { return binary(AbsOp::Mul, a, b); }
  ExprId div(ExprId a, ExprId b) { return binary(AbsOp::Div, a, b); }
  ExprId clamp(ExprId x, double lo, double hi);
  /// sum(n, x); sum(1, x) is x.
  ExprId sum(int64_t n, ExprId x);
  /// The mean of n elements: sum(n, x) / n.
  ExprId mean(int64_t n, ExprId x);
  ExprId rms(int64_t n, ExprId x);
  /// The maximum of n elements of x; max(1, x) is x.
  ExprId max(int64_t n, ExprId x);
  /// Whether `id` contains an opaque leaf.
  bool isOpaque(ExprId id) const;

private:
  ExprId make(AbsOp kind, uint64_t payload, llvm::ArrayRef<ExprId> children);

  ExprPool &pool;
  uint64_t nextOpaque = 0;
  std::vector<bool> opaqueFlags; // indexed by ExprId
};

/// The abstract expressions of the results of one op, given the
/// expressions of all values so far (`valueExprs`, indexed by value id) and
/// the values' shapes. `launch` is the enclosing kernel's launch shape for a
/// block-level op, null at the kernel level. A graph-defined kernel needs its
/// block graph: use computeBlockGraphExprs.
llvm::SmallVector<ExprId, 2>
buildAbstractExprs(AbstractExprBuilder &builder, const OpNode &op,
                   llvm::ArrayRef<ValueInfo> values,
                   llvm::ArrayRef<ExprId> valueExprs,
                   const LaunchShape *launch);

/// The expressions of every value of a block graph whose kernel inputs have
/// the expressions `inputs`.
std::vector<ExprId> computeBlockGraphExprs(AbstractExprBuilder &builder,
                                           const BlockGraph &graph,
                                           llvm::ArrayRef<ExprId> inputs);

/// The expressions of every value of a kernel graph; input i is var(i).
struct AbstractExprs {
  std::vector<ExprId> values;
  /// Per block graph (indexed like KernelGraph::blockGraphs), per value.
  std::vector<std::vector<ExprId>> blockValues;
  llvm::SmallVector<ExprId, 4> outputs;
};
AbstractExprs computeAbstractExprs(AbstractExprBuilder &builder,
                                   const KernelGraph &graph);

/// Prints an expression in infix form, e.g. `sum(4096, (v0 * v1))`.
void printAbstractExpr(const ExprPool &pool, ExprId id, llvm::raw_ostream &os);
std::string abstractExprToString(const ExprPool &pool, ExprId id);

} // namespace mirage

#endif // MIRAGE_SEARCH_ABSTRACTEXPR_H
