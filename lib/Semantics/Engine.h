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

#include <array>
#include <vector>

namespace mirage::detail {

using Dims = std::array<int64_t, 4>;

/// A read-only strided window on float storage.
struct View {
  const float *data = nullptr;
  Dims shape = {1, 1, 1, 1};
  Dims stride = {0, 0, 0, 0};
};

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
        std::vector<float> inverses(static_cast<size_t>(
            b.shape[0] * b.shape[1] * b.shape[2] * b.shape[3] * L));
        forEach(
            b.shape,
            [&](int64_t o, int64_t i) {
              for (unsigned l = 0; l < L; ++l)
                inverses[o * L + l] =
                    static_cast<float>(dom.inv(b.data[i * L + l], l));
            },
            b.stride);
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
  /// With `lanes` = 2 | kExpOfQLane (fingerprints): out = exp(a x b), from
  /// the mod-q lane of the product (see FieldDomain::unary).
  static constexpr unsigned kExpOfQLane = 1u << 8;

  /// Strided sum of dim `dim` (padded) down to `size` elements.
  void reduce(const View &in, unsigned dim, int64_t size, Tensor &out);

  /// x / sqrt(mean(x^2) + eps) * weight over the trailing `rowLength`
  /// elements of every row.
  void rmsNorm(const View &in, int64_t rowLength, double eps,
               const View *weight, Tensor &out);

  /// Concatenation along padded dim `dim`.
  void concat(llvm::ArrayRef<View> inputs, unsigned dim, Tensor &out);

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
  /// Whether lane `lane` of batch (b0, b1) of `a` is 1 everywhere.
  static bool allOnes(const View &a, int64_t b0, int64_t b1, unsigned lane);
  /// Packs lanes `sel[0..w)` of batch (b0, b1) of a (rows) and b (columns)
  /// into the panels of Gemm.h, k-offset `k0` of `k` terms in all.
  void packA(const View &a, int64_t b0, int64_t b1, const unsigned *sel,
             unsigned w, int64_t k0, int64_t k);
  void packB(const View &b, int64_t b0, int64_t b1, const unsigned *sel,
             unsigned w, int64_t k0, int64_t k);

  D &dom;
  std::vector<double> packedA, packedB, accBuffer, sumBuffer;
  std::vector<float> scratch;
};

extern template class Kernels<FloatDomain>;
extern template class Kernels<FieldDomain>;

} // namespace mirage::detail

#endif // MIRAGE_LIB_SEMANTICS_ENGINE_H
