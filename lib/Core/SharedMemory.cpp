//===- SharedMemory.cpp - The one shared-memory accounting ------*- C++ -*-===//

#include "Mirage/Core/SharedMemory.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <limits>
#include <numeric>

using namespace mirage;

static constexpr int64_t kSaturated = std::numeric_limits<int64_t>::max();

/// x rounded up to a multiple of `multiple`; nullopt on overflow.
static std::optional<int64_t> roundUpChecked(int64_t x, int64_t multiple) {
  if (multiple <= 1)
    return x;
  int64_t rem = x % multiple;
  if (rem == 0)
    return x;
  return checkedAddSize(x, multiple - rem);
}

llvm::SmallVector<int64_t, 4>
mirage::sharedStorageShape(llvm::ArrayRef<int64_t> shape, int64_t elementBytes,
                           int64_t rowMultiple, int64_t colMultiple) {
  llvm::SmallVector<int64_t, 4> storage(shape.begin(), shape.end());
  size_t rank = storage.size();
  auto round = [](int64_t x, int64_t m) {
    return roundUpChecked(x, m).value_or(kSaturated);
  };
  if (rank >= 2)
    storage[rank - 2] = round(storage[rank - 2], rowMultiple);
  if (rank >= 1)
    storage[rank - 1] = round(storage[rank - 1], colMultiple);
  if (rank >= 2 && storage[rank - 2] > 1 && elementBytes > 0) {
    std::optional<int64_t> rowBytes =
        checkedMulSize(storage[rank - 1], elementBytes);
    if (rowBytes && *rowBytes % 16 == 0 && (*rowBytes / 16) % 2 == 0)
      storage[rank - 1] = checkedAddSize(storage[rank - 1], 16 / elementBytes)
                              .value_or(kSaturated);
  }
  return storage;
}

std::optional<int64_t> mirage::sharedStorageBytes(const SharedTile &tile) {
  std::optional<int64_t> bytes = tile.elementBytes;
  for (int64_t extent : sharedStorageShape(tile.shape, tile.elementBytes,
                                           tile.rowMultiple, tile.colMultiple))
    if (bytes)
      bytes = checkedMulSize(*bytes, extent);
  return bytes;
}

SharedLayout mirage::placeSharedTiles(llvm::ArrayRef<SharedTile> tiles) {
  struct Item {
    size_t tile;
    int64_t stage;
    int64_t bytes;
  };
  SharedLayout layout;
  llvm::SmallVector<Item> items;
  for (auto [i, tile] : llvm::enumerate(tiles)) {
    layout.offsets.emplace_back(tile.stages, 0);
    int64_t bytes = sharedStorageBytes(tile).value_or(kSaturated);
    for (int64_t s = 0; s < tile.stages; ++s)
      items.push_back({i, s, bytes});
  }
  // A stable sort keeps the given order among equals: deterministic.
  llvm::stable_sort(
      items, [](const Item &x, const Item &y) { return x.bytes > y.bytes; });
  llvm::SmallVector<Item> placed;
  for (const Item &item : items) {
    const SharedTile &tile = tiles[item.tile];
    llvm::SmallVector<std::pair<int64_t, int64_t>> busy; // [begin, end)
    for (const Item &other : placed) {
      const SharedTile &o = tiles[other.tile];
      if (o.first <= tile.last && tile.first <= o.last) {
        int64_t begin = layout.offsets[other.tile][other.stage];
        busy.push_back(
            {begin, checkedAddSize(begin, other.bytes).value_or(kSaturated)});
      }
    }
    llvm::sort(busy);
    int64_t offset = 0;
    for (auto [begin, end] : busy) {
      std::optional<int64_t> fitEnd = checkedAddSize(offset, item.bytes);
      if (fitEnd && *fitEnd <= begin)
        break;
      offset = std::max(
          offset,
          roundUpChecked(end, kSharedMemoryAlignment).value_or(kSaturated));
    }
    layout.offsets[item.tile][item.stage] = offset;
    layout.bytes = std::max(
        layout.bytes, checkedAddSize(offset, item.bytes).value_or(kSaturated));
    placed.push_back(item);
  }
  layout.bytes =
      roundUpChecked(layout.bytes, kSharedMemoryAlignment).value_or(kSaturated);
  return layout;
}

/// Whether the lowering runs `op` (a matmul with f32 result) on tensor
/// cores: f16 or bf16 operands of one type, k a multiple of kMmaK, whole
/// warps (the rule of the GPU mapping, gpu_mapping::isTensorCoreMatmul).
static bool onTensorCores(const BlockGraph &graph, ValueId lhs, ValueId rhs) {
  const ValueInfo &a = graph.values[lhs], &b = graph.values[rhs];
  if (graph.launch.numThreads() % kThreadsPerWarp != 0)
    return false;
  if (a.dtype != b.dtype || (a.dtype != DType::F16 && a.dtype != DType::BF16))
    return false;
  return !a.shape.empty() && a.shape.back() % kMmaK == 0;
}

