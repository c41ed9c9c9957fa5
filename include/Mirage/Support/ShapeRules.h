//===- ShapeRules.h - Shape rules of every μGraph op ------------*- C++ -*-===//
//
// The shape rules of kernel-, block- and thread-level operators, free of MLIR
// objects so that the op verifiers, the interpreter and the search enumerator
// all apply exactly the same rules. Every function either returns the result
// shape or an llvm::Error whose message is a complete sentence fragment that a
// caller can append to "op " in a diagnostic.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_SUPPORT_SHAPERULES_H
#define MIRAGE_SUPPORT_SHAPERULES_H

#include "Mirage/Support/Vocabulary.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>
#include <string>

namespace mirage {

using Shape = llvm::SmallVector<int64_t, 4>;

/// The number of grid axes (x, y, z) of a graph-defined kernel.
constexpr unsigned kNumGridAxes = 3;
/// Mirage's limit on the number of thread blocks of one kernel.
constexpr int64_t kMaxBlocksPerKernel = 4096;
/// Mirage's limit on the rank of a tensor.
constexpr unsigned kMaxRank = 4;
/// Map entry meaning "not mapped" (φ): replicate along that grid axis, or,
/// for a for-loop dimension, load the same tile in every iteration.
constexpr int64_t kReplicate = -1;

/// Formats a shape as `2x4096`.
std::string formatShape(llvm::ArrayRef<int64_t> shape);

/// Batched matmul: equal ranks >= 2, [..., m, k] x [..., k, n] -> [..., m, n];
/// batch dimensions must be equal (no broadcast).
llvm::Expected<Shape> inferMatmulShape(llvm::ArrayRef<int64_t> lhs,
                                       llvm::ArrayRef<int64_t> rhs);

/// The same rule without a diagnostic, for the search's inner loop: false
/// when the shapes do not fit.
bool tryInferMatmulShape(llvm::ArrayRef<int64_t> lhs,
                         llvm::ArrayRef<int64_t> rhs, Shape &result);

/// Element-wise broadcast: equal ranks, each pair of dims equal or one of them
/// 1; the result takes the per-dimension maximum.
llvm::Expected<Shape> inferBroadcastShape(llvm::ArrayRef<int64_t> lhs,
                                          llvm::ArrayRef<int64_t> rhs);

/// The same rule without a diagnostic, for the search's inner loop.
bool tryInferBroadcastShape(llvm::ArrayRef<int64_t> lhs,
                            llvm::ArrayRef<int64_t> rhs, Shape &result);

/// Strided sum reduction along `dim` to `size` elements (size 1 is a plain
/// sum): out[j] = sum_k in[j + k * size]; requires in[dim] % size == 0.
llvm::Expected<Shape> inferReductionShape(llvm::ArrayRef<int64_t> input,
                                          int64_t dim, int64_t size);

/// Concatenation along `dim`: equal ranks, all other dims equal.
llvm::Expected<Shape>
inferConcatShape(llvm::ArrayRef<llvm::ArrayRef<int64_t>> inputs, int64_t dim);

/// Transpose by `perm` (a permutation of [0, rank)): result dim i is input
/// dim perm[i].
llvm::Expected<Shape> inferTransposeShape(llvm::ArrayRef<int64_t> input,
                                          llvm::ArrayRef<int64_t> perm);

/// Reshape: the row-major order of the elements is kept, so `input` and
/// `result` must have the same number of elements (overflow-checked), and
/// no negative extent.
llvm::Error checkReshapeShape(llvm::ArrayRef<int64_t> input,
                              llvm::ArrayRef<int64_t> result);

/// Broadcast adding the result dims `added` (strictly increasing, in
/// [0, rank(result))): the other result dims, in order, are the input's.
llvm::Error checkBroadcastShape(llvm::ArrayRef<int64_t> input,
                                llvm::ArrayRef<int64_t> added,
                                llvm::ArrayRef<int64_t> result);

/// RMS normalization over the trailing dims `normalized`: they must match the
/// trailing dims of `input`.
llvm::Error checkRmsNormShape(llvm::ArrayRef<int64_t> input,
                              llvm::ArrayRef<int64_t> normalized);

/// The launch configuration of a graph-defined kernel.
struct LaunchShape {
  llvm::SmallVector<int64_t, 3> grid;  // x, y, z
  llvm::SmallVector<int64_t, 3> block; // x, y, z
  int64_t forloopRange = 1;
  int64_t reductionDimx = 64;

