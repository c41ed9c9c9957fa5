//===- Error.h - Status and Expected for the runtime ------------*- C++ -*-===//
//
// The runtime reports every failure as a message that names the problem and
// where it was found (a manifest key, an argument, a driver call). It does
// not throw: the C API hands errors to Python through ctypes, and a C++
// exception must never unwind through those frames. It depends on nothing
// but the standard library, so llvm::Error is not an option either.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGERUNTIME_ERROR_H
#define MIRAGERUNTIME_ERROR_H

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace mirage::rt {

/// Success, or a failure with its message.
class [[nodiscard]] Status {
public:
  static Status success() { return Status(); }
  static Status error(std::string message) {
    Status status;
    status.failed = true;
    status.text = std::move(message);
    return status;
  }

  bool ok() const { return !failed; }
  const std::string &message() const { return text; }

  /// The same failure with `context` in front ("context: message"); success
  /// stays success.
  Status withContext(const std::string &context) const {
    return failed ? error(context + ": " + text) : success();
  }

private:
  bool failed = false;
  std::string text;
};

/// A value, or the failure that prevented computing it.
template <typename T> class [[nodiscard]] Expected {
public:
  Expected(T value) : value(std::move(value)) {}
  Expected(Status failure) : failure(std::move(failure)) {
    assert(!this->failure.ok() && "Expected built from a success status");
  }

  explicit operator bool() const { return value.has_value(); }
  T &operator*() { return *value; }
  const T &operator*() const { return *value; }
  T *operator->() { return &*value; }
  const T *operator->() const { return &*value; }

  /// The failure; only meaningful when there is no value.
  const Status &status() const { return failure; }
  const std::string &message() const { return failure.message(); }

private:
  std::optional<T> value;
  Status failure;
};

} // namespace mirage::rt

#endif // MIRAGERUNTIME_ERROR_H
