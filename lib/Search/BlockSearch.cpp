//===- BlockSearch.cpp - Block-level search of the μGraph -------*- C++ -*-===//

#include "BlockSearch.h"

#include "Mirage/Support/ShapeRules.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>

using namespace mirage;
using namespace mirage::search;

void BlockSearch::run(BlockGraph &block, GraphState &state, int64_t smem,
                      unsigned minOutputs, unsigned maxOutputs,
                      std::vector<BlockClosure> &closures,
                      const ExprScreen::OutputDistance *distance,
                      unsigned slack) {
  BlockContext context{block,      state,    smem,     minOutputs,
                       maxOutputs, closures, distance, slack};
  blockLevel(context);
}

void BlockSearch::blockLevel(BlockContext &ctx) {
  if (tasks.outOfTime())
    return;
  ++tasks.tally().statesVisited;
  BlockGraph &block = ctx.graph;
  // Close the graph when every dangling tile is accumulated and none is a
  // loader's: savers for each, under each candidate omap.
  llvm::SmallVector<ValueId, 4> dangling;
  bool closable = true;
  // running_max's `diff` needs no reader: with one iteration it is 0, and
  // a stable softmax subtracts the maximum and rescales nothing.
  llvm::SmallVector<ValueId, 2> unread;
  for (const OpNode &op : block.ops)
    if (op.kind == OpKind::RunningMax)
      unread.push_back(op.results[1]);
  for (ValueId v = block.numInputs, e = block.values.size(); v < e; ++v) {
    if (ctx.state.uses[v] != 0 || llvm::is_contained(unread, v))
      continue;
    if (!block.values[v].accumulated)
      closable = false;
    dangling.push_back(v);
  }
  unsigned used = block.ops.size();
  if (closable && dangling.size() >= ctx.minOutputs &&
      dangling.size() <= ctx.maxOutputs &&
      used + dangling.size() <= options.maxBlockOps) {
    BlockClosure closure;
    closure.values.assign(block.values.begin() + 2 * block.numInputs,
                          block.values.end());
    closure.ops.assign(block.ops.begin() + block.numInputs, block.ops.end());
    closure.dangling.assign(dangling.begin(), dangling.end());
    for (ValueId v : dangling)
      closure.exprs.push_back(ctx.state.exprs[v]);
    ctx.closures.push_back(std::move(closure));
  }
  // A lower bound on the ops still needed to close the graph. An op
  // consuming c dangling `pre` tiles and producing one removes at most
  // c - 1 of them (a binary op merges two; concat_matmul, with `lora`,
  // merges four; running_max's `diff` need not be read), an accumulator turns
  // one into `post`, and `pre` and `post` never meet; every dangling `post`
  // tile costs at least one op (a saver, or a merge into another).
  unsigned pre = llvm::count_if(
      dangling, [&](ValueId v) { return !block.values[v].accumulated; });
  unsigned post = dangling.size() - pre;
  // (accum rescale, where the target has a maximum, takes two `pre`
  // tiles to one `post` tile: count it as merging two.)
  unsigned perOp = options.preset == Preset::Lora   ? 3
                   : screen.hasOperator(AbsOp::Max) ? 2
                                                    : 1;
  unsigned needed = (pre + perOp - 1) / perOp + std::max(post, 1u);
  // The distance to the outputs in the saturated e-graph: every output's
  // class must still be built, each op adds at most 1 to the height of
  // its result's class (AbstractPruner::heightsFrom), and each output
  // needs a saver.
  if (ctx.distance)
    needed = std::max(needed, opsToOutputs(ctx));
  if (used + 1 > options.maxBlockOps || used + needed > options.maxBlockOps) {
    ++tasks.tally().prunedUnclosable;
    return;
  }
  enumerateBlockOps(ctx);
}

