//===- DefaultSchedules.cpp - Block graphs for pre-defined kernel ops -----===//
//
// Rewrites each pre-defined kernel op into a kernel.graph_defined op whose
// block graph computes the same function, so that code generation only ever
// sees block graphs. See the pass description in Conversion/Passes.td.
//
//===----------------------------------------------------------------------===//

#include "Mirage/Conversion/Passes.h"
#include "Mirage/Dialect/Block/IR/BlockOps.h"
#include "Mirage/Dialect/Kernel/IR/KernelOps.h"
#include "Mirage/Support/ShapeRules.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/TypeSwitch.h"

namespace mirage {
#define GEN_PASS_DEF_DEFAULTSCHEDULES
#include "Mirage/Conversion/Passes.h.inc"
} // namespace mirage

using namespace mlir;
namespace kn = ::mirage::kernel;
namespace bk = ::mirage::block;

namespace {

using Map = std::array<int64_t, ::mirage::kNumGridAxes>;
constexpr int64_t kBlockThreads = 128;

/// The largest divisor of `n` that is at most `limit` (at least 1).
int64_t largestDivisorAtMost(int64_t n, int64_t limit) {
  for (int64_t d = std::min(n, limit); d > 1; --d)
    if (n % d == 0)
      return d;
  return 1;
}

/// The smallest divisor of `n` in [need, limit], or the largest divisor at
/// most `limit` when there is none.
int64_t divisorForSplit(int64_t n, int64_t need, int64_t limit) {
  for (int64_t d = std::max<int64_t>(need, 2); d <= std::min(n, limit); ++d)
    if (n % d == 0)
      return d;
  return largestDivisorAtMost(n, limit);
}

/// How the output of a kernel is spread over the grid: the output dimension
/// each grid axis splits (or -1) and the grid.
struct Partition {
  Map dimOfAxis = {::mirage::kReplicate, ::mirage::kReplicate,
                   ::mirage::kReplicate};
  SmallVector<int64_t, 3> grid = {1, 1, 1};

  int64_t numBlocks() const { return ::mirage::numElements(grid); }

  /// Assigns the next free grid axis to split `dim` into `factor` parts.
  void split(int64_t dim, int64_t factor) {
    for (unsigned a = 0; a < ::mirage::kNumGridAxes; ++a) {
      if (grid[a] != 1)
        continue;
      grid[a] = factor;
      dimOfAxis[a] = dim;
      return;
    }
  }

  bool hasFreeAxis() const { return llvm::is_contained(grid, 1); }

  /// The omap of the output: every split axis maps to its dimension.
  Map omap() const { return dimOfAxis; }

  /// The imap of an operand of shape `operand` that broadcasts to the
  /// output: split dimensions the operand broadcasts along are replicated.
  Map imap(ArrayRef<int64_t> operand, ArrayRef<int64_t> output) const {
    Map map = dimOfAxis;
    for (int64_t &d : map)
      if (d != ::mirage::kReplicate && operand[d] != output[d])
        d = ::mirage::kReplicate;
    return map;
  }
};

/// Splits the dimensions of `shape` that are not `kept`, outermost first and
/// at most one per grid axis, until a tile has at most `target` elements,
/// without exceeding the block limit.
Partition partitionOutput(ArrayRef<int64_t> shape, ArrayRef<bool> kept,
                          int64_t target) {
  Partition partition;
  for (int64_t d = 0, e = shape.size(); d < e && partition.hasFreeAxis(); ++d) {
    int64_t tileElements = ::mirage::numElements(shape) / partition.numBlocks();
    if (tileElements <= target)
      break;
    if (kept[d] || shape[d] == 1)
      continue;
    int64_t need = (tileElements + target - 1) / target;
    int64_t limit = ::mirage::kMaxBlocksPerKernel / partition.numBlocks();
    int64_t factor = divisorForSplit(shape[d], need, limit);
    if (factor > 1)
      partition.split(d, factor);
  }
  return partition;
}

/// Builds the block graph of one new graph-defined kernel.
class BlockGraphBuilder {
public:
  BlockGraphBuilder(OpBuilder &builder, Location loc, ValueRange inputs,
                    TypeRange resultTypes, ArrayRef<int64_t> grid,
                    int64_t forloop, int64_t dimx)
      : builder(builder), loc(loc) {
    kernelOp = kn::GraphDefinedOp::create(
        builder, loc, resultTypes, inputs, builder.getDenseI64ArrayAttr(grid),
        builder.getDenseI64ArrayAttr({kBlockThreads, 1, 1}),
        builder.getI64IntegerAttr(forloop), builder.getI64IntegerAttr(dimx));
    SmallVector<Location> locs(inputs.size(), loc);
    body =
        builder.createBlock(&kernelOp.getBody(), {}, inputs.getTypes(), locs);
    builder.setInsertionPointToEnd(body);
  }

