//===- Engine.cpp - Tensor kernels of the interpreter ---------------------===//

#include "Engine.h"
#include "Gemm.h"

#include "Mirage/Portable/FloatFormats.h"
#include "Mirage/Portable/Random.h"
#include "Mirage/Semantics/FiniteField.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <tuple>
#include <type_traits>

using namespace mirage;
using namespace mirage::detail;

Dims detail::padShape(llvm::ArrayRef<int64_t> shape) {
  Dims dims = {1, 1, 1, 1};
  size_t offset = 4 - shape.size();
  for (size_t i = 0; i < shape.size(); ++i)
    dims[offset + i] = shape[i];
  return dims;
}

Dims detail::denseStrides(const Dims &shape) {
  Dims strides;
  int64_t s = 1;
  for (int d = 3; d >= 0; --d) {
    strides[d] = s;
    s *= shape[d];
  }
  return strides;
}

View detail::viewOf(const Tensor &tensor) {
  View view;
  view.data = tensor.data.data();
  view.shape = padShape(tensor.shape);
  view.stride = denseStrides(view.shape);
  if (tensor.isDrawn())
    view.drawn = &tensor;
  return view;
}

/// The residue pairs of `count` elements of the stream, the i-th from
/// splitmix64's counter `counter + i * increment` (drawElements): integer
/// arithmetic only, so every instruction set gives the same bits.
static inline void drawResiduesBody(uint64_t counter, uint64_t increment,
                                    int64_t count, float *out) {
  for (int64_t i = 0; i < count; ++i) {
    uint64_t z = counter + static_cast<uint64_t>(i) * increment;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    uint64_t bits = z ^ (z >> 31);
    out[2 * i] = static_cast<float>(((bits >> 32) * field::kP) >> 32);
    out[2 * i + 1] =
        static_cast<float>(((bits & 0xffffffffULL) * field::kQ) >> 32);
  }
}

/// The floats of `count` elements (drawElements): (2u - 1) * scale, rounded
/// to nearest-even on the double's bits to 52 - `dropped` fraction bits
/// (f16: 42 dropped, bf16: 45), or to f32 when `dropped` is 0. Right for
/// every value in the dtype's normal range; the caller draws the others
/// again.
static inline void drawFloatsBody(uint64_t counter, uint64_t increment,
                                  int64_t count, double scale, unsigned dropped,
                                  float *out) {
  uint64_t half = dropped ? (uint64_t(1) << (dropped - 1)) - 1 : 0;
  uint64_t mask = dropped ? ~((uint64_t(1) << dropped) - 1) : ~uint64_t(0);
  for (int64_t i = 0; i < count; ++i) {
    uint64_t z = counter + static_cast<uint64_t>(i) * increment;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    // portable::unitInterval and randomValue's (2u - 1) * scale, one
    // rounding per statement (no contraction into a fused multiply-add).
    double u = static_cast<double>(z >> 11) * 0x1.0p-53;
    double t = 2 * u;
    t = t - 1;
    double v = t * scale;
    uint64_t b;
    std::memcpy(&b, &v, sizeof b);
    b = (b + (dropped ? half + ((b >> dropped) & 1) : 0)) & mask;
    double r;
    std::memcpy(&r, &b, sizeof r);
    out[i] = static_cast<float>(r);
  }
}

static void drawResidues(uint64_t counter, uint64_t increment, int64_t count,
                         float *out) {
  drawResiduesBody(counter, increment, count, out);
}

static void drawFloats(uint64_t counter, uint64_t increment, int64_t count,
                       double scale, unsigned dropped, float *out) {
  drawFloatsBody(counter, increment, count, scale, dropped, out);
}

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
/// The same loop vectorized with AVX-512's 64-bit multiplies (vpmullq), a
/// third of the time of the scalar loop.
__attribute__((target("avx512f,avx512dq,avx512vl"))) static void
drawResiduesAvx512(uint64_t counter, uint64_t increment, int64_t count,
                   float *out) {
  drawResiduesBody(counter, increment, count, out);
}

__attribute__((target("avx512f,avx512dq,avx512vl"))) static void
drawFloatsAvx512(uint64_t counter, uint64_t increment, int64_t count,
                 double scale, unsigned dropped, float *out) {
  drawFloatsBody(counter, increment, count, scale, dropped, out);
}
#endif

