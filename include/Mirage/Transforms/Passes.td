//===- Passes.td - Mirage-MLIR transformation passes -------*- tablegen -*-===//

#ifndef MIRAGE_TRANSFORMS_PASSES
#define MIRAGE_TRANSFORMS_PASSES

include "mlir/Pass/PassBase.td"

def CheckLimits : Pass<"mirage-check-limits", "::mlir::func::FuncOp"> {
  let summary = "Check graph-defined kernels against the resource limits";
  let description = [{
    Checks every `kernel.graph_defined` op of the function against the limits
    a μGraph kernel must respect on the target, and reports each violation as
    an error at the kernel, naming the figure and the limit:

    * shared memory per thread block: the bytes of every tile the block graph
      holds, except the results of in-place element-wise ops (the same
      accounting as Mirage's search; an upper bound, since the lowering's
      planner may reuse dead tiles), against `shared-memory-bytes`;
    * the number of block ops (loaders, savers and the terminator included),
      against `max-block-ops`;
    * the number of input and output tensors of the kernel.

    The defaults are Mirage's: 16 block ops, 4 inputs, 4 outputs, and the
    227 KiB of shared memory an H100 block can use. The pass changes no IR.

    Example:

    ```
    mirage-opt --mirage-check-limits='shared-memory-bytes=49152' in.mlir
    ```
  }];
  let options = [
    Option<"sharedMemoryBytes", "shared-memory-bytes", "int64_t",
           /*default=*/"232448",
           "Shared memory available to one thread block, in bytes">,
    Option<"maxBlockOps", "max-block-ops", "int64_t", /*default=*/"16",
           "Maximum number of ops in one block graph">,
    Option<"maxInputs", "max-inputs", "int64_t", /*default=*/"4",
           "Maximum number of input tensors of one graph-defined kernel">,
    Option<"maxOutputs", "max-outputs", "int64_t", /*default=*/"4",
           "Maximum number of output tensors of one graph-defined kernel">,
  ];
  let dependentDialects = ["::mirage::kernel::KernelDialect",
                           "::mirage::block::BlockDialect"];
}

def PrintUGraph : Pass<"mirage-print-ugraph", "::mlir::func::FuncOp"> {
  let summary = "Print the compact μGraph the core libraries see";
  let description = [{
    Imports each function into the compact, MLIR-free μGraph structure that
    the interpreter, the abstract expressions and the search work on, and
    prints it to stdout (or to `output`): values in topological order with
    shape, element type and (in block graphs) accumulation state, ops with
    their attributes, and each graph-defined kernel's block graph. A
    thread.fused region appears as the element-wise ops it stands for.

    A function that cannot be imported (an op of another dialect, say) is an
    error at that op. The pass changes no IR.

    Example:

    ```
    mirage-opt --mirage-print-ugraph examples/ugraphs/rmsnorm_matmul.mlir
    ```
  }];
}

#endif // MIRAGE_TRANSFORMS_PASSES
