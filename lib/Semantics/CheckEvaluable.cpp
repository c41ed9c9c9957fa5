//===- CheckEvaluable.cpp - What the evaluator can run --------------------===//
//
// The evaluator trusts its graph in the hot loops, so graphs (from the
// importer or the search) are checked once here: operand counts, ranks, and
// every result shape against the shape rules.
//
//===----------------------------------------------------------------------===//

#include "Mirage/Semantics/Interpreter.h"

#include "llvm/Support/FormatVariadic.h"

#include <cmath>

using namespace mirage;

static llvm::Error fail(const llvm::Twine &where, const OpNode &op,
                        const llvm::Twine &what) {
  return llvm::createStringError(
      (where + ": op " + opKindName(op.kind) + " " + what).str());
}

static llvm::Expected<Shape> expectedShape(const OpNode &op,
                                           const std::vector<ValueInfo> &v,
                                           const LaunchShape *launch) {
  auto shape = [&](unsigned i) -> llvm::ArrayRef<int64_t> {
    return v[op.operands[i]].shape;
  };
  if (isUnaryElementwise(op.kind))
    return Shape(shape(0));
  if (isBinaryElementwise(op.kind))
    return inferBroadcastShape(shape(0), shape(1));
  switch (*asNonElementwiseOpKind(op.kind)) {
  case NonElementwiseOpKind::Matmul:
    return inferMatmulShape(shape(0), shape(1));
  case NonElementwiseOpKind::ConcatMatmul:
    return inferMatmulShape(shape(0), shape(2));
  case NonElementwiseOpKind::Reduction:
    return inferReductionShape(shape(0), op.dim, op.size);
  case NonElementwiseOpKind::ReductionToDimx:
    return inferReductionShape(shape(0), op.dim, launch->reductionDimx);
  case NonElementwiseOpKind::RmsNorm:
    return Shape(shape(0));
  case NonElementwiseOpKind::Concat: {
    llvm::SmallVector<llvm::ArrayRef<int64_t>, 4> shapes;
    for (unsigned i = 0; i < op.operands.size(); ++i)
      shapes.push_back(shape(i));
    return inferConcatShape(shapes, op.dim);
  }
  case NonElementwiseOpKind::Loader:
    return inferLoaderTileShape(shape(0), op.map, op.dim, *launch);
  case NonElementwiseOpKind::Saver:
    return inferSaverTensorShape(shape(0), op.map, *launch);
  case NonElementwiseOpKind::Accum:
    return inferAccumShape(op.accum, shape(0), launch->reductionDimx);
  case NonElementwiseOpKind::RunningMax: {
    Shape s(shape(0));
    if (op.dim < 0 || op.dim >= static_cast<int64_t>(s.size()))
      return llvm::createStringError("dim out of range");
    s[op.dim] = 1;
    return s;
  }
  case NonElementwiseOpKind::Transpose:
    return inferTransposeShape(shape(0), op.dims);
  case NonElementwiseOpKind::Reshape: {
    // The result shape is the op's own; the rule is the element count.
    Shape result(v[op.results[0]].shape);
    if (llvm::Error err = checkReshapeShape(shape(0), result))
      return std::move(err);
    return result;
  }
  case NonElementwiseOpKind::Broadcast: {
    Shape result(v[op.results[0]].shape);
    if (llvm::Error err = checkBroadcastShape(shape(0), op.dims, result))
      return std::move(err);
    return result;
  }
  case NonElementwiseOpKind::Constant:
    // The shape is the op's own (a splat of any shape).
    if (!op.operands.empty())
      return llvm::createStringError("takes no operands");
    if (!std::isfinite(op.scalarA))
      return llvm::createStringError("has a value that is not finite");
    return Shape(v[op.results[0]].shape);
  case NonElementwiseOpKind::GraphDefined:
    return llvm::createStringError("is not supported here");
  case NonElementwiseOpKind::ReduceMax:
  case NonElementwiseOpKind::ReduceMean:
    return inferReductionShape(shape(0), op.dim, 1);
  }
  llvm_unreachable("unknown op kind");
}

static unsigned minOperands(OpKind kind) {
  if (isBinaryElementwise(kind) || kind == OpKind::Matmul ||
      kind == OpKind::Concat)
    return 2;
  if (kind == OpKind::ConcatMatmul)
    return 4;
  if (kind == OpKind::Constant)
    return 0;
  return 1;
}

