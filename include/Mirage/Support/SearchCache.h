//===- SearchCache.h - Persistent on-disk cache of search results -*- C++
//-*-===//
//
// A cache of μGraph search results that survives between runs, so the
// second run of the same search is instant (issue 5, item 5). It knows
// nothing of MLIR: a key is a hash of three strings and a payload is opaque
// text.
//
// Key. SHA-256 over the canonical text of the input function, a canonical
// options string and the tool version (kMirageCacheVersion), each framed by
// its length so no two different triples hash the same bytes. Rendered as
// 64 lower-case hex digits, it is the entry's file name. The caller must
// make the function text canonical: strip locations and print the generic
// form, so that formatting, comments and SSA names do not matter; and must
// put every option that can change the result in the options string, in a
// fixed order, with defaults resolved.
//
// Location. One file per entry, `<directory>/<key>.entry`. The default
// directory is `$XDG_CACHE_HOME/mirage-mlir`, else `$HOME/.cache/mirage-mlir`.
//
// Entry file format (format version kSearchCacheFormatVersion):
//
//   MIRAGE-SEARCH-CACHE 1\n
//   version <kMirageCacheVersion>\n
//   key <64 hex digits: the key>\n
//   length <payload length in bytes, decimal>\n
//   sha256 <64 hex digits: SHA-256 of the payload>\n
//   \n
//   <payload: exactly `length` bytes, nothing after>
//
// Never trusted. An entry is used only when every header line is exactly as
// expected for the key being looked up, the file holds exactly `length`
// payload bytes and their SHA-256 matches. Anything else (truncated, padded,
// flipped byte, wrong magic, another key's entry) reads as missing, and the
// next store overwrites it.
//
// Concurrency. store() writes the whole entry to a unique temporary file in
// the cache directory and renames it over `<key>.entry`, which is atomic on
// POSIX file systems: a concurrent reader sees the old entry or the new one,
// never a mix, and the last writer wins. No locks are taken, so a process
// that dies leaves at worst a stray `<key>.entry.tmp-*` file, and a power
// loss at worst an entry that fails its checks.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_SUPPORT_SEARCHCACHE_H
#define MIRAGE_SUPPORT_SEARCHCACHE_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>

namespace mirage {

/// The tool version mixed into every key. Bump it whenever the search, the
/// cost model, the payload the pass stores or the entry format changes, so
/// old entries are no longer found.
inline constexpr llvm::StringLiteral kMirageCacheVersion =
    "mirage-mlir-search-cache-6";

/// The version of the entry file layout, written in the magic line.
inline constexpr unsigned kSearchCacheFormatVersion = 1;

/// The SHA-256 of (function text, options, version), as 64 hex digits.
class CacheKey {
public:
  /// `functionText` must be canonical (locations stripped, generic form);
  /// `options` must hold every result-changing option in a fixed order.
  static CacheKey compute(llvm::StringRef functionText, llvm::StringRef options,
                          llvm::StringRef version = kMirageCacheVersion);

  /// The 64 lower-case hex digits.
  llvm::StringRef hex() const { return hexDigest; }

  bool operator==(const CacheKey &other) const {
    return hexDigest == other.hexDigest;
  }
  bool operator!=(const CacheKey &other) const { return !(*this == other); }

private:
  explicit CacheKey(std::string hex) : hexDigest(std::move(hex)) {}
  std::string hexDigest;
};

/// What a lookup found, for remarks and statistics.
enum class CacheLookupStatus {
  /// A valid entry: its payload is returned.
  Hit,
  /// No entry file, or one that could not be read.
  Missing,
  /// An entry file that failed its checks; it is ignored, and left for the
  /// next store to overwrite (removing it could race with a writer that has
  /// just renamed a good entry into place).
  Corrupt,
};

/// A cache directory. Cheap to copy; holds no open files.
class SearchCache {
public:
  /// Opens the cache at `directory`, creating it (and its parents) if
  /// missing. Fails with a message naming the directory if it cannot be
  /// created, is not a directory, or is not writable.
  static llvm::Expected<SearchCache> open(llvm::StringRef directory);

  /// `$XDG_CACHE_HOME/mirage-mlir` or `$HOME/.cache/mirage-mlir`; empty when
  /// neither variable is set (the caller should then run without a cache).
  static std::string defaultDirectory();

  /// The payload of the entry for `key`, or nothing when the entry is
  /// missing, unreadable or corrupt. Never fails otherwise.
  std::optional<std::string> lookup(const CacheKey &key,
                                    CacheLookupStatus *status = nullptr) const;

  /// Writes the entry for `key` atomically (temporary file, then rename),
  /// replacing any entry already there. An error (disk full, permissions)
  /// leaves the previous entry, if any, untouched; the caller may turn it
  /// into a warning and carry on.
  llvm::Error store(const CacheKey &key, llvm::StringRef payload) const;

  /// The absolute path of the cache directory.
  llvm::StringRef directory() const { return dir; }
  /// The path of the entry file for `key` (it need not exist).
  std::string entryPath(const CacheKey &key) const;

  /// The full contents of an entry file for `key` holding `payload`.
  static std::string encodeEntry(const CacheKey &key, llvm::StringRef payload);
  /// The payload of `contents` if it is a valid entry for `key`.
  static std::optional<llvm::StringRef> decodeEntry(const CacheKey &key,
                                                    llvm::StringRef contents);

private:
  explicit SearchCache(std::string directory) : dir(std::move(directory)) {}
  std::string dir;
};

} // namespace mirage

#endif // MIRAGE_SUPPORT_SEARCHCACHE_H
