//===- KernelOps.td - Kernel-level μGraph operations -------*- tablegen -*-===//

#ifndef MIRAGE_DIALECT_KERNEL_IR_KERNELOPS
#define MIRAGE_DIALECT_KERNEL_IR_KERNELOPS

include "Mirage/Dialect/Kernel/IR/KernelDialect.td"
include "Mirage/Support/Vocabulary.td"
include "Mirage/Dialect/Common/MirageTraits.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/BuiltinAttributes.td"

class Kernel_Op<string mnemonic, list<Trait> traits = []>
    : Op<Kernel_Dialect, mnemonic,
         !listconcat(traits, [Mirage_NoUnknownAttributes,
                              Mirage_AddressableTypes])>;

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

def Kernel_ConstantOp : Kernel_Op<"constant",
    [ConstantLike, Pure, AllTypesMatch<["value", "result"]>]> {
  let summary = "a tensor whose elements all hold one float value";
  let description = [{
    A splat tensor: every element holds `value`, a finite number of the
    result's element type (a splat `dense` attribute of the result's type).
    The kernel dialect has no rank-0 tensors: a scalar is a constant of shape
    `[1]` (or `[1, ..., 1]`), which the broadcasting binary ops stretch to
    their other operand's shape. Non-splat values and NaN or infinite values
    are refused.

    A constant is not a kernel and reads no device memory: the default
    schedule computes it in the block graphs of the kernels that read it
    (`block.constant`). The canonicalizer turns a product with a constant
    into `kernel.mul_scalar` and drops a sum with 0. The fingerprints model
    its value as a *user constant*, the same as mul_scalar's factor
    (docs/Semantics.md).

    Example:

    ```mlir
    %eps = kernel.constant dense<1.0e-06> : tensor<1x1xf32>
    %c = kernel.constant dense<0.125> : tensor<2x64xf16>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs Kernel_Tensor:$result);
  let assemblyFormat = "$value attr-dict";
  let hasFolder = 1;
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The value of every element (exact in the element type).
    double getSplatValue();
  }];
}

//===----------------------------------------------------------------------===//
// Element-wise ops
//===----------------------------------------------------------------------===//

class Kernel_UnaryOp<string mnemonic, list<Trait> traits = []>
    : Kernel_Op<mnemonic, !listconcat(traits, [Pure, SameOperandsAndResultType])> {
  let arguments = (ins Kernel_Tensor:$input);
  let results = (outs Kernel_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

foreach fn = MirageUnaryFunctions in {
  def Kernel_ # fn.cppName # Op : Kernel_UnaryOp<fn.mnemonic> {
    let summary = "element-wise " # fn.math # " of a tensor";
    let description = "Computes `" # fn.math # "` for every element of "
      # "the input; the result has the input's type.\n\n"
      # "Example:\n\n```mlir\n%y = kernel." # fn.mnemonic
      # " %x : tensor<2x4096xf16>\n```\n";
  }
}

def Kernel_ClampOp : Kernel_UnaryOp<"clamp"> {
  let summary = "element-wise clamp of a tensor to [min, max]";
  let description = [{
    Computes `min(max(x, min), max)` for every element. The bounds are
    attributes of the op (not a process-wide table as in the original Mirage)
    and `min <= max` is required.

    Example:

    ```mlir
    %y = kernel.clamp %x min 0.0 max 6.0 : tensor<8x4096xf16>
    ```
  }];
  let arguments = (ins Kernel_Tensor:$input, F64Attr:$min, F64Attr:$max);
  let assemblyFormat =
      "$input `min` $min `max` $max attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def Kernel_MulScalarOp : Kernel_UnaryOp<"mul_scalar"> {
  let summary = "element-wise product of a tensor with a constant";
  let description = [{
    Computes `x * scalar` for every element.

    Example:

    ```mlir
    %y = kernel.mul_scalar %x, 0.125 : tensor<2x256x64xf16>
    ```
  }];
  let arguments = (ins Kernel_Tensor:$input, F64Attr:$scalar);
  let assemblyFormat = "$input `,` $scalar attr-dict `:` type($input)";
}

