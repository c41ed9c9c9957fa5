//===- AccumKind.td - The accumulator kinds of block graphs -*- tablegen -*-===//
//
// Every accumulator kind, declared once. VocabularyGen.td generates the one
// C++ enum, ::mirage::AccumKind, for the MLIR-free core
// (Mirage/Support/Vocabulary.h); the block dialect's `block.accum` takes
// MirageAccumKind as its attribute. See docs/Vocabulary.md.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_SUPPORT_ACCUMKIND
#define MIRAGE_SUPPORT_ACCUMKIND

include "mlir/IR/EnumAttr.td"

// How a block graph's for-loop accumulator combines the iterations (see
// docs/Rationale.md). The one C++ enum, ::mirage::AccumKind, is generated
// from this attribute; `block.accum` stores it as an i32 and prints the
// keyword.
def MirageAccumKind : I32EnumAttr<"AccumKind",
    "how a for-loop accumulator combines the iterations", [
  // element-wise sum over iterations
  I32EnumAttrCase<"None", 0, "none">,
  // also sums the last dim, which becomes 1
  I32EnumAttrCase<"Sum", 1, "sum">,
  // that sum divided by (forloop range * last dim)
  I32EnumAttrCase<"Mean", 2, "mean">,
  // sqrt(sum of squares / (forloop range * last dim))
  I32EnumAttrCase<"Rms", 3, "rms">,
  // last dim reduced to dimx by strided sum, then accumulated
  I32EnumAttrCase<"SumToDimx", 4, "sum_to_dimx">,
  // acc = acc * r + x, element-wise
  I32EnumAttrCase<"Rescale", 5, "rescale">,
  // running element-wise maximum
  I32EnumAttrCase<"Max", 6, "max">
]> {
  let cppNamespace = "::mirage";
  // Stored as an i32 IntegerAttr; the op accessors return the enum.
  let genSpecializedAttr = 0;
  let returnType = "::mirage::AccumKind";
  let convertFromStorage =
      "static_cast<::mirage::AccumKind>($_self.getInt())";
  let constBuilderCall =
      "$_builder.getI32IntegerAttr(static_cast<int32_t>($0))";
}

#endif // MIRAGE_SUPPORT_ACCUMKIND
