//===- UGraphImport.cpp - Build compact μGraphs from MLIR -------*- C++ -*-===//

#include "Mirage/Bridge/UGraphImport.h"

#include "Mirage/Dialect/Block/IR/BlockOps.h"
#include "Mirage/Dialect/Kernel/IR/KernelOps.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mirage;

std::optional<DType> mirage::toDType(Type elementType) {
  if (elementType.isF16())
    return DType::F16;
  if (elementType.isBF16())
    return DType::BF16;
  if (elementType.isF32())
    return DType::F32;
  return std::nullopt;
}

Type mirage::elementTypeOf(MLIRContext *ctx, DType dtype) {
  switch (dtype) {
  case DType::F16:
    return Float16Type::get(ctx);
  case DType::BF16:
    return BFloat16Type::get(ctx);
  case DType::F32:
    return Float32Type::get(ctx);
  }
  llvm_unreachable("unknown dtype");
}

/// Element-wise functions carry the same mnemonic at every level (they are
/// stamped from the vocabulary, Vocabulary.td), so the vocabulary's lookup
/// serves all dialects.
static std::optional<OpKind> elementwiseKind(Operation *op) {
  std::optional<OpKind> kind = opKindFromName(op->getName().stripDialect());
  if (!kind || !isElementwise(*kind))
    return std::nullopt;
  return kind;
}

static double floatAttr(Operation *op, StringRef name) {
  auto attr = dyn_cast_or_null<FloatAttr>(
      op->getPropertiesAsAttribute()
          ? cast<DictionaryAttr>(op->getPropertiesAsAttribute()).get(name)
          : op->getAttr(name));
  return attr ? attr.getValueAsDouble() : 0.0;
}

/// A node whose one attribute is a dimension.
static OpNode dimNode(OpKind kind, int64_t dim) {
  OpNode node = makeOpNode(kind);
  node.dim = dim;
  return node;
}

/// A node whose one attribute is a list of dimensions (layout ops).
static OpNode dimsNode(OpKind kind, ArrayRef<int64_t> dims) {
  OpNode node = makeOpNode(kind);
  node.dims.assign(dims.begin(), dims.end());
  return node;
}

/// Fills the attributes of an element-wise op node from `op`.
static OpNode elementwiseNode(OpKind kind, Operation *op) {
  OpNode node = makeOpNode(kind);
  if (kind == OpKind::Clamp) {
    node.scalarA = floatAttr(op, "min");
    node.scalarB = floatAttr(op, "max");
  } else if (kind == OpKind::MulScalar) {
    node.scalarA = floatAttr(op, "scalar");
  }
  return node;
}

namespace {

/// Imports the ops of one region (a function body or a block graph) into a
/// list of op nodes over a value table.
class GraphImporter {
public:
  GraphImporter(std::vector<ValueInfo> &values, std::vector<OpNode> &ops,
                LocationTable *locations)
      : values(values), ops(ops), locations(locations) {}

  /// Registers an MLIR value that already has a μGraph value id.
  void bind(Value value, ValueId id) { ids[value] = id; }

  LogicalResult addValueFor(Value value) {
    FailureOr<ValueInfo> info = infoOf(value);
    if (failed(info))
      return failure();
    bind(value, addValue(values, *info));
    return success();
  }

  ValueId idOf(Value value) const { return ids.lookup(value); }
  bool isBound(Value value) const { return ids.contains(value); }

  /// Appends `node` with the operands and results of `op`.
  LogicalResult append(OpNode node, Operation *op) {
    for (Value operand : op->getOperands())
      node.operands.push_back(idOf(operand));
    for (Value result : op->getResults()) {
      if (failed(addValueFor(result)))
        return failure();
      node.results.push_back(idOf(result));
    }
    record(node, op->getLoc());
    ops.push_back(std::move(node));
    return success();
  }

  /// Records `loc` as the origin of `node`.
  void record(OpNode &node, Location loc) {
    if (!locations)
      return;
    node.location = static_cast<int32_t>(locations->size());
    locations->push_back(loc);
  }

