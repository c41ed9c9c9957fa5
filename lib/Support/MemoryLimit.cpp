//===- MemoryLimit.cpp - How much memory a tool may allocate --------------===//

#include "Mirage/Support/MemoryLimit.h"
#include "Mirage/Support/ShapeRules.h"

#include "llvm/Support/MemoryBuffer.h"

#include <algorithm>
#include <limits>
#include <unistd.h>

using namespace mirage;

/// The limit of the cgroup (v2, then v1) this process runs in, if any.
static std::optional<int64_t> cgroupLimitBytes() {
  for (const char *path : {"/sys/fs/cgroup/memory.max",
                           "/sys/fs/cgroup/memory/memory.limit_in_bytes"}) {
    auto buffer = llvm::MemoryBuffer::getFileAsStream(path);
    if (!buffer)
      continue;
    int64_t bytes;
    // "max" (no limit) does not parse and is skipped.
    if (!(*buffer)->getBuffer().trim().getAsInteger(10, bytes) && bytes > 0)
      return bytes;
  }
  return std::nullopt;
}

std::optional<int64_t> mirage::availableMemoryBytes() {
  std::optional<int64_t> physical;
  long pages = sysconf(_SC_PHYS_PAGES);
  long pageSize = sysconf(_SC_PAGESIZE);
  if (pages > 0 && pageSize > 0)
    physical = checkedMulSize(pages, pageSize)
                   .value_or(std::numeric_limits<int64_t>::max());
  std::optional<int64_t> cgroup = cgroupLimitBytes();
  if (physical && cgroup)
    return std::min(*physical, *cgroup);
  return physical ? physical : cgroup;
}

int64_t mirage::defaultMemoryLimit() {
  if (std::optional<int64_t> available = availableMemoryBytes())
    return *available / 4 * 3;
  return int64_t(4) << 30;
}

int64_t mirage::resolveMemoryLimit(uint64_t requested) {
  if (requested == 0)
    return defaultMemoryLimit();
  return static_cast<int64_t>(
      std::min<uint64_t>(requested, std::numeric_limits<int64_t>::max()));
}

llvm::Error mirage::checkMemoryNeed(std::optional<int64_t> needed,
                                    int64_t limit, llvm::StringRef verb) {
  if (needed && *needed <= limit)
    return llvm::Error::success();
  std::string need = needed ? "needs " + formatBytes(*needed)
                            : std::string("needs more than 2^63 bytes");
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "too large to " + verb + ": " + need +
                                     ", limit " + formatBytes(limit));
}
