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
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/TypeSwitch.h"

#include <numeric>

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

/// The kernel.transpose that defines `value` when it swaps the last two dims
/// and keeps the others, or null.
kn::TransposeOp swapsLastTwoDims(Value value) {
  auto t = value.getDefiningOp<kn::TransposeOp>();
  if (!t)
    return {};
  ArrayRef<int64_t> perm = t.getPermutation();
  int64_t rank = perm.size();
  if (rank < 2 || perm[rank - 1] != rank - 2 || perm[rank - 2] != rank - 1)
    return {};
  for (int64_t d = 0; d + 2 < rank; ++d)
    if (perm[d] != d)
      return {};
  return t;
}

/// Whether every loader of block argument `arg` feeds matmuls or for-loop
/// accumulators only (as the search's kernels do), whose results have a
/// shared buffer anyway (docs/Lowering.md, "Layout ops").
bool loadedForMatmulsOnly(BlockArgument arg) {
  for (Operation *user : arg.getUsers()) {
    if (!isa<bk::LoaderOp>(user))
      return false;
    for (Operation *reader : user->getResult(0).getUsers())
      if (!isa<bk::MatmulOp, bk::ConcatMatmulOp, bk::AccumOp>(reader))
        return false;
  }
  return true;
}

/// Makes operand #`index` of `kernelOp`, the result of `t` (a transpose of
/// the last two dims), the transpose's input: every loader of it loads the
/// tile with the two dims swapped in its maps and a block.transpose turns
/// the tile around.
void foldTransposeIntoLoaders(kn::GraphDefinedOp kernelOp, unsigned index,
                              kn::TransposeOp t) {
  Value source = t.getInput();
  int64_t rank = t.getPermutation().size();
  auto swapDim = [&](int64_t d) {
    return d == rank - 1 || d == rank - 2 ? 2 * rank - 3 - d : d;
  };
  BlockArgument arg = kernelOp.getBody().front().getArgument(index);
  kernelOp->setOperand(index, source);
  arg.setType(source.getType());
  OpBuilder builder(kernelOp.getContext());
  for (Operation *user : llvm::make_early_inc_range(arg.getUsers())) {
    auto loader = cast<bk::LoaderOp>(user);
    SmallVector<int64_t, 3> imap =
        llvm::map_to_vector(loader.getImap(), swapDim);
    int64_t fmap = loader.getFmap();
    if (fmap != ::mirage::kReplicate)
      fmap = swapDim(fmap);
    auto tileType = cast<bk::TileType>(loader.getType());
    ::mirage::Shape shape(tileType.getShape());
    std::swap(shape[rank - 1], shape[rank - 2]);
    builder.setInsertionPoint(loader);
    Value swapped = bk::LoaderOp::create(
        builder, loader.getLoc(), tileType.withShape(shape), arg,
        builder.getDenseI64ArrayAttr(imap), builder.getI64IntegerAttr(fmap));
    Value turned = bk::TransposeOp::create(builder, t.getLoc(), swapped,
                                           t.getPermutationAttr());
    loader->replaceAllUsesWith(ValueRange{turned});
    loader->erase();
  }
}

