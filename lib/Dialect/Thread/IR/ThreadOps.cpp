//===- ThreadOps.cpp - Thread-level μGraph operations -----------*- C++ -*-===//

#include "Mirage/Dialect/Thread/IR/ThreadOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace mirage::thread;

//===----------------------------------------------------------------------===//
// Custom assembly directives
//===----------------------------------------------------------------------===//

/// Parses the one type shared by all operands and results of thread.fused.
/// The number of results is that of the SSA names on the left (`%y:2 = ...`),
/// so the type is not repeated once per value.
/// The result count comes from the text (`%y:N`), so it is bounded before
/// anything of that size is allocated.
static ParseResult parseUniformType(
    OpAsmParser &parser, ArrayRef<OpAsmParser::UnresolvedOperand> inputs,
    SmallVectorImpl<Type> &inputTypes, SmallVectorImpl<Type> &resultTypes) {
  if (parser.getNumResults() > FusedOp::kMaxResults)
    return parser.emitError(parser.getNameLoc())
           << "binds " << parser.getNumResults()
           << " results, more than the limit of " << FusedOp::kMaxResults;
  Type type;
  if (parser.parseType(type))
    return failure();
  inputTypes.assign(inputs.size(), type);
  resultTypes.assign(parser.getNumResults(), type);
  return success();
}

/// Prints the type parseUniformType reads. The printer only sees verified ops
/// (an op failing verification is printed in generic form), whose operand
/// and result types are all equal; the fallbacks keep it from crashing on an
/// unverified op printed with --mlir-print-assume-verified.
static void printUniformType(OpAsmPrinter &printer, Operation *, OperandRange,
                             TypeRange inputTypes, TypeRange resultTypes) {
  if (!inputTypes.empty())
    printer << inputTypes.front();
  else if (!resultTypes.empty())
    printer << resultTypes.front();
}

//===----------------------------------------------------------------------===//
// FusedOp
//===----------------------------------------------------------------------===//

void FusedOp::build(OpBuilder &builder, OperationState &state,
                    ValueRange inputs, unsigned numResults) {
  state.addOperands(inputs);
  Type type = inputs.front().getType();
  state.addTypes(SmallVector<Type>(numResults, type));
  Type element = cast<ShapedType>(type).getElementType();
  Region *body = state.addRegion();
  Block *entry = new Block();
  body->push_back(entry);
  for (Value input : inputs)
    entry->addArgument(element, input.getLoc());
}

YieldOp FusedOp::getYield() {
  return cast<YieldOp>(getBody().front().getTerminator());
}

LogicalResult FusedOp::verify() {
  if (getInputs().empty())
    return emitOpError() << "needs at least one operand";
  if (getResults().empty())
    return emitOpError() << "needs at least one result";
  if (getNumResults() > kMaxResults)
    return emitOpError() << "has " << getNumResults()
                         << " results, more than the limit of " << kMaxResults;

  Type type = getInputs().front().getType();
  auto shaped = dyn_cast<ShapedType>(type);
  if (!shaped || !shaped.hasStaticShape())
    return emitOpError() << "operand #0 has type " << type
                         << ", expected a statically shaped type (a ranked "
                            "tensor or a tile)";
  Type element = shaped.getElementType();
  if (!element.isF16() && !element.isBF16() && !element.isF32())
    return emitOpError() << "operand #0 has element type " << element
                         << ", expected f16, bf16 or f32";

  for (auto [index, input] : llvm::enumerate(getInputs()))
    if (input.getType() != type)
      return emitOpError() << "operand #" << index << " has type "
                           << input.getType() << ", expected " << type
                           << " (the type of operand #0)";
  for (auto [index, result] : llvm::enumerate(getResults()))
    if (result.getType() != type)
      return emitOpError() << "result #" << index << " has type "
                           << result.getType() << ", expected " << type
                           << " (the type of operand #0)";
  return success();
}

LogicalResult FusedOp::verifyRegions() {
  // verify() has checked the operand and result types by now.
  Type element = getElementType();
  Block &body = getBody().front();

  if (body.getNumArguments() != getInputs().size())
    return emitOpError() << "body has " << body.getNumArguments()
                         << " arguments, expected " << getInputs().size()
                         << " (one per operand)";
  for (auto [index, argType] : llvm::enumerate(body.getArgumentTypes()))
    if (argType != element)
      return emitOpError() << "block argument #" << index << " has type "
                           << argType << ", expected " << element
                           << " (the element type of operand #" << index << ")";

  // Everything in the body runs per element in registers, which only the
  // scalar thread ops do. (A nested thread.fused cannot get here: it would
  // need shaped operands, and the body has only scalars.) The values the
  // thread.yield returns are checked by YieldOp::verify.
  for (Operation &op : body) {
    if (op.getDialect() == getOperation()->getDialect())
      continue;
    InFlightDiagnostic diag = emitOpError()
                              << "body may only hold thread ops, found '"
                              << op.getName() << "'";
    diag.attachNote(op.getLoc()) << "'" << op.getName() << "' is here";
    return diag;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// YieldOp
//===----------------------------------------------------------------------===//

LogicalResult YieldOp::verify() {
  // HasParent has been verified before this, and so has the parent itself
  // (operands and results of one shaped type); stay defensive all the same.
  auto fused = dyn_cast<FusedOp>(getOperation()->getParentOp());
  if (!fused)
    return success();
  if (getValues().size() != fused.getNumResults())
    return emitOpError() << "yields " << getValues().size()
                         << " values, expected " << fused.getNumResults()
                         << " (one per result of the enclosing "
                         << FusedOp::getOperationName() << ")";
  for (auto [index, pair] :
       llvm::enumerate(llvm::zip(getValues(), fused.getResultTypes()))) {
    auto [value, resultType] = pair;
    auto shaped = dyn_cast<ShapedType>(resultType);
    if (!shaped)
      continue;
    if (value.getType() != shaped.getElementType())
      return emitOpError() << "value #" << index << " has type "
                           << value.getType() << ", expected "
                           << shaped.getElementType()
                           << " (the element type of result #" << index << ")";
  }
  return success();
}

//===----------------------------------------------------------------------===//
// ClampOp
//===----------------------------------------------------------------------===//

LogicalResult ClampOp::verify() {
  return ::mirage::verifyClampBounds(*this, getMin().convertToDouble(),
                                     getMax().convertToDouble());
}

#define GET_OP_CLASSES
#include "Mirage/Dialect/Thread/IR/ThreadOps.cpp.inc"
