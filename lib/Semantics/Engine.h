//===- Engine.h - Layout work of the interpreter, per number system -*- C++
//-*-//
//
// Strided views and the tensor kernels (element-wise with broadcast, batched
// matmul, strided reductions, rms_norm, concat), written once and
// instantiated for both domains of Domains.h. Every shape is padded at the
// front to rank 4; strides count elements (an element is D::L floats).
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_LIB_SEMANTICS_ENGINE_H
#define MIRAGE_LIB_SEMANTICS_ENGINE_H

#include "Domains.h"
#include "Mirage/Semantics/Interpreter.h"

#include "llvm/ADT/ArrayRef.h"

#include <algorithm>
#include <array>
#include <map>
#include <memory>
#include <vector>

namespace mirage::detail {

using Dims = std::array<int64_t, 4>;

/// A read-only strided window on float storage.
struct View {
  const float *data = nullptr;
  Dims shape = {1, 1, 1, 1};
  Dims stride = {0, 0, 0, 0};
  /// The data do not change while a block graph runs (a window on one of
  /// its inputs): kernels may keep work derived from them (Kernels::cached).
  bool stable = false;
  /// A bit set of lanes known to be 1 everywhere (the mod-q lane of exp).
  unsigned onesLanes = 0;
  /// Set for a window on a drawn input (Tensor::drawn): `data` is null and
  /// the element at index i is the input's element origin + sum_d i_d *
  /// stride[d], drawn where it is read (drawView).
  const Tensor *drawn = nullptr;
  int64_t origin = 0;
};

/// Draws `count` elements of the drawn input `input` (`lanes` floats each),
/// from flat element `first` on, every `step`-th, into `out`: exactly
/// randomInput's values.
void drawElements(const Tensor &input, unsigned lanes, int64_t first,
                  int64_t step, int64_t count, float *out);
/// Draws every element of the drawn window `view` into dense storage of its
/// shape (`lanes` floats an element).
void drawView(const View &view, unsigned lanes, float *out);
/// `view` itself, or for a drawn window its elements drawn into `storage`
/// (resized) and a dense view of them.
View heldView(const View &view, unsigned lanes, std::vector<float> &storage);

/// `shape` padded at the front to rank 4.
Dims padShape(llvm::ArrayRef<int64_t> shape);
/// Row-major strides of a padded shape.
Dims denseStrides(const Dims &shape);
/// The view of a whole tensor.
View viewOf(const Tensor &tensor);
/// `view` broadcast to `shape`: extent-1 dims get stride 0.
View broadcastTo(View view, const Dims &shape);
/// The padded index of dim `dim` of a rank-`rank` value.
inline unsigned padDim(int64_t dim, size_t rank) {
  return static_cast<unsigned>(dim + (4 - static_cast<int64_t>(rank)));
}

/// The sums of an accumulator that only a matmul feeds (fingerprints): the
/// lanes the matmul computes, unreduced (their residues are the same), and
/// the column sums of b for its lanes of ones (Kernels::matmulInto).
struct MatmulSums {
  std::vector<double> c;       // m x ldc: the kernel's C.
  std::vector<double> columns; // L x n.
  int64_t terms = 0;           // Products in c since its last reduction.
  bool empty = true;
};

/// The bytes of packed stable operands an evaluation keeps (Kernels::cached).
inline constexpr int64_t kPackedCacheBytes = int64_t(32) << 20;
/// The bytes of B's panels packed at once (Kernels::multiplyViews): a block
/// of whole panels of columns, at least one panel.
inline constexpr int64_t kPackedBlockBytes = int64_t(8) << 20;

template <class D> class Kernels {
public:
  static constexpr unsigned L = D::L;
  explicit Kernels(D &domain) : dom(domain) {}

  /// Copies a view into dense storage of its shape.
  void copy(const View &in, float *out) {
    forEach(
        in.shape,
        [&](int64_t o, int64_t i) {
          for (unsigned l = 0; l < L; ++l)
            out[o * L + l] = in.data[i * L + l];
        },
        in.stride);
  }

  /// Every element of `out` is `value` (kernel.constant).
  void fill(double value, Tensor &out) {
    double r[L];
    dom.constantElement(value, r);
    float element[L];
    for (unsigned l = 0; l < L; ++l)
      element[l] = D::finish(r[l], l, out.dtype);
    float *y = out.data.data();
    size_t count = out.data.size() / L;
    for (size_t o = 0; o < count; ++o)
      for (unsigned l = 0; l < L; ++l)
        y[o * L + l] = element[l];
  }

  void unary(const OpNode &node, const View &in, Tensor &out) {
    if constexpr (D::kIsField)
      if (node.kind == OpKind::Exp)
        return expField(in, out);
    float *y = out.data.data();
    forEach(
        in.shape,
        [&](int64_t o, int64_t i) {
          double x[L], r[L];
          for (unsigned l = 0; l < L; ++l)
            x[l] = in.data[i * L + l];
          dom.unary(node, x, r);
          for (unsigned l = 0; l < L; ++l)
            y[o * L + l] = D::finish(r[l], l, out.dtype);
        },
        in.stride);
  }

  void binary(OpKind kind, View a, View b, Tensor &out) {
    if constexpr (D::kIsField) {
      // Invert each divisor element once (the divisor is often a
      // broadcast row sum), then multiply.
      if (kind == OpKind::Div) {
        int64_t count = b.shape[0] * b.shape[1] * b.shape[2] * b.shape[3];
        std::vector<float> inverses(static_cast<size_t>(count * L));
        copy(b, inverses.data());
        if (std::find(inverses.begin(), inverses.end(), 0.0f) ==
            inverses.end()) {
          invertAll(inverses.data(), count);
        } else {
          // Inconclusive: dom.inv reports the first zero.
          for (float &v : inverses)
            v = static_cast<float>(
                dom.inv(v, static_cast<unsigned>(&v - inverses.data()) % L));
        }
        View inverted = b;
        inverted.data = inverses.data();
        inverted.stride = denseStrides(b.shape);
        return binaryLoop(OpKind::Mul, a, inverted, out);
      }
    }
    binaryLoop(kind, a, b, out);
  }

  void binaryLoop(OpKind kind, View a, View b, Tensor &out) {
    Dims shape = padShape(out.shape);
    a = broadcastTo(a, shape);
    b = broadcastTo(b, shape);
    float *y = out.data.data();
    if (D::kIsField && kind == OpKind::Mul && mulRows(a, b, shape, y))
      return;
    forEach2(shape, a.stride, b.stride, [&](int64_t o, int64_t i, int64_t j) {
      double x[L], z[L], r[L];
      for (unsigned l = 0; l < L; ++l) {
        x[l] = a.data[i * L + l];
        z[l] = b.data[j * L + l];
      }
      dom.binary(kind, x, z, r);
      for (unsigned l = 0; l < L; ++l)
        y[o * L + l] = D::finish(r[l], l, out.dtype);
    });
  }

  /// out = a x b (+ a2 x b2 for concat_matmul), batched over the two
  /// leading padded dims; accumulation in double (for each element in
  /// increasing k, a's terms before a2's), reduced every kChunk products,
  /// rounded once. Only the lanes in the bit set `lanes` are written.
  void matmul(const View &a, const View &b, Tensor &out,
              const View *a2 = nullptr, const View *b2 = nullptr,
              unsigned lanes = kAllLanes);
  static constexpr unsigned kAllLanes = (1u << L) - 1;
  /// sums += a x b for one (unbatched) tile, without reducing or rounding
  /// the product: the accumulator's result is the same (fingerprints).
  /// Lanes of a that are 1 by construction (View::onesLanes) add the
  /// column sums of b.
  void matmulInto(const View &a, const View &b, MatmulSums &sums);
  /// out (m x n fingerprints) = the residues of the sums.
  void finishSums(const MatmulSums &sums, int64_t m, int64_t n,
                  unsigned onesLanes, float *out);
  /// With `lanes` = 2 | kExpOfQLane (fingerprints): out = exp(a x b), from
  /// the mod-q lane of the product (see FieldDomain::unary).
  static constexpr unsigned kExpOfQLane = 1u << 8;

  /// Strided sum of dim `dim` (padded) down to `size` elements.
  void reduce(const View &in, unsigned dim, int64_t size, Tensor &out);
  /// The maximum of dim `dim` (padded), in the order of D::greater (the max
  /// accumulator's: a NaN, once seen, stays; +0 is above -0).
  void reduceMax(const View &in, unsigned dim, Tensor &out);
  /// The mean of dim `dim` (padded): D::divCount of the sum.
  void reduceMean(const View &in, unsigned dim, Tensor &out);

  /// x / sqrt(mean(x^2) + eps) * weight over the trailing `rowLength`
  /// elements of every row.
  void rmsNorm(const View &in, int64_t rowLength, double eps,
               const View *weight, Tensor &out);

  /// Concatenation along padded dim `dim`.
  void concat(llvm::ArrayRef<View> inputs, unsigned dim, Tensor &out);

  /// Forgets the work kept for stable operands (their storage may be freed
  /// after the block graph).
  void clearCache() {
    cache.clear();
    cachedBytes = 0;
  }

  /// Calls f(denseIndex, strided offset) for every index of `shape`.
  template <class F>
  static void forEach(const Dims &shape, F f, const Dims &stride) {
    int64_t o = 0;
    for (int64_t i0 = 0; i0 < shape[0]; ++i0)
      for (int64_t i1 = 0; i1 < shape[1]; ++i1)
        for (int64_t i2 = 0; i2 < shape[2]; ++i2) {
          int64_t base = i0 * stride[0] + i1 * stride[1] + i2 * stride[2];
          for (int64_t i3 = 0; i3 < shape[3]; ++i3)
            f(o++, base + i3 * stride[3]);
        }
  }
  template <class F>
  static void forEach2(const Dims &shape, const Dims &sa, const Dims &sb, F f) {
    int64_t o = 0;
    for (int64_t i0 = 0; i0 < shape[0]; ++i0)
      for (int64_t i1 = 0; i1 < shape[1]; ++i1)
        for (int64_t i2 = 0; i2 < shape[2]; ++i2) {
          int64_t ba = i0 * sa[0] + i1 * sa[1] + i2 * sa[2];
          int64_t bb = i0 * sb[0] + i1 * sb[1] + i2 * sb[2];
          for (int64_t i3 = 0; i3 < shape[3]; ++i3)
            f(o++, ba + i3 * sa[3], bb + i3 * sb[3]);
        }
  }

private:
  /// Exp of fingerprints (FieldDomain::unary), in bulk: table products,
  /// then one vectorized reduction.
  void expField(const View &in, Tensor &out);
  /// Replaces `count` fingerprints, none with a zero lane, by their
  /// inverses: one inversion per lane (Montgomery's batch inversion).
  void invertAll(float *values, int64_t count);
  /// Fingerprint products of views broadcast to `shape`, row by row, when
  /// a's rows are dense and b's dense or one element; false otherwise.
  bool mulRows(const View &a, const View &b, const Dims &shape, float *y);
  /// Whether lane `lane` of batch (b0, b1) of `a` is 1 everywhere.
  static bool allOnes(const View &a, int64_t b0, int64_t b1, unsigned lane);
  /// Packs lanes `sel[0..w)` of batch (b0, b1) of a (rows) and b (columns)
  /// into the panels of Gemm.h at `dst`, k-offset `k0` of `k` terms in all.
  void packA(const View &a, int64_t b0, int64_t b1, const unsigned *sel,
             unsigned w, int64_t k0, int64_t k, double *dst);
  template <class T>
  void packB(const View &b, int64_t b0, int64_t b1, const unsigned *sel,
             unsigned w, int64_t k0, int64_t k, T *dst);

  /// Panels of batch (b0, b1) of v (and v2 at k-offset k1) for lanes `sel`
  /// of the bit set `rest`: kept ones where v is stable, else in `buffer`.
  /// B panels are floats (T = float) for fingerprints of one lane.
  template <class T>
  const T *packOperand(const View &v, const View *v2, bool isA, int64_t b0,
                       int64_t b1, unsigned rest, const unsigned *sel,
                       unsigned w, int64_t k1, int64_t k, int64_t size,
                       std::vector<T> &buffer);
  /// c (m x ldc) = (or +=, with `accumulate`) the product of packed panels
  /// over lanes sel[0..w); *terms counts the products in c since it was
  /// last reduced, which happens before kChunk would be exceeded.
  template <class T>
  void multiplyPanels(int64_t m, int64_t cols, int64_t k, unsigned w,
                      const unsigned *sel, const double *pa, const T *pb,
                      double *c, int64_t ldc, bool accumulate, int64_t *terms);
  /// The product of a and b (and a2 x b2) for lanes `rest` into c, packing
  /// (or finding) the panels.
  void multiplyViews(const View &a, const View &b, const View *a2,
                     const View *b2, int64_t b0, int64_t b1, unsigned rest,
                     double *c, int64_t ldc, bool accumulate, int64_t *terms);
  /// The column sums of lane l of batch (b0, b1) of b (and b2), exact:
  /// kept ones where b is stable, else in sumBuffer.
  const double *columnSums(const View &b, const View *b2, int64_t b0,
                           int64_t b1, unsigned l);

  /// Work derived from batch (b0, b1) of a stable view: its packed panels
  /// as an A or a B operand, or the column sums of one lane.
  enum class Derived : unsigned { PackedA, PackedB, FloatPackedB, ColumnSums };
  struct CacheKey {
    const float *data;
    Dims shape, stride;
    unsigned lanes;
    Derived kind;
    bool operator<(const CacheKey &o) const;
  };
  struct CacheEntry {
    // Not zeroed: they are filled first.
    std::unique_ptr<double[]> doubles;
    std::unique_ptr<float[]> floats;
    double *get(double *) { return doubles.get(); }
    float *get(float *) { return floats.get(); }
    void allocate(size_t n, double *) { doubles.reset(new double[n]); }
    void allocate(size_t n, float *) { floats.reset(new float[n]); }
  };
  /// Storage for `size` elements of derived work, or nullptr. A tile that
  /// several blocks load (K and V in MQA) is asked for again and again: the
  /// first request only records the key (most tiles are loaded once), the
  /// second returns empty storage to fill (*filled = false) and every later
  /// one the filled storage (*filled = true). At most kCacheBudget bytes.
  template <class T>
  T *cached(const View &v, int64_t b0, int64_t b1, unsigned lanes, Derived kind,
            int64_t size, bool *filled);
  static constexpr int64_t kCacheBudget = kPackedCacheBytes;

  D &dom;
  std::vector<double> packedA, packedB, accBuffer, sumBuffer;
  std::vector<float> packedBFloats, scratch, onesRow, drawnBlock;
  /// While matmul multiplies a drawn b with a lane of ones: where
  /// multiplyViews adds the column sums of that lane of the blocks it draws.
  double *drawnSums = nullptr;
  unsigned drawnSumsLane = 0;
  std::map<CacheKey, CacheEntry> cache;
  int64_t cachedBytes = 0;
};

extern template class Kernels<FloatDomain>;
extern template class Kernels<FieldDomain>;

} // namespace mirage::detail

#endif // MIRAGE_LIB_SEMANTICS_ENGINE_H
