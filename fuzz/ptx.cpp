//===- ptx.cpp - Fuzz the PTX emulator ------------------------------------===//
//
// Parses the input as PTX (the emulator's subset, docs/Emulator.md); what
// parses is run: every kernel, one block of 64 threads with 4 KiB of shared
// memory and a 4 KiB buffer behind every parameter, at most 100,000 thread
// instructions. Errors and findings are fine; crashes, sanitizer reports and
// hangs are bugs.
//
//===----------------------------------------------------------------------===//

#include "Mirage/Emulator/Ptx.h"
#include "Mirage/Emulator/Emulator.h"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
  llvm::Expected<mirage::emu::Module> module =
      mirage::emu::parsePtx(text, "fuzz.ptx");
  if (!module) {
    llvm::consumeError(module.takeError());
    return 0;
  }
  for (const mirage::emu::Kernel &kernel : module->kernels) {
    mirage::emu::EmulatorOptions options;
    options.maxInstructions = 100000;
    mirage::emu::Emulator emulator(*module, options);
    mirage::emu::Launch launch;
    launch.kernel = &kernel;
    launch.block = {64, 1, 1};
    launch.dynamicSharedBytes = 4096;
    for (size_t i = 0; i < kernel.params.size(); ++i)
      launch.params.push_back(
          emulator.allocate("param " + std::to_string(i), 4096, 0));
    emulator.run(launch);
  }
  return 0;
}
