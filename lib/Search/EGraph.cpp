//===- EGraph.cpp - Hash-consing, union-find, rebuild, extraction ---------===//

#include "Mirage/Search/EGraph.h"

#include <algorithm>
#include <functional>
#include <limits>

using namespace mirage;

bool mirage::operator<(const ENode &a, const ENode &b) {
  if (a.op != b.op)
    return a.op < b.op;
  if (a.payload != b.payload)
    return a.payload < b.payload;
  return std::lexicographical_compare(a.children.begin(), a.children.end(),
                                      b.children.begin(), b.children.end());
}

//===----------------------------------------------------------------------===//
// Analysis
//===----------------------------------------------------------------------===//

EGraphAnalysis::~EGraphAnalysis() = default;

AnalysisValue EGraphAnalysis::make(const EGraph &, const ENode &) { return {}; }

bool EGraphAnalysis::merge(AnalysisValue &into, const AnalysisValue &from) {
  if (into.known || !from.known)
    return false;
  into = from;
  return true;
}

void EGraphAnalysis::modify(EGraph &, ClassId) {}

//===----------------------------------------------------------------------===//
// EGraph
//===----------------------------------------------------------------------===//

EGraph::EGraph(EGraphAnalysis *analysis)
    : analysis(analysis ? analysis : &defaultAnalysis) {}

EGraph::EGraph(const EGraph &other, EGraphAnalysis *analysis) : EGraph(other) {
  this->analysis = analysis ? analysis : &defaultAnalysis;
}

ClassId EGraph::find(ClassId id) const {
  // Path halving: every other node on the path points to its grandparent.
  while (unionFind[id] != id) {
    unionFind[id] = unionFind[unionFind[id]];
    id = unionFind[id];
  }
  return id;
}

void EGraph::canonicalize(ENode &node) const {
  for (uint32_t &child : node.children)
    child = find(child);
}

std::optional<ClassId> EGraph::lookup(ENode node) const {
  canonicalize(node);
  auto it = memo.find(node);
  if (it == memo.end())
    return std::nullopt;
  return find(it->second);
}

ClassId EGraph::add(ENode node) {
  canonicalize(node);
  auto it = memo.find(node);
  if (it != memo.end())
    return find(it->second);

  ClassId id = static_cast<ClassId>(classes.size());
  unionFind.push_back(id);
  classes.emplace_back();
  for (uint32_t child : node.children)
    classes[child].parents.emplace_back(node, id);
  memo.try_emplace(node, id);
  classes[id].data = analysis->make(*this, node);
  classes[id].nodes.push_back(std::move(node));
  ++nodeCount;
  ++classCount;
  opIndexValid = false;
  analysis->modify(*this, id);
  return id;
}

bool EGraph::merge(ClassId a, ClassId b) {
  a = find(a);
  b = find(b);
  if (a == b)
    return false;
  // The class with more parents stays the root, so fewer parents move.
  if (classes[a].parents.size() < classes[b].parents.size())
    std::swap(a, b);
  unionFind[b] = a;
  --classCount;
  ++mergeCount;
  ++unionsSinceRebuild;
  opIndexValid = false;

  EClass &from = classes[b];
  EClass &into = classes[a];
  pending.insert(pending.end(), from.parents.begin(), from.parents.end());

  AnalysisValue fromData = from.data;
  bool intoChanged = analysis->merge(into.data, fromData);
  bool fromChanged = !(into.data == fromData);
  if (intoChanged)
    analysisPending.insert(analysisPending.end(), into.parents.begin(),
                           into.parents.end());
  if (fromChanged)
    analysisPending.insert(analysisPending.end(), from.parents.begin(),
                           from.parents.end());

  into.nodes.append(from.nodes.begin(), from.nodes.end());
  into.parents.insert(into.parents.end(), from.parents.begin(),
                      from.parents.end());
  from.nodes.clear();
  from.parents.clear();
  from.parents.shrink_to_fit();
  analysis->modify(*this, a);
  return true;
}

void EGraph::processUnions() {
  while (!pending.empty() || !analysisPending.empty()) {
    while (!pending.empty()) {
      auto [node, id] = std::move(pending.back());
      pending.pop_back();
      canonicalize(node);
      auto [it, inserted] = memo.try_emplace(node, id);
      if (!inserted)
        merge(it->second, id);
    }
    while (!analysisPending.empty()) {
      auto [node, id] = std::move(analysisPending.back());
      analysisPending.pop_back();
      canonicalize(node);
      ClassId root = find(id);
      AnalysisValue value = analysis->make(*this, node);
      if (analysis->merge(classes[root].data, value)) {
        analysisPending.insert(analysisPending.end(),
                               classes[root].parents.begin(),
                               classes[root].parents.end());
        analysis->modify(*this, root);
      }
    }
  }
}

