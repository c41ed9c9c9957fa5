//===- ShapeRules.cpp - Shape rules of every μGraph op ----------*- C++ -*-===//

#include "Mirage/Support/ShapeRules.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CheckedArithmetic.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MathExtras.h"

#include <limits>

using namespace mirage;
using llvm::ArrayRef;

static llvm::Error fail(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

static const char *axisName(unsigned axis) {
  static const char *names[] = {"x", "y", "z"};
  return axis < kNumGridAxes ? names[axis] : "?";
}

std::string mirage::formatShape(ArrayRef<int64_t> shape) {
  if (shape.empty())
    return "scalar";
  return llvm::join(
      llvm::map_range(shape, [](int64_t d) { return std::to_string(d); }), "x");
}

int64_t mirage::numElements(ArrayRef<int64_t> shape) {
  // Saturates instead of wrapping, so absurd extents fail every limit check
  // rather than wrapping to a small number that passes.
  uint64_t n = 1;
  for (int64_t d : shape) {
    if (d <= 0)
      return d == 0 ? 0 : -1;
    bool overflow = false;
    n = llvm::SaturatingMultiply(n, static_cast<uint64_t>(d), &overflow);
  }
  return static_cast<int64_t>(
      std::min<uint64_t>(n, std::numeric_limits<int64_t>::max()));
}

std::optional<int64_t> mirage::checkedNumElements(ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0)
      return std::nullopt;
    std::optional<int64_t> next = llvm::checkedMul(n, d);
    if (!next)
      return std::nullopt;
    n = *next;
  }
  return n;
}

std::optional<int64_t> mirage::checkedNumBytes(ArrayRef<int64_t> shape,
                                               int64_t elementBytes,
                                               int64_t lanes) {
  std::optional<int64_t> n = checkedNumElements(shape);
  if (!n || elementBytes < 0 || lanes < 0)
    return std::nullopt;
  std::optional<int64_t> perElement = llvm::checkedMul(elementBytes, lanes);
  if (!perElement)
    return std::nullopt;
  return llvm::checkedMul(*n, *perElement);
}

llvm::Error mirage::checkAddressable(ArrayRef<int64_t> shape,
                                     int64_t elementBytes) {
  for (auto [index, d] : llvm::enumerate(shape))
    if (d < 0)
      return fail(
          llvm::formatv("dimension {0} has negative extent {1}", index, d));
  if (!checkedNumBytes(shape, elementBytes))
    return fail(llvm::formatv("shape {0} has more than 2^63 bytes: its size "
                              "overflows a 64-bit byte count",
                              formatShape(shape)));
  return llvm::Error::success();
}

llvm::Expected<Shape> mirage::inferTransposeShape(ArrayRef<int64_t> input,
                                                  ArrayRef<int64_t> perm) {
  if (perm.size() != input.size())
    return fail(llvm::formatv("permutation has {0} entries for rank {1}",
                              perm.size(), input.size()));
  Shape result;
  llvm::SmallVector<bool, 4> seen(input.size(), false);
  for (auto [index, p] : llvm::enumerate(perm)) {
    if (p < 0 || p >= static_cast<int64_t>(input.size()))
      return fail(llvm::formatv("permutation entry {0} is {1}, out of range "
                                "for rank {2}",
                                index, p, input.size()));
    if (seen[p])
      return fail(llvm::formatv("permutation names dimension {0} twice", p));
    seen[p] = true;
    result.push_back(input[p]);
  }
  return result;
}

llvm::Error mirage::checkReshapeShape(ArrayRef<int64_t> input,
                                      ArrayRef<int64_t> result) {
  std::optional<int64_t> in = checkedNumElements(input);
  std::optional<int64_t> out = checkedNumElements(result);
  if (!in || !out)
    return fail("reshape of an extent below 0 or an element count that "
                "overflows a 64-bit integer");
  if (*in != *out)
    return fail(llvm::formatv("reshape from {0} ({1} elements) to {2} ({3} "
                              "elements) changes the element count",
                              formatShape(input), *in, formatShape(result),
                              *out));
  return llvm::Error::success();
}

