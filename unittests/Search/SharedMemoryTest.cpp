//===- SharedMemoryTest.cpp - The one shared-memory accounting --*- C++ -*-===//

#include "Mirage/Core/SharedMemory.h"

#include "gtest/gtest.h"

#include <limits>

using namespace mirage;

namespace {

using Storage = llvm::SmallVector<int64_t, 4>;

TEST(SharedMemory, StorageShapes) {
  // X's 2x128 f16 tile as a tensor-core A operand: 16 rows, and rows of 256
  // bytes (16 chunks, even) padded by 16 bytes.
  EXPECT_EQ(sharedStorageShape({2, 128}, 2, 16, 1), (Storage{16, 136}));
  // An f32 C of 2x24: 16x24, rows of 96 bytes (6 chunks) padded by 4.
  EXPECT_EQ(sharedStorageShape({2, 24}, 4, 16, 8), (Storage{16, 28}));
  // Rows of 48 bytes (3 chunks, odd): no bank padding.
  EXPECT_EQ(sharedStorageShape({128, 24}, 2, 1, 8), (Storage{128, 24}));
  // One row, or rank 1: no bank padding.
  EXPECT_EQ(sharedStorageShape({1, 64}, 2, 1, 1), (Storage{1, 64}));
  EXPECT_EQ(sharedStorageShape({64}, 2, 1, 1), (Storage{64}));
}

TEST(SharedMemory, PlacementReusesDeadTiles) {
  SharedTile a, b;
  a.shape = b.shape = {500};
  a.elementBytes = b.elementBytes = 2; // 1000 bytes each
  a.first = 0, a.last = 1;
  b.first = 2, b.last = 3;
  // Disjoint live ranges: b takes a's bytes.
  SharedLayout layout = placeSharedTiles({a, b});
  EXPECT_EQ(layout.bytes, 1008);
  EXPECT_EQ(layout.offsets[1][0], 0);
  // Overlapping: b at the next 16-byte offset.
  b.first = 1;
  layout = placeSharedTiles({a, b});
  EXPECT_EQ(layout.offsets[1][0], 1008);
  EXPECT_EQ(layout.bytes, 2016);
  // Two stages of one tile never share bytes.
  a.stages = 2;
  layout = placeSharedTiles({a});
  EXPECT_EQ(layout.bytes, 2016);
}

TEST(SharedMemory, HugeTilesSaturate) {
  SharedTile huge;
  huge.shape = {int64_t(1) << 32, int64_t(1) << 32};
  huge.elementBytes = 4;
  EXPECT_FALSE(sharedStorageBytes(huge).has_value());
  EXPECT_EQ(placeSharedTiles({huge}).bytes,
            std::numeric_limits<int64_t>::max());
}

ValueInfo f16(Shape shape, bool accumulated = false) {
  ValueInfo info;
  info.shape = std::move(shape);
  info.accumulated = accumulated;
  return info;
}

TEST(SharedMemory, MatmulOfMatmulStaysInF32) {
  // (A B) C on 16x16 f16 tiles, one iteration: A B runs on tensor cores;
  // its f32 result cannot, so (A B) C and C take no tensor-core padding.
  BlockGraph g;
  g.launch.grid = {1, 1, 1};
  g.launch.block = {128, 1, 1};
  g.numInputs = 3;
  g.values = {f16({16, 16}), f16({16, 16}), f16({16, 16})};
  ValueId tiles[3];
  for (ValueId i = 0; i < 3; ++i) {
    tiles[i] = addValue(g.values, f16({16, 16}));
    g.ops.push_back(makeOpNode(OpKind::Loader, {i}, {tiles[i]}));
  }
  ValueId ab = addValue(g.values, f16({16, 16}));
  g.ops.push_back(makeOpNode(OpKind::Matmul, {tiles[0], tiles[1]}, {ab}));
  ValueId abc = addValue(g.values, f16({16, 16}));
  g.ops.push_back(makeOpNode(OpKind::Matmul, {ab, tiles[2]}, {abc}));
  ValueId acc = addValue(g.values, f16({16, 16}, true));
  g.ops.push_back(makeOpNode(OpKind::Accum, {abc}, {acc}));
  ValueId out = addValue(g.values, f16({16, 16}));
  g.ops.push_back(makeOpNode(OpKind::Saver, {acc}, {out}));
  g.outputs = {out};
  std::vector<SharedTile> planned = sharedTilesOf(g, {}, true);
  // A, B, C, A B, (A B) C, the accumulator; the savers' tensors are not
  // tiles.
  ASSERT_EQ(planned.size(), 6u);
  EXPECT_EQ(planned[3].elementBytes, 4); // A B
  EXPECT_EQ(planned[4].elementBytes, 4); // (A B) C
  EXPECT_EQ(planned[4].colMultiple, 1);
  EXPECT_EQ(planned[2].colMultiple, 1);
  EXPECT_EQ(planned[1].colMultiple, 8);
  // Two f32 16x20 (1280 bytes) and four f16 16x24 (768 bytes).
  BlockSharedMemory smem = blockSharedMemory(g);
  EXPECT_EQ(smem.bytes, 2 * 1280 + 4 * 768);
  // No loop: nothing is double-buffered.
  EXPECT_EQ(smem.pipelinedBytes, smem.bytes);
}

} // namespace
