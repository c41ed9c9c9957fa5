//===- AbstractPruner.cpp - Axioms and the subexpression query ------------===//

#include "Mirage/Search/AbstractPruner.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/ErrorHandling.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <map>

using namespace mirage;

static constexpr uint32_t kPrune = ~uint32_t(0);
static constexpr uint32_t kUnknown = ~uint32_t(0) - 1;
static constexpr uint32_t kNotComputed = ~uint32_t(0) - 2;

static uint64_t bitsOf(double value) {
  if (value == 0)
    value = 0;
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  return bits;
}

static double valueOf(uint64_t bits) {
  double value;
  std::memcpy(&value, &bits, sizeof(value));
  return value;
}

//===----------------------------------------------------------------------===//
// Constant folding
//===----------------------------------------------------------------------===//

AnalysisValue ConstantFolding::make(const EGraph &graph, const ENode &node) {
  auto kind = static_cast<AbsOp>(node.op);
  if (kind == AbsOp::Const)
    return AnalysisValue::of(node.payload);
  // Only element-wise binary functions of two constants fold; an abstract
  // function's op code is its OpKind.
  if (node.children.size() != 2 || node.op >= kNumOpKinds ||
      !isBinaryElementwise(static_cast<OpKind>(node.op)))
    return {};
  const AnalysisValue &a = graph.data(node.children[0]);
  const AnalysisValue &b = graph.data(node.children[1]);
  if (!a.known || !b.known)
    return {};
  double x = valueOf(a.bits), y = valueOf(b.bits), r;
  switch (binaryOpKind(static_cast<OpKind>(node.op))) {
  case BinaryOpKind::Add:
    r = x + y;
    break;
  case BinaryOpKind::Sub:
    r = x - y;
    break;
  case BinaryOpKind::Mul:
    r = x * y;
    break;
  case BinaryOpKind::Div:
    if (y == 0)
      return {};
    r = x / y;
    break;
  case BinaryOpKind::Pow:
    return {}; // pow is not folded
  }
  if (!std::isfinite(r))
    return {};
  return AnalysisValue::of(bitsOf(r));
}

void ConstantFolding::modify(EGraph &graph, ClassId id) {
  AnalysisValue value = graph.data(id);
  if (!value.known)
    return;
  ClassId constant = graph.add(ENode(op(AbsOp::Const), value.bits));
  graph.merge(id, constant);
}

//===----------------------------------------------------------------------===//
// Axioms
//===----------------------------------------------------------------------===//

/// Every divisor d > 1 of every extent, with its nontrivial factors j
/// (1 < j < d, j | d).
static std::map<int64_t, std::vector<int64_t>>
factorTable(llvm::ArrayRef<int64_t> extents) {
  std::map<int64_t, std::vector<int64_t>> table;
  for (int64_t n : extents) {
    if (n <= 1)
      continue;
    for (int64_t d = 2; d <= n; ++d) {
      if (n % d != 0 || table.count(d))
        continue;
      std::vector<int64_t> &factors = table[d];
      for (int64_t j = 2; j < d; ++j)
        if (d % j == 0)
          factors.push_back(j);
    }
  }
  return table;
}

static Rewrite rule(llvm::StringRef name, llvm::StringRef lhs,
                    llvm::StringRef rhs) {
  llvm::Expected<Rewrite> r =
      Rewrite::create(abstractOpTable(), name, lhs, rhs);
  if (!r)
    llvm::report_fatal_error(r.takeError()); // a typo in the table below
  return std::move(*r);
}

static Rewrite rule(llvm::StringRef name, llvm::StringRef lhs,
                    CustomApplier apply, Condition condition = nullptr) {
  llvm::Expected<Rewrite> r = Rewrite::create(
      abstractOpTable(), name, lhs, std::move(apply), std::move(condition));
  if (!r)
    llvm::report_fatal_error(r.takeError());
  return std::move(*r);
}

