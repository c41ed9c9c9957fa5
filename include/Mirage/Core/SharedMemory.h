//===- SharedMemory.h - The one shared-memory accounting --------*- C++ -*-===//
//
// How much shared memory one block of a graph-defined kernel takes, as the
// code generator lays it out (docs/CostModel.md, "Shared memory"). One
// accounting serves the search (which tiles fit), the cost model (a block
// that does not fit cannot run; copies that cannot be double-buffered do not
// overlap compute), --mirage-check-limits and the GPU mapping
// (--mirage-map-to-gpu), which places the real buffers with the same storage
// shapes and the same placement:
//
//  * a tile gets a buffer when the lowering stores it (matmul operands, the
//    results of matmuls, reductions, rms_norm, concat, running_max and
//    accumulators, element-wise values read more than once; loaders and
//    element-wise values read once are computed where they are read);
//  * matmul results, and values on their way to an accumulator, are held in
//    f32; rms_norm keeps one f32 per row of its input;
//  * tensor-core matmuls pad their operands' rows and columns to the
//    fragment sizes; a leading dimension of an even number of 16-byte chunks
//    is padded by 16 bytes (bank conflicts);
//  * a looped loader whose tile a matmul reads is filled by a double-buffered
//    asynchronous copy (two stages) when the loop runs at least twice;
//  * every buffer starts at a multiple of 16 bytes.
//
// MLIR-free: only LLVM's support library.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_CORE_SHAREDMEMORY_H
#define MIRAGE_CORE_SHAREDMEMORY_H

#include "Mirage/Core/UGraph.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace mirage {

/// Every shared buffer starts at a multiple of this many bytes: what 16-byte
/// vector accesses, ldmatrix rows and cp.async need.
inline constexpr int64_t kSharedMemoryAlignment = 16;
/// The mma.sync m16n8k16 fragment: rows of A and C, columns of B and C, and
/// the reduction extent a tensor-core matmul needs a multiple of.
inline constexpr int64_t kMmaM = 16, kMmaN = 8, kMmaK = 16;
inline constexpr int64_t kThreadsPerWarp = 32;

/// One buffer in shared memory.
struct SharedTile {
  /// The logical shape of the tile.
  llvm::SmallVector<int64_t, 4> shape;
  int64_t elementBytes = 2;
  /// The last two dimensions are padded to multiples of these (tensor
  /// cores).
  int64_t rowMultiple = 1, colMultiple = 1;
  /// Two for a buffer filled by a double-buffered copy.
  int64_t stages = 1;
  /// Live range: the positions of its first and last use. Buffers whose
  /// ranges overlap never share bytes.
  int64_t first = 0, last = 0;
};

/// The storage shape of a tile: the last two dimensions rounded up to
/// `rowMultiple` and `colMultiple`, and the leading dimension padded by 16
/// bytes when a row is an even number of 16-byte chunks (then the 8 rows an
/// ldmatrix or a column of threads reads fall into distinct banks).
llvm::SmallVector<int64_t, 4> sharedStorageShape(llvm::ArrayRef<int64_t> shape,
                                                 int64_t elementBytes,
                                                 int64_t rowMultiple,
                                                 int64_t colMultiple);

/// The bytes of one stage of `tile`'s storage; nullopt when that overflows.
std::optional<int64_t> sharedStorageBytes(const SharedTile &tile);

/// Where each stage of each tile lives, and the bytes of shared memory the
/// block needs (a multiple of kSharedMemoryAlignment, saturated at INT64_MAX
/// rather than wrapping).
struct SharedLayout {
  std::vector<llvm::SmallVector<int64_t, 2>> offsets;
  int64_t bytes = 0;
};

/// Places `tiles`: first fit, largest first (ties in the given order), each
/// stage at the lowest aligned offset where it overlaps no placed tile whose
/// live range meets its own. Deterministic.
SharedLayout placeSharedTiles(llvm::ArrayRef<SharedTile> tiles);

/// What the code generator may use (the defaults of --mirage-map-to-gpu).
struct SharedMemoryOptions {
  bool tensorCores = true;
  bool asyncCopy = true;
};

/// The shared memory one block of `graph` needs.
struct BlockSharedMemory {
  /// With every copy single-buffered: the least the kernel needs to run.
  int64_t bytes = 0;
  /// With the double-buffered copies the lowering uses when they fit (equal
  /// to `bytes` when no copy is double-buffered).
  int64_t pipelinedBytes = 0;
};

/// The buffers the lowering allocates for `graph`, with their padding and
/// stages (`doubleBuffer`: whether looped matmul operands get two). Live
/// ranges are not predicted: every buffer is taken as live throughout, so
/// the placement is an upper bound of what the GPU mapping (which reuses the
/// buffers of dead tiles) places.
std::vector<SharedTile> sharedTilesOf(const BlockGraph &graph,
                                      const SharedMemoryOptions &options,
                                      bool doubleBuffer);

/// The one accounting of a block's shared memory (see the file comment).
BlockSharedMemory blockSharedMemory(const BlockGraph &graph,
                                    const SharedMemoryOptions &options = {});

} // namespace mirage

#endif // MIRAGE_CORE_SHAREDMEMORY_H
