//===- Gemm.cpp - Register-blocked double matmul of the interpreter -------===//

#include "Gemm.h"

#include "Mirage/Semantics/FiniteField.h"

#include <algorithm>
#include <cstdlib>

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

/// Whether the AVX2/FMA kernels run: the CPU has them, and the environment
/// variable MIRAGE_DISABLE_AVX2 is not set (tests set it to check that the
/// portable code gives the same bits). Decided once per process.
bool hasAvx2() {
#ifdef MIRAGE_GEMM_X86
  static const bool avx2 = !std::getenv("MIRAGE_DISABLE_AVX2") &&
                           __builtin_cpu_supports("avx2") &&
                           __builtin_cpu_supports("fma");
  return avx2;
#else
  return false;
#endif
}

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

#if defined(MIRAGE_GEMM_X86) && defined(__x86_64__)
// The 4 x 12 fused kernel in assembly: written with intrinsics, its 16 live
// registers (12 sums, 3 B vectors, 1 broadcast) make clang rotate and spill
// the sums inside the loop, at half the speed.
#define MIRAGE_FMA_ROW(r, bcast)                                               \
  bcast "\n\t"                                                                 \
        "vfmadd231pd %[b0], %[av], %[c" #r "0]\n\t"                            \
        "vfmadd231pd %[b1], %[av], %[c" #r "1]\n\t"                            \
        "vfmadd231pd %[b2], %[av], %[c" #r "2]\n\t"
#define MIRAGE_KERNEL_ASM(s0, s1, s2, s3, astep)                               \
  asm volatile(                                                                \
      "1:\n\t"                                                                 \
      "vmovupd (%[b]), %[b0]\n\t"                                              \
      "vmovupd 32(%[b]), %[b1]\n\t"                                            \
      "vmovupd 64(%[b]), %[b2]\n\t" MIRAGE_FMA_ROW(0, s0)                      \
          MIRAGE_FMA_ROW(1, s1) MIRAGE_FMA_ROW(2, s2)                          \
              MIRAGE_FMA_ROW(3, s3) "add $96, %[b]\n\t"                        \
                                    "add $" #astep ", %[a]\n\t"                \
                                    "dec %[k]\n\t"                             \
                                    "jnz 1b\n\t"                               \
      : [a] "+r"(a), [b] "+r"(b), [k] "+r"(k), [b0] "=&x"(v0), [b1] "=&x"(v1), \
        [b2] "=&x"(v2), [av] "=&x"(av), [c00] "+x"(c00), [c01] "+x"(c01),      \
        [c02] "+x"(c02), [c10] "+x"(c10), [c11] "+x"(c11), [c12] "+x"(c12),    \
        [c20] "+x"(c20), [c21] "+x"(c21), [c22] "+x"(c22), [c30] "+x"(c30),    \
        [c31] "+x"(c31), [c32] "+x"(c32)                                       \
      :                                                                        \
      : "memory", "cc")