void detail::drawElements(const Tensor &input, unsigned lanes, int64_t first,
                          int64_t step, int64_t count, float *out) {
  const SeededSource &source = *input.drawn;
  // randomBits(seed, t, i) = mix64(key + (i + 1) * gamma), the key hoisted
  // and mix64 inlined (Mirage/Portable/Random.h; DrawnInputTest compares
  // with randomInput).
  using portable::kSplitMixGamma;
  uint64_t key =
      portable::mix64(source.seed * kSplitMixGamma + source.inputIndex + 1);
  uint64_t counter = key + (static_cast<uint64_t>(first) + 1) * kSplitMixGamma;
  uint64_t increment = static_cast<uint64_t>(step) * kSplitMixGamma;
  // (MIRAGE_DISABLE_AVX2 turns the AVX-512 loops off too, as it does the
  // GEMM kernels: the portable loops give the same bits.)
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
  static const bool avx512 = !std::getenv("MIRAGE_DISABLE_AVX2") &&
                             __builtin_cpu_supports("avx512f") &&
                             __builtin_cpu_supports("avx512dq") &&
                             __builtin_cpu_supports("avx512vl");
#else
  constexpr bool avx512 = false;
#endif
  if (lanes == 1) {
    // randomValue: (2u - 1) * scale rounded to the dtype. f16 and bf16
    // values are rounded (to nearest, ties to even) on the double's bits,
    // which is what roundToDType computes in their normal range; the values
    // outside it (subnormals, overflow) are drawn again by roundToDType.
    // f32: roundToDType is the cast.
    unsigned dropped = input.dtype == DType::F16    ? 52 - 10
                       : input.dtype == DType::BF16 ? 52 - 7
                                                    : 0;
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
    if (avx512)
      drawFloatsAvx512(counter, increment, count, source.scale, dropped, out);
    else
#endif
      drawFloats(counter, increment, count, source.scale, dropped, out);
    if (!dropped)
      return;
    float smallest = input.dtype == DType::F16 ? 0x1p-14f : 0x1p-126f;
    float largest = input.dtype == DType::F16 ? 65504.0f : 0x1.fep127f;
    for (int64_t i = 0; i < count; ++i) {
      // A value v below the normal range rounds to at most `smallest`
      // (rounding is monotone); one above it, to more than `largest`
      // unless roundToDType gives the same (65504 for v < 65520 in f16).
      float r = std::fabs(out[i]);
      if (r > smallest && r <= largest)
        continue;
      out[i] = static_cast<float>(portable::randomValue(
          source.seed, source.inputIndex,
          static_cast<uint64_t>(first + i * step), source.scale, input.dtype));
    }
    return;
  }
  // The residues as randomInput takes them.
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
  if (avx512)
    return drawResiduesAvx512(counter, increment, count, out);
#endif
  drawResidues(counter, increment, count, out);
}

void detail::drawView(const View &view, unsigned lanes, float *out) {
  const Dims &shape = view.shape, &stride = view.stride;
  int64_t o = 0;
  for (int64_t i0 = 0; i0 < shape[0]; ++i0)
    for (int64_t i1 = 0; i1 < shape[1]; ++i1)
      for (int64_t i2 = 0; i2 < shape[2]; ++i2, o += shape[3])
        drawElements(*view.drawn, lanes,
                     view.origin + i0 * stride[0] + i1 * stride[1] +
                         i2 * stride[2],
                     stride[3], shape[3], out + o * lanes);
}

View detail::heldView(const View &view, unsigned lanes,
                      std::vector<float> &storage) {
  if (!view.drawn)
    return view;
  View held;
  held.shape = view.shape;
  held.stride = denseStrides(view.shape);
  storage.resize(static_cast<size_t>(held.shape[0] * held.shape[1] *
                                     held.shape[2] * held.shape[3] * lanes));
  drawView(view, lanes, storage.data());
  held.data = storage.data();
  held.onesLanes = view.onesLanes;
  return held;
}

View detail::broadcastTo(View view, const Dims &shape) {
  for (unsigned d = 0; d < 4; ++d)
    if (view.shape[d] == 1 && shape[d] != 1) {
      view.shape[d] = shape[d];
      view.stride[d] = 0;
    }
  return view;
}

template <class D> void Kernels<D>::expField(const View &in, Tensor &out) {
  if constexpr (!D::kIsField)
    return;
  // (g^(x mod q) mod p, 1): the mod-q residue indexes the tables.
  const double *table = field::expTables();
  int64_t count = out.numElements();
  if (in.stride == denseStrides(in.shape))
    return gemm::expToFloats(in.data, count, out.data.data());
  if (accBuffer.size() < static_cast<size_t>(count * L))
    accBuffer.resize(static_cast<size_t>(count * L));
  double *products = accBuffer.data();
  forEach(
      in.shape,
      [&](int64_t o, int64_t i) {
        auto e = static_cast<uint32_t>(in.data[i * L + 1]);
        products[o * L] = table[e & 1023] * table[1024 + (e >> 10)];
        products[o * L + 1] = 1.0;
      },
      in.stride);
  const unsigned lanes[2] = {0, 1};
  gemm::reduceToFloats(products, count * L, lanes, out.data.data(), 1);
}