llvm::Error mirage::checkBroadcastShape(ArrayRef<int64_t> input,
                                        ArrayRef<int64_t> added,
                                        ArrayRef<int64_t> result) {
  if (input.size() + added.size() != result.size())
    return fail(llvm::formatv("broadcast of rank {0} adding {1} dimensions "
                              "gives rank {2}, not {3}",
                              input.size(), added.size(),
                              input.size() + added.size(), result.size()));
  int64_t previous = -1;
  for (int64_t d : added) {
    if (d <= previous || d >= static_cast<int64_t>(result.size()))
      return fail(llvm::formatv("added dimensions must be increasing and "
                                "below the result rank {0}, got {1}",
                                result.size(), d));
    previous = d;
  }
  size_t next = 0;
  for (size_t d = 0; d < result.size(); ++d) {
    if (llvm::is_contained(added, static_cast<int64_t>(d)))
      continue;
    if (result[d] != input[next])
      return fail(llvm::formatv("result extent {0} at dimension {1} differs "
                                "from the input's extent {2} at dimension {3}",
                                result[d], d, input[next], next));
    ++next;
  }
  return llvm::Error::success();
}

std::optional<unsigned> mirage::findZeroExtent(ArrayRef<int64_t> shape) {
  for (auto [index, d] : llvm::enumerate(shape))
    if (d == 0)
      return index;
  return std::nullopt;
}

std::optional<int64_t> mirage::checkedAddSize(int64_t a, int64_t b) {
  return llvm::checkedAdd(a, b);
}

std::optional<int64_t> mirage::checkedMulSize(int64_t a, int64_t b) {
  return llvm::checkedMul(a, b);
}

bool mirage::addSizeTo(int64_t &total, std::optional<int64_t> bytes) {
  std::optional<int64_t> sum =
      bytes ? checkedAddSize(total, *bytes) : std::nullopt;
  if (sum)
    total = *sum;
  return sum.has_value();
}

