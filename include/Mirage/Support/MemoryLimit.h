//===- MemoryLimit.h - How much memory a tool may allocate ------*- C++ -*-===//
//
// Every tool that allocates tensors (the interpreter, the equivalence check,
// the search, the CPU runner) computes what it needs with checked arithmetic
// and compares it with a limit before it allocates anything, so that a huge
// tensor is a diagnostic, not std::bad_alloc or the OOM killer.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_SUPPORT_MEMORYLIMIT_H
#define MIRAGE_SUPPORT_MEMORYLIMIT_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>

namespace mirage {

/// The memory this process may use: the machine's physical memory, or the
/// memory limit of its cgroup when that is smaller; std::nullopt when
/// neither can be read.
std::optional<int64_t> availableMemoryBytes();

/// The default memory limit of every tool: three quarters of
/// availableMemoryBytes() (the rest for the system and the tool's own code
/// and IR), or 4 GiB when that is unknown.
int64_t defaultMemoryLimit();

/// `requested` bytes when non-zero, else defaultMemoryLimit(); values beyond
/// INT64_MAX are clamped.
int64_t resolveMemoryLimit(uint64_t requested);

/// Succeeds when `needed` (std::nullopt: it overflowed a 64-bit byte count)
/// is at most `limit`; otherwise fails with "too large to <verb>: needs N
/// bytes, limit M".
llvm::Error checkMemoryNeed(std::optional<int64_t> needed, int64_t limit,
                            llvm::StringRef verb);

} // namespace mirage

#endif // MIRAGE_SUPPORT_MEMORYLIMIT_H