/// A lower bound on the ops (savers included) that the block graph needs
/// so that the reference's outputs can still be computed: the largest
/// height of an output's class less the largest height among the values
/// so far (a derivation of the output from the values, below derivations
/// of the values from the heights' origin, is a derivation from the
/// origin), less the ops that may follow the kernel, plus a saver per
/// output of the kernel. 0 when a value has no height (opaque).
unsigned BlockSearch::opsToOutputs(BlockContext &ctx) {
  const ExprScreen::OutputDistance &distance = *ctx.distance;
  for (unsigned goal : distance.goals)
    if (goal == AbstractPruner::kUnreachable)
      return options.maxBlockOps + 1;
  // Per output, the least over the values v of max(depth of v below the
  // output, height of the output - height of v): the derivation of the
  // output from the values has a path that ends at some value v and is
  // at least that long (its e-nodes lie below the output, and substituting
  // v's own derivation bounds the output's height).
  llvm::SmallVector<unsigned, 2> best(distance.goals.size(),
                                      AbstractPruner::kUnreachable);
  for (ValueId v = ctx.graph.numInputs, e = ctx.graph.values.size(); v < e;
       ++v) {
    std::optional<ClassId> cls = screen.classOf(ctx.state.exprs[v]);
    if (!cls)
      return 0;
    auto height = distance.heights.find(*cls);
    if (height == distance.heights.end())
      return 0;
    for (auto [i, goal] : llvm::enumerate(distance.goals)) {
      unsigned up = goal > height->second ? goal - height->second : 0;
      const llvm::DenseMap<ClassId, unsigned> &depths = (*distance.depths)[i];
      auto depth = depths.find(*cls);
      // A value no path from the output reaches is not on one.
      if (depth == depths.end())
        continue;
      best[i] = std::min(best[i], std::max(up, depth->second));
    }
  }
  unsigned gap = 0;
  for (auto [i, goal] : llvm::enumerate(distance.goals)) {
    // Where the ops after the kernel reach the output alone, the block
    // graph need not be on its path.
    if (goal <= ctx.slack)
      continue;
    if (best[i] == AbstractPruner::kUnreachable)
      return options.maxBlockOps + 1;
    gap = std::max(gap, best[i]);
  }
  return (gap > ctx.slack ? gap - ctx.slack : 0) + ctx.minOutputs;
}

void BlockSearch::tryBlockOp(BlockContext &ctx, const OpNode &op,
                             const ValueInfo &result) {
  tryBlockOp(ctx, op, llvm::ArrayRef<ValueInfo>(result));
}

void BlockSearch::tryBlockOp(BlockContext &ctx, const OpNode &op,
                             llvm::ArrayRef<ValueInfo> results) {
  OpKey key = keyOf(op);
  if (!ctx.state.admits(key)) {
    ++tasks.tally().prunedCanonical;
    return;
  }
  int64_t smem = ctx.smem;
  if (!isInPlace(op.kind))
    for (const ValueInfo &result : results)
      smem += bytesOf(result);
  if (smem > options.sharedMemoryBytes) {
    ++tasks.tally().prunedSharedMemory;
    return;
  }
  llvm::SmallVector<ExprId, 2> exprs = screen.checkExprs(
      op, ctx.graph.values, ctx.state.exprs, &ctx.graph.launch, tasks.tally());
  if (exprs.empty())
    return;
  int64_t saved = ctx.smem;
  ctx.smem = smem;
  ctx.state.push(op, results, exprs);
  blockLevel(ctx);
  ctx.state.pop();
  ctx.smem = saved;
}

/// Whether the search tries accumulator `kind` (after `running_max`, which
/// rescale needs, is decided by the vocabulary). Every kind is decided here:
/// a new kind is a compile error until it is.
static bool accumSearched(AccumKind kind, Preset preset) {
  switch (kind) {
  case AccumKind::None:
  case AccumKind::Sum:
  case AccumKind::Mean:
  case AccumKind::Rms:
  case AccumKind::Max:
    return true;
  case AccumKind::SumToDimx:
    // Flash decoding's split combination: attention only, as in Mirage.
    return preset == Preset::Attention;
  case AccumKind::Rescale:
    // Two operands: enumerated with the pairs (enumerateBlockOps).
    return false;
  }
  return false;
}

void BlockSearch::enumerateAccums(BlockContext &ctx, ValueId a,
                                  const ValueInfo &lhs) {
  static const bool searched = isSearched(OpKind::Accum, /*blockLevel=*/true);
  if (!searched || lhs.accumulated)
    return;
  for (uint32_t v = 0; v <= getMaxEnumValForAccumKind(); ++v) {
    std::optional<AccumKind> accum = symbolizeAccumKind(v);
    if (!accum || !accumSearched(*accum, options.preset))
      continue;
    // A maximum the target does not have cannot pass.
    if (*accum == AccumKind::Max && !screen.hasOperator(AbsOp::Max)) {
      ++tasks.tally().prunedAbstractExpr;
      continue;
    }
    auto shape =
        inferAccumShape(*accum, lhs.shape, ctx.graph.launch.reductionDimx);
    if (!shape) {
      llvm::consumeError(shape.takeError());
      continue;
    }
    OpNode op = makeOpNode(OpKind::Accum, {a});
    op.accum = *accum;
    ValueInfo result = lhs;
    result.shape = *shape;
    result.accumulated = true;
    tryBlockOp(ctx, op, result);
  }
}

/// Whether `v` is the result of accumulator `none`.
static bool accumNoneResult(const BlockGraph &block, ValueId v) {
  for (const OpNode &op : block.ops)
    if (op.kind == OpKind::Accum && op.accum == AccumKind::None &&
        op.results[0] == v)
      return true;
  return false;
}

