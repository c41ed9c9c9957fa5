//===- Provenance.cpp - Which user ops a search result computes -----------===//

#include "Mirage/Bridge/Provenance.h"

#include "Mirage/Semantics/Interpreter.h"
#include "Mirage/Support/MemoryLimit.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/Hashing.h"
#include "llvm/Support/xxhash.h"

#include <numeric>
#include <unordered_map>

using namespace mirage;

namespace {

/// A hash of a value's type and fingerprint.
uint64_t hashOf(const ValueInfo &info, const Tensor &t) {
  if (t.isDrawn()) // an input not held (seededInputs): its seed and index
    return llvm::hash_combine(
        llvm::hash_combine_range(info.shape.begin(), info.shape.end()),
        static_cast<int>(info.dtype), t.drawn->seed, t.drawn->inputIndex);
  return llvm::hash_combine(
      llvm::hash_combine_range(info.shape.begin(), info.shape.end()),
      static_cast<int>(info.dtype),
      llvm::xxh3_64bits(llvm::ArrayRef<uint8_t>(
          reinterpret_cast<const uint8_t *>(t.data.data()),
          t.data.size() * sizeof(float))));
}

/// A hash of the fingerprint of every kernel-level value of `graph` on
/// `inputs` (hashOf), or an empty vector when the graph cannot be evaluated
/// here (too large, or the evaluation was inconclusive). Only the hashes are
/// kept: the fingerprints of every value of two graphs at their real shape
/// would be the largest thing the search's pass holds (docs/Search.md,
/// "Memory"). Two values whose hashes agree are taken as the same function
/// of the inputs; a collision (2^-64) could only misplace a location.
std::vector<uint64_t> valueHashes(const KernelGraph &graph,
                                  llvm::ArrayRef<Tensor> inputs,
                                  uint64_t seed) {
  if (llvm::Error err = checkMemoryNeed(
          evaluationBytes(graph, NumberSystem::Field, kHeldInputBytes),
          resolveMemoryLimit(0), "fingerprint")) {
    llvm::consumeError(std::move(err));
    return {};
  }
  std::vector<uint64_t> hashes(graph.values.size());
  for (unsigned i = 0; i < graph.numInputs; ++i)
    hashes[i] = hashOf(graph.values[i], inputs[i]);
  llvm::Expected<EvalResult> result =
      evaluate(graph, NumberSystem::Field, inputs, seed,
               [&](ValueId v, const Tensor &t) {
                 hashes[v] = hashOf(graph.values[v], t);
               });
  if (!result) {
    llvm::consumeError(result.takeError());
    return {};
  }
  if (result->inconclusive)
    return {};
  return hashes;
}

/// For each value of `candidate`, the value of `reference` that is the same
/// function of the inputs, or -1.
std::vector<ValueId> matchValues(const KernelGraph &reference,
                                 const KernelGraph &candidate, uint64_t seed) {
  std::vector<ValueId> match(candidate.values.size(), -1);
  for (unsigned i = 0; i < candidate.numInputs; ++i)
    match[i] = static_cast<ValueId>(i);
  for (auto [c, r] : llvm::zip_equal(candidate.outputs, reference.outputs))
    match[c] = r;
  // One set of inputs for both graphs (which have the same inputs).
  std::vector<Tensor> inputs =
      seededInputs(reference, NumberSystem::Field, seed);
  std::vector<uint64_t> ref = valueHashes(reference, inputs, seed);
  if (ref.empty())
    return match;
  std::vector<uint64_t> cand = valueHashes(candidate, inputs, seed);
  if (cand.empty())
    return match;
  // (Not a DenseMap: any 64-bit hash may occur, its reserved keys too.)
  std::unordered_map<uint64_t, llvm::SmallVector<ValueId, 1>> byHash;
  for (size_t v = 0; v < reference.values.size(); ++v)
    byHash[ref[v]].push_back(static_cast<ValueId>(v));
  for (size_t v = candidate.numInputs; v < candidate.values.size(); ++v) {
    if (match[v] >= 0)
      continue;
    const ValueInfo &info = candidate.values[v];
    auto it = byHash.find(cand[v]);
    if (it == byHash.end())
      continue;
    for (ValueId r : it->second)
      if (reference.values[r].shape == info.shape &&
          reference.values[r].dtype == info.dtype) {
        match[v] = r;
        break;
      }
  }
  return match;
}

} // namespace

