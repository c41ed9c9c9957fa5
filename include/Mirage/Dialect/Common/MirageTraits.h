//===- MirageTraits.h - Traits shared by the μGraph dialects ----*- C++ -*-===//

#ifndef MIRAGE_DIALECT_COMMON_MIRAGETRAITS_H
#define MIRAGE_DIALECT_COMMON_MIRAGETRAITS_H

#include "mlir/IR/OpDefinition.h"

namespace mirage {
namespace detail {
mlir::LogicalResult verifyNoUnknownAttributes(mlir::Operation *op);
mlir::LogicalResult verifyAddressableTypes(mlir::Operation *op);
} // namespace detail

/// Rejects discardable attributes without a dialect prefix (`foo` is an
/// error, `mirage.note` is allowed), so misspelt attributes are reported.
template <typename ConcreteType>
class NoUnknownAttributes
    : public mlir::OpTrait::TraitBase<ConcreteType, NoUnknownAttributes> {
public:
  static mlir::LogicalResult verifyTrait(mlir::Operation *op) {
    return detail::verifyNoUnknownAttributes(op);
  }
};

/// Rejects operands and results of a statically shaped type whose size in
/// bytes overflows int64_t (see Mirage/Support/ShapeRules.h).
template <typename ConcreteType>
class AddressableTypes
    : public mlir::OpTrait::TraitBase<ConcreteType, AddressableTypes> {
public:
  static mlir::LogicalResult verifyTrait(mlir::Operation *op) {
    return detail::verifyAddressableTypes(op);
  }
};

/// Whether `type` is an element type of μGraph tensors and tiles: f16, bf16
/// or f32.
inline bool isSupportedElementType(mlir::Type type) {
  return type.isF16() || type.isBF16() || type.isF32();
}

/// Verifies an optional normalization epsilon: finite and non-negative.
mlir::LogicalResult verifyEpsilon(mlir::Operation *op,
                                  std::optional<llvm::APFloat> eps);

/// Verifies the bounds of a clamp op: min <= max.
mlir::LogicalResult verifyClampBounds(mlir::Operation *op, double min,
                                      double max);
} // namespace mirage

#endif // MIRAGE_DIALECT_COMMON_MIRAGETRAITS_H
