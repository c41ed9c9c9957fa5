//===- Rewrite.cpp - Patterns, e-matching, rewrite rules, runner ----------===//

#include "Mirage/Search/Rewrite.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <cstring>
#include <ctime>

using namespace mirage;

//===----------------------------------------------------------------------===//
// OpTable and printing
//===----------------------------------------------------------------------===//

OpTable::OpTable(llvm::ArrayRef<OpSignature> signatures)
    : signatures(signatures.begin(), signatures.end()) {}

const OpSignature *OpTable::byName(llvm::StringRef name) const {
  for (const OpSignature &sig : signatures)
    if (sig.name == name)
      return &sig;
  return nullptr;
}

const OpSignature *OpTable::byOp(OpCode op) const {
  for (const OpSignature &sig : signatures)
    if (sig.op == op)
      return &sig;
  return nullptr;
}

static void printPayload(PayloadKind kind, uint64_t payload,
                         llvm::raw_ostream &os) {
  if (kind == PayloadKind::Integer) {
    os << static_cast<int64_t>(payload);
  } else if (kind == PayloadKind::Real) {
    double value;
    std::memcpy(&value, &payload, sizeof(value));
    os << value;
  }
}

void mirage::printSExpr(const OpTable &table, const RecExpr &expr,
                        llvm::raw_ostream &os) {
  std::function<void(uint32_t)> print = [&](uint32_t index) {
    const ENode &node = expr.nodes[index];
    const OpSignature *sig = table.byOp(node.op);
    bool parens =
        !node.children.empty() || (sig && sig->payload != PayloadKind::None);
    if (parens)
      os << "(";
    if (sig)
      os << sig->name;
    else
      os << "op" << node.op;
    if (sig && sig->payload != PayloadKind::None) {
      os << " ";
      printPayload(sig->payload, node.payload, os);
    }
    for (uint32_t child : node.children) {
      os << " ";
      print(child);
    }
    if (parens)
      os << ")";
  };
  if (!expr.nodes.empty())
    print(expr.root());
}

//===----------------------------------------------------------------------===//
// Parsing
//===----------------------------------------------------------------------===//

namespace {
struct PatternParser {
  const OpTable &table;
  llvm::StringRef text;
  std::vector<std::string> &vars;
  std::vector<std::string> &payloadVars;
  std::vector<Pattern::Node> &nodes;

  llvm::Error error(const llvm::Twine &message) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "pattern: " + message);
  }

  llvm::StringRef nextToken() {
    text = text.ltrim();
    if (text.empty())
      return {};
    if (text.front() == '(' || text.front() == ')') {
      llvm::StringRef token = text.take_front(1);
      text = text.drop_front(1);
      return token;
    }
    size_t end = text.find_first_of(" \t\n()");
    llvm::StringRef token = text.take_front(end);
    text = text.drop_front(token.size());
    return token;
  }

  static unsigned indexOf(std::vector<std::string> &names,
                          llvm::StringRef name) {
    for (unsigned i = 0; i < names.size(); ++i)
      if (names[i] == name)
        return i;
    names.push_back(name.str());
    return names.size() - 1;
  }

  llvm::Expected<uint32_t> parse() {
    llvm::StringRef token = nextToken();
    if (token.empty())
      return error("unexpected end");
    Pattern::Node node;
    if (token.starts_with("?")) {
      node.isVar = true;
      node.value = indexOf(vars, token);
    } else {
      bool open = token == "(";
      llvm::StringRef name = open ? nextToken() : token;
      const OpSignature *sig = table.byName(name);
      if (!sig)
        return error("unknown operator '" + name + "'");
      node.op = sig->op;
      if (sig->payload != PayloadKind::None) {
        if (!open)
          return error("'" + name + "' needs a payload");
        llvm::StringRef payload = nextToken();
        if (payload.starts_with("?")) {
          node.payloadIsVar = true;
          node.value = indexOf(payloadVars, payload);
        } else if (sig->payload == PayloadKind::Integer) {
          int64_t value;
          if (payload.getAsInteger(10, value))
            return error("bad integer '" + payload + "'");
          node.value = static_cast<uint64_t>(value);
        } else {
          double value;
          if (payload.getAsDouble(value))
            return error("bad number '" + payload + "'");
          std::memcpy(&node.value, &value, sizeof(value));
        }
      }
      if (open) {
        while (true) {
          llvm::StringRef rest = text.ltrim();
          if (rest.starts_with(")")) {
            nextToken();
            break;
          }
          if (rest.empty())
            return error("missing ')'");
          llvm::Expected<uint32_t> child = parse();
          if (!child)
            return child.takeError();
          node.children.push_back(*child);
        }
      }
      if (sig->arity >= 0 &&
          node.children.size() != static_cast<size_t>(sig->arity))
        return error("'" + name + "' takes " + llvm::Twine(sig->arity) +
                     " operands");
    }
    nodes.push_back(std::move(node));
    return static_cast<uint32_t>(nodes.size() - 1);
  }
};
} // namespace