std::vector<Rewrite>
mirage::buildAbstractAxioms(llvm::ArrayRef<int64_t> extents) {
  std::vector<Rewrite> rules;
  // Spec §3: the rules of Mirage's egg rule set.
  static const char *const kRules[][3] = {
      {"comm-add", "(add ?a ?b)", "(add ?b ?a)"},
      {"comm-mul", "(mul ?a ?b)", "(mul ?b ?a)"},
      {"assoc-add", "(add (add ?a ?b) ?c)", "(add ?a (add ?b ?c))"},
      {"assoc-add-rev", "(add ?a (add ?b ?c))", "(add (add ?a ?b) ?c)"},
      {"assoc-mul", "(mul (mul ?a ?b) ?c)", "(mul ?a (mul ?b ?c))"},
      {"assoc-mul-rev", "(mul ?a (mul ?b ?c))", "(mul (mul ?a ?b) ?c)"},
      {"distribute", "(mul ?a (add ?b ?c))", "(add (mul ?a ?b) (mul ?a ?c))"},
      {"factor", "(add (mul ?a ?b) (mul ?a ?c))", "(mul ?a (add ?b ?c))"},
      {"div-add", "(add (div ?a ?b) (div ?c ?b))", "(div (add ?a ?c) ?b)"},
      {"div-add-rev", "(div (add ?a ?c) ?b)", "(add (div ?a ?b) (div ?c ?b))"},
      {"mul-div", "(mul ?a (div ?b ?c))", "(div (mul ?a ?b) ?c)"},
      {"mul-div-rev", "(div (mul ?a ?b) ?c)", "(mul ?a (div ?b ?c))"},
      {"div-div", "(div (div ?a ?b) ?c)", "(div ?a (mul ?b ?c))"},
      {"div-div-rev", "(div ?a (mul ?b ?c))", "(div (div ?a ?b) ?c)"},
      {"sum-comm", "(sum ?n (sum ?m ?a))", "(sum ?m (sum ?n ?a))"},
      {"max-comm", "(max ?n (max ?m ?a))", "(max ?m (max ?n ?a))"},
      {"sum-add", "(sum ?n (add ?a ?b))", "(add (sum ?n ?a) (sum ?n ?b))"},
      {"sum-add-rev", "(add (sum ?n ?a) (sum ?n ?b))", "(sum ?n (add ?a ?b))"},
      // Index-free: b is taken not to depend on the summed index (the
      // original's caveat; see docs/AbstractExpressions.md).
      {"sum-mul", "(sum ?n (mul ?a ?b))", "(mul (sum ?n ?a) ?b)"},
      {"sum-div", "(sum ?n (div ?a ?b))", "(div (sum ?n ?a) ?b)"},
      {"sum-div-rev", "(div (sum ?n ?a) ?b)", "(sum ?n (div ?a ?b))"},
      {"sum-sum-mul", "(sum ?n (sum ?m (mul ?a ?b)))",
       "(mul (sum ?n ?a) (sum ?m ?b))"},
      {"sum-sum-mul-rev", "(mul (sum ?n ?a) (sum ?m ?b))",
       "(sum ?n (sum ?m (mul ?a ?b)))"},
      // Our additions: sub, square, rsqrt.
      {"sum-sub", "(sum ?n (sub ?a ?b))", "(sub (sum ?n ?a) (sum ?n ?b))"},
      {"sum-sub-rev", "(sub (sum ?n ?a) (sum ?n ?b))", "(sum ?n (sub ?a ?b))"},
      {"distribute-sub", "(mul ?a (sub ?b ?c))",
       "(sub (mul ?a ?b) (mul ?a ?c))"},
      {"factor-sub", "(sub (mul ?a ?b) (mul ?a ?c))", "(mul ?a (sub ?b ?c))"},
      {"square-mul", "(square ?a)", "(mul ?a ?a)"},
      {"mul-square", "(mul ?a ?a)", "(square ?a)"},
      {"rsqrt-div", "(rsqrt ?a)", "(div (const 1) (sqrt ?a))"},
      {"div-rsqrt", "(div (const 1) (sqrt ?a))", "(rsqrt ?a)"},
      {"mul-one", "(mul ?a (const 1))", "?a"},
  };
  for (const auto &r : kRules)
    rules.push_back(rule(r[0], r[1], r[2]));

  // rms(n, a) = sqrt(sum(n, a^2) / n), so partial sums of squares and a
  // mean accumulator followed by sqrt meet the rms constructor.
  rules.push_back(
      rule("rms-def", "(rms ?n ?a)", [](EGraph &g, ClassId, const Subst &s) {
        ClassId sq = g.add(ENode(op(AbsOp::Square), 0, {s.classes[0]}));
        ClassId sum = g.add(ENode(op(AbsOp::Sum), s.payloads[0], {sq}));
        ClassId n = g.add(ENode(
            op(AbsOp::Const),
            bitsOf(static_cast<double>(static_cast<int64_t>(s.payloads[0])))));
        ClassId mean = g.add(ENode(op(AbsOp::Div), 0, {sum, n}));
        return std::optional<ClassId>(g.add(ENode(op(AbsOp::Sqrt), 0, {mean})));
      }));
  // x / c <-> x * (1/c) for a known nonzero constant c (mul_scalar).
  auto knownNonzero = [](const EGraph &g, const Subst &s) {
    const AnalysisValue &c = g.data(s.classes[1]);
    return c.known && valueOf(c.bits) != 0;
  };
  auto reciprocal = [](OpCode target) {
    return [target](EGraph &g, ClassId, const Subst &s) {
      double c = valueOf(g.data(s.classes[1]).bits);
      ClassId inverse = g.add(ENode(op(AbsOp::Const), bitsOf(1.0 / c)));
      return std::optional<ClassId>(
          g.add(ENode(target, 0, {s.classes[0], inverse})));
    };
  };
  rules.push_back(rule("div-const", "(div ?a ?c)", reciprocal(op(AbsOp::Mul)),
                       knownNonzero));
  rules.push_back(rule("mul-const", "(mul ?a ?c)", reciprocal(op(AbsOp::Div)),
                       knownNonzero));

  // Factor rules: sum(n, a) = sum(j, sum(n/j, a)) for every factorization of
  // every divisor of the target's extents, and nested sums merge back.
  auto table = std::make_shared<std::map<int64_t, std::vector<int64_t>>>(
      factorTable(extents));
  // The same for max: the maximum of n elements is the maximum of j partial
  // maxima of n/j elements (a running maximum over a for-loop of tiles).
  for (AbsOp reduce : {AbsOp::Sum, AbsOp::Max}) {
    std::string name = stringifyAbsOp(reduce).str();
    OpCode code = op(reduce);
    rules.push_back(rule(
        name + "-split", "(" + name + " ?n ?a)",
        [table, code](EGraph &g, ClassId matched, const Subst &s) {
          auto n = static_cast<int64_t>(s.payloads[0]);
          for (int64_t j : table->at(n)) {
            ClassId inner = g.add(
                ENode(code, static_cast<uint64_t>(n / j), {s.classes[0]}));
            ClassId outer =
                g.add(ENode(code, static_cast<uint64_t>(j), {inner}));
            g.merge(matched, outer);
          }
          return std::optional<ClassId>();
        },
        [table](const EGraph &, const Subst &s) {
          auto it = table->find(static_cast<int64_t>(s.payloads[0]));
          return it != table->end() && !it->second.empty();
        }));
    rules.push_back(rule(
        name + "-merge", "(" + name + " ?j (" + name + " ?k ?a))",
        [code](EGraph &g, ClassId, const Subst &s) {
          return std::optional<ClassId>(g.add(
              ENode(code, s.payloads[0] * s.payloads[1], {s.classes[0]})));
        },
        [table](const EGraph &, const Subst &s) {
          return table->count(
                     static_cast<int64_t>(s.payloads[0] * s.payloads[1])) != 0;
        }));
  }
  return rules;
}