static llvm::Error checkOps(const llvm::Twine &where,
                            const std::vector<ValueInfo> &values,
                            const std::vector<OpNode> &ops, unsigned numInputs,
                            const LaunchShape *launch) {
  for (const ValueInfo &info : values) {
    if (info.shape.empty() || info.shape.size() > kMaxRank)
      return llvm::createStringError(
          (where + ": values must have rank 1 to 4").str());
    // Empty tensors compute nothing, and several rules (rms_norm's row
    // length, the search's grids) would divide by their extents.
    if (findZeroExtent(info.shape))
      return llvm::createStringError(
          (where + ": a value has shape " + formatShape(info.shape) +
           "; only tensors with every extent >= 1 can be evaluated")
              .str());
    if (!checkedNumBytes(info.shape, sizeof(float), 2))
      return llvm::createStringError(
          (where + ": a value of shape " + formatShape(info.shape) +
           " has more elements than a 64-bit byte count can address")
              .str());
  }
  ValueId defined = static_cast<ValueId>(numInputs);
  for (const OpNode &op : ops) {
    bool blockOnly =
        op.kind == OpKind::Loader || op.kind == OpKind::Saver ||
        op.kind == OpKind::ReductionToDimx || op.kind == OpKind::RunningMax ||
        op.kind == OpKind::ConcatMatmul || op.kind == OpKind::Accum;
    if (launch == nullptr ? blockOnly : op.kind == OpKind::GraphDefined)
      return fail(where, op, "is not supported at this level");
    if (op.operands.size() < minOperands(op.kind) || op.results.empty())
      return fail(where, op, "has too few operands or results");
    for (ValueId v : op.operands)
      if (v < 0 || v >= defined)
        return fail(where, op, "uses a value before its definition");
    for (ValueId r : op.results)
      if (r != defined++ || static_cast<size_t>(r) >= values.size())
        return fail(where, op, "has results out of order");
    if (op.kind == OpKind::GraphDefined)
      continue;
    if (op.kind == OpKind::Loader &&
        op.operands[0] >= static_cast<ValueId>(numInputs))
      return fail(where, op, "must load a kernel input");
    llvm::Expected<Shape> shape = expectedShape(op, values, launch);
    if (!shape)
      return fail(where, op, llvm::toString(shape.takeError()));
    if (*shape != values[op.results[0]].shape)
      return fail(where, op,
                  "has result shape " +
                      formatShape(values[op.results[0]].shape) +
                      ", the shape rules give " + formatShape(*shape));
  }
  return llvm::Error::success();
}

llvm::Error mirage::checkEvaluable(const KernelGraph &graph) {
  if (llvm::Error err = checkOps("'" + graph.name + "'", graph.values,
                                 graph.ops, graph.numInputs, nullptr))
    return err;
  for (const OpNode &op : graph.ops) {
    if (op.kind != OpKind::GraphDefined)
      continue;
    if (op.blockGraph < 0 ||
        static_cast<size_t>(op.blockGraph) >= graph.blockGraphs.size())
      return fail(graph.name, op, "has no block graph");
    const BlockGraph &bg = graph.blockGraphs[op.blockGraph];
    std::string where =
        llvm::formatv("'{0}' block graph {1}", graph.name, op.blockGraph);
    if (llvm::Error err = checkLaunchShape(bg.launch))
      return err;
    if (bg.numInputs != op.operands.size() ||
        bg.outputs.size() != op.results.size())
      return fail(where, op, "has inputs or outputs its kernel does not");
    for (unsigned i = 0; i < bg.numInputs; ++i)
      if (bg.values[i].shape != graph.values[op.operands[i]].shape)
        return fail(where, op, "has an input of another shape");
    for (size_t i = 0; i < bg.outputs.size(); ++i)
      if (bg.values[bg.outputs[i]].shape != graph.values[op.results[i]].shape)
        return fail(where, op, "has an output of another shape");
    if (llvm::Error err =
            checkOps(where, bg.values, bg.ops, bg.numInputs, &bg.launch))
      return err;
    // Each output is the result of one saver, and each saver's result is
    // exactly one output (the verifier's rule for block.saver).
    llvm::SmallVector<unsigned, 4> uses(bg.values.size(), 0);
    for (ValueId v : bg.outputs) {
      if (v < 0 || static_cast<size_t>(v) >= bg.values.size())
        return fail(where, op, "has an output out of range");
      ++uses[v];
    }
    llvm::SmallVector<bool, 8> isSaved(bg.values.size(), false);
    for (const OpNode &inner : bg.ops) {
      if (inner.kind != OpKind::Saver)
        continue;
      isSaved[inner.results[0]] = true;
      if (uses[inner.results[0]] != 1)
        return fail(where, inner,
                    "result is an output " +
                        llvm::Twine(uses[inner.results[0]]) +
                        " times; every saver is exactly one output");
    }
    for (ValueId v : bg.outputs)
      if (!isSaved[v])
        return fail(where, op, "has an output that no saver writes");
  }
  for (ValueId v : graph.outputs)
    if (v < 0 || static_cast<size_t>(v) >= graph.values.size())
      return llvm::createStringError("output out of range");
  return llvm::Error::success();
}
