//===- KernelOps.cpp - Kernel-level μGraph operations -----------*- C++ -*-===//

#include "Mirage/Dialect/Kernel/IR/KernelOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace mirage;
using namespace mirage::kernel;

/// Reports a shape-rule failure at `location` (when known) and fails.
static LogicalResult reportShapeError(std::optional<Location> location,
                                      StringRef opName, llvm::Error error) {
  std::string message = llvm::toString(std::move(error));
  if (location)
    return emitError(*location) << "'" << opName << "' op " << message;
  return failure();
}

/// The element type shared by all `types`, or a diagnostic naming the
/// offending operand.
static FailureOr<Type> commonElementType(std::optional<Location> location,
                                         StringRef opName, TypeRange types) {
  // Inference runs before the operand type constraints are verified: reject
  // what the constraints would, so no shape rule sees a dynamic extent.
  for (auto [index, type] : llvm::enumerate(types)) {
    auto shaped = dyn_cast<RankedTensorType>(type);
    if (shaped && shaped.hasStaticShape() && shaped.getRank() >= 1 &&
        shaped.getRank() <= ::mirage::kMaxRank &&
        ::mirage::isSupportedElementType(shaped.getElementType()))
      continue;
    if (location)
      mlir::emitError(*location)
          << "'" << opName << "' op operand #" << index
          << " must be statically shaped tensor of rank 1 to 4 with f16, "
             "bf16 or f32 elements, but got "
          << type;
    return failure();
  }
  Type element = cast<ShapedType>(types.front()).getElementType();
  for (auto [index, type] : llvm::enumerate(types)) {
    if (cast<ShapedType>(type).getElementType() == element)
      continue;
    if (location)
      emitError(*location) << "'" << opName << "' op operand #" << index
                           << " has element type "
                           << cast<ShapedType>(type).getElementType()
                           << ", expected " << element << " like operand #0";
    return failure();
  }
  return element;
}

/// Shared by all ops whose result type is a tensor of the operands' common
/// element type and a shape computed by a shape rule.
static LogicalResult
inferTensorResult(std::optional<Location> location, StringRef opName,
                  TypeRange operandTypes,
                  llvm::function_ref<llvm::Expected<::mirage::Shape>()> rule,
                  SmallVectorImpl<Type> &inferred) {
  FailureOr<Type> element = commonElementType(location, opName, operandTypes);
  if (failed(element))
    return failure();
  llvm::Expected<::mirage::Shape> shape = rule();
  if (!shape)
    return reportShapeError(location, opName, shape.takeError());
  inferred.push_back(RankedTensorType::get(*shape, *element));
  return success();
}

static ArrayRef<int64_t> shapeOf(Value value) {
  return cast<ShapedType>(value.getType()).getShape();
}

//===----------------------------------------------------------------------===//
// Element-wise ops
//===----------------------------------------------------------------------===//

LogicalResult ClampOp::verify() {
  return verifyClampBounds(*this, getMin().convertToDouble(),
                           getMax().convertToDouble());
}

//===----------------------------------------------------------------------===//
// ConstantOp
//===----------------------------------------------------------------------===//

LogicalResult ConstantOp::verify() {
  auto splat = dyn_cast<SplatElementsAttr>(getValue());
  if (!splat)
    return emitOpError()
           << "requires a splat dense value (every element equal), but got "
           << getValue();
  if (!isa<FloatType>(splat.getElementType()))
    return emitOpError() << "requires a float value, but got " << getValue();
  APFloat value = splat.getSplatValue<APFloat>();
  if (!value.isFinite())
    return emitOpError() << "requires a finite value, but got "
                         << (value.isNaN() ? "NaN" : "an infinity");
  return success();
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

double ConstantOp::getSplatValue() {
  return cast<SplatElementsAttr>(getValue())
      .getSplatValue<APFloat>()
      .convertToDouble();
}

/// The result of every binary function (Kernel_BinaryOp's inferReturnTypes):
/// the broadcast of the operands' shapes.
static LogicalResult inferBinaryResult(std::optional<Location> location,
                                       StringRef opName, Value lhs, Value rhs,
                                       SmallVectorImpl<Type> &inferred) {
  return inferTensorResult(
      location, opName, {lhs.getType(), rhs.getType()},
      [&] { return ::mirage::inferBroadcastShape(shapeOf(lhs), shapeOf(rhs)); },
      inferred);
}

//===----------------------------------------------------------------------===//
// Structured ops
//===----------------------------------------------------------------------===//

LogicalResult MatmulOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> location,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  return inferTensorResult(
      location, getOperationName(),
      {adaptor.getLhs().getType(), adaptor.getRhs().getType()},
      [&] {
        return ::mirage::inferMatmulShape(shapeOf(adaptor.getLhs()),
                                          shapeOf(adaptor.getRhs()));
      },
      inferred);
}