  kn::GraphDefinedOp getKernel() { return kernelOp; }

  FailureOr<Value> load(unsigned input, const Map &imap, int64_t fmap) {
    Value source = body->getArgument(input);
    auto type = cast<RankedTensorType>(source.getType());
    auto shape = ::mirage::inferLoaderTileShape(type.getShape(), imap, fmap,
                                                kernelOp.getLaunchShape());
    if (!shape)
      return kernelOp.emitError() << "default schedule is invalid: "
                                  << llvm::toString(shape.takeError());
    auto tileType =
        bk::TileType::get(*shape, type.getElementType(), /*accumulated=*/false);
    return Value(bk::LoaderOp::create(builder, loc, tileType, source,
                                      builder.getDenseI64ArrayAttr(imap),
                                      builder.getI64IntegerAttr(fmap)));
  }

  Value accumulate(Value tile) {
    auto type = cast<bk::TileType>(tile.getType());
    return bk::AccumOp::create(builder, loc, type.withAccumulated(true),
                               ::mirage::AccumKind::None, tile, Value());
  }

  Value save(Value tile, const Map &omap, Type resultType) {
    return bk::SaverOp::create(builder, loc, resultType, tile,
                               builder.getDenseI64ArrayAttr(omap));
  }

  /// The block-level twin of an element-wise kernel op: same mnemonic and
  /// attributes (the levels share one table), on tiles.
  Value elementwise(Operation *kernelElementwise, ValueRange tiles) {
    OperationState state(loc, (bk::BlockDialect::getDialectNamespace() + "." +
                               kernelElementwise->getName().stripDialect())
                                  .str());
    state.addOperands(tiles);
    state.propertiesAttr = kernelElementwise->getPropertiesAsAttribute();
    auto lhs = cast<bk::TileType>(tiles.front().getType());
    ::mirage::Shape shape(lhs.getShape());
    if (tiles.size() == 2)
      shape = cantFail(::mirage::inferBroadcastShape(
          lhs.getShape(), cast<bk::TileType>(tiles[1].getType()).getShape()));
    // The kernel result's element type: a cast changes it.
    state.addTypes(lhs.cloneWith(
        shape, cast<RankedTensorType>(kernelElementwise->getResult(0).getType())
                   .getElementType()));
    return builder.create(state)->getResult(0);
  }

  void yield(ValueRange saved) { bk::YieldOp::create(builder, loc, saved); }

  OpBuilder &builder;
  Location loc;

private:
  kn::GraphDefinedOp kernelOp;
  Block *body;
};

/// Schedules for each pre-defined kernel op. Each returns the new kernel's
/// results, or fails after reporting why the op has no default schedule.
class Scheduler {
public:
  Scheduler(int64_t tileElements, int64_t matmulTile)
      : tileElements(tileElements), matmulTile(matmulTile) {}

