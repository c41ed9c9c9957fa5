//===- StructuredDialect.td - The structured level ---------*- tablegen -*-===//

#ifndef MIRAGE_DIALECT_STRUCTURED_IR_STRUCTUREDDIALECT
#define MIRAGE_DIALECT_STRUCTURED_IR_STRUCTUREDDIALECT

include "mlir/IR/OpBase.td"

def Structured_Dialect : Dialect {
  let name = "structured";
  let cppNamespace = "::mirage::structured";
  // Kernel buffers live in #gpu.address_space<workgroup> and <private>.
  let dependentDialects = ["::mlir::gpu::GPUDialect"];
  // #structured.abi, and its check on the functions that carry it.
  let useDefaultAttributePrinterParser = 1;
  let hasOperationAttrVerify = 1;
  let summary = "The target-neutral structured level: kernels, barrier "
                "phases and the μGraph for-loop on memrefs";
  let description = [{
    `--mirage-lower-to-structured` turns every graph-defined kernel into a
    `structured.kernel`: the code one thread block runs, on memrefs, with the
    launch shape (grid, block) and the μGraph for-loop range as typed
    attributes. Inside a kernel, `structured.for_loop` is the μGraph
    for-loop and `structured.phase` the code every thread of the block runs
    between two barriers. Everything else is upstream IR: `arith`, `math`,
    `scf`, `memref`, `vector`, and `linalg.copy` / `linalg.matmul` /
    `linalg.batch_matmul` as cooperative ops of the whole block. Buffers are
    `memref.alloca`s at the start of a kernel in the memory spaces
    `#gpu.address_space<workgroup>` (a tile shared by the block's threads)
    and `#gpu.address_space<private>` (per-thread state, leading dimension
    the block's thread count).

    The function itself carries its calling convention, the attribute
    `structured.abi = #structured.abi<signature, workspace = W>`.

    `--mirage-map-to-gpu` maps every kernel to a `gpu.launch`,
    `--mirage-map-to-cpu` to sequential loops; docs/Lowering.md states the
    whole contract. The ops' verifiers check the structural rules (what is
    nested where, the buffers and how private state is accessed); what a
    mapping supports beyond them (element types, launch limits, the ops
    inside a phase) is checked by that mapping.

    The ops have no canonicalization patterns, their memory effects are
    those of their regions, and the memory spaces are part of the buffers'
    types, so upstream `canonicalize` and `cse` may simplify the code inside
    them but never unroll, merge or move them: a phase or loop of one
    iteration stays one (only an op whose region has no effect at all may be
    erased as dead code).
  }];
}

#endif // MIRAGE_DIALECT_STRUCTURED_IR_STRUCTUREDDIALECT
