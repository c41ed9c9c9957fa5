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

// Rejects operand and result types (ranked tensors, tiles) whose size in bytes
// does not fit in a signed 64-bit integer: no lowering, interpreter or runtime
// could address them, and every size computation downstream may then rely on
// checked arithmetic never failing for one value.
def Mirage_AddressableTypes
    : NativeOpTrait<"AddressableTypes"> {
  let cppNamespace = "::mirage";
}

#endif // MIRAGE_DIALECT_COMMON_MIRAGETRAITS
