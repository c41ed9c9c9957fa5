//===- BlockOps.cpp - Block-level μGraph operations -------------*- C++ -*-===//
//
// Verifiers and result-type inference of the block dialect. The shape rules
// themselves live in Mirage/Support/ShapeRules.h, shared with the search.
//
//===----------------------------------------------------------------------===//

#include "Mirage/Dialect/Block/IR/BlockOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;

using namespace mirage;
using namespace mirage::block;

static StringRef stateName(bool accumulated) {
  return accumulated ? "post" : "pre";
}

static kernel::GraphDefinedOp getKernel(Operation *op) {
  return op->getParentOfType<kernel::GraphDefinedOp>();
}

//===----------------------------------------------------------------------===//
// Result-type inference
//===----------------------------------------------------------------------===//

namespace {
/// Reports inference errors at the op's location, when there is one.
struct InferenceContext {
  std::optional<Location> location;
  StringRef opName;

  LogicalResult fail(const Twine &message) const {
    if (location)
      mlir::emitError(*location) << "'" << opName << "' op " << message;
    return failure();
  }

  /// The operand types as tiles that share one element type and one
  /// accumulation state.
  FailureOr<SmallVector<TileType>> agreeingTiles(TypeRange types) const {
    SmallVector<TileType> tiles;
    for (auto [index, type] : llvm::enumerate(types)) {
      auto tile = dyn_cast<TileType>(type);
      if (!tile) {
        (void)fail("operand #" + Twine(index) + " must be a block tile");
        return failure();
      }
      tiles.push_back(tile);
    }
    TileType first = tiles.front();
    for (auto [index, tile] : llvm::enumerate(tiles)) {
      if (tile.getElementType() != first.getElementType()) {
        std::string message;
        llvm::raw_string_ostream os(message);
        os << "operand #" << index << " has element type '"
           << tile.getElementType() << "', expected '" << first.getElementType()
           << "' like operand #0";
        (void)fail(message);
        return failure();
      }
      if (tile.getAccumulated() != first.getAccumulated()) {
        (void)fail("operand #" + Twine(index) + " is '" +
                   stateName(tile.getAccumulated()) +
                   "' accumulation but operand #0 is '" +
                   stateName(first.getAccumulated()) +
                   "': operands must agree");
        return failure();
      }
    }
    return tiles;
  }

  /// Pushes `like` reshaped to the rule's result, or reports the rule's error.
  LogicalResult push(TileType like, llvm::Expected<::mirage::Shape> shape,
                     SmallVectorImpl<Type> &inferred) const {
    if (!shape)
      return fail(llvm::toString(shape.takeError()));
    inferred.push_back(like.withShape(*shape));
    return success();
  }
};
} // namespace

/// The result of every binary function (Block_BinaryOp's inferReturnTypes):
/// the broadcast of the operands' shapes, in their accumulation state.
static LogicalResult inferBinaryResult(std::optional<Location> location,
                                       StringRef opName, Value lhs, Value rhs,
                                       SmallVectorImpl<Type> &inferred) {
  InferenceContext ctx{location, opName};
  auto tiles = ctx.agreeingTiles({lhs.getType(), rhs.getType()});
  if (failed(tiles))
    return failure();
  return ctx.push((*tiles)[0],
                  ::mirage::inferBroadcastShape((*tiles)[0].getShape(),
                                                (*tiles)[1].getShape()),
                  inferred);
}

/// The matmul rule of a block: the kernel rule, with one batch dim at
/// most (the first of a rank-3 tile); any other leading dim is 1.
static llvm::Expected<::mirage::Shape> inferTileMatmulShape(TileType lhs,
                                                            TileType rhs) {
  for (TileType tile : {lhs, rhs}) {
    ArrayRef<int64_t> shape = tile.getShape();
    if (shape.size() < 2)
      return llvm::createStringError(
          llvm::inconvertibleErrorCode(),
          "a block matmul operand must have rank 2 or more, got " +
              ::mirage::formatShape(shape));
    ArrayRef<int64_t> leading = shape.drop_back(2);
    if (shape.size() == 3)
      leading = {};
    for (int64_t dim : leading)
      if (dim != 1)
        return llvm::createStringError(
            llvm::inconvertibleErrorCode(),
            "leading dims of a block matmul operand must be 1, got " +
                ::mirage::formatShape(shape));
  }
  return ::mirage::inferMatmulShape(lhs.getShape(), rhs.getShape());
}

