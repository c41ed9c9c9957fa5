//===- Gemm.cpp - Register-blocked double matmul of the interpreter -------===//

#include "Gemm.h"

#include "Mirage/Semantics/FiniteField.h"

#include <algorithm>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define MIRAGE_GEMM_X86 1
#endif

using namespace mirage;
using namespace mirage::detail;
using namespace mirage::detail::gemm;

namespace {
using MicroKernel = void (*)(int64_t k, const double *a, const double *b,
                             double *c, int64_t ldc, bool load);

/// A block of MR rows and 4 * NV columns of C; portable code.
template <int MR, int NV, int AW>
void microGeneric(int64_t k, const double *a, const double *b, double *c,
                  int64_t ldc, bool load) {
  double acc[MR][4 * NV];
  for (int r = 0; r < MR; ++r)
    for (int t = 0; t < 4 * NV; ++t)
      acc[r][t] = load ? c[r * ldc + t] : 0.0;
  for (int64_t kk = 0; kk < k; ++kk) {
    const double *ak = a + kk * kMR * AW;
    const double *bk = b + kk * kNR;
    for (int r = 0; r < MR; ++r)
      for (int t = 0; t < 4 * NV; ++t)
        acc[r][t] += ak[r * AW + t % AW] * bk[t];
  }
  for (int r = 0; r < MR; ++r)
    for (int t = 0; t < 4 * NV; ++t)
      c[r * ldc + t] = acc[r][t];
}

#ifdef MIRAGE_GEMM_X86
/// The same block with AVX2 registers; Fused uses FMA (exact inputs only).
template <int MR, int NV, int AW, bool Fused>
__attribute__((target("avx2,fma"))) void microAvx2(int64_t k, const double *a,
                                                   const double *b, double *c,
                                                   int64_t ldc, bool load) {
  __m256d acc[MR][NV];
  for (int r = 0; r < MR; ++r)
    for (int v = 0; v < NV; ++v)
      acc[r][v] =
          load ? _mm256_loadu_pd(c + r * ldc + 4 * v) : _mm256_setzero_pd();
  for (int64_t kk = 0; kk < k; ++kk) {
    const double *ak = a + kk * kMR * AW;
    const double *bk = b + kk * kNR;
    __m256d bv[NV];
    for (int v = 0; v < NV; ++v)
      bv[v] = _mm256_loadu_pd(bk + 4 * v);
    for (int r = 0; r < MR; ++r) {
      __m256d av;
      if constexpr (AW == 1)
        av = _mm256_broadcast_sd(ak + r);
      else
        av = _mm256_broadcast_pd(reinterpret_cast<const __m128d *>(ak + 2 * r));
      for (int v = 0; v < NV; ++v) {
        if constexpr (Fused)
          acc[r][v] = _mm256_fmadd_pd(av, bv[v], acc[r][v]);
        else
          acc[r][v] = _mm256_add_pd(acc[r][v], _mm256_mul_pd(av, bv[v]));
      }
    }
  }
  for (int r = 0; r < MR; ++r)
    for (int v = 0; v < NV; ++v)
      _mm256_storeu_pd(c + r * ldc + 4 * v, acc[r][v]);
}
#endif

#ifdef MIRAGE_GEMM_X86
__attribute__((target("avx2,fma"))) int64_t
reduceAvx2(const double *in, int64_t n, const unsigned lanes[2], float *out,
           int64_t outStride) {
  double m0 = field::modulus(lanes[0]), m1 = field::modulus(lanes[1]);
  double i0 = field::reciprocal(lanes[0]), i1 = field::reciprocal(lanes[1]);
  __m256d m = _mm256_setr_pd(m0, m1, m0, m1);
  __m256d inv = _mm256_setr_pd(i0, i1, i0, i1);
  __m256d zero = _mm256_setzero_pd();
  int64_t t = 0;
  for (; t + 4 <= n; t += 4) {
    // The steps of field::reduce, four at a time.
    __m256d x = _mm256_loadu_pd(in + t);
    __m256d f = _mm256_floor_pd(_mm256_mul_pd(x, inv));
    __m256d r = _mm256_sub_pd(x, _mm256_mul_pd(f, m));
    r = _mm256_add_pd(r, _mm256_and_pd(_mm256_cmp_pd(r, zero, _CMP_LT_OQ), m));
    r = _mm256_sub_pd(r, _mm256_and_pd(_mm256_cmp_pd(r, m, _CMP_GE_OQ), m));
    __m128 v = _mm256_cvtpd_ps(r);
    if (outStride == 1) {
      _mm_storeu_ps(out + t, v);
    } else if (outStride == 2 && t + 4 < n) {
      // Into the even floats of out[2t .. 2t + 8), keeping the odd ones.
      float *o = out + 2 * t;
      __m256 spread = _mm256_permutevar8x32_ps(
          _mm256_castps128_ps256(v), _mm256_setr_epi32(0, 0, 1, 1, 2, 2, 3, 3));
      _mm256_storeu_ps(o, _mm256_blend_ps(_mm256_loadu_ps(o), spread, 0x55));
    } else {
      alignas(16) float tmp[4];
      _mm_store_ps(tmp, v);
      for (int64_t u = 0; u < 4; ++u)
        out[(t + u) * outStride] = tmp[u];
    }
  }
  return t;
}
#endif

/// Kernels indexed by [MR - 1][NV - 1][AW - 1][fused].
struct KernelTable {
  MicroKernel kernels[kMR][kNR / 4][2][2];

