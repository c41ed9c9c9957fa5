//===- UGraphExport.cpp - Write compact μGraphs back as IR ------*- C++ -*-===//

#include "Mirage/Bridge/UGraphExport.h"
#include "Mirage/Bridge/UGraphImport.h"

#include "Mirage/Dialect/Block/IR/BlockOps.h"
#include "Mirage/Dialect/Kernel/IR/KernelOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Verifier.h"

using namespace mlir;
using namespace mirage;

static RankedTensorType tensorTypeOf(MLIRContext *ctx, const ValueInfo &info) {
  return RankedTensorType::get(info.shape, elementTypeOf(ctx, info.dtype));
}

static block::TileType tileTypeOf(MLIRContext *ctx, const ValueInfo &info) {
  return block::TileType::get(ctx, info.shape, elementTypeOf(ctx, info.dtype),
                              info.accumulated);
}

namespace {
/// Emits the ops of one graph (kernel level or a block graph).
class Emitter {
public:
  Emitter(OpBuilder &builder, Location fallback, const KernelGraph &kernelGraph,
          const LocationTable &locations)
      : builder(builder), loc(fallback), kernelGraph(kernelGraph),
        locations(locations), ctx(builder.getContext()) {}

  /// Emits `ops` over `values`; `mapped[v]` holds the IR value of every
  /// value defined so far (the inputs on entry). An op without a location
  /// gets `fallback`.
  LogicalResult emit(llvm::ArrayRef<OpNode> ops,
                     const std::vector<ValueInfo> &values, bool blockLevel,
                     SmallVectorImpl<Value> &mapped, Location fallback) {
    mapped.resize(values.size());
    for (const OpNode &op : ops) {
      SmallVector<Value, 4> operands;
      for (ValueId v : op.operands)
        operands.push_back(mapped[v]);
      loc = locationOf(op, locations, fallback);
      FailureOr<SmallVector<Value, 2>> results =
          emitOp(op, operands, values, blockLevel);
      if (failed(results))
        return failure();
      for (auto [id, value] : llvm::zip_equal(op.results, *results))
        mapped[id] = value;
    }
    return success();
  }

private:
  Type typeOf(const ValueInfo &info, bool blockLevel) {
    if (blockLevel)
      return tileTypeOf(ctx, info);
    return tensorTypeOf(ctx, info);
  }