llvm::Expected<Pattern> Pattern::parse(const OpTable &table,
                                       llvm::StringRef text,
                                       std::vector<std::string> &vars,
                                       std::vector<std::string> &payloadVars) {
  Pattern pattern;
  PatternParser parser{table, text, vars, payloadVars, pattern.nodes};
  llvm::Expected<uint32_t> root = parser.parse();
  if (!root)
    return root.takeError();
  if (!parser.text.trim().empty())
    return parser.error("trailing text '" + parser.text.trim() + "'");
  pattern.numVarsUsed = vars.size();
  pattern.numPayloadVarsUsed = payloadVars.size();
  return pattern;
}

//===----------------------------------------------------------------------===//
// E-matching
//===----------------------------------------------------------------------===//

void Pattern::match(const EGraph &graph, uint32_t patternNode, ClassId id,
                    Subst subst, std::vector<Subst> &out) const {
  const Node &p = nodes[patternNode];
  id = graph.find(id);
  if (p.isVar) {
    ClassId &bound = subst.classes[p.value];
    if (bound == Subst::kUnbound) {
      bound = id;
      out.push_back(std::move(subst));
    } else if (graph.find(bound) == id) {
      out.push_back(std::move(subst));
    }
    return;
  }
  std::vector<Subst> partial, next;
  for (const ENode &node : graph.getClass(id).nodes) {
    if (node.op != p.op || node.children.size() != p.children.size())
      continue;
    Subst s = subst;
    if (p.payloadIsVar) {
      uint32_t bit = 1u << p.value;
      if (s.boundPayloads & bit) {
        if (s.payloads[p.value] != node.payload)
          continue;
      } else {
        s.boundPayloads |= bit;
        s.payloads[p.value] = node.payload;
      }
    } else if (node.payload != p.value) {
      continue;
    }
    partial.clear();
    partial.push_back(std::move(s));
    for (size_t i = 0; i < p.children.size() && !partial.empty(); ++i) {
      next.clear();
      for (Subst &ps : partial)
        match(graph, p.children[i], node.children[i], std::move(ps), next);
      std::swap(partial, next);
    }
    for (Subst &ps : partial)
      out.push_back(std::move(ps));
  }
}

void Pattern::searchClass(const EGraph &graph, ClassId id,
                          std::vector<Subst> &out) const {
  Subst empty;
  empty.classes.assign(numVarsUsed, Subst::kUnbound);
  empty.payloads.assign(numPayloadVarsUsed, 0);
  match(graph, nodes.size() - 1, id, std::move(empty), out);
}

std::vector<std::pair<ClassId, Subst>> Pattern::search(const EGraph &graph,
                                                       size_t limit) const {
  std::vector<std::pair<ClassId, Subst>> matches;
  std::vector<Subst> found;
  auto visit = [&](ClassId id) {
    found.clear();
    searchClass(graph, id, found);
    for (Subst &s : found)
      matches.emplace_back(id, std::move(s));
  };
  if (rootNode().isVar) {
    for (ClassId id : graph.classIds()) {
      visit(id);
      if (matches.size() >= limit)
        break;
    }
    return matches;
  }
  for (ClassId id : graph.classesWithOp(rootNode().op)) {
    visit(id);
    if (matches.size() >= limit)
      break;
  }
  return matches;
}

ClassId Pattern::instantiate(EGraph &graph, const Subst &subst) const {
  llvm::SmallVector<ClassId, 8> ids(nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i) {
    const Node &p = nodes[i];
    if (p.isVar) {
      ids[i] = subst.classes[p.value];
      continue;
    }
    ENode node(p.op, p.payloadIsVar ? subst.payloads[p.value] : p.value);
    for (uint32_t child : p.children)
      node.children.push_back(ids[child]);
    ids[i] = graph.add(std::move(node));
  }
  return ids.back();
}

//===----------------------------------------------------------------------===//
// Rules and the runner
//===----------------------------------------------------------------------===//

llvm::Expected<Rewrite>
Rewrite::create(const OpTable &table, llvm::StringRef name, llvm::StringRef lhs,
                llvm::StringRef rhs, Condition condition) {
  std::vector<std::string> vars, payloadVars;
  llvm::Expected<Pattern> left = Pattern::parse(table, lhs, vars, payloadVars);
  if (!left)
    return left.takeError();
  size_t numVars = vars.size(), numPayloadVars = payloadVars.size();
  llvm::Expected<Pattern> right = Pattern::parse(table, rhs, vars, payloadVars);
  if (!right)
    return right.takeError();
  if (vars.size() != numVars || payloadVars.size() != numPayloadVars)
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "rule '" + name +
                                       "': right side has unbound variables");
  Rewrite rule;
  rule.name = name.str();
  rule.lhs = std::move(*left);
  rule.rhs = std::move(*right);
  rule.condition = std::move(condition);
  return rule;
}

