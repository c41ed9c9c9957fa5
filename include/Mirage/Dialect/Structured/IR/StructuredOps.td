//===- StructuredOps.td - Kernels, phases, the for-loop ----*- tablegen -*-===//

#ifndef MIRAGE_DIALECT_STRUCTURED_IR_STRUCTUREDOPS
#define MIRAGE_DIALECT_STRUCTURED_IR_STRUCTUREDOPS

include "Mirage/Dialect/Structured/IR/StructuredAttrs.td"
include "Mirage/Dialect/Structured/IR/StructuredDialect.td"
include "mlir/IR/BuiltinAttributes.td"
include "mlir/IR/OpAsmInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

class Structured_Op<string mnemonic, list<Trait> traits = []>
    : Op<Structured_Dialect, mnemonic,
         !listconcat(traits, [SingleBlock, NoTerminator,
                              RecursiveMemoryEffects,
                              DeclareOpInterfaceMethods<OpAsmOpInterface,
                                  ["getAsmBlockArgumentNames"]>])>;

def Structured_KernelOp : Structured_Op<"kernel"> {
  let summary = "the code one thread block of a kernel runs";
  let description = [{
    One kernel of the program: its region runs once for every block of the
    grid, with the block's id along x, y and z as its three `index`
    arguments. `grid` and `block` are the launch shape (three positive
    extents each; the structured level produces blocks `[T, 1, 1]`), and
    `forloop` the range of the μGraph for-loop (at least 1). The string is the
    kernel's name in the PTX and the launch manifest: letters, digits and
    `_`, not starting with a digit.

    The region holds, in order: the kernel's buffers, then code that runs
    once per block: index arithmetic, views, at most one
    `structured.for_loop`, phases and cooperative ops.

    Verified:
    * kernels do not nest;
    * every `memref.alloca` of the kernel stands at the start of its region
      (before any other op), has a static shape, the identity layout and
      the memory space `#gpu.address_space<workgroup>` or
      `#gpu.address_space<private>`;
    * a private buffer's leading dimension is the block's thread count
      (block x), and it is only accessed by `memref.load` and
      `memref.store` inside a phase whose thread id is the first index:
      a thread reads and writes its own state only.

    Example:

    ```mlir
    structured.kernel "f_kernel0" grid [96, 1, 1] block [128, 1, 1]
        forloop 64 (%bx, %by, %bz) {
      %tile = memref.alloca() : memref<64x24xf16, #gpu.address_space<workgroup>>
      %acc = memref.alloca() : memref<128x12xf32, #gpu.address_space<private>>
      structured.for_loop (%i) {
        ...
      }
      structured.phase (%tid) {
        ...
      }
    }
    ```
  }];
  let arguments = (ins StrAttr:$kernel_name, DenseI64ArrayAttr:$grid,
                       DenseI64ArrayAttr:$block_shape,
                       ConfinedAttr<I64Attr, [IntMinValue<1>]>:$forloop);
  let regions = (region SizedRegion<1>:$region);
  let assemblyFormat = [{
    $kernel_name `grid` $grid `block` $block_shape `forloop` $forloop
    custom<IdRegion>($region) attr-dict-with-keyword
  }];
  let hasVerifier = 1;
  let hasRegionVerifier = 1;
  let skipDefaultBuilders = 1;
  let builders = [
    // Creates the kernel with an entry block holding the three block ids.
    OpBuilder<(ins "::llvm::StringRef":$name, "::llvm::ArrayRef<int64_t>":$grid,
                   "::llvm::ArrayRef<int64_t>":$blockShape, "int64_t":$forloop)>
  ];
  let extraClassDeclaration = [{
    /// The block ids along x, y and z.
    ::mlir::ValueRange getBlockIds() { return getBody()->getArguments(); }
    /// The threads of a block (block x: the structured level's blocks are
    /// [T, 1, 1]).
    int64_t getNumThreads() { return getBlockShape()[0]; }
  }];
}

def Structured_ForLoopOp : Structured_Op<"for_loop",
    [HasParent<"KernelOp">]> {
  let summary = "the μGraph for-loop of a kernel";
  let description = [{
    Runs its region for the iterations 0, 1, ..., `forloop` - 1 of the
    enclosing kernel, in order; the iteration is the region's `index`
    argument. It stands directly in a kernel, which holds at most one. Block
    graph ops that run per iteration (loaders, the ops before the
    accumulators, the accumulator updates) are lowered into it.

    Example:

    ```mlir
    structured.for_loop (%i) {
      %col = arith.muli %i, %c64 : index
      ...
    }
    ```
  }];
  let regions = (region SizedRegion<1>:$region);
  let assemblyFormat = "custom<IdRegion>($region) attr-dict-with-keyword";
  let hasRegionVerifier = 1;
  let skipDefaultBuilders = 1;
  let builders = [
    // Creates the loop with an entry block holding the iteration.
    OpBuilder<(ins)>
  ];
  let extraClassDeclaration = [{
    /// The iteration.
    ::mlir::Value getIteration() { return getBody()->getArgument(0); }
    /// The kernel the loop belongs to.
    KernelOp getKernel();
  }];
}

def Structured_PhaseOp : Structured_Op<"phase"> {
  let summary = "code every thread of a block runs, then a barrier";
  let description = [{
    Runs its region once for every thread of the enclosing kernel's block
    (block x threads), with the thread id as its `index` argument. All
    threads finish a phase before any starts the next one: a barrier follows
    every phase. Threads of one phase run in any order, or at once.

    Verified: a phase stands inside a kernel (directly or in its
    `structured.for_loop`, or in an `scf.for` there), phases do not nest,
    and nothing inside a phase allocates memory. Which ops a mapping can run
    inside a phase is its own check.

    Example:

    ```mlir
    structured.phase (%tid) {
      %x = memref.load %acc[%tid, %c0] : memref<128x1xf32, #gpu.address_space<private>>
      ...
    }
    ```
  }];
  let regions = (region SizedRegion<1>:$region);
  let assemblyFormat = "custom<IdRegion>($region) attr-dict-with-keyword";
  let hasRegionVerifier = 1;
  let skipDefaultBuilders = 1;
  let builders = [
    // Creates the phase with an entry block holding the thread id.
    OpBuilder<(ins)>
  ];
  let extraClassDeclaration = [{
    /// The thread id.
    ::mlir::Value getThreadId() { return getBody()->getArgument(0); }
    /// The kernel the phase belongs to.
    KernelOp getKernel();
  }];
}

#endif // MIRAGE_DIALECT_STRUCTURED_IR_STRUCTUREDOPS