LogicalResult MatmulOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> location,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  InferenceContext ctx{location, getOperationName()};
  auto tiles = ctx.agreeingTiles(
      {adaptor.getLhs().getType(), adaptor.getRhs().getType()});
  if (failed(tiles))
    return failure();
  return ctx.push((*tiles)[0], inferTileMatmulShape((*tiles)[0], (*tiles)[1]),
                  inferred);
}

LogicalResult ConcatMatmulOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> location, Adaptor adaptor,
    SmallVectorImpl<Type> &inferred) {
  InferenceContext ctx{location, getOperationName()};
  auto tiles = ctx.agreeingTiles(
      {adaptor.getLhs1().getType(), adaptor.getLhs2().getType(),
       adaptor.getRhs1().getType(), adaptor.getRhs2().getType()});
  if (failed(tiles))
    return failure();
  auto first = inferTileMatmulShape((*tiles)[0], (*tiles)[2]);
  if (!first)
    return ctx.fail("lhs1 x rhs1: " + llvm::toString(first.takeError()));
  auto second = inferTileMatmulShape((*tiles)[1], (*tiles)[3]);
  if (!second)
    return ctx.fail("lhs2 x rhs2: " + llvm::toString(second.takeError()));
  if (*first != *second)
    return ctx.fail("partial products differ in shape: lhs1 x rhs1 is " +
                    ::mirage::formatShape(*first) + ", lhs2 x rhs2 is " +
                    ::mirage::formatShape(*second));
  return ctx.push((*tiles)[0], std::move(first), inferred);
}

LogicalResult ReductionOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> location,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  InferenceContext ctx{location, getOperationName()};
  auto tiles = ctx.agreeingTiles({adaptor.getInput().getType()});
  if (failed(tiles))
    return failure();
  return ctx.push((*tiles)[0],
                  ::mirage::inferReductionShape((*tiles)[0].getShape(),
                                                adaptor.getDim(), 1),
                  inferred);
}

LogicalResult RunningMaxOp::inferReturnTypes(MLIRContext *,
                                             std::optional<Location> location,
                                             Adaptor adaptor,
                                             SmallVectorImpl<Type> &inferred) {
  InferenceContext ctx{location, getOperationName()};
  auto tiles = ctx.agreeingTiles({adaptor.getInput().getType()});
  if (failed(tiles))
    return failure();
  TileType input = (*tiles)[0];
  if (input.getAccumulated())
    return ctx.fail("input must be 'pre' accumulation: a running maximum "
                    "runs across for-loop iterations");
  if (failed(ctx.push(
          input,
          ::mirage::inferReductionShape(input.getShape(), adaptor.getDim(), 1),
          inferred)))
    return failure();
  inferred.push_back(inferred.back());
  return success();
}

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> location,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  InferenceContext ctx{location, getOperationName()};
  auto tiles = ctx.agreeingTiles(
      {adaptor.getLhs().getType(), adaptor.getRhs().getType()});
  if (failed(tiles))
    return failure();
  return ctx.push(
      (*tiles)[0],
      ::mirage::inferConcatShape(
          {(*tiles)[0].getShape(), (*tiles)[1].getShape()}, adaptor.getDim()),
      inferred);
}

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> location,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  InferenceContext ctx{location, getOperationName()};
  auto tiles = ctx.agreeingTiles({adaptor.getInput().getType()});
  if (failed(tiles))
    return failure();
  return ctx.push((*tiles)[0],
                  ::mirage::inferTransposeShape((*tiles)[0].getShape(),
                                                adaptor.getPermutation()),
                  inferred);
}

//===----------------------------------------------------------------------===//
// Verifiers
//===----------------------------------------------------------------------===//

/// Checks that `result` has `expected`'s shape, element type and state.
static LogicalResult verifyResultTile(Operation *op, TileType result,
                                      TileType expected) {
  if (result == expected)
    return success();
  return op->emitOpError() << "result type " << result << " should be "
                           << expected;
}