template <class D> void Kernels<D>::invertAll(float *values, int64_t count) {
  if (count == 0)
    return;
  // prefix[t] = x_0 ... x_t; then 1/x_t = prefix[t-1] / prefix[t], walking
  // down from the inverse of the whole product.
  std::vector<double> prefix(static_cast<size_t>(count));
  for (unsigned l = 0; l < L; ++l) {
    double product = 1;
    for (int64_t t = 0; t < count; ++t)
      prefix[t] = product = field::mul(product, values[t * L + l], l);
    double inverse = field::inverse(product, l);
    for (int64_t t = count - 1; t > 0; --t) {
      double x = values[t * L + l];
      values[t * L + l] =
          static_cast<float>(field::mul(inverse, prefix[t - 1], l));
      inverse = field::mul(inverse, x, l);
    }
    values[l] = static_cast<float>(inverse);
  }
}

template <class D>
bool Kernels<D>::mulRows(const View &a, const View &b, const Dims &shape,
                         float *y) {
  if (!D::kIsField || a.stride[3] != 1 ||
      (b.stride[3] != 0 && b.stride[3] != 1))
    return false;
  int64_t o = 0;
  for (int64_t i0 = 0; i0 < shape[0]; ++i0)
    for (int64_t i1 = 0; i1 < shape[1]; ++i1)
      for (int64_t i2 = 0; i2 < shape[2]; ++i2, o += shape[3]) {
        const float *x =
            a.data +
            (i0 * a.stride[0] + i1 * a.stride[1] + i2 * a.stride[2]) * L;
        const float *z =
            b.data +
            (i0 * b.stride[0] + i1 * b.stride[1] + i2 * b.stride[2]) * L;
        gemm::mulPairs(x, z, b.stride[3], shape[3], y + o * L);
      }
  return true;
}

template <class D>
bool Kernels<D>::allOnes(const View &a, int64_t b0, int64_t b1, unsigned lane) {
  if (a.onesLanes >> lane & 1)
    return true;
  const float *base = a.data + (b0 * a.stride[0] + b1 * a.stride[1]) * L + lane;
  int64_t step = a.stride[3] * L;
  for (int64_t i = 0; i < a.shape[2]; ++i) {
    const float *row = base + i * a.stride[2] * L;
    bool ones = true;
    if (step == L) {
      for (int64_t kk = 0; kk < a.shape[3]; ++kk)
        ones &= row[kk * L] == 1.0f;
    } else {
      for (int64_t kk = 0; kk < a.shape[3]; ++kk)
        ones &= row[kk * step] == 1.0f;
    }
    if (!ones)
      return false;
  }
  return true;
}

template <class D>
bool Kernels<D>::CacheKey::operator<(const CacheKey &o) const {
  return std::tie(data, shape, stride, lanes, kind) <
         std::tie(o.data, o.shape, o.stride, o.lanes, o.kind);
}

template <class D>
template <class T>
T *Kernels<D>::cached(const View &v, int64_t b0, int64_t b1, unsigned lanes,
                      Derived kind, int64_t size, bool *filled) {
  if (!v.stable)
    return nullptr;
  CacheKey key{v.data + (b0 * v.stride[0] + b1 * v.stride[1]) * L, v.shape,
               v.stride, lanes, kind};
  auto [it, inserted] = cache.try_emplace(key);
  CacheEntry &entry = it->second;
  if (inserted)
    return nullptr;
  // Storage is only handed out to be filled at once.
  T *tag = nullptr;
  if (T *data = entry.get(tag)) {
    *filled = true;
    return data;
  }
  int64_t bytes = size * static_cast<int64_t>(sizeof(T));
  if (cachedBytes + bytes > kCacheBudget || size == 0)
    return nullptr;
  cachedBytes += bytes;
  entry.allocate(static_cast<size_t>(size), tag);
  *filled = false;
  return entry.get(tag);
}

template <class D>
void Kernels<D>::packA(const View &a, int64_t b0, int64_t b1,
                       const unsigned *sel, unsigned w, int64_t k0, int64_t k,
                       double *packed) {
  using gemm::kMR;
  const float *base = a.data + (b0 * a.stride[0] + b1 * a.stride[1]) * L;
  int64_t step = a.stride[3] * L;
  if (w == 1 && step == 2 && a.shape[2] % kMR == 0) {
    for (int64_t i = 0; i < a.shape[2]; i += kMR)
      gemm::packA4(base + i * a.stride[2] * L + sel[0], a.stride[2] * L,
                   a.shape[3], packed + i * k + k0 * kMR);
    return;
  }
  for (int64_t i = 0; i < a.shape[2]; ++i) {
    double *dst =
        packed + (i / kMR) * k * kMR * w + k0 * kMR * w + (i % kMR) * w;
    const float *row = base + i * a.stride[2] * L;
    if (w == 1 && step == L) {
      const float *src = row + sel[0];
      for (int64_t kk = 0; kk < a.shape[3]; ++kk)
        dst[kk * kMR] = src[kk * L];
      continue;
    }
    for (int64_t kk = 0; kk < a.shape[3]; ++kk)
      for (unsigned v = 0; v < w; ++v)
        dst[kk * kMR * w + v] = row[kk * step + sel[v]];
  }
}

