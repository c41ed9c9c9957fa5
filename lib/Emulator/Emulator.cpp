//===- Emulator.cpp - Run the PTX of a bundle on the CPU ------------------===//
//
// docs/Emulator.md describes the model. In short: a block runs one thread
// at a time, each up to its next warp-wide instruction, bar.sync or exit;
// a warp-wide instruction executes once all 32 lanes of the warp wait at
// it, a barrier once every thread of the block does. Shared memory keeps,
// per byte, the epoch (barrier interval) and thread of the last write and
// of the last read, which finds races, reads of bytes never written and
// reads of cp.async destinations whose group has not been waited for.
//
//===----------------------------------------------------------------------===//

#include "Mirage/Emulator/Emulator.h"

#include "Mirage/Emulator/Floats.h"

#include "llvm/ADT/Twine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <cfenv>
#include <cmath>
#include <cstring>
#include <deque>
#include <limits>

using namespace mirage::emu;

const char *mirage::emu::findingKindName(FindingKind kind) {
  switch (kind) {
  case FindingKind::OutOfBounds:
    return "out-of-bounds access";
  case FindingKind::Misaligned:
    return "misaligned access";
  case FindingKind::Divergence:
    return "divergent arrival";
  case FindingKind::InstructionLimit:
    return "instruction limit";
  case FindingKind::SharedRace:
    return "shared-memory race";
  case FindingKind::UninitializedSharedRead:
    return "use of never-written shared memory";
  case FindingKind::AsyncCopyNotWaited:
    return "cp.async not waited for";
  }
  return "?";
}

bool mirage::emu::isFatal(FindingKind kind) {
  switch (kind) {
  case FindingKind::OutOfBounds:
  case FindingKind::Misaligned:
  case FindingKind::Divergence:
  case FindingKind::InstructionLimit:
    return true;
  case FindingKind::SharedRace:
  case FindingKind::UninitializedSharedRead:
  case FindingKind::AsyncCopyNotWaited:
    return false;
  }
  return true;
}

