//===- AsyncCopy.cpp - cp.async and its groups ----------------------------===//
//
// cp.async copies global to shared memory in the background: issuing one
// reads its source at once and marks its destination bytes pending (a read
// of them, or another write, is a race until its group is waited for);
// cp.async.commit_group closes the thread's current group;
// cp.async.wait_group N completes all but the N most recent groups, and
// only then do the bytes reach shared memory. A thread that exits with
// copies outstanding is a finding.
//
//===----------------------------------------------------------------------===//

#include "EmulatorImpl.h"

#include <cstring>

using namespace mirage::emu;
using namespace mirage::emu::detail;

bool Emulator::Impl::issueAsyncCopy(unsigned t, const Instruction &in,
                                    uint64_t dst, uint64_t src, unsigned size,
                                    uint64_t srcSize) {
  if (!sharedInBounds(dst, size, size, t, in.line, "cp.async write"))
    return false;
  AsyncCopy c;
  c.dst = static_cast<uint32_t>(dst);
  c.size = static_cast<uint8_t>(size);
  c.line = in.line;
  if (srcSize) {
    const uint8_t *s = global(src, static_cast<unsigned>(srcSize), size, t,
                              in.line, "cp.async read");
    if (!s)
      return false;
    std::memcpy(c.data, s, srcSize);
  }
  sharedWrite(c.dst, size, t, in.line, /*origin=*/0, /*asyncIssue=*/true);
  for (uint32_t b = c.dst; b < c.dst + size; ++b)
    ++pending[b];
  threads[t].uncommitted.push_back(c);
  return true;
}

void Emulator::Impl::commitAsyncCopies(unsigned t) {
  ThreadState &th = threads[t];
  th.groups.push_back(std::move(th.uncommitted));
  th.uncommitted.clear();
}

void Emulator::Impl::waitAsyncCopies(unsigned t, size_t keep, bool all) {
  ThreadState &th = threads[t];
  while (th.groups.size() > keep) {
    completeGroup(t, th.groups.front());
    th.groups.pop_front();
  }
  if (all) {
    completeGroup(t, th.uncommitted);
    th.uncommitted.clear();
  }
}

void Emulator::Impl::completeGroup(unsigned t, std::vector<AsyncCopy> &group) {
  for (const AsyncCopy &c : group) {
    for (uint32_t b = c.dst; b < c.dst + c.size; ++b)
      --pending[b];
    sharedWrite(c.dst, c.size, t, c.line, /*origin=*/0);
    std::memcpy(&shared[c.dst], c.data, c.size);
  }
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

void Emulator::Impl::reportOutstandingCopies() {
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
}
