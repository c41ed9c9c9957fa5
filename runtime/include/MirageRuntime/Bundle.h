//===- Bundle.h - Loading a bundle from disk --------------------*- C++ -*-===//
//
// A bundle on disk is a directory holding NAME.json (the manifest) and the
// PTX file it names. Loading reads both and runs every check that needs no
// GPU (Manifest.h); a bundle that loads is safe to hand to an Executable.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGERUNTIME_BUNDLE_H
#define MIRAGERUNTIME_BUNDLE_H

#include "MirageRuntime/Error.h"
#include "MirageRuntime/Manifest.h"

#include <string>

namespace mirage::rt {

struct Bundle {
  std::string manifestPath;
  std::string ptxPath;
  Manifest manifest;
  /// The PTX text; always NUL-terminated (std::string), as
  /// cuModuleLoadData requires.
  std::string ptx;
};

/// Loads the bundle at `path`: a manifest file, or a directory that holds
/// exactly one manifest (*.json). Errors start with the file they concern.
Expected<Bundle> loadBundle(const std::string &path);

/// Loads a bundle from its texts (no files); `manifestName` is used in
/// errors.
Expected<Bundle> loadBundleFromText(const std::string &manifestText,
                                    const std::string &ptxText,
                                    const std::string &manifestName);

} // namespace mirage::rt

#endif // MIRAGERUNTIME_BUNDLE_H