/// Every graph-defined kernel that reads `constant` computes its tiles
/// instead of loading them: each loader of the constant becomes a
/// block.constant of the loader's tile type, and the kernel no longer takes
/// the constant as an input. A constant is so no read of device memory.
void foldConstantIntoKernels(kn::ConstantOp constant) {
  double value = constant.getSplatValue();
  OpBuilder builder(constant.getContext());
  for (OpOperand &use : llvm::make_early_inc_range(constant->getUses())) {
    auto kernelOp = dyn_cast<kn::GraphDefinedOp>(use.getOwner());
    if (!kernelOp)
      continue;
    unsigned index = use.getOperandNumber();
    Block &body = kernelOp.getBody().front();
    BlockArgument arg = body.getArgument(index);
    // Block graphs read their inputs through loaders only.
    if (!llvm::all_of(arg.getUsers(), llvm::IsaPred<bk::LoaderOp>))
      continue;
    for (Operation *loader : llvm::make_early_inc_range(arg.getUsers())) {
      builder.setInsertionPoint(loader);
      Value tile = bk::ConstantOp::create(builder, constant.getLoc(),
                                          loader->getResult(0).getType(),
                                          builder.getF64FloatAttr(value));
      loader->replaceAllUsesWith(ValueRange{tile});
      loader->erase();
    }
    kernelOp->eraseOperand(index);
    body.eraseArgument(index);
  }
}

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
        .Case([&](kn::TransposeOp t) { return scheduleTranspose(t, builder); })
        .Case([&](kn::BroadcastOp c) { return scheduleBroadcast(c, builder); })
        .Case([&](kn::ReshapeOp r) { return scheduleReshape(r, builder); })
        .Case([&](kn::ConstantOp c) { return scheduleConstant(c, builder); })
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

  /// A constant that something other than a kernel reads (a function
  /// result): a kernel that writes it, each block its tile.
  FailureOr<kn::GraphDefinedOp> scheduleConstant(kn::ConstantOp op,
                                                 OpBuilder &builder) {
    auto type = cast<RankedTensorType>(op.getType());
    ArrayRef<int64_t> out = type.getShape();
    SmallVector<bool> kept(out.size(), false);
    // The partition scheduleOneShot chooses.
    Partition partition = partitionOutput(out, kept, tileElements);
    ::mirage::Shape tile(out.begin(), out.end());
    for (auto [axis, d] : llvm::enumerate(partition.dimOfAxis))
      if (d != ::mirage::kReplicate)
        tile[d] /= partition.grid[axis];
    return scheduleOneShot(
        op, builder, kept, [&](BlockGraphBuilder &graph, ValueRange) {
          return Value(bk::ConstantOp::create(
              graph.builder, graph.loc,
              bk::TileType::get(tile, type.getElementType(),
                                /*accumulated=*/false),
              graph.builder.getF64FloatAttr(op.getSplatValue())));
        });
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

  /// A layout op as one kernel: each block loads the input tile its output
  /// tile comes from (the imap follows the output partition through the
  /// re-indexing), re-indexes it with the block-level twin of the op and
  /// saves it.
  FailureOr<kn::GraphDefinedOp>
  scheduleLayout(Operation *op, OpBuilder &builder, const Partition &partition,
                 const Map &imap,
                 function_ref<Value(BlockGraphBuilder &, Value)> body) {
    auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
    BlockGraphBuilder graph(builder, op->getLoc(), op->getOperands(),
                            resultType, partition.grid, /*forloop=*/1,
                            /*dimx=*/64);
    FailureOr<Value> tile = graph.load(0, imap, ::mirage::kReplicate);
    if (failed(tile))
      return failure();
    Value result = graph.accumulate(body(graph, *tile));
    graph.yield(graph.save(result, partition.omap(), resultType));
    return graph.getKernel();
  }

  FailureOr<kn::GraphDefinedOp> scheduleTranspose(kn::TransposeOp op,
                                                  OpBuilder &builder) {
    ArrayRef<int64_t> out = op.getType().getShape();
    ArrayRef<int64_t> perm = op.getPermutation();
    SmallVector<bool> kept(out.size(), false);
    Partition partition = partitionOutput(out, kept, tileElements);
    // Output dim d is input dim perm[d]: split the same extent there.
    Map imap = partition.dimOfAxis;
    for (int64_t &d : imap)
      if (d != ::mirage::kReplicate)
        d = perm[d];
    return scheduleLayout(
        op, builder, partition, imap,
        [&](BlockGraphBuilder &graph, Value tile) {
          return Value(bk::TransposeOp::create(graph.builder, graph.loc, tile,
                                               op.getPermutationAttr()));
        });
  }

  FailureOr<kn::GraphDefinedOp> scheduleBroadcast(kn::BroadcastOp op,
                                                  OpBuilder &builder) {
    ArrayRef<int64_t> out = op.getType().getShape();
    ArrayRef<int64_t> added = op.getDimensions();
    SmallVector<bool> kept(out.size(), false);
    Partition partition = partitionOutput(out, kept, tileElements);
    // An added dim is replicated; any other is the input dim it comes from.
    SmallVector<int64_t, 4> inputDim(out.size(), ::mirage::kReplicate);
    for (int64_t d = 0, next = 0, e = out.size(); d < e; ++d)
      if (!llvm::is_contained(added, d))
        inputDim[d] = next++;
    Map imap = partition.dimOfAxis;
    for (int64_t &d : imap)
      if (d != ::mirage::kReplicate)
        d = inputDim[d];
    return scheduleLayout(
        op, builder, partition, imap,
        [&](BlockGraphBuilder &graph, Value tile) {
          auto tileType = cast<bk::TileType>(tile.getType());
          ::mirage::Shape shape(out.begin(), out.end());
          for (auto [axis, d] : llvm::enumerate(partition.dimOfAxis))
            if (d != ::mirage::kReplicate)
              shape[d] /= partition.grid[axis];
          return Value(bk::BroadcastOp::create(graph.builder, graph.loc,
                                               tileType.withShape(shape), tile,
                                               op.getDimensionsAttr()));
        });
  }

  FailureOr<kn::GraphDefinedOp> scheduleReshape(kn::ReshapeOp op,
                                                OpBuilder &builder) {
    ArrayRef<int64_t> in = op.getInput().getType().getShape();
    ArrayRef<int64_t> out = op.getType().getShape();
    // Splitting dim 0 of both into f parts, f a common divisor of their
    // extents, gives each block a contiguous run of the row-major order,
    // which is a tile of the input and of the output alike.
    int64_t common = std::gcd(in[0], out[0]);
    int64_t total = ::mirage::numElements(out);
    int64_t need = (total + tileElements - 1) / tileElements;
    int64_t factor =
        divisorForSplit(common, need, ::mirage::kMaxBlocksPerKernel);
    Partition partition;
    if (factor > 1)
      partition.split(0, factor);
    ::mirage::Shape tileShape(out.begin(), out.end());
    tileShape[0] /= factor;
    return scheduleLayout(
        op, builder, partition, partition.dimOfAxis,
        [&](BlockGraphBuilder &graph, Value tile) {
          auto tileType = cast<bk::TileType>(tile.getType());
          return Value(bk::ReshapeOp::create(
              graph.builder, graph.loc, tileType.withShape(tileShape), tile));
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
    // An operand that is a transpose of its last two dims is read from the
    // transpose's input: its loader takes the tile with the two dims
    // swapped in the maps, and a block.transpose turns it around, so the
    // transpose costs no kernel of its own (docs/Lowering.md).
    SmallVector<Value, 2> sources;
    SmallVector<kn::TransposeOp, 2> fused;
    for (Value operand : op->getOperands()) {
      kn::TransposeOp t = swapsLastTwoDims(operand);
      fused.push_back(t);
      sources.push_back(t ? t.getInput() : operand);
    }
    auto swapMap = [&](Map map) {
      for (int64_t &d : map)
        if (d == rank - 1 || d == rank - 2)
          d = 2 * rank - 3 - d;
      return map;
    };
    BlockGraphBuilder graph(builder, op.getLoc(), sources, op.getType(), grid,
                            k / tileK, /*dimx=*/64);
    auto loadOperand = [&](unsigned index, const Map &map,
                           int64_t fmap) -> FailureOr<Value> {
      if (!fused[index])
        return graph.load(index, map, fmap);
      FailureOr<Value> tile =
          graph.load(index, swapMap(map), 2 * rank - 3 - fmap);
      if (failed(tile))
        return failure();
      return Value(bk::TransposeOp::create(builder, op.getLoc(), *tile,
                                           fused[index].getPermutationAttr()));
    };
    FailureOr<Value> lhs = loadOperand(0, lhsMap, rank - 1);
    FailureOr<Value> rhs = loadOperand(1, rhsMap, rank - 2);
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
    // Scheduled after the ops that read them (below).
    SmallVector<kn::ConstantOp> constants;
    getOperation().walk([&](Operation *op) {
      if (auto constant = dyn_cast<kn::ConstantOp>(op))
        constants.push_back(constant);
      else if (op->getDialect() && isa<kn::KernelDialect>(op->getDialect()) &&
               !isa<kn::GraphDefinedOp>(op) &&
               !op->getParentOfType<kn::GraphDefinedOp>())
        worklist.push_back(op);
    });
    // Nothing to schedule: the function and its analyses (the graph that
    // --mirage-superoptimize recorded, for one) stay as they are.
    if (worklist.empty() && constants.empty())
      return markAllAnalysesPreserved();
    Scheduler scheduler(tileElements, matmulTile);
    OpBuilder builder(&getContext());
    bool ok = true;
    // A transpose of the last two dims read by graph-defined kernels that
    // only feed it to matmuls is read by their loaders instead.
    llvm::SmallPtrSet<Operation *, 8> folded;
    for (Operation *op : worklist) {
      auto t = dyn_cast<kn::TransposeOp>(op);
      if (!t || !swapsLastTwoDims(t.getResult()))
        continue;
      for (OpOperand &use : llvm::make_early_inc_range(t->getUses())) {
        auto kernelOp = dyn_cast<kn::GraphDefinedOp>(use.getOwner());
        unsigned index = use.getOperandNumber();
        if (kernelOp && loadedForMatmulsOnly(
                            kernelOp.getBody().front().getArgument(index))) {
          foldTransposeIntoLoaders(kernelOp, index, t);
          folded.insert(t);
        }
      }
    }
    llvm::erase_if(worklist, [&](Operation *op) {
      if (!folded.contains(op) || !op->use_empty())
        return false;
      op->erase();
      return true;
    });
    // Matmuls first, while the transposes they read directly are still
    // there to be fused into their loaders; a transpose that then has no
    // reader left is gone with them.
    SmallVector<Operation *> ordered;
    for (bool matmuls : {true, false})
      for (Operation *op : worklist)
        if (isa<kn::MatmulOp>(op) == matmuls)
          ordered.push_back(op);
    worklist = std::move(ordered);
    llvm::SmallPtrSet<Operation *, 8> erased;
    for (Operation *op : worklist) {
      if (erased.contains(op))
        continue;
      builder.setInsertionPoint(op);
      FailureOr<kn::GraphDefinedOp> kernelOp = scheduler.schedule(op, builder);
      if (failed(kernelOp)) {
        ok = false;
        continue;
      }
      SmallVector<Operation *, 2> readTransposes;
      if (isa<kn::MatmulOp>(op))
        for (Value operand : op->getOperands())
          if (kn::TransposeOp t = swapsLastTwoDims(operand))
            readTransposes.push_back(t);
      op->replaceAllUsesWith(kernelOp->getResults());
      op->erase();
      for (Operation *t : readTransposes)
        if (t->use_empty() && erased.insert(t).second)
          t->erase();
    }
    // Constants go into the block graphs of the kernels that read them;
    // one that something else reads (a function result) gets a kernel.
    for (kn::ConstantOp constant : constants) {
      foldConstantIntoKernels(constant);
      if (constant->use_empty()) {
        constant->erase();
        continue;
      }
      builder.setInsertionPoint(constant);
      FailureOr<kn::GraphDefinedOp> kernelOp =
          scheduler.schedule(constant, builder);
      if (failed(kernelOp)) {
        ok = false;
        continue;
      }
      constant->replaceAllUsesWith(kernelOp->getResults());
      constant->erase();
    }
    if (!ok)
      signalPassFailure();
  }
};

} // namespace
