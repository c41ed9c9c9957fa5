//===- manifest.cpp - Fuzz the runtime's manifest and PTX checks ----------===//
//
// The input is a manifest, then a line "//---- ptx ----", then the PTX text
// (without the line: a manifest alone). Runs the JSON reader and writer,
// parseManifest, scanPtx, loadBundleFromText, and checkManifestAgainstPtx
// with the manifest's SHA-256 replaced by the PTX's own, so that mutations
// of the PTX get past the hash and reach the scan.
//
//===----------------------------------------------------------------------===//

#include "MirageRuntime/Manifest.h"
#include "MirageRuntime/Bundle.h"
#include "MirageRuntime/Json.h"
#include "MirageRuntime/Ptx.h"
#include "MirageRuntime/Sha256.h"

#include <cstdio>
#include <cstdlib>
#include <string>

using namespace mirage::rt;

static void bug(const char *what) {
  std::fprintf(stderr, "mirage-fuzz: BUG: %s\n", what);
  std::abort();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 256 * 1024)
    return 0;
  std::string input(reinterpret_cast<const char *>(data), size);
  static const std::string kSeparator = "\n//---- ptx ----\n";
  size_t split = input.find(kSeparator);
  std::string manifestText = input.substr(0, split);
  std::string ptx = split == std::string::npos
                        ? std::string()
                        : input.substr(split + kSeparator.size());

  // JSON: what parses prints, and what prints parses to the same text.
  if (Expected<JsonValue> json = parseJson(manifestText)) {
    std::string printed = formatJson(*json, 2);
    Expected<JsonValue> again = parseJson(printed);
    if (!again || formatJson(*again, 2) != printed)
      bug("formatJson wrote JSON that does not read back the same");
  }

  (void)scanPtx(ptx);
  (void)loadBundleFromText(manifestText, ptx, "fuzz.json");
  Expected<Manifest> manifest = parseManifest(manifestText);
  if (!manifest)
    return 0;
  (void)manifest->signature();
  (void)manifest->chipComputeCapability();
  for (const TensorSpec &spec : manifest->inputs)
    (void)spec.describe();
  manifest->ptxSha256 = sha256Hex(ptx);
  (void)checkManifestAgainstPtx(*manifest, ptx);
  return 0;
}