  FailureOr<kn::GraphDefinedOp> schedule(Operation *op, OpBuilder &builder) {
    return llvm::TypeSwitch<Operation *, FailureOr<kn::GraphDefinedOp>>(op)
        .Case([&](kn::MatmulOp m) { return scheduleMatmul(m, builder); })
        .Case([&](kn::ReductionOp r) { return scheduleReduction(r, builder); })
        .Case([&](kn::ReduceMaxOp r) {
          return scheduleAccumulated(r, r.getInput(), r.getDim(),
                                     ::mirage::AccumKind::Max, builder);
        })
        .Case([&](kn::ReduceMeanOp r) {
          return scheduleAccumulated(r, r.getInput(), r.getDim(),
                                     ::mirage::AccumKind::Mean, builder);
        })
        .Case([&](kn::RmsNormOp r) { return scheduleRmsNorm(r, builder); })
        .Case([&](kn::ConcatOp c) { return scheduleConcat(c, builder); })
        .Default([&](Operation *other) {
          return scheduleElementwise(other, builder);
        });
  }

private:
  /// Every output tile computed from whole-tile loads of all operands in
  /// one iteration: element-wise ops, rms_norm and concat.
  FailureOr<kn::GraphDefinedOp>
  scheduleOneShot(Operation *op, OpBuilder &builder, ArrayRef<bool> kept,
                  function_ref<Value(BlockGraphBuilder &, ValueRange)> body) {
    auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
    ArrayRef<int64_t> out = resultType.getShape();
    Partition partition = partitionOutput(out, kept, tileElements);
    BlockGraphBuilder graph(builder, op->getLoc(), op->getOperands(),
                            resultType, partition.grid, /*forloop=*/1,
                            /*dimx=*/64);
    SmallVector<Value> tiles;
    for (auto [index, operand] : llvm::enumerate(op->getOperands())) {
      auto shape = cast<RankedTensorType>(operand.getType()).getShape();
      FailureOr<Value> tile =
          graph.load(index, partition.imap(shape, out), ::mirage::kReplicate);
      if (failed(tile))
        return failure();
      tiles.push_back(*tile);
    }
    Value result = graph.accumulate(body(graph, tiles));
    graph.yield(graph.save(result, partition.omap(), resultType));
    return graph.getKernel();
  }

  FailureOr<kn::GraphDefinedOp> scheduleElementwise(Operation *op,
                                                    OpBuilder &builder) {
    SmallVector<bool> kept(
        cast<RankedTensorType>(op->getResult(0).getType()).getRank(), false);
    return scheduleOneShot(op, builder, kept,
                           [&](BlockGraphBuilder &graph, ValueRange tiles) {
                             return graph.elementwise(op, tiles);
                           });
  }

  FailureOr<kn::GraphDefinedOp> scheduleRmsNorm(kn::RmsNormOp op,
                                                OpBuilder &builder) {
    int64_t rank = op.getInput().getType().getRank();
    if (op.getNormalizedShape().size() != 1)
      return op.emitOpError() << "has no default schedule: a block "
                                 "normalizes over the last dimension only, "
                                 "this op over "
                              << op.getNormalizedShape().size();
    if (op.getWeight() && rank > 1)
      return op.emitOpError()
             << "has no default schedule: a weight of rank 1 cannot be "
                "applied to a rank-"
             << rank << " tile (block ops broadcast equal ranks only)";
    SmallVector<bool> kept(rank, false);
    kept.back() = true;
    std::optional<APFloat> eps = op.getEps();
    return scheduleOneShot(
        op, builder, kept, [&](BlockGraphBuilder &graph, ValueRange tiles) {
          Value normed = bk::RmsNormOp::create(
              graph.builder, graph.loc, tiles[0].getType(), tiles[0],
              eps ? graph.builder.getF64FloatAttr(eps->convertToDouble())
                  : FloatAttr());
          if (tiles.size() == 1)
            return normed;
          return Value(
              bk::MulOp::create(graph.builder, graph.loc, normed, tiles[1]));
        });
  }

  FailureOr<kn::GraphDefinedOp> scheduleConcat(kn::ConcatOp op,
                                               OpBuilder &builder) {
    if (op.getInputs().size() != 2)
      return op.emitOpError() << "has no default schedule: a block "
                                 "concatenates two tiles, this op "
                              << op.getInputs().size();
    SmallVector<bool> kept(op.getType().getRank(), false);
    kept[op.getDim()] = true;
    return scheduleOneShot(
        op, builder, kept, [&](BlockGraphBuilder &graph, ValueRange tiles) {
          return Value(bk::ConcatOp::create(graph.builder, graph.loc, tiles[0],
                                            tiles[1], op.getDim()));
        });
  }