  /// Imports `op` if it is an element-wise op of `dialect` (the level being
  /// imported); nothing if it is not.
  std::optional<LogicalResult> importElementwise(Operation &op,
                                                 StringRef dialect) {
    std::optional<OpKind> kind = elementwiseKind(&op);
    if (!kind || op.getName().getDialectNamespace() != dialect)
      return std::nullopt;
    return append(elementwiseNode(*kind, &op), &op);
  }

private:
  FailureOr<ValueInfo> infoOf(Value value) {
    auto shaped = dyn_cast<ShapedType>(value.getType());
    Location loc = value.getLoc();
    if (!shaped || !shaped.hasStaticShape())
      return emitError(loc) << "value of type " << value.getType()
                            << " is not a statically shaped tensor or tile";
    std::optional<DType> dtype = toDType(shaped.getElementType());
    if (!dtype)
      return emitError(loc) << "element type " << shaped.getElementType()
                            << " is not supported (f16, bf16, f32)";
    ValueInfo info;
    info.shape.assign(shaped.getShape().begin(), shaped.getShape().end());
    info.dtype = *dtype;
    if (auto tile = dyn_cast<block::TileType>(value.getType()))
      info.accumulated = tile.getAccumulated();
    return info;
  }

  std::vector<ValueInfo> &values;
  std::vector<OpNode> &ops;
  LocationTable *locations;
  llvm::DenseMap<Value, ValueId> ids;
};

} // namespace

static LogicalResult importBlockGraph(kernel::GraphDefinedOp kernelOp,
                                      BlockGraph &graph,
                                      LocationTable *locations) {
  graph.launch = kernelOp.getLaunchShape();
  GraphImporter importer(graph.values, graph.ops, locations);
  Block &body = kernelOp.getBody().front();
  for (BlockArgument arg : body.getArguments()) {
    if (failed(importer.addValueFor(arg)))
      return failure();
    ++graph.numInputs;
  }
  for (Operation &op : body) {
    if (auto yield = dyn_cast<block::YieldOp>(op)) {
      for (Value v : yield.getValues())
        graph.outputs.push_back(importer.idOf(v));
      continue;
    }
    if (std::optional<LogicalResult> done = importer.importElementwise(
            op, block::BlockDialect::getDialectNamespace())) {
      if (failed(*done))
        return failure();
      continue;
    }
    FailureOr<OpNode> node =
        llvm::TypeSwitch<Operation *, FailureOr<OpNode>>(&op)
            .Case([](block::LoaderOp loader) {
              OpNode n = makeOpNode(OpKind::Loader);
              llvm::copy(loader.getImap(), n.map.begin());
              n.dim = loader.getFmap();
              return n;
            })
            .Case([](block::SaverOp saver) {
              OpNode n = makeOpNode(OpKind::Saver);
              llvm::copy(saver.getOmap(), n.map.begin());
              return n;
            })
            .Case([](block::MatmulOp) { return makeOpNode(OpKind::Matmul); })
            .Case([](block::ConcatMatmulOp) {
              return makeOpNode(OpKind::ConcatMatmul);
            })
            .Case([](block::ReductionOp r) {
              return dimNode(OpKind::Reduction, r.getDim());
            })
            .Case([](block::ReductionToDimxOp r) {
              return dimNode(OpKind::ReductionToDimx, r.getDim());
            })
            .Case([](block::RunningMaxOp r) {
              return dimNode(OpKind::RunningMax, r.getDim());
            })
            .Case([](block::RmsNormOp r) {
              OpNode n = makeOpNode(OpKind::RmsNorm);
              if (std::optional<APFloat> eps = r.getEps())
                n.scalarA = eps->convertToDouble();
              return n;
            })
            .Case([](block::ConcatOp c) {
              return dimNode(OpKind::Concat, c.getDim());
            })
            .Case([](block::TransposeOp t) {
              return dimsNode(OpKind::Transpose, t.getPermutation());
            })
            .Case([](block::ReshapeOp) { return makeOpNode(OpKind::Reshape); })
            .Case([](block::ConstantOp c) {
              OpNode n = makeOpNode(OpKind::Constant);
              n.scalarA = c.getValue().convertToDouble();
              return n;
            })
            .Case([](block::BroadcastOp b) {
              return dimsNode(OpKind::Broadcast, b.getDimensions());
            })
            .Case([](block::AccumOp a) {
              OpNode n = makeOpNode(OpKind::Accum);
              n.accum = a.getKind();
              return n;
            })
            .Default([](Operation *other) -> FailureOr<OpNode> {
              return other->emitOpError() << "has no μGraph counterpart";
            });
    if (failed(node) || failed(importer.append(std::move(*node), &op)))
      return failure();
  }
  return success();
}