LogicalResult ReductionOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> location,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  return inferTensorResult(
      location, getOperationName(), {adaptor.getInput().getType()},
      [&] {
        // While parsing, inference runs before default-valued attributes
        // are filled in: an absent `size` is its default, 1.
        IntegerAttr size = adaptor.getSizeAttr();
        return ::mirage::inferReductionShape(shapeOf(adaptor.getInput()),
                                             adaptor.getDim(),
                                             size ? size.getInt() : 1);
      },
      inferred);
}

/// The result of reduce_max and reduce_mean: `dim` becomes 1.
static LogicalResult inferReduceResult(std::optional<Location> location,
                                       StringRef name, Value input, int64_t dim,
                                       SmallVectorImpl<Type> &inferred) {
  return inferTensorResult(
      location, name, {input.getType()},
      [&] { return ::mirage::inferReductionShape(shapeOf(input), dim, 1); },
      inferred);
}

LogicalResult ReduceMaxOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> location,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  return inferReduceResult(location, getOperationName(), adaptor.getInput(),
                           adaptor.getDim(), inferred);
}

LogicalResult ReduceMeanOp::inferReturnTypes(MLIRContext *,
                                             std::optional<Location> location,
                                             Adaptor adaptor,
                                             SmallVectorImpl<Type> &inferred) {
  return inferReduceResult(location, getOperationName(), adaptor.getInput(),
                           adaptor.getDim(), inferred);
}

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> location,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  if (adaptor.getInputs().empty()) {
    if (location)
      mlir::emitError(*location)
          << "'" << getOperationName() << "' op needs at least two operands";
    return failure();
  }
  SmallVector<ArrayRef<int64_t>> shapes = llvm::map_to_vector(
      adaptor.getInputs(), [](Value v) { return shapeOf(v); });
  return inferTensorResult(
      location, getOperationName(), adaptor.getInputs().getTypes(),
      [&] { return ::mirage::inferConcatShape(shapes, adaptor.getDim()); },
      inferred);
}

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> location,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  return inferTensorResult(
      location, getOperationName(), {adaptor.getInput().getType()},
      [&] {
        return ::mirage::inferTransposeShape(shapeOf(adaptor.getInput()),
                                             adaptor.getPermutation());
      },
      inferred);
}

/// The element types of a layout op's input and result agree.
static LogicalResult verifySameElementType(Operation *op, Value input,
                                           Value result) {
  Type in = cast<ShapedType>(input.getType()).getElementType();
  Type out = cast<ShapedType>(result.getType()).getElementType();
  if (in == out)
    return success();
  return op->emitOpError() << "result element type " << out
                           << " differs from the input's " << in;
}

LogicalResult ReshapeOp::verify() {
  if (failed(verifySameElementType(*this, getInput(), getResult())))
    return failure();
  if (llvm::Error err = ::mirage::checkReshapeShape(shapeOf(getInput()),
                                                    shapeOf(getResult())))
    return emitOpError() << llvm::toString(std::move(err));
  return success();
}

LogicalResult BroadcastOp::verify() {
  if (failed(verifySameElementType(*this, getInput(), getResult())))
    return failure();
  if (llvm::Error err = ::mirage::checkBroadcastShape(
          shapeOf(getInput()), getDimensions(), shapeOf(getResult())))
    return emitOpError() << llvm::toString(std::move(err));
  return success();
}

