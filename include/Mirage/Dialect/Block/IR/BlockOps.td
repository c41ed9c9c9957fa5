//===- BlockOps.td - Block-level μGraph operations ---------*- tablegen -*-===//

#ifndef MIRAGE_DIALECT_BLOCK_IR_BLOCKOPS
#define MIRAGE_DIALECT_BLOCK_IR_BLOCKOPS

include "Mirage/Dialect/Block/IR/BlockDialect.td"
include "Mirage/Dialect/Kernel/IR/KernelDialect.td"
include "Mirage/Support/Vocabulary.td"
include "Mirage/Dialect/Common/MirageTraits.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

// Every block op lives directly in the block graph of a graph-defined kernel.
class Block_Op<string mnemonic, list<Trait> traits = []>
    : Op<Block_Dialect, mnemonic,
         !listconcat(traits, [
           HasParent<"::mirage::kernel::GraphDefinedOp">,
           Mirage_NoUnknownAttributes,
           Mirage_AddressableTypes])>;

// Ops that compute their result in the storage of their operand, so they
// cost no shared memory of their own.
def Block_InPlace : NativeOpTrait<"InPlace"> {
  let cppNamespace = "::mirage::block";
}

//===----------------------------------------------------------------------===//
// Loaders and savers
//===----------------------------------------------------------------------===//

def Block_LoaderOp : Block_Op<"loader", [Pure]> {
  let summary = "input loader: the tile of a kernel input one block reads";
  let description = [{
    Reads, in every for-loop iteration, one tile of the kernel input
    `source` (an argument of the enclosing block graph).

    `imap` has one entry per grid axis (x, y, z): a data dimension of the
    source, which is split into contiguous equal chunks across the blocks
    along that axis, or -1 (φ), which replicates the source across that axis.
    `fmap` is the for-loop dimension: it is split further into `forloop`
    chunks, one per iteration; -1 loads the same tile in every iteration.

    The tile shape follows: the source dims, with dim `imap[a]` divided by
    `grid[a]` for every mapped axis, then dim `fmap` divided by the for-loop
    range; every division must be exact. The tile is `pre` accumulation.
    Block (bx, by, bz) in iteration i reads, along dim d, the elements from
    `b_a * T_d * (forloop if fmap == d else 1) + (i * T_d if fmap == d)`
    where `T_d` is the tile extent and `a` the axis mapped to d.

    Example (W 4096x6144 over grid [256, 1, 1], forloop 32):

    ```mlir
    %wt = block.loader %w imap [1, -1, -1] fmap 0
        : tensor<4096x6144xf16> -> !block.tile<128x24xf16, pre>
    ```
  }];
  let arguments = (ins Kernel_Tensor:$source, DenseI64ArrayAttr:$imap,
                       I64Attr:$fmap);
  let results = (outs Block_TileType:$tile);
  let assemblyFormat = [{
    $source `imap` $imap `fmap` $fmap attr-dict `:` type($source) `->`
    qualified(type($tile))
  }];
  let hasVerifier = 1;
}

