//===- Emulator.h - Run the PTX of a bundle on the CPU ----------*- C++ -*-===//
//
// A functional emulator of the PTX subset of Ptx.h (docs/Emulator.md). Global
// memory is a set of buffers at fake device addresses; every block of a
// launch runs on its own, one thread at a time up to the next warp-wide
// instruction (mma.sync, ldmatrix), barrier or exit, the warp-wide
// instructions when every lane of the warp has reached them, bar.sync when
// every thread of the block has. Every access is checked; what is found is
// reported with kernel, block, thread and PTX line.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_EMULATOR_EMULATOR_H
#define MIRAGE_EMULATOR_EMULATOR_H

#include "Mirage/Emulator/Ptx.h"

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mirage::emu {

/// What the checks find.
enum class FindingKind : uint8_t {
  /// Fatal: the launch stops.
  OutOfBounds,
  Misaligned,
  Divergence,
  /// A launch ran more thread instructions than EmulatorOptions allows.
  InstructionLimit,
  /// Reported, the launch goes on.
  SharedRace,
  /// A value read from shared memory that no thread of the block wrote
  /// reaches a global store, an address or a guard predicate.
  UninitializedSharedRead,
  AsyncCopyNotWaited,
};
constexpr unsigned kNumFindingKinds = 7;

/// "out-of-bounds access", "shared-memory race", ...
const char *findingKindName(FindingKind kind);
bool isFatal(FindingKind kind);

struct Finding {
  FindingKind kind;
  /// "FILE:LINE: error: kernel K, block (x, y, z), thread (t, 0, 0): ...".
  std::string message;
};

struct Launch {
  const Kernel *kernel = nullptr;
  std::array<unsigned, 3> grid = {1, 1, 1};
  std::array<unsigned, 3> block = {1, 1, 1};
  uint64_t dynamicSharedBytes = 0;
  /// The value of every parameter (a device address).
  std::vector<uint64_t> params;
};

struct EmulatorOptions {
  /// Findings kept per kind (all are counted).
  unsigned maxReportsPerKind = 5;
  /// Thread instructions one launch may execute (checked at taken
  /// branches); 0: no limit.
  uint64_t maxInstructions = 0;
};

class Emulator {
public:
  Emulator(const Module &module, EmulatorOptions options = {});
  ~Emulator();

  /// Allocates a global buffer of `bytes` bytes, filled with `fill`, and
  /// returns its device address. `name` is used in messages.
  uint64_t allocate(const std::string &name, uint64_t bytes, uint8_t fill);
  /// The host copy of the buffer at `address` (as returned by allocate).
  std::vector<uint8_t> &buffer(uint64_t address);

  /// Runs every block of `launch`. Returns false when a fatal finding
  /// stopped it (the finding says why).
  bool run(const Launch &launch);

  const std::vector<Finding> &findings() const;
  /// All findings of a kind, counting those not kept.
  uint64_t count(FindingKind kind) const;
  /// Thread instructions executed (a warp-wide instruction counts once per
  /// lane).
  uint64_t instructionsExecuted() const;

private:
  struct Impl;
  std::unique_ptr<Impl> impl;
};

} // namespace mirage::emu

#endif // MIRAGE_EMULATOR_EMULATOR_H