/// microAvx2<4, 3, AW, true>: the same sums, in the same order.
template <int AW>
__attribute__((target("avx2,fma"))) void
micro4x12Fused(int64_t k, const double *a, const double *b, double *c,
               int64_t ldc, bool load) {
  static_assert(kMR == 4 && kNR == 12, "the assembly is for 4 x 12");
  __m256d c00, c01, c02, c10, c11, c12, c20, c21, c22, c30, c31, c32;
  double *c1 = c + ldc, *c2 = c + 2 * ldc, *c3 = c + 3 * ldc;
  if (load) {
    c00 = _mm256_loadu_pd(c);
    c01 = _mm256_loadu_pd(c + 4);
    c02 = _mm256_loadu_pd(c + 8);
    c10 = _mm256_loadu_pd(c1);
    c11 = _mm256_loadu_pd(c1 + 4);
    c12 = _mm256_loadu_pd(c1 + 8);
    c20 = _mm256_loadu_pd(c2);
    c21 = _mm256_loadu_pd(c2 + 4);
    c22 = _mm256_loadu_pd(c2 + 8);
    c30 = _mm256_loadu_pd(c3);
    c31 = _mm256_loadu_pd(c3 + 4);
    c32 = _mm256_loadu_pd(c3 + 8);
  } else {
    c00 = c01 = c02 = c10 = c11 = c12 = c20 = c21 = c22 = c30 = c31 = c32 =
        _mm256_setzero_pd();
  }
  if (k > 0) {
    __m256d v0, v1, v2, av;
    if constexpr (AW == 1)
      MIRAGE_KERNEL_ASM(
          "vbroadcastsd (%[a]), %[av]", "vbroadcastsd 8(%[a]), %[av]",
          "vbroadcastsd 16(%[a]), %[av]", "vbroadcastsd 24(%[a]), %[av]", 32);
    else
      MIRAGE_KERNEL_ASM("vbroadcastf128 (%[a]), %[av]",
                        "vbroadcastf128 16(%[a]), %[av]",
                        "vbroadcastf128 32(%[a]), %[av]",
                        "vbroadcastf128 48(%[a]), %[av]", 64);
  }
  _mm256_storeu_pd(c, c00);
  _mm256_storeu_pd(c + 4, c01);
  _mm256_storeu_pd(c + 8, c02);
  _mm256_storeu_pd(c1, c10);
  _mm256_storeu_pd(c1 + 4, c11);
  _mm256_storeu_pd(c1 + 8, c12);
  _mm256_storeu_pd(c2, c20);
  _mm256_storeu_pd(c2 + 4, c21);
  _mm256_storeu_pd(c2 + 8, c22);
  _mm256_storeu_pd(c3, c30);
  _mm256_storeu_pd(c3 + 4, c31);
  _mm256_storeu_pd(c3 + 8, c32);
}
#undef MIRAGE_KERNEL_ASM
#undef MIRAGE_FMA_ROW
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

#ifdef MIRAGE_GEMM_X86
/// field::reduce of four non-negative integers below 2^53 by the nearest
/// quotient: it is off by at most one, so r is in (-m, m) and one
/// correction gives the same residue.
__attribute__((target("avx2,fma"))) inline __m256d
reduceNear(__m256d x, __m256d m, __m256d inv) {
  __m256d f = _mm256_round_pd(_mm256_mul_pd(x, inv),
                              _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m256d r = _mm256_sub_pd(x, _mm256_mul_pd(f, m));
  return _mm256_add_pd(
      r, _mm256_and_pd(_mm256_cmp_pd(r, _mm256_setzero_pd(), _CMP_LT_OQ), m));
}

/// out[2t] = g^e[t] mod p, out[2t + 1] = 1 for t < n (n a multiple of 4).
/// Exponents come in a first pass: short dependency chains, so that the
/// table lookups of many elements overlap.
__attribute__((target("avx2,fma"))) void expOfExponents(const uint32_t *e,
                                                        int64_t n, float *out) {
  const double *table = field::expTables();
  __m256d m = _mm256_set1_pd(field::modulus(0));
  __m256d inv = _mm256_set1_pd(field::reciprocal(0));
  __m256 one = _mm256_set1_ps(1.0f);
  __m256i spread = _mm256_setr_epi32(0, 0, 1, 1, 2, 2, 3, 3);
  for (int64_t t = 0; t < n; t += 4) {
    const uint32_t *i = e + t;
    // Scalar lookups: gathers are slow on Zen.
    __m256d lo = _mm256_setr_pd(table[i[0] & 1023], table[i[1] & 1023],
                                table[i[2] & 1023], table[i[3] & 1023]);
    __m256d hi =
        _mm256_setr_pd(table[1024 + (i[0] >> 10)], table[1024 + (i[1] >> 10)],
                       table[1024 + (i[2] >> 10)], table[1024 + (i[3] >> 10)]);
    __m256d r = reduceNear(_mm256_mul_pd(lo, hi), m, inv);
    __m256 v = _mm256_permutevar8x32_ps(
        _mm256_castps128_ps256(_mm256_cvtpd_ps(r)), spread);
    _mm256_storeu_ps(out + 2 * t, _mm256_blend_ps(one, v, 0x55));
  }
}

constexpr int64_t kExpChunk = 256;

__attribute__((target("avx2,fma"))) int64_t expAvx2(const float *in, int64_t n,
                                                    float *out) {
  alignas(32) uint32_t e[kExpChunk];
  __m256i odd = _mm256_setr_epi32(1, 3, 5, 7, 0, 0, 0, 0);
  int64_t t0 = 0;
  for (; t0 + 4 <= n; t0 += kExpChunk) {
    int64_t len = std::min(kExpChunk, (n - t0) / 4 * 4);
    // The q residues (exact integers below 2^20).
    for (int64_t t = 0; t < len; t += 4) {
      __m256i all = _mm256_cvttps_epi32(_mm256_loadu_ps(in + 2 * (t0 + t)));
      _mm_store_si128(
          reinterpret_cast<__m128i *>(e + t),
          _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(all, odd)));
    }
    expOfExponents(e, len, out + 2 * t0);
    if (len < kExpChunk)
      return t0 + len;
  }
  return t0;
}