LogicalResult RmsNormOp::verify() {
  if (llvm::Error err = ::mirage::checkRmsNormShape(
          getInput().getType().getShape(), getNormalizedShape()))
    return emitOpError() << llvm::toString(std::move(err));
  if (Value weight = getWeight()) {
    auto weightType = cast<RankedTensorType>(weight.getType());
    if (weightType.getShape() != getNormalizedShape())
      return emitOpError() << "weight shape "
                           << ::mirage::formatShape(weightType.getShape())
                           << " differs from the normalized shape "
                           << ::mirage::formatShape(getNormalizedShape());
    if (weightType.getElementType() != getInput().getType().getElementType())
      return emitOpError() << "weight element type "
                           << weightType.getElementType()
                           << " differs from the input's "
                           << getInput().getType().getElementType();
  }
  return verifyEpsilon(*this, getEps());
}

//===----------------------------------------------------------------------===//
// GraphDefinedOp
//===----------------------------------------------------------------------===//

::mirage::LaunchShape GraphDefinedOp::getLaunchShape() {
  ::mirage::LaunchShape launch;
  launch.grid.assign(getGrid().begin(), getGrid().end());
  launch.block.assign(getBlock().begin(), getBlock().end());
  launch.forloopRange = getForloopRange();
  launch.reductionDimx = getReductionDimx();
  return launch;
}

// Runs before the ops of the body are verified, which rely on a valid launch
// configuration (a zero grid would make their shape rules divide by zero).
LogicalResult GraphDefinedOp::verify() {
  if (llvm::Error err = ::mirage::checkLaunchShape(getLaunchShape()))
    return emitOpError() << llvm::toString(std::move(err));
  // No input is allowed: a kernel may compute its results from constants
  // alone (block.constant), as the default schedule of a returned
  // kernel.constant does.
  if (getResults().empty())
    return emitOpError() << "needs at least one result tensor";
  // Blocks split every tensor into tiles, whose extents are all >= 1, and
  // the for-loop divides by the per-block extent: a zero extent has no tile.
  auto checkExtents = [&](StringRef what, unsigned index,
                          Type type) -> LogicalResult {
    auto shaped = cast<ShapedType>(type);
    if (std::optional<unsigned> zero =
            ::mirage::findZeroExtent(shaped.getShape()))
      return emitOpError() << what << " #" << index << " of type " << type
                           << " has extent 0 at dimension " << *zero
                           << ": a graph-defined kernel splits its tensors "
                              "into tiles of extent >= 1";
    return success();
  };
  for (auto [index, type] : llvm::enumerate(getInputs().getTypes()))
    if (failed(checkExtents("input", index, type)))
      return failure();
  for (auto [index, type] : llvm::enumerate(getResultTypes()))
    if (failed(checkExtents("result", index, type)))
      return failure();
  return success();
}

LogicalResult GraphDefinedOp::verifyRegions() {
  Block &body = getBody().front();
  if (body.getNumArguments() != getInputs().size())
    return emitOpError() << "body has " << body.getNumArguments()
                         << " arguments but the kernel has "
                         << getInputs().size() << " inputs";
  for (auto [index, pair] :
       llvm::enumerate(llvm::zip(body.getArgumentTypes(), getInputs()))) {
    auto [argType, input] = pair;
    if (argType != input.getType())
      return emitOpError() << "body argument #" << index << " has type "
                           << argType << " but input #" << index << " has type "
                           << input.getType();
  }

  // The block graph speaks only the block level; the kernel level cannot
  // depend on that dialect, so it is named by namespace.
  for (Operation &op : body)
    if (op.getName().getDialectNamespace() != "block")
      return op.emitOpError()
             << "is not allowed in the block graph of a kernel.graph_defined; "
                "only block ops are";

  Operation *terminator = body.empty() ? nullptr : &body.back();
  if (!terminator || !terminator->hasTrait<OpTrait::IsTerminator>())
    return emitOpError() << "body must end with a block.yield terminator";
  if (terminator->getOperandTypes() != getResultTypes())
    return terminator->emitOpError()
           << "yields " << terminator->getNumOperands()
           << " values whose types differ from the " << getNumResults()
           << " results of the enclosing kernel.graph_defined";
  return success();
}

#define GET_OP_CLASSES
#include "Mirage/Dialect/Kernel/IR/KernelOps.cpp.inc"