namespace {

constexpr unsigned kWarpSize = 32;
constexpr unsigned kBufferShift = 40;
constexpr uint64_t kOffsetMask = (uint64_t(1) << kBufferShift) - 1;
constexpr uint16_t kManyThreads = 0xffff;

enum class Status : uint8_t { Running, AtWarpOp, AtBarrier, Exited };

struct AsyncCopy {
  uint32_t dst = 0;
  uint32_t line = 0;
  uint8_t size = 0;
  uint8_t data[16] = {};
};

struct ThreadState {
  uint32_t pc = 0;
  Status status = Status::Running;
  std::vector<AsyncCopy> uncommitted;
  std::deque<std::vector<AsyncCopy>> groups;
};

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
template <typename Fn> float withRounding(Rounding r, Fn fn) {
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
[[gnu::noinline]] float opaqueAdd(float a, float b) { return a + b; }
[[gnu::noinline]] float opaqueSub(float a, float b) { return a - b; }
[[gnu::noinline]] float opaqueMul(float a, float b) { return a * b; }
[[gnu::noinline]] float opaqueDiv(float a, float b) { return a / b; }
[[gnu::noinline]] float opaqueFma(float a, float b, float c) {
  return std::fma(a, b, c);
}

/// A float operation of add/sub/mul/fma/neg/abs/min/max on exact operands
/// (f16/bf16 halves, or f32), in double: the caller rounds once.
double scalarFloatOp(const Instruction &in, double a, double b, double c) {
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

} // namespace

struct Emulator::Impl {
  const Module &module;
  EmulatorOptions options;
  std::vector<std::string> bufferNames;
  std::vector<std::vector<uint8_t>> buffers;
  std::vector<Finding> findings;
  uint64_t counts[kNumFindingKinds] = {};
  uint64_t executed = 0;
  /// `executed` when the current launch started.
  uint64_t launchStart = 0;
  bool fatal = false;

  // The launch being run.
  const Launch *launch = nullptr;
  const Kernel *kernel = nullptr;
  unsigned numThreads = 0;
  unsigned numRegs = 0;
  std::array<unsigned, 3> ctaid = {0, 0, 0};
  std::vector<uint64_t> regs;
  /// Per register: 0 when its value is defined, else the PTX line of the
  /// read of never-written shared memory it was computed from.
  std::vector<uint32_t> origins;
  std::vector<ThreadState> threads;

  // Shared memory and its per-byte history.
  std::vector<uint8_t> shared;
  std::vector<uint32_t> wEpoch, rEpoch, wLine, rLine;
  std::vector<uint16_t> wThread, rThread;
  std::vector<uint8_t> pending;
  /// Per byte: as `origins`, for the value last stored there.
  std::vector<uint32_t> sOrigin;
  uint32_t epoch = 0;
  uint32_t blockStartEpoch = 0;

  Impl(const Module &module, EmulatorOptions options)
      : module(module), options(options) {}

  //===--------------------------------------------------------------===//
  // Findings
  //===--------------------------------------------------------------===//

  void report(FindingKind kind, unsigned thread, uint32_t line,
              const llvm::Twine &what) {
    if (isFatal(kind))
      fatal = true;
    if (counts[static_cast<unsigned>(kind)]++ >= options.maxReportsPerKind)
      return;
    std::string message;
    llvm::raw_string_ostream os(message);
    os << module.fileName << ":" << line << ": error: kernel " << kernel->name
       << ", block (" << ctaid[0] << ", " << ctaid[1] << ", " << ctaid[2]
       << "), thread (" << thread % launch->block[0] << ", "
       << thread / launch->block[0] % launch->block[1] << ", "
       << thread / (launch->block[0] * launch->block[1])
       << "): " << findingKindName(kind) << ": " << what;
    findings.push_back({kind, message});
  }

  std::string hex(uint64_t v) {
    std::string s;
    llvm::raw_string_ostream(s) << llvm::format_hex(v, 2);
    return s;
  }

  std::string describeGlobal(uint64_t addr) {
    uint64_t index = addr >> kBufferShift;
    if (index == 0 || index > buffers.size())
      return hex(addr) + ", which is in no buffer";
    return hex(addr) + " (" + bufferNames[index - 1] + " + " +
           std::to_string(addr & kOffsetMask) + " of " +
           std::to_string(buffers[index - 1].size()) + " bytes)";
  }

  //===--------------------------------------------------------------===//
  // Memory
  //===--------------------------------------------------------------===//

  /// The host bytes of [addr, addr + size) in global memory, or null after
  /// reporting why not.
  uint8_t *global(uint64_t addr, unsigned size, unsigned align, unsigned thread,
                  uint32_t line, const char *what) {
    uint64_t index = addr >> kBufferShift;
    uint64_t offset = addr & kOffsetMask;
    if (index == 0 || index > buffers.size() ||
        offset + size > buffers[index - 1].size()) {
      report(FindingKind::OutOfBounds, thread, line,
             llvm::Twine(what) + " of " + llvm::Twine(size) +
                 " bytes of global memory at " + describeGlobal(addr));
      return nullptr;
    }
    if (addr % align) {
      report(FindingKind::Misaligned, thread, line,
             llvm::Twine(what) + " of " + llvm::Twine(size) +
                 " bytes of global memory at " + describeGlobal(addr) +
                 ", not aligned to " + llvm::Twine(align));
      return nullptr;
    }
    return buffers[index - 1].data() + offset;
  }

  bool sharedInBounds(uint64_t addr, unsigned size, unsigned align,
                      unsigned thread, uint32_t line, const char *what) {
    if (addr > shared.size() || size > shared.size() - addr) {
      report(FindingKind::OutOfBounds, thread, line,
             llvm::Twine(what) + " of " + llvm::Twine(size) +
                 " bytes of shared memory at " + llvm::Twine(addr) +
                 " (the block has " + llvm::Twine(shared.size()) + " bytes)");
      return false;
    }
    if (addr % align) {
      report(FindingKind::Misaligned, thread, line,
             llvm::Twine(what) + " of " + llvm::Twine(size) +
                 " bytes of shared memory at " + llvm::Twine(addr) +
                 ", not aligned to " + llvm::Twine(align));
      return false;
    }
    return true;
  }

  std::string threadName(unsigned t) { return "thread " + std::to_string(t); }

  /// The outstanding cp.async that writes byte `b`, for messages.
  const AsyncCopy *pendingCopy(uint32_t b, unsigned *owner) {
    for (unsigned t = 0; t < numThreads; ++t) {
      auto covers = [&](const AsyncCopy &c) {
        return b >= c.dst && b < c.dst + c.size;
      };
      for (const AsyncCopy &c : threads[t].uncommitted)
        if (covers(c))
          return *owner = t, &c;
      for (const auto &g : threads[t].groups)
        for (const AsyncCopy &c : g)
          if (covers(c))
            return *owner = t, &c;
    }
    return nullptr;
  }

  /// Records a read of shared [addr, addr + size) by `t`, reporting the
  /// first problem. Returns the origin of the value read: 0 when defined,
  /// else the line of the read of never-written memory it comes from (this
  /// one, when a byte has never been written in this block).
  uint32_t sharedRead(uint32_t addr, unsigned size, unsigned t, uint32_t line) {
    bool reported = false;
    uint32_t origin = 0;
    for (uint32_t b = addr; b < addr + size; ++b) {
      if (!reported) {
        if (pending[b]) {
          unsigned owner = 0;
          const AsyncCopy *c = pendingCopy(b, &owner);
          report(FindingKind::SharedRace, t, line,
                 "reads shared byte " + llvm::Twine(b) +
                     " before the cp.async " +
                     (c ? "at line " + llvm::Twine(c->line) + " of thread " +
                              llvm::Twine(owner) + " "
                        : llvm::Twine("")) +
                     "that writes it has completed (no cp.async.wait_group "
                     "for its group)");
          reported = true;
        } else if (wEpoch[b] == epoch && wThread[b] != t) {
          report(FindingKind::SharedRace, t, line,
                 "reads shared byte " + llvm::Twine(b) + " that thread " +
                     llvm::Twine(wThread[b]) + " wrote at line " +
                     llvm::Twine(wLine[b]) + " with no barrier between");
          reported = true;
        }
      }
      if (!origin)
        origin = wEpoch[b] < blockStartEpoch ? line : sOrigin[b];
      if (rEpoch[b] != epoch) {
        rEpoch[b] = epoch;
        rThread[b] = static_cast<uint16_t>(t);
        rLine[b] = line;
      } else if (rThread[b] != t) {
        rThread[b] = kManyThreads;
      }
    }
    return origin;
  }

  void sharedWrite(uint32_t addr, unsigned size, unsigned t, uint32_t line,
                   uint32_t origin, bool asyncIssue = false) {
    bool reported = false;
    for (uint32_t b = addr; b < addr + size; ++b) {
      if (!reported) {
        if (pending[b] && !asyncIssue) {
          unsigned owner = 0;
          const AsyncCopy *c = pendingCopy(b, &owner);
          report(FindingKind::SharedRace, t, line,
                 "writes shared byte " + llvm::Twine(b) +
                     " that an outstanding cp.async " +
                     (c ? "(line " + llvm::Twine(c->line) + ", thread " +
                              llvm::Twine(owner) + ") "
                        : llvm::Twine("")) +
                     "also writes");
          reported = true;
        } else if (wEpoch[b] == epoch && wThread[b] != t) {
          report(FindingKind::SharedRace, t, line,
                 "writes shared byte " + llvm::Twine(b) + " that thread " +
                     llvm::Twine(wThread[b]) + " wrote at line " +
                     llvm::Twine(wLine[b]) + " with no barrier between");
          reported = true;
        } else if (rEpoch[b] == epoch && rThread[b] != t) {
          report(FindingKind::SharedRace, t, line,
                 "writes shared byte " + llvm::Twine(b) + " that " +
                     (rThread[b] == kManyThreads
                          ? llvm::Twine("several threads")
                          : "thread " + llvm::Twine(rThread[b])) +
                     " read (at line " + llvm::Twine(rLine[b]) +
                     ") with no barrier between");
          reported = true;
        }
      }
      wEpoch[b] = epoch;
      wThread[b] = static_cast<uint16_t>(t);
      wLine[b] = line;
      sOrigin[b] = origin;
    }
  }

  //===--------------------------------------------------------------===//
  // cp.async
  //===--------------------------------------------------------------===//

  void completeGroup(unsigned t, std::vector<AsyncCopy> &group) {
    for (const AsyncCopy &c : group) {
      for (uint32_t b = c.dst; b < c.dst + c.size; ++b)
        --pending[b];
      sharedWrite(c.dst, c.size, t, c.line, /*origin=*/0);
      std::memcpy(&shared[c.dst], c.data, c.size);
    }
  }

  //===--------------------------------------------------------------===//
  // Execution
  //===--------------------------------------------------------------===//

  uint64_t special(Special s, unsigned t) {
    const std::array<unsigned, 3> &b = launch->block;
    switch (s) {
    case Special::TidX:
      return t % b[0];
    case Special::TidY:
      return t / b[0] % b[1];
    case Special::TidZ:
      return t / (b[0] * b[1]);
    case Special::NtidX:
      return b[0];
    case Special::NtidY:
      return b[1];
    case Special::NtidZ:
      return b[2];
    case Special::CtaidX:
      return ctaid[0];
    case Special::CtaidY:
      return ctaid[1];
    case Special::CtaidZ:
      return ctaid[2];
    case Special::NctaidX:
      return launch->grid[0];
    case Special::NctaidY:
      return launch->grid[1];
    case Special::NctaidZ:
      return launch->grid[2];
    case Special::LaneId:
      return t % kWarpSize;
    case Special::WarpId:
      return t / kWarpSize;
    }
    return 0;
  }

  void runThread(unsigned t);
  bool runWarpOp(unsigned warp, const Instruction &inst);
  bool runBlock();
  bool run(const Launch &l);
};

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
        switch (in.cmp) {
        case Cmp::Eq:
          p = x == y;
          break;
        case Cmp::Ne:
          p = x != y && !std::isnan(x) && !std::isnan(y);
          break;
        case Cmp::Lt:
          p = x < y;
          break;
        case Cmp::Le:
          p = x <= y;
          break;
        case Cmp::Gt:
          p = x > y;
          break;
        case Cmp::Ge:
          p = x >= y;
          break;
        case Cmp::Equ:
          p = !(x != y);
          break;
        case Cmp::Neu:
          p = x != y;
          break;
        case Cmp::Ltu:
          p = !(x >= y);
          break;
        case Cmp::Leu:
          p = !(x > y);
          break;
        case Cmp::Gtu:
          p = !(x <= y);
          break;
        case Cmp::Geu:
          p = !(x < y);
          break;
        case Cmp::Num:
          p = !std::isnan(x) && !std::isnan(y);
          break;
        case Cmp::Nan:
          p = std::isnan(x) || std::isnan(y);
          break;
        case Cmp::Lo:
        case Cmp::Ls:
        case Cmp::Hi:
        case Cmp::Hs:
          break; // rejected by the parser
        }
      } else if (isSigned(in.type)) {
        int64_t x = signExtend(a, bits), y = signExtend(b, bits);
        switch (in.cmp) {
        case Cmp::Eq:
          p = x == y;
          break;
        case Cmp::Ne:
          p = x != y;
          break;
        case Cmp::Lt:
          p = x < y;
          break;
        case Cmp::Le:
          p = x <= y;
          break;
        case Cmp::Gt:
          p = x > y;
          break;
        case Cmp::Ge:
          p = x >= y;
          break;
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
          break; // rejected by the parser
        }
      } else {
        uint64_t x = maskBits(a, bits), y = maskBits(b, bits);
        switch (in.cmp) {
        case Cmp::Eq:
          p = x == y;
          break;
        case Cmp::Ne:
          p = x != y;
          break;
        case Cmp::Lt:
        case Cmp::Lo:
          p = x < y;
          break;
        case Cmp::Le:
        case Cmp::Ls:
          p = x <= y;
          break;
        case Cmp::Gt:
        case Cmp::Hi:
          p = x > y;
          break;
        case Cmp::Ge:
        case Cmp::Hs:
          p = x >= y;
          break;
        case Cmp::Equ:
        case Cmp::Neu:
        case Cmp::Ltu:
        case Cmp::Leu:
        case Cmp::Gtu:
        case Cmp::Geu:
        case Cmp::Num:
        case Cmp::Nan:
          break; // rejected by the parser
        }
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
      if (!sharedInBounds(dst, size, size, t, in.line, "cp.async write")) {
        th.pc = pc;
        executed += count;
        return;
      }
      AsyncCopy c;
      c.dst = static_cast<uint32_t>(dst);
      c.size = static_cast<uint8_t>(size);
      c.line = in.line;
      if (srcSize) {
        const uint8_t *s = global(src, static_cast<unsigned>(srcSize), size, t,
                                  in.line, "cp.async read");
        if (!s) {
          th.pc = pc;
          executed += count;
          return;
        }
        std::memcpy(c.data, s, srcSize);
      }
      sharedWrite(c.dst, size, t, in.line, /*origin=*/0, /*asyncIssue=*/true);
      for (uint32_t b = c.dst; b < c.dst + size; ++b)
        ++pending[b];
      th.uncommitted.push_back(c);
      break;
    }
    case Op::CpAsyncCommit:
      th.groups.push_back(std::move(th.uncommitted));
      th.uncommitted.clear();
      break;
    case Op::CpAsyncWait:
    case Op::CpAsyncWaitAll: {
      size_t keep =
          in.op == Op::CpAsyncWait ? static_cast<size_t>(in.ops[0].imm) : 0;
      while (th.groups.size() > keep) {
        completeGroup(t, th.groups.front());
        th.groups.pop_front();
      }
      if (in.op == Op::CpAsyncWaitAll) {
        completeGroup(t, th.uncommitted);
        th.uncommitted.clear();
      }
      break;
    }
    }
    ++pc;
  }
}