// Not Pure: a saver writes its kernel's output, and two savers of one tile
// are two outputs, which cse must not merge into one.
def Block_SaverOp : Block_Op<"saver", [MemoryEffects<[MemWrite]>]> {
  let summary = "output saver: where a block's accumulated tile goes";
  let description = [{
    Writes the `post`-accumulation tile of every block to the kernel output
    tensor it produces. `omap` has one entry per grid axis: the output
    dimension along which the blocks of that axis lay their tiles side by
    side, or -1. Every grid axis with more than one block must be mapped, so
    that blocks write disjoint tiles and no cross-block reduction is implied.
    The output shape is the tile shape with dim `omap[a]` multiplied by
    `grid[a]` for every mapped axis. The saved tensor may only be yielded,
    and it must be yielded exactly once: a saver nobody yields would write
    memory that no result of the kernel owns, and one yielded twice would
    make two results alias one buffer (the verifier of the saver rejects
    both). The saver writes memory (it is not `Pure`), so `cse` never merges
    two savers of one tile into one.

    Example:

    ```mlir
    %y = block.saver %out omap [1, -1, -1]
        : !block.tile<2x24xf16, post> -> tensor<2x6144xf16>
    ```
  }];
  let arguments = (ins Block_TileType:$tile, DenseI64ArrayAttr:$omap);
  let results = (outs Kernel_Tensor:$result);
  let assemblyFormat = [{
    $tile `omap` $omap attr-dict `:` qualified(type($tile)) `->` type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Element-wise ops
//===----------------------------------------------------------------------===//

// InPlace when the vocabulary says the function computes in place.
class Block_UnaryOp<string mnemonic>
    : Block_Op<mnemonic, !listconcat([Pure, SameOperandsAndResultType],
          !if(!cast<MirageOpKindEntry>("MirageOp_" # mnemonic).inPlace,
              [Block_InPlace], []))> {
  let arguments = (ins Block_TileType:$input);
  let results = (outs Block_TileType:$result);
  let assemblyFormat = "$input attr-dict `:` qualified(type($input))";
}

foreach fn = MirageUnaryFunctions in {
  def Block_ # fn.cppName # Op : Block_UnaryOp<fn.mnemonic> {
    let summary = "element-wise " # fn.math # " of a tile";
    let description = "Computes `" # fn.math # "` for every element of "
      # "the tile, in place; the result has the operand's type, including "
      # "its accumulation state.\n\n"
      # "Example:\n\n```mlir\n%y = block." # fn.mnemonic
      # " %x : !block.tile<64x128xf16, pre>\n```\n";
  }
}

def Block_ClampOp : Block_UnaryOp<"clamp"> {
  let summary = "element-wise clamp of a tile to [min, max]";
  let description = [{
    Computes `min(max(x, min), max)` for every element; `min <= max`.

    Example:

    ```mlir
    %y = block.clamp %x min 0.0 max 6.0 : !block.tile<8x64xf16, pre>
    ```
  }];
  let arguments = (ins Block_TileType:$input, F64Attr:$min, F64Attr:$max);
  let assemblyFormat =
      "$input `min` $min `max` $max attr-dict `:` qualified(type($input))";
  let hasVerifier = 1;
}

def Block_ConstantOp : Block_Op<"constant", [Pure]> {
  let summary = "a tile whose elements all hold one float value";
  let description = [{
    The tile of a `kernel.constant`: every element holds `value`, a finite
    number exact in the tile's element type. It reads nothing and has no
    storage of its own: each thread computes it where it is read (a tile
    that a matmul reads is written once into a buffer). The default
    schedule puts one in the block graph of every kernel that reads a
    constant, in place of a loader of it, so that a constant is no read of
    device memory.

    Example:

    ```mlir
    %c = block.constant 1.0e-06 : !block.tile<1x1xf32, pre>
    ```
  }];
  let arguments = (ins F64Attr:$value);
  let results = (outs Block_TileType:$result);
  let assemblyFormat = "$value attr-dict `:` qualified(type($result))";
  let hasVerifier = 1;
}

def Block_MulScalarOp : Block_UnaryOp<"mul_scalar"> {
  let summary = "element-wise product of a tile with a constant";
  let description = [{
    Computes `x * scalar` for every element.

    Example:

    ```mlir
    %y = block.mul_scalar %x, 0.125 : !block.tile<64x64xf16, pre>
    ```
  }];
  let arguments = (ins Block_TileType:$input, F64Attr:$scalar);
  let assemblyFormat =
      "$input `,` $scalar attr-dict `:` qualified(type($input))";
}

def Block_CastOp : Block_Op<"cast", [Pure, SameOperandsAndResultShape]> {
  let summary = "element-wise conversion of a tile to another float type";
  let description = [{
    Rounds every element of the tile to the result's element type (f16,
    bf16 or f32), to nearest, ties to even, as `kernel.cast` does. The
    result has the input's shape and accumulation state; it has storage of
    its own (it may be wider than the input).

    Example:

    ```mlir
    %y = block.cast %x : !block.tile<64x64xf16, pre> to !block.tile<64x64xf32, pre>
    ```
  }];
  let arguments = (ins Block_TileType:$input);
  let results = (outs Block_TileType:$result);
  let assemblyFormat =
      "$input attr-dict `:` qualified(type($input)) `to` qualified(type($result))";
  let hasVerifier = 1;
}

class Block_BinaryOp<string mnemonic>
    : Block_Op<mnemonic, [Pure, InferTypeOpAdaptor]> {
  let arguments = (ins Block_TileType:$lhs, Block_TileType:$rhs);
  let results = (outs Block_TileType:$result);
  // One inference for every binary function (BlockOps.cpp).
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *, std::optional<::mlir::Location> location,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &inferred) {
      return inferBinaryResult(location, getOperationName(), adaptor.getLhs(),
                               adaptor.getRhs(), inferred);
    }
  }];
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` qualified(type($lhs)) `,`
    qualified(type($rhs))
  }];
}

foreach fn = MirageBinaryFunctions in {
  def Block_ # fn.cppName # Op : Block_BinaryOp<fn.mnemonic> {
    let summary = "element-wise " # fn.math # " of two tiles";
    let description = "Computes `" # fn.math # "` element by element with "
      # "the kernel level's broadcast rule (equal ranks; every pair of "
      # "extents equal or one of them 1). Both operands have the same "
      # "element type and accumulation state.\n\n"
      # "Example:\n\n```mlir\n%y = block." # fn.mnemonic
      # " %a, %b : !block.tile<2x24xf16, post>, !block.tile<2x1xf16, post>"
      # "\n```\n";
  }
}

