//===- CandidatesTest.cpp - Tests of the search's candidate lists -*- C++ -*-=//

#include "Mirage/Search/Candidates.h"

#include "gtest/gtest.h"

#include <limits>
#include <set>

using namespace mirage;

namespace {

constexpr int64_t X = kReplicate;

TEST(Candidates, WaveEfficiency) {
  EXPECT_DOUBLE_EQ(waveEfficiency(132, 132), 1.0);
  EXPECT_DOUBLE_EQ(waveEfficiency(264, 132), 1.0);
  EXPECT_DOUBLE_EQ(waveEfficiency(66, 132), 0.5);
  EXPECT_DOUBLE_EQ(waveEfficiency(133, 132), 133.0 / 264);
  EXPECT_DOUBLE_EQ(waveEfficiency(0, 132), 0.0);
}

TEST(Candidates, GridsComeFromTheShapes) {
  std::vector<Shape> shapes = {{2, 4096}, {4096, 6144}};
  std::vector<Grid> grids = candidateGrids(shapes, 132, 25, {});
  // Divisors of 6144 and 4096 at whole waves of 132 SMs: 128 blocks of 48
  // columns of W (Mirage's μGraph has 128 to 256 blocks), and 256.
  EXPECT_NE(llvm::find(grids, Grid{128, 1, 1}), grids.end());
  EXPECT_NE(llvm::find(grids, Grid{256, 1, 1}), grids.end());
  // The most efficient first; at most 4 waves; (2, 1, 1), one block per
  // row of X, is there.
  EXPECT_GE(waveEfficiency(grids.front()[0], 132), 0.96);
  for (const Grid &grid : grids)
    EXPECT_LE(grid[0] * grid[1] * grid[2], 4 * 132);
  EXPECT_NE(llvm::find(grids, Grid{2, 1, 1}), grids.end());
  // Deterministic and free of duplicates.
  EXPECT_EQ(grids, candidateGrids(shapes, 132, 25, {}));
  std::set<Grid> unique(grids.begin(), grids.end());
  EXPECT_EQ(unique.size(), grids.size());
  // Another chip, other waves: on 8 SMs, 8 blocks fill one.
  std::vector<Grid> small = candidateGrids(shapes, 8, 8, {});
  EXPECT_DOUBLE_EQ(
      waveEfficiency(small.front()[0] * small.front()[1] * small.front()[2], 8),
      1.0);
  for (const Grid &grid : small)
    EXPECT_LE(grid[0] * grid[1] * grid[2], 32);
}

TEST(Candidates, BatchedGridsSplitTwoDimensions) {
  // MQA at its real shape: Mirage's flash decoding uses (1, 8, 16), 128
  // blocks: 8 splits of the 4096 keys and 16 of the 1024 queries.
  std::vector<Shape> shapes = {{1, 1024, 64}, {1, 64, 4096}, {1, 4096, 64}};
  std::vector<Grid> grids = candidateGrids(shapes, 132, 25, {});
  bool twoSplits = llvm::any_of(grids, [](const Grid &g) {
    return g[0] == 1 && g[1] > 1 && g[2] > 1 && g[1] * g[2] == 128;
  });
  EXPECT_TRUE(twoSplits);
  EXPECT_EQ(grids.back(), (Grid{1, 1, 1}));
  // A zero extent gives no grid of its own (and no division by zero); 4
  // only one index per block (2 would leave 2, no tensor-core fragment); a
  // huge extent only divisors that fit.
  EXPECT_EQ(candidateGrids({{0, 4}}, 132, 25, {}),
            (std::vector<Grid>{{4, 1, 1}}));
  EXPECT_FALSE(
      candidateGrids({{std::numeric_limits<int64_t>::max(), 2}}, 132, 25, {})
          .empty());
}

TEST(Candidates, BlockCountsNearBandwidthSaturation) {
  // MQA at its real shape: every block reads all of K and V (1 MiB), so
  // the one-kernel attention reads least with the fewest blocks that still
  // draw the whole DRAM bandwidth (25 SMs at 4% each on an H100): 16 and 32
  // blocks of the 1024 queries, which wave efficiency alone (128, 64, 32)
  // would miss in part.
  std::vector<Shape> shapes = {{1, 1024, 64}, {1, 64, 4096}, {1, 4096, 64}};
  std::vector<Grid> grids = candidateGrids(shapes, 132, 25, {});
  EXPECT_NE(llvm::find(grids, Grid{1, 16, 1}), grids.end());
  EXPECT_NE(llvm::find(grids, Grid{1, 32, 1}), grids.end());
  EXPECT_NE(llvm::find(grids, Grid{16, 1, 1}), grids.end());
  // Without that count (every SM needed to saturate), no 16.
  std::vector<Grid> wide = candidateGrids(shapes, 132, 132, {});
  EXPECT_EQ(llvm::find(wide, Grid{1, 16, 1}), wide.end());
  // A saturation point below every divisor adds the smallest one only.
  std::vector<Grid> one = candidateGrids({{64, 64}}, 132, 1, {});
  EXPECT_NE(llvm::find(one, Grid{8, 1, 1}), one.end());
}

TEST(Candidates, UserListsReplaceBuiltins) {
  std::vector<Grid> user = {{7, 1, 1}};
  EXPECT_EQ(candidateGrids({{14, 14}}, 132, 25, user), user);
  std::vector<DimMap> imaps = {{X, X, X}};
  EXPECT_EQ(candidateImaps(imaps), imaps);
  EXPECT_EQ(candidateOmaps({4, 1, 1}, 2, {DimMap{1, X, X}}),
            (std::vector<DimMap>{DimMap{1, X, X}}));
}

TEST(Candidates, ImapsCoverBatchAndSplits) {
  std::vector<DimMap> imaps = candidateImaps({});
  EXPECT_NE(llvm::find(imaps, DimMap{X, X, X}), imaps.end());
  EXPECT_NE(llvm::find(imaps, DimMap{0, 2, X}), imaps.end());
  EXPECT_NE(llvm::find(imaps, DimMap{X, X, 1}), imaps.end());
}

TEST(Candidates, AcceptImaps) {
  std::vector<Shape> shapes = {{2, 4096}, {4096, 6144}};
  Grid grid = {256, 1, 1};
  // The worked μGraph: X replicated, W split along its columns.
  EXPECT_TRUE(acceptImaps(grid, shapes, {DimMap{X, X, X}, DimMap{1, X, X}}));
  // Every input replicated along an axis with 256 blocks.
  EXPECT_FALSE(acceptImaps(grid, shapes, {DimMap{X, X, X}, DimMap{X, X, X}}));
  // Maps grid y, whose extent is 1.
  EXPECT_FALSE(acceptImaps(grid, shapes, {DimMap{X, 1, X}, DimMap{1, X, X}}));
  // 256 does not divide dimension 0 of X (2).
  EXPECT_FALSE(acceptImaps(grid, shapes, {DimMap{0, X, X}, DimMap{1, X, X}}));
  // A dimension that does not exist.
  EXPECT_FALSE(acceptImaps(grid, shapes, {DimMap{2, X, X}, DimMap{1, X, X}}));
}

TEST(Candidates, Fmaps) {
  EXPECT_EQ(candidateFmaps({2, 4096}), (std::vector<int64_t>{X, 0, 1}));
  EXPECT_EQ(candidateFmaps({1, 64, 128}), (std::vector<int64_t>{X, 1, 2}));
}

TEST(Candidates, ForloopRanges) {
  // Per-block tiles of the worked μGraph: X 2x4096 looped on 1, W 4096x24
  // looped on 0, f16. Powers of two, the smallest that fit 227 KiB with
  // the looped tiles double-buffered: at range 2, 2 x (2x2048 + 2048x24)
  // halves = 212992 bytes.
  std::vector<Shape> blocks = {{2, 4096}, {4096, 24}};
  std::vector<int64_t> ranges =
      candidateForloopRanges(blocks, {1, 0}, {2, 2}, 232448, {});
  EXPECT_EQ(ranges, (std::vector<int64_t>{2, 4, 8, 16}));
  // Less shared memory: range 2 no longer fits.
  EXPECT_EQ(candidateForloopRanges(blocks, {1, 0}, {2, 2}, 150000, {}),
            (std::vector<int64_t>{4, 8, 16, 32}));
  // No input loops: one iteration.
  EXPECT_EQ(candidateForloopRanges(blocks, {X, X}, {2, 2}, 232448, {}),
            (std::vector<int64_t>{1}));
  // A looped extent of 48 keeps 16 elements per iteration at range 2 only
  // (3 is no power of two).
  EXPECT_EQ(candidateForloopRanges({{48, 8}}, {0}, {2}, 232448, {}),
            (std::vector<int64_t>{2}));
  // One iteration of a loop is no loop: the launch with fmaps -1 has it.
  EXPECT_EQ(candidateForloopRanges(blocks, {1, 0}, {2, 2}, 232448, {1, 4}),
            (std::vector<int64_t>{4}));
  EXPECT_TRUE(
      candidateForloopRanges(blocks, {1, 0}, {2, 2}, 232448, {1}).empty());
  EXPECT_EQ(candidateForloopRanges(blocks, {X, X}, {2, 2}, 232448, {1}),
            (std::vector<int64_t>{1}));
}

TEST(Candidates, Omaps) {
  // Only the axes with more than one block are mapped.
  for (const DimMap &omap : candidateOmaps({256, 1, 1}, 2, {})) {
    EXPECT_NE(omap[0], X);
    EXPECT_EQ(omap[1], X);
    EXPECT_EQ(omap[2], X);
  }
  std::vector<DimMap> omaps = candidateOmaps({1, 8, 16}, 3, {});
  EXPECT_NE(llvm::find(omaps, DimMap{X, 2, 1}), omaps.end());
  // Every map of y and z to distinct dimensions of a rank-3 output.
  EXPECT_EQ(omaps.size(), 6u);
  EXPECT_EQ(candidateOmaps({1, 1, 1}, 2, {}),
            (std::vector<DimMap>{DimMap{X, X, X}}));
}

TEST(Candidates, Presets) {
  EXPECT_EQ(parsePreset("attention"), Preset::Attention);
  EXPECT_EQ(parsePreset(""), Preset::None);
  EXPECT_FALSE(parsePreset("attn").has_value());
  EXPECT_EQ(presetName(Preset::Lora), "lora");
}

} // namespace