//===----------------------------------------------------------------------===//
// The pruner
//===----------------------------------------------------------------------===//

llvm::StringRef mirage::queryResultName(QueryResult result) {
  switch (result) {
  case QueryResult::Pass:
    return "pass";
  case QueryResult::Prune:
    return "prune";
  case QueryResult::Unknown:
    return "unknown";
  }
  return "?";
}

RunnerLimits mirage::defaultPrunerLimits() {
  // Work bounds only: the pruner decides which candidates the search sees,
  // so a wall-clock limit would make the search's result depend on the
  // machine's load (a run on a busy machine stopped saturating early and
  // pruned differently with 1 and 2 threads). 20000 nodes and 30 rounds
  // bound the work: the largest example (ntrans, which stops at the node
  // limit) saturates in about 0.15 s.
  RunnerLimits limits;
  limits.nodeLimit = 20000;
  limits.iterationLimit = 30;
  limits.timeLimitSeconds = std::numeric_limits<double>::infinity();
  return limits;
}

AbstractPruner::AbstractPruner(const AbstractExprBuilder &builder,
                               llvm::ArrayRef<ExprId> targetOutputs,
                               const RunnerLimits &limits)
    : builder(builder), graph(&analysis) {
  const ExprPool &pool = builder.getPool();
  llvm::DenseMap<ExprId, ClassId> added;
  llvm::DenseSet<int64_t> seenExtents;
  std::function<ClassId(ExprId)> addExpr = [&](ExprId id) -> ClassId {
    auto it = added.find(id);
    if (it != added.end())
      return it->second;
    ENode node = pool.node(id);
    auto kind = static_cast<AbsOp>(node.op);
    if ((kind == AbsOp::Sum || kind == AbsOp::Rms || kind == AbsOp::Max) &&
        seenExtents.insert(static_cast<int64_t>(node.payload)).second)
      extents.push_back(static_cast<int64_t>(node.payload));
    for (uint32_t &child : node.children)
      child = addExpr(child);
    ClassId cls = graph.add(std::move(node));
    added[id] = cls;
    return cls;
  };
  for (ExprId output : targetOutputs)
    addExpr(output);
  llvm::sort(extents);
  std::vector<Rewrite> rules = buildAbstractAxioms(extents);
  runReport = runRewrites(graph, rules, limits);
}

