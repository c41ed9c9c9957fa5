//===- BundleTest.cpp - Loading bundles from disk -------------------------===//

#include "MirageRuntime/Bundle.h"

#include "TestUtil.h"

#include <cstdlib>
#include <unistd.h>

using namespace mirage::rt;
using namespace mirage::rt::test;

namespace {

/// A fresh directory per test, removed afterwards.
class BundleTest : public ::testing::Test {
protected:
  void SetUp() override {
    char pattern[] = "/tmp/mirage-runtime-test-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    dir = pattern;
  }
  void TearDown() override {
    for (const std::string &f : files)
      ::unlink(f.c_str());
    ::rmdir(dir.c_str());
  }
  void write(const std::string &name, const std::string &text) {
    files.push_back(dir + "/" + name);
    ASSERT_TRUE(writeFile(dir + "/" + name, text).ok());
  }
  std::string error(const std::string &path) {
    Expected<Bundle> b = loadBundle(path);
    return b ? std::string() : b.message();
  }

  std::string dir;
  std::vector<std::string> files;
};

TEST_F(BundleTest, LoadsADirectoryOrItsManifest) {
  for (std::string path : {inputPath("triple"), inputPath("triple/"),
                           inputPath("triple/triple.json")}) {
    Expected<Bundle> b = loadBundle(path);
    ASSERT_TRUE(static_cast<bool>(b)) << b.message();
    EXPECT_EQ(b->manifest.function, "triple");
    EXPECT_EQ(b->ptx, triplePtx());
    EXPECT_EQ(b->ptxPath, inputPath("triple/triple.ptx"));
  }
}

TEST_F(BundleTest, ReportsMissingAndAmbiguousManifests) {
  EXPECT_EQ(error(dir), dir + ": no manifest (*.json) in the bundle directory");
  write("a.json", "{}");
  write("b.json", "{}");
  EXPECT_EQ(error(dir), dir + ": 2 manifests in the bundle directory (a.json, "
                              "b.json); name one");
}

TEST_F(BundleTest, ErrorsNameTheManifest) {
  write("triple.json", tripleManifest());
  EXPECT_EQ(error(dir + "/triple.json"),
            dir + "/triple.json: ptx: " + dir +
                "/triple.ptx: cannot read: No such file or directory");
  write("triple.ptx", triplePtx() + " ");
  EXPECT_EQ(error(dir).rfind(dir + "/triple.json: ptx_sha256: the manifest "
                                   "records",
                             0),
            0u);
  write("bad.json", "{\"format\": \"mirage-bundle\", \"version\": 1}");
  EXPECT_EQ(error(dir + "/bad.json"),
            dir + "/bad.json: manifest: missing key \"function\"");
}

} // namespace
