//===- StructuredAttrs.td - The structured level's attributes -*- tablegen -*-===//

#ifndef MIRAGE_DIALECT_STRUCTURED_IR_STRUCTUREDATTRS
#define MIRAGE_DIALECT_STRUCTURED_IR_STRUCTUREDATTRS

include "Mirage/Dialect/Structured/IR/StructuredDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/BuiltinTypes.td"

def Structured_AbiAttr : AttrDef<Structured_Dialect, "Abi"> {
  let mnemonic = "abi";
  let summary = "the calling convention of a function at the structured level";
  let description = [{
    `--mirage-lower-to-structured` turns a kernel-level function on tensors
    into a function on memrefs in destination-passing style: one memref per
    input, one per result, then the workspace `memref<Wxi8>` that holds the
    intermediate tensors. The function carries this attribute under the name
    `structured.abi`; it records the kernel-level `signature` (so the
    number of inputs and of results, and their shapes and element types) and
    the `workspace` size W in bytes. Everything after the structured level
    that must call the function or describe it reads it: the CPU mapping and
    `mirage-cpu-runner`, the GPU pipeline and the launch manifests of
    `--mirage-write-bundles`.

    Verified: the signature's inputs and results are statically shaped
    tensors of f16, bf16 or f32; the workspace is not negative; it is on a function. On a `func.func`, the arguments must
    be exactly the memrefs the signature and workspace give (identity
    layout, default memory space) and there are no results; after the
    conversion to the LLVM dialect the arguments are descriptors or pointers
    and are not checked.

    Example:

    ```mlir
    func.func @f(%x: memref<2x64xf16>, %y: memref<2x64xf16>,
                 %ws: memref<0xi8>)
        attributes {structured.abi = #structured.abi<
                      (tensor<2x64xf16>) -> tensor<2x64xf16>, workspace = 0>}
    ```
  }];
  let parameters = (ins "::mlir::FunctionType":$signature,
                        "int64_t":$workspace);
  let assemblyFormat = "`<` $signature `,` `workspace` `=` $workspace `>`";
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// The name the attribute has on a function.
    static constexpr ::llvm::StringLiteral kName = "structured.abi";
    unsigned getNumInputs() const { return getSignature().getNumInputs(); }
    unsigned getNumOutputs() const { return getSignature().getNumResults(); }
    /// The memrefs a func.func with this attribute takes, in order.
    ::llvm::SmallVector<::mlir::Type> getArgumentTypes() const;
  }];
}

#endif // MIRAGE_DIALECT_STRUCTURED_IR_STRUCTUREDATTRS
