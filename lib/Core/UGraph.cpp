//===- UGraph.cpp - The compact μGraph of the core libraries ----*- C++ -*-===//

#include "Mirage/Core/UGraph.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace mirage;

std::vector<bool> mirage::valuesHeldInF32(const BlockGraph &graph) {
  size_t n = graph.values.size();
  std::vector<bool> held(n, false);
  // With one iteration an accumulator folds one value: rounding that value
  // once is rounding the result once.
  if (graph.launch.forloopRange <= 1)
    return held;
  std::vector<const OpNode *> producer(n, nullptr);
  std::vector<llvm::SmallVector<const OpNode *, 2>> readers(n);
  for (const OpNode &op : graph.ops) {
    for (ValueId r : op.results)
      producer[r] = &op;
    for (ValueId v : op.operands)
      if (readers[v].empty() || readers[v].back() != &op)
        readers[v].push_back(&op);
  }
  // Every op appends its results: walking the values backwards decides an
  // element-wise reader's result before the values it reads.
  for (size_t v = n; v-- > graph.numInputs;) {
    const OpNode *op = producer[v];
    // A cast's result is the rounding the program asks for: never held.
    if (!op || op->kind == OpKind::Loader || op->kind == OpKind::Saver ||
        op->kind == OpKind::Accum || op->kind == OpKind::Cast ||
        graph.values[v].accumulated || readers[v].empty())
      continue;
    held[v] = llvm::all_of(readers[v], [&](const OpNode *reader) {
      if (reader->kind == OpKind::Accum)
        return true;
      return (isUnaryElementwise(reader->kind) ||
              isBinaryElementwise(reader->kind)) &&
             held[reader->results[0]];
    });
  }
  return held;
}

OpNode mirage::makeOpNode(OpKind kind, llvm::ArrayRef<ValueId> operands,
                          llvm::ArrayRef<ValueId> results) {
  OpNode op;
  op.kind = kind;
  op.operands.assign(operands.begin(), operands.end());
  op.results.assign(results.begin(), results.end());
  return op;
}

ValueId mirage::addValue(std::vector<ValueInfo> &values, ValueInfo info) {
  values.push_back(std::move(info));
  return static_cast<ValueId>(values.size() - 1);
}

ValueId KernelGraph::addInput(ValueInfo info) {
  ++numInputs;
  return addValue(values, std::move(info));
}

static void printValue(llvm::raw_ostream &os, const ValueInfo &info,
                       bool isTile) {
  os << formatShape(info.shape) << "x" << dtypeName(info.dtype);
  if (isTile)
    os << (info.accumulated ? " post" : " pre");
}

/// The attributes of a non-element-wise op, as printOps lists them.
static void printAttributes(llvm::raw_ostream &os, const OpNode &op,
                            NonElementwiseOpKind kind) {
  switch (kind) {
  case NonElementwiseOpKind::Loader:
    os << " imap [" << op.map[0] << ", " << op.map[1] << ", " << op.map[2]
       << "] fmap " << op.dim;
    break;
  case NonElementwiseOpKind::Saver:
    os << " omap [" << op.map[0] << ", " << op.map[1] << ", " << op.map[2]
       << "]";
    break;
  case NonElementwiseOpKind::Accum:
    os << " " << stringifyAccumKind(op.accum);
    break;
  case NonElementwiseOpKind::Reduction:
    os << " dim " << op.dim << " size " << op.size;
    break;
  case NonElementwiseOpKind::Concat:
  case NonElementwiseOpKind::ReductionToDimx:
  case NonElementwiseOpKind::RunningMax:
    os << " dim " << op.dim;
    break;
  case NonElementwiseOpKind::RmsNorm:
    if (!op.normalizedShape.empty())
      os << " over " << formatShape(op.normalizedShape);
    os << " eps " << op.scalarA;
    break;
  case NonElementwiseOpKind::GraphDefined:
    os << " block_graph " << op.blockGraph;
    break;
  case NonElementwiseOpKind::ReduceMax:
  case NonElementwiseOpKind::ReduceMean:
    os << " dim " << op.dim;
    break;
  case NonElementwiseOpKind::Transpose:
    os << " permutation [";
    llvm::interleaveComma(op.dims, os);
    os << "]";
    break;
  case NonElementwiseOpKind::Broadcast:
    os << " dimensions [";
    llvm::interleaveComma(op.dims, os);
    os << "]";
    break;
  case NonElementwiseOpKind::Constant:
    os << " value " << op.scalarA;
    break;
  case NonElementwiseOpKind::Reshape:
    break;
  case NonElementwiseOpKind::Matmul:
  case NonElementwiseOpKind::ConcatMatmul:
    break;
  }
}

static void printOps(llvm::raw_ostream &os, llvm::ArrayRef<OpNode> ops,
                     const std::vector<ValueInfo> &values, bool isBlock,
                     llvm::StringRef indent) {
  for (const OpNode &op : ops) {
    os << indent;
    llvm::interleaveComma(op.results, os, [&](ValueId v) { os << "%" << v; });
    os << " = " << opKindName(op.kind) << "(";
    llvm::interleaveComma(op.operands, os, [&](ValueId v) { os << "%" << v; });
    os << ")";
    if (op.kind == OpKind::Clamp)
      os << " min " << op.scalarA << " max " << op.scalarB;
    else if (op.kind == OpKind::MulScalar)
      os << " scalar " << op.scalarA;
    else if (std::optional<NonElementwiseOpKind> kind =
                 asNonElementwiseOpKind(op.kind))
      printAttributes(os, op, *kind);
    os << " : ";
    llvm::interleaveComma(op.results, os, [&](ValueId v) {
      printValue(os, values[v], isBlock && op.kind != OpKind::Saver);
    });
    os << "\n";
  }
}

void mirage::print(const KernelGraph &graph, llvm::raw_ostream &os) {
  os << "kernel_graph @" << graph.name << " inputs(";
  for (unsigned i = 0; i < graph.numInputs; ++i) {
    if (i)
      os << ", ";
    os << "%" << i << ": ";
    printValue(os, graph.values[i], false);
  }
  os << ")\n";
  printOps(os, graph.ops, graph.values, /*isBlock=*/false, "  ");
  for (auto [index, block] : llvm::enumerate(graph.blockGraphs)) {
    os << "  block_graph " << index << " grid "
       << formatShape(block.launch.grid) << " block "
       << formatShape(block.launch.block) << " forloop "
       << block.launch.forloopRange << " dimx " << block.launch.reductionDimx
       << " inputs " << block.numInputs << "\n";
    printOps(os, block.ops, block.values, /*isBlock=*/true, "    ");
    os << "    outputs(";
    llvm::interleaveComma(block.outputs, os,
                          [&](ValueId v) { os << "%" << v; });
    os << ")\n";
  }
  os << "  outputs(";
  llvm::interleaveComma(graph.outputs, os, [&](ValueId v) { os << "%" << v; });
  os << ")\n";
}