__attribute__((target("avx2,fma"))) int64_t
expOfSumsAvx2(const double *in, int64_t n, float *out) {
  alignas(32) uint32_t e[kExpChunk];
  __m256d m = _mm256_set1_pd(field::modulus(1));
  __m256d inv = _mm256_set1_pd(field::reciprocal(1));
  int64_t t0 = 0;
  for (; t0 + 4 <= n; t0 += kExpChunk) {
    int64_t len = std::min(kExpChunk, (n - t0) / 4 * 4);
    for (int64_t t = 0; t < len; t += 4)
      _mm_store_si128(reinterpret_cast<__m128i *>(e + t),
                      _mm256_cvttpd_epi32(
                          reduceNear(_mm256_loadu_pd(in + t0 + t), m, inv)));
    expOfExponents(e, len, out + 2 * t0);
    if (len < kExpChunk)
      return t0 + len;
  }
  return t0;
}
#endif

#ifdef MIRAGE_GEMM_X86
/// src[0], src[2], src[4], src[6] as doubles.
__attribute__((target("avx2,fma"))) inline __m256d evens(const float *src) {
  __m256 v = _mm256_loadu_ps(src);
  __m256 e =
      _mm256_permutevar8x32_ps(v, _mm256_setr_epi32(0, 2, 4, 6, 0, 0, 0, 0));
  return _mm256_cvtps_pd(_mm256_castps256_ps128(e));
}

__attribute__((target("avx2,fma"))) void
widenPanelsAvx2(const float *src, int64_t s, int64_t panels, double *dst,
                int64_t dstStride) {
  for (int64_t p = 0; p < panels; ++p, dst += dstStride, src += s * kNR) {
    if (s == 1) {
      _mm256_storeu_pd(dst, _mm256_cvtps_pd(_mm_loadu_ps(src)));
      _mm256_storeu_pd(dst + 4, _mm256_cvtps_pd(_mm_loadu_ps(src + 4)));
      _mm256_storeu_pd(dst + 8, _mm256_cvtps_pd(_mm_loadu_ps(src + 8)));
    } else {
      _mm256_storeu_pd(dst, evens(src));
      _mm256_storeu_pd(dst + 4, evens(src + 8));
      // The last four: floats src[16 .. 23); src[23] may be past the row.
      __m128 a = _mm_loadu_ps(src + 16), b = _mm_loadu_ps(src + 19);
      __m128 e = _mm_shuffle_ps(a, b, _MM_SHUFFLE(3, 1, 2, 0));
      _mm256_storeu_pd(dst + 8, _mm256_cvtps_pd(e));
    }
  }
}

