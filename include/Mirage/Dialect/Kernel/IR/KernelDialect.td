//===- KernelDialect.td - The kernel level of a μGraph -----*- tablegen -*-===//

#ifndef MIRAGE_DIALECT_KERNEL_IR_KERNELDIALECT
#define MIRAGE_DIALECT_KERNEL_IR_KERNELDIALECT

include "mlir/IR/OpBase.td"

def Kernel_Dialect : Dialect {
  let name = "kernel";
  let cppNamespace = "::mirage::kernel";
  // kernel.constant: folds materialize splat values as kernel.constant, and
  // the dialect's canonicalizations fold constants into their users.
  let hasConstantMaterializer = 1;
  let hasCanonicalizer = 1;
  let summary = "The kernel level of a μGraph: whole-tensor ops and "
                "graph-defined kernels";
  let description = [{
    The kernel level is the top of Mirage's three-level μGraph. Each op
    reads and writes whole tensors in device memory and stands for one GPU
    kernel launch. Ops are either *pre-defined* (a matmul, an element-wise
    function, a reduction, an RMS normalization, a concatenation), whose
    implementation is left to the lowering's default schedule, or
    *graph-defined* (`kernel.graph_defined`), whose region spells out, in the
    `block` dialect, what every thread block of the kernel does.

    All tensors are builtin ranked tensors of rank 1 to 4 with static shapes
    and `f16`, `bf16` or `f32` elements. Result types follow from the operands
    by the shape rules of each op and are inferred wherever they can be. The
    operands and results of every op of the three μGraph dialects have a
    size in bytes that fits in a signed 64-bit integer (at most 2^63 - 1
    bytes), so that no size computation downstream can overflow.
  }];
}

// A statically shaped tensor of rank 1..4 with a float element type Mirage
// supports.
def Kernel_Tensor : Type<
    And<[TensorOf<[F16, BF16, F32]>.predicate,
         HasStaticShapePred,
         CPred<"::llvm::cast<::mlir::ShapedType>($_self).getRank() >= 1">,
         CPred<"::llvm::cast<::mlir::ShapedType>($_self).getRank() <= 4">]>,
    "statically shaped tensor of rank 1 to 4 with f16, bf16 or f32 elements",
    "::mlir::RankedTensorType">;

#endif // MIRAGE_DIALECT_KERNEL_IR_KERNELDIALECT
