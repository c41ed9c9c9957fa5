//===- Json.h - A small strict JSON parser and writer -----------*- C++ -*-===//
//
// The bundle manifest is JSON, and the machines that run bundles may have no
// JSON library, so the runtime carries its own. The parser accepts exactly
// RFC 8259: no comments, no trailing commas, no NaN or Infinity, no leading
// zeros, no control characters in strings, no duplicate keys in an object,
// nothing after the top-level value. Errors give the line and column.
// Integers (no fraction, no exponent) are kept exact as int64 so that a
// manifest field such as "offset_bytes" can be checked to be an integer.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGERUNTIME_JSON_H
#define MIRAGERUNTIME_JSON_H

#include "MirageRuntime/Error.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mirage::rt {

class JsonValue {
public:
  enum class Kind { Null, Bool, Integer, Number, String, Array, Object };
  using Member = std::pair<std::string, JsonValue>;

  JsonValue() = default;
  static JsonValue boolean(bool b);
  static JsonValue integer(int64_t i);
  static JsonValue number(double d);
  static JsonValue string(std::string s);
  static JsonValue array(std::vector<JsonValue> elements = {});
  static JsonValue object(std::vector<Member> members = {});

  Kind getKind() const { return kind; }
  bool isNull() const { return kind == Kind::Null; }
  bool isBool() const { return kind == Kind::Bool; }
  bool isInteger() const { return kind == Kind::Integer; }
  /// Integers are numbers too.
  bool isNumber() const {
    return kind == Kind::Integer || kind == Kind::Number;
  }
  bool isString() const { return kind == Kind::String; }
  bool isArray() const { return kind == Kind::Array; }
  bool isObject() const { return kind == Kind::Object; }

  bool getBool() const { return boolValue; }
  int64_t getInteger() const { return intValue; }
  double getNumber() const {
    return kind == Kind::Integer ? static_cast<double>(intValue) : numberValue;
  }
  const std::string &getString() const { return stringValue; }
  const std::vector<JsonValue> &getArray() const { return elements; }
  const std::vector<Member> &getObject() const { return members; }

  /// The member `key` of an object, or null when absent.
  const JsonValue *find(std::string_view key) const;
  /// Appends to an array / object (for building output documents).
  void push(JsonValue element) { elements.push_back(std::move(element)); }
  void set(std::string key, JsonValue value);

  /// "null", "a boolean", "an integer", ... for error messages.
  static const char *describe(Kind kind);
  /// The value in a few characters, for error messages ("got \"abc\"").
  std::string brief() const;

private:
  Kind kind = Kind::Null;
  bool boolValue = false;
  int64_t intValue = 0;
  double numberValue = 0;
  std::string stringValue;
  std::vector<JsonValue> elements;
  std::vector<Member> members;
};

/// Parses a whole document. Errors read "line L, column C: problem".
Expected<JsonValue> parseJson(std::string_view text);

/// Serializes `value`; with `indent` > 0, one member or element per line.
/// Non-finite numbers are written as null (JSON has no NaN).
std::string formatJson(const JsonValue &value, int indent = 0);

/// `s` as a JSON string literal, with quotes.
std::string quoteJson(std::string_view s);

} // namespace mirage::rt

#endif // MIRAGERUNTIME_JSON_H