bool Emulator::Impl::runWarpOp(unsigned warp, const Instruction &in) {
  unsigned first = warp * kWarpSize;
  auto index = [&](unsigned lane, const Operand &o, unsigned k) {
    uint32_t i = o.kind == Operand::Kind::Vector
                     ? kernel->vectorRegs[o.vecStart + k]
                     : o.reg;
    return static_cast<size_t>(first + lane) * numRegs + i;
  };
  auto reg = [&](unsigned lane, const Operand &o, unsigned k) -> uint64_t & {
    return regs[index(lane, o, k)];
  };
  auto origin = [&](unsigned lane, const Operand &o, unsigned k) -> uint32_t & {
    return origins[index(lane, o, k)];
  };
  auto firstOf = [](uint32_t a, uint32_t b) { return a ? a : b; };
  executed += kWarpSize;
  if (in.op == Op::Ldmatrix) {
    // Matrix m's row i comes from the address of lane 8m + i; lane T gets
    // row T/4, columns 2(T%4) and 2(T%4)+1 of each matrix (of the
    // transposed matrix with .trans), the lower column in the low half.
    uint16_t m[4][8][8];
    uint32_t rowOrigin[4][8];
    for (unsigned mat = 0; mat < in.vec; ++mat)
      for (unsigned row = 0; row < 8; ++row) {
        unsigned lane = mat * 8 + row;
        const Operand &a = in.ops[1];
        uint64_t addr = (a.reg == Operand::kNoReg ? 0 : reg(lane, a, 0)) +
                        static_cast<uint64_t>(a.imm);
        if (!sharedInBounds(addr, 16, 16, first + lane, in.line,
                            "ldmatrix row load"))
          return false;
        if (a.reg != Operand::kNoReg && origin(lane, a, 0))
          report(FindingKind::UninitializedSharedRead, first + lane, in.line,
                 "the address depends on never-written shared memory (read "
                 "at line " +
                     llvm::Twine(origin(lane, a, 0)) + ")");
        rowOrigin[mat][row] =
            sharedRead(static_cast<uint32_t>(addr), 16, first + lane, in.line);
        std::memcpy(m[mat][row], &shared[addr], 16);
      }
    for (unsigned lane = 0; lane < kWarpSize; ++lane)
      for (unsigned mat = 0; mat < in.vec; ++mat) {
        unsigned row = lane / 4, col = 2 * (lane % 4);
        uint64_t lo = in.trans ? m[mat][col][row] : m[mat][row][col];
        uint64_t hi = in.trans ? m[mat][col + 1][row] : m[mat][row][col + 1];
        reg(lane, in.ops[0], mat) = lo | hi << 16;
        origin(lane, in.ops[0], mat) =
            in.trans ? firstOf(rowOrigin[mat][col], rowOrigin[mat][col + 1])
                     : rowOrigin[mat][row];
      }
    return true;
  }
  // mma.sync.aligned.m16n8k16.row.col.f32.{f16,bf16}.{f16,bf16}.f32
  // (PTX ISA fragment layouts): group g = lane / 4, t = lane % 4.
  //   A: reg i, half h: row g + 8 (i % 2), column 2t + h + 8 (i / 2)
  //   B: reg i, half h: row (k) 2t + h + 8 i, column (n) g
  //   C/D: reg i: row g + 8 (i / 2), column 2t + i % 2
  bool bf16 = in.srcType == Type::BF16;
  auto elem = [&](uint64_t bits16) -> double {
    uint16_t b = static_cast<uint16_t>(bits16);
    return bf16 ? bf16ToFloat(b) : f16ToFloat(b);
  };
  double a[16][16], b[16][8], c[16][8];
  // Origins: per row of A, per column of B, per element of C.
  uint32_t aOrigin[16] = {}, bOrigin[8] = {}, cOrigin[16][8] = {};
  for (unsigned lane = 0; lane < kWarpSize; ++lane) {
    unsigned g = lane / 4, t = lane % 4;
    for (unsigned i = 0; i < 4; ++i) {
      uint64_t v = reg(lane, in.ops[1], i);
      uint32_t &ao = aOrigin[g + 8 * (i % 2)];
      ao = firstOf(ao, origin(lane, in.ops[1], i));
      for (unsigned h = 0; h < 2; ++h)
        a[g + 8 * (i % 2)][2 * t + h + 8 * (i / 2)] = elem(v >> (16 * h));
    }
    for (unsigned i = 0; i < 2; ++i) {
      uint64_t v = reg(lane, in.ops[2], i);
      bOrigin[g] = firstOf(bOrigin[g], origin(lane, in.ops[2], i));
      for (unsigned h = 0; h < 2; ++h)
        b[2 * t + h + 8 * i][g] = elem(v >> (16 * h));
    }
    for (unsigned i = 0; i < 4; ++i) {
      c[g + 8 * (i / 2)][2 * t + i % 2] =
          bitsToF32(static_cast<uint32_t>(reg(lane, in.ops[3], i)));
      cOrigin[g + 8 * (i / 2)][2 * t + i % 2] = origin(lane, in.ops[3], i);
    }
  }
  float d[16][8];
  for (unsigned i = 0; i < 16; ++i)
    for (unsigned j = 0; j < 8; ++j) {
      double acc = c[i][j];
      for (unsigned k = 0; k < 16; ++k)
        acc += a[i][k] * b[k][j];
      d[i][j] = static_cast<float>(acc);
    }
  for (unsigned lane = 0; lane < kWarpSize; ++lane) {
    unsigned g = lane / 4, t = lane % 4;
    for (unsigned i = 0; i < 4; ++i) {
      unsigned row = g + 8 * (i / 2), col = 2 * t + i % 2;
      reg(lane, in.ops[0], i) = f32ToBits(d[row][col]);
      origin(lane, in.ops[0], i) =
          firstOf(cOrigin[row][col], firstOf(aOrigin[row], bOrigin[col]));
    }
  }
  return true;
}

