//===- EGraph.h - A general e-graph: hash-consing, union-find ---*- C++ -*-===//
//
// An e-graph in the style of egg (Willsey et al., POPL 2021): e-nodes are
// hash-consed, e-classes are the sets of a union-find, and the congruence
// invariant (equal children => equal parents) is restored lazily by
// `rebuild()`, which walks a worklist of the parents of merged classes.
//
// The e-graph is general: an operator is a small integer op-code plus a
// 64-bit payload (an extent, a variable index, the bits of a constant), so the
// hot path compares integers, never strings. The abstract expressions of the
// search are one client (Search/AbstractExpr.h); the graph-level algebraic
// rewriting is meant to be the next.
//
// Only LLVM's ADT is used; no MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_SEARCH_EGRAPH_H
#define MIRAGE_SEARCH_EGRAPH_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/Hashing.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace mirage {

using ClassId = uint32_t;
using OpCode = uint16_t;

/// An operator applied to children. In an e-graph the children are e-class
/// ids; in a term (ExprPool, RecExpr) they are term ids. Op-codes 0xFFFE and
/// 0xFFFF are reserved.
struct ENode {
  OpCode op = 0;
  uint64_t payload = 0;
  llvm::SmallVector<uint32_t, 3> children;

  ENode() = default;
  ENode(OpCode op, uint64_t payload, llvm::ArrayRef<uint32_t> children = {})
      : op(op), payload(payload), children(children.begin(), children.end()) {}

  bool sameOperator(const ENode &other) const {
    return op == other.op && payload == other.payload &&
           children.size() == other.children.size();
  }
  friend bool operator==(const ENode &a, const ENode &b) {
    return a.sameOperator(b) && a.children == b.children;
  }
  friend bool operator!=(const ENode &a, const ENode &b) { return !(a == b); }
  friend bool operator<(const ENode &a, const ENode &b);
};

/// Hashing for DenseMap<ENode, T>.
struct ENodeInfo {
  static ENode getEmptyKey() { return ENode(0xFFFF, 0); }
  static ENode getTombstoneKey() { return ENode(0xFFFE, 0); }
  static unsigned getHashValue(const ENode &node) {
    return static_cast<unsigned>(llvm::hash_combine(
        node.op, node.payload,
        llvm::hash_combine_range(node.children.begin(), node.children.end())));
  }
  static bool isEqual(const ENode &a, const ENode &b) { return a == b; }
};

/// Per-class analysis data: a 64-bit value that is either known or not
/// (a constant's bits, an extent, ...).
struct AnalysisValue {
  uint64_t bits = 0;
  bool known = false;

  static AnalysisValue of(uint64_t bits) { return {bits, true}; }
  friend bool operator==(const AnalysisValue &a, const AnalysisValue &b) {
    return a.known == b.known && (!a.known || a.bits == b.bits);
  }
};

class EGraph;

/// An e-class analysis (egg's `Analysis`): `make` computes a node's data from
/// its children's, `merge` joins the data of two classes being unified, and
/// `modify` may add nodes to a class whose data changed (e.g. the folded
/// constant). The default is the trivial analysis.
class EGraphAnalysis {
public:
  virtual ~EGraphAnalysis();
  virtual AnalysisValue make(const EGraph &graph, const ENode &node);
  /// Joins `from` into `into`; returns true if `into` changed.
  virtual bool merge(AnalysisValue &into, const AnalysisValue &from);
  virtual void modify(EGraph &graph, ClassId id);
};

struct EClass {
  llvm::SmallVector<ENode, 1> nodes;
  /// The nodes that use this class as a child, with their class, as they
  /// were when added (they are re-canonicalized by rebuild()).
  std::vector<std::pair<ENode, ClassId>> parents;
  AnalysisValue data;
};