  FailureOr<SmallVector<Value, 2>> emitOp(const OpNode &op, ValueRange operands,
                                          const std::vector<ValueInfo> &values,
                                          bool blockLevel) {
    StringRef dialect = blockLevel ? "block" : "kernel";
    Type resultType = typeOf(values[op.results.front()], blockLevel);
    auto single = [](Value v) { return SmallVector<Value, 2>{v}; };
    if (isElementwise(op.kind)) {
      OperationState state(loc, (dialect + "." + opKindName(op.kind)).str());
      state.addOperands(operands);
      state.addTypes(resultType);
      if (op.kind == OpKind::Clamp) {
        state.addAttribute("min", builder.getF64FloatAttr(op.scalarA));
        state.addAttribute("max", builder.getF64FloatAttr(op.scalarB));
      } else if (op.kind == OpKind::MulScalar) {
        state.addAttribute("scalar", builder.getF64FloatAttr(op.scalarA));
      }
      return single(builder.create(state)->getResult(0));
    }
    FloatAttr eps =
        op.scalarA != 0.0 ? builder.getF64FloatAttr(op.scalarA) : FloatAttr();
    switch (*asNonElementwiseOpKind(op.kind)) {
    case NonElementwiseOpKind::Matmul:
      if (blockLevel)
        return single(
            block::MatmulOp::create(builder, loc, operands[0], operands[1]));
      return single(
          kernel::MatmulOp::create(builder, loc, operands[0], operands[1]));
    case NonElementwiseOpKind::Reduction:
      if (blockLevel)
        return single(
            block::ReductionOp::create(builder, loc, operands[0], op.dim));
      return single(kernel::ReductionOp::create(builder, loc, operands[0],
                                                op.dim, op.size));
    case NonElementwiseOpKind::RmsNorm:
      if (blockLevel)
        return single(block::RmsNormOp::create(builder, loc, resultType,
                                               operands[0], eps));
      return single(kernel::RmsNormOp::create(
          builder, loc, resultType, operands[0],
          operands.size() > 1 ? operands[1] : Value(),
          builder.getDenseI64ArrayAttr(op.normalizedShape), eps));
    case NonElementwiseOpKind::Concat:
      if (blockLevel)
        return single(block::ConcatOp::create(builder, loc, operands[0],
                                              operands[1], op.dim));
      return single(kernel::ConcatOp::create(builder, loc, operands, op.dim));
    case NonElementwiseOpKind::Transpose:
      if (blockLevel)
        return single(block::TransposeOp::create(
            builder, loc, operands[0], builder.getDenseI64ArrayAttr(op.dims)));
      return single(kernel::TransposeOp::create(
          builder, loc, operands[0], builder.getDenseI64ArrayAttr(op.dims)));
    case NonElementwiseOpKind::Reshape:
      if (blockLevel)
        return single(
            block::ReshapeOp::create(builder, loc, resultType, operands[0]));
      return single(
          kernel::ReshapeOp::create(builder, loc, resultType, operands[0]));
    case NonElementwiseOpKind::Broadcast:
      if (blockLevel)
        return single(
            block::BroadcastOp::create(builder, loc, resultType, operands[0],
                                       builder.getDenseI64ArrayAttr(op.dims)));
      return single(
          kernel::BroadcastOp::create(builder, loc, resultType, operands[0],
                                      builder.getDenseI64ArrayAttr(op.dims)));
    case NonElementwiseOpKind::Loader:
      return single(
          block::LoaderOp::create(builder, loc, resultType, operands[0],
                                  builder.getDenseI64ArrayAttr(op.map),
                                  builder.getI64IntegerAttr(op.dim)));
    case NonElementwiseOpKind::Saver:
      return single(block::SaverOp::create(
          builder, loc, tensorTypeOf(ctx, values[op.results[0]]), operands[0],
          builder.getDenseI64ArrayAttr(op.map)));
    case NonElementwiseOpKind::ReductionToDimx:
      return single(block::ReductionToDimxOp::create(builder, loc, resultType,
                                                     operands[0], op.dim));
    case NonElementwiseOpKind::RunningMax: {
      auto runningMax =
          block::RunningMaxOp::create(builder, loc, operands[0], op.dim);
      return SmallVector<Value, 2>{runningMax.getMax(), runningMax.getDiff()};
    }
    case NonElementwiseOpKind::ConcatMatmul:
      return single(block::ConcatMatmulOp::create(
          builder, loc, operands[0], operands[1], operands[2], operands[3]));
    case NonElementwiseOpKind::Accum:
      return single(block::AccumOp::create(
          builder, loc, resultType, op.accum, operands[0],
          operands.size() > 1 ? operands[1] : Value()));
    case NonElementwiseOpKind::GraphDefined:
      return emitGraphDefined(op, operands);
    case NonElementwiseOpKind::ReduceMax:
      return single(
          kernel::ReduceMaxOp::create(builder, loc, operands[0], op.dim));
    case NonElementwiseOpKind::ReduceMean:
      return single(
          kernel::ReduceMeanOp::create(builder, loc, operands[0], op.dim));
    case NonElementwiseOpKind::Constant: {
      if (blockLevel)
        return single(block::ConstantOp::create(
            builder, loc, resultType, builder.getF64FloatAttr(op.scalarA)));
      // The value is exact in the element type (the import read it there).
      auto tensorType = cast<RankedTensorType>(resultType);
      APFloat value(op.scalarA);
      bool losesInfo = false;
      value.convert(
          cast<FloatType>(tensorType.getElementType()).getFloatSemantics(),
          APFloat::rmNearestTiesToEven, &losesInfo);
      return single(kernel::ConstantOp::create(
          builder, loc, resultType, DenseElementsAttr::get(tensorType, value)));
    }
    }
    llvm_unreachable("unknown op kind");
  }

  FailureOr<SmallVector<Value, 2>> emitGraphDefined(const OpNode &op,
                                                    ValueRange operands) {
    const BlockGraph &graph = kernelGraph.blockGraphs[op.blockGraph];
    SmallVector<Type> resultTypes;
    for (ValueId v : op.results)
      resultTypes.push_back(tensorTypeOf(ctx, kernelGraph.values[v]));
    auto kernelOp = kernel::GraphDefinedOp::create(
        builder, loc, resultTypes, operands,
        builder.getDenseI64ArrayAttr(graph.launch.grid),
        builder.getDenseI64ArrayAttr(graph.launch.block),
        builder.getI64IntegerAttr(graph.launch.forloopRange),
        builder.getI64IntegerAttr(graph.launch.reductionDimx));
    OpBuilder::InsertionGuard guard(builder);
    SmallVector<Location> locs(operands.size(), loc);
    Block *body =
        builder.createBlock(&kernelOp.getBody(), {}, operands.getTypes(), locs);
    SmallVector<Value> mapped(body->getArguments().begin(),
                              body->getArguments().end());
    Location kernelLoc = loc;
    if (failed(emit(graph.ops, graph.values, /*blockLevel=*/true, mapped,
                    kernelLoc)))
      return failure();
    SmallVector<Value> saved;
    for (ValueId v : graph.outputs)
      saved.push_back(mapped[v]);
    block::YieldOp::create(builder, kernelLoc, saved);
    loc = kernelLoc;
    return SmallVector<Value, 2>(kernelOp.getResults().begin(),
                                 kernelOp.getResults().end());
  }

