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
#include "Mirage/Semantics/FiniteField.h"
#include "Mirage/Semantics/FloatFormats.h"

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
    return static_cast<float>(roundToDType(v, dtype));
  }
  static double reduce(double v, unsigned) { return v; }
  static double square(double x, unsigned) { return x * x; }
  static double mulAdd(double acc, double s, double x, unsigned) {
    return acc * s + x;
  }
  static double sub(double a, double b, unsigned) { return a - b; }
  static double divCount(double v, int64_t n, unsigned) {
    return v / static_cast<double>(n);
  }
  /// y = sqrt(x) (the rms accumulator), one element.
  void sqrtElement(const double *x, double *y) { y[0] = std::sqrt(x[0]); }
  static double zero() { return 0.0; }
  /// The order of max and running_max.
  static bool greater(const double *a, const double *b) { return a[0] > b[0]; }

  void unary(const OpNode &node, const double *x, double *y) {
    double v = x[0];
    switch (node.kind) {
    case OpKind::Exp:
      y[0] = std::exp(v);
      return;
    case OpKind::Square:
      y[0] = v * v;
      return;
    case OpKind::Sqrt:
      y[0] = std::sqrt(v);
      return;
    case OpKind::Rsqrt:
      y[0] = 1.0 / std::sqrt(v);
      return;
    case OpKind::Silu:
      y[0] = v / (1.0 + std::exp(-v));
      return;
    case OpKind::Gelu:
      y[0] = 0.5 * v * (1.0 + std::erf(v * M_SQRT1_2));
      return;
    case OpKind::Relu:
      y[0] = v > 0 ? v : 0.0;
      return;
    case OpKind::Tanh:
      y[0] = std::tanh(v);
      return;
    case OpKind::Clamp:
      y[0] = std::fmin(std::fmax(v, node.scalarA), node.scalarB);
      return;
    case OpKind::MulScalar:
      y[0] = v * node.scalarA;
      return;
    default:
      y[0] = v;
    }
  }

  void binary(OpKind kind, const double *a, const double *b, double *y) {
    switch (kind) {
    case OpKind::Add:
      y[0] = a[0] + b[0];
      return;
    case OpKind::Sub:
      y[0] = a[0] - b[0];
      return;
    case OpKind::Mul:
      y[0] = a[0] * b[0];
      return;
    case OpKind::Div:
      y[0] = a[0] / b[0];
      return;
    case OpKind::Pow:
      y[0] = std::pow(a[0], b[0]);
      return;
    default:
      y[0] = a[0];
    }
  }

  /// 1 / sqrt(mean + eps) for rms_norm, one element.
  void rmsFactors(const double *sumSquares, int64_t n, double eps,
                  double *factors) {
    factors[0] = 1.0 / std::sqrt(sumSquares[0] / static_cast<double>(n) + eps);
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

private:
  uint64_t key = field::modelKey(0);
  uint64_t geluKey = 0, sqrtKey = 0, powKey = 0;
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
