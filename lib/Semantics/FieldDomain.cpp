//===- FieldDomain.cpp - Element-wise fingerprint semantics ---------------===//
//
// The models of the non-polynomial functions over Z_p x Z_q; each is
// justified in docs/Semantics.md.
//
//===----------------------------------------------------------------------===//

#include "Domains.h"

#include "llvm/Support/ErrorHandling.h"

#include <limits>

using namespace mirage;
using namespace mirage::detail;

static const double kInv2Q = field::inverse(2, 1);

void FieldDomain::setModelKey(uint64_t modelKey) {
  key = modelKey;
  geluKey = field::functionKey(key, field::OpaqueFunction::Gelu);
  sqrtKey = field::functionKey(key, field::OpaqueFunction::Sqrt);
  powKey = field::functionKey(key, field::OpaqueFunction::Pow);
  erfKey = field::functionKey(key, field::OpaqueFunction::Erf);
  haveClampKey = haveConstant = false;
}

const double *FieldDomain::constant(double value) {
  if (!haveConstant || !(value == constantValue)) {
    field::constantImage(key, value, constantPair);
    constantValue = value;
    haveConstant = true;
  }
  return constantPair;
}

uint64_t FieldDomain::clampFunctionKey(double lo, double hi) {
  if (!haveClampKey || !(lo == clampLo && hi == clampHi)) {
    clampKey = field::functionKey(key, field::OpaqueFunction::Clamp, lo, hi);
    clampLo = lo;
    clampHi = hi;
    haveClampKey = true;
  }
  return clampKey;
}

void FieldDomain::unary(const OpNode &node, const double *x, double *y) {
  switch (unaryOpKind(node.kind)) {
  case UnaryOpKind::Exp:
    // exp(x) = (g^(x mod q), 1): a homomorphism from (Z_q, +).
    y[0] = field::expP(x[1]);
    y[1] = 1;
    return;
  case UnaryOpKind::Square:
    y[0] = field::mul(x[0], x[0], 0);
    y[1] = field::mul(x[1], x[1], 1);
    return;
  case UnaryOpKind::Sqrt:
    sqrtElement(x, y);
    return;
  case UnaryOpKind::Rsqrt: {
    // 1 / sqrt(x), with sqrt the random function of Sqrt.
    double s[2];
    sqrtElement(x, s);
    y[0] = inv(s[0], 0);
    y[1] = inv(s[1], 1);
    return;
  }
  case UnaryOpKind::Silu: {
    // x * sigmoid(x) = x / (1 + exp(-x)) exactly; 1 + g^k is never 0 since
    // -1 is not in the subgroup of odd order q.
    double e = field::expP(field::neg(x[1], 1));
    y[0] = field::mul(x[0], field::inverse(field::add(1, e, 0), 0), 0);
    y[1] = field::mul(x[1], kInv2Q, 1);
    return;
  }
  case UnaryOpKind::Gelu:
    // x Phi(x) is no rational function of exp: a random function.
    field::randomFunction(geluKey, x, y);
    return;
  case UnaryOpKind::Tanh: {
    // (e^2x - 1) / (e^2x + 1) exactly; the q lane of exp is 1, so tanh's
    // is 0.
    double e = field::expP(field::add(x[1], x[1], 1));
    y[0] = field::mul(field::sub(e, 1, 0),
                      field::inverse(field::add(e, 1, 0), 0), 0);
    y[1] = 0;
    return;
  }
  case UnaryOpKind::Relu:
    // relu = clamp to [0, +inf]: the same random function.
    field::randomFunction(
        clampFunctionKey(0.0, std::numeric_limits<double>::infinity()), x, y);
    return;
  case UnaryOpKind::Clamp:
    // clamp to [-inf, +inf] is the identity; every other pair of bounds is
    // its own random function, keyed by the bounds' exact values.
    if (node.scalarA == -std::numeric_limits<double>::infinity() &&
        node.scalarB == std::numeric_limits<double>::infinity()) {
      y[0] = x[0];
      y[1] = x[1];
      return;
    }
    field::randomFunction(clampFunctionKey(node.scalarA, node.scalarB), x, y);
    return;
  case UnaryOpKind::MulScalar: {
    const double *c = constant(node.scalarA);
    y[0] = field::mul(x[0], c[0], 0);
    y[1] = field::mul(x[1], c[1], 1);
    return;
  }
  case UnaryOpKind::Neg:
    // -x exactly, so that a - b and a + neg(b) agree. (mul_scalar by -1
    // multiplies by the random image of the constant -1: docs/Semantics.md.)
    y[0] = field::neg(x[0], 0);
    y[1] = field::neg(x[1], 1);
    return;
  case UnaryOpKind::Sigmoid: {
    // 1 / (1 + exp(-x)) exactly, as silu's factor: 1 + g^k is never 0, and
    // the q lane of exp is 1, so sigmoid's is 1/2.
    double e = field::expP(field::neg(x[1], 1));
    y[0] = field::inverse(field::add(1, e, 0), 0);
    y[1] = kInv2Q;
    return;
  }
  case UnaryOpKind::Erf:
    // erf is no rational function of exp: a random function of its own,
    // independent of gelu's.
    field::randomFunction(erfKey, x, y);
    return;
  case UnaryOpKind::Cast:
    // Rounding is invisible to fingerprints (docs/Semantics.md): the
    // identity.
    y[0] = x[0];
    y[1] = x[1];
    return;
  }
  llvm_unreachable("FieldDomain::unary on an op that is not element-wise "
                   "unary");
}

void FieldDomain::binary(OpKind kind, const double *a, const double *b,
                         double *y) {
  for (unsigned lane = 0; lane < 2; ++lane) {
    switch (binaryOpKind(kind)) {
    case BinaryOpKind::Add:
      y[lane] = field::add(a[lane], b[lane], lane);
      break;
    case BinaryOpKind::Sub:
      y[lane] = field::sub(a[lane], b[lane], lane);
      break;
    case BinaryOpKind::Mul:
      y[lane] = field::mul(a[lane], b[lane], lane);
      break;
    case BinaryOpKind::Div:
      y[lane] = field::mul(a[lane], inv(b[lane], lane), lane);
      break;
    case BinaryOpKind::Pow:
      // Not a rational function of exp (of a log): a random function of
      // both operands, both lanes at once.
      field::randomFunction2(powKey, a, b, y);
      return;
    }
  }
}

void FieldDomain::rmsFactors(const double *sumSquares, int64_t n, double eps,
                             double *factors) {
  const double *e = constant(eps);
  double mean[2], root[2];
  for (unsigned lane = 0; lane < 2; ++lane)
    mean[lane] = field::add(divCount(sumSquares[lane], n, lane), e[lane], lane);
  sqrtElement(mean, root);
  for (unsigned lane = 0; lane < 2; ++lane)
    factors[lane] = inv(root[lane], lane);
}
