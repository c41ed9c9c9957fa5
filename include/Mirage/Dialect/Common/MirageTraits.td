//===- MirageTraits.td - Traits shared by the μGraph dialects -*- tablegen -*-===//

#ifndef MIRAGE_DIALECT_COMMON_MIRAGETRAITS
#define MIRAGE_DIALECT_COMMON_MIRAGETRAITS

include "mlir/IR/OpBase.td"

// Rejects discardable attributes whose name has no dialect prefix: a typo in
// an attribute name is an error, not silently carried along.
def Mirage_NoUnknownAttributes
    : NativeOpTrait<"NoUnknownAttributes"> {
  let cppNamespace = "::mirage";
}

#endif // MIRAGE_DIALECT_COMMON_MIRAGETRAITS
