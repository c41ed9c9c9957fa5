//===- Candidates.cpp - Launch and map candidates of the search -*- C++ -*-===//

#include "Mirage/Search/Candidates.h"
#include "Mirage/Core/SharedMemory.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SetVector.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <set>

using namespace mirage;

static constexpr int64_t X = kReplicate; // φ, in the tables below

std::optional<Preset> mirage::parsePreset(llvm::StringRef name) {
  if (name.empty() || name == "none")
    return Preset::None;
  if (name == "attention")
    return Preset::Attention;
  if (name == "mlp")
    return Preset::Mlp;
  if (name == "lora")
    return Preset::Lora;
  return std::nullopt;
}

llvm::StringRef mirage::presetName(Preset preset) {
  switch (preset) {
  case Preset::None:
    return "none";
  case Preset::Attention:
    return "attention";
  case Preset::Mlp:
    return "mlp";
  case Preset::Lora:
    return "lora";
  }
  llvm_unreachable("unknown preset");
}

static int64_t blocksOf(const Grid &grid) {
  return grid[0] * grid[1] * grid[2];
}

double mirage::waveEfficiency(int64_t blocks, int64_t numSMs) {
  if (blocks <= 0 || numSMs <= 0)
    return 0;
  int64_t waves = blocks / numSMs + (blocks % numSMs != 0);
  return static_cast<double>(blocks) / static_cast<double>(waves * numSMs);
}

/// The block counts to try along one axis for an extent `n`, when the other
/// axes already have `factor` blocks: the divisors g > 1 of n whose
/// g * factor blocks fit in `maxBlocks` and leave each block one index or
/// a multiple of 8, the kBestCounts with the best wave
/// efficiency (the fewer blocks first among equals: replicated inputs are
/// loaded once per block), the two around `saturatingBlocks` (the fewest
/// blocks that draw the whole DRAM bandwidth: a kernel that replicates an
/// input over its blocks reads it once per block, so it reads least with
/// the fewest blocks that still saturate DRAM), and n itself where it fits
/// (one index per block).
static std::vector<int64_t> blockCounts(int64_t n, int64_t factor,
                                        int64_t maxBlocks, int64_t numSMs,
                                        int64_t saturatingBlocks) {
  constexpr size_t kBestCounts = 3;
  std::vector<int64_t> divisors;
  // Only divisors that fit are wanted: no factoring of huge extents.
  // Each block keeps one index of the dimension (a row of a norm, a head)
  // or a multiple of kMmaN: a narrower tile pads to a tensor-core fragment
  // and wastes it.
  for (int64_t g = 2; g <= n && g * factor <= maxBlocks; ++g)
    if (n % g == 0 && (n / g == 1 || (n / g) % kMmaN == 0))
      divisors.push_back(g);
  std::vector<int64_t> best = divisors;
  llvm::stable_sort(best, [&](int64_t x, int64_t y) {
    return waveEfficiency(x * factor, numSMs) >
           waveEfficiency(y * factor, numSMs);
  });
  if (best.size() > kBestCounts)
    best.resize(kBestCounts);
  auto addCount = [&](int64_t g) {
    if (!llvm::is_contained(best, g))
      best.push_back(g);
  };
  // The divisors just below and just above saturation (divisors ascend).
  auto above = llvm::find_if(
      divisors, [&](int64_t g) { return g * factor >= saturatingBlocks; });
  if (above != divisors.begin())
    addCount(*std::prev(above));
  if (above != divisors.end())
    addCount(*above);
  if (!divisors.empty() && divisors.back() == n)
    addCount(n);
  return best;
}