FailureOr<BlockGraph> mirage::importBlockGraphOf(Operation *graphDefined) {
  auto kernelOp = dyn_cast<kernel::GraphDefinedOp>(graphDefined);
  if (!kernelOp)
    return graphDefined->emitOpError() << "is not a kernel.graph_defined";
  BlockGraph graph;
  if (failed(importBlockGraph(kernelOp, graph, /*locations=*/nullptr)))
    return failure();
  return graph;
}

Location mirage::locationOf(const OpNode &op, const LocationTable &locations,
                            Location fallback) {
  if (op.location >= 0 && static_cast<size_t>(op.location) < locations.size())
    return locations[op.location];
  return fallback;
}

Location mirage::fuseLocations(ArrayRef<Location> locations,
                               Location fallback) {
  if (locations.empty())
    return fallback;
  return FusedLoc::get(fallback.getContext(), locations);
}

FailureOr<KernelGraph> mirage::importKernelGraph(func::FuncOp func,
                                                 LocationTable *locations) {
  if (locations)
    locations->clear();
  KernelGraph graph;
  graph.name = func.getSymName().str();
  if (func.isExternal())
    return func.emitOpError() << "has no body to import";
  if (!func.getBody().hasOneBlock())
    return func.emitOpError() << "must have a single block";
  GraphImporter importer(graph.values, graph.ops, locations);
  for (BlockArgument arg : func.getArguments()) {
    if (failed(importer.addValueFor(arg)))
      return failure();
    ++graph.numInputs;
  }
  for (Operation &op : func.getBody().front()) {
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      for (Value v : ret.getOperands()) {
        if (!importer.isBound(v))
          return ret.emitOpError() << "returns a value the μGraph cannot "
                                      "represent";
        graph.outputs.push_back(importer.idOf(v));
      }
      continue;
    }
    if (std::optional<LogicalResult> done = importer.importElementwise(
            op, kernel::KernelDialect::getDialectNamespace())) {
      if (failed(*done))
        return failure();
      continue;
    }
    FailureOr<OpNode> node =
        llvm::TypeSwitch<Operation *, FailureOr<OpNode>>(&op)
            .Case([](kernel::MatmulOp) { return makeOpNode(OpKind::Matmul); })
            .Case([](kernel::ReductionOp r) {
              OpNode n = makeOpNode(OpKind::Reduction);
              n.dim = r.getDim();
              n.size = r.getSize();
              return n;
            })
            .Case([](kernel::ReduceMaxOp r) {
              return dimNode(OpKind::ReduceMax, r.getDim());
            })
            .Case([](kernel::ReduceMeanOp r) {
              return dimNode(OpKind::ReduceMean, r.getDim());
            })
            .Case([](kernel::RmsNormOp r) {
              OpNode n = makeOpNode(OpKind::RmsNorm);
              n.normalizedShape.assign(r.getNormalizedShape().begin(),
                                       r.getNormalizedShape().end());
              if (std::optional<APFloat> eps = r.getEps())
                n.scalarA = eps->convertToDouble();
              return n;
            })
            .Case([](kernel::ConcatOp c) {
              return dimNode(OpKind::Concat, c.getDim());
            })
            .Case([](kernel::TransposeOp t) {
              return dimsNode(OpKind::Transpose, t.getPermutation());
            })
            .Case([](kernel::ReshapeOp) { return makeOpNode(OpKind::Reshape); })
            .Case([](kernel::ConstantOp c) {
              OpNode n = makeOpNode(OpKind::Constant);
              n.scalarA = c.getSplatValue();
              return n;
            })
            .Case([](kernel::BroadcastOp b) {
              return dimsNode(OpKind::Broadcast, b.getDimensions());
            })
            .Case([&](kernel::GraphDefinedOp k) -> FailureOr<OpNode> {
              OpNode n = makeOpNode(OpKind::GraphDefined);
              n.blockGraph = static_cast<int32_t>(graph.blockGraphs.size());
              graph.blockGraphs.emplace_back();
              if (failed(
                      importBlockGraph(k, graph.blockGraphs.back(), locations)))
                return failure();
              return n;
            })
            .Default([](Operation *other) -> FailureOr<OpNode> {
              return other->emitOpError()
                     << "is not a kernel-level μGraph op; only kernel and "
                        "block ops can be imported";
            });
    if (failed(node) || failed(importer.append(std::move(*node), &op)))
      return failure();
  }
  return graph;
}
