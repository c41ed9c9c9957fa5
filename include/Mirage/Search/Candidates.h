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
  /// Attention: two graph-defined kernels, the sum_to_dimx accumulator,
  /// 2-D grids over (batch, splits), and no fully replicated imaps (rows
  /// over grid x, the one-kernel softmax's, stay).
  Attention,
  /// MLPs: for-loop ranges {4, 8, 16, 32, 64}, and 1-D grids that give each
  /// block 16 to 128 columns of every large operand dimension.
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

/// The grids to try for a kernel reading tensors of `shapes`.
std::vector<Grid> candidateGrids(llvm::ArrayRef<Shape> shapes, Preset preset,
                                 llvm::ArrayRef<Grid> user);

/// The per-input imap candidates.
std::vector<DimMap> candidateImaps(Preset preset, llvm::ArrayRef<DimMap> user);

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
/// tiles `blockShapes` (fmap[i] the looped dim of input i, or -1); {1} when
/// no input loops. A looped launch never gets range 1 (even from `user`):
/// one iteration is the launch without loops, tried with every fmap -1.
std::vector<int64_t> candidateForloopRanges(llvm::ArrayRef<Shape> blockShapes,
                                            llvm::ArrayRef<int64_t> fmaps,
                                            Preset preset,
                                            llvm::ArrayRef<int64_t> user);

/// The omaps to try on `grid` for outputs of rank `rank`: each maps exactly
/// the axes whose grid is larger than 1, to distinct dimensions.
std::vector<DimMap> candidateOmaps(const Grid &grid, unsigned rank,
                                   llvm::ArrayRef<DimMap> user);

} // namespace mirage

#endif // MIRAGE_SEARCH_CANDIDATES_H
