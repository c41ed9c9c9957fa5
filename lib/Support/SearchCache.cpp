//===- SearchCache.cpp - Persistent on-disk cache of search results -------===//
//
// See SearchCache.h for the key, the entry format and the concurrency rules.
//
//===----------------------------------------------------------------------===//

#include "Mirage/Support/SearchCache.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/raw_ostream.h"

using namespace mirage;

namespace {

constexpr llvm::StringLiteral kMagic = "MIRAGE-SEARCH-CACHE";
constexpr llvm::StringLiteral kEntrySuffix = ".entry";

std::string sha256Hex(llvm::StringRef data) {
  llvm::SHA256 hasher;
  hasher.update(data);
  return llvm::toHex(hasher.final(), /*LowerCase=*/true);
}

/// Feeds `field` framed by its length, so that ("ab", "c") and ("a", "bc")
/// hash different bytes.
void updateFramed(llvm::SHA256 &hasher, llvm::StringRef field) {
  hasher.update(std::to_string(field.size()));
  hasher.update(":");
  hasher.update(field);
  hasher.update("\n");
}

/// Splits the first line off `rest`; false when there is no newline.
bool takeLine(llvm::StringRef &rest, llvm::StringRef &line) {
  size_t newline = rest.find('\n');
  if (newline == llvm::StringRef::npos)
    return false;
  line = rest.take_front(newline);
  rest = rest.drop_front(newline + 1);
  return true;
}

/// Takes the next line, which must read `<name> <value>`; sets `value`.
bool takeField(llvm::StringRef &rest, llvm::StringRef name,
               llvm::StringRef &value) {
  llvm::StringRef line;
  if (!takeLine(rest, line) || !line.consume_front(name) ||
      !line.consume_front(" "))
    return false;
  value = line;
  return true;
}

std::string magicLine() {
  return (kMagic + " " + llvm::Twine(kSearchCacheFormatVersion)).str();
}

} // namespace

//===----------------------------------------------------------------------===//
// CacheKey
//===----------------------------------------------------------------------===//

CacheKey CacheKey::compute(llvm::StringRef functionText,
                           llvm::StringRef options, llvm::StringRef version) {
  llvm::SHA256 hasher;
  hasher.update("mirage-search-cache-key\n");
  updateFramed(hasher, version);
  updateFramed(hasher, options);
  updateFramed(hasher, functionText);
  return CacheKey(llvm::toHex(hasher.final(), /*LowerCase=*/true));
}

//===----------------------------------------------------------------------===//
// Entry encoding
//===----------------------------------------------------------------------===//

std::string SearchCache::encodeEntry(const CacheKey &key,
                                     llvm::StringRef payload) {
  std::string contents;
  llvm::raw_string_ostream os(contents);
  os << magicLine() << "\n";
  os << "version " << kMirageCacheVersion << "\n";
  os << "key " << key.hex() << "\n";
  os << "length " << payload.size() << "\n";
  os << "sha256 " << sha256Hex(payload) << "\n";
  os << "\n";
  os << payload;
  return contents;
}

std::optional<llvm::StringRef>
SearchCache::decodeEntry(const CacheKey &key, llvm::StringRef contents) {
  llvm::StringRef rest = contents;
  llvm::StringRef line, version, keyHex, length, digest;
  if (!takeLine(rest, line) || line != magicLine())
    return std::nullopt;
  if (!takeField(rest, "version", version) || version != kMirageCacheVersion)
    return std::nullopt;
  if (!takeField(rest, "key", keyHex) || keyHex != key.hex())
    return std::nullopt;
  // The length must be written exactly as encodeEntry writes it: no sign,
  // no leading zeros, no spaces.
  uint64_t payloadSize;
  if (!takeField(rest, "length", length) ||
      length.getAsInteger(10, payloadSize) ||
      length != std::to_string(payloadSize))
    return std::nullopt;
  if (!takeField(rest, "sha256", digest) || digest.size() != 64)
    return std::nullopt;
  if (!takeLine(rest, line) || !line.empty())
    return std::nullopt;
  if (rest.size() != payloadSize || sha256Hex(rest) != digest)
    return std::nullopt;
  return rest;
}