  OpBuilder &builder;
  /// The location of the op being emitted.
  Location loc;
  const KernelGraph &kernelGraph;
  const LocationTable &locations;
  MLIRContext *ctx;
};
} // namespace

/// Fills `block` (whose arguments are the graph's inputs) with the graph
/// and a func.return of its outputs at `returnLoc`; kernel ops without a
/// location get `opFallback`.
static LogicalResult fillBody(OpBuilder &builder, Block *block,
                              const KernelGraph &graph,
                              const LocationTable &locations,
                              Location opFallback, Location returnLoc) {
  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointToEnd(block);
  SmallVector<Value> mapped(block->getArguments().begin(),
                            block->getArguments().end());
  Emitter emitter(builder, opFallback, graph, locations);
  if (failed(emitter.emit(graph.ops, graph.values, /*blockLevel=*/false, mapped,
                          opFallback)))
    return failure();
  SmallVector<Value> results;
  for (ValueId v : graph.outputs)
    results.push_back(mapped[v]);
  func::ReturnOp::create(builder, returnLoc, results);
  return success();
}

Location mirage::bodyLocation(func::FuncOp func) {
  SmallVector<Location> locs;
  if (!func.isExternal())
    for (Operation &op : func.getBody().front().without_terminator())
      locs.push_back(op.getLoc());
  return fuseLocations(locs, func.getLoc());
}

static FunctionType functionTypeOf(MLIRContext *ctx, const KernelGraph &g) {
  SmallVector<Type> inputs, results;
  for (unsigned i = 0; i < g.numInputs; ++i)
    inputs.push_back(tensorTypeOf(ctx, g.values[i]));
  for (ValueId v : g.outputs)
    results.push_back(tensorTypeOf(ctx, g.values[v]));
  return FunctionType::get(ctx, inputs, results);
}

LogicalResult mirage::replaceBodyWithGraph(func::FuncOp func,
                                           const KernelGraph &graph,
                                           const LocationTable &locations) {
  MLIRContext *ctx = func.getContext();
  if (functionTypeOf(ctx, graph) != func.getFunctionType())
    return func.emitOpError()
           << "cannot take a μGraph of type " << functionTypeOf(ctx, graph);
  // Build and verify a detached function first, so that a failure leaves
  // `func` as it was.
  OpBuilder builder(ctx);
  auto scratch = func::FuncOp::create(func.getLoc(), func.getSymName(),
                                      func.getFunctionType());
  Block *body = scratch.addEntryBlock();
  Location returnLoc = func.getLoc();
  if (!func.isExternal()) {
    Block &old = func.getBody().front();
    for (auto [arg, oldArg] :
         llvm::zip_equal(body->getArguments(), old.getArguments()))
      arg.setLoc(oldArg.getLoc());
    if (!old.empty() && old.back().hasTrait<OpTrait::IsTerminator>())
      returnLoc = old.back().getLoc();
  }
  if (failed(fillBody(builder, body, graph, locations, bodyLocation(func),
                      returnLoc)) ||
      failed(mlir::verify(scratch))) {
    scratch.erase();
    return func.emitOpError() << "the μGraph cannot be written back as "
                                 "verified IR";
  }
  func.getBody().takeBody(scratch.getBody());
  scratch.erase();
  return success();
}

FailureOr<func::FuncOp> mirage::createFunctionFromGraph(
    OpBuilder &builder, Location loc, StringRef name, const KernelGraph &graph,
    const LocationTable &locations, Location opFallback) {
  auto func = func::FuncOp::create(builder, loc, name,
                                   functionTypeOf(builder.getContext(), graph));
  Block *body = func.addEntryBlock();
  if (failed(fillBody(builder, body, graph, locations, opFallback, loc)) ||
      failed(mlir::verify(func))) {
    func.erase();
    return failure();
  }
  return func;
}