template <class D>
template <class T>
void Kernels<D>::packB(const View &b, int64_t b0, int64_t b1,
                       const unsigned *sel, unsigned w, int64_t k0, int64_t k,
                       T *packed) {
  using gemm::kNR;
  const float *base = b.data + (b0 * b.stride[0] + b1 * b.stride[1]) * L;
  int64_t cols = b.shape[3] * w, step = b.stride[3] * L;
  // All lanes of unit-stride rows: the packed columns are the floats.
  bool dense = w == L && b.stride[3] == 1;
  // Rows of a large operand are far apart: fetch a few rows ahead (also
  // past the tile, where the next for-loop iteration usually reads).
  constexpr int64_t kAhead = 16;
  int64_t span = ((b.shape[3] - 1) * b.stride[3] + 1) * L;
  bool prefetch = b.stride[2] * L > 64 && span <= 256;
  for (int64_t kk = 0; kk < b.shape[2]; ++kk) {
    const float *row = base + kk * b.stride[2] * L;
    if (prefetch) {
      auto ahead =
          reinterpret_cast<uintptr_t>(row) +
          static_cast<uintptr_t>(kAhead * b.stride[2] * L) * sizeof(float);
      for (int64_t f = 0; f < span + 16; f += 16)
        __builtin_prefetch(
            reinterpret_cast<const void *>(ahead + f * sizeof(float)));
    }
    T *dst0 = packed + (k0 + kk) * kNR;
    int64_t full = cols / kNR * kNR;
    // Whole panels with a constant trip count (and stride, if small).
    auto panels = [&](const float *src, auto s) {
      for (int64_t c0 = 0; c0 < full; c0 += kNR) {
        T *dst = dst0 + c0 * k;
        const float *from = src + c0 * s;
        for (int64_t c = 0; c < kNR; ++c)
          dst[c] = from[c * s];
      }
    };
    if (dense)
      panels(row, std::integral_constant<int64_t, 1>());
    else if (w == 1 && step == 2 && std::is_same_v<T, double>)
      gemm::widenPanels(row + sel[0], 2, full / kNR,
                        reinterpret_cast<double *>(dst0), kNR * k);
    else if (w == 1 && step == 2)
      gemm::narrowPanels(row + sel[0], 2, full / kNR,
                         reinterpret_cast<float *>(dst0), kNR * k);
    else if (w == 1)
      panels(row + sel[0], step);
    for (int64_t c0 = (dense || w == 1) ? full : 0; c0 < cols; c0 += kNR) {
      T *dst = dst0 + c0 * k;
      int64_t width = std::min(kNR, cols - c0);
      if (dense) {
        for (int64_t c = 0; c < width; ++c)
          dst[c] = row[c0 + c];
      } else if (w == 1) {
        const float *src = row + c0 * step + sel[0];
        for (int64_t c = 0; c < width; ++c)
          dst[c] = src[c * step];
      } else {
        for (int64_t c = 0; c < width; ++c) {
          int64_t col = c0 + c;
          dst[c] = row[(col / w) * step + sel[col % w]];
        }
      }
      for (int64_t c = width; c < kNR; ++c)
        dst[c] = 0;
    }
  }
}

template <class D>
template <class T>
const T *Kernels<D>::packOperand(const View &v, const View *v2, bool isA,
                                 int64_t b0, int64_t b1, unsigned rest,
                                 const unsigned *sel, unsigned w, int64_t k1,
                                 int64_t k, int64_t size,
                                 std::vector<T> &buffer) {
  bool filled = false;
  T *dst = nullptr;
  Derived kind = isA                        ? Derived::PackedA
                 : std::is_same_v<T, float> ? Derived::FloatPackedB
                                            : Derived::PackedB;
  if (!v2)
    dst = cached<T>(v, b0, b1, rest, kind, size, &filled);
  if (dst && filled)
    return dst;
  if (!dst) {
    if (buffer.size() < static_cast<size_t>(size))
      buffer.resize(static_cast<size_t>(size));
    dst = buffer.data();
  }
  if constexpr (std::is_same_v<T, double>) {
    if (isA) {
      packA(v, b0, b1, sel, w, 0, k, dst);
      if (v2)
        packA(*v2, b0, b1, sel, w, k1, k, dst);
      return dst;
    }
  }
  packB(v, b0, b1, sel, w, 0, k, dst);
  if (v2)
    packB(*v2, b0, b1, sel, w, k1, k, dst);
  return dst;
}