//===----------------------------------------------------------------------===//
// SearchCache
//===----------------------------------------------------------------------===//

llvm::Expected<SearchCache> SearchCache::open(llvm::StringRef directory) {
  if (directory.empty())
    return llvm::createStringError(
        std::make_error_code(std::errc::invalid_argument),
        "search cache directory is empty");
  llvm::SmallString<256> path(directory);
  if (std::error_code ec = llvm::sys::fs::make_absolute(path))
    return llvm::createStringError(
        ec, "cannot resolve search cache directory '%s': %s",
        directory.str().c_str(), ec.message().c_str());
  llvm::sys::path::remove_dots(path, /*remove_dot_dot=*/true);

  if (std::error_code ec = llvm::sys::fs::create_directories(path))
    return llvm::createStringError(
        ec, "cannot create search cache directory '%s': %s", path.c_str(),
        ec.message().c_str());
  if (!llvm::sys::fs::is_directory(path))
    return llvm::createStringError(
        std::make_error_code(std::errc::not_a_directory),
        "search cache path '%s' is not a directory", path.c_str());
  if (std::error_code ec =
          llvm::sys::fs::access(path, llvm::sys::fs::AccessMode::Write))
    return llvm::createStringError(
        ec, "search cache directory '%s' is not writable: %s", path.c_str(),
        ec.message().c_str());
  return SearchCache(std::string(path));
}

std::string SearchCache::defaultDirectory() {
  // $XDG_CACHE_HOME if set, else $HOME/.cache (macOS: ~/Library/Caches).
  llvm::SmallString<256> path;
  if (!llvm::sys::path::cache_directory(path))
    return "";
  llvm::sys::path::append(path, "mirage-mlir");
  return std::string(path);
}

std::string SearchCache::entryPath(const CacheKey &key) const {
  llvm::SmallString<256> path(dir);
  llvm::sys::path::append(path, key.hex() + kEntrySuffix);
  return std::string(path);
}

std::optional<std::string>
SearchCache::lookup(const CacheKey &key, CacheLookupStatus *status) const {
  auto setStatus = [&](CacheLookupStatus value) {
    if (status)
      *status = value;
  };
  // Read, not mapped: the file is small, and a mapping of a file another
  // process truncates could fault.
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> buffer =
      llvm::MemoryBuffer::getFile(entryPath(key), /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false,
                                  /*IsVolatile=*/true);
  if (!buffer) {
    setStatus(CacheLookupStatus::Missing);
    return std::nullopt;
  }
  std::optional<llvm::StringRef> payload =
      decodeEntry(key, (*buffer)->getBuffer());
  if (!payload) {
    setStatus(CacheLookupStatus::Corrupt);
    return std::nullopt;
  }
  setStatus(CacheLookupStatus::Hit);
  return payload->str();
}

llvm::Error SearchCache::store(const CacheKey &key,
                               llvm::StringRef payload) const {
  std::string finalPath = entryPath(key);
  // The temporary lives in the same directory, hence on the same file
  // system, so the rename below is atomic.
  int fd;
  llvm::SmallString<256> tempPath;
  if (std::error_code ec = llvm::sys::fs::createUniqueFile(
          finalPath + ".tmp-%%%%%%%%%%%%%%%%", fd, tempPath))
    return llvm::createStringError(
        ec, "cannot create a temporary search cache file in '%s': %s",
        dir.c_str(), ec.message().c_str());

  std::error_code writeError;
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os << encodeEntry(key, payload);
    os.close();
    if (os.has_error()) {
      writeError = os.error();
      os.clear_error();
    }
  }
  if (!writeError)
    writeError = llvm::sys::fs::rename(tempPath, finalPath);
  if (writeError) {
    (void)llvm::sys::fs::remove(tempPath);
    return llvm::createStringError(
        writeError, "cannot write search cache entry '%s': %s",
        finalPath.c_str(), writeError.message().c_str());
  }
  return llvm::Error::success();
}
