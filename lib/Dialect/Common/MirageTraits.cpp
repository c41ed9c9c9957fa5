//===- MirageTraits.cpp - Traits shared by the μGraph dialects --*- C++ -*-===//

#include "Mirage/Dialect/Common/MirageTraits.h"

#include "Mirage/Support/ShapeRules.h"

#include "mlir/IR/BuiltinTypeInterfaces.h"

#include <cmath>

using namespace mlir;

LogicalResult mirage::detail::verifyNoUnknownAttributes(Operation *op) {
  for (NamedAttribute attr : op->getDiscardableAttrs()) {
    // Namespaced attributes (`dialect.name`) belong to some dialect and are
    // legitimately attached by other tools; bare names are typos.
    if (attr.getName().getValue().contains('.'))
      continue;
    return op->emitOpError()
           << "has unknown attribute '" << attr.getName().getValue() << "'";
  }
  return success();
}

/// Checks one operand or result type; `what` names it in the diagnostic.
static LogicalResult verifyAddressable(Operation *op, Type type, StringRef what,
                                       unsigned index) {
  auto shaped = dyn_cast<ShapedType>(type);
  if (!shaped || !shaped.hasStaticShape() ||
      !shaped.getElementType().isIntOrFloat())
    return success();
  int64_t elementBytes =
      llvm::divideCeil(shaped.getElementType().getIntOrFloatBitWidth(), 8);
  if (::mirage::checkedNumBytes(shaped.getShape(), elementBytes))
    return success();
  return op->emitOpError() << what << " #" << index << " of type " << type
                           << " has more than 2^63 - 1 bytes, the limit of "
                              "a tensor or tile";
}

LogicalResult mirage::detail::verifyAddressableTypes(Operation *op) {
  for (auto [index, type] : llvm::enumerate(op->getOperandTypes()))
    if (failed(verifyAddressable(op, type, "operand", index)))
      return failure();
  for (auto [index, type] : llvm::enumerate(op->getResultTypes()))
    if (failed(verifyAddressable(op, type, "result", index)))
      return failure();
  return success();
}

LogicalResult mirage::verifyClampBounds(Operation *op, double min, double max) {
  if (std::isnan(min) || std::isnan(max))
    return op->emitOpError() << "clamp bounds must not be NaN";
  if (min > max)
    return op->emitOpError() << "min " << min << " is greater than max " << max;
  return success();
}

LogicalResult mirage::verifyEpsilon(Operation *op,
                                    std::optional<llvm::APFloat> eps) {
  if (eps && (eps->isNegative() || !eps->isFinite()))
    return op->emitOpError() << "eps must be a finite, non-negative number";
  return success();
}