template <class D>
template <class T>
void Kernels<D>::multiplyPanels(int64_t m, int64_t cols, int64_t k, unsigned w,
                                const unsigned *sel, const double *pa,
                                const T *pb, double *c, int64_t ldc,
                                bool accumulate, int64_t *terms) {
  using gemm::kMR;
  using gemm::kNR;
  if (!accumulate) {
    *terms = 0;
    if (k == 0)
      std::fill(c, c + m * ldc, 0.0);
  }
  int64_t chunk = std::min<int64_t>(D::kChunk, k);
  for (int64_t k0 = 0; k0 < k; k0 += chunk) {
    int64_t len = std::min(chunk, k - k0);
    bool add = accumulate || k0 > 0;
    // A residue plus kChunk products is still below 2^53.
    if (add && *terms + len > D::kChunk) {
      for (int64_t i = 0; i < m; ++i)
        for (int64_t col = 0; col < cols; ++col)
          c[i * ldc + col] = D::reduce(c[i * ldc + col], sel[col % w]);
      *terms = 0;
    }
    if constexpr (std::is_same_v<T, float>)
      gemm::multiply(m, cols, len, pa + k0 * kMR, k * kMR, pb + k0 * kNR,
                     k * kNR, c, ldc, add);
    else
      gemm::multiply(m, cols, len, w, pa + k0 * kMR * w, k * kMR * w,
                     pb + k0 * kNR, k * kNR, c, ldc, D::kIsField, add);
    *terms = add ? *terms + len : len;
  }
}

template <class D>
void Kernels<D>::multiplyViews(const View &a, const View &b, const View *a2,
                               const View *b2, int64_t b0, int64_t b1,
                               unsigned rest, double *c, int64_t ldc,
                               bool accumulate, int64_t *terms) {
  using gemm::kMR;
  using gemm::kNR;
  unsigned sel[L], w = 0;
  for (unsigned l = 0; l < L; ++l)
    if (rest >> l & 1)
      sel[w++] = l;
  int64_t m = a.shape[2];
  int64_t k1 = a.shape[3], k = k1 + (a2 ? a2->shape[3] : 0);
  // Panels of a stable operand are kept (Q, K and V in MQA).
  const double *pa = packOperand(a, a2, true, b0, b1, rest, sel, w, k1, k,
                                 (m + kMR - 1) / kMR * k * kMR * w, packedA);
  // Residues are exact in floats: half the bytes to keep and to read.
  bool floatPanels = D::kIsField && w == 1;
  int64_t panelBytes = floatPanels ? sizeof(float) : sizeof(double);
  // B is packed a block of columns at a time, so that the packed panels
  // of a large operand (a 4096x6144 weight: 400 MB as double pairs) never
  // exist whole (docs/Semantics.md, "What the interpreter refuses"). A
  // block is a whole number of panels (its width times w a multiple of
  // kNR), so every panel, and therefore every product, is the one the
  // unblocked packing gives: the results do not change.
  int64_t n = b.shape[3];
  int64_t blockCols = std::max<int64_t>(
      kNR,
      kPackedBlockBytes / std::max<int64_t>(1, k * w * panelBytes) / kNR * kNR);
  if (blockCols >= n || k == 0)
    blockCols = n;
  int64_t startTerms = *terms;
  for (int64_t j0 = 0; j0 < n; j0 += blockCols) {
    int64_t width = std::min(blockCols, n - j0);
    View bb = b, bb2 = b2 ? *b2 : View();
    bb.shape[3] = width;
    if (b.drawn) {
      // A drawn operand (a weight not held, Evaluator::run): this block of
      // its batch (b0, b1) is drawn, a dense window with the same elements.
      bb.origin += j0 * b.stride[3] + b0 * b.stride[0] + b1 * b.stride[1];
      bb.shape[0] = bb.shape[1] = 1;
      bb = heldView(bb, L, drawnBlock);
      bb.stride[0] = bb.stride[1] = 0;
      if (drawnSums)
        // The column sums of the lane of ones (matmul), from this block.
        for (int64_t kk = 0; kk < k1; ++kk)
          gemm::addEvens(bb.data + kk * width * L + drawnSumsLane, width,
                         drawnSums + j0);
    } else {
      bb.data += j0 * b.stride[3] * L;
    }
    if (b2) {
      bb2.data += j0 * b2->stride[3] * L;
      bb2.shape[3] = width;
    }
    const View *pb2 = b2 ? &bb2 : nullptr;
    int64_t blockCount = width * w;
    int64_t sizeB = (blockCount + kNR - 1) / kNR * k * kNR;
    // Every block starts from the same count of accumulated terms.
    *terms = startTerms;
    double *cc = c + j0 * w;
    if (floatPanels) {
      const float *pb = packOperand(bb, pb2, false, b0, b1, rest, sel, w, k1, k,
                                    sizeB, packedBFloats);
      multiplyPanels(m, blockCount, k, w, sel, pa, pb, cc, ldc, accumulate,
                     terms);
      continue;
    }
    const double *pb = packOperand(bb, pb2, false, b0, b1, rest, sel, w, k1, k,
                                   sizeB, packedB);
    multiplyPanels(m, blockCount, k, w, sel, pa, pb, cc, ldc, accumulate,
                   terms);
  }
}

