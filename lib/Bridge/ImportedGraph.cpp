//===- ImportedGraph.cpp - A function's compact μGraph as an analysis -----===//

#include "Mirage/Bridge/ImportedGraph.h"

using namespace mirage;

/// Renumbers the values of one graph (`values`, `ops`, `outputs`, with
/// `numInputs` inputs) in import order; fails on a value no op defines.
static bool renumber(std::vector<ValueInfo> &values, std::vector<OpNode> &ops,
                     llvm::SmallVectorImpl<ValueId> &outputs,
                     unsigned numInputs) {
  std::vector<ValueId> newId(values.size(), -1);
  for (unsigned i = 0; i < numInputs; ++i)
    newId[i] = static_cast<ValueId>(i);
  ValueId next = static_cast<ValueId>(numInputs);
  for (const OpNode &op : ops)
    for (ValueId r : op.results) {
      if (r < 0 || static_cast<size_t>(r) >= values.size() || newId[r] >= 0)
        return false;
      newId[r] = next++;
    }
  if (static_cast<size_t>(next) != values.size())
    return false;
  auto remap = [&](ValueId &v) {
    if (v < 0 || static_cast<size_t>(v) >= values.size() || newId[v] < 0)
      return false;
    v = newId[v];
    return true;
  };
  for (OpNode &op : ops) {
    for (ValueId &v : op.operands)
      if (!remap(v))
        return false;
    for (ValueId &v : op.results)
      remap(v);
  }
  for (ValueId &v : outputs)
    if (!remap(v))
      return false;
  std::vector<ValueInfo> renumbered(values.size());
  for (size_t v = 0; v < values.size(); ++v)
    renumbered[newId[v]] = values[v];
  values = std::move(renumbered);
  return true;
}

mlir::LogicalResult mirage::numberAsImported(KernelGraph &graph) {
  KernelGraph result = graph;
  // Block graphs in the order of their kernels.
  result.blockGraphs.clear();
  for (OpNode &op : result.ops) {
    if (op.kind != OpKind::GraphDefined)
      continue;
    if (op.blockGraph < 0 ||
        static_cast<size_t>(op.blockGraph) >= graph.blockGraphs.size())
      return mlir::failure();
    result.blockGraphs.push_back(graph.blockGraphs[op.blockGraph]);
    op.blockGraph = static_cast<int32_t>(result.blockGraphs.size() - 1);
  }
  if (!renumber(result.values, result.ops, result.outputs, result.numInputs))
    return mlir::failure();
  for (BlockGraph &bg : result.blockGraphs)
    if (!renumber(bg.values, bg.ops, bg.outputs, bg.numInputs))
      return mlir::failure();
  graph = std::move(result);
  return mlir::success();
}

void ImportedGraph::record(KernelGraph graph, LocationTable locations) {
  recorded.reset();
  table.clear();
  if (failed(numberAsImported(graph)))
    return;
  recorded = std::move(graph);
  table = std::move(locations);
}