def Kernel_CastOp : Kernel_Op<"cast", [Pure, SameOperandsAndResultShape]> {
  let summary = "element-wise conversion to another floating-point type";
  let description = [{
    Rounds every element to the result's element type (f16, bf16 or f32;
    the input's type may be any of the three). Rounding is to nearest, ties
    to even; a value beyond the result type's range becomes +-Inf, NaN stays
    NaN, -0 stays -0 and values below the smallest normal become subnormals
    or zero of the same sign. A cast to the input's own type is the identity.
    The shapes are equal.

    Example:

    ```mlir
    %y = kernel.cast %x : tensor<2x4096xf16> to tensor<2x4096xf32>
    ```
  }];
  let arguments = (ins Kernel_Tensor:$input);
  let results = (outs Kernel_Tensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `to` type($result)";
}

class Kernel_BinaryOp<string mnemonic>
    : Kernel_Op<mnemonic, [Pure, InferTypeOpAdaptor]> {
  let arguments = (ins Kernel_Tensor:$lhs, Kernel_Tensor:$rhs);
  let results = (outs Kernel_Tensor:$result);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs)";
  // One inference for every binary function (KernelOps.cpp).
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *, std::optional<::mlir::Location> location,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      return inferBinaryResult(location, getOperationName(), adaptor.getLhs(),
                               adaptor.getRhs(), inferred);
    }
  }];
}

foreach fn = MirageBinaryFunctions in {
  def Kernel_ # fn.cppName # Op : Kernel_BinaryOp<fn.mnemonic> {
    let summary = "element-wise " # fn.math # " with broadcasting";
    let description = "Computes `" # fn.math # "` element by element. "
      # "Both operands have the same rank and element type; in every "
      # "dimension their extents are equal or one of them is 1, which is "
      # "broadcast. The result takes the larger extent in every dimension.\n\n"
      # "Example:\n\n```mlir\n%y = kernel." # fn.mnemonic
      # " %a, %b : tensor<2x4096xf16>, tensor<2x1xf16>\n```\n";
  }
}

//===----------------------------------------------------------------------===//
// Structured ops
//===----------------------------------------------------------------------===//

def Kernel_MatmulOp : Kernel_Op<"matmul",
    [Pure, InferTypeOpAdaptor]> {
  let summary = "batched matrix product";
  let description = [{
    `[..., m, k] x [..., k, n] -> [..., m, n]`. Both operands have the same
    rank (at least 2) and element type; the batch dimensions (all but the last
    two) must be equal, they do not broadcast. The result is row-major.

    Example:

    ```mlir
    %y = kernel.matmul %x, %w : tensor<2x4096xf16>, tensor<4096x6144xf16>
    ```
  }];
  let arguments = (ins Kernel_Tensor:$lhs, Kernel_Tensor:$rhs);
  let results = (outs Kernel_Tensor:$result);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs)";
}

def Kernel_ReductionOp : Kernel_Op<"reduction",
    [Pure, InferTypeOpAdaptor]> {
  let summary = "sum along one dimension, optionally strided to a size";
  let description = [{
    Sums dimension `dim` of the input. With the default `size` 1 the
    dimension becomes 1. With `size` s > 1 it becomes s by a strided sum:
    `out[..., j, ...] = sum_k in[..., j + k * s, ...]`, which needs the extent
    to be a multiple of s.

    Example:

    ```mlir
    %s = kernel.reduction %x dim 1 : tensor<2x4096xf16>
    %p = kernel.reduction %y dim 2 size 64 : tensor<1x1024x512xf16>
    ```
  }];
  let arguments = (ins Kernel_Tensor:$input, I64Attr:$dim,
                       DefaultValuedAttr<I64Attr, "1">:$size);
  let results = (outs Kernel_Tensor:$result);
  let assemblyFormat =
      "$input `dim` $dim (`size` $size^)? attr-dict `:` type($input)";
}

class Kernel_ReduceOp<string mnemonic>
    : Kernel_Op<mnemonic, [Pure, InferTypeOpAdaptor]> {
  let arguments = (ins Kernel_Tensor:$input, I64Attr:$dim);
  let results = (outs Kernel_Tensor:$result);
  let assemblyFormat = "$input `dim` $dim attr-dict `:` type($input)";
}

def Kernel_ReduceMaxOp : Kernel_ReduceOp<"reduce_max"> {
  let summary = "maximum along one dimension";
  let description = [{
    The maximum of dimension `dim` of the input, which becomes 1. The
    maximum is IEEE 754-2019 `maximum` (`torch.amax`, `arith.maximumf`): a
    NaN anywhere in the reduced row makes the result NaN, and +0 is above
    -0.

    Example:

    ```mlir
    %m = kernel.reduce_max %x dim 1 : tensor<2x4096xf16>
    ```
  }];
}

