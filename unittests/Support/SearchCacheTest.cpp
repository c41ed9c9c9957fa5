//===- SearchCacheTest.cpp - Tests of the persistent search cache -*- C++
//-*-===//

#include "Mirage/Support/SearchCache.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include "gtest/gtest.h"

#include <atomic>
#include <set>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace mirage;

namespace {

/// A fresh directory per test, removed afterwards.
class SearchCacheTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(
        llvm::sys::fs::createUniqueDirectory("mirage-search-cache-test", root));
  }
  void TearDown() override { llvm::sys::fs::remove_directories(root); }

  SearchCache openCache() {
    llvm::Expected<SearchCache> cache = SearchCache::open(root);
    if (!cache) {
      ADD_FAILURE() << llvm::toString(cache.takeError());
      std::abort();
    }
    return *cache;
  }

  static void writeFile(llvm::StringRef path, llvm::StringRef contents) {
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec);
    ASSERT_FALSE(ec) << ec.message();
    os << contents;
  }

  static std::string readFile(llvm::StringRef path) {
    auto buffer = llvm::MemoryBuffer::getFile(path);
    if (!buffer)
      return "";
    return (*buffer)->getBuffer().str();
  }

  /// Checks that `contents` written as the entry of `key` reads as corrupt,
  /// and that a store then replaces it with a good entry.
  void expectCorruptThenOverwritable(const CacheKey &key,
                                     llvm::StringRef contents) {
    SearchCache cache = openCache();
    writeFile(cache.entryPath(key), contents);
    CacheLookupStatus status = CacheLookupStatus::Hit;
    EXPECT_FALSE(cache.lookup(key, &status));
    EXPECT_EQ(status, CacheLookupStatus::Corrupt);
    ASSERT_FALSE(llvm::errorToBool(cache.store(key, "fresh payload")));
    EXPECT_EQ(cache.lookup(key, &status), std::string("fresh payload"));
    EXPECT_EQ(status, CacheLookupStatus::Hit);
  }

  /// The files in the cache directory.
  std::vector<std::string> listFiles() {
    std::vector<std::string> names;
    std::error_code ec;
    for (llvm::sys::fs::directory_iterator it(root, ec), end; it != end && !ec;
         it.increment(ec))
      names.push_back(llvm::sys::path::filename(it->path()).str());
    return names;
  }

  llvm::SmallString<128> root;
};

const char *kFunction = "\"func.func\"() <{function_type = () -> ()}> ({\n"
                        "  \"func.return\"() : () -> ()\n"
                        "}) : () -> ()\n";

TEST(CacheKeyTest, IsHexSha256AndDependsOnEveryPart) {
  CacheKey key = CacheKey::compute(kFunction, "max-kernel-ops=5");
  EXPECT_EQ(key.hex().size(), 64u);
  EXPECT_EQ(key.hex().find_first_not_of("0123456789abcdef"),
            llvm::StringRef::npos);
  EXPECT_EQ(key, CacheKey::compute(kFunction, "max-kernel-ops=5"));
  EXPECT_EQ(key, CacheKey::compute(kFunction, "max-kernel-ops=5",
                                   kMirageCacheVersion));

  EXPECT_NE(
      key, CacheKey::compute(std::string(kFunction) + " ", "max-kernel-ops=5"));
  EXPECT_NE(key, CacheKey::compute(kFunction, "max-kernel-ops=4"));
  EXPECT_NE(key,
            CacheKey::compute(kFunction, "max-kernel-ops=5", "other-version"));
  // Fields are framed: moving bytes from one field to the next changes the
  // key.
  EXPECT_NE(CacheKey::compute("ab", "c"), CacheKey::compute("a", "bc"));
  EXPECT_NE(CacheKey::compute("", "x", "v"), CacheKey::compute("x", "", "v"));
}