//===----------------------------------------------------------------------===//
// Matmuls
//===----------------------------------------------------------------------===//

def Block_MatmulOp : Block_Op<"matmul", [Pure, InferTypeOpAdaptor]> {
  let summary = "matrix product of two tiles";
  let description = [{
    `[m, k] x [k, n] -> [m, n]` on the last two dims. A rank-3 tile may be
    batched (`[b, m, k] x [b, k, n] -> [b, m, n]`, batch by batch: the
    experts of a mixture of experts); the leading dims of a rank-4 tile must
    be 1. Both operands have the same element type and accumulation state,
    which the result keeps.

    Example:

    ```mlir
    %s = block.matmul %q, %k
        : !block.tile<1x64x64xf16, pre>, !block.tile<1x64x128xf16, pre>
    ```
  }];
  let arguments = (ins Block_TileType:$lhs, Block_TileType:$rhs);
  let results = (outs Block_TileType:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` qualified(type($lhs)) `,`
    qualified(type($rhs))
  }];
}

def Block_ConcatMatmulOp : Block_Op<"concat_matmul",
    [Pure, InferTypeOpAdaptor]> {
  let summary = "matmul of two concatenations: [A1|A2] x [B1;B2]";
  let description = [{
    Computes `A1 x B1 + A2 x B2`, the product of `A1` and `A2` concatenated
    along their last dim with `B1` and `B2` concatenated along their
    second-to-last dim, without materializing either concatenation (LoRA's
    `X W + (X A) B`). All four operands share element type and accumulation
    state; both partial products must have the same shape.

    Example:

    ```mlir
    %y = block.concat_matmul %x, %xa, %w, %b
        : !block.tile<16x64xf16, pre>, !block.tile<16x16xf16, pre>,
          !block.tile<64x64xf16, pre>, !block.tile<16x64xf16, pre>
    ```
  }];
  let arguments = (ins Block_TileType:$lhs1, Block_TileType:$lhs2,
                       Block_TileType:$rhs1, Block_TileType:$rhs2);
  let results = (outs Block_TileType:$result);
  let assemblyFormat = [{
    $lhs1 `,` $lhs2 `,` $rhs1 `,` $rhs2 attr-dict `:`
    qualified(type($lhs1)) `,` qualified(type($lhs2)) `,`
    qualified(type($rhs1)) `,` qualified(type($rhs2))
  }];
}

//===----------------------------------------------------------------------===//
// Reductions and normalization
//===----------------------------------------------------------------------===//

def Block_ReductionOp : Block_Op<"reduction", [Pure, InferTypeOpAdaptor]> {
  let summary = "sum of a tile along one dimension";
  let description = [{
    Sums dimension `dim` of the tile, which becomes 1. The accumulation state
    is kept.

    Example:

    ```mlir
    %s = block.reduction %e dim 2 : !block.tile<1x64x128xf16, pre>
    ```
  }];
  let arguments = (ins Block_TileType:$input, I64Attr:$dim);
  let results = (outs Block_TileType:$result);
  let assemblyFormat =
      "$input `dim` $dim attr-dict `:` qualified(type($input))";
}

def Block_ReductionToDimxOp : Block_Op<"reduction_to_dimx", [Pure]> {
  let summary = "strided sum of a tile along one dimension down to dimx";
  let description = [{
    Reduces dimension `dim` to the kernel's `dimx` elements by a strided sum,
    `out[..., j, ...] = sum_k in[..., j + k * dimx, ...]`; the extent must be
    a multiple of dimx. The accumulation state is kept.

    Example (dimx 64):

    ```mlir
    %r = block.reduction_to_dimx %p dim 2
        : !block.tile<1x16x512xf16, pre> -> !block.tile<1x16x64xf16, pre>
    ```
  }];
  let arguments = (ins Block_TileType:$input, I64Attr:$dim);
  let results = (outs Block_TileType:$result);
  let assemblyFormat = [{
    $input `dim` $dim attr-dict `:` qualified(type($input)) `->`
    qualified(type($result))
  }];
  let hasVerifier = 1;
}

def Block_RunningMaxOp : Block_Op<"running_max", [Pure, InferTypeOpAdaptor]> {
  let summary = "running maximum along one dimension across iterations";
  let description = [{
    For online softmax. In iteration i, with `m_i = max(m_{i-1},
    max_dim x_i)` (and `m_{-1} = -inf`), yields `max = m_i` and
    `diff = m_{i-1} - m_i` (0 in the first iteration), both with dimension
    `dim` reduced to 1. `exp(diff)` is the factor that rescales what was
    accumulated under the old maximum (see `block.accum rescale`). The input
    must be `pre` accumulation and so are both results.

    Example:

    ```mlir
    %m, %d = block.running_max %s dim 2 : !block.tile<1x64x128xf32, pre>
    ```
  }];
  let arguments = (ins Block_TileType:$input, I64Attr:$dim);
  let results = (outs Block_TileType:$max, Block_TileType:$diff);
  let assemblyFormat =
      "$input `dim` $dim attr-dict `:` qualified(type($input))";
}

def Block_RmsNormOp : Block_Op<"rms_norm", [Pure, SameOperandsAndResultType]> {
  let summary = "RMS normalization of a tile over its last dimension";
  let description = [{
    `x / sqrt(mean(x^2) + eps)` with the mean over the last dimension of the
    tile; `eps` defaults to 0, which is Mirage's block-level rms_norm.

    Example:

    ```mlir
    %y = block.rms_norm %x : !block.tile<8x4096xf16, pre>
    %z = block.rms_norm %x eps 1.0e-06 : !block.tile<8x4096xf16, pre>
    ```
  }];
  let arguments = (ins Block_TileType:$input, OptionalAttr<F64Attr>:$eps);
  let results = (outs Block_TileType:$result);
  let assemblyFormat =
      "$input (`eps` $eps^)? attr-dict `:` qualified(type($input))";
  let hasVerifier = 1;
}

def Block_ConcatOp : Block_Op<"concat", [Pure, InferTypeOpAdaptor]> {
  let summary = "concatenation of two tiles along one dimension";
  let description = [{
    Concatenates two tiles of equal rank, element type and accumulation
    state along `dim`; all other extents must agree.

    Example:

    ```mlir
    %c = block.concat %a, %b dim 1
        : !block.tile<16x64xf16, pre>, !block.tile<16x16xf16, pre>
    ```
  }];
  let arguments = (ins Block_TileType:$lhs, Block_TileType:$rhs, I64Attr:$dim);
  let results = (outs Block_TileType:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs `dim` $dim attr-dict `:` qualified(type($lhs)) `,`
    qualified(type($rhs))
  }];
}

//===----------------------------------------------------------------------===//
// Layout ops
//===----------------------------------------------------------------------===//

def Block_TransposeOp : Block_Op<"transpose", [Pure, InferTypeOpAdaptor]> {
  let summary = "permutation of the dimensions of a tile";
  let description = [{
    `kernel.transpose` on a tile: result dimension `d` is input dimension
    `permutation[d]`. The accumulation state is kept; the result is a new
    tile.

    Example:

    ```mlir
    %t = block.transpose %k permutation [1, 0] : !block.tile<64x64xf16, pre>
    ```
  }];
  let arguments = (ins Block_TileType:$input, DenseI64ArrayAttr:$permutation);
  let results = (outs Block_TileType:$result);
  let assemblyFormat = [{
    $input `permutation` $permutation attr-dict `:` qualified(type($input))
  }];
}

def Block_ReshapeOp : Block_Op<"reshape", [Pure]> {
  let summary = "the elements of a tile in a new shape";
  let description = [{
    `kernel.reshape` on a tile: the row-major order of the elements is kept.
    Element type, element count and accumulation state are equal.

    Example:

    ```mlir
    %r = block.reshape %x
        : !block.tile<2x128xf16, pre> -> !block.tile<2x2x64xf16, pre>
    ```
  }];
  let arguments = (ins Block_TileType:$input);
  let results = (outs Block_TileType:$result);
  let assemblyFormat = [{
    $input attr-dict `:` qualified(type($input)) `->` qualified(type($result))
  }];
  let hasVerifier = 1;
}

def Block_BroadcastOp : Block_Op<"broadcast", [Pure]> {
  let summary = "a tile repeated along added dimensions";
  let description = [{
    `kernel.broadcast` on a tile: `dimensions` are the result dimensions
    the input does not have. Element type and accumulation state are equal.

    Example:

    ```mlir
    %b = block.broadcast %x dimensions [0]
        : !block.tile<64xf16, pre> -> !block.tile<4x64xf16, pre>
    ```
  }];
  let arguments = (ins Block_TileType:$input, DenseI64ArrayAttr:$dimensions);
  let results = (outs Block_TileType:$result);
  let assemblyFormat = [{
    $input `dimensions` $dimensions attr-dict `:` qualified(type($input))
    `->` qualified(type($result))
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// For-loop accumulators
//===----------------------------------------------------------------------===//

def Block_AccumOp : Block_Op<"accum", [Pure]> {
  let summary = "for-loop accumulator: combines a value over all iterations";
  let description = [{
    Takes a `pre`-accumulation tile, a value of one for-loop iteration, and
    yields a `post`-accumulation tile that combines all iterations. With
    `forloop` = F iterations and last dimension L:

    | kind          | result                                             |
    |---------------|----------------------------------------------------|
    | `none`        | element-wise sum over iterations                   |
    | `sum`         | also sums the last dim, which becomes 1            |
    | `mean`        | that sum divided by F * L                          |
    | `rms`         | sqrt(sum of squares / (F * L)); last dim becomes 1 |
    | `sum_to_dimx` | last dim reduced to dimx by strided sum, then summed |
    | `rescale`     | acc = acc * scale + x, element-wise (acc starts at 0) |
    | `max`         | element-wise maximum over iterations               |

    `rescale` takes a second `pre` operand, `scale`, which broadcasts to the
    input (typically `exp(diff)` of a `block.running_max`); the other kinds
    take none.

    Examples:

    ```mlir
    %r = block.accum rms %x
        : !block.tile<2x128xf16, pre> -> !block.tile<2x1xf16, post>
    %o = block.accum rescale %pv, %f
        : !block.tile<64x64xf32, pre>, !block.tile<64x1xf32, pre>
        -> !block.tile<64x64xf32, post>
    ```
  }];
  let arguments = (ins MirageAccumKind:$kind, Block_TileType:$input,
                       Optional<Block_TileType>:$scale);
  let results = (outs Block_TileType:$result);
  let assemblyFormat = [{
    $kind $input (`,` $scale^)? attr-dict `:` qualified(type($input))
    (`,` qualified(type($scale))^)? `->` qualified(type($result))
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Terminator
//===----------------------------------------------------------------------===//

def Block_YieldOp : Block_Op<"yield", [Pure, Terminator, ReturnLike]> {
  let summary = "ends a block graph, yielding the saved output tensors";
  let description = [{
    Terminates the block graph of a `kernel.graph_defined` op. Every operand
    is the result of a `block.saver`; they become, in order, the results of
    the enclosing kernel.

    Example:

    ```mlir
    block.yield %y : tensor<2x6144xf16>
    ```
  }];
  let arguments = (ins Variadic<Kernel_Tensor>:$values);
  let assemblyFormat = "($values^ `:` type($values))? attr-dict";
  let hasVerifier = 1;
}

#endif // MIRAGE_DIALECT_BLOCK_IR_BLOCKOPS
