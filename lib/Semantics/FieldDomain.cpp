//===- FieldDomain.cpp - Element-wise fingerprint semantics ---------------===//
//
// The models of the non-polynomial functions over Z_p x Z_q; each is
// justified in docs/Semantics.md.
//
//===----------------------------------------------------------------------===//

#include "Domains.h"

using namespace mirage;
using namespace mirage::detail;

static const double kInv2Q = field::inverse(2, 1);
static const double kInv3Q = field::inverse(3, 1);

/// max(x, bound) or min(x, bound) in the order of `greater`.
static void clampTo(const double *x, double *y, double bound, bool below) {
  double b[2] = {field::dyadicImage(bound, 0), field::dyadicImage(bound, 1)};
  bool xGreater = FieldDomain::greater(x, b);
  bool keepX = below ? xGreater || (x[0] == b[0] && x[1] == b[1]) : !xGreater;
  y[0] = keepX ? x[0] : b[0];
  y[1] = keepX ? x[1] : b[1];
}

void FieldDomain::unary(const OpNode &node, const double *x, double *y) {
  switch (node.kind) {
  case OpKind::Exp:
    // exp(x) = (g^(x mod q), 1): a homomorphism from (Z_q, +).
    y[0] = field::expP(x[1]);
    y[1] = 1;
    return;
  case OpKind::Square:
    y[0] = field::mul(x[0], x[0], 0);
    y[1] = field::mul(x[1], x[1], 1);
    return;
  case OpKind::Sqrt:
    y[0] = field::sqrtMap(x[0], 0);
    y[1] = field::sqrtMap(x[1], 1);
    return;
  case OpKind::Rsqrt:
    y[0] = inv(field::sqrtMap(x[0], 0), 0);
    y[1] = inv(field::sqrtMap(x[1], 1), 1);
    return;
  case OpKind::Silu: {
    // x * sigmoid(x) = x / (1 + exp(-x)); 1 + g^k is never 0 since -1 is
    // not in the subgroup of odd order q.
    double e = field::expP(field::neg(x[1], 1));
    y[0] = field::mul(x[0], field::inverse(field::add(1, e, 0), 0), 0);
    y[1] = field::mul(x[1], kInv2Q, 1);
    return;
  }
  case OpKind::Gelu: {
    // Modelled as x / (1 + exp(-x) + exp(-2x)); 1 + e + e^2 = 0 would need a
    // cube root of unity in the subgroup, and 3 does not divide q.
    double e = field::expP(field::neg(x[1], 1));
    double d = field::add(field::add(1, e, 0), field::mul(e, e, 0), 0);
    y[0] = field::mul(x[0], field::inverse(d, 0), 0);
    y[1] = field::mul(x[1], kInv3Q, 1);
    return;
  }
  case OpKind::Tanh: {
    // (e^2x - 1) / (e^2x + 1); the q lane of exp is 1, so tanh's is 0.
    double e = field::expP(field::add(x[1], x[1], 1));
    y[0] = field::mul(field::sub(e, 1, 0),
                      field::inverse(field::add(e, 1, 0), 0), 0);
    y[1] = 0;
    return;
  }
  case OpKind::Relu:
    clampTo(x, y, 0.0, /*below=*/true);
    return;
  case OpKind::Clamp: {
    double t[2];
    clampTo(x, t, node.scalarA, /*below=*/true);
    clampTo(t, y, node.scalarB, /*below=*/false);
    return;
  }
  case OpKind::MulScalar:
    y[0] = field::mul(x[0], field::dyadicImage(node.scalarA, 0), 0);
    y[1] = field::mul(x[1], field::dyadicImage(node.scalarA, 1), 1);
    return;
  default:
    y[0] = x[0];
    y[1] = x[1];
  }
}

void FieldDomain::binary(OpKind kind, const double *a, const double *b,
                         double *y) {
  for (unsigned lane = 0; lane < 2; ++lane) {
    switch (kind) {
    case OpKind::Add:
      y[lane] = field::add(a[lane], b[lane], lane);
      break;
    case OpKind::Sub:
      y[lane] = field::sub(a[lane], b[lane], lane);
      break;
    case OpKind::Mul:
      y[lane] = field::mul(a[lane], b[lane], lane);
      break;
    case OpKind::Div:
      y[lane] = field::mul(a[lane], inv(b[lane], lane), lane);
      break;
    case OpKind::Pow:
      // a^e with e the Z_q residue of the exponent, in both lanes.
      y[lane] = field::power(a[lane], static_cast<uint64_t>(b[1]), lane);
      break;
    default:
      y[lane] = a[lane];
    }
  }
}

double FieldDomain::rmsFactor(double sumSquares, int64_t n, double eps,
                              unsigned lane) {
  double mean = divCount(sumSquares, n, lane);
  mean = field::add(mean, field::dyadicImage(eps, lane), lane);
  return inv(field::sqrtMap(mean, lane), lane);
}
