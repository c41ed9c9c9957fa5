//===- File.h - Whole-file reads and writes ---------------------*- C++ -*-===//

#ifndef MIRAGERUNTIME_FILE_H
#define MIRAGERUNTIME_FILE_H

#include "MirageRuntime/Error.h"

#include <string>

namespace mirage::rt {

/// The bytes of `path`; errors read "PATH: cannot read: REASON".
Expected<std::string> readFile(const std::string &path);
/// Replaces `path` with `bytes`.
Status writeFile(const std::string &path, const std::string &bytes);
/// `relative` resolved against the directory that holds `file`.
std::string siblingPath(const std::string &file, const std::string &relative);
/// Whether `path` names a directory.
bool isDirectory(const std::string &path);

} // namespace mirage::rt

#endif // MIRAGERUNTIME_FILE_H