llvm::Expected<Rewrite>
Rewrite::create(const OpTable &table, llvm::StringRef name, llvm::StringRef lhs,
                CustomApplier apply, Condition condition) {
  std::vector<std::string> vars, payloadVars;
  llvm::Expected<Pattern> left = Pattern::parse(table, lhs, vars, payloadVars);
  if (!left)
    return left.takeError();
  Rewrite rule;
  rule.name = name.str();
  rule.lhs = std::move(*left);
  rule.apply = std::move(apply);
  rule.condition = std::move(condition);
  return rule;
}

llvm::StringRef mirage::stopReasonName(StopReason reason) {
  switch (reason) {
  case StopReason::Saturated:
    return "saturated";
  case StopReason::NodeLimit:
    return "node limit";
  case StopReason::IterationLimit:
    return "iteration limit";
  case StopReason::TimeLimit:
    return "time limit";
  }
  return "unknown";
}

/// The CPU time the calling thread has used, in seconds.
static double threadCpuSeconds() {
  timespec ts;
  if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
    return 0;
  return static_cast<double>(ts.tv_sec) +
         static_cast<double>(ts.tv_nsec) * 1e-9;
}

RunReport mirage::runRewrites(EGraph &graph, llvm::ArrayRef<Rewrite> rules,
                              const RunnerLimits &limits) {
  using Clock = std::chrono::steady_clock;
  Clock::time_point start = Clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(Clock::now() - start).count();
  };
  // The time limit counts the CPU time of this thread, not the wall clock:
  // on a loaded machine (more runnable threads than cores) the wall clock
  // runs several times faster than the work, and a wall-clock limit stopped
  // the same saturation at a different point on each run.
  double cpuStart = threadCpuSeconds();
  auto cpuElapsed = [&] { return threadCpuSeconds() - cpuStart; };
  // The time limit is a budget for optimized code: a sanitizer build (make
  // test-sanitize) runs several times slower and gets as many times the
  // budget, so that it stops where the plain build does.
  double timeLimit = limits.timeLimitSeconds;
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
  timeLimit *= 8;
#endif
#endif
  RunReport report;
  graph.rebuild();

  struct RuleState {
    unsigned bans = 0;
    unsigned bannedUntil = 0;
  };
  std::vector<RuleState> states(rules.size());
  std::vector<std::vector<std::pair<ClassId, Subst>>> matches(rules.size());
  std::optional<StopReason> stop;

  for (unsigned iteration = 0;; ++iteration) {
    if (iteration >= limits.iterationLimit)
      stop = StopReason::IterationLimit;
    else if (graph.numNodes() >= limits.nodeLimit)
      stop = StopReason::NodeLimit;
    else if (cpuElapsed() > timeLimit)
      stop = StopReason::TimeLimit;
    if (stop)
      break;

    // Search every rule on the same (clean) e-graph, then apply.
    bool anyBanned = false;
    for (size_t r = 0; r < rules.size() && !stop; ++r) {
      matches[r].clear();
      RuleState &state = states[r];
      if (state.bannedUntil > iteration) {
        anyBanned = true;
        continue;
      }
      size_t threshold = limits.matchLimit
                             ? limits.matchLimit << std::min(state.bans, 16u)
                             : SIZE_MAX;
      matches[r] = rules[r].lhs.search(
          graph, threshold == SIZE_MAX ? SIZE_MAX : threshold + 1);
      if (matches[r].size() > threshold) {
        matches[r].clear();
        state.bannedUntil =
            iteration + (limits.banLength << std::min(state.bans, 16u));
        ++state.bans;
        anyBanned = true;
      }
      if (cpuElapsed() > timeLimit)
        stop = StopReason::TimeLimit;
    }

    size_t nodesBefore = graph.numNodes();
    size_t mergesBefore = graph.numMerges();
    size_t count = 0;
    for (size_t r = 0; r < rules.size() && !stop; ++r) {
      const Rewrite &rule = rules[r];
      for (auto &[id, subst] : matches[r]) {
        if (rule.condition && !rule.condition(graph, subst))
          continue;
        std::optional<ClassId> result =
            rule.rhs
                ? std::optional<ClassId>(rule.rhs->instantiate(graph, subst))
                : rule.apply(graph, id, subst);
        ++report.applications;
        if (result)
          graph.merge(id, *result);
        if (graph.numNodes() >= limits.nodeLimit) {
          stop = StopReason::NodeLimit;
          break;
        }
        if ((++count & 255) == 0 && cpuElapsed() > timeLimit) {
          stop = StopReason::TimeLimit;
          break;
        }
      }
    }
    bool grew = graph.numNodes() != nodesBefore;
    bool merged = graph.numMerges() != mergesBefore;
    graph.rebuild();
    ++report.iterations;
    if (stop)
      break;
    if (!merged && !grew) {
      if (!anyBanned) {
        stop = StopReason::Saturated;
        break;
      }
      // Nothing changed but some rules sat out: let them run now.
      for (RuleState &state : states)
        state.bannedUntil = 0;
    }
  }
  report.stop = *stop;
  report.nodes = graph.numNodes();
  report.classes = graph.numClasses();
  report.seconds = elapsed();
  return report;
}
