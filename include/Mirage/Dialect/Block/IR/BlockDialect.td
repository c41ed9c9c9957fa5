//===- BlockDialect.td - The block level of a μGraph -------*- tablegen -*-===//

#ifndef MIRAGE_DIALECT_BLOCK_IR_BLOCKDIALECT
#define MIRAGE_DIALECT_BLOCK_IR_BLOCKDIALECT

include "Mirage/Support/AccumKind.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/BuiltinTypeInterfaces.td"
include "mlir/IR/BuiltinTypes.td"
include "mlir/IR/EnumAttr.td"
include "mlir/IR/OpBase.td"

def Block_Dialect : Dialect {
  let name = "block";
  let cppNamespace = "::mirage::block";
  let summary = "The block level of a μGraph: what one thread block of a "
                "graph-defined kernel computes";
  let description = [{
    A block graph lives in the region of a `kernel.graph_defined` op and
    describes the work of one thread block. Input loaders cut the kernel's
    input tensors into tiles (by an imap over the grid and a for-loop
    dimension), the body is executed `forloop` times, for-loop accumulators
    combine the iterations, ops after the accumulators run once, and output
    savers write the resulting tiles to the kernel's output tensors by an omap.

    Values are tiles (`!block.tile`), which carry their shape, element type
    and accumulation state: `pre` for values computed in every iteration of
    the for-loop, `post` for values produced by an accumulator or computed
    from such values after the loop. The state makes the structural rules of
    a block graph type rules: only `pre` tiles enter an accumulator, only
    `post` tiles reach a saver, and the operands of every binary op agree.
  }];
  let useDefaultTypePrinterParser = 1;
}

def Block_TileType : TypeDef<Block_Dialect, "Tile",
    [ShapedTypeInterface, ValueSemantics]> {
  let mnemonic = "tile";
  let summary = "a tile held by one thread block";
  let description = [{
    A statically shaped tile of rank 1 to 4, every extent at least 1 and at
    most 2^63 - 1 bytes in all, with `f16`, `bf16` or `f32` elements, held by one thread block in shared memory or registers, and its
    accumulation state: `pre` (a value of one for-loop iteration) or `post`
    (a value after the for-loop accumulation).

    ```mlir
    !block.tile<2x128xf16, pre>
    !block.tile<2x24xf16, post>
    ```
  }];
  let parameters = (ins ArrayRefParameter<"int64_t">:$shape,
                        "::mlir::Type":$elementType,
                        "bool":$accumulated);
  let builders = [
    TypeBuilderWithInferredContext<(ins "::llvm::ArrayRef<int64_t>":$shape,
                                        "::mlir::Type":$elementType,
                                        "bool":$accumulated), [{
      return $_get(elementType.getContext(), shape, elementType, accumulated);
    }]>
  ];
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// Tiles are always ranked.
    bool hasRank() const { return true; }

    /// The same tile with another shape and element type; the accumulation
    /// state is kept.
    TileType cloneWith(std::optional<::llvm::ArrayRef<int64_t>> shape,
                       ::mlir::Type elementType) const {
      return get(shape.value_or(getShape()), elementType, getAccumulated());
    }

    /// The same tile with another shape.
    TileType withShape(::llvm::ArrayRef<int64_t> shape) const {
      return get(shape, getElementType(), getAccumulated());
    }

    /// The same tile in the given accumulation state.
    TileType withAccumulated(bool accumulated) const {
      return get(getShape(), getElementType(), accumulated);
    }

    /// The size of the tile in bytes.
    int64_t getSizeInBytes() const;
  }];
}


#endif // MIRAGE_DIALECT_BLOCK_IR_BLOCKDIALECT
