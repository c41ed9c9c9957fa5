//===- Passes.td - Mirage-MLIR target passes ---------------*- tablegen -*-===//

#ifndef MIRAGE_TARGET_PASSES
#define MIRAGE_TARGET_PASSES

include "mlir/Pass/PassBase.td"

def WriteBundles : Pass<"mirage-write-bundles", "::mlir::ModuleOp"> {
  let summary = "Write the PTX bundle of every compiled function";
  let description = [{
    The last step of the `mirage-to-ptx` pipeline (docs/Lowering.md,
    "Pipelines"): for every function at the structured level
    (`structured.abi`) of a module that went through outlining and
    `gpu-module-to-binary`, writes the bundle `OUTPUT/NAME.ptx` (the PTX of
    the function's `gpu.binary`) and the launch manifest `OUTPUT/NAME.json`
    (docs/Lowering.md, "The bundle"): the function's `gpu.launch_func`s in
    order, with grid, block, dynamic shared memory and one argument per
    kernel parameter, traced back to an input, an output or the workspace.

    Files are written to temporary names in `output` (created if missing)
    and renamed only when every function succeeded: a failure leaves no
    bundle behind. A module with no such function is an error, unless it
    has functions on tensors that the lowering left alone (a mixed module,
    docs/Import.md): then a remark says that no bundle was written. The IR
    is not changed.
  }];
  let options = [
    Option<"chip", "chip", "std::string", /*default=*/"\"sm_90\"",
           "The chip the PTX was compiled for, recorded in the manifest">,
    Option<"output", "output", "std::string", /*default=*/"",
           "The directory the bundles are written to (required)">,
  ];
}

#endif // MIRAGE_TARGET_PASSES
