//===- TestUtil.h - Helpers shared by the runtime's tests -------*- C++ -*-===//

#ifndef MIRAGERUNTIME_TEST_TESTUTIL_H
#define MIRAGERUNTIME_TEST_TESTUTIL_H

#include "MirageRuntime/Bundle.h"
#include "MirageRuntime/File.h"
#include "MirageRuntime/Sha256.h"

#include "gtest/gtest.h"

#include <string>

namespace mirage::rt::test {

/// A file of runtime/test/Inputs.
inline std::string inputPath(const std::string &relative) {
  return std::string(MIRAGE_RUNTIME_TEST_INPUTS) + "/" + relative;
}

inline std::string readInput(const std::string &relative) {
  Expected<std::string> text = readFile(inputPath(relative));
  EXPECT_TRUE(static_cast<bool>(text)) << text.message();
  return text ? *text : std::string();
}

/// `text` with the first `from` replaced by `to`; fails the test when
/// `from` is absent, so that an edit never silently does nothing.
inline std::string replaceOnce(std::string text, const std::string &from,
                               const std::string &to) {
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << "'" << from << "' not found";
  if (at != std::string::npos)
    text.replace(at, from.size(), to);
  return text;
}

/// The manifest and PTX of the hand-written two-kernel bundle.
inline std::string tripleManifest() { return readInput("triple/triple.json"); }
inline std::string triplePtx() { return readInput("triple/triple.ptx"); }

/// `manifest` with its ptx_sha256 set to the digest of `ptx`.
inline std::string withShaOf(const std::string &manifest,
                             const std::string &ptx) {
  return replaceOnce(manifest, sha256Hex(triplePtx()), sha256Hex(ptx));
}

} // namespace mirage::rt::test

#endif // MIRAGERUNTIME_TEST_TESTUTIL_H