TEST_F(SearchCacheTest, RoundTrip) {
  SearchCache cache = openCache();
  CacheKey key = CacheKey::compute(kFunction, "opts");
  // Payloads with newlines, NULs and a trailing newline come back as is.
  std::string payload("module {\n}\n// stats: {\"states\": 42}\n\0tail\n", 43);
  ASSERT_FALSE(llvm::errorToBool(cache.store(key, payload)));
  CacheLookupStatus status = CacheLookupStatus::Missing;
  std::optional<std::string> found = cache.lookup(key, &status);
  ASSERT_TRUE(found);
  EXPECT_EQ(*found, payload);
  EXPECT_EQ(status, CacheLookupStatus::Hit);

  // A second cache object on the same directory (another run) sees it.
  EXPECT_EQ(openCache().lookup(key), payload);

  // The empty payload is a valid payload.
  CacheKey emptyKey = CacheKey::compute(kFunction, "other opts");
  ASSERT_FALSE(llvm::errorToBool(cache.store(emptyKey, "")));
  EXPECT_EQ(cache.lookup(emptyKey), std::string());

  // The last store wins.
  ASSERT_FALSE(llvm::errorToBool(cache.store(key, "second")));
  EXPECT_EQ(cache.lookup(key), std::string("second"));

  // The entry is named by the key and no temporary file is left over.
  std::vector<std::string> files = listFiles();
  std::set<std::string> names(files.begin(), files.end());
  EXPECT_EQ(names, (std::set<std::string>{key.hex().str() + ".entry",
                                          emptyKey.hex().str() + ".entry"}));
}

TEST_F(SearchCacheTest, EntryFormat) {
  CacheKey key = CacheKey::compute(kFunction, "opts");
  std::string contents = SearchCache::encodeEntry(key, "abc");
  std::string expected =
      "MIRAGE-SEARCH-CACHE 1\n"
      "version " +
      kMirageCacheVersion.str() + "\nkey " + key.hex().str() +
      "\nlength 3\n"
      "sha256 "
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n\nabc";
  EXPECT_EQ(contents, expected);
  EXPECT_EQ(SearchCache::decodeEntry(key, contents), llvm::StringRef("abc"));
}

TEST_F(SearchCacheTest, MissingEntry) {
  SearchCache cache = openCache();
  CacheLookupStatus status = CacheLookupStatus::Hit;
  EXPECT_FALSE(cache.lookup(CacheKey::compute(kFunction, "opts"), &status));
  EXPECT_EQ(status, CacheLookupStatus::Missing);
}

TEST_F(SearchCacheTest, TruncatedEntryIsIgnoredAndRewritten) {
  CacheKey key = CacheKey::compute(kFunction, "opts");
  std::string good = SearchCache::encodeEntry(key, "some payload");
  // Cut inside the payload, inside the header, and to nothing.
  expectCorruptThenOverwritable(key, llvm::StringRef(good).drop_back(1));
  expectCorruptThenOverwritable(key, llvm::StringRef(good).take_front(30));
  expectCorruptThenOverwritable(key, "");
}

TEST_F(SearchCacheTest, TrailingBytesAreCorrupt) {
  CacheKey key = CacheKey::compute(kFunction, "opts");
  expectCorruptThenOverwritable(key,
                                SearchCache::encodeEntry(key, "payload") + "x");
}

TEST_F(SearchCacheTest, FlippedPayloadByteIsIgnoredAndRewritten) {
  CacheKey key = CacheKey::compute(kFunction, "opts");
  std::string entry = SearchCache::encodeEntry(key, "some payload");
  entry[entry.size() - 3] ^= 0x01;
  expectCorruptThenOverwritable(key, entry);
}

TEST_F(SearchCacheTest, WrongMagicIsIgnoredAndRewritten) {
  CacheKey key = CacheKey::compute(kFunction, "opts");
  std::string entry = SearchCache::encodeEntry(key, "some payload");
  entry[0] = 'X';
  expectCorruptThenOverwritable(key, entry);
  // Another format version is not read either.
  std::string otherFormat = SearchCache::encodeEntry(key, "some payload");
  otherFormat.replace(0, otherFormat.find('\n'), "MIRAGE-SEARCH-CACHE 2");
  expectCorruptThenOverwritable(key, otherFormat);
}

TEST_F(SearchCacheTest, OtherKeysEntryIsIgnoredAndRewritten) {
  CacheKey key = CacheKey::compute(kFunction, "opts");
  CacheKey other = CacheKey::compute(kFunction, "other opts");
  // A well-formed entry of another key, found under this key's name.
  expectCorruptThenOverwritable(key, SearchCache::encodeEntry(other, "p"));
}

TEST_F(SearchCacheTest, WrongLengthOrDigestFieldIsCorrupt) {
  CacheKey key = CacheKey::compute(kFunction, "opts");
  std::string entry = SearchCache::encodeEntry(key, "abc");
  std::string longer = entry;
  longer.replace(longer.find("length 3"), 8, "length 4");
  expectCorruptThenOverwritable(key, longer);
  std::string padded = entry;
  padded.replace(padded.find("length 3"), 8, "length 03");
  expectCorruptThenOverwritable(key, padded);
  std::string badDigest = entry;
  badDigest[badDigest.find("sha256 ") + 7] ^= 0x01;
  expectCorruptThenOverwritable(key, badDigest);
}

