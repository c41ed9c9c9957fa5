//===- Gemm.cpp - Register-blocked double matmul of the interpreter -------===//

#include "Gemm.h"

#include "Mirage/Semantics/FiniteField.h"

#include <algorithm>
#include <cstdlib>
#include <type_traits>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define MIRAGE_GEMM_X86 1
#endif

using namespace mirage;
using namespace mirage::detail;
using namespace mirage::detail::gemm;

namespace {
/// B is `const double *` or, for fingerprints of one lane, `const float *`.
using MicroKernel = void (*)(int64_t k, const double *a, const void *b,
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

/// A block of MR rows and 4 * NV columns of C; portable code. B holds
/// elements of type TB.
template <int MR, int NV, int AW, class TB>
void microGeneric(int64_t k, const double *a, const void *bv, double *c,
                  int64_t ldc, bool load) {
  const TB *b = static_cast<const TB *>(bv);
  double acc[MR][4 * NV];
  for (int r = 0; r < MR; ++r)
    for (int t = 0; t < 4 * NV; ++t)
      acc[r][t] = load ? c[r * ldc + t] : 0.0;
  for (int64_t kk = 0; kk < k; ++kk) {
    const double *ak = a + kk * kMR * AW;
    const TB *bk = b + kk * kNR;
    for (int r = 0; r < MR; ++r)
      for (int t = 0; t < 4 * NV; ++t)
        acc[r][t] += ak[r * AW + t % AW] * static_cast<double>(bk[t]);
  }
  for (int r = 0; r < MR; ++r)
    for (int t = 0; t < 4 * NV; ++t)
      c[r * ldc + t] = acc[r][t];
}

#ifdef MIRAGE_GEMM_X86
/// Four elements of a packed B as doubles.
__attribute__((target("avx2,fma"))) inline __m256d loadB(const double *b) {
  return _mm256_loadu_pd(b);
}
__attribute__((target("avx2,fma"))) inline __m256d loadB(const float *b) {
  return _mm256_cvtps_pd(_mm_loadu_ps(b));
}

/// The same block with AVX2 registers; Fused uses FMA (exact inputs only).
template <int MR, int NV, int AW, bool Fused, class TB>
__attribute__((target("avx2,fma"))) void microAvx2(int64_t k, const double *a,
                                                   const void *bv, double *c,
                                                   int64_t ldc, bool load) {
  const TB *b = static_cast<const TB *>(bv);
  __m256d acc[MR][NV];
  for (int r = 0; r < MR; ++r)
    for (int v = 0; v < NV; ++v)
      acc[r][v] =
          load ? _mm256_loadu_pd(c + r * ldc + 4 * v) : _mm256_setzero_pd();
  int64_t kk = 0;
  if constexpr (Fused && NV == 1) {
    // MR chains of FMAs are too few to hide their latency: a second set of
    // sums for odd kk, added at the end (exact arithmetic: same sums).
    __m256d odd[MR];
    for (int r = 0; r < MR; ++r)
      odd[r] = _mm256_setzero_pd();
    for (; kk + 2 <= k; kk += 2) {
      const double *ak = a + kk * kMR * AW;
      const TB *bk = b + kk * kNR;
      __m256d b0 = loadB(bk), b1 = loadB(bk + kNR);
      for (int r = 0; r < MR; ++r) {
        __m256d a0, a1;
        if constexpr (AW == 1) {
          a0 = _mm256_broadcast_sd(ak + r);
          a1 = _mm256_broadcast_sd(ak + kMR + r);
        } else {
          a0 = _mm256_broadcast_pd(
              reinterpret_cast<const __m128d *>(ak + 2 * r));
          a1 = _mm256_broadcast_pd(
              reinterpret_cast<const __m128d *>(ak + 2 * kMR + 2 * r));
        }
        acc[r][0] = _mm256_fmadd_pd(a0, b0, acc[r][0]);
        odd[r] = _mm256_fmadd_pd(a1, b1, odd[r]);
      }
    }
    for (int r = 0; r < MR; ++r)
      acc[r][0] = _mm256_add_pd(acc[r][0], odd[r]);
  }
  for (; kk < k; ++kk) {
    const double *ak = a + kk * kMR * AW;
    const TB *bk = b + kk * kNR;
    __m256d bv[NV];
    for (int v = 0; v < NV; ++v)
      bv[v] = loadB(bk + 4 * v);
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
// the sums inside the loop, at half the speed. Float panels of B are
// converted as they are loaded (vcvtps2pd runs beside the FMAs).
#define MIRAGE_FMA_ROW(r, bcast)                                               \
  bcast "\n\t"                                                                 \
        "vfmadd231pd %[b0], %[av], %[c" #r "0]\n\t"                            \
        "vfmadd231pd %[b1], %[av], %[c" #r "1]\n\t"                            \
        "vfmadd231pd %[b2], %[av], %[c" #r "2]\n\t"
#define MIRAGE_KERNEL_ASM(loadB, bstep, s0, s1, s2, s3, astep)                 \
  asm volatile(                                                                \
      "1:\n\t" loadB MIRAGE_FMA_ROW(0, s0) MIRAGE_FMA_ROW(1, s1)               \
          MIRAGE_FMA_ROW(2, s2)                                                \
              MIRAGE_FMA_ROW(3, s3) "add $" #bstep ", %[b]\n\t"                \
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

/// microAvx2<4, 3, AW, true, TB>: the same sums, in the same order.
template <int AW, class TB>
__attribute__((target("avx2,fma"))) void
micro4x12Fused(int64_t k, const double *a, const void *b, double *c,
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
#define MIRAGE_LOAD_B_DOUBLE                                                   \
  "vmovupd (%[b]), %[b0]\n\t"                                                  \
  "vmovupd 32(%[b]), %[b1]\n\t"                                                \
  "vmovupd 64(%[b]), %[b2]\n\t"
#define MIRAGE_LOAD_B_FLOAT                                                    \
  "vcvtps2pd (%[b]), %[b0]\n\t"                                                \
  "vcvtps2pd 16(%[b]), %[b1]\n\t"                                              \
  "vcvtps2pd 32(%[b]), %[b2]\n\t"
#define MIRAGE_A1_0 "vbroadcastsd (%[a]), %[av]"
#define MIRAGE_A1_1 "vbroadcastsd 8(%[a]), %[av]"
#define MIRAGE_A1_2 "vbroadcastsd 16(%[a]), %[av]"
#define MIRAGE_A1_3 "vbroadcastsd 24(%[a]), %[av]"
    if constexpr (std::is_same_v<TB, float>) {
      static_assert(AW == 1, "float panels hold one lane");
      MIRAGE_KERNEL_ASM(MIRAGE_LOAD_B_FLOAT, 48, MIRAGE_A1_0, MIRAGE_A1_1,
                        MIRAGE_A1_2, MIRAGE_A1_3, 32);
    } else if constexpr (AW == 1) {
      MIRAGE_KERNEL_ASM(MIRAGE_LOAD_B_DOUBLE, 96, MIRAGE_A1_0, MIRAGE_A1_1,
                        MIRAGE_A1_2, MIRAGE_A1_3, 32);
    } else {
      MIRAGE_KERNEL_ASM(
          MIRAGE_LOAD_B_DOUBLE, 96, "vbroadcastf128 (%[a]), %[av]",
          "vbroadcastf128 16(%[a]), %[av]", "vbroadcastf128 32(%[a]), %[av]",
          "vbroadcastf128 48(%[a]), %[av]", 64);
    }
#undef MIRAGE_A1_3
#undef MIRAGE_A1_2
#undef MIRAGE_A1_1
#undef MIRAGE_A1_0
#undef MIRAGE_LOAD_B_FLOAT
#undef MIRAGE_LOAD_B_DOUBLE
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
/// The steps of field::reduce on four values: x mod m in [0, m), with `inv`
/// the double nearest 1/m.
__attribute__((target("avx2,fma"))) inline __m256d
reduceFour(__m256d x, __m256d m, __m256d inv) {
  __m256d zero = _mm256_setzero_pd();
  __m256d f = _mm256_floor_pd(_mm256_mul_pd(x, inv));
  __m256d r = _mm256_sub_pd(x, _mm256_mul_pd(f, m));
  r = _mm256_add_pd(r, _mm256_and_pd(_mm256_cmp_pd(r, zero, _CMP_LT_OQ), m));
  return _mm256_sub_pd(r, _mm256_and_pd(_mm256_cmp_pd(r, m, _CMP_GE_OQ), m));
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
  int64_t t = 0;
  for (; t + 4 <= n; t += 4) {
    __m256d r = reduceFour(_mm256_loadu_pd(in + t), m, inv);
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
__attribute__((target("avx2,fma"))) int64_t
reduceInterleavedAvx2(const double *in, int64_t n, unsigned lane,
                      const float *other, float *out) {
  double mod = field::modulus(lane);
  __m256d m = _mm256_set1_pd(mod);
  __m256d inv = _mm256_set1_pd(field::reciprocal(lane));
  int64_t t = 0;
  for (; t + 4 <= n; t += 4) {
    __m256d r = reduceFour(_mm256_loadu_pd(in + t), m, inv);
    __m128 v = _mm256_cvtpd_ps(r), o = _mm_loadu_ps(other + t);
    __m128 lo = lane == 0 ? _mm_unpacklo_ps(v, o) : _mm_unpacklo_ps(o, v);
    __m128 hi = lane == 0 ? _mm_unpackhi_ps(v, o) : _mm_unpackhi_ps(o, v);
    _mm_storeu_ps(out + 2 * t, lo);
    _mm_storeu_ps(out + 2 * t + 4, hi);
  }
  return t;
}

/// 1.5 * 2^52: x + kMagic, for an integer 0 <= x < 2^51, holds x in the
/// low bits of its mantissa, and (y + kMagic) - kMagic rounds y to the
/// nearest integer (|y| < 2^51, ties to even).
constexpr double kMagic = 0x1.8p52;

/// The table offsets of exp for four integers v in [0, 2^21) (FiniteField.h:
/// any representative below 2q), from the bits of v + kMagic.
__attribute__((target("avx2,fma"))) inline void
expIndices(__m256d vPlusMagic, uint64_t *lo, uint64_t *hi) {
  __m256i bits = _mm256_castpd_si256(vPlusMagic);
  __m256i v = _mm256_and_si256(bits, _mm256_set1_epi64x((1 << 21) - 1));
  _mm256_store_si256(reinterpret_cast<__m256i *>(lo),
                     _mm256_and_si256(v, _mm256_set1_epi64x(1023)));
  _mm256_store_si256(
      reinterpret_cast<__m256i *>(hi),
      _mm256_add_epi64(_mm256_srli_epi64(v, 10), _mm256_set1_epi64x(1024)));
}

/// out[2t] = g^(lo[t] + 1024 (hi[t] - 1024)) mod p, out[2t + 1] = 1 for
/// t < n (n a multiple of 4). The offsets come in a first pass: short
/// dependency chains, so that the table lookups of many elements overlap.
__attribute__((target("avx2,fma"))) void
expOfIndices(const uint64_t *lo, const uint64_t *hi, int64_t n, float *out) {
  const double *table = field::expTables();
  __m256d p = _mm256_set1_pd(field::modulus(0));
  __m256d inv = _mm256_set1_pd(field::reciprocal(0));
  __m256d halfP = _mm256_set1_pd(field::modulus(0) / 2);
  __m256d magic = _mm256_set1_pd(kMagic);
  __m128 one = _mm_set1_ps(1.0f);
  for (int64_t t = 0; t < n; t += 4) {
    // Scalar lookups: gathers are slow on Zen.
    __m256d a = _mm256_setr_pd(table[lo[t]], table[lo[t + 1]], table[lo[t + 2]],
                               table[lo[t + 3]]);
    __m256d b = _mm256_setr_pd(table[hi[t]], table[hi[t + 1]], table[hi[t + 2]],
                               table[hi[t + 3]]);
    // y = a b mod p with floor(y / p) = round((y - p/2) / p): a and b are
    // units, so y / p is at least 1/p away from an integer, and the error
    // of the quotient is below 2^-31. Every step is exact but the rounding.
    __m256d y = _mm256_mul_pd(a, b);
    __m256d f = _mm256_sub_pd(
        _mm256_fmadd_pd(_mm256_fmsub_pd(a, b, halfP), inv, magic), magic);
    __m128 v = _mm256_cvtpd_ps(_mm256_fnmadd_pd(f, p, y));
    _mm_storeu_ps(out + 2 * t, _mm_unpacklo_ps(v, one));
    _mm_storeu_ps(out + 2 * t + 4, _mm_unpackhi_ps(v, one));
  }
}

constexpr int64_t kExpChunk = 256;

__attribute__((target("avx2,fma"))) int64_t expAvx2(const float *in, int64_t n,
                                                    float *out) {
  alignas(32) uint64_t lo[kExpChunk], hi[kExpChunk];
  __m256i odd = _mm256_setr_epi32(1, 3, 5, 7, 0, 0, 0, 0);
  __m256d magic = _mm256_set1_pd(kMagic);
  int64_t t0 = 0;
  for (; t0 + 4 <= n; t0 += kExpChunk) {
    int64_t len = std::min(kExpChunk, (n - t0) / 4 * 4);
    // The q residues (exact integers below 2^20).
    for (int64_t t = 0; t < len; t += 4) {
      __m256 all = _mm256_loadu_ps(in + 2 * (t0 + t));
      __m128 e = _mm256_castps256_ps128(_mm256_permutevar8x32_ps(all, odd));
      expIndices(_mm256_add_pd(_mm256_cvtps_pd(e), magic), lo + t, hi + t);
    }
    expOfIndices(lo, hi, len, out + 2 * t0);
    if (len < kExpChunk)
      return t0 + len;
  }
  return t0;
}

__attribute__((target("avx2,fma"))) int64_t
expOfSumsAvx2(const double *in, int64_t n, float *out) {
  alignas(32) uint64_t lo[kExpChunk], hi[kExpChunk];
  __m256d q = _mm256_set1_pd(field::modulus(1));
  __m256d inv = _mm256_set1_pd(field::reciprocal(1));
  __m256d magic = _mm256_set1_pd(kMagic);
  __m256d magicQ = _mm256_set1_pd(kMagic + field::modulus(1));
  int64_t t0 = 0;
  for (; t0 + 4 <= n; t0 += kExpChunk) {
    int64_t len = std::min(kExpChunk, (n - t0) / 4 * 4);
    for (int64_t t = 0; t < len; t += 4) {
      // x - f q with f the nearest integer to x / q, off by at most one:
      // in (-q, q), exactly. Plus q: a representative below 2q.
      __m256d x = _mm256_loadu_pd(in + t0 + t);
      __m256d f = _mm256_sub_pd(_mm256_fmadd_pd(x, inv, magic), magic);
      expIndices(_mm256_add_pd(_mm256_fnmadd_pd(f, q, x), magicQ), lo + t,
                 hi + t);
    }
    expOfIndices(lo, hi, len, out + 2 * t0);
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

__attribute__((target("avx2,fma"))) void narrowPanelsAvx2(const float *src,
                                                          int64_t panels,
                                                          float *dst,
                                                          int64_t dstStride) {
  __m256i even = _mm256_setr_epi32(0, 2, 4, 6, 0, 0, 0, 0);
  for (int64_t p = 0; p < panels; ++p, dst += dstStride, src += 2 * kNR) {
    _mm_storeu_ps(dst, _mm256_castps256_ps128(_mm256_permutevar8x32_ps(
                           _mm256_loadu_ps(src), even)));
    _mm_storeu_ps(dst + 4, _mm256_castps256_ps128(_mm256_permutevar8x32_ps(
                               _mm256_loadu_ps(src + 8), even)));
    // As widenPanelsAvx2: src[23] may be past the row.
    __m128 a = _mm_loadu_ps(src + 16), b = _mm_loadu_ps(src + 19);
    _mm_storeu_ps(dst + 8, _mm_shuffle_ps(a, b, _MM_SHUFFLE(3, 1, 2, 0)));
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

#ifdef MIRAGE_GEMM_X86
__attribute__((target("avx2,fma"))) int64_t
addFloatsAvx2(const float *src, int64_t n, double *acc) {
  int64_t t = 0;
  for (; t + 8 <= n; t += 8) {
    __m256 v = _mm256_loadu_ps(src + t);
    _mm256_storeu_pd(acc + t,
                     _mm256_add_pd(_mm256_loadu_pd(acc + t),
                                   _mm256_cvtps_pd(_mm256_castps256_ps128(v))));
    _mm256_storeu_pd(
        acc + t + 4,
        _mm256_add_pd(_mm256_loadu_pd(acc + t + 4),
                      _mm256_cvtps_pd(_mm256_extractf128_ps(v, 1))));
  }
  return t;
}

__attribute__((target("avx2,fma"))) int64_t
addPairSumsAvx2(const float *src, int64_t n, double sums[2]) {
  // Lanes (0, 1, 0, 1) of two independent sums, each adding eight floats
  // at a time: residues are below 2^21, so the float sums of eight are
  // exact (below 2^24).
  __m256d s0 = _mm256_setzero_pd(), s1 = s0;
  int64_t j = 0;
  for (; j + 32 <= n; j += 32) {
    const float *x = src + 2 * j;
    __m256 v = _mm256_add_ps(
        _mm256_add_ps(
            _mm256_add_ps(_mm256_loadu_ps(x), _mm256_loadu_ps(x + 8)),
            _mm256_add_ps(_mm256_loadu_ps(x + 16), _mm256_loadu_ps(x + 24))),
        _mm256_add_ps(
            _mm256_add_ps(_mm256_loadu_ps(x + 32), _mm256_loadu_ps(x + 40)),
            _mm256_add_ps(_mm256_loadu_ps(x + 48), _mm256_loadu_ps(x + 56))));
    s0 = _mm256_add_pd(s0, _mm256_cvtps_pd(_mm256_castps256_ps128(v)));
    s1 = _mm256_add_pd(s1, _mm256_cvtps_pd(_mm256_extractf128_ps(v, 1)));
  }
  __m256d s = _mm256_add_pd(s0, s1);
  __m128d h =
      _mm_add_pd(_mm256_castpd256_pd128(s), _mm256_extractf128_pd(s, 1));
  alignas(16) double pair[2];
  _mm_store_pd(pair, h);
  sums[0] += pair[0];
  sums[1] += pair[1];
  return j;
}

__attribute__((target("avx2,fma"))) int64_t
mulPairsAvx2(const float *a, const float *b, int64_t s, int64_t n, float *out) {
  __m256d m = _mm256_setr_pd(field::modulus(0), field::modulus(1),
                             field::modulus(0), field::modulus(1));
  __m256d inv = _mm256_setr_pd(field::reciprocal(0), field::reciprocal(1),
                               field::reciprocal(0), field::reciprocal(1));
  __m256d zero = _mm256_setzero_pd();
  __m256d bc = _mm256_cvtps_pd(
      _mm_castpd_ps(_mm_load1_pd(reinterpret_cast<const double *>(b))));
  int64_t j = 0;
  for (; j + 2 <= n; j += 2) {
    __m256d x = _mm256_cvtps_pd(_mm_loadu_ps(a + 2 * j));
    __m256d y = s ? _mm256_cvtps_pd(_mm_loadu_ps(b + 2 * j)) : bc;
    // field::reduce of the exact product, as reduceAvx2.
    __m256d p = _mm256_mul_pd(x, y);
    __m256d f = _mm256_floor_pd(_mm256_mul_pd(p, inv));
    __m256d r = _mm256_sub_pd(p, _mm256_mul_pd(f, m));
    r = _mm256_add_pd(r, _mm256_and_pd(_mm256_cmp_pd(r, zero, _CMP_LT_OQ), m));
    r = _mm256_sub_pd(r, _mm256_and_pd(_mm256_cmp_pd(r, m, _CMP_GE_OQ), m));
    _mm_storeu_ps(out + 2 * j, _mm256_cvtpd_ps(r));
  }
  return j;
}
#endif

/// Kernels indexed by [MR - 1][NV - 1][AW - 1][variant]: variant 0 is
/// plain, 1 fused, 2 fused with float panels of B (AW = 1 only).
struct KernelTable {
  MicroKernel kernels[kMR][kNR / 4][2][3] = {};

  template <int MR, int NV, int AW> void fill(bool avx2) {
    MicroKernel plain = &microGeneric<MR, NV, AW, double>;
    MicroKernel fused = plain, fusedFloat = &microGeneric<MR, NV, AW, float>;
#ifdef MIRAGE_GEMM_X86
    if (avx2) {
      plain = &microAvx2<MR, NV, AW, false, double>;
      fused = &microAvx2<MR, NV, AW, true, double>;
      fusedFloat = &microAvx2<MR, NV, AW, true, float>;
#ifdef __x86_64__
      if constexpr (MR == 4 && NV == 3) {
        fused = &micro4x12Fused<AW, double>;
        if constexpr (AW == 1)
          fusedFloat = &micro4x12Fused<AW, float>;
      }
#endif
    }
#endif
    kernels[MR - 1][NV - 1][AW - 1][0] = plain;
    kernels[MR - 1][NV - 1][AW - 1][1] = fused;
    if constexpr (AW == 1)
      kernels[MR - 1][NV - 1][AW - 1][2] = fusedFloat;
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

template <class TB>
void multiplyPanels(int64_t m, int64_t cols, int64_t k, unsigned aw,
                    const double *a, int64_t aStride, const TB *b,
                    int64_t bStride, double *c, int64_t ldc, unsigned variant,
                    bool accumulate) {
  static const KernelTable table;
  for (int64_t j0 = 0, p = 0; j0 < cols; j0 += kNR, ++p) {
    int64_t nv = std::min<int64_t>(kNR / 4, (cols - j0 + 3) / 4);
    for (int64_t i0 = 0, q = 0; i0 < m; i0 += kMR, ++q) {
      int64_t mr = std::min<int64_t>(kMR, m - i0);
      table.kernels[mr - 1][nv - 1][aw - 1][variant](
          k, a + q * aStride, b + p * bStride, c + i0 * ldc + j0, ldc,
          accumulate);
    }
  }
}
} // namespace

void gemm::multiply(int64_t m, int64_t cols, int64_t k, unsigned aw,
                    const double *a, int64_t aStride, const double *b,
                    int64_t bStride, double *c, int64_t ldc, bool fused,
                    bool accumulate) {
  multiplyPanels(m, cols, k, aw, a, aStride, b, bStride, c, ldc, fused ? 1 : 0,
                 accumulate);
}

void gemm::multiply(int64_t m, int64_t cols, int64_t k, const double *a,
                    int64_t aStride, const float *b, int64_t bStride, double *c,
                    int64_t ldc, bool accumulate) {
  multiplyPanels(m, cols, k, 1, a, aStride, b, bStride, c, ldc, 2, accumulate);
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

void gemm::reduceInterleaved(const double *in, int64_t n, unsigned lane,
                             const float *other, float *out) {
  int64_t t = 0;
#ifdef MIRAGE_GEMM_X86
  if (hasAvx2())
    t = reduceInterleavedAvx2(in, n, lane, other, out);
#endif
  for (; t < n; ++t) {
    out[2 * t + lane] = static_cast<float>(field::reduce(in[t], lane));
    out[2 * t + 1 - lane] = other[t];
  }
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

void gemm::narrowPanels(const float *src, int64_t s, int64_t panels, float *dst,
                        int64_t dstStride) {
#ifdef MIRAGE_GEMM_X86
  if (hasAvx2() && s == 2)
    return narrowPanelsAvx2(src, panels, dst, dstStride);
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

void gemm::addFloats(const float *src, int64_t n, double *acc) {
  int64_t t = 0;
#ifdef MIRAGE_GEMM_X86
  if (hasAvx2())
    t = addFloatsAvx2(src, n, acc);
#endif
  for (; t < n; ++t)
    acc[t] += src[t];
}

void gemm::addPairSums(const float *src, int64_t n, double sums[2]) {
  int64_t j = 0;
#ifdef MIRAGE_GEMM_X86
  if (hasAvx2())
    j = addPairSumsAvx2(src, n, sums);
#endif
  for (; j < n; ++j) {
    sums[0] += src[2 * j];
    sums[1] += src[2 * j + 1];
  }
}

void gemm::mulPairs(const float *a, const float *b, int64_t s, int64_t n,
                    float *out) {
  int64_t j = 0;
#ifdef MIRAGE_GEMM_X86
  if (hasAvx2())
    j = mulPairsAvx2(a, b, s, n, out);
#endif
  for (; j < n; ++j)
    for (unsigned l = 0; l < 2; ++l)
      out[2 * j + l] =
          static_cast<float>(field::mul(a[2 * j + l], b[2 * s * j + l], l));
}
