//===- Passes.td - Mirage-MLIR conversion passes -----------*- tablegen -*-===//

#ifndef MIRAGE_CONVERSION_PASSES
#define MIRAGE_CONVERSION_PASSES

include "mlir/Pass/PassBase.td"

def DefaultSchedules : Pass<"mirage-default-schedules", "::mlir::func::FuncOp"> {
  let summary = "Give every pre-defined kernel op a block graph";
  let description = [{
    Rewrites every pre-defined kernel op (element-wise, matmul, reduction,
    rms_norm, concat) into an equivalent `kernel.graph_defined` op whose
    block graph is a default schedule, so that one code generator, the one
    for block graphs, serves every kernel. Existing graph-defined kernels are
    left as they are.

    The schedules:

    * element-wise ops, rms_norm and concat: the output is cut into tiles of
      about `tile-elements` elements along its leading dimensions (up to
      three, one per grid axis; the normalized dimension of rms_norm and the
      concatenated dimension stay whole), one tile per block, one iteration;
      an operand that broadcasts along a split dimension is replicated;
    * matmul `[b, m, k] x [b, k, n]`: grid x over n, y over m, z over the
      batch, with tiles of at most `matmul-tile` rows and columns; the
      for-loop walks k in chunks of at most `matmul-tile`, and a `none`
      accumulator sums the partial products;
    * reduction along d (strided to `size`): the other dimensions are tiled
      as for element-wise ops; the for-loop walks d, each iteration reduces
      its chunk (`block.reduction`, or `block.reduction_to_dimx` with dimx =
      size), and a `none` accumulator sums the chunks.

    An op that no default schedule covers (a matmul with more than one batch
    dimension, rms_norm over several dimensions or with a weight on an input
    of rank > 1) is reported as an error naming the op and the reason.

    Example:

    ```
    mirage-opt --mirage-default-schedules examples/gated_mlp.mlir
    ```
  }];
  let options = [
    Option<"tileElements", "tile-elements", "int64_t", /*default=*/"4096",
           "Target number of elements of an output tile of element-wise, "
           "reduction, rms_norm and concat kernels">,
    Option<"matmulTile", "matmul-tile", "int64_t", /*default=*/"64",
           "Largest tile extent of a matmul kernel along m, n and k">,
  ];
  let dependentDialects = ["::mirage::kernel::KernelDialect",
                           "::mirage::block::BlockDialect"];
}

#endif // MIRAGE_CONVERSION_PASSES