std::vector<Grid> mirage::candidateGrids(llvm::ArrayRef<Shape> shapes,
                                         int64_t numSMs,
                                         int64_t saturatingBlocks,
                                         llvm::ArrayRef<Grid> user) {
  if (!user.empty())
    return std::vector<Grid>(user.begin(), user.end());
  numSMs = std::max<int64_t>(numSMs, 1);
  int64_t maxBlocks = std::min<int64_t>(kMaxBlocksPerKernel, 4 * numSMs);
  std::set<Grid> seen;
  std::vector<Grid> grids;
  auto add = [&](Grid grid) {
    if (seen.insert(grid).second)
      grids.push_back(grid);
  };
  std::set<int64_t> extents, innerExtents;
  for (const Shape &shape : shapes)
    for (auto [d, n] : llvm::enumerate(shape)) {
      if (n <= 1)
        continue;
      extents.insert(n);
      if (d > 0)
        innerExtents.insert(n);
    }
  for (int64_t n : extents)
    for (int64_t g : blockCounts(n, 1, maxBlocks, numSMs, saturatingBlocks))
      add({g, 1, 1});
  // Batched inputs (one rank of at least 3, one leading extent b): the
  // batch on grid x, splits of the other dimensions on y and z.
  bool batched = !shapes.empty() && shapes.front().size() >= 3 &&
                 llvm::all_of(shapes, [&](const Shape &s) {
                   return s.size() == shapes.front().size() &&
                          s.front() == shapes.front().front();
                 });
  int64_t batch =
      shapes.empty() || shapes.front().empty() ? 1 : shapes.front().front();
  if (batched && batch >= 1 && batch <= maxBlocks) {
    for (int64_t n : innerExtents)
      for (int64_t g :
           blockCounts(n, batch, maxBlocks, numSMs, saturatingBlocks))
        add({batch, g, 1});
    for (int64_t n1 : innerExtents)
      for (int64_t g1 :
           blockCounts(n1, batch, maxBlocks / 2, numSMs, saturatingBlocks))
        for (int64_t n2 : innerExtents)
          for (int64_t g2 :
               blockCounts(n2, batch * g1, maxBlocks, numSMs, saturatingBlocks))
            add({batch, g1, g2});
  }
  // Promising first: whole waves, then fewer axes, then fewer blocks.
  auto axes = [](const Grid &g) {
    return (g[0] > 1) + (g[1] > 1) + (g[2] > 1);
  };
  llvm::stable_sort(grids, [&](const Grid &x, const Grid &y) {
    double ex = waveEfficiency(blocksOf(x), numSMs);
    double ey = waveEfficiency(blocksOf(y), numSMs);
    if (ex != ey)
      return ex > ey;
    if (axes(x) != axes(y))
      return axes(x) < axes(y);
    if (blocksOf(x) != blocksOf(y))
      return blocksOf(x) < blocksOf(y);
    return x < y;
  });
  // One block per batch entry (or one block), whatever its efficiency.
  if (batch >= 1 && batch <= maxBlocks && !seen.count({batch, 1, 1}))
    grids.push_back({batch, 1, 1});
  return grids;
}

std::vector<DimMap> mirage::candidateImaps(llvm::ArrayRef<DimMap> user) {
  if (!user.empty())
    return std::vector<DimMap>(user.begin(), user.end());
  // Structural maps: the batch (dimension 0) on x, rows or columns split
  // along y and z, or replicated; 1-D grids split dimension 0 or 1 along x.
  return {{X, X, X}, {1, X, X}, {0, X, X}, {0, X, 1}, {0, 1, X},
          {0, 2, X}, {X, 1, X}, {X, 2, X}, {X, 2, 1}, {X, X, 1}};
}

bool mirage::acceptImaps(const Grid &grid, llvm::ArrayRef<Shape> shapes,
                         llvm::ArrayRef<DimMap> imaps) {
  for (auto [shape, imap] : llvm::zip_equal(shapes, imaps)) {
    for (unsigned a = 0; a < kNumGridAxes; ++a) {
      int64_t d = imap[a];
      if (d == X)
        continue;
      // grid[a] < 1 never comes from the enumeration, but would divide by
      // zero below.
      if (grid[a] <= 1 || d >= static_cast<int64_t>(shape.size()) ||
          shape[d] % grid[a] != 0)
        return false;
      for (unsigned b = 0; b < a; ++b)
        if (imap[b] == d)
          return false;
    }
  }
  for (unsigned a = 0; a < kNumGridAxes; ++a)
    if (grid[a] > 1 &&
        llvm::all_of(imaps, [&](const DimMap &imap) { return imap[a] == X; }))
      return false;
  return true;
}

std::vector<int64_t> mirage::candidateFmaps(llvm::ArrayRef<int64_t> shape) {
  std::vector<int64_t> fmaps = {X};
  for (int64_t d = 0, e = std::min<int64_t>(shape.size(), 3); d < e; ++d)
    if (shape[d] > 1)
      fmaps.push_back(d);
  return fmaps;
}