LogicalResult LoaderOp::verify() {
  kernel::GraphDefinedOp kernelOp = getKernel(*this);
  auto arg = dyn_cast<BlockArgument>(getSource());
  if (!arg || arg.getOwner()->getParentOp() != kernelOp.getOperation())
    return emitOpError() << "source must be an input of the enclosing "
                            "kernel.graph_defined (an argument of its body)";
  TileType tile = getTile().getType();
  RankedTensorType source = getSource().getType();
  if (tile.getAccumulated())
    return emitOpError() << "loads 'pre' accumulation tiles; the result type "
                            "says 'post'";
  if (tile.getElementType() != source.getElementType())
    return emitOpError() << "tile element type " << tile.getElementType()
                         << " differs from the source's "
                         << source.getElementType();
  auto shape = ::mirage::inferLoaderTileShape(
      source.getShape(), getImap(), getFmap(), kernelOp.getLaunchShape());
  if (!shape)
    return emitOpError() << llvm::toString(shape.takeError());
  if (tile.getShape() != ArrayRef<int64_t>(*shape))
    return emitOpError() << "tile shape "
                         << ::mirage::formatShape(tile.getShape())
                         << " differs from the shape "
                         << ::mirage::formatShape(*shape)
                         << " that imap, fmap, grid and for-loop range give";
  return success();
}

LogicalResult SaverOp::verify() {
  kernel::GraphDefinedOp kernelOp = getKernel(*this);
  TileType tile = getTile().getType();
  RankedTensorType result = getResult().getType();
  if (!tile.getAccumulated())
    return emitOpError() << "saves only 'post' accumulation tiles; accumulate "
                            "the value with block.accum first";
  if (tile.getElementType() != result.getElementType())
    return emitOpError() << "result element type " << result.getElementType()
                         << " differs from the tile's "
                         << tile.getElementType();
  auto shape = ::mirage::inferSaverTensorShape(tile.getShape(), getOmap(),
                                               kernelOp.getLaunchShape());
  if (!shape)
    return emitOpError() << llvm::toString(shape.takeError());
  if (result.getShape() != ArrayRef<int64_t>(*shape))
    return emitOpError() << "result shape "
                         << ::mirage::formatShape(result.getShape())
                         << " differs from the shape "
                         << ::mirage::formatShape(*shape)
                         << " that the tile, omap and grid give";
  for (Operation *user : getResult().getUsers())
    if (!isa<YieldOp>(user))
      return emitOpError() << "result may only be yielded by block.yield, "
                              "but it is used by '"
                           << user->getName() << "'";
  // A saver writes one result tensor of the kernel: a saver nobody yields
  // would write memory no result owns, and one yielded twice would make two
  // results alias the same tiles.
  unsigned numYields = llvm::range_size(getResult().getUses());
  if (numYields == 0)
    return emitOpError() << "result is never yielded: every block.saver "
                            "must be yielded by the block.yield exactly once";
  if (numYields > 1)
    return emitOpError() << "result is yielded " << numYields
                         << " times: every block.saver must be yielded by "
                            "the block.yield exactly once";
  return success();
}

LogicalResult ConstantOp::verify() {
  APFloat value(getValue().convertToDouble());
  if (!value.isFinite())
    return emitOpError() << "requires a finite value, but got "
                         << (value.isNaN() ? "NaN" : "an infinity");
  // The value must be one of the element type: the tile holds it exactly.
  bool losesInfo = false;
  APFloat rounded = value;
  rounded.convert(
      cast<FloatType>(getType().getElementType()).getFloatSemantics(),
      APFloat::rmNearestTiesToEven, &losesInfo);
  if (losesInfo)
    return emitOpError() << "requires a value exact in the element type "
                         << getType().getElementType() << ", but got "
                         << getValue().convertToDouble();
  return success();
}

LogicalResult ClampOp::verify() {
  return verifyClampBounds(*this, getMin().convertToDouble(),
                           getMax().convertToDouble());
}