/// The reduction of one tile over its last dimension (size 1), and, on a
/// `pre` tile, its running maximum over it. Only the last: the abstract
/// expressions do not say which dimension a sum runs over, so a sum over
/// another dimension of the same extent passes the screen wherever the
/// right one does, and each costs fingerprint tests; the accumulators,
/// rms_norm and the kernel's layout all reduce the last dimension too.
void BlockSearch::enumerateReductions(BlockContext &ctx, ValueId a,
                                      const ValueInfo &lhs) {
  static const bool reductions =
      isSearched(OpKind::Reduction, /*blockLevel=*/true);
  static const bool runningMax =
      isSearched(OpKind::RunningMax, /*blockLevel=*/true);
  if (lhs.shape.empty())
    return;
  for (int64_t d = lhs.shape.size() - 1, e = lhs.shape.size(); d < e; ++d) {
    if (lhs.shape[d] <= 1)
      continue;
    ValueInfo reduced = lhs;
    reduced.shape[d] = 1;
    // After the loop only: on a `pre` tile, the reduction followed by an
    // accumulator is what accumulator `sum` does in one op, and so is the
    // reduction of accumulator `none`'s result.
    if (reductions && lhs.accumulated && !accumNoneResult(ctx.graph, a)) {
      OpNode op = makeOpNode(OpKind::Reduction, {a});
      op.dim = d;
      op.size = 1;
      tryBlockOp(ctx, op, reduced);
    }
    if (runningMax && !lhs.accumulated) {
      if (!screen.hasOperator(AbsOp::Max)) {
        ++tasks.tally().prunedAbstractExpr;
        continue;
      }
      OpNode op = makeOpNode(OpKind::RunningMax, {a});
      op.dim = d;
      // max and diff: the dimension reduced, both `pre`.
      tryBlockOp(ctx, op, {reduced, reduced});
    }
  }
}

/// The values of an online softmax's rescaling: a running maximum's `diff`
/// (m_{i-1} - m_i) and its exponential, the factor of a rescale
/// accumulator. Their expressions are opaque, so the per-op check passes
/// whatever is built on them; the search uses them only as the online
/// softmax does: diff only under exp, the factor only as a rescale's scale.
llvm::SmallVector<BlockSearch::ScaleRole, 16>
BlockSearch::scaleRoles(const BlockGraph &block) {
  llvm::SmallVector<ScaleRole, 16> roles(block.values.size(), ScaleRole::None);
  for (const OpNode &op : block.ops) {
    if (op.kind == OpKind::RunningMax)
      roles[op.results[1]] = ScaleRole::Diff;
    else if (op.kind == OpKind::Exp && roles[op.operands[0]] == ScaleRole::Diff)
      roles[op.results[0]] = ScaleRole::Factor;
  }
  return roles;
}