std::vector<llvm::SmallVector<unsigned, 4>>
mirage::computedReferenceOps(const KernelGraph &reference,
                             const KernelGraph &candidate, uint64_t seed) {
  std::vector<ValueId> match = matchValues(reference, candidate, seed);

  // The reference op that produces each value, and the ops each value
  // depends on (itself included).
  std::vector<int> refProducer(reference.values.size(), -1);
  for (size_t k = 0; k < reference.ops.size(); ++k)
    for (ValueId r : reference.ops[k].results)
      refProducer[r] = static_cast<int>(k);
  auto dependsOn = [&](llvm::ArrayRef<ValueId> values) {
    std::vector<bool> ops(reference.ops.size(), false);
    llvm::SmallVector<ValueId> work(values.begin(), values.end());
    while (!work.empty()) {
      ValueId v = work.pop_back_val();
      int k = refProducer[v];
      if (k < 0 || ops[k])
        continue;
      ops[k] = true;
      llvm::append_range(work, reference.ops[k].operands);
    }
    return ops;
  };

  // Candidate ops joined by values with no counterpart.
  std::vector<int> candProducer(candidate.values.size(), -1);
  for (size_t k = 0; k < candidate.ops.size(); ++k)
    for (ValueId r : candidate.ops[k].results)
      candProducer[r] = static_cast<int>(k);
  std::vector<unsigned> leader(candidate.ops.size());
  std::iota(leader.begin(), leader.end(), 0u);
  auto find = [&](unsigned k) {
    while (leader[k] != k)
      k = leader[k] = leader[leader[k]];
    return k;
  };
  for (size_t k = 0; k < candidate.ops.size(); ++k)
    for (ValueId v : candidate.ops[k].operands)
      if (match[v] < 0 && candProducer[v] >= 0)
        leader[find(k)] = find(static_cast<unsigned>(candProducer[v]));

  std::vector<llvm::SmallVector<unsigned, 4>> computed(candidate.ops.size());
  for (unsigned group = 0; group < candidate.ops.size(); ++group) {
    if (find(group) != group)
      continue;
    llvm::SmallVector<unsigned> members;
    for (unsigned k = 0; k < candidate.ops.size(); ++k)
      if (find(k) == group)
        members.push_back(k);
    llvm::SmallVector<ValueId> ins, outs;
    for (unsigned k : members) {
      for (ValueId v : candidate.ops[k].operands)
        if (match[v] >= 0 &&
            (candProducer[v] < 0 ||
             find(static_cast<unsigned>(candProducer[v])) != group))
          ins.push_back(match[v]);
      for (ValueId v : candidate.ops[k].results)
        if (match[v] >= 0)
          outs.push_back(match[v]);
    }
    std::vector<bool> produced = dependsOn(outs), given = dependsOn(ins);
    llvm::SmallVector<unsigned, 4> ops;
    for (size_t k = 0; k < reference.ops.size(); ++k)
      if (produced[k] && !given[k])
        ops.push_back(static_cast<unsigned>(k));
    if (ops.empty()) {
      ops.resize(reference.ops.size());
      std::iota(ops.begin(), ops.end(), 0u);
    }
    for (unsigned k : members)
      computed[k] = ops;
  }
  return computed;
}

void mirage::attachLocations(KernelGraph &candidate,
                             const KernelGraph &reference,
                             LocationTable &locations, mlir::Location fallback,
                             uint64_t seed) {
  std::vector<llvm::SmallVector<unsigned, 4>> computed =
      computedReferenceOps(reference, candidate, seed);
  auto fused = [&](llvm::ArrayRef<unsigned> refOps) {
    llvm::SmallVector<mlir::Location> locs;
    for (unsigned k : refOps)
      locs.push_back(locationOf(reference.ops[k], locations, fallback));
    auto index = static_cast<int32_t>(locations.size());
    locations.push_back(fuseLocations(locs, fallback));
    return index;
  };
  for (auto [op, refOps] : llvm::zip_equal(candidate.ops, computed)) {
    op.location = fused(refOps);
    if (op.kind != OpKind::GraphDefined)
      continue;
    // A block op of the kind of some of the reference ops its kernel
    // computes (a block matmul where the kernel computes a user's matmul)
    // points at those; the others at the kernel.
    for (OpNode &blockOp : candidate.blockGraphs[op.blockGraph].ops) {
      llvm::SmallVector<unsigned, 4> sameKind;
      for (unsigned k : refOps)
        if (reference.ops[k].kind == blockOp.kind)
          sameKind.push_back(k);
      if (!sameKind.empty())
        blockOp.location = fused(sameKind);
    }
  }
}