  int64_t numBlocks() const;
  int64_t numThreads() const;
};

/// Checks grid (3 positive entries, at most kMaxBlocksPerKernel blocks),
/// block dims (3 positive entries, at most 1024 threads), the for-loop range
/// and reduction dimx (positive).
llvm::Error checkLaunchShape(const LaunchShape &launch);

/// Checks an input map: one entry per grid axis, each a data dimension of a
/// rank-`rank` tensor or kReplicate, no data dimension mapped twice.
llvm::Error checkInputMap(llvm::ArrayRef<int64_t> imap, unsigned rank);

/// Checks an output map: as an input map, and in addition every grid axis with
/// more than one block maps to a data dimension, so that blocks write
/// disjoint tiles.
llvm::Error checkOutputMap(llvm::ArrayRef<int64_t> omap, unsigned rank,
                           llvm::ArrayRef<int64_t> grid);

/// The tile an input loader produces: the tensor dims, with dim imap[a]
/// divided by grid[a] for every grid axis a mapped to a dimension, and then
/// dim `forloopDim` (unless kReplicate) divided by the for-loop range. Every
/// division must be exact.
llvm::Expected<Shape> inferLoaderTileShape(llvm::ArrayRef<int64_t> tensor,
                                           llvm::ArrayRef<int64_t> imap,
                                           int64_t forloopDim,
                                           const LaunchShape &launch);

/// The tensor an output saver writes: the tile dims, with dim omap[a]
/// multiplied by grid[a] for every grid axis a mapped to a dimension.
llvm::Expected<Shape> inferSaverTensorShape(llvm::ArrayRef<int64_t> tile,
                                            llvm::ArrayRef<int64_t> omap,
                                            const LaunchShape &launch);

/// The shape of an accumulator's result for a tile of shape `input`.
llvm::Expected<Shape> inferAccumShape(AccumKind kind,
                                      llvm::ArrayRef<int64_t> input,
                                      int64_t reductionDimx);

/// The number of elements of a shape, saturated at INT64_MAX (and -1 for a
/// negative extent), so that an absurd shape fails every limit check instead
/// of wrapping to a small number. Use checkedNumElements where an overflow
/// must be reported.
int64_t numElements(llvm::ArrayRef<int64_t> shape);

/// The number of elements of a shape, or std::nullopt when an extent is
/// negative or the product overflows int64_t.
std::optional<int64_t> checkedNumElements(llvm::ArrayRef<int64_t> shape);

/// The number of bytes of a shape with `elementBytes`-byte elements (times
/// `lanes` values per element), or std::nullopt on a negative extent or an
/// overflow of int64_t.
std::optional<int64_t> checkedNumBytes(llvm::ArrayRef<int64_t> shape,
                                       int64_t elementBytes, int64_t lanes = 1);

/// Checks that a tensor or tile of `shape` with `elementBytes`-byte elements
/// can be addressed: every extent >= 0 and the size in bytes representable in
/// int64_t. The message names the shape and the element count.
llvm::Error checkAddressable(llvm::ArrayRef<int64_t> shape,
                             int64_t elementBytes);

/// The first zero extent of `shape`, if any.
std::optional<unsigned> findZeroExtent(llvm::ArrayRef<int64_t> shape);

/// `a + b` and `a * b` for sizes, or std::nullopt when the result overflows
/// int64_t (thin wrappers of llvm::checkedAdd/checkedMul for uint64_t byte
/// counts, which must stay within int64_t too).
std::optional<int64_t> checkedAddSize(int64_t a, int64_t b);
std::optional<int64_t> checkedMulSize(int64_t a, int64_t b);

/// Adds `bytes` to the running size `total`; false, leaving `total` as it
/// is, when `bytes` is missing (an overflow computing it) or the sum
/// overflows int64_t.
[[nodiscard]] bool addSizeTo(int64_t &total, std::optional<int64_t> bytes);

/// Formats a byte count exactly, with a binary unit for readability:
/// `17179869184 bytes (16 GiB)`.
std::string formatBytes(int64_t bytes);

} // namespace mirage

#endif // MIRAGE_SUPPORT_SHAPERULES_H
