//===- EmulatorImpl.h - The emulator's state and memory model ---*- C++ -*-===//
//
// Private to lib/Emulator: the state of an Emulator (buffers, findings, the
// launch being run, registers, threads, shared memory and its per-byte
// history) and the checked accesses to global and shared memory (bounds,
// alignment, races, reads of never-written or not-yet-copied bytes), kept
// inline here because every load and store of the interpreter loop
// (ExecThread.cpp) goes through them. The rest: Emulator.cpp (findings, the
// launch loop and the block scheduler), ExecThread.cpp (one thread's
// instructions), WarpOps.cpp (mma.sync and ldmatrix), AsyncCopy.cpp
// (cp.async and its groups).
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_LIB_EMULATOR_EMULATORIMPL_H
#define MIRAGE_LIB_EMULATOR_EMULATORIMPL_H

#include "Mirage/Emulator/Emulator.h"

#include "llvm/ADT/Twine.h"

#include <array>
#include <cstdint>
#include <cstring>
#include <deque>
#include <string>
#include <vector>

namespace mirage::emu {
namespace detail {

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

} // namespace detail

using namespace detail;

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

  // Emulator.cpp.
  void report(FindingKind kind, unsigned thread, uint32_t line,
              const llvm::Twine &what);
  std::string hex(uint64_t v);
  std::string describeGlobal(uint64_t addr);

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

  /// AsyncCopy.cpp: the outstanding cp.async that writes byte `b`, for
  /// messages.
  const AsyncCopy *pendingCopy(uint32_t b, unsigned *owner);

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

  // AsyncCopy.cpp. issueAsyncCopy returns false after reporting why the
  // copy cannot be issued.
  bool issueAsyncCopy(unsigned t, const Instruction &in, uint64_t dst,
                      uint64_t src, unsigned size, uint64_t srcSize);
  void commitAsyncCopies(unsigned t);
  /// Completes all but the `keep` most recent groups of `t` (and, with
  /// `all`, its uncommitted copies too).
  void waitAsyncCopies(unsigned t, size_t keep, bool all);
  void completeGroup(unsigned t, std::vector<AsyncCopy> &group);
  /// Reports the threads of the block that exit with copies outstanding.
  void reportOutstandingCopies();

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

  /// ExecThread.cpp.
  void runThread(unsigned t);
  /// WarpOps.cpp.
  bool runWarpOp(unsigned warp, const Instruction &inst);
  /// Emulator.cpp: the scheduler of one block and the launch loop.
  bool runBlock();
  bool run(const Launch &l);
};

} // namespace mirage::emu

#endif // MIRAGE_LIB_EMULATOR_EMULATORIMPL_H