std::vector<SharedTile>
mirage::sharedTilesOf(const BlockGraph &graph,
                      const SharedMemoryOptions &options, bool doubleBuffer) {
  size_t n = graph.values.size();
  // The storage plan of the lowering (lib/Conversion/StructuredEmitter.cpp,
  // planStorage).
  std::vector<bool> stored(n, false);
  std::vector<const OpNode *> producer(n, nullptr);
  std::vector<int> readers(n, 0);
  for (const OpNode &op : graph.ops) {
    for (ValueId r : op.results)
      producer[r] = &op;
    for (ValueId v : op.operands)
      ++readers[v];
  }
  for (const OpNode &op : graph.ops) {
    bool elementwise =
        isUnaryElementwise(op.kind) || isBinaryElementwise(op.kind);
    if (op.kind == OpKind::Matmul || op.kind == OpKind::ConcatMatmul)
      for (ValueId v : op.operands)
        stored[v] = true;
    if (op.kind == OpKind::Loader || op.kind == OpKind::Saver ||
        op.kind == OpKind::Constant)
      continue;
    for (ValueId r : op.results)
      if (!elementwise || readers[r] > 1)
        stored[r] = true;
  }
  std::vector<bool> heldInF32 = valuesHeldInF32(graph);
  std::vector<SharedTile> tiles;
  std::vector<int64_t> tileOf(n, -1);
  for (size_t v = graph.numInputs; v < n; ++v) {
    if (!stored[v])
      continue;
    const OpNode *op = producer[v];
    bool matmul =
        op && (op->kind == OpKind::Matmul || op->kind == OpKind::ConcatMatmul);
    bool f32 = matmul || (op && op->kind != OpKind::Loader && heldInF32[v]);
    SharedTile tile;
    tile.shape.assign(graph.values[v].shape.begin(),
                      graph.values[v].shape.end());
    tile.elementBytes = f32 ? 4 : dtypeBytes(graph.values[v].dtype);
    // A looped copy into a matmul operand is fetched one iteration ahead.
    if (doubleBuffer && options.asyncCopy && op && op->kind == OpKind::Loader &&
        op->dim != kReplicate && graph.launch.forloopRange >= 2 &&
        !tile.shape.empty() && (tile.shape.back() * tile.elementBytes) % 4 == 0)
      tile.stages = 2;
    tileOf[v] = tiles.size();
    tiles.push_back(std::move(tile));
  }
  for (const OpNode &op : graph.ops) {
    if (op.kind == OpKind::RmsNorm) {
      // 1 / rms of every row of the input, in f32.
      SharedTile scratch;
      const Shape &in = graph.values[op.operands[0]].shape;
      scratch.shape.assign(in.begin(), in.end());
      if (!scratch.shape.empty())
        scratch.shape.back() = 1;
      scratch.elementBytes = 4;
      tiles.push_back(std::move(scratch));
    }
    if (!options.tensorCores ||
        (op.kind != OpKind::Matmul && op.kind != OpKind::ConcatMatmul))
      continue;
    ValueId c = op.results[0];
    auto pad = [&](ValueId v, int64_t rows, int64_t cols) {
      SharedTile &tile = tiles[tileOf[v]];
      tile.rowMultiple = std::lcm(tile.rowMultiple, rows);
      tile.colMultiple = std::lcm(tile.colMultiple, cols);
    };
    auto product = [&](ValueId lhs, ValueId rhs) {
      // A matmul result read by another matmul stays in f32: no tensor
      // cores.
      if (tiles[tileOf[lhs]].elementBytes == 4 ||
          tiles[tileOf[rhs]].elementBytes == 4 ||
          !onTensorCores(graph, lhs, rhs))
        return;
      pad(lhs, kMmaM, 1);
      pad(rhs, 1, kMmaN);
      pad(c, kMmaM, kMmaN);
    };
    if (op.kind == OpKind::Matmul) {
      product(op.operands[0], op.operands[1]);
    } else {
      product(op.operands[0], op.operands[2]);
      product(op.operands[1], op.operands[3]);
    }
  }
  return tiles;
}

BlockSharedMemory
mirage::blockSharedMemory(const BlockGraph &graph,
                          const SharedMemoryOptions &options) {
  BlockSharedMemory result;
  result.bytes =
      placeSharedTiles(sharedTilesOf(graph, options, /*doubleBuffer=*/false))
          .bytes;
  result.pipelinedBytes =
      placeSharedTiles(sharedTilesOf(graph, options, /*doubleBuffer=*/true))
          .bytes;
  return result;
}