std::string mirage::formatBytes(int64_t bytes) {
  std::string text = std::to_string(bytes) + " bytes";
  static const char *units[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  double value = static_cast<double>(bytes);
  int unit = -1;
  while (value >= 1024 && unit + 1 < 6) {
    value /= 1024;
    ++unit;
  }
  if (unit >= 0) {
    std::string number = llvm::formatv("{0:F1}", value).str();
    if (llvm::StringRef(number).ends_with(".0"))
      number.resize(number.size() - 2);
    text += " (" + number + " " + units[unit] + ")";
  }
  return text;
}

bool mirage::tryInferMatmulShape(ArrayRef<int64_t> lhs, ArrayRef<int64_t> rhs,
                                 Shape &result) {
  size_t rank = lhs.size();
  if (rank < 2 || rhs.size() != rank || lhs[rank - 1] != rhs[rank - 2] ||
      lhs.drop_back(2) != rhs.drop_back(2))
    return false;
  result.assign(lhs.begin(), lhs.end());
  result[rank - 1] = rhs[rank - 1];
  return true;
}

bool mirage::tryInferBroadcastShape(ArrayRef<int64_t> lhs,
                                    ArrayRef<int64_t> rhs, Shape &result) {
  if (lhs.size() != rhs.size())
    return false;
  result.resize(lhs.size());
  for (size_t i = 0, e = lhs.size(); i < e; ++i) {
    if (lhs[i] != rhs[i] && lhs[i] != 1 && rhs[i] != 1)
      return false;
    result[i] = std::max(lhs[i], rhs[i]);
  }
  return true;
}

llvm::Expected<Shape> mirage::inferMatmulShape(ArrayRef<int64_t> lhs,
                                               ArrayRef<int64_t> rhs) {
  if (lhs.size() < 2 || rhs.size() < 2)
    return fail("matmul operands must have rank >= 2, got " +
                llvm::Twine(lhs.size()) + " and " + llvm::Twine(rhs.size()));
  if (lhs.size() != rhs.size())
    return fail("matmul operands must have equal rank, got " +
                llvm::Twine(lhs.size()) + " and " + llvm::Twine(rhs.size()));
  size_t rank = lhs.size();
  for (size_t i = 0; i + 2 < rank; ++i)
    if (lhs[i] != rhs[i])
      return fail(llvm::formatv("matmul batch dimension {0} differs: {1} vs "
                                "{2} (batch dims do not broadcast)",
                                i, lhs[i], rhs[i]));
  if (lhs[rank - 1] != rhs[rank - 2])
    return fail(llvm::formatv("matmul contraction dims differ: lhs {0} has k = "
                              "{1}, rhs {2} has k = {3}",
                              formatShape(lhs), lhs[rank - 1], formatShape(rhs),
                              rhs[rank - 2]));
  Shape result(lhs.begin(), lhs.end());
  result[rank - 1] = rhs[rank - 1];
  return result;
}

llvm::Expected<Shape> mirage::inferBroadcastShape(ArrayRef<int64_t> lhs,
                                                  ArrayRef<int64_t> rhs) {
  if (lhs.size() != rhs.size())
    return fail("operands must have equal rank for broadcasting, got " +
                llvm::Twine(lhs.size()) + " and " + llvm::Twine(rhs.size()));
  Shape result;
  for (auto [i, pair] : llvm::enumerate(llvm::zip_equal(lhs, rhs))) {
    auto [a, b] = pair;
    if (a != b && a != 1 && b != 1)
      return fail(llvm::formatv("operand dims {0} and {1} at dimension {2} "
                                "are neither equal nor 1",
                                a, b, i));
    result.push_back(std::max(a, b));
  }
  return result;
}

llvm::Expected<Shape> mirage::inferReductionShape(ArrayRef<int64_t> input,
                                                  int64_t dim, int64_t size) {
  if (dim < 0 || dim >= static_cast<int64_t>(input.size()))
    return fail(llvm::formatv("reduction dimension {0} is out of range for "
                              "rank {1}",
                              dim, input.size()));
  if (size < 1)
    return fail(llvm::formatv("reduction size must be >= 1, got {0}", size));
  if (input[dim] % size != 0)
    return fail(llvm::formatv("reduction size {0} does not divide dimension "
                              "{1} of extent {2}",
                              size, dim, input[dim]));
  Shape result(input.begin(), input.end());
  result[dim] = size;
  return result;
}

llvm::Expected<Shape>
mirage::inferConcatShape(ArrayRef<ArrayRef<int64_t>> inputs, int64_t dim) {
  if (inputs.size() < 2)
    return fail("concat needs at least two operands");
  size_t rank = inputs.front().size();
  if (dim < 0 || dim >= static_cast<int64_t>(rank))
    return fail(llvm::formatv("concat dimension {0} is out of range for rank "
                              "{1}",
                              dim, rank));
  Shape result(inputs.front().begin(), inputs.front().end());
  for (auto [index, shape] : llvm::enumerate(inputs.drop_front())) {
    if (shape.size() != rank)
      return fail(llvm::formatv("concat operand {0} has rank {1}, expected {2}",
                                index + 1, shape.size(), rank));
    for (size_t d = 0; d < rank; ++d) {
      if (static_cast<int64_t>(d) == dim)
        continue;
      if (shape[d] != result[d])
        return fail(llvm::formatv("concat operand {0} has extent {1} at "
                                  "dimension {2}, expected {3}",
                                  index + 1, shape[d], d, result[d]));
    }
    std::optional<int64_t> sum = llvm::checkedAdd(result[dim], shape[dim]);
    if (!sum)
      return fail(llvm::formatv("concat result extent at dimension {0} "
                                "overflows a 64-bit integer",
                                dim));
    result[dim] = *sum;
  }
  return result;
}

llvm::Error mirage::checkRmsNormShape(ArrayRef<int64_t> input,
                                      ArrayRef<int64_t> normalized) {
  if (normalized.empty())
    return fail("rms_norm needs at least one normalized dimension");
  if (normalized.size() > input.size())
    return fail(llvm::formatv("rms_norm normalizes {0} dims but the input has "
                              "rank {1}",
                              normalized.size(), input.size()));
  if (input.take_back(normalized.size()) != normalized)
    return fail(llvm::formatv("rms_norm normalized shape {0} does not match "
                              "the trailing dims of input {1}",
                              formatShape(normalized), formatShape(input)));
  if (std::optional<unsigned> zero = findZeroExtent(normalized))
    return fail(llvm::formatv("rms_norm normalized shape {0} has extent 0 at "
                              "dimension {1}: the mean square of zero "
                              "elements divides by zero",
                              formatShape(normalized), *zero));
  return llvm::Error::success();
}

int64_t LaunchShape::numBlocks() const { return numElements(grid); }
int64_t LaunchShape::numThreads() const { return numElements(block); }

llvm::Error mirage::checkLaunchShape(const LaunchShape &launch) {
  if (launch.grid.size() != kNumGridAxes)
    return fail(llvm::formatv("grid must have 3 entries (x, y, z), got {0}",
                              launch.grid.size()));
  if (launch.block.size() != kNumGridAxes)
    return fail(llvm::formatv("block must have 3 entries (x, y, z), got {0}",
                              launch.block.size()));
  for (unsigned a = 0; a < kNumGridAxes; ++a) {
    if (launch.grid[a] < 1)
      return fail(llvm::formatv("grid {0} must be >= 1, got {1}", axisName(a),
                                launch.grid[a]));
    if (launch.block[a] < 1)
      return fail(llvm::formatv("block {0} must be >= 1, got {1}", axisName(a),
                                launch.block[a]));
  }
  if (launch.numBlocks() > kMaxBlocksPerKernel)
    return fail(llvm::formatv("grid {0} has {1} blocks, more than the limit of "
                              "{2}",
                              formatShape(launch.grid), launch.numBlocks(),
                              kMaxBlocksPerKernel));
  if (launch.numThreads() > 1024)
    return fail(llvm::formatv("block {0} has {1} threads, more than 1024",
                              formatShape(launch.block), launch.numThreads()));
  if (launch.forloopRange < 1)
    return fail(llvm::formatv("for-loop range must be >= 1, got {0}",
                              launch.forloopRange));
  if (launch.reductionDimx < 1)
    return fail(llvm::formatv("reduction dimx must be >= 1, got {0}",
                              launch.reductionDimx));
  return llvm::Error::success();
}

static llvm::Error checkDimMap(llvm::StringRef what, ArrayRef<int64_t> map,
                               unsigned rank) {
  if (map.size() != kNumGridAxes)
    return fail(llvm::formatv("{0} must have 3 entries (grid x, y, z), got {1}",
                              what, map.size()));
  for (unsigned a = 0; a < kNumGridAxes; ++a) {
    int64_t d = map[a];
    if (d == kReplicate)
      continue;
    if (d < 0 || d >= static_cast<int64_t>(rank))
      return fail(llvm::formatv("{0} maps grid {1} to dimension {2}, which is "
                                "out of range for rank {3} (use -1 to "
                                "replicate)",
                                what, axisName(a), d, rank));
    for (unsigned b = 0; b < a; ++b)
      if (map[b] == d)
        return fail(llvm::formatv("{0} maps both grid {1} and grid {2} to "
                                  "dimension {3}",
                                  what, axisName(b), axisName(a), d));
  }
  return llvm::Error::success();
}

llvm::Error mirage::checkInputMap(ArrayRef<int64_t> imap, unsigned rank) {
  return checkDimMap("imap", imap, rank);
}

llvm::Error mirage::checkOutputMap(ArrayRef<int64_t> omap, unsigned rank,
                                   ArrayRef<int64_t> grid) {
  if (llvm::Error err = checkDimMap("omap", omap, rank))
    return err;
  for (unsigned a = 0; a < kNumGridAxes && a < grid.size(); ++a)
    if (grid[a] > 1 && omap[a] == kReplicate)
      return fail(llvm::formatv("omap leaves grid {0} (extent {1}) unmapped: "
                                "blocks along it would write the same tile",
                                axisName(a), grid[a]));
  return llvm::Error::success();
}

llvm::Expected<Shape> mirage::inferLoaderTileShape(ArrayRef<int64_t> tensor,
                                                   ArrayRef<int64_t> imap,
                                                   int64_t forloopDim,
                                                   const LaunchShape &launch) {
  if (llvm::Error err = checkLaunchShape(launch))
    return std::move(err);
  if (llvm::Error err = checkInputMap(imap, tensor.size()))
    return std::move(err);
  if (std::optional<unsigned> zero = findZeroExtent(tensor))
    return fail(llvm::formatv("loads from a tensor of shape {0}, which has "
                              "extent 0 at dimension {1}: a tile has every "
                              "extent >= 1",
                              formatShape(tensor), *zero));
  Shape tile(tensor.begin(), tensor.end());
  for (unsigned a = 0; a < kNumGridAxes; ++a) {
    int64_t d = imap[a];
    if (d == kReplicate || launch.grid[a] == 1)
      continue;
    if (tile[d] % launch.grid[a] != 0)
      return fail(llvm::formatv("grid {0} = {1} does not divide dimension {2} "
                                "of extent {3}",
                                axisName(a), launch.grid[a], d, tile[d]));
    tile[d] /= launch.grid[a];
  }
  if (forloopDim == kReplicate)
    return tile;
  if (forloopDim < 0 || forloopDim >= static_cast<int64_t>(tensor.size()))
    return fail(llvm::formatv("for-loop dimension {0} is out of range for rank "
                              "{1} (use -1 for none)",
                              forloopDim, tensor.size()));
  if (tile[forloopDim] % launch.forloopRange != 0)
    return fail(
        llvm::formatv("for-loop range {0} does not divide dimension {1} "
                      "of the per-block extent {2}",
                      launch.forloopRange, forloopDim, tile[forloopDim]));
  tile[forloopDim] /= launch.forloopRange;
  return tile;
}

llvm::Expected<Shape> mirage::inferSaverTensorShape(ArrayRef<int64_t> tile,
                                                    ArrayRef<int64_t> omap,
                                                    const LaunchShape &launch) {
  if (llvm::Error err = checkLaunchShape(launch))
    return std::move(err);
  if (llvm::Error err = checkOutputMap(omap, tile.size(), launch.grid))
    return std::move(err);
  Shape tensor(tile.begin(), tile.end());
  for (unsigned a = 0; a < kNumGridAxes; ++a) {
    if (omap[a] == kReplicate)
      continue;
    std::optional<int64_t> extent =
        llvm::checkedMul(tensor[omap[a]], launch.grid[a]);
    if (!extent)
      return fail(llvm::formatv("tile extent {0} times grid {1} = {2} "
                                "overflows a 64-bit integer",
                                tensor[omap[a]], axisName(a), launch.grid[a]));
    tensor[omap[a]] = *extent;
  }
  return tensor;
}

llvm::Expected<Shape> mirage::inferAccumShape(AccumKind kind,
                                              ArrayRef<int64_t> input,
                                              int64_t reductionDimx) {
  if (input.empty())
    return fail("accumulator input must have rank >= 1");
  Shape result(input.begin(), input.end());
  switch (kind) {
  case AccumKind::None:
  case AccumKind::Rescale:
  case AccumKind::Max:
    return result;
  case AccumKind::Sum:
  case AccumKind::Mean:
  case AccumKind::Rms:
    result.back() = 1;
    return result;
  case AccumKind::SumToDimx:
    if (reductionDimx < 1)
      return fail(
          llvm::formatv("reduction dimx must be >= 1, got {0}", reductionDimx));
    if (result.back() % reductionDimx != 0)
      return fail(llvm::formatv("reduction dimx {0} does not divide the last "
                                "dimension of extent {1}",
                                reductionDimx, result.back()));
    result.back() = reductionDimx;
    return result;
  }
  llvm_unreachable("unknown accumulator kind");
}