  FailureOr<kn::GraphDefinedOp> scheduleReduction(kn::ReductionOp op,
                                                  OpBuilder &builder) {
    ArrayRef<int64_t> in = op.getInput().getType().getShape();
    ArrayRef<int64_t> out = op.getType().getShape();
    int64_t dim = op.getDim(), size = op.getSize();
    SmallVector<bool> kept(out.size(), false);
    kept[dim] = true;
    // Each iteration reduces a chunk of `chunk` elements of `dim`; a strided
    // reduction needs whole periods of `size` in every chunk. The loaded
    // tile, not the output tile, is what must stay near `tileElements`.
    int64_t chunk =
        size *
        largestDivisorAtMost(in[dim] / size, std::max<int64_t>(1, 256 / size));
    Partition partition = partitionOutput(
        out, kept, std::max<int64_t>(1, tileElements * size / chunk));
    BlockGraphBuilder graph(builder, op.getLoc(), op.getInput(), op.getType(),
                            partition.grid, in[dim] / chunk,
                            /*dimx=*/size > 1 ? size : 64);
    FailureOr<Value> tile = graph.load(0, partition.imap(in, out), dim);
    if (failed(tile))
      return failure();
    auto tileType = cast<bk::TileType>(tile->getType());
    Value reduced;
    if (size == 1) {
      reduced = bk::ReductionOp::create(builder, op.getLoc(), *tile, dim);
    } else {
      ::mirage::Shape shape(tileType.getShape());
      shape[dim] = size;
      reduced = bk::ReductionToDimxOp::create(
          builder, op.getLoc(), tileType.withShape(shape), *tile, dim);
    }
    Value result = graph.accumulate(reduced);
    graph.yield(graph.save(result, partition.omap(), op.getType()));
    return graph.getKernel();
  }

  /// reduce_max and reduce_mean: the for-loop runs along `dim` and a max or
  /// mean accumulator combines the iterations. The max accumulator is
  /// element-wise, so each iteration loads one slice of `dim`; the mean
  /// accumulator also averages the tile's last dimension, so `dim` must be
  /// the last one and each iteration loads a chunk of it.
  FailureOr<kn::GraphDefinedOp>
  scheduleAccumulated(Operation *op, TypedValue<RankedTensorType> input,
                      int64_t dim, ::mirage::AccumKind kind,
                      OpBuilder &builder) {
    ArrayRef<int64_t> in = input.getType().getShape();
    auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
    ArrayRef<int64_t> out = resultType.getShape();
    int64_t rank = static_cast<int64_t>(in.size());
    int64_t chunk = 1;
    if (kind == ::mirage::AccumKind::Mean) {
      if (dim != rank - 1)
        return op->emitOpError()
               << "has no default schedule: a block mean accumulator "
                  "averages the last dimension only, this op dimension "
               << dim << " of rank " << rank;
      chunk = largestDivisorAtMost(in[dim], 256);
    }
    SmallVector<bool> kept(out.size(), false);
    kept[dim] = true;
    Partition partition =
        partitionOutput(out, kept, std::max<int64_t>(1, tileElements / chunk));
    BlockGraphBuilder graph(builder, op->getLoc(), input, resultType,
                            partition.grid, in[dim] / chunk, /*dimx=*/64);
    FailureOr<Value> tile = graph.load(0, partition.imap(in, out), dim);
    if (failed(tile))
      return failure();
    auto tileType = cast<bk::TileType>(tile->getType());
    ::mirage::Shape shape(tileType.getShape());
    shape[dim] = 1;
    Value result = bk::AccumOp::create(
        builder, op->getLoc(), tileType.withShape(shape).withAccumulated(true),
        kind, *tile, Value());
    graph.yield(graph.save(result, partition.omap(), resultType));
    return graph.getKernel();
  }