AbstractPruner::AbstractPruner(const AbstractExprBuilder &builder,
                               const AbstractPruner &saturated)
    : builder(builder), analysis(saturated.analysis),
      graph(saturated.graph, &analysis), extents(saturated.extents),
      runReport(saturated.runReport) {}

uint32_t
AbstractPruner::resolveNode(const ENode &node,
                            llvm::ArrayRef<uint32_t> childResults) const {
  bool unknown = false;
  ENode canonical(node.op, node.payload);
  for (uint32_t r : childResults) {
    if (r == kPrune)
      return kPrune;
    if (r == kUnknown)
      unknown = true;
    canonical.children.push_back(r);
  }
  if (unknown)
    return kUnknown;
  if (std::optional<ClassId> cls = graph.lookup(std::move(canonical)))
    return *cls;
  return node.op == op(AbsOp::Opaque) ? kUnknown : kPrune;
}

uint32_t AbstractPruner::resolve(ExprId id) {
  if (id < memo.size() && memo[id] != kNotComputed)
    return memo[id];
  const ENode &node = builder.getPool().node(id);
  llvm::SmallVector<uint32_t, 3> children;
  for (uint32_t child : node.children)
    children.push_back(resolve(child));
  uint32_t result = resolveNode(node, children);
  if (id >= memo.size())
    memo.resize(std::max<size_t>(id + 1, builder.getPool().size()),
                kNotComputed);
  memo[id] = result;
  return result;
}

QueryResult AbstractPruner::toResult(uint32_t resolved) {
  if (resolved == kPrune)
    return QueryResult::Prune;
  if (resolved == kUnknown)
    return QueryResult::Unknown;
  return QueryResult::Pass;
}

QueryResult AbstractPruner::query(ExprId id) { return toResult(resolve(id)); }

llvm::DenseSet<ClassId>
AbstractPruner::constructibleFrom(llvm::ArrayRef<ClassId> from) const {
  llvm::DenseSet<ClassId> made;
  for (ClassId c : from)
    made.insert(graph.find(c));
  std::vector<ClassId> ids = graph.classIds();
  for (bool changed = true; changed;) {
    changed = false;
    for (ClassId id : ids) {
      ClassId c = graph.find(id);
      if (made.contains(c))
        continue;
      for (const ENode &node : graph.getClass(c).nodes) {
        if (node.op == op(AbsOp::Var) || node.op == op(AbsOp::Opaque))
          continue;
        if (llvm::all_of(node.children, [&](uint32_t child) {
              return made.contains(graph.find(child));
            })) {
          made.insert(c);
          changed = true;
          break;
        }
      }
    }
  }
  return made;
}

bool AbstractPruner::constructible(llvm::ArrayRef<ClassId> from,
                                   llvm::ArrayRef<ClassId> goals) const {
  llvm::DenseSet<ClassId> made = constructibleFrom(from);
  return llvm::all_of(
      goals, [&](ClassId goal) { return made.contains(graph.find(goal)); });
}

