//===- Candidates.cpp - Launch and map candidates of the search -*- C++ -*-===//

#include "Mirage/Search/Candidates.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SetVector.h"

#include <algorithm>
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

std::vector<Grid> mirage::candidateGrids(llvm::ArrayRef<Shape> shapes,
                                         Preset preset,
                                         llvm::ArrayRef<Grid> user) {
  if (!user.empty())
    return std::vector<Grid>(user.begin(), user.end());
  // Ordered and free of duplicates, so the enumeration order is fixed.
  std::set<Grid> seen;
  std::vector<Grid> grids;
  auto add = [&](Grid grid, bool filter) {
    if (filter && (blocksOf(grid) < 32 || blocksOf(grid) > kMaxBlocksPerKernel))
      return;
    if (seen.insert(grid).second)
      grids.push_back(grid);
  };
  std::set<int64_t> extents;
  for (const Shape &shape : shapes)
    extents.insert(shape.begin(), shape.end());
  // Tiles of x elements along one dimension, one per block along grid x.
  std::vector<int64_t> tileSizes = {8, 16, 32, 64, 128, 256};
  if (preset == Preset::Mlp)
    tileSizes = {8, 16, 24, 32, 48, 64, 96, 128, 256};
  for (int64_t x : tileSizes)
    for (int64_t n : extents)
      if (n % x == 0)
        add({n / x, 1, 1}, /*filter=*/true);
  int64_t batch =
      shapes.empty() || shapes.front().empty() ? 1 : shapes.front().front();
  bool sameRank = llvm::all_of(shapes, [&](const Shape &s) {
    return s.size() == shapes.front().size();
  });
  if (preset == Preset::Attention && sameRank && !shapes.empty() &&
      (shapes.front().size() == 2 || shapes.front().size() == 3)) {
    for (int64_t y : {8, 64, 128, 256})
      for (int64_t n : extents)
        if (n % y == 0)
          add({batch, n / y, 1}, /*filter=*/true);
    if (shapes.size() > 2)
      add({batch, 16, 4}, /*filter=*/true);
  }
  add({batch, 1, 1}, /*filter=*/false);
  return grids;
}

std::vector<DimMap> mirage::candidateImaps(Preset preset,
                                           llvm::ArrayRef<DimMap> user) {
  if (!user.empty())
    return std::vector<DimMap>(user.begin(), user.end());
  std::vector<DimMap> imaps = {{0, X, 1}, {0, 1, X}, {0, 2, X}, {X, 1, X}};
  if (preset != Preset::Attention) {
    imaps.push_back({X, X, X});
    imaps.push_back({1, X, X});
  }
  // Rows over grid x: the one-kernel softmax, in every preset.
  imaps.push_back({0, X, X});
  // Two-dimensional splits over (batch, rows) or (rows, splits) for attention.
  if (preset == Preset::Attention) {
    imaps.push_back({X, 2, X});
    imaps.push_back({X, 2, 1});
    imaps.push_back({X, X, 1});
  }
  return imaps;
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

std::vector<int64_t>
mirage::candidateForloopRanges(llvm::ArrayRef<Shape> blockShapes,
                               llvm::ArrayRef<int64_t> fmaps, Preset preset,
                               llvm::ArrayRef<int64_t> user) {
  bool loops = llvm::any_of(fmaps, [](int64_t f) { return f != X; });
  if (!loops)
    return {1};
  std::vector<int64_t> ranges(user.begin(), user.end());
  if (ranges.empty())
    ranges = preset == Preset::Mlp ? std::vector<int64_t>{4, 8, 16, 32, 64}
                                   : std::vector<int64_t>{4, 16, 32, 64};
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
    if (divides)
      accepted.push_back(range);
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
  std::vector<DimMap> pool(user.begin(), user.end());
  for (DimMap builtin : std::vector<DimMap>{{0, 1, X},
                                            {0, 2, 1},
                                            {0, 2, X},
                                            {0, X, X},
                                            {X, 2, 1},
                                            {X, 1, X},
                                            {X, 2, X},
                                            {X, X, X},
                                            {1, X, X},
                                            {X, X, 1},
                                            {1, 0, X},
                                            {2, 1, 0}})
    pool.push_back(builtin);
  for (const DimMap &omap : pool)
    if (fits(omap) && !llvm::is_contained(omaps, omap))
      omaps.push_back(omap);
  return omaps;
}
