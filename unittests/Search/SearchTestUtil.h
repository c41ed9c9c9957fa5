//===- SearchTestUtil.h - Small μGraphs for the search's tests --*- C++ -*-===//

#ifndef MIRAGE_UNITTESTS_SEARCH_SEARCHTESTUTIL_H
#define MIRAGE_UNITTESTS_SEARCH_SEARCHTESTUTIL_H

#include "Mirage/Core/UGraph.h"
#include "Mirage/Search/Candidates.h"
#include "Mirage/Support/ShapeRules.h"

#include "llvm/Support/Error.h"

namespace mirage::testing {

inline ValueInfo f16(Shape shape, bool accumulated = false) {
  ValueInfo info;
  info.shape = std::move(shape);
  info.accumulated = accumulated;
  return info;
}

/// Appends `op` with one result of `result` to `values`/`ops`.
inline ValueId addOp(std::vector<ValueInfo> &values, std::vector<OpNode> &ops,
                     OpNode op, ValueInfo result) {
  op.results = {addValue(values, std::move(result))};
  ops.push_back(op);
  return op.results[0];
}

inline ValueId addOp(KernelGraph &g, OpNode op, ValueInfo result) {
  return addOp(g.values, g.ops, std::move(op), std::move(result));
}

/// relu(exp(x)) on x: 8x64xf16, as two pre-defined kernels.
inline KernelGraph reluExpReference() {
  KernelGraph g;
  g.name = "relu_exp";
  ValueId x = g.addInput(f16({8, 64}));
  ValueId e = addOp(g, makeOpNode(OpKind::Exp, {x}), f16({8, 64}));
  ValueId r = addOp(g, makeOpNode(OpKind::Relu, {e}), f16({8, 64}));
  g.outputs = {r};
  return g;
}

inline LaunchShape rowLaunch() {
  LaunchShape launch;
  launch.grid = {8, 1, 1};
  launch.block = {128, 1, 1};
  launch.forloopRange = 1;
  return launch;
}

/// One graph-defined kernel on grid (8, 1, 1), one row per block, that
/// applies `kinds` in order to x and saves the result: relu(exp(x)) fused
/// into one kernel for {Exp, Relu}.
inline KernelGraph fusedKernel(llvm::ArrayRef<OpKind> kinds) {
  constexpr int64_t X = kReplicate;
  KernelGraph g;
  g.name = "fused";
  ValueId x = g.addInput(f16({8, 64}));
  BlockGraph b;
  b.launch = rowLaunch();
  b.numInputs = 1;
  b.values.push_back(g.values[x]);
  OpNode loader = makeOpNode(OpKind::Loader, {0});
  loader.map = {0, X, X};
  loader.dim = X;
  ValueId t = addOp(b.values, b.ops, loader, f16({1, 64}));
  for (OpKind kind : kinds)
    t = addOp(b.values, b.ops, makeOpNode(kind, {t}), f16({1, 64}));
  OpNode accum = makeOpNode(OpKind::Accum, {t});
  accum.accum = AccumKind::None;
  t = addOp(b.values, b.ops, accum, f16({1, 64}, /*accumulated=*/true));
  OpNode saver = makeOpNode(OpKind::Saver, {t});
  saver.map = {0, X, X};
  ValueId out = addOp(b.values, b.ops, saver, f16({8, 64}));
  b.outputs = {out};
  g.blockGraphs.push_back(std::move(b));
  OpNode kernel = makeOpNode(OpKind::GraphDefined, {x});
  kernel.blockGraph = 0;
  ValueId y = addOp(g, kernel, f16({8, 64}));
  g.outputs = {y};
  return g;
}

/// The kinds of a graph's ops, in order.
inline std::vector<OpKind> kindsOf(const std::vector<OpNode> &ops) {
  std::vector<OpKind> kinds;
  for (const OpNode &op : ops)
    kinds.push_back(op.kind);
  return kinds;
}

} // namespace mirage::testing

#endif // MIRAGE_UNITTESTS_SEARCH_SEARCHTESTUTIL_H
