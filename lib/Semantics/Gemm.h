//===- Gemm.h - Register-blocked double matmul of the interpreter -*- C++
//-*-===//
//
// The inner product loop of every matmul: C += A x B on packed double
// panels. A is packed in panels of kMR rows, B in panels of kNR columns (the
// GotoBLAS layout), so that a micro-kernel keeps a kMR x kNR block of C in
// registers and reads each packed value once per block. An AVX2 version is
// chosen at run time where the CPU has it; the binary runs on any x86-64.
//
// reduceToFloats is the fingerprints' rounding of such results.
//
// Every output element sums its products in increasing k, one add per
// product, as a plain loop would: float results are bit-identical to the
// naive loop. `fused` allows fused multiply-adds and any order of the
// sums, for exact (fingerprint) arithmetic only.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_LIB_SEMANTICS_GEMM_H
#define MIRAGE_LIB_SEMANTICS_GEMM_H

#include <cstdint>

namespace mirage::detail::gemm {

/// Rows of a packed A panel and columns of a packed B panel.
constexpr int64_t kMR = 4;
constexpr int64_t kNR = 12;

/// C[i][c] += sum_{kk < k} A[i][kk] * B[kk][c] for i < m, c < cols.
///   * A: panel p (rows p*kMR ...) at a + p * aStride, laid out
///     [kk][kMR][aw]; with aw = 2 the pair (A0, A1) multiplies the even and
///     the odd columns (two interleaved lanes), so cols is even.
///   * B: panel p (columns p*kNR ...) at b + p * bStride, laid out
///     [kk][kNR], zero-padded.
///   * C: row-major with leading dimension ldc >= cols rounded up to 4;
///     without `accumulate` its old contents are ignored (C = 0 + ...).
void multiply(int64_t m, int64_t cols, int64_t k, unsigned aw, const double *a,
              int64_t aStride, const double *b, int64_t bStride, double *c,
              int64_t ldc, bool fused, bool accumulate);
/// The same, fused, with one lane (aw = 1) and B packed as floats: half the
/// bytes for the residues of a tile kept for other blocks (exact in float).
void multiply(int64_t m, int64_t cols, int64_t k, const double *a,
              int64_t aStride, const float *b, int64_t bStride, double *c,
              int64_t ldc, bool accumulate);

/// out[t * outStride] = (float)(in[t] mod m_t) for t < n, where m_t is the
/// modulus of lane lanes[t % 2] of field::modulus; every in[t] is a
/// non-negative integer below 2^53. Exactly field::reduce, vectorized.
void reduceToFloats(const double *in, int64_t n, const unsigned lanes[2],
                    float *out, int64_t outStride);

/// out[2t + lane] = (float)(in[t] mod m_lane) and out[2t + 1 - lane] =
/// other[t] for t < n (lane 0 or 1): one computed lane of fingerprints and
/// one known one, interleaved.
void reduceInterleaved(const double *in, int64_t n, unsigned lane,
                       const float *other, float *out);

/// Exp of n dense fingerprints: out[2t] = g^(in[2t + 1]) mod p and
/// out[2t + 1] = 1 (FieldDomain::unary), vectorized.
void expToFloats(const float *in, int64_t n, float *out);

/// expToFloats of the mod-q residues of in[t] (non-negative integers below
/// 2^53), t < n: the exp op fused into the mod-q lane of a matmul.
void expOfSums(const double *in, int64_t n, float *out);

/// Packing of strided floats (s = 2: one lane of fingerprints):
/// dst[p * dstStride + c] = src[s * (p * kNR + c)], p < panels, c < kNR.
void widenPanels(const float *src, int64_t s, int64_t panels, double *dst,
                 int64_t dstStride);
/// widenPanels to float panels.
void narrowPanels(const float *src, int64_t s, int64_t panels, float *dst,
                  int64_t dstStride);
/// A panel of kMR rows of one lane: dst[kk * kMR + r] =
/// row0[r * rowStride + 2 kk], kk < k.
void packA4(const float *row0, int64_t rowStride, int64_t k, double *dst);
/// sums[j] += src[2 j], j < n.
void addEvens(const float *src, int64_t n, double *sums);
/// acc[t] += src[t], t < n.
void addFloats(const float *src, int64_t n, double *acc);
/// sums[l] += sum_j src[2 j + l], j < n, l < 2, for residues (integers
/// below 2^21) whose sums stay below 2^53: exact in any order.
void addPairSums(const float *src, int64_t n, double sums[2]);
/// Products of n fingerprints: out[2j + l] = a[2j + l] b[2 s j + l] mod m_l
/// (s = 0: one b for all), as field::mul.
void mulPairs(const float *a, const float *b, int64_t s, int64_t n, float *out);

} // namespace mirage::detail::gemm

#endif // MIRAGE_LIB_SEMANTICS_GEMM_H
