//===- ThreadDialect.td - The thread level of a μGraph -----*- tablegen -*-===//

#ifndef MIRAGE_DIALECT_THREAD_IR_THREADDIALECT
#define MIRAGE_DIALECT_THREAD_IR_THREADDIALECT

include "mlir/IR/OpBase.td"

def Thread_Dialect : Dialect {
  let name = "thread";
  let cppNamespace = "::mirage::thread";
  let summary = "The thread level of a μGraph: fused element-wise chains "
                "computed in registers";
  let description = [{
    The thread level is the bottom of Mirage's three-level μGraph. A
    `thread.fused` op takes whole values of one statically shaped type (a
    tensor at the kernel level, a tile at the block level) and applies a chain
    of element-wise functions to every element, keeping the intermediate
    values in registers instead of writing them back to memory. Its region
    spells out the chain for one element: block arguments and results of the
    scalar ops are `f16`, `bf16` or `f32` scalars.

    The scalar ops (`thread.exp`, `thread.mul`, ...) are the element-wise
    functions of the kernel and block levels, applied to one element; they
    may only appear inside `thread.fused`.
  }];
}

// One element of a μGraph tensor or tile, as held in a register.
def Thread_Scalar : AnyTypeOf<[F16, BF16, F32], "f16, bf16 or f32 scalar">;

#endif // MIRAGE_DIALECT_THREAD_IR_THREADDIALECT