LogicalResult CastOp::verify() {
  if (getInput().getType().getAccumulated() !=
      getResult().getType().getAccumulated())
    return emitOpError() << "result must keep the input's accumulation state";
  return success();
}

LogicalResult RmsNormOp::verify() { return verifyEpsilon(*this, getEps()); }

LogicalResult ReductionToDimxOp::verify() {
  TileType input = getInput().getType();
  int64_t dimx = getKernel(*this).getReductionDimx();
  auto shape = ::mirage::inferReductionShape(input.getShape(), getDim(), dimx);
  if (!shape)
    return emitOpError() << llvm::toString(shape.takeError())
                         << " (dimx of the enclosing kernel)";
  return verifyResultTile(*this, getResult().getType(),
                          input.withShape(*shape));
}

LogicalResult AccumOp::verify() {
  TileType input = getInput().getType();
  if (input.getAccumulated())
    return emitOpError() << "accumulates only 'pre' accumulation tiles, got "
                            "a 'post' tile";
  bool isRescale = getKind() == AccumKind::Rescale;
  if (isRescale != static_cast<bool>(getScale()))
    return emitOpError() << (isRescale
                                 ? "kind 'rescale' needs a scale operand"
                                 : "only kind 'rescale' takes a scale operand");
  if (Value scaleValue = getScale()) {
    auto scale = cast<TileType>(scaleValue.getType());
    if (scale.getAccumulated())
      return emitOpError() << "scale must be 'pre' accumulation";
    if (scale.getElementType() != input.getElementType())
      return emitOpError() << "scale element type " << scale.getElementType()
                           << " differs from the input's "
                           << input.getElementType();
    auto shape =
        ::mirage::inferBroadcastShape(input.getShape(), scale.getShape());
    if (!shape)
      return emitOpError() << "scale does not broadcast to the input: "
                           << llvm::toString(shape.takeError());
    if (ArrayRef<int64_t>(*shape) != input.getShape())
      return emitOpError() << "scale "
                           << ::mirage::formatShape(scale.getShape())
                           << " would broadcast the input "
                           << ::mirage::formatShape(input.getShape()) << " to "
                           << ::mirage::formatShape(*shape);
  }
  auto shape = ::mirage::inferAccumShape(getKind(), input.getShape(),
                                         getKernel(*this).getReductionDimx());
  if (!shape)
    return emitOpError() << llvm::toString(shape.takeError());
  return verifyResultTile(
      *this, getResult().getType(),
      input.withShape(*shape).withAccumulated(/*accumulated=*/true));
}

LogicalResult YieldOp::verify() {
  for (auto [index, value] : llvm::enumerate(getValues()))
    if (!value.getDefiningOp<SaverOp>())
      return emitOpError() << "operand #" << index
                           << " must be the result of a block.saver";
  return success();
}

#define GET_OP_CLASSES
#include "Mirage/Dialect/Block/IR/BlockOps.cpp.inc"

//===----------------------------------------------------------------------===//
// Layout ops
//===----------------------------------------------------------------------===//

/// A layout op keeps its input's element type and accumulation state.
static LogicalResult verifyLayoutTiles(Operation *op, TileType input,
                                       TileType result) {
  if (input.getElementType() != result.getElementType() ||
      input.getAccumulated() != result.getAccumulated())
    return op->emitOpError()
           << "result type " << result
           << " must keep the input's element type and accumulation state";
  return success();
}

LogicalResult ReshapeOp::verify() {
  TileType input = getInput().getType(), result = getResult().getType();
  if (failed(verifyLayoutTiles(*this, input, result)))
    return failure();
  if (llvm::Error err =
          ::mirage::checkReshapeShape(input.getShape(), result.getShape()))
    return emitOpError() << llvm::toString(std::move(err));
  return success();
}

LogicalResult BroadcastOp::verify() {
  TileType input = getInput().getType(), result = getResult().getType();
  if (failed(verifyLayoutTiles(*this, input, result)))
    return failure();
  if (llvm::Error err = ::mirage::checkBroadcastShape(
          input.getShape(), getDimensions(), result.getShape()))
    return emitOpError() << llvm::toString(std::move(err));
  return success();
}