std::vector<int64_t> mirage::candidateForloopRanges(
    llvm::ArrayRef<Shape> blockShapes, llvm::ArrayRef<int64_t> fmaps,
    llvm::ArrayRef<int64_t> elementBytes, int64_t sharedMemoryBytes,
    llvm::ArrayRef<int64_t> user) {
  bool loops = llvm::any_of(fmaps, [](int64_t f) { return f != X; });
  if (!loops)
    return {1};
  // The common extent of the looped dimensions bounds the range.
  int64_t limit = std::numeric_limits<int64_t>::max();
  for (auto [shape, fmap] : llvm::zip_equal(blockShapes, fmaps))
    if (fmap != X)
      limit = std::min(limit, shape[fmap]);
  std::vector<int64_t> ranges(user.begin(), user.end());
  if (ranges.empty())
    for (int64_t r = 2; r <= limit / 2; r *= 2)
      ranges.push_back(r);
  // The loaders' tiles at range r: looped ones shrink by r and are
  // double-buffered.
  auto fits = [&](int64_t range) {
    std::optional<int64_t> total = 0;
    for (auto [shape, fmap, bytes] :
         llvm::zip_equal(blockShapes, fmaps, elementBytes)) {
      std::optional<int64_t> tile = bytes;
      for (int64_t n : shape)
        if (tile)
          tile = checkedMulSize(*tile, n);
      if (tile && fmap != X)
        tile = checkedMulSize(*tile / range, 2);
      total = tile && total ? checkedAddSize(*total, *tile) : std::nullopt;
    }
    return total && *total <= sharedMemoryBytes;
  };
  std::vector<int64_t> accepted;
  for (int64_t range : ranges) {
    // A loop of one iteration loads what no loop loads: the launch without
    // for-loop dimensions (fmaps all replicated) is the same program.
    if (range <= 1)
      continue;
    bool divides = true;
    for (auto [shape, fmap] : llvm::zip_equal(blockShapes, fmaps))
      if (fmap != X && (shape[fmap] % range != 0 || shape[fmap] == range))
        divides = false;
    if (!divides)
      continue;
    // Built-in ranges keep a tensor-core k step along the loop, and fit.
    if (user.empty() &&
        (!fits(range) ||
         llvm::any_of(llvm::zip_equal(blockShapes, fmaps), [&](auto pair) {
           auto [shape, fmap] = pair;
           return fmap != X && shape[fmap] / range < 16;
         })))
      continue;
    accepted.push_back(range);
    if (user.empty() && accepted.size() == kMaxForloopRanges)
      break;
  }
  return accepted;
}

std::vector<DimMap> mirage::candidateOmaps(const Grid &grid, unsigned rank,
                                           llvm::ArrayRef<DimMap> user) {
  std::vector<DimMap> omaps;
  auto fits = [&](const DimMap &omap) {
    for (unsigned a = 0; a < kNumGridAxes; ++a) {
      if ((grid[a] > 1) != (omap[a] != X))
        return false;
      if (omap[a] >= static_cast<int64_t>(rank))
        return false;
      for (unsigned b = 0; b < a; ++b)
        if (omap[a] != X && omap[b] == omap[a])
          return false;
    }
    return true;
  };
  for (const DimMap &omap : user)
    if (fits(omap) && !llvm::is_contained(omaps, omap))
      omaps.push_back(omap);
  // Every map of the used axes to distinct dimensions, in lexicographic
  // order of the dimensions of x, y, z.
  DimMap omap = {X, X, X};
  std::function<void(unsigned)> assign = [&](unsigned a) {
    if (a == kNumGridAxes) {
      if (fits(omap) && !llvm::is_contained(omaps, omap))
        omaps.push_back(omap);
      return;
    }
    if (grid[a] <= 1) {
      omap[a] = X;
      assign(a + 1);
      return;
    }
    for (int64_t d = 0; d < static_cast<int64_t>(rank); ++d) {
      omap[a] = d;
      assign(a + 1);
    }
    omap[a] = X;
  };
  if (user.empty())
    assign(0);
  return omaps;
}
