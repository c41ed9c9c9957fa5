//===- Candidates.h - Launch and map candidates of the search ---*- C++ -*-===//
//
// The built-in generators of grids, imaps, fmaps, for-loop ranges and omaps
// that the enumerator tries for a graph-defined kernel (docs/Search.md). User
// lists replace the built-ins, as in Mirage.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_SEARCH_CANDIDATES_H
#define MIRAGE_SEARCH_CANDIDATES_H

#include "Mirage/Support/ShapeRules.h"

#include "llvm/ADT/StringRef.h"

#include <array>
#include <optional>
#include <vector>

namespace mirage {

using DimMap = std::array<int64_t, kNumGridAxes>;
using Grid = std::array<int64_t, kNumGridAxes>;

/// Search presets: each widens the search in the way a workload needs.
enum class Preset {
  None,
  /// Attention: two graph-defined kernels and the sum_to_dimx
  /// accumulator.
  Attention,
  /// MLPs: nothing beyond the defaults since the launch candidates come
  /// from the shapes (kept so that existing option strings parse).
  Mlp,
  /// LoRA: concat-then-matmul and graph-defined kernels of four inputs.
  Lora,
};

std::optional<Preset> parsePreset(llvm::StringRef name);
llvm::StringRef presetName(Preset preset);

struct CandidateLists {
  std::vector<Grid> grids;
  std::vector<DimMap> imaps;
  std::vector<DimMap> omaps;
  std::vector<int64_t> forloopRanges;
};

/// The fraction of a GPU of `numSMs` SMs that `blocks` equal blocks keep
/// busy over the waves they need: 1 for whole waves (132 or 264 blocks on
/// 132 SMs), 0.5 for 66 blocks or for 133.
double waveEfficiency(int64_t blocks, int64_t numSMs);

/// The grids to try for a kernel reading tensors of `shapes`, derived from
/// the shapes (docs/Search.md, "Launch candidates"): the block counts g of
/// grid x that divide an extent n of an input and leave each block one
/// index or a multiple of 8 (a tensor-core fragment), the three with the best
/// wave efficiency on `numSMs` SMs (at most 4 waves), and g = the extent itself
/// where that is at most 4 waves (one index per block: a row of a norm),
/// and the two block counts around `saturatingBlocks`, the fewest blocks
/// that draw the whole DRAM bandwidth (a replicated input is read once per
/// block, so the fewest blocks that saturate DRAM read least);
/// with inputs of one rank of at least 3, grids (b, g, 1) and (b, g1, g2)
/// over the common leading (batch) extent b in the same way. Promising
/// grids first: by wave efficiency, then fewer axes, then the grid;
/// (b, 1, 1) last. Deterministic.
std::vector<Grid> candidateGrids(llvm::ArrayRef<Shape> shapes, int64_t numSMs,
                                 int64_t saturatingBlocks,
                                 llvm::ArrayRef<Grid> user);

/// The per-input imap candidates: every structural map of the grid axes
/// onto the dimensions of a tensor (batch on x, splits on y and z).
std::vector<DimMap> candidateImaps(llvm::ArrayRef<DimMap> user);

/// Whether one imap per input is a usable combination on `grid`: no imap
/// maps an axis whose grid is 1, every mapped dimension exists and divides,
/// and no axis with more than one block is replicated by every input (the
/// blocks along it would all compute the same thing).
bool acceptImaps(const Grid &grid, llvm::ArrayRef<Shape> shapes,
                 llvm::ArrayRef<DimMap> imaps);

/// The for-loop dimensions to try for an input of `shape`: none (-1), or a
/// dimension of extent > 1.
std::vector<int64_t> candidateFmaps(llvm::ArrayRef<int64_t> shape);

/// The for-loop ranges that divide every looped dimension of the per-block
/// tiles `blockShapes` (fmap[i] the looped dim of input i, or -1; element
/// sizes `elementBytes`); {1} when no input loops. Derived from the shapes:
/// the powers of two r >= 2 dividing every looped extent, each looped tile
/// keeping at least 16 elements along its loop (a tensor-core k step), and
/// the loaders' tiles fitting `sharedMemoryBytes` with the looped ones
/// double-buffered; the kMaxForloopRanges smallest. A looped launch never
/// gets range 1 (even from `user`): one iteration is the launch without
/// loops, tried with every fmap -1.
inline constexpr unsigned kMaxForloopRanges = 4;
std::vector<int64_t>
candidateForloopRanges(llvm::ArrayRef<Shape> blockShapes,
                       llvm::ArrayRef<int64_t> fmaps,
                       llvm::ArrayRef<int64_t> elementBytes,
                       int64_t sharedMemoryBytes, llvm::ArrayRef<int64_t> user);

/// The omaps to try on `grid` for outputs of rank `rank`: every map of
/// exactly the axes whose grid is larger than 1 to distinct dimensions
/// (derived from the rank; user omaps first, in their order).
std::vector<DimMap> candidateOmaps(const Grid &grid, unsigned rank,
                                   llvm::ArrayRef<DimMap> user);

} // namespace mirage

#endif // MIRAGE_SEARCH_CANDIDATES_H
