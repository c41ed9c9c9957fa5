//===- CandidatesTest.cpp - Tests of the search's candidate lists -*- C++ -*-=//

#include "Mirage/Search/Candidates.h"

#include "gtest/gtest.h"

using namespace mirage;

namespace {

constexpr int64_t X = kReplicate;

TEST(Candidates, GridsIncludeTheWorkedRmsNormGrid) {
  std::vector<Shape> shapes = {{2, 4096}, {4096, 6144}};
  std::vector<Grid> grids = candidateGrids(shapes, Preset::None, {});
  EXPECT_NE(llvm::find(grids, Grid{256, 1, 1}), grids.end());
  for (const Grid &grid : grids)
    if (grid != Grid{2, 1, 1}) // the unfiltered (batch, 1, 1)
      EXPECT_GE(grid[0] * grid[1] * grid[2], 32);
  // Deterministic and free of duplicates.
  EXPECT_EQ(grids, candidateGrids(shapes, Preset::None, {}));
  std::set<Grid> unique(grids.begin(), grids.end());
  EXPECT_EQ(unique.size(), grids.size());
}

TEST(Candidates, AttentionAddsTwoDimensionalGrids) {
  std::vector<Shape> shapes = {{1, 1024, 64}, {1, 64, 4096}, {1, 4096, 64}};
  std::vector<Grid> grids = candidateGrids(shapes, Preset::Attention, {});
  // (batch, 4096 / 512 splits, 1) is not generated, but (1, 64, 1) is, and
  // the 3-input (batch, 16, 4).
  EXPECT_NE(llvm::find(grids, Grid{1, 64, 1}), grids.end());
  EXPECT_NE(llvm::find(grids, Grid{1, 16, 4}), grids.end());
}

TEST(Candidates, UserListsReplaceBuiltins) {
  std::vector<Grid> user = {{7, 1, 1}};
  EXPECT_EQ(candidateGrids({{14, 14}}, Preset::None, user), user);
  std::vector<DimMap> imaps = {{X, X, X}};
  EXPECT_EQ(candidateImaps(Preset::None, imaps), imaps);
}

TEST(Candidates, AttentionDropsReplicatedImaps) {
  std::vector<DimMap> imaps = candidateImaps(Preset::Attention, {});
  EXPECT_EQ(llvm::find(imaps, DimMap{X, X, X}), imaps.end());
  imaps = candidateImaps(Preset::None, {});
  EXPECT_NE(llvm::find(imaps, DimMap{X, X, X}), imaps.end());
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
  // looped on 0.
  std::vector<Shape> blocks = {{2, 4096}, {4096, 24}};
  std::vector<int64_t> ranges =
      candidateForloopRanges(blocks, {1, 0}, Preset::None, {});
  EXPECT_EQ(ranges, (std::vector<int64_t>{4, 16, 32, 64}));
  // No input loops: one iteration.
  EXPECT_EQ(candidateForloopRanges(blocks, {X, X}, Preset::None, {}),
            (std::vector<int64_t>{1}));
  // A looped extent of 24 admits only 4 of the built-ins.
  EXPECT_EQ(candidateForloopRanges({{24, 8}}, {0}, Preset::None, {}),
            (std::vector<int64_t>{4}));
  EXPECT_EQ(candidateForloopRanges({{24, 8}}, {0}, Preset::Mlp, {}),
            (std::vector<int64_t>{4, 8}));
  // One iteration of a loop is no loop: the launch with fmaps -1 has it.
  EXPECT_EQ(candidateForloopRanges(blocks, {1, 0}, Preset::None, {1, 4}),
            (std::vector<int64_t>{4}));
  EXPECT_TRUE(
      candidateForloopRanges(blocks, {1, 0}, Preset::None, {1}).empty());
  EXPECT_EQ(candidateForloopRanges(blocks, {X, X}, Preset::None, {1}),
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