bool Emulator::Impl::runBlock() {
  std::fill(regs.begin(), regs.end(), 0);
  std::fill(origins.begin(), origins.end(), 0);
  for (ThreadState &th : threads) {
    th.pc = 0;
    th.status = Status::Running;
    th.uncommitted.clear();
    th.groups.clear();
  }
  std::fill(pending.begin(), pending.end(), 0);
  blockStartEpoch = ++epoch;
  unsigned numWarps = (numThreads + kWarpSize - 1) / kWarpSize;
  for (;;) {
    for (unsigned w = 0; w < numWarps; ++w) {
      unsigned first = w * kWarpSize;
      unsigned last = std::min(numThreads, first + kWarpSize);
      for (;;) {
        for (unsigned t = first; t < last; ++t) {
          if (threads[t].status == Status::Running)
            runThread(t);
          if (fatal)
            return false;
        }
        // Every lane waits at a warp-wide instruction, a barrier or has
        // exited.
        unsigned atWarpOp = 0;
        for (unsigned t = first; t < last; ++t)
          atWarpOp += threads[t].status == Status::AtWarpOp;
        if (!atWarpOp)
          break;
        unsigned leader = first;
        while (threads[leader].status != Status::AtWarpOp)
          ++leader;
        const Instruction &op = kernel->code[threads[leader].pc];
        for (unsigned t = first; t < last; ++t) {
          if (threads[t].status == Status::AtWarpOp &&
              threads[t].pc == threads[leader].pc) {
            continue;
          }
          const char *where = threads[t].status == Status::Exited ? "has exited"
                              : threads[t].status == Status::AtBarrier
                                  ? "waits at a bar.sync"
                                  : "waits elsewhere";
          uint32_t line = threads[t].status == Status::Exited
                              ? kernel->code[threads[t].pc].line
                              : kernel->code[threads[t].pc].line;
          report(FindingKind::Divergence, t, op.line,
                 llvm::Twine(describe(op)) + " (warp-wide) reached by thread " +
                     llvm::Twine(leader) + " while thread " + llvm::Twine(t) +
                     " of its warp " + where + " (line " + llvm::Twine(line) +
                     ")");
          return false;
        }
        if (last - first != kWarpSize) {
          report(FindingKind::Divergence, leader, op.line,
                 llvm::Twine(describe(op)) + " in a warp of " +
                     llvm::Twine(last - first) + " threads (needs 32)");
          return false;
        }
        if (!runWarpOp(w, op))
          return false;
        for (unsigned t = first; t < last; ++t) {
          ++threads[t].pc;
          threads[t].status = Status::Running;
        }
      }
    }
    // Every thread waits at a barrier or has exited.
    int barrierPc = -1;
    unsigned waiter = 0;
    for (unsigned t = 0; t < numThreads; ++t)
      if (threads[t].status == Status::AtBarrier) {
        barrierPc = static_cast<int>(threads[t].pc);
        waiter = t;
        break;
      }
    if (barrierPc < 0)
      break;
    const Instruction &bar = kernel->code[barrierPc];
    for (unsigned t = 0; t < numThreads; ++t) {
      if (threads[t].status == Status::AtBarrier &&
          threads[t].pc == static_cast<uint32_t>(barrierPc))
        continue;
      report(FindingKind::Divergence, waiter, bar.line,
             "bar.sync reached by thread " + llvm::Twine(waiter) +
                 " while thread " + llvm::Twine(t) +
                 (threads[t].status == Status::Exited
                      ? llvm::Twine(" has exited (line ") +
                            llvm::Twine(kernel->code[threads[t].pc].line) + ")"
                      : llvm::Twine(" waits at the bar.sync of line ") +
                            llvm::Twine(kernel->code[threads[t].pc].line)));
      return false;
    }
    ++epoch;
    for (ThreadState &th : threads) {
      ++th.pc;
      th.status = Status::Running;
    }
  }
  for (unsigned t = 0; t < numThreads; ++t) {
    ThreadState &th = threads[t];
    std::vector<AsyncCopy> *left = !th.uncommitted.empty() ? &th.uncommitted
                                   : !th.groups.empty()    ? &th.groups.front()
                                                           : nullptr;
    if (left && !left->empty())
      report(FindingKind::AsyncCopyNotWaited, t, left->front().line,
             "the thread exits with cp.async copies outstanding (no "
             "cp.async.wait_group completes them; their data never reaches "
             "shared memory)");
  }
  return true;
}