template <class D>
const double *Kernels<D>::columnSums(const View &b, const View *b2, int64_t b0,
                                     int64_t b1, unsigned l) {
  int64_t n = b.shape[3];
  // The sums of a stable b (V in MQA: every block along z loads the same
  // tiles) are kept.
  bool filled = false;
  double *sums = nullptr;
  if (!b2)
    sums = cached<double>(b, b0, b1, 1u << l, Derived::ColumnSums, n, &filled);
  if (sums && filled)
    return sums;
  if (!sums) {
    if (sumBuffer.size() < static_cast<size_t>(n))
      sumBuffer.resize(static_cast<size_t>(n));
    sums = sumBuffer.data();
  }
  std::fill(sums, sums + n, 0.0);
  for (const View *v : {&b, b2}) {
    if (!v)
      continue;
    const float *base =
        v->drawn ? nullptr
                 : v->data + (b0 * v->stride[0] + b1 * v->stride[1]) * L;
    for (int64_t kk = 0; kk < v->shape[2]; ++kk) {
      if (v->drawn) {
        // A row of a drawn operand, drawn (multiplyViews).
        drawnBlock.resize(static_cast<size_t>(n * L));
        drawElements(*v->drawn, L,
                     v->origin + b0 * v->stride[0] + b1 * v->stride[1] +
                         kk * v->stride[2],
                     v->stride[3], n, drawnBlock.data());
        gemm::addEvens(drawnBlock.data() + l, n, sums);
        continue;
      }
      const float *row = base + kk * v->stride[2] * L + l;
      if (v->stride[3] == 1) {
        gemm::addEvens(row, n, sums);
      } else {
        for (int64_t j = 0; j < n; ++j)
          sums[j] += row[j * v->stride[3] * L];
      }
    }
  }
  return sums;
}

template <class D>
void Kernels<D>::matmul(const View &a, const View &b, Tensor &out,
                        const View *a2, const View *b2, unsigned lanes) {
  Dims shape = padShape(out.shape);
  int64_t m = shape[2], n = shape[3];
  for (int64_t b0 = 0; b0 < shape[0]; ++b0)
    for (int64_t b1 = 0; b1 < shape[1]; ++b1) {
      float *y = out.data.data() + (b0 * shape[1] + b1) * m * n * L;
      unsigned rest = lanes & kAllLanes;
      // The lane of ones below, as floats (none: -1).
      int onesLane = -1;
      if constexpr (D::kIsField) {
        // A lane of ones (the mod-q lane of exp): every row of the product
        // is the column sums of b; they are exact without reduction.
        unsigned ones = 0;
        for (unsigned l = 0; l < L; ++l)
          // (Not with a fused exp: the matmul below applies it.)
          if ((lanes >> l & 1) && !(lanes & kExpOfQLane) &&
              allOnes(a, b0, b1, l) && (!a2 || allOnes(*a2, b0, b1, l)))
            ones |= 1u << l;
        rest &= ~ones;
        // A drawn b with a lane of ones and another lane to multiply: the
        // column sums are taken from the blocks multiplyViews draws, not
        // from a draw of their own (every element of b would be drawn
        // twice).
        if (b.drawn && !b2 && rest && ones) {
          if (sumBuffer.size() < static_cast<size_t>(n))
            sumBuffer.resize(static_cast<size_t>(n));
          std::fill(sumBuffer.begin(), sumBuffer.begin() + n, 0.0);
          drawnSums = sumBuffer.data();
          drawnSumsLane = static_cast<unsigned>(ones == 1u ? 0 : 1);
        }
        for (unsigned l = 0; l < L; ++l) {
          if (!(ones >> l & 1))
            continue;
          if (drawnSums) {
            // (Its lane is written below, after multiplyViews.)
            onesLane = static_cast<int>(l);
            continue;
          }
          const double *sums = columnSums(b, b2, b0, b1, l);
          const unsigned lane[2] = {l, l};
          if (lanes == kAllLanes && rest) {
            // The other lane (L = 2) comes from the matmul below: both are
            // written together, row by row.
            if (onesRow.size() < static_cast<size_t>(n))
              onesRow.resize(static_cast<size_t>(n));
            gemm::reduceToFloats(sums, n, lane, onesRow.data(), 1);
            onesLane = static_cast<int>(l);
            continue;
          }
          gemm::reduceToFloats(sums, n, lane, y + l, L);
          if (lanes != kAllLanes)
            for (int64_t i = 1; i < m; ++i)
              for (int64_t j = 0; j < n; ++j)
                y[(i * n + j) * L + l] = y[j * L + l];
        }
        // All lanes are ones: copy whole rows.
        if (lanes == kAllLanes && !rest)
          for (int64_t i = 1; i < m; ++i)
            std::copy(y, y + n * L, y + i * n * L);
      }
      if (!rest)
        continue;
      unsigned sel[L], w = 0;
      for (unsigned l = 0; l < L; ++l)
        if (rest >> l & 1)
          sel[w++] = l;
      int64_t cols = n * w, ldc = (cols + 3) / 4 * 4;
      // Grown, never shrunk: the two matmuls of a loop body would zero
      // the difference on every call.
      if (accBuffer.size() < static_cast<size_t>(m * ldc))
        accBuffer.resize(static_cast<size_t>(m * ldc));
      int64_t terms = 0;
      multiplyViews(a, b, a2, b2, b0, b1, rest, accBuffer.data(), ldc,
                    /*accumulate=*/false, &terms);
      if constexpr (D::kIsField) {
        if (drawnSums) {
          // The column sums of the lane of ones, from the drawn blocks.
          const unsigned lane[2] = {drawnSumsLane, drawnSumsLane};
          drawnSums = nullptr;
          float *to = y + drawnSumsLane;
          int64_t stride = L;
          if (lanes == kAllLanes) {
            if (onesRow.size() < static_cast<size_t>(n))
              onesRow.resize(static_cast<size_t>(n));
            to = onesRow.data();
            stride = 1;
          }
          gemm::reduceToFloats(sumBuffer.data(), n, lane, to, stride);
          if (lanes != kAllLanes) {
            for (int64_t i = 1; i < m; ++i)
              for (int64_t j = 0; j < n; ++j)
                y[(i * n + j) * L + drawnSumsLane] = y[j * L + drawnSumsLane];
            onesLane = -1;
          }
        }
        if (lanes & kExpOfQLane) {
          // The consumer exp, fused: rest is the q lane alone.
          for (int64_t i = 0; i < m; ++i)
            gemm::expOfSums(accBuffer.data() + i * ldc, n, y + i * n * L);
          continue;
        }
        if (onesLane >= 0) {
          // One lane computed, the other the column sums.
          for (int64_t i = 0; i < m; ++i)
            gemm::reduceInterleaved(accBuffer.data() + i * ldc, n, sel[0],
                                    onesRow.data(), y + i * n * L);
          continue;
        }
        // Columns are (j, lane sel[c % w]): with all lanes the floats of a
        // row, with one lane every L-th float.
        const unsigned pattern[2] = {sel[0], sel[w - 1]};
        for (int64_t i = 0; i < m; ++i)
          gemm::reduceToFloats(accBuffer.data() + i * ldc, cols, pattern,
                               y + i * n * L + (w == L ? 0 : sel[0]),
                               w == L ? 1 : L);
      } else {
        for (int64_t i = 0; i < m; ++i)
          for (int64_t c = 0; c < cols; ++c)
            y[i * n + c] = D::finish(accBuffer[i * ldc + c], 0, out.dtype);
      }
    }
}

