//===- Engine.cpp - Tensor kernels of the interpreter ---------------------===//

#include "Engine.h"
#include "Gemm.h"

#include <algorithm>
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
  return view;
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

template <class D>
bool Kernels<D>::allOnes(const View &a, int64_t b0, int64_t b1, unsigned lane) {
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
void Kernels<D>::packA(const View &a, int64_t b0, int64_t b1,
                       const unsigned *sel, unsigned w, int64_t k0, int64_t k) {
  using gemm::kMR;
  const float *base = a.data + (b0 * a.stride[0] + b1 * a.stride[1]) * L;
  int64_t step = a.stride[3] * L;
  if (w == 1 && step == 2 && a.shape[2] % kMR == 0) {
    for (int64_t i = 0; i < a.shape[2]; i += kMR)
      gemm::packA4(base + i * a.stride[2] * L + sel[0], a.stride[2] * L,
                   a.shape[3], packedA.data() + i * k + k0 * kMR);
    return;
  }
  for (int64_t i = 0; i < a.shape[2]; ++i) {
    double *dst =
        packedA.data() + (i / kMR) * k * kMR * w + k0 * kMR * w + (i % kMR) * w;
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
void Kernels<D>::packB(const View &b, int64_t b0, int64_t b1,
                       const unsigned *sel, unsigned w, int64_t k0, int64_t k) {
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
    double *dst0 = packedB.data() + (k0 + kk) * kNR;
    int64_t full = cols / kNR * kNR;
    // Whole panels with a constant trip count (and stride, if small).
    auto panels = [&](const float *src, auto s) {
      for (int64_t c0 = 0; c0 < full; c0 += kNR) {
        double *dst = dst0 + c0 * k;
        const float *from = src + c0 * s;
        for (int64_t c = 0; c < kNR; ++c)
          dst[c] = from[c * s];
      }
    };
    if (dense)
      panels(row, std::integral_constant<int64_t, 1>());
    else if (w == 1 && step == 2)
      gemm::widenPanels(row + sel[0], 2, full / kNR, dst0, kNR * k);
    else if (w == 1)
      panels(row + sel[0], step);
    for (int64_t c0 = (dense || w == 1) ? full : 0; c0 < cols; c0 += kNR) {
      double *dst = dst0 + c0 * k;
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
void Kernels<D>::matmul(const View &a, const View &b, Tensor &out,
                        const View *a2, const View *b2, unsigned lanes) {
  using gemm::kMR;
  using gemm::kNR;
  Dims shape = padShape(out.shape);
  int64_t m = shape[2], n = shape[3];
  int64_t k1 = a.shape[3], k = k1 + (a2 ? a2->shape[3] : 0);
  for (int64_t b0 = 0; b0 < shape[0]; ++b0)
    for (int64_t b1 = 0; b1 < shape[1]; ++b1) {
      float *y = out.data.data() + (b0 * shape[1] + b1) * m * n * L;
      unsigned rest = lanes & kAllLanes;
      if constexpr (D::kIsField) {
        // A lane of ones (the mod-q lane of exp): every row of the product
        // is the column sums of b; they are exact without reduction.
        for (unsigned l = 0; l < L; ++l) {
          // (Not with a fused exp: the matmul below applies it.)
          if (!(lanes >> l & 1) || (lanes & kExpOfQLane) ||
              !allOnes(a, b0, b1, l) || (a2 && !allOnes(*a2, b0, b1, l)))
            continue;
          rest &= ~(1u << l);
          sumBuffer.assign(static_cast<size_t>(n), 0.0);
          for (const View *v : {&b, b2}) {
            if (!v)
              continue;
            const float *base =
                v->data + (b0 * v->stride[0] + b1 * v->stride[1]) * L;
            double *sums = sumBuffer.data();
            for (int64_t kk = 0; kk < v->shape[2]; ++kk) {
              const float *row = base + kk * v->stride[2] * L + l;
              if (v->stride[3] == 1) {
                gemm::addEvens(row, n, sums);
              } else {
                for (int64_t j = 0; j < n; ++j)
                  sums[j] += row[j * v->stride[3] * L];
              }
            }
          }
          const unsigned lane[2] = {l, l};
          gemm::reduceToFloats(sumBuffer.data(), n, lane, y + l, L);
          if (lanes != kAllLanes)
            for (int64_t i = 1; i < m; ++i)
              for (int64_t j = 0; j < n; ++j)
                y[(i * n + j) * L + l] = y[j * L + l];
        }
        // All lanes wanted: copy whole rows; the matmul below overwrites
        // the other lanes of every row.
        if (lanes == kAllLanes && rest != lanes)
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
      auto grow = [](std::vector<double> &v, int64_t size) {
        if (v.size() < static_cast<size_t>(size))
          v.resize(static_cast<size_t>(size));
      };
      grow(packedA, (m + kMR - 1) / kMR * k * kMR * w);
      grow(packedB, (cols + kNR - 1) / kNR * k * kNR);
      packA(a, b0, b1, sel, w, 0, k);
      packB(b, b0, b1, sel, w, 0, k);
      if (a2) {
        packA(*a2, b0, b1, sel, w, k1, k);
        packB(*b2, b0, b1, sel, w, k1, k);
      }
      // Grown, never shrunk: the two matmuls of a loop body would zero
      // the difference on every call.
      grow(accBuffer, m * ldc);
      if (k == 0)
        std::fill(accBuffer.begin(), accBuffer.begin() + m * ldc, 0.0);
      int64_t chunk = std::min<int64_t>(D::kChunk, k);
      for (int64_t k0 = 0; k0 < k; k0 += chunk) {
        if (k0)
          for (int64_t i = 0; i < m; ++i)
            for (int64_t c = 0; c < cols; ++c)
              accBuffer[i * ldc + c] =
                  D::reduce(accBuffer[i * ldc + c], sel[c % w]);
        gemm::multiply(m, cols, std::min(chunk, k - k0), w,
                       packedA.data() + k0 * kMR * w, k * kMR * w,
                       packedB.data() + k0 * kNR, k * kNR, accBuffer.data(),
                       ldc, D::kIsField, /*accumulate=*/k0 > 0);
      }
      if constexpr (D::kIsField) {
        if (lanes & kExpOfQLane) {
          // The consumer exp, fused: rest is the q lane alone.
          for (int64_t i = 0; i < m; ++i)
            gemm::expOfSums(accBuffer.data() + i * ldc, n, y + i * n * L);
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
    for (unsigned l = 0; l < L; ++l) {
      double sum = 0;
      for (int64_t j = 0; j < rowLength; ++j)
        sum += D::square(x[j * L + l], l);
      double factor = dom.rmsFactor(sum, rowLength, eps, l);
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