__attribute__((target("avx2,fma"))) int64_t
packA4Avx2(const float *row0, int64_t rowStride, int64_t k, double *dst) {
  const float *r1 = row0 + rowStride, *r2 = r1 + rowStride,
              *r3 = r2 + rowStride;
  int64_t kk = 0;
  // Rows end one float past their last even element: stay 8 floats inside.
  for (; kk + 4 < k; kk += 4) {
    __m256d a = evens(row0 + 2 * kk), b = evens(r1 + 2 * kk),
            c = evens(r2 + 2 * kk), d = evens(r3 + 2 * kk);
    // Transpose 4 x 4: column kk + t of rows 0..3 to dst[(kk + t) * 4].
    __m256d ab0 = _mm256_unpacklo_pd(a, b), ab1 = _mm256_unpackhi_pd(a, b);
    __m256d cd0 = _mm256_unpacklo_pd(c, d), cd1 = _mm256_unpackhi_pd(c, d);
    double *o = dst + kk * kMR;
    _mm256_storeu_pd(o, _mm256_permute2f128_pd(ab0, cd0, 0x20));
    _mm256_storeu_pd(o + 4, _mm256_permute2f128_pd(ab1, cd1, 0x20));
    _mm256_storeu_pd(o + 8, _mm256_permute2f128_pd(ab0, cd0, 0x31));
    _mm256_storeu_pd(o + 12, _mm256_permute2f128_pd(ab1, cd1, 0x31));
  }
  return kk;
}

__attribute__((target("avx2,fma"))) int64_t
addEvensAvx2(const float *src, int64_t n, double *sums) {
  int64_t j = 0;
  for (; j + 4 < n; j += 4)
    _mm256_storeu_pd(
        sums + j, _mm256_add_pd(_mm256_loadu_pd(sums + j), evens(src + 2 * j)));
  return j;
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
#ifdef __x86_64__
      if constexpr (MR == 4 && NV == 3)
        fused = &micro4x12Fused<AW>;
#endif
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
    bool avx2 = hasAvx2();
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
  if (hasAvx2())
    t = reduceAvx2(in, n, lanes, out, outStride);
#endif
  for (; t < n; ++t)
    out[t * outStride] = static_cast<float>(field::reduce(in[t], lanes[t % 2]));
}

void gemm::expToFloats(const float *in, int64_t n, float *out) {
  int64_t t = 0;
#ifdef MIRAGE_GEMM_X86
  if (hasAvx2())
    t = expAvx2(in, n, out);
#endif
  for (; t < n; ++t) {
    out[2 * t] = static_cast<float>(field::expP(in[2 * t + 1]));
    out[2 * t + 1] = 1.0f;
  }
}

void gemm::expOfSums(const double *in, int64_t n, float *out) {
  int64_t t = 0;
#ifdef MIRAGE_GEMM_X86
  if (hasAvx2())
    t = expOfSumsAvx2(in, n, out);
#endif
  for (; t < n; ++t) {
    // As reduceToFloats then expToFloats: the residue is exact in a float.
    auto e = static_cast<float>(field::reduce(in[t], 1));
    out[2 * t] = static_cast<float>(field::expP(e));
    out[2 * t + 1] = 1.0f;
  }
}

void gemm::widenPanels(const float *src, int64_t s, int64_t panels, double *dst,
                       int64_t dstStride) {
#ifdef MIRAGE_GEMM_X86
  if (hasAvx2() && (s == 1 || s == 2))
    return widenPanelsAvx2(src, s, panels, dst, dstStride);
#endif
  for (int64_t p = 0; p < panels; ++p)
    for (int64_t c = 0; c < kNR; ++c)
      dst[p * dstStride + c] = src[s * (p * kNR + c)];
}

void gemm::packA4(const float *row0, int64_t rowStride, int64_t k,
                  double *dst) {
  int64_t kk = 0;
#ifdef MIRAGE_GEMM_X86
  if (hasAvx2())
    kk = packA4Avx2(row0, rowStride, k, dst);
#endif
  for (; kk < k; ++kk)
    for (int64_t r = 0; r < kMR; ++r)
      dst[kk * kMR + r] = row0[r * rowStride + 2 * kk];
}

void gemm::addEvens(const float *src, int64_t n, double *sums) {
  int64_t j = 0;
#ifdef MIRAGE_GEMM_X86
  if (hasAvx2())
    j = addEvensAvx2(src, n, sums);
#endif
  for (; j < n; ++j)
    sums[j] += src[2 * j];
}