void BlockSearch::enumerateBlockOps(BlockContext &ctx) {
  BlockGraph &block = ctx.graph;
  // What the vocabulary marks searched at the block level: its element-wise
  // functions, rms_norm and matmul (the accumulators, reductions and
  // running_max above).
  static const llvm::SmallVector<OpKind, 8> unary = [] {
    llvm::SmallVector<OpKind, 8> kinds(
        searchedFunctions(1, /*blockLevel=*/true));
    if (isSearched(OpKind::RmsNorm, /*blockLevel=*/true))
      kinds.push_back(OpKind::RmsNorm);
    return kinds;
  }();
  static const llvm::SmallVector<OpKind, 8> binary = [] {
    llvm::SmallVector<OpKind, 8> kinds;
    if (isSearched(OpKind::Matmul, /*blockLevel=*/true))
      kinds.push_back(OpKind::Matmul);
    llvm::append_range(kinds, searchedFunctions(2, /*blockLevel=*/true));
    return kinds;
  }();
  // rescale: acc = acc * scale + x, the scale a running maximum's factor.
  // Only where the target has a maximum (the accumulator is the online
  // softmax's), and only with the accumulators searched.
  bool rescale = isSearched(OpKind::Accum, /*blockLevel=*/true) &&
                 isSearched(OpKind::RunningMax, /*blockLevel=*/true) &&
                 screen.hasOperator(AbsOp::Max);
  static const bool squares = llvm::is_contained(unary, OpKind::Square);
  ValueId n = block.values.size();
  llvm::SmallVector<ScaleRole, 16> roles = scaleRoles(block);
  // A new op's key must exceed the last op's, whose largest operand bounds
  // the new op's largest operand from below: skip what cannot qualify
  // before building anything.
  ValueId floor =
      ctx.state.keys.empty() ? -1 : ctx.state.keys.back().maxOperand;
  for (ValueId a = block.numInputs; a < n; ++a) {
    // Copies: trying an op appends to block.values, which may reallocate.
    const ValueInfo lhs = block.values[a];
    if (a >= floor && roles[a] == ScaleRole::Diff) {
      // A running maximum's diff is only exponentiated (the rescale
      // factor).
      tryBlockOp(ctx, makeOpNode(OpKind::Exp, {a}), lhs);
    } else if (a >= floor && roles[a] == ScaleRole::None) {
      screen.forEachUnary(unary, a, tasks.tally(),
                          [&](const OpNode &op) { tryBlockOp(ctx, op, lhs); });
      enumerateAccums(ctx, a, lhs);
      enumerateReductions(ctx, a, lhs);
    }
    if (roles[a] != ScaleRole::None)
      continue;
    for (ValueId b = block.numInputs; b < n; ++b) {
      if (std::max(a, b) < floor)
        continue;
      const ValueInfo rhs = block.values[b];
      // accum rescale of `pre` tile a by the factor of a running maximum
      // that broadcasts to it.
      Shape broadcast;
      if (roles[b] == ScaleRole::Factor && rescale && !lhs.accumulated &&
          tryInferBroadcastShape(lhs.shape, rhs.shape, broadcast) &&
          broadcast == lhs.shape) {
        OpNode op = makeOpNode(OpKind::Accum, {a, b});
        op.accum = AccumKind::Rescale;
        ValueInfo result = lhs;
        result.accumulated = true;
        tryBlockOp(ctx, op, result);
      }
      if (roles[b] != ScaleRole::None)
        continue;
      if (lhs.accumulated != rhs.accumulated || lhs.dtype != rhs.dtype)
        continue;
      for (OpKind kind : binary) {
        if ((kind == OpKind::Add || kind == OpKind::Mul) && b < a)
          continue;
        // mul(a, a) is square(a), bit for bit and at the same cost: only
        // the square is built.
        if (kind == OpKind::Mul && a == b && squares) {
          ++tasks.tally().prunedCanonical;
          continue;
        }
        ValueInfo result = lhs;
        // Rank-3 tiles multiply batch by batch (MoE's experts); a block
        // matmul has no other batch dim (the block dialect's rule).
        bool fits =
            kind == OpKind::Matmul
                ? (lhs.shape.size() == 3 || !isBatched(lhs.shape)) &&
                      (rhs.shape.size() == 3 || !isBatched(rhs.shape)) &&
                      tryInferMatmulShape(lhs.shape, rhs.shape, result.shape)
                : tryInferBroadcastShape(lhs.shape, rhs.shape, result.shape);
        if (!fits) {
          ++tasks.tally().prunedShape;
          continue;
        }
        OpNode op;
        op.kind = kind;
        op.operands = {a, b};
        tryBlockOp(ctx, op, result);
      }
    }
    if (tasks.outOfTime())
      return;
  }
  if (options.preset == Preset::Lora &&
      isSearched(OpKind::ConcatMatmul, /*blockLevel=*/true))
    enumerateConcatMatmuls(ctx, floor);
}

/// LoRA's [A1|A2] x [B1;B2] = A1 B1 + A2 B2 on every quadruple of tiles of
/// one state whose two products have the same shape.
void BlockSearch::enumerateConcatMatmuls(BlockContext &ctx, ValueId floor) {
  BlockGraph &block = ctx.graph;
  ValueId first = block.numInputs, n = block.values.size();
  for (ValueId a1 = first; a1 < n; ++a1)
    for (ValueId a2 = first; a2 < n; ++a2)
      for (ValueId b1 = first; b1 < n; ++b1) {
        ValueInfo lhs1 = block.values[a1], rhs1 = block.values[b1];
        ValueInfo product = lhs1;
        if (lhs1.accumulated != rhs1.accumulated || isBatched(lhs1.shape) ||
            isBatched(rhs1.shape) ||
            !tryInferMatmulShape(lhs1.shape, rhs1.shape, product.shape))
          continue;
        for (ValueId b2 = first; b2 < n; ++b2) {
          if (std::max({a1, a2, b1, b2}) < floor)
            continue;
          const ValueInfo &lhs2 = block.values[a2];
          const ValueInfo &rhs2 = block.values[b2];
          Shape second;
          if (lhs2.accumulated != lhs1.accumulated ||
              rhs2.accumulated != lhs1.accumulated ||
              lhs2.dtype != lhs1.dtype || rhs2.dtype != lhs1.dtype ||
              isBatched(lhs2.shape) || isBatched(rhs2.shape) ||
              !tryInferMatmulShape(lhs2.shape, rhs2.shape, second) ||
              second != product.shape) {
            ++tasks.tally().prunedShape;
            continue;
          }
          OpNode op;
          op.kind = OpKind::ConcatMatmul;
          op.operands = {a1, a2, b1, b2};
          tryBlockOp(ctx, op, product);
        }
      }
}