def Kernel_ReduceMeanOp : Kernel_ReduceOp<"reduce_mean"> {
  let summary = "mean along one dimension";
  let description = [{
    The mean of dimension `dim` of the input, which becomes 1: the sum, kept
    in the f32 range as an f32 accumulator holds it (a total beyond it is
    +-Inf), divided by the extent, rounded once to the element type.

    Example:

    ```mlir
    %m = kernel.reduce_mean %x dim 1 : tensor<2x4096xf16>
    ```
  }];
}

def Kernel_RmsNormOp : Kernel_Op<"rms_norm",
    [Pure, AllTypesMatch<["input", "result"]>]> {
  let summary = "RMS normalization over the trailing dimensions";
  let description = [{
    `y = x / sqrt(mean(x^2) + eps) * weight`, where the mean runs over the
    trailing dimensions given by `normalized_shape`, which must equal the
    input's trailing extents. `eps` defaults to 0 (the original Mirage has no
    eps). The optional `weight` has shape `normalized_shape` and scales the
    normalized value element-wise. No normalized extent may be 0: the mean
    over zero elements would divide by zero.

    Example:

    ```mlir
    %y = kernel.rms_norm %x over [4096] : tensor<2x4096xf16>
    %z = kernel.rms_norm %x weight %g over [4096] eps 1.0e-06
        : tensor<2x4096xf16>, tensor<4096xf16>
    ```
  }];
  let arguments = (ins Kernel_Tensor:$input, Optional<Kernel_Tensor>:$weight,
                       DenseI64ArrayAttr:$normalized_shape,
                       OptionalAttr<F64Attr>:$eps);
  let results = (outs Kernel_Tensor:$result);
  let assemblyFormat = [{
    $input (`weight` $weight^)? `over` $normalized_shape (`eps` $eps^)?
    attr-dict `:` type($input) (`,` type($weight)^)?
  }];
  let hasVerifier = 1;
}

def Kernel_ConcatOp : Kernel_Op<"concat",
    [Pure, InferTypeOpAdaptor]> {
  let summary = "concatenation along one dimension";
  let description = [{
    Concatenates two or more tensors of equal rank and element type along
    `dim`; all other extents must agree.

    Example:

    ```mlir
    %c = kernel.concat %a, %b dim 1 : tensor<16x256xf16>, tensor<16x16xf16>
    ```
  }];
  let arguments = (ins Variadic<Kernel_Tensor>:$inputs, I64Attr:$dim);
  let results = (outs Kernel_Tensor:$result);
  let assemblyFormat = "$inputs `dim` $dim attr-dict `:` type($inputs)";
}

//===----------------------------------------------------------------------===//
// Layout ops
//===----------------------------------------------------------------------===//

def Kernel_TransposeOp : Kernel_Op<"transpose",
    [Pure, InferTypeOpAdaptor]> {
  let summary = "permutation of the dimensions of a tensor";
  let description = [{
    `result[i] = input[j]` where `j[permutation[d]] = i[d]` for every `d`:
    result dimension `d` is input dimension `permutation[d]`, as in
    `linalg.transpose`. `permutation` is a permutation of `[0, rank)`. The
    values are copied exactly (no rounding).

    Example (K stored as [kv, d], used as [d, kv]):

    ```mlir
    %kt = kernel.transpose %k permutation [1, 0] : tensor<256x64xf16>
    ```
  }];
  let arguments = (ins Kernel_Tensor:$input,
                       DenseI64ArrayAttr:$permutation);
  let results = (outs Kernel_Tensor:$result);
  let assemblyFormat =
      "$input `permutation` $permutation attr-dict `:` type($input)";
}