bool Emulator::Impl::run(const Launch &l) {
  launch = &l;
  kernel = l.kernel;
  numThreads = l.block[0] * l.block[1] * l.block[2];
  numRegs = static_cast<unsigned>(kernel->registerNames.size());
  regs.assign(static_cast<size_t>(numThreads) * numRegs, 0);
  origins.assign(static_cast<size_t>(numThreads) * numRegs, 0);
  threads.assign(numThreads, ThreadState());
  size_t s = l.dynamicSharedBytes;
  shared.assign(s, 0);
  wEpoch.assign(s, 0);
  rEpoch.assign(s, 0);
  wLine.assign(s, 0);
  rLine.assign(s, 0);
  wThread.assign(s, 0);
  rThread.assign(s, 0);
  pending.assign(s, 0);
  sOrigin.assign(s, 0);
  fatal = false;
  launchStart = executed;
  for (unsigned z = 0; z < l.grid[2]; ++z)
    for (unsigned y = 0; y < l.grid[1]; ++y)
      for (unsigned x = 0; x < l.grid[0]; ++x) {
        ctaid = {x, y, z};
        // Shared memory starts with garbage: the same pattern every block.
        std::fill(shared.begin(), shared.end(), 0xa5);
        if (!runBlock())
          return false;
      }
  return true;
}

Emulator::Emulator(const Module &module, EmulatorOptions options)
    : impl(std::make_unique<Impl>(module, options)) {}
Emulator::~Emulator() = default;

uint64_t Emulator::allocate(const std::string &name, uint64_t bytes,
                            uint8_t fill) {
  impl->bufferNames.push_back(name);
  impl->buffers.emplace_back(bytes, fill);
  return static_cast<uint64_t>(impl->buffers.size()) << kBufferShift;
}

std::vector<uint8_t> &Emulator::buffer(uint64_t address) {
  return impl->buffers[(address >> kBufferShift) - 1];
}

bool Emulator::run(const Launch &launch) { return impl->run(launch); }

const std::vector<Finding> &Emulator::findings() const {
  return impl->findings;
}

uint64_t Emulator::count(FindingKind kind) const {
  return impl->counts[static_cast<unsigned>(kind)];
}

uint64_t Emulator::instructionsExecuted() const { return impl->executed; }
