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
// This file: the findings, the scheduler of a block's threads, warps and
// barriers, the launch loop and the public API; EmulatorImpl.h says where
// the rest lives.
//
//===----------------------------------------------------------------------===//

#include "EmulatorImpl.h"

#include "llvm/ADT/Twine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>

using namespace mirage::emu;
using namespace mirage::emu::detail;

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

void Emulator::Impl::report(FindingKind kind, unsigned thread, uint32_t line,
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

std::string Emulator::Impl::hex(uint64_t v) {
  std::string s;
  llvm::raw_string_ostream(s) << llvm::format_hex(v, 2);
  return s;
}

std::string Emulator::Impl::describeGlobal(uint64_t addr) {
  uint64_t index = addr >> kBufferShift;
  if (index == 0 || index > buffers.size())
    return hex(addr) + ", which is in no buffer";
  return hex(addr) + " (" + bufferNames[index - 1] + " + " +
         std::to_string(addr & kOffsetMask) + " of " +
         std::to_string(buffers[index - 1].size()) + " bytes)";
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
  reportOutstandingCopies();
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