/// Whether `code` reduces (a sum, rms or max node): a matmul, a block
/// rms_norm and an accumulator are one op each with their reduction.
static bool reducesInOneOp(OpCode code) {
  return code == op(AbsOp::Sum) || code == op(AbsOp::Rms) ||
         code == op(AbsOp::Max);
}

/// The ops a node of `code` costs on a chain: 0 for a reduction (see
/// reducesInOneOp) and a constant, 1 for anything else.
static unsigned chainWeight(OpCode code) {
  return reducesInOneOp(code) || code == op(AbsOp::Const) ? 0 : 1;
}

llvm::DenseMap<ClassId, unsigned> AbstractPruner::heightsFrom(
    llvm::ArrayRef<ClassId> from,
    std::optional<llvm::ArrayRef<int64_t>> extents) const {
  llvm::DenseMap<ClassId, unsigned> height;
  for (ClassId c : from)
    height[graph.find(c)] = 0;
  std::vector<ClassId> ids = graph.classIds();
  // Heights only decrease, and are bounded below: a fixpoint.
  for (bool changed = true; changed;) {
    changed = false;
    for (ClassId id : ids) {
      ClassId c = graph.find(id);
      auto it = height.find(c);
      unsigned best = it == height.end() ? kUnreachable : it->second;
      if (best == 0)
        continue;
      for (const ENode &node : graph.getClass(c).nodes) {
        if (node.op == op(AbsOp::Var) || node.op == op(AbsOp::Opaque))
          continue;
        if (extents && reducesInOneOp(node.op) &&
            !std::binary_search(extents->begin(), extents->end(),
                                static_cast<int64_t>(node.payload)))
          continue;
        unsigned h = 0;
        for (uint32_t child : node.children) {
          auto found = height.find(graph.find(child));
          h = std::max(h, found == height.end() ? kUnreachable : found->second);
        }
        if (h == kUnreachable)
          continue;
        h += chainWeight(node.op);
        if (h < best)
          best = h;
      }
      if (best != kUnreachable && (it == height.end() || best < it->second)) {
        height[c] = best;
        changed = true;
      }
    }
  }
  return height;
}

llvm::DenseMap<ClassId, unsigned>
AbstractPruner::depthsBelow(ClassId goal) const {
  llvm::DenseMap<ClassId, unsigned> depth;
  depth[graph.find(goal)] = 0;
  std::vector<ClassId> ids = graph.classIds();
  // Depths only decrease, and are bounded below: a fixpoint.
  for (bool changed = true; changed;) {
    changed = false;
    for (ClassId id : ids) {
      ClassId c = graph.find(id);
      auto it = depth.find(c);
      if (it == depth.end())
        continue;
      unsigned d = it->second;
      for (const ENode &node : graph.getClass(c).nodes) {
        if (node.op == op(AbsOp::Var) || node.op == op(AbsOp::Opaque))
          continue;
        unsigned below = d + chainWeight(node.op);
        for (uint32_t child : node.children) {
          ClassId k = graph.find(child);
          auto [found, inserted] = depth.try_emplace(k, below);
          if (inserted || below < found->second) {
            found->second = below;
            changed = true;
          }
        }
      }
    }
  }
  return depth;
}

std::optional<ClassId> AbstractPruner::classOf(ExprId id) {
  uint32_t resolved = resolve(id);
  if (toResult(resolved) != QueryResult::Pass)
    return std::nullopt;
  return graph.find(resolved);
}

QueryResult AbstractPruner::queryUncached(ExprId id) const {
  const ExprPool &pool = builder.getPool();
  // Post-order over the DAG with a local table: every node is canonicalized
  // once per query.
  llvm::SmallDenseMap<ExprId, uint32_t, 32> local;
  llvm::SmallVector<std::pair<ExprId, bool>, 32> stack = {{id, false}};
  llvm::SmallVector<uint32_t, 3> children;
  while (!stack.empty()) {
    auto [current, expanded] = stack.pop_back_val();
    if (local.count(current))
      continue;
    const ENode &node = pool.node(current);
    if (!expanded) {
      stack.push_back({current, true});
      for (uint32_t child : node.children)
        if (!local.count(child))
          stack.push_back({child, false});
      continue;
    }
    children.clear();
    for (uint32_t child : node.children)
      children.push_back(local.lookup(child));
    local[current] = resolveNode(node, children);
  }
  return toResult(local.lookup(id));
}
