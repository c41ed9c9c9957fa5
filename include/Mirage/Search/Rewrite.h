//===- Rewrite.h - Patterns, e-matching, rewrite rules, runner --*- C++ -*-===//
//
// Patterns are terms with variables; e-matching finds every substitution
// under which a pattern is represented in an e-class. A rewrite rule pairs a
// pattern with an applier (a right-hand pattern, or C++ code for rules such
// as the factor splits) and an optional condition. `runRewrites` applies a
// rule set in rounds (search all, apply all, rebuild) until saturation or a
// limit on nodes, iterations or time, and says which one stopped it.
//
// Patterns are written as s-expressions over an OpTable, e.g.
// "(div (sum ?n ?a) ?b)"; `?x` is a variable. For an op with a payload the
// first argument is the payload: a literal or a payload variable (`?n`).
// Parsing happens once, when a rule is built; matching uses op-codes.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_SEARCH_REWRITE_H
#define MIRAGE_SEARCH_REWRITE_H

#include "Mirage/Search/EGraph.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <functional>
#include <string>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace mirage {

enum class PayloadKind : uint8_t {
  None,    // no payload (payload is 0)
  Integer, // a signed integer
  Real,    // the bits of a double
};

/// The name, op-code, payload kind and arity (-1: any) of one operator, for
/// parsing patterns and printing terms.
struct OpSignature {
  llvm::StringRef name;
  OpCode op;
  PayloadKind payload;
  int arity;
};

class OpTable {
public:
  explicit OpTable(llvm::ArrayRef<OpSignature> signatures);
  const OpSignature *byName(llvm::StringRef name) const;
  const OpSignature *byOp(OpCode op) const;

private:
  std::vector<OpSignature> signatures;
};

/// Prints a term as an s-expression.
void printSExpr(const OpTable &table, const RecExpr &expr,
                llvm::raw_ostream &os);

/// A substitution: the class bound to each variable, the payload bound to
/// each payload variable.
struct Subst {
  static constexpr ClassId kUnbound = ~ClassId(0);
  llvm::SmallVector<ClassId, 4> classes;
  llvm::SmallVector<uint64_t, 2> payloads;
  uint32_t boundPayloads = 0; // bit i: payloads[i] is bound
};

class Pattern {
public:
  struct Node {
    OpCode op = 0;
    bool isVar = false;
    /// For a variable: its index. For an op: the payload, or the payload
    /// variable's index when payloadIsVar.
    uint64_t value = 0;
    bool payloadIsVar = false;
    llvm::SmallVector<uint32_t, 3> children; // indices into nodes
  };

  /// Parses an s-expression; variables are numbered in order of first
  /// appearance, unless `vars`/`payloadVars` already name them (shared
  /// between a rule's two sides).
  static llvm::Expected<Pattern> parse(const OpTable &table,
                                       llvm::StringRef text,
                                       std::vector<std::string> &vars,
                                       std::vector<std::string> &payloadVars);

  /// Every match in the e-graph, as (class, substitution); the e-graph must
  /// be clean. Stops after `limit` matches.
  std::vector<std::pair<ClassId, Subst>> search(const EGraph &graph,
                                                size_t limit = SIZE_MAX) const;
  /// The matches rooted at one class.
  void searchClass(const EGraph &graph, ClassId id,
                   std::vector<Subst> &out) const;
  /// Adds the pattern instantiated under `subst` and returns its class.
  ClassId instantiate(EGraph &graph, const Subst &subst) const;

  unsigned numVars() const { return numVarsUsed; }
  unsigned numPayloadVars() const { return numPayloadVarsUsed; }
  const Node &rootNode() const { return nodes.back(); }

private:
  void match(const EGraph &graph, uint32_t patternNode, ClassId id, Subst subst,
             std::vector<Subst> &out) const;

  std::vector<Node> nodes; // post-order; the root is last
  unsigned numVarsUsed = 0;
  unsigned numPayloadVarsUsed = 0;
};

/// Code that applies a rule to one match: returns the class to merge with
/// the matched one, or nothing.
using CustomApplier =
    std::function<std::optional<ClassId>(EGraph &, ClassId, const Subst &)>;
using Condition = std::function<bool(const EGraph &, const Subst &)>;

struct Rewrite {
  std::string name;
  Pattern lhs;
  std::optional<Pattern> rhs; // or `apply`
  CustomApplier apply;
  Condition condition;

  /// A rule `lhs => rhs` from s-expressions.
  static llvm::Expected<Rewrite>
  create(const OpTable &table, llvm::StringRef name, llvm::StringRef lhs,
         llvm::StringRef rhs, Condition condition = nullptr);
  /// A rule whose right-hand side is code.
  static llvm::Expected<Rewrite>
  create(const OpTable &table, llvm::StringRef name, llvm::StringRef lhs,
         CustomApplier apply, Condition condition = nullptr);
};

struct RunnerLimits {
  /// Stop once the e-graph holds this many nodes.
  size_t nodeLimit = 20000;
  /// Stop after this many rounds.
  unsigned iterationLimit = 30;
  /// Stop after this much CPU time of the calling thread (makes results
  /// depend on the machine's speed, though not on its load).
  double timeLimitSeconds = 1.0;
  /// Backoff scheduling (egg's BackoffScheduler): a rule with more than
  /// matchLimit << bans matches in a round is banned for banLength << bans
  /// rounds, so that commutativity/associativity do not starve other rules.
  /// 0 disables it.
  size_t matchLimit = 2000;
  unsigned banLength = 3;
};

enum class StopReason { Saturated, NodeLimit, IterationLimit, TimeLimit };
llvm::StringRef stopReasonName(StopReason reason);

struct RunReport {
  StopReason stop = StopReason::Saturated;
  unsigned iterations = 0;
  size_t nodes = 0;
  size_t classes = 0;
  size_t applications = 0;
  double seconds = 0;
  bool hitLimit() const { return stop != StopReason::Saturated; }
};

/// Applies `rules` in rounds until saturation or a limit; the e-graph is
/// clean on return.
RunReport runRewrites(EGraph &graph, llvm::ArrayRef<Rewrite> rules,
                      const RunnerLimits &limits);

} // namespace mirage

#endif // MIRAGE_SEARCH_REWRITE_H