void EGraph::rebuildClasses() {
  size_t count = 0;
  for (ClassId id = 0, e = classes.size(); id != e; ++id) {
    if (find(id) != id)
      continue;
    EClass &cls = classes[id];
    for (ENode &node : cls.nodes)
      canonicalize(node);
    llvm::sort(cls.nodes);
    cls.nodes.erase(std::unique(cls.nodes.begin(), cls.nodes.end()),
                    cls.nodes.end());
    count += cls.nodes.size();
    // Deduplicate parents too, or they grow with every merge.
    for (auto &[node, parent] : cls.parents) {
      canonicalize(node);
      parent = find(parent);
    }
    llvm::sort(cls.parents);
    cls.parents.erase(std::unique(cls.parents.begin(), cls.parents.end()),
                      cls.parents.end());
  }
  nodeCount = count;
}

unsigned EGraph::rebuild() {
  processUnions();
  rebuildClasses();
  unsigned merges = unionsSinceRebuild;
  unionsSinceRebuild = 0;
  return merges;
}

std::vector<ClassId> EGraph::classIds() const {
  std::vector<ClassId> ids;
  ids.reserve(classCount);
  for (ClassId id = 0, e = classes.size(); id != e; ++id)
    if (find(id) == id)
      ids.push_back(id);
  return ids;
}

llvm::ArrayRef<ClassId> EGraph::classesWithOp(OpCode op) const {
  if (!opIndexValid) {
    for (std::vector<ClassId> &list : opIndex)
      list.clear();
    for (ClassId id = 0, e = classes.size(); id != e; ++id) {
      if (find(id) != id)
        continue;
      for (const ENode &node : classes[id].nodes) {
        if (node.op >= opIndex.size())
          opIndex.resize(node.op + 1);
        if (opIndex[node.op].empty() || opIndex[node.op].back() != id)
          opIndex[node.op].push_back(id);
      }
    }
    opIndexValid = true;
  }
  if (op >= opIndex.size())
    return {};
  return opIndex[op];
}

//===----------------------------------------------------------------------===//
// Extraction
//===----------------------------------------------------------------------===//

double mirage::astSize(const ENode &, llvm::ArrayRef<double> childCosts) {
  double total = 1;
  for (double cost : childCosts)
    total += cost;
  return total;
}

Extractor::Extractor(const EGraph &graph, CostFunction cost) : graph(graph) {
  std::vector<ClassId> ids = graph.classIds();
  llvm::SmallVector<double, 4> childCosts;
  // Bellman-Ford style: costs only decrease, and a monotone cost function
  // makes the fixpoint the optimum.
  bool changed = true;
  while (changed) {
    changed = false;
    for (ClassId id : ids) {
      for (const ENode &node : graph.getClass(id).nodes) {
        childCosts.clear();
        bool complete = true;
        for (uint32_t child : node.children) {
          auto it = best.find(graph.find(child));
          if (it == best.end()) {
            complete = false;
            break;
          }
          childCosts.push_back(it->second.first);
        }
        if (!complete)
          continue;
        double c = cost(node, childCosts);
        auto it = best.find(id);
        if (it == best.end() || c < it->second.first) {
          best[id] = {c, node};
          changed = true;
        }
      }
    }
  }
}

double Extractor::bestCost(ClassId id) const {
  auto it = best.find(graph.find(id));
  if (it == best.end())
    return std::numeric_limits<double>::infinity();
  return it->second.first;
}

RecExpr Extractor::extract(ClassId id) const {
  RecExpr expr;
  llvm::DenseMap<ClassId, uint32_t> emitted;
  // Post-order over the chosen nodes; the chosen term is acyclic because
  // each chosen child is strictly cheaper (monotone, positive costs).
  std::function<uint32_t(ClassId)> emit = [&](ClassId cls) -> uint32_t {
    cls = graph.find(cls);
    auto done = emitted.find(cls);
    if (done != emitted.end())
      return done->second;
    ENode node = best.find(cls)->second.second;
    for (uint32_t &child : node.children)
      child = emit(child);
    expr.nodes.push_back(std::move(node));
    uint32_t index = static_cast<uint32_t>(expr.nodes.size() - 1);
    emitted[cls] = index;
    return index;
  };
  if (best.count(graph.find(id)))
    emit(id);
  return expr;
}