template <class D>
void Kernels<D>::matmulInto(const View &a, const View &b, MatmulSums &sums) {
  int64_t m = a.shape[2], n = b.shape[3];
  unsigned ones = a.onesLanes & kAllLanes, rest = kAllLanes & ~ones;
  unsigned w = 0;
  for (unsigned l = 0; l < L; ++l)
    w += rest >> l & 1;
  int64_t cols = n * w, ldc = (cols + 3) / 4 * 4;
  if (sums.empty) {
    sums.c.resize(static_cast<size_t>(m * ldc));
    sums.columns.assign(static_cast<size_t>(n * L), 0.0);
  }
  for (unsigned l = 0; l < L; ++l)
    if (ones >> l & 1) {
      const double *add = columnSums(b, nullptr, 0, 0, l);
      double *to = sums.columns.data() + l * n;
      for (int64_t j = 0; j < n; ++j)
        to[j] += add[j];
    }
  if (w)
    multiplyViews(a, b, nullptr, nullptr, 0, 0, rest, sums.c.data(), ldc,
                  /*accumulate=*/!sums.empty, &sums.terms);
  sums.empty = false;
}

template <class D>
void Kernels<D>::finishSums(const MatmulSums &sums, int64_t m, int64_t n,
                            unsigned onesLanes, float *out) {
  if constexpr (D::kIsField) {
    static_assert(L == 2, "fingerprints have two lanes");
    if (sums.empty) {
      std::fill(out, out + m * n * L, 0.0f);
      return;
    }
    // The rows of the lanes of ones are all the same.
    if (onesRow.size() < static_cast<size_t>(n * L))
      onesRow.resize(static_cast<size_t>(n * L));
    const unsigned lanes[2] = {0, 1};
    for (unsigned l = 0; l < L; ++l)
      if (onesLanes >> l & 1) {
        const unsigned lane[2] = {l, l};
        gemm::reduceToFloats(sums.columns.data() + l * n, n, lane,
                             onesRow.data() + l * n, 1);
      }
    switch (onesLanes & kAllLanes) {
    case 0: {
      int64_t ldc = (n * L + 3) / 4 * 4;
      for (int64_t i = 0; i < m; ++i)
        gemm::reduceToFloats(sums.c.data() + i * ldc, n * L, lanes,
                             out + i * n * L, 1);
      return;
    }
    case 1:
    case 2: {
      unsigned computed = onesLanes == 1 ? 1 : 0;
      const float *ones = onesRow.data() + (1 - computed) * n;
      int64_t ldc = (n + 3) / 4 * 4;
      for (int64_t i = 0; i < m; ++i)
        gemm::reduceInterleaved(sums.c.data() + i * ldc, n, computed, ones,
                                out + i * n * L);
      return;
    }
    default:
      for (int64_t i = 0; i < m; ++i)
        for (int64_t j = 0; j < n; ++j)
          for (unsigned l = 0; l < L; ++l)
            out[(i * n + j) * L + l] = onesRow[l * n + j];
    }
  }
}

