//===- MirageTraits.cpp - Traits shared by the μGraph dialects --*- C++ -*-===//

#include "Mirage/Dialect/Common/MirageTraits.h"

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
