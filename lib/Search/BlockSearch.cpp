//===- BlockSearch.cpp - Block-level search of the μGraph -------*- C++ -*-===//

#include "BlockSearch.h"

#include "Mirage/Support/ShapeRules.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>

using namespace mirage;
using namespace mirage::search;

void BlockSearch::run(BlockGraph &block, GraphState &state, int64_t smem,
                      unsigned minOutputs, unsigned maxOutputs,
                      std::vector<BlockClosure> &closures) {
  BlockContext context{block, state, smem, minOutputs, maxOutputs, closures};
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
  for (ValueId v = block.numInputs, e = block.values.size(); v < e; ++v) {
    if (ctx.state.uses[v] != 0)
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
  // merges four), an accumulator turns one into `post`, and `pre` and
  // `post` never meet; every dangling `post` tile costs at least one op
  // (a saver, or a merge into another).
  unsigned pre = llvm::count_if(
      dangling, [&](ValueId v) { return !block.values[v].accumulated; });
  unsigned post = dangling.size() - pre;
  unsigned perOp = options.preset == Preset::Lora ? 3 : 1;
  unsigned needed = (pre + perOp - 1) / perOp + std::max(post, 1u);
  if (used + 1 > options.maxBlockOps || used + needed > options.maxBlockOps) {
    ++tasks.tally().prunedUnclosable;
    return;
  }
  enumerateBlockOps(ctx);
}

void BlockSearch::tryBlockOp(BlockContext &ctx, const OpNode &op,
                             const ValueInfo &result) {
  OpKey key = keyOf(op);
  if (!ctx.state.admits(key)) {
    ++tasks.tally().prunedCanonical;
    return;
  }
  int64_t smem = ctx.smem + (isInPlace(op.kind) ? 0 : bytesOf(result));
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
  ctx.state.push(op, result, exprs);
  blockLevel(ctx);
  ctx.state.pop();
  ctx.smem = saved;
}

void BlockSearch::enumerateBlockOps(BlockContext &ctx) {
  BlockGraph &block = ctx.graph;
  // The searched functions of the vocabulary, rms_norm and matmul.
  static const llvm::SmallVector<OpKind, 8> unary = [] {
    llvm::SmallVector<OpKind, 8> kinds(
        searchedFunctions(1, /*blockLevel=*/true));
    kinds.push_back(OpKind::RmsNorm);
    return kinds;
  }();
  static const llvm::SmallVector<OpKind, 8> binary = [] {
    llvm::SmallVector<OpKind, 8> kinds = {OpKind::Matmul};
    llvm::append_range(kinds, searchedFunctions(2, /*blockLevel=*/true));
    return kinds;
  }();
  llvm::SmallVector<AccumKind, 4> accums = {AccumKind::None, AccumKind::Sum,
                                            AccumKind::Rms};
  if (options.preset == Preset::Attention)
    accums.push_back(AccumKind::SumToDimx);
  ValueId n = block.values.size();
  // A new op's key must exceed the last op's, whose largest operand bounds
  // the new op's largest operand from below: skip what cannot qualify
  // before building anything.
  ValueId floor =
      ctx.state.keys.empty() ? -1 : ctx.state.keys.back().maxOperand;
  for (ValueId a = block.numInputs; a < n; ++a) {
    // Copies: trying an op appends to block.values, which may reallocate.
    const ValueInfo lhs = block.values[a];
    if (a >= floor) {
      screen.forEachUnary(unary, a, tasks.tally(),
                          [&](const OpNode &op) { tryBlockOp(ctx, op, lhs); });
      if (!lhs.accumulated)
        for (AccumKind accum : accums) {
          auto shape =
              inferAccumShape(accum, lhs.shape, block.launch.reductionDimx);
          if (!shape) {
            llvm::consumeError(shape.takeError());
            continue;
          }
          OpNode op;
          op.kind = OpKind::Accum;
          op.accum = accum;
          op.operands = {a};
          ValueInfo result = lhs;
          result.shape = *shape;
          result.accumulated = true;
          tryBlockOp(ctx, op, result);
        }
    }
    for (ValueId b = block.numInputs; b < n; ++b) {
      if (std::max(a, b) < floor)
        continue;
      const ValueInfo rhs = block.values[b];
      if (lhs.accumulated != rhs.accumulated || lhs.dtype != rhs.dtype)
        continue;
      for (OpKind kind : binary) {
        if ((kind == OpKind::Add || kind == OpKind::Mul) && b < a)
          continue;
        ValueInfo result = lhs;
        bool fits =
            kind == OpKind::Matmul
                ? !isBatched(lhs.shape) && !isBatched(rhs.shape) &&
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
  if (options.preset == Preset::Lora)
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