TEST_F(SearchCacheTest, OpenCreatesNestedDirectories) {
  llvm::SmallString<128> nested(root);
  llvm::sys::path::append(nested, "a", "b", "mirage-mlir");
  llvm::Expected<SearchCache> cache = SearchCache::open(nested);
  ASSERT_TRUE(bool(cache)) << llvm::toString(cache.takeError());
  EXPECT_TRUE(llvm::sys::fs::is_directory(nested));
  EXPECT_EQ(cache->directory(), nested.str());
}

TEST_F(SearchCacheTest, OpenUnderARegularFileFails) {
  llvm::SmallString<128> file(root);
  llvm::sys::path::append(file, "plain-file");
  writeFile(file, "not a directory");
  llvm::SmallString<128> under(file);
  llvm::sys::path::append(under, "cache");

  llvm::Expected<SearchCache> cache = SearchCache::open(under);
  ASSERT_FALSE(bool(cache));
  std::string message = llvm::toString(cache.takeError());
  EXPECT_NE(message.find("cannot create search cache directory"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find(under.str().str()), std::string::npos) << message;

  // The regular file itself is not a directory either.
  llvm::Expected<SearchCache> onFile = SearchCache::open(file);
  ASSERT_FALSE(bool(onFile));
  llvm::consumeError(onFile.takeError());

  llvm::Expected<SearchCache> empty = SearchCache::open("");
  ASSERT_FALSE(bool(empty));
  llvm::consumeError(empty.takeError());
}

TEST_F(SearchCacheTest, StoreIntoRemovedDirectoryFails) {
  SearchCache cache = openCache();
  llvm::sys::fs::remove_directories(root);
  llvm::Error error = cache.store(CacheKey::compute(kFunction, "o"), "p");
  EXPECT_TRUE(llvm::errorToBool(std::move(error)));
}

TEST(SearchCacheDefaultTest, DefaultDirectoryEndsWithToolName) {
  std::string directory = SearchCache::defaultDirectory();
  if (directory.empty())
    GTEST_SKIP() << "neither XDG_CACHE_HOME nor HOME is set";
  EXPECT_EQ(llvm::sys::path::filename(directory), "mirage-mlir");
  std::optional<std::string> xdg = llvm::sys::Process::GetEnv("XDG_CACHE_HOME");
  if (xdg && !xdg->empty()) {
    llvm::SmallString<128> expected(*xdg);
    llvm::sys::path::append(expected, "mirage-mlir");
    EXPECT_EQ(directory, expected.str());
  }
}

/// Distinct large payloads, each made of one repeated character and a
/// unique tag at both ends, so that a mix of two would be recognised.
std::vector<std::string> makePayloads(unsigned count) {
  std::vector<std::string> payloads;
  for (unsigned i = 0; i < count; ++i) {
    std::string tag = "<payload " + std::to_string(i) + ">";
    payloads.push_back(tag + std::string(256 * 1024 + 97 * i, 'a' + i % 26) +
                       tag);
  }
  return payloads;
}

TEST_F(SearchCacheTest, ConcurrentThreadsNeverSeeAMix) {
  SearchCache cache = openCache();
  CacheKey key = CacheKey::compute(kFunction, "concurrent");
  const unsigned numWriters = 4, numReaders = 4, storesPerWriter = 25;
  std::vector<std::string> payloads = makePayloads(numWriters);
  std::set<std::string> valid(payloads.begin(), payloads.end());

  std::atomic<unsigned> writersDone{0}, hits{0}, storeErrors{0}, mixes{0};
  std::vector<std::thread> threads;
  for (unsigned w = 0; w < numWriters; ++w)
    threads.emplace_back([&, w] {
      for (unsigned i = 0; i < storesPerWriter; ++i)
        if (llvm::errorToBool(cache.store(key, payloads[w])))
          ++storeErrors;
      ++writersDone;
    });
  for (unsigned r = 0; r < numReaders; ++r)
    threads.emplace_back([&] {
      while (writersDone.load() < numWriters) {
        CacheLookupStatus status;
        std::optional<std::string> found = cache.lookup(key, &status);
        if (status == CacheLookupStatus::Corrupt)
          ++mixes;
        if (!found)
          continue;
        ++hits;
        if (!valid.count(*found))
          ++mixes;
      }
    });
  for (std::thread &thread : threads)
    thread.join();

  EXPECT_EQ(storeErrors.load(), 0u);
  EXPECT_EQ(mixes.load(), 0u);
  RecordProperty("lookups_hit", hits.load());
  std::optional<std::string> last = cache.lookup(key);
  ASSERT_TRUE(last);
  EXPECT_TRUE(valid.count(*last));
  EXPECT_EQ(listFiles().size(), 1u) << "temporary files were left behind";
}

// Not a test on its own: the body of the writer processes that
// ConcurrentProcessesNeverSeeAMix starts (disabled, so only run on request).
TEST(SearchCacheChild, DISABLED_Writer) {
  std::optional<std::string> dir =
      llvm::sys::Process::GetEnv("MIRAGE_SEARCH_CACHE_TEST_DIR");
  std::optional<std::string> index =
      llvm::sys::Process::GetEnv("MIRAGE_SEARCH_CACHE_TEST_INDEX");
  if (!dir || !index)
    GTEST_SKIP() << "only run by ConcurrentProcessesNeverSeeAMix";
  llvm::Expected<SearchCache> cache = SearchCache::open(*dir);
  ASSERT_TRUE(bool(cache)) << llvm::toString(cache.takeError());
  unsigned i = std::stoul(*index);
  std::vector<std::string> payloads = makePayloads(i + 1);
  CacheKey key = CacheKey::compute(kFunction, "concurrent");
  for (unsigned n = 0; n < 25; ++n)
    ASSERT_FALSE(llvm::errorToBool(cache->store(key, payloads[i])));
}

void anchor() {}

TEST_F(SearchCacheTest, ConcurrentProcessesNeverSeeAMix) {
  std::string self = llvm::sys::fs::getMainExecutable(
      "MirageSearchCacheTests", reinterpret_cast<void *>(&anchor));
  if (self.empty() || !llvm::sys::fs::can_execute(self))
    GTEST_SKIP() << "cannot find the test binary";
  SearchCache cache = openCache();
  CacheKey key = CacheKey::compute(kFunction, "concurrent");
  const unsigned numWriters = 4;
  std::vector<std::string> payloads = makePayloads(numWriters);
  std::set<std::string> valid(payloads.begin(), payloads.end());

  std::string dirVar = ("MIRAGE_SEARCH_CACHE_TEST_DIR=" + root).str();
  std::vector<std::string> indexVars;
  for (unsigned w = 0; w < numWriters; ++w)
    indexVars.push_back("MIRAGE_SEARCH_CACHE_TEST_INDEX=" + std::to_string(w));
  std::vector<llvm::sys::ProcessInfo> children;
  for (unsigned w = 0; w < numWriters; ++w) {
    llvm::StringRef args[] = {self, "--gtest_filter=SearchCacheChild.*",
                              "--gtest_also_run_disabled_tests"};
    // The parent's environment, plus where and what to write.
    std::vector<llvm::StringRef> env;
    for (char **var = environ; *var; ++var)
      env.push_back(*var);
    env.push_back(dirVar);
    env.push_back(indexVars[w]);
    std::string error;
    bool failed = false;
    children.push_back(llvm::sys::ExecuteNoWait(
        self, args, llvm::ArrayRef<llvm::StringRef>(env),
        {std::nullopt, llvm::StringRef(""), std::nullopt}, 0, &error, &failed));
    ASSERT_FALSE(failed) << error;
  }

  // Read while the children write.
  unsigned hits = 0, mixes = 0;
  std::vector<bool> running(numWriters, true);
  for (unsigned live = numWriters; live > 0;) {
    CacheLookupStatus status;
    std::optional<std::string> found = cache.lookup(key, &status);
    if (status == CacheLookupStatus::Corrupt)
      ++mixes;
    if (found) {
      ++hits;
      if (!valid.count(*found))
        ++mixes;
    }
    for (unsigned w = 0; w < numWriters; ++w) {
      if (!running[w])
        continue;
      llvm::sys::ProcessInfo info =
          llvm::sys::Wait(children[w], /*SecondsToWait=*/0);
      if (info.Pid == 0)
        continue;
      EXPECT_EQ(info.ReturnCode, 0) << "writer " << w << " failed";
      running[w] = false;
      --live;
    }
  }

  EXPECT_EQ(mixes, 0u);
  RecordProperty("lookups_hit", hits);
  std::optional<std::string> last = cache.lookup(key);
  ASSERT_TRUE(last);
  EXPECT_TRUE(valid.count(*last));
  EXPECT_EQ(listFiles().size(), 1u) << "temporary files were left behind";
}

} // namespace
