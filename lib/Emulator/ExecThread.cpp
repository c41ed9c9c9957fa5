//===- ExecThread.cpp - One thread's instructions -------------------------===//
//
// The interpreter loop: runs one thread of the block from its pc up to its
// next warp-wide instruction, bar.sync or exit (the scheduler in
// Emulator.cpp resumes it), tracking where each register's value comes
// from (never-written shared memory or not).
//
//===----------------------------------------------------------------------===//

#include "EmulatorImpl.h"
#include "ScalarOps.h"

#include "Mirage/Emulator/Floats.h"

#include "llvm/ADT/Twine.h"

#include <cstring>

using namespace mirage::emu;
using namespace mirage::emu::detail;

void Emulator::Impl::runThread(unsigned t) {
  ThreadState &th = threads[t];
  const Instruction *code = kernel->code.data();
  const uint32_t *vregs = kernel->vectorRegs.data();
  uint64_t *r = regs.data() + static_cast<size_t>(t) * numRegs;
  uint32_t *og = origins.data() + static_cast<size_t>(t) * numRegs;
  uint32_t pc = th.pc;
  uint64_t count = 0;
  using K = Operand::Kind;
  for (;;) {
    const Instruction &in = code[pc];
    ++count;
    if (in.guard != Operand::kNoReg) {
      if (og[in.guard])
        report(FindingKind::UninitializedSharedRead, t, in.line,
               "the guard predicate depends on never-written shared memory "
               "(read at line " +
                   llvm::Twine(og[in.guard]) + ")");
      if ((r[in.guard] != 0) == in.guardNegated) {
        ++pc;
        continue;
      }
    }
    // Where the operands' values come from (origins); addresses must be
    // defined.
    uint32_t srcOrigin = 0;
    for (unsigned k = in.op == Op::St ? 0 : 1; k < in.numOperands; ++k) {
      const Operand &o = in.ops[k];
      if (o.kind == K::Reg) {
        srcOrigin = srcOrigin ? srcOrigin : og[o.reg];
      } else if (o.kind == K::Vector) {
        for (unsigned v = 0; v < o.vecCount; ++v)
          srcOrigin = srcOrigin ? srcOrigin : og[vregs[o.vecStart + v]];
      } else if (o.kind == K::Addr && o.reg != Operand::kNoReg && og[o.reg]) {
        report(FindingKind::UninitializedSharedRead, t, in.line,
               "the address depends on never-written shared memory (read at "
               "line " +
                   llvm::Twine(og[o.reg]) + ")");
      }
    }
    if (in.ops[0].kind == K::Reg)
      og[in.ops[0].reg] = srcOrigin;
    auto val = [&](unsigned k) -> uint64_t {
      const Operand &o = in.ops[k];
      return o.kind == K::Reg ? r[o.reg] : static_cast<uint64_t>(o.imm);
    };
    unsigned bits = typeBits(in.type);
    auto set = [&](uint64_t v) { r[in.ops[0].reg] = maskBits(v, bits); };
    auto f32 = [&](unsigned k) {
      float f = bitsToF32(static_cast<uint32_t>(val(k)));
      return in.ftz ? flushF32(f) : f;
    };
    auto setF32 = [&](float f) {
      if (in.ftz)
        f = flushF32(f);
      r[in.ops[0].reg] = f32ToBits(f);
    };
    // Half-precision values as double, results rounded once.
    auto half = [&](unsigned k) -> double {
      uint16_t b = static_cast<uint16_t>(val(k));
      return in.type == Type::BF16 ? bf16ToFloat(b) : f16ToFloat(b);
    };
    auto setHalf = [&](double v) {
      r[in.ops[0].reg] =
          in.type == Type::BF16 ? doubleToBF16(v) : doubleToF16(v);
    };
    auto addrOf = [&](const Operand &o) -> uint64_t {
      return (o.reg == Operand::kNoReg ? 0 : r[o.reg]) +
             static_cast<uint64_t>(o.imm);
    };
    if ((in.type == Type::F16x2 || in.type == Type::BF16x2) &&
        in.op != Op::CvtPack) {
      // Packed pairs (add, sub, mul, fma, neg, abs, min, max): each half
      // on its own, the lower element in the low half.
      bool bf = in.type == Type::BF16x2;
      uint64_t d = 0;
      for (unsigned h = 0; h < 2; ++h) {
        auto part = [&](unsigned k) -> double {
          auto b = static_cast<uint16_t>(val(k) >> (16 * h));
          return bf ? bf16ToFloat(b) : f16ToFloat(b);
        };
        double x = part(1);
        double y = in.numOperands > 2 ? part(2) : 0.0;
        double z = in.numOperands > 3 ? part(3) : 0.0;
        double v = scalarFloatOp(in, x, y, z);
        d |= static_cast<uint64_t>(bf ? doubleToBF16(v) : doubleToF16(v))
             << (16 * h);
      }
      r[in.ops[0].reg] = d;
      ++pc;
      continue;
    }
    switch (in.op) {
    case Op::Add:
    case Op::Sub:
    case Op::Mul: {
      if (in.type == Type::F32) {
        float a = f32(1), b = f32(2);
        float d;
        if (in.rounding == Rounding::None || in.rounding == Rounding::Rn)
          d = in.op == Op::Add ? a + b : in.op == Op::Sub ? a - b : a * b;
        else
          d = withRounding(in.rounding, [&] {
            return in.op == Op::Add   ? opaqueAdd(a, b)
                   : in.op == Op::Sub ? opaqueSub(a, b)
                                      : opaqueMul(a, b);
          });
        setF32(d);
      } else if (in.type == Type::F16 || in.type == Type::BF16) {
        double a = half(1), b = half(2);
        setHalf(in.op == Op::Add ? a + b : in.op == Op::Sub ? a - b : a * b);
      } else {
        uint64_t a = val(1), b = val(2);
        set(in.op == Op::Add ? a + b : in.op == Op::Sub ? a - b : a * b);
      }
      break;
    }
    case Op::MulWide: {
      uint64_t a = val(1), b = val(2);
      uint64_t d =
          isSigned(in.type)
              ? static_cast<uint64_t>(signExtend(a, bits) * signExtend(b, bits))
              : maskBits(a, bits) * maskBits(b, bits);
      r[in.ops[0].reg] = maskBits(d, 2 * bits);
      break;
    }
    case Op::MulHi: {
      uint64_t d;
      if (isSigned(in.type)) {
        __int128 p = static_cast<__int128>(signExtend(val(1), bits)) *
                     signExtend(val(2), bits);
        d = static_cast<uint64_t>(p >> bits);
      } else {
        unsigned __int128 p =
            static_cast<unsigned __int128>(maskBits(val(1), bits)) *
            maskBits(val(2), bits);
        d = static_cast<uint64_t>(p >> bits);
      }
      set(d);
      break;
    }
    case Op::Mad:
      set(val(1) * val(2) + val(3));
      break;
    case Op::Fma: {
      if (in.type == Type::F32) {
        float a = f32(1), b = f32(2), c = f32(3);
        float d =
            in.rounding == Rounding::Rn
                ? std::fma(a, b, c)
                : withRounding(in.rounding, [&] { return opaqueFma(a, b, c); });
        if (in.sat)
          d = std::isnan(d) ? 0.0f : std::min(1.0f, std::max(0.0f, d));
        setF32(d);
      } else {
        double d = std::fma(half(1), half(2), half(3));
        if (in.sat)
          d = std::isnan(d) ? 0.0 : std::min(1.0, std::max(0.0, d));
        setHalf(d);
      }
      break;
    }
    case Op::Neg:
    case Op::Abs:
      if (in.type == Type::F32 || in.type == Type::F16 ||
          in.type == Type::BF16) {
        uint64_t sign = uint64_t(1) << (bits - 1);
        uint64_t v = val(1);
        if (in.type == Type::F32 && in.ftz)
          v = f32ToBits(f32(1));
        set(in.op == Op::Neg ? v ^ sign : v & ~sign);
      } else {
        int64_t v = signExtend(val(1), bits);
        set(static_cast<uint64_t>(in.op == Op::Neg ? -v : v < 0 ? -v : v));
      }
      break;
    case Op::Min:
    case Op::Max:
      if (in.type == Type::F32) {
        setF32(static_cast<float>(scalarFloatOp(in, f32(1), f32(2), 0)));
      } else if (isFloat(in.type)) {
        setHalf(scalarFloatOp(in, half(1), half(2), 0));
      } else if (isSigned(in.type)) {
        int64_t a = signExtend(val(1), bits), b = signExtend(val(2), bits);
        set(static_cast<uint64_t>(in.op == Op::Min ? std::min(a, b)
                                                   : std::max(a, b)));
      } else {
        uint64_t a = maskBits(val(1), bits), b = maskBits(val(2), bits);
        set(in.op == Op::Min ? std::min(a, b) : std::max(a, b));
      }
      break;
    case Op::Copysign: {
      // d = b with the sign of a.
      uint64_t sign = uint64_t(1) << 31;
      set((val(2) & ~sign) | (val(1) & sign));
      break;
    }
    case Op::Div:
      if (in.type == Type::F32) {
        float a = f32(1), b = f32(2);
        setF32(
            in.rounding == Rounding::None || in.rounding == Rounding::Rn
                ? a / b
                : withRounding(in.rounding, [&] { return opaqueDiv(a, b); }));
      } else if (isSigned(in.type)) {
        int64_t a = signExtend(val(1), bits), b = signExtend(val(2), bits);
        set(b == 0 ? ~uint64_t(0) : static_cast<uint64_t>(a / b));
      } else {
        uint64_t a = maskBits(val(1), bits), b = maskBits(val(2), bits);
        set(b == 0 ? ~uint64_t(0) : a / b);
      }
      break;
    // The approximations are computed exactly (in double, rounded once):
    // the kernels must tolerate the ISA's stated error, which is far
    // below the comparison's tolerance.
    case Op::Ex2:
      setF32(static_cast<float>(std::exp2(static_cast<double>(f32(1)))));
      break;
    case Op::Rsqrt:
      setF32(static_cast<float>(1.0 / std::sqrt(static_cast<double>(f32(1)))));
      break;
    case Op::Sqrt:
      setF32(static_cast<float>(std::sqrt(static_cast<double>(f32(1)))));
      break;
    case Op::Rcp:
      setF32(static_cast<float>(1.0 / static_cast<double>(f32(1))));
      break;
    case Op::Cvt: {
      Type s = in.srcType, d = in.type;
      uint64_t v = val(1);
      unsigned sb = typeBits(s);
      if (isFloat(d) && isFloat(s)) {
        double x = s == Type::F32   ? bitsToF32(static_cast<uint32_t>(v))
                   : s == Type::F16 ? f16ToFloat(static_cast<uint16_t>(v))
                                    : bf16ToFloat(static_cast<uint16_t>(v));
        if (in.ftz && s == Type::F32)
          x = flushF32(static_cast<float>(x));
        if (in.sat)
          x = std::isnan(x) ? 0.0 : std::min(1.0, std::max(0.0, x));
        switch (in.rounding) {
        case Rounding::Rni:
          x = std::nearbyint(x);
          break;
        case Rounding::Rzi:
          x = std::trunc(x);
          break;
        case Rounding::Rmi:
          x = std::floor(x);
          break;
        case Rounding::Rpi:
          x = std::ceil(x);
          break;
        case Rounding::None:
        case Rounding::Rn:
        case Rounding::Rz:
        case Rounding::Rm:
        case Rounding::Rp:
          break;
        }
        if (d == Type::F32) {
          float f = static_cast<float>(x);
          r[in.ops[0].reg] = f32ToBits(in.ftz ? flushF32(f) : f);
        } else if (d == Type::F16) {
          r[in.ops[0].reg] = doubleToF16(x);
        } else {
          r[in.ops[0].reg] = doubleToBF16(x);
        }
      } else if (!isFloat(d) && !isFloat(s)) {
        uint64_t x = isSigned(s) ? static_cast<uint64_t>(signExtend(v, sb))
                                 : maskBits(v, sb);
        if (in.sat) {
          // Clamp to the destination's range.
          int64_t lo = isSigned(d) ? -(int64_t(1) << (bits - 1)) : 0;
          uint64_t hi = isSigned(d) ? (uint64_t(1) << (bits - 1)) - 1
                                    : maskBits(~uint64_t(0), bits);
          if (isSigned(s) && static_cast<int64_t>(x) < lo)
            x = static_cast<uint64_t>(lo);
          else if (!(isSigned(s) && static_cast<int64_t>(x) < 0) && x > hi)
            x = hi;
        }
        set(x);
      } else if (isFloat(d)) {
        double x = isSigned(s) ? static_cast<double>(signExtend(v, sb))
                               : static_cast<double>(maskBits(v, sb));
        r[in.ops[0].reg] = f32ToBits(static_cast<float>(x));
      } else {
        double x = bitsToF32(static_cast<uint32_t>(v));
        switch (in.rounding) {
        case Rounding::Rni:
          x = std::nearbyint(x);
          break;
        case Rounding::Rmi:
          x = std::floor(x);
          break;
        case Rounding::Rpi:
          x = std::ceil(x);
          break;
        default:
          x = std::trunc(x);
          break;
        }
        // PTX saturates float -> int conversions; NaN gives 0.
        double lo = isSigned(d) ? -std::ldexp(1.0, bits - 1) : 0.0;
        double hi = isSigned(d) ? std::ldexp(1.0, bits - 1) - 1
                                : std::ldexp(1.0, bits) - 1;
        x = std::isnan(x) ? 0.0 : std::min(hi, std::max(lo, x));
        set(isSigned(d) ? static_cast<uint64_t>(static_cast<int64_t>(x))
                        : static_cast<uint64_t>(x));
      }
      break;
    }
    case Op::CvtPack: {
      // d = cvt(a) << 16 | cvt(b).
      double a = bitsToF32(static_cast<uint32_t>(val(1)));
      double b = bitsToF32(static_cast<uint32_t>(val(2)));
      uint64_t hi = in.type == Type::BF16x2 ? doubleToBF16(a) : doubleToF16(a);
      uint64_t lo = in.type == Type::BF16x2 ? doubleToBF16(b) : doubleToF16(b);
      r[in.ops[0].reg] = hi << 16 | lo;
      break;
    }
    case Op::Cvta:
      set(val(1));
      break;
    case Op::Shl: {
      uint64_t n = maskBits(val(2), 32);
      set(n >= bits ? 0 : val(1) << n);
      break;
    }
    case Op::Shr: {
      uint64_t n = maskBits(val(2), 32);
      if (isSigned(in.type)) {
        int64_t a = signExtend(val(1), bits);
        set(static_cast<uint64_t>(a >> std::min<uint64_t>(n, 63)));
      } else {
        set(n >= bits ? 0 : maskBits(val(1), bits) >> n);
      }
      break;
    }
    case Op::And:
      set(in.type == Type::Pred ? uint64_t(val(1) != 0 && val(2) != 0)
                                : val(1) & val(2));
      break;
    case Op::Or:
      set(in.type == Type::Pred ? uint64_t(val(1) != 0 || val(2) != 0)
                                : val(1) | val(2));
      break;
    case Op::Xor:
      set(in.type == Type::Pred ? uint64_t((val(1) != 0) != (val(2) != 0))
                                : val(1) ^ val(2));
      break;
    case Op::Not:
      set(in.type == Type::Pred ? val(1) == 0 : ~val(1));
      break;
    case Op::Bfe: {
      uint64_t a = maskBits(val(1), bits);
      unsigned p = static_cast<unsigned>(val(2) & 0xff);
      unsigned len = static_cast<unsigned>(val(3) & 0xff);
      uint64_t sbit = 0;
      if (isSigned(in.type) && len != 0)
        sbit = (a >> std::min(p + len - 1, bits - 1)) & 1;
      uint64_t d = 0;
      for (unsigned i = 0; i < bits; ++i) {
        uint64_t bit = (i < len && p + i < bits) ? (a >> (p + i)) & 1 : sbit;
        d |= bit << i;
      }
      set(d);
      break;
    }
    case Op::Mov: {
      const Operand &o = in.ops[1];
      if (in.ops[0].kind == K::Vector) {
        const uint32_t *d = vregs + in.ops[0].vecStart;
        uint64_t v = r[o.reg];
        r[d[0]] = maskBits(v, bits / 2);
        r[d[1]] = maskBits(v >> (bits / 2), bits / 2);
        og[d[0]] = og[d[1]] = og[o.reg];
        break;
      }
      if (o.kind == K::Vector) {
        const uint32_t *s = vregs + o.vecStart;
        set(maskBits(r[s[0]], bits / 2) | maskBits(r[s[1]], bits / 2)
                                              << (bits / 2));
        break;
      }
      uint64_t v = o.kind == K::Special
                       ? special(static_cast<Special>(o.imm), t)
                   : o.kind == K::Symbol ? static_cast<uint64_t>(o.imm)
                                         : val(1);
      set(in.type == Type::Pred ? v != 0 : v);
      break;
    }
    case Op::Setp: {
      uint64_t a = val(1), b = val(2);
      bool p = false;
      if (isFloat(in.type)) {
        double x = in.type == Type::F32 ? f32(1) : half(1);
        double y = in.type == Type::F32 ? f32(2) : half(2);
        p = compareFloat(in.cmp, x, y);
      } else if (isSigned(in.type)) {
        int64_t x = signExtend(a, bits), y = signExtend(b, bits);
        p = compareSigned(in.cmp, x, y);
      } else {
        uint64_t x = maskBits(a, bits), y = maskBits(b, bits);
        p = compareUnsigned(in.cmp, x, y);
      }
      r[in.ops[0].reg] = p;
      break;
    }
    case Op::Selp:
      set(r[in.ops[3].reg] ? val(1) : val(2));
      break;
    case Op::LdParam:
      r[in.ops[0].reg] = launch->params[in.ops[1].reg];
      break;
    case Op::Ld:
    case Op::St: {
      bool load = in.op == Op::Ld;
      const Operand &value = in.ops[load ? 0 : 1];
      uint64_t addr = addrOf(in.ops[load ? 1 : 0]);
      unsigned elem = bits / 8;
      unsigned size = elem * in.vec;
      const uint32_t *vr =
          value.kind == K::Vector ? vregs + value.vecStart : &value.reg;
      uint8_t *p;
      if (in.space == Space::Global) {
        p = global(addr, size, size, t, in.line, load ? "load" : "store");
        if (!p) {
          th.pc = pc;
          executed += count;
          return;
        }
      } else {
        if (!sharedInBounds(addr, size, size, t, in.line,
                            load ? "load" : "store")) {
          th.pc = pc;
          executed += count;
          return;
        }
        if (load) {
          uint32_t origin =
              sharedRead(static_cast<uint32_t>(addr), size, t, in.line);
          for (unsigned k = 0; k < in.vec; ++k)
            og[vr[k]] = origin;
        } else {
          for (unsigned k = 0; k < in.vec; ++k)
            sharedWrite(static_cast<uint32_t>(addr) + k * elem, elem, t,
                        in.line, value.kind == K::Imm ? 0 : og[vr[k]]);
        }
        p = shared.data() + addr;
      }
      if (in.space == Space::Global) {
        for (unsigned k = 0; k < in.vec; ++k) {
          if (load)
            og[vr[k]] = 0;
          else if (value.kind != K::Imm && og[vr[k]])
            report(FindingKind::UninitializedSharedRead, t, in.line,
                   "stores to global memory a value computed from shared "
                   "memory that no thread of the block wrote (read at line " +
                       llvm::Twine(og[vr[k]]) + ")");
        }
      }
      for (unsigned k = 0; k < in.vec; ++k) {
        if (load) {
          uint64_t v = 0;
          std::memcpy(&v, p + k * elem, elem);
          if (isSigned(in.type))
            v = maskBits(static_cast<uint64_t>(signExtend(v, bits)), 64);
          r[vr[k]] = v;
        } else {
          uint64_t v = value.kind == K::Imm ? static_cast<uint64_t>(value.imm)
                                            : r[vr[k]];
          std::memcpy(p + k * elem, &v, elem);
        }
      }
      break;
    }
    case Op::Bra:
      if (options.maxInstructions &&
          executed - launchStart + count > options.maxInstructions) {
        report(FindingKind::InstructionLimit, t, in.line,
               "the launch ran over " + llvm::Twine(options.maxInstructions) +
                   " thread instructions (an endless loop?)");
        th.pc = pc;
        executed += count;
        return;
      }
      pc = static_cast<uint32_t>(in.ops[0].imm);
      continue;
    case Op::Ret:
      th.status = Status::Exited;
      th.pc = pc;
      executed += count;
      return;
    case Op::BarSync:
      th.status = Status::AtBarrier;
      th.pc = pc;
      executed += count;
      return;
    case Op::Mma:
    case Op::Ldmatrix:
      th.status = Status::AtWarpOp;
      th.pc = pc;
      executed += count - 1; // counted per lane when it runs
      return;
    case Op::CpAsync: {
      uint64_t dst = addrOf(in.ops[0]);
      uint64_t src = addrOf(in.ops[1]);
      unsigned size = static_cast<unsigned>(in.ops[2].imm);
      uint64_t srcSize = in.numOperands == 4 ? maskBits(val(3), 32) : size;
      if (srcSize > size)
        srcSize = size;
      if (!issueAsyncCopy(t, in, dst, src, size, srcSize)) {
        th.pc = pc;
        executed += count;
        return;
      }
      break;
    }
    case Op::CpAsyncCommit:
      commitAsyncCopies(t);
      break;
    case Op::CpAsyncWait:
      waitAsyncCopies(t, static_cast<size_t>(in.ops[0].imm), /*all=*/false);
      break;
    case Op::CpAsyncWaitAll:
      waitAsyncCopies(t, 0, /*all=*/true);
      break;
    }
    ++pc;
  }
}