class EGraph {
public:
  /// `analysis` (optional) must outlive the e-graph.
  explicit EGraph(EGraphAnalysis *analysis = nullptr);
  /// A copy of `other` whose analysis is `analysis` (optional; it must
  /// outlive the copy and hold the same data as `other`'s).
  EGraph(const EGraph &other, EGraphAnalysis *analysis);

  /// Adds a node (children are canonicalized first) and returns its class;
  /// an existing equal node's class is returned instead (hash-consing).
  ClassId add(ENode node);
  /// The class of `node` if the e-graph holds it (children canonicalized
  /// through the union-find), without adding anything. Exact only when the
  /// e-graph is clean (rebuilt).
  std::optional<ClassId> lookup(ENode node) const;
  /// The canonical id of `id`'s class.
  ClassId find(ClassId id) const;
  /// Unifies two classes; returns false if they were already one. The
  /// congruence invariant holds again only after rebuild().
  bool merge(ClassId a, ClassId b);
  /// Restores congruence and the analysis invariants, canonicalizes and
  /// deduplicates every class's nodes. Returns the number of merges it did.
  unsigned rebuild();
  bool isClean() const { return pending.empty() && analysisPending.empty(); }

  /// The canonical class `id` belongs to.
  const EClass &getClass(ClassId id) const { return classes[find(id)]; }
  const AnalysisValue &data(ClassId id) const { return getClass(id).data; }
  /// The canonical ids of all classes, in increasing order.
  std::vector<ClassId> classIds() const;
  /// Number of nodes (after the last rebuild: distinct canonical nodes).
  size_t numNodes() const { return nodeCount; }
  size_t numClasses() const { return classCount; }
  /// The number of successful merges so far (never decreases).
  size_t numMerges() const { return mergeCount; }
  /// Canonical form of a node's children.
  void canonicalize(ENode &node) const;

  /// Canonical classes that hold at least one node with op-code `op`; valid
  /// after rebuild() (recomputed lazily).
  llvm::ArrayRef<ClassId> classesWithOp(OpCode op) const;

  EGraphAnalysis &getAnalysis() const { return *analysis; }

private:
  void processUnions();
  void rebuildClasses();

  EGraphAnalysis defaultAnalysis;
  EGraphAnalysis *analysis;
  mutable std::vector<ClassId> unionFind;
  std::vector<EClass> classes;
  llvm::DenseMap<ENode, ClassId, ENodeInfo> memo;
  std::vector<std::pair<ENode, ClassId>> pending;
  std::vector<std::pair<ENode, ClassId>> analysisPending;
  size_t nodeCount = 0;
  size_t classCount = 0;
  size_t mergeCount = 0;
  unsigned unionsSinceRebuild = 0;
  mutable bool opIndexValid = false;
  mutable std::vector<std::vector<ClassId>> opIndex;
};

/// A term as a flat list of nodes whose children index earlier entries; the
/// last entry is the root (egg's RecExpr).
struct RecExpr {
  std::vector<ENode> nodes;
  uint32_t root() const { return static_cast<uint32_t>(nodes.size() - 1); }
};

/// The cost of a node given its children's costs.
using CostFunction =
    llvm::function_ref<double(const ENode &node, llvm::ArrayRef<double>)>;

/// Extraction: the cheapest term of every class under a monotone cost
/// function (a node costs at least as much as each child), computed by a
/// bottom-up fixpoint over the classes.
class Extractor {
public:
  Extractor(const EGraph &graph, CostFunction cost);
  /// The cheapest cost of `id`'s class (infinity if it has no finite term).
  double bestCost(ClassId id) const;
  /// The cheapest term of `id`'s class.
  RecExpr extract(ClassId id) const;

private:
  const EGraph &graph;
  llvm::DenseMap<ClassId, std::pair<double, ENode>> best;
};

/// The number of nodes of a term: the usual extraction cost.
double astSize(const ENode &node, llvm::ArrayRef<double> childCosts);

} // namespace mirage

#endif // MIRAGE_SEARCH_EGRAPH_H