  template <int MR, int NV, int AW> void fill(bool avx2) {
    MicroKernel generic = &microGeneric<MR, NV, AW>;
    MicroKernel plain = generic, fused = generic;
#ifdef MIRAGE_GEMM_X86
    if (avx2) {
      plain = &microAvx2<MR, NV, AW, false>;
      fused = &microAvx2<MR, NV, AW, true>;
    }
#endif
    kernels[MR - 1][NV - 1][AW - 1][0] = plain;
    kernels[MR - 1][NV - 1][AW - 1][1] = fused;
  }
  template <int MR, int AW> void fillRow(bool avx2) {
    fill<MR, 1, AW>(avx2);
    fill<MR, 2, AW>(avx2);
    fill<MR, 3, AW>(avx2);
  }
  template <int AW> void fillAll(bool avx2) {
    fillRow<1, AW>(avx2);
    fillRow<2, AW>(avx2);
    fillRow<3, AW>(avx2);
    fillRow<4, AW>(avx2);
  }
  KernelTable() {
    bool avx2 = false;
#ifdef MIRAGE_GEMM_X86
    avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#endif
    fillAll<1>(avx2);
    fillAll<2>(avx2);
  }
};
static_assert(kNR == 12 && kMR == 4, "the kernel table covers 4 x 12");
} // namespace

void gemm::multiply(int64_t m, int64_t cols, int64_t k, unsigned aw,
                    const double *a, int64_t aStride, const double *b,
                    int64_t bStride, double *c, int64_t ldc, bool fused,
                    bool accumulate) {
  static const KernelTable table;
  for (int64_t j0 = 0, p = 0; j0 < cols; j0 += kNR, ++p) {
    int64_t nv = std::min<int64_t>(kNR / 4, (cols - j0 + 3) / 4);
    for (int64_t i0 = 0, q = 0; i0 < m; i0 += kMR, ++q) {
      int64_t mr = std::min<int64_t>(kMR, m - i0);
      table.kernels[mr - 1][nv - 1][aw - 1][fused ? 1 : 0](
          k, a + q * aStride, b + p * bStride, c + i0 * ldc + j0, ldc,
          accumulate);
    }
  }
}

void gemm::reduceToFloats(const double *in, int64_t n, const unsigned lanes[2],
                          float *out, int64_t outStride) {
  int64_t t = 0;
#ifdef MIRAGE_GEMM_X86
  static const bool avx2 =
      __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  if (avx2)
    t = reduceAvx2(in, n, lanes, out, outStride);
#endif
  for (; t < n; ++t)
    out[t * outStride] = static_cast<float>(field::reduce(in[t], lanes[t % 2]));
}