template <class D>
void Kernels<D>::reduce(const View &in, unsigned dim, int64_t size,
                        Tensor &out) {
  Dims outShape = in.shape;
  outShape[dim] = size;
  int64_t count = in.shape[dim] / size;
  int64_t step = size * in.stride[dim];
  float *y = out.data.data();
  forEach(
      outShape,
      [&](int64_t o, int64_t i) {
        for (unsigned l = 0; l < L; ++l) {
          double sum = 0;
          for (int64_t k = 0; k < count; ++k)
            sum += in.data[(i + k * step) * L + l];
          y[o * L + l] = D::finish(sum, l, out.dtype);
        }
      },
      in.stride);
}

template <class D>
void Kernels<D>::reduceMax(const View &in, unsigned dim, Tensor &out) {
  Dims outShape = in.shape;
  outShape[dim] = 1;
  int64_t count = in.shape[dim];
  int64_t step = in.stride[dim];
  float *y = out.data.data();
  forEach(
      outShape,
      [&](int64_t o, int64_t i) {
        double best[L], v[L];
        for (int64_t k = 0; k < count; ++k) {
          for (unsigned l = 0; l < L; ++l)
            v[l] = in.data[(i + k * step) * L + l];
          if (k == 0 || D::greater(v, best))
            std::copy(v, v + L, best);
        }
        for (unsigned l = 0; l < L; ++l)
          y[o * L + l] = D::finish(best[l], l, out.dtype);
      },
      in.stride);
}

template <class D>
void Kernels<D>::reduceMean(const View &in, unsigned dim, Tensor &out) {
  Dims outShape = in.shape;
  outShape[dim] = 1;
  int64_t count = in.shape[dim];
  int64_t step = in.stride[dim];
  float *y = out.data.data();
  forEach(
      outShape,
      [&](int64_t o, int64_t i) {
        for (unsigned l = 0; l < L; ++l) {
          double sum = 0;
          for (int64_t k = 0; k < count; ++k)
            sum += in.data[(i + k * step) * L + l];
          y[o * L + l] = D::finish(dom.divCount(sum, count, l), l, out.dtype);
        }
      },
      in.stride);
}

template <class D>
void Kernels<D>::rmsNorm(const View &in, int64_t rowLength, double eps,
                         const View *weight, Tensor &out) {
  scratch.resize(out.data.size());
  copy(in, scratch.data());
  std::vector<float> w;
  if (weight) {
    w.resize(static_cast<size_t>(rowLength * L));
    copy(*weight, w.data());
  }
  int64_t rows = out.numElements() / rowLength;
  float *y = out.data.data();
  for (int64_t r = 0; r < rows; ++r) {
    const float *x = scratch.data() + r * rowLength * L;
    // The factor needs every lane at once (sqrt of fingerprints is a
    // function of the residue pair).
    double sums[L], factors[L];
    for (unsigned l = 0; l < L; ++l) {
      sums[l] = 0;
      for (int64_t j = 0; j < rowLength; ++j)
        sums[l] += D::square(x[j * L + l], l);
    }
    dom.rmsFactors(sums, rowLength, eps, factors);
    for (unsigned l = 0; l < L; ++l) {
      double factor = factors[l];
      for (int64_t j = 0; j < rowLength; ++j) {
        double v = D::mul(x[j * L + l], factor, l);
        if (weight)
          v = D::mul(v, w[j * L + l], l);
        y[(r * rowLength + j) * L + l] = D::finish(v, l, out.dtype);
      }
    }
  }
}

template <class D>
void Kernels<D>::concat(llvm::ArrayRef<View> inputs, unsigned dim,
                        Tensor &out) {
  Dims outStrides = denseStrides(padShape(out.shape));
  int64_t start = 0;
  for (const View &in : inputs) {
    float *y = out.data.data() + start * outStrides[dim] * L;
    forEach2(in.shape, in.stride, outStrides,
             [&](int64_t, int64_t i, int64_t j) {
               for (unsigned l = 0; l < L; ++l)
                 y[j * L + l] = in.data[i * L + l];
             });
    start += in.shape[dim];
  }
}

template class mirage::detail::Kernels<FloatDomain>;
template class mirage::detail::Kernels<FieldDomain>;
