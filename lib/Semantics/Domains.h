//===- Domains.h - The two number systems of the interpreter ----*- C++ -*-===//
//
// The per-element operations of the float and the fingerprint number
// systems. The engine (Engine.h) does all the layout work (broadcast, tiling,
// strides) once, generically; a domain only says what one element becomes.
// Every element is `L` lanes of doubles: the value, or the residues mod p
// and mod q.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_LIB_SEMANTICS_DOMAINS_H
#define MIRAGE_LIB_SEMANTICS_DOMAINS_H

#include "Mirage/Core/UGraph.h"
#include "Mirage/Portable/FloatFormats.h"
#include "Mirage/Semantics/FiniteField.h"

#include "llvm/Support/ErrorHandling.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

namespace mirage::detail {

/// Floats: compute in double, round each op's result to its element type.
struct FloatDomain {
  static constexpr unsigned L = 1;
  static constexpr bool kIsField = false;
  /// Accumulations never need intermediate reduction.
  static constexpr int64_t kChunk = std::numeric_limits<int64_t>::max();

  bool inconclusive = false;
  std::string reason;

  static float finish(double v, unsigned, DType dtype) {
    return static_cast<float>(portable::roundToDType(v, dtype));
  }
  static double reduce(double v, unsigned) { return v; }
  static double square(double x, unsigned) { return x * x; }
  static double mulAdd(double acc, double s, double x, unsigned) {
    return acc * s + x;
  }
  static double sub(double a, double b, unsigned) { return a - b; }
  /// A sum over a mean or rms accumulator or an rms_norm row, as the f32
  /// accumulator of the generated code holds it: a total beyond the f32
  /// range is +-Inf (docs/Semantics.md, "Special values"). Exact otherwise;
  /// the sum is rounded only by the op's final rounding.
  static double sumInF32Range(double v) {
    // Round-to-nearest-even sends everything from FLT_MAX + half an ulp
    // (2^103) up to infinity.
    constexpr double kOverflow =
        static_cast<double>(std::numeric_limits<float>::max()) + 0x1p103;
    return std::fabs(v) >= kOverflow
               ? std::copysign(std::numeric_limits<double>::infinity(), v)
               : v;
  }
  static double divCount(double v, int64_t n, unsigned) {
    return sumInF32Range(v) / static_cast<double>(n);
  }
  /// y = sqrt(x) (the rms accumulator), one element.
  void sqrtElement(const double *x, double *y) { y[0] = std::sqrt(x[0]); }
  static double zero() { return 0.0; }

  /// IEEE 754-2019 maximum and minimum (arith.maximumf and arith.minimumf,
  /// torch.maximum and torch.minimum): NaN if either operand is NaN, and
  /// +0 above -0 (docs/Semantics.md, "Special values").
  static double maximum(double a, double b) {
    if (std::isnan(a) || std::isnan(b))
      return std::numeric_limits<double>::quiet_NaN();
    if (a == b)
      return std::signbit(a) ? b : a;
    return a > b ? a : b;
  }
  static double minimum(double a, double b) {
    if (std::isnan(a) || std::isnan(b))
      return std::numeric_limits<double>::quiet_NaN();
    if (a == b)
      return std::signbit(a) ? a : b;
    return a < b ? a : b;
  }
  /// The order of max and running_max: whether `a` replaces the running
  /// maximum `b`, so that the maximum is `maximum` above (a NaN, once seen,
  /// stays; +0 replaces -0).
  static bool greater(const double *a, const double *b) {
    if (std::isnan(b[0]))
      return false;
    if (std::isnan(a[0]))
      return true;
    if (a[0] == b[0])
      return !std::signbit(a[0]) && std::signbit(b[0]);
    return a[0] > b[0];
  }

  void unary(const OpNode &node, const double *x, double *y) {
    double v = x[0];
    switch (unaryOpKind(node.kind)) {
    case UnaryOpKind::Exp:
      y[0] = std::exp(v);
      return;
    case UnaryOpKind::Square:
      y[0] = v * v;
      return;
    case UnaryOpKind::Sqrt:
      y[0] = std::sqrt(v);
      return;
    case UnaryOpKind::Rsqrt:
      y[0] = 1.0 / std::sqrt(v);
      return;
    case UnaryOpKind::Silu:
      y[0] = v / (1.0 + std::exp(-v));
      return;
    case UnaryOpKind::Gelu:
      y[0] = 0.5 * v * (1.0 + std::erf(v * M_SQRT1_2));
      return;
    case UnaryOpKind::Relu:
      // maximum(v, +0): NaN stays NaN, -0 becomes +0.
      y[0] = maximum(v, 0.0);
      return;
    case UnaryOpKind::Tanh:
      y[0] = std::tanh(v);
      return;
    case UnaryOpKind::Clamp:
      y[0] = minimum(maximum(v, node.scalarA), node.scalarB);
      return;
    case UnaryOpKind::MulScalar:
      y[0] = v * node.scalarA;
      return;
    case UnaryOpKind::Neg:
      y[0] = -v;
      return;
    case UnaryOpKind::Sigmoid:
      // exp(-v) overflows to +Inf for v < -709 and the quotient is +0, the
      // limit; NaN stays NaN.
      y[0] = 1.0 / (1.0 + std::exp(-v));
      return;
    case UnaryOpKind::Erf:
      y[0] = std::erf(v);
      return;
    case UnaryOpKind::Cast:
      // The engine rounds the result to its element type: that is the cast.
      y[0] = v;
      return;
    }
    llvm_unreachable("FloatDomain::unary on an op that is not element-wise "
                     "unary");
  }