  FailureOr<kn::GraphDefinedOp> scheduleMatmul(kn::MatmulOp op,
                                               OpBuilder &builder) {
    ArrayRef<int64_t> a = op.getLhs().getType().getShape();
    ArrayRef<int64_t> b = op.getRhs().getType().getShape();
    int64_t rank = a.size();
    if (rank > 3)
      return op.emitOpError() << "has no default schedule: a block matmul "
                                 "takes one batch dimension at most, this "
                                 "op has "
                              << rank - 2;
    int64_t m = a[rank - 2], k = a[rank - 1], n = b[rank - 1];
    int64_t batch = rank == 3 ? a[0] : 1;
    int64_t tileM = largestDivisorAtMost(m, matmulTile);
    int64_t tileN = largestDivisorAtMost(n, matmulTile);
    int64_t tileK = largestDivisorAtMost(k, matmulTile);
    // Grow the tiles while the grid has too many blocks.
    auto blocks = [&] { return (n / tileN) * (m / tileM) * batch; };
    while (blocks() > ::mirage::kMaxBlocksPerKernel) {
      int64_t grownN = largestDivisorAtMost(n, tileN * 2);
      int64_t grownM = largestDivisorAtMost(m, tileM * 2);
      if (grownN > tileN)
        tileN = grownN;
      else if (grownM > tileM)
        tileM = grownM;
      else
        return op.emitOpError() << "has no default schedule: it needs more "
                                   "than "
                                << ::mirage::kMaxBlocksPerKernel << " blocks";
    }
    SmallVector<int64_t, 3> grid = {n / tileN, m / tileM, batch};
    auto axisDim = [&](unsigned axis, int64_t dim) {
      return grid[axis] > 1 ? dim : ::mirage::kReplicate;
    };
    Map lhsMap = {::mirage::kReplicate, axisDim(1, rank - 2), axisDim(2, 0)};
    Map rhsMap = {axisDim(0, rank - 1), ::mirage::kReplicate, axisDim(2, 0)};
    Map outMap = {axisDim(0, rank - 1), axisDim(1, rank - 2), axisDim(2, 0)};
    BlockGraphBuilder graph(builder, op.getLoc(), op->getOperands(),
                            op.getType(), grid, k / tileK, /*dimx=*/64);
    FailureOr<Value> lhs = graph.load(0, lhsMap, rank - 1);
    FailureOr<Value> rhs = graph.load(1, rhsMap, rank - 2);
    if (failed(lhs) || failed(rhs))
      return failure();
    Value product = bk::MatmulOp::create(builder, op.getLoc(), *lhs, *rhs);
    Value result = graph.accumulate(product);
    graph.yield(graph.save(result, outMap, op.getType()));
    return graph.getKernel();
  }

  int64_t tileElements;
  int64_t matmulTile;
};

struct DefaultSchedulesPass
    : public ::mirage::impl::DefaultSchedulesBase<DefaultSchedulesPass> {
  using Base::Base;

  void runOnOperation() override {
    if (tileElements < 1 || matmulTile < 1) {
      getOperation().emitError()
          << "mirage-default-schedules: tile-elements and matmul-tile must "
             "be positive";
      return signalPassFailure();
    }
    SmallVector<Operation *> worklist;
    getOperation().walk([&](Operation *op) {
      if (op->getDialect() && isa<kn::KernelDialect>(op->getDialect()) &&
          !isa<kn::GraphDefinedOp>(op) &&
          !op->getParentOfType<kn::GraphDefinedOp>())
        worklist.push_back(op);
    });
    // Nothing to schedule: the function and its analyses (the graph that
    // --mirage-superoptimize recorded, for one) stay as they are.
    if (worklist.empty())
      return markAllAnalysesPreserved();
    Scheduler scheduler(tileElements, matmulTile);
    OpBuilder builder(&getContext());
    bool ok = true;
    for (Operation *op : worklist) {
      builder.setInsertionPoint(op);
      FailureOr<kn::GraphDefinedOp> kernelOp = scheduler.schedule(op, builder);
      if (failed(kernelOp)) {
        ok = false;
        continue;
      }
      op->replaceAllUsesWith(kernelOp->getResults());
      op->erase();
    }
    if (!ok)
      signalPassFailure();
  }
};

} // namespace
