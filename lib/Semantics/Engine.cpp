//===- Engine.cpp - Tensor kernels of the interpreter ---------------------===//

#include "Engine.h"

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

template <class D>
void Kernels<D>::accumulateProducts(const View &a, const View &b, int64_t b0,
                                    int64_t b1, int64_t i, double *acc,
                                    int64_t &terms) {
  int64_t k = a.shape[3], n = b.shape[3];
  const float *arow =
      a.data + (b0 * a.stride[0] + b1 * a.stride[1] + i * a.stride[2]) * L;
  const float *bbase = b.data + (b0 * b.stride[0] + b1 * b.stride[1]) * L;
  for (int64_t kk = 0; kk < k; ++kk) {
    if (terms == D::kChunk) {
      for (int64_t t = 0; t < n * L; ++t)
        acc[t] = D::reduce(acc[t], static_cast<unsigned>(t % L));
      terms = 0;
    }
    ++terms;
    const float *ap = arow + kk * a.stride[3] * L;
    const float *brow = bbase + kk * b.stride[2] * L;
    if constexpr (L == 1) {
      double av = ap[0];
      for (int64_t j = 0; j < n; ++j)
        acc[j] += av * static_cast<double>(brow[j]);
    } else {
      double a0 = ap[0], a1 = ap[1];
      for (int64_t j = 0; j < n; ++j) {
        acc[2 * j] += a0 * static_cast<double>(brow[2 * j]);
        acc[2 * j + 1] += a1 * static_cast<double>(brow[2 * j + 1]);
      }
    }
  }
}

template <class D>
void Kernels<D>::matmul(const View &a, const View &b, Tensor &out,
                        const View *a2, const View *b2) {
  // The fast path reads rows of the right operand contiguously.
  std::vector<float> dense1, dense2;
  auto contiguous = [](const View &v, std::vector<float> &buf) {
    if (v.stride[3] == 1 || v.shape[3] == 1)
      return v;
    View d = v;
    buf.resize(static_cast<size_t>(v.shape[0] * v.shape[1] * v.shape[2] *
                                   v.shape[3] * L));
    Kernels<D>::forEach(
        v.shape,
        [&](int64_t o, int64_t i) {
          for (unsigned l = 0; l < L; ++l)
            buf[o * L + l] = v.data[i * L + l];
        },
        v.stride);
    d.data = buf.data();
    d.stride = denseStrides(v.shape);
    return d;
  };
  View rb = contiguous(b, dense1);
  View rb2 = b2 ? contiguous(*b2, dense2) : View();
  Dims shape = padShape(out.shape);
  int64_t m = shape[2], n = shape[3];
  accBuffer.resize(static_cast<size_t>(n * L));
  float *y = out.data.data();
  int64_t o = 0;
  for (int64_t b0 = 0; b0 < shape[0]; ++b0)
    for (int64_t b1 = 0; b1 < shape[1]; ++b1)
      for (int64_t i = 0; i < m; ++i) {
        std::fill(accBuffer.begin(), accBuffer.end(), 0.0);
        int64_t terms = 0;
        accumulateProducts(a, rb, b0, b1, i, accBuffer.data(), terms);
        if (a2)
          accumulateProducts(*a2, rb2, b0, b1, i, accBuffer.data(), terms);
        for (int64_t t = 0; t < n * L; ++t)
          y[(o + t / L) * L + t % L] =
              D::finish(accBuffer[t], static_cast<unsigned>(t % L), out.dtype);
        o += n;
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
