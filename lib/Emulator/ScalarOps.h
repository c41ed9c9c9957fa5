//===- ScalarOps.h - Scalar arithmetic of the emulator ----------*- C++ -*-===//
//
// Private to lib/Emulator: the bit, rounding and comparison helpers of the
// interpreter loop (ExecThread.cpp), inline so that the loop keeps them
// inline.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_LIB_EMULATOR_SCALAROPS_H
#define MIRAGE_LIB_EMULATOR_SCALAROPS_H

#include "Mirage/Emulator/Ptx.h"

#include <cfenv>
#include <cmath>
#include <cstdint>
#include <limits>

namespace mirage::emu::detail {

inline uint64_t maskBits(uint64_t v, unsigned bits) {
  return bits >= 64 ? v : v & ((uint64_t(1) << bits) - 1);
}
inline int64_t signExtend(uint64_t v, unsigned bits) {
  if (bits >= 64)
    return static_cast<int64_t>(v);
  uint64_t m = uint64_t(1) << (bits - 1);
  v = maskBits(v, bits);
  return static_cast<int64_t>((v ^ m) - m);
}

inline float flushF32(float f) {
  return std::fpclassify(f) == FP_SUBNORMAL ? std::copysign(0.0f, f) : f;
}

/// Runs `fn` with the rounding mode of `r` (rn: as is).
template <typename Fn> inline float withRounding(Rounding r, Fn fn) {
  int mode = FE_TONEAREST;
  switch (r) {
  case Rounding::None:
  case Rounding::Rn:
  case Rounding::Rni:
    return fn();
  case Rounding::Rz:
  case Rounding::Rzi:
    mode = FE_TOWARDZERO;
    break;
  case Rounding::Rm:
  case Rounding::Rmi:
    mode = FE_DOWNWARD;
    break;
  case Rounding::Rp:
  case Rounding::Rpi:
    mode = FE_UPWARD;
    break;
  }
  std::fesetround(mode);
  volatile float result = fn();
  std::fesetround(FE_TONEAREST);
  return result;
}

// Kept out of line so that the compiler does not fold them across the
// rounding-mode changes.
[[gnu::noinline]] inline float opaqueAdd(float a, float b) { return a + b; }
[[gnu::noinline]] inline float opaqueSub(float a, float b) { return a - b; }
[[gnu::noinline]] inline float opaqueMul(float a, float b) { return a * b; }
[[gnu::noinline]] inline float opaqueDiv(float a, float b) { return a / b; }
[[gnu::noinline]] inline float opaqueFma(float a, float b, float c) {
  return std::fma(a, b, c);
}

/// A float operation of add/sub/mul/fma/neg/abs/min/max on exact operands
/// (f16/bf16 halves, or f32), in double: the caller rounds once.
inline double scalarFloatOp(const Instruction &in, double a, double b,
                            double c) {
  if (in.op == Op::Add)
    return a + b;
  if (in.op == Op::Sub)
    return a - b;
  if (in.op == Op::Mul)
    return a * b;
  if (in.op == Op::Fma)
    return std::fma(a, b, c);
  if (in.op == Op::Neg)
    return -a;
  if (in.op == Op::Abs)
    return std::fabs(a);
  // min and max: without .NaN a NaN operand yields the other one; with it,
  // NaN.
  if (in.nanProp && (std::isnan(a) || std::isnan(b)))
    return std::numeric_limits<double>::quiet_NaN();
  return in.op == Op::Min ? std::fmin(a, b) : std::fmax(a, b);
}

/// setp on floats (f32, or f16/bf16 widened): the ordered comparisons are
/// false on NaN, the unordered ones (equ, ..., nan) true.
inline bool compareFloat(Cmp cmp, double x, double y) {
  switch (cmp) {
  case Cmp::Eq:
    return x == y;
  case Cmp::Ne:
    return x != y && !std::isnan(x) && !std::isnan(y);
  case Cmp::Lt:
    return x < y;
  case Cmp::Le:
    return x <= y;
  case Cmp::Gt:
    return x > y;
  case Cmp::Ge:
    return x >= y;
  case Cmp::Equ:
    return !(x != y);
  case Cmp::Neu:
    return x != y;
  case Cmp::Ltu:
    return !(x >= y);
  case Cmp::Leu:
    return !(x > y);
  case Cmp::Gtu:
    return !(x <= y);
  case Cmp::Geu:
    return !(x < y);
  case Cmp::Num:
    return !std::isnan(x) && !std::isnan(y);
  case Cmp::Nan:
    return std::isnan(x) || std::isnan(y);
  case Cmp::Lo:
  case Cmp::Ls:
  case Cmp::Hi:
  case Cmp::Hs:
    return false; // rejected by the parser
  }
  return false;
}

/// setp on signed integers, sign-extended from the type's width.
inline bool compareSigned(Cmp cmp, int64_t x, int64_t y) {
  switch (cmp) {
  case Cmp::Eq:
    return x == y;
  case Cmp::Ne:
    return x != y;
  case Cmp::Lt:
    return x < y;
  case Cmp::Le:
    return x <= y;
  case Cmp::Gt:
    return x > y;
  case Cmp::Ge:
    return x >= y;
  case Cmp::Lo:
  case Cmp::Ls:
  case Cmp::Hi:
  case Cmp::Hs:
  case Cmp::Equ:
  case Cmp::Neu:
  case Cmp::Ltu:
  case Cmp::Leu:
  case Cmp::Gtu:
  case Cmp::Geu:
  case Cmp::Num:
  case Cmp::Nan:
    return false; // rejected by the parser
  }
  return false;
}

/// setp on unsigned and untyped integers (lo/ls/hi/hs as lt/le/gt/ge).
inline bool compareUnsigned(Cmp cmp, uint64_t x, uint64_t y) {
  switch (cmp) {
  case Cmp::Eq:
    return x == y;
  case Cmp::Ne:
    return x != y;
  case Cmp::Lt:
  case Cmp::Lo:
    return x < y;
  case Cmp::Le:
  case Cmp::Ls:
    return x <= y;
  case Cmp::Gt:
  case Cmp::Hi:
    return x > y;
  case Cmp::Ge:
  case Cmp::Hs:
    return x >= y;
  case Cmp::Equ:
  case Cmp::Neu:
  case Cmp::Ltu:
  case Cmp::Leu:
  case Cmp::Gtu:
  case Cmp::Geu:
  case Cmp::Num:
  case Cmp::Nan:
    return false; // rejected by the parser
  }
  return false;
}

} // namespace mirage::emu::detail

#endif // MIRAGE_LIB_EMULATOR_SCALAROPS_H
