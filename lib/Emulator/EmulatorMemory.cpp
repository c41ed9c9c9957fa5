//===- EmulatorMemory.cpp - Memory messages and cp.async completion ------===//
//
// The cold side of the memory model of EmulatorImpl.h: addresses written
// for messages, the outstanding cp.async behind a race, and the completion
// of a cp.async group (its bytes reach shared memory).
//
//===----------------------------------------------------------------------===//

#include "EmulatorImpl.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

using namespace mirage::emu;
using namespace mirage::emu::detail;

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

/// The outstanding cp.async that writes byte `b`, for messages.
const AsyncCopy *Emulator::Impl::pendingCopy(uint32_t b, unsigned *owner) {
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

void Emulator::Impl::completeGroup(unsigned t, std::vector<AsyncCopy> &group) {
  for (const AsyncCopy &c : group) {
    for (uint32_t b = c.dst; b < c.dst + c.size; ++b)
      --pending[b];
    sharedWrite(c.dst, c.size, t, c.line, /*origin=*/0);
    std::memcpy(&shared[c.dst], c.data, c.size);
  }
}
