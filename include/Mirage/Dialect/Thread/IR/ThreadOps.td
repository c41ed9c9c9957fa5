//===- ThreadOps.td - Thread-level μGraph operations -------*- tablegen -*-===//

#ifndef MIRAGE_DIALECT_THREAD_IR_THREADOPS
#define MIRAGE_DIALECT_THREAD_IR_THREADOPS

include "Mirage/Dialect/Thread/IR/ThreadDialect.td"
include "Mirage/Support/Vocabulary.td"
include "Mirage/Dialect/Common/MirageTraits.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/BuiltinAttributes.td"

class Thread_Op<string mnemonic, list<Trait> traits = []>
    : Op<Thread_Dialect, mnemonic,
         !listconcat(traits, [Mirage_NoUnknownAttributes,
                              Mirage_AddressableTypes])>;

//===----------------------------------------------------------------------===//
// FusedOp
//===----------------------------------------------------------------------===//

def Thread_FusedOp : Thread_Op<"fused",
    [RecursiveMemoryEffects, IsolatedFromAbove, SingleBlock]> {
  let summary = "a chain of element-wise functions fused in registers";
  let description = [{
    Applies the scalar computation of its region to every element of its
    operands and returns the values yielded for each element as its results.
    The intermediate values of the chain live in registers; only the operands
    are read from and the results written to memory.

    All operands and all results have one and the same statically shaped type
    (a ranked tensor at the kernel level, a `!block.tile` at the block level)
    whose element type is `f16`, `bf16` or `f32`; the assembly format
    therefore names that type once, and the number of results is the number
    of values bound on the left (`%y:2 = ...`). There is at least one operand
    and at least one result, and at most 64 results: the parser rejects a
    larger count before it allocates anything.

    The region has a single block with one argument per operand, the element
    of that operand, typed by the element type. It holds only ops of the
    `thread` dialect (no nested `thread.fused`) and ends with a `thread.yield`
    of one element per result.

    Example (`exp(a) * b`, and `a + b` as a second result):

    ```mlir
    %y:2 = thread.fused (%a, %b) : tensor<2x24xf16> {
    ^bb0(%x: f16, %w: f16):
      %e = thread.exp %x : f16
      %m = thread.mul %e, %w : f16
      %s = thread.add %x, %w : f16
      thread.yield %m, %s : f16, f16
    }
    ```
  }];
  let arguments = (ins Variadic<AnyType>:$inputs);
  let results = (outs Variadic<AnyType>:$results);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    ` ` `(` $inputs `)` attr-dict `:`
    custom<UniformType>(ref($inputs), type($inputs), type($results)) $body
  }];
  let builders = [
    // Creates the op with `numResults` results of the inputs' type and an
    // entry block holding one scalar argument per input; the caller fills in
    // the body and its thread.yield. `inputs` must be non-empty and share one
    // shaped type.
    OpBuilder<(ins "::mlir::ValueRange":$inputs, "unsigned":$numResults)>
  ];
  let hasVerifier = 1;
  let hasRegionVerifier = 1;
  let extraClassDeclaration = [{
    /// The most results one op may have. The parser takes the count from the
    /// text (`%y:N`) and rejects a larger N before allocating anything.
    static constexpr unsigned kMaxResults = 64;

    /// The element type of the operands and results of a verified op, which
    /// the region computes on.
    ::mlir::Type getElementType() {
      return ::llvm::cast<::mlir::ShapedType>(getInputs().front().getType())
          .getElementType();
    }

    /// The thread.yield ending the body of a verified op.
    YieldOp getYield();
  }];
}

//===----------------------------------------------------------------------===//
// Scalar element-wise ops
//===----------------------------------------------------------------------===//

class Thread_ScalarOp<string mnemonic, list<Trait> traits = []>
    : Thread_Op<mnemonic, !listconcat(traits, [Pure, SameOperandsAndResultType,
                                               HasParent<"FusedOp">])>;

class Thread_UnaryOp<string mnemonic> : Thread_ScalarOp<mnemonic> {
  let arguments = (ins Thread_Scalar:$input);
  let results = (outs Thread_Scalar:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

foreach fn = MirageUnaryFunctions in {
  def Thread_ # fn.cppName # Op : Thread_UnaryOp<fn.mnemonic> {
    let summary = "scalar " # fn.mnemonic # ": " # fn.math;
    let description = "Computes `" # fn.math # "` of a scalar; the result "
      # "has the input's type. Only allowed inside `thread.fused`.\n\n"
      # "Example:\n\n```mlir\n%y = thread." # fn.mnemonic
      # " %x : f16\n```\n";
  }
}

def Thread_ClampOp : Thread_UnaryOp<"clamp"> {
  let summary = "scalar clamp to [min, max]";
  let description = [{
    Computes `min(max(x, min), max)` of a scalar. The bounds are attributes
    of the op and `min <= max` is required. Only allowed inside
    `thread.fused`.

    Example:

    ```mlir
    %y = thread.clamp %x min 0.0 max 6.0 : f16
    ```
  }];
  let arguments = (ins Thread_Scalar:$input, F64Attr:$min, F64Attr:$max);
  let assemblyFormat =
      "$input `min` $min `max` $max attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def Thread_MulScalarOp : Thread_UnaryOp<"mul_scalar"> {
  let summary = "scalar product with a constant";
  let description = [{
    Computes `x * scalar`. Only allowed inside `thread.fused`.

    Example:

    ```mlir
    %y = thread.mul_scalar %x, 0.125 : f16
    ```
  }];
  let arguments = (ins Thread_Scalar:$input, F64Attr:$scalar);
  let assemblyFormat = "$input `,` $scalar attr-dict `:` type($input)";
}

class Thread_BinaryOp<string mnemonic> : Thread_ScalarOp<mnemonic> {
  let arguments = (ins Thread_Scalar:$lhs, Thread_Scalar:$rhs);
  let results = (outs Thread_Scalar:$result);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($result)";
}

foreach fn = MirageBinaryFunctions in {
  def Thread_ # fn.cppName # Op : Thread_BinaryOp<fn.mnemonic> {
    let summary = "scalar " # fn.mnemonic # ": " # fn.math;
    let description = "Computes `" # fn.math # "` of two scalars of the "
      # "same type, which is also the result's type (there is nothing to "
      # "broadcast at this level). Only allowed inside `thread.fused`.\n\n"
      # "Example:\n\n```mlir\n%y = thread." # fn.mnemonic
      # " %a, %b : f16\n```\n";
  }
}

//===----------------------------------------------------------------------===//
// YieldOp
//===----------------------------------------------------------------------===//

def Thread_YieldOp : Thread_Op<"yield",
    [Pure, ReturnLike, Terminator, HasParent<"FusedOp">]> {
  let summary = "the per-element results of a thread.fused body";
  let description = [{
    Ends the body of `thread.fused` and yields one scalar per result of the
    enclosing op, each of the results' element type.

    Example:

    ```mlir
    thread.yield %m, %s : f16, f16
    ```
  }];
  let arguments = (ins Variadic<Thread_Scalar>:$values);
  let assemblyFormat = "attr-dict ($values^ `:` type($values))?";
  let hasVerifier = 1;
}

#endif // MIRAGE_DIALECT_THREAD_IR_THREADOPS