  /// An element of a constant: the value itself.
  static void constantElement(double value, double *y) { y[0] = value; }

  void binary(OpKind kind, const double *a, const double *b, double *y) {
    switch (binaryOpKind(kind)) {
    case BinaryOpKind::Add:
      y[0] = a[0] + b[0];
      return;
    case BinaryOpKind::Sub:
      y[0] = a[0] - b[0];
      return;
    case BinaryOpKind::Mul:
      y[0] = a[0] * b[0];
      return;
    case BinaryOpKind::Div:
      y[0] = a[0] / b[0];
      return;
    case BinaryOpKind::Pow:
      y[0] = std::pow(a[0], b[0]);
      return;
    }
    llvm_unreachable("FloatDomain::binary on an op that is not element-wise "
                     "binary");
  }

  /// 1 / sqrt(mean + eps) for rms_norm, one element.
  void rmsFactors(const double *sumSquares, int64_t n, double eps,
                  double *factors) {
    factors[0] =
        1.0 /
        std::sqrt(sumInF32Range(sumSquares[0]) / static_cast<double>(n) + eps);
  }
  static double mul(double a, double b, unsigned) { return a * b; }
};

/// Fingerprints in Z_p x Z_q: lane 0 is the residue mod p, lane 1 mod q.
/// User constants and opaque functions are random, drawn from the model key
/// of the test (docs/Semantics.md, "Constants and opaque functions").
struct FieldDomain {
  static constexpr unsigned L = 2;
  static constexpr bool kIsField = true;
  static constexpr int64_t kChunk = field::kExactTerms;

  bool inconclusive = false;
  std::string reason;

  /// Sets the random part of the model: field::modelKey of the test's seed.
  void setModelKey(uint64_t key);

  static float finish(double v, unsigned lane, DType) {
    return static_cast<float>(field::reduce(v, lane));
  }
  static double reduce(double v, unsigned lane) {
    return field::reduce(v, lane);
  }
  static double square(double x, unsigned lane) {
    return field::mul(x, x, lane);
  }
  static double mulAdd(double acc, double s, double x, unsigned lane) {
    return field::reduce(field::reduce(acc, lane) * s + x, lane);
  }
  static double sub(double a, double b, unsigned lane) {
    return field::sub(field::reduce(a, lane), field::reduce(b, lane), lane);
  }
  double divCount(double v, int64_t n, unsigned lane) {
    return field::mul(field::reduce(v, lane),
                      inv(field::reduce(static_cast<double>(n), lane), lane),
                      lane);
  }
  /// sqrt: one random function for the op, the rms accumulator and
  /// rms_norm (x holds reduced residues).
  void sqrtElement(const double *x, double *y) {
    field::randomFunction(sqrtKey, x, y);
  }
  static double zero() { return 0.0; }
  static double mul(double a, double b, unsigned lane) {
    return field::mul(a, b, lane);
  }
  static bool greater(const double *a, const double *b) {
    double a0 = field::signedRep(a[0], 0), b0 = field::signedRep(b[0], 0);
    if (a0 != b0)
      return a0 > b0;
    return field::signedRep(a[1], 1) > field::signedRep(b[1], 1);
  }

  /// The inverse of a residue; zero is an inconclusive event, never 1.
  double inv(double a, unsigned lane) {
    if (a == 0) {
      if (!inconclusive)
        reason = lane == 0 ? "zero divisor mod p" : "zero divisor mod q";
      inconclusive = true;
      return 0;
    }
    return field::inverse(a, lane);
  }

  void unary(const OpNode &node, const double *x, double *y);
  void binary(OpKind kind, const double *a, const double *b, double *y);
  void rmsFactors(const double *sumSquares, int64_t n, double eps,
                  double *factors);

  /// The image of a user constant (field::constantImage), one entry cached.
  const double *constant(double value);
  /// An element of a constant (kernel.constant): a user constant, as
  /// mul_scalar's factor, so that mul(x, constant c) = mul_scalar(x, c).
  void constantElement(double value, double *y) {
    const double *c = constant(value);
    y[0] = c[0];
    y[1] = c[1];
  }

private:
  uint64_t key = field::modelKey(0);
  uint64_t geluKey = 0, sqrtKey = 0, powKey = 0, erfKey = 0;
  /// The last clamp's bounds and key.
  double clampLo = 0, clampHi = 0;
  uint64_t clampKey = 0;
  bool haveClampKey = false;
  /// The last constant and its image.
  double constantValue = 0;
  double constantPair[2] = {0, 0};
  bool haveConstant = false;

public:
  FieldDomain() { setModelKey(field::modelKey(0)); }
  uint64_t clampFunctionKey(double lo, double hi);
};

} // namespace mirage::detail

#endif // MIRAGE_LIB_SEMANTICS_DOMAINS_H