def Kernel_ReshapeOp : Kernel_Op<"reshape", [Pure]> {
  let summary = "the elements of a tensor in a new shape";
  let description = [{
    Keeps the row-major order of the elements and changes the shape: the
    input and the result have the same element type and the same number of
    elements. It covers `tensor.collapse_shape`, `tensor.expand_shape` (of
    static shapes, where the reassociation follows from the shapes and does
    not change the meaning) and `tosa.reshape`. The values are copied
    exactly.

    Example:

    ```mlir
    %y = kernel.reshape %x : tensor<2x4096xf16> -> tensor<2x32x128xf16>
    ```
  }];
  let arguments = (ins Kernel_Tensor:$input);
  let results = (outs Kernel_Tensor:$result);
  let assemblyFormat =
      "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def Kernel_BroadcastOp : Kernel_Op<"broadcast", [Pure]> {
  let summary = "a tensor repeated along added dimensions";
  let description = [{
    As `linalg.broadcast`: `dimensions` (strictly increasing) are the
    result dimensions that the input does not have; the other result
    dimensions, in order, are the input's, with equal extents. Each result
    element is the input element at the result index with the added
    dimensions dropped. The element types are equal; the values are copied
    exactly.

    Example:

    ```mlir
    %y = kernel.broadcast %x dimensions [0] : tensor<64xf16> -> tensor<8x64xf16>
    ```
  }];
  let arguments = (ins Kernel_Tensor:$input, DenseI64ArrayAttr:$dimensions);
  let results = (outs Kernel_Tensor:$result);
  let assemblyFormat = [{
    $input `dimensions` $dimensions attr-dict `:` type($input) `->`
    type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Graph-defined kernels
//===----------------------------------------------------------------------===//

def Kernel_GraphDefinedOp : Kernel_Op<"graph_defined",
    [RecursiveMemoryEffects, IsolatedFromAbove, SingleBlock]> {
  let summary = "a kernel whose thread blocks run a block graph";
  let description = [{
    One GPU kernel launched on `grid` thread blocks of `block` threads. Its
    region is the block graph that every thread block executes: its
    arguments are the kernel's input tensors, input loaders (`block.loader`)
    cut them into tiles by their imap and for-loop dimension, the body runs
    `forloop` times with for-loop accumulators combining the iterations, and
    output savers (`block.saver`) write the accumulated tiles back to tensors
    by their omap. The terminator yields the saved tensors, which become the
    op's results. `dimx` is the extent that `reduction_to_dimx` and the
    `sum_to_dimx` accumulator reduce to (64 by default, as in Mirage).

    A kernel has at most 4096 thread blocks and at most 1024 threads per
    block. Its input and result tensors have no extent 0: blocks cut them
    into tiles, whose extents are all at least 1. Every `block.saver` is
    yielded exactly once, so each result is written by one saver.

    Example (RMSNorm followed by MatMul as one kernel):

    ```mlir
    %y = kernel.graph_defined (%x, %w) grid [256, 1, 1] block [128, 1, 1]
        forloop 32 : (tensor<2x4096xf16>, tensor<4096x6144xf16>)
        -> tensor<2x6144xf16> {
    ^bb0(%xd: tensor<2x4096xf16>, %wd: tensor<4096x6144xf16>):
      %xt = block.loader %xd imap [-1, -1, -1] fmap 1
          : tensor<2x4096xf16> -> !block.tile<2x128xf16, pre>
      %wt = block.loader %wd imap [1, -1, -1] fmap 0
          : tensor<4096x6144xf16> -> !block.tile<128x24xf16, pre>
      %rms = block.accum rms %xt
          : !block.tile<2x128xf16, pre> -> !block.tile<2x1xf16, post>
      %mm = block.matmul %xt, %wt
          : !block.tile<2x128xf16, pre>, !block.tile<128x24xf16, pre>
      %acc = block.accum none %mm
          : !block.tile<2x24xf16, pre> -> !block.tile<2x24xf16, post>
      %out = block.div %acc, %rms
          : !block.tile<2x24xf16, post>, !block.tile<2x1xf16, post>
      %saved = block.saver %out omap [1, -1, -1]
          : !block.tile<2x24xf16, post> -> tensor<2x6144xf16>
      block.yield %saved : tensor<2x6144xf16>
    }
    ```
  }];
  let arguments = (ins Variadic<Kernel_Tensor>:$inputs,
                       DenseI64ArrayAttr:$grid,
                       DenseI64ArrayAttr:$block,
                       I64Attr:$forloop_range,
                       DefaultValuedAttr<I64Attr, "64">:$reduction_dimx);
  let results = (outs Variadic<Kernel_Tensor>:$results);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    ` ` `(` $inputs `)` `grid` $grid `block` $block `forloop` $forloop_range
    (`dimx` $reduction_dimx^)? attr-dict `:` functional-type($inputs, $results)
    $body
  }];
  let hasVerifier = 1;
  let hasRegionVerifier = 1;
  let extraClassDeclaration = [{
    /// The launch configuration in the form the shape rules take.
    ::mirage::LaunchShape getLaunchShape();
  }];
}

#endif // MIRAGE_DIALECT_KERNEL_IR_KERNELOPS
