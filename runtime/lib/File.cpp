//===- File.cpp - Whole-file reads and writes -----------------------------===//

#include "MirageRuntime/File.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <sys/stat.h>

using namespace mirage::rt;

Expected<std::string> mirage::rt::readFile(const std::string &path) {
  if (isDirectory(path))
    return Status::error(path + ": cannot read: is a directory");
  FILE *f = std::fopen(path.c_str(), "rb");
  if (!f)
    return Status::error(path + ": cannot read: " + std::strerror(errno));
  std::string bytes;
  char buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), f)) > 0)
    bytes.append(buf, n);
  bool failed = std::ferror(f);
  std::fclose(f);
  if (failed)
    return Status::error(path + ": cannot read: I/O error");
  return bytes;
}

Status mirage::rt::writeFile(const std::string &path,
                             const std::string &bytes) {
  FILE *f = std::fopen(path.c_str(), "wb");
  if (!f)
    return Status::error(path + ": cannot write: " + std::strerror(errno));
  bool failed = std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size();
  failed |= std::fclose(f) != 0;
  if (failed)
    return Status::error(path + ": cannot write: I/O error");
  return Status::success();
}

std::string mirage::rt::siblingPath(const std::string &file,
                                    const std::string &relative) {
  size_t slash = file.rfind('/');
  if (slash == std::string::npos)
    return relative;
  return file.substr(0, slash + 1) + relative;
}

bool mirage::rt::isDirectory(const std::string &path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}
