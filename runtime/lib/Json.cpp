//===- Json.cpp - A small strict JSON parser and writer -------------------===//

#include "MirageRuntime/Json.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

using namespace mirage::rt;

JsonValue JsonValue::boolean(bool b) {
  JsonValue v;
  v.kind = Kind::Bool;
  v.boolValue = b;
  return v;
}

JsonValue JsonValue::integer(int64_t i) {
  JsonValue v;
  v.kind = Kind::Integer;
  v.intValue = i;
  return v;
}

JsonValue JsonValue::number(double d) {
  JsonValue v;
  v.kind = Kind::Number;
  v.numberValue = d;
  return v;
}

JsonValue JsonValue::string(std::string s) {
  JsonValue v;
  v.kind = Kind::String;
  v.stringValue = std::move(s);
  return v;
}

JsonValue JsonValue::array(std::vector<JsonValue> elements) {
  JsonValue v;
  v.kind = Kind::Array;
  v.elements = std::move(elements);
  return v;
}

JsonValue JsonValue::object(std::vector<Member> members) {
  JsonValue v;
  v.kind = Kind::Object;
  v.members = std::move(members);
  return v;
}

const JsonValue *JsonValue::find(std::string_view key) const {
  for (const Member &m : members)
    if (m.first == key)
      return &m.second;
  return nullptr;
}

void JsonValue::set(std::string key, JsonValue value) {
  for (Member &m : members)
    if (m.first == key) {
      m.second = std::move(value);
      return;
    }
  members.emplace_back(std::move(key), std::move(value));
}

const char *JsonValue::describe(Kind kind) {
  switch (kind) {
  case Kind::Null:
    return "null";
  case Kind::Bool:
    return "a boolean";
  case Kind::Integer:
    return "an integer";
  case Kind::Number:
    return "a number";
  case Kind::String:
    return "a string";
  case Kind::Array:
    return "an array";
  case Kind::Object:
    return "an object";
  }
  return "a value";
}

std::string JsonValue::brief() const {
  std::string text = formatJson(*this);
  if (text.size() > 40)
    text = text.substr(0, 37) + "...";
  return text;
}

//===----------------------------------------------------------------------===//
// Parser
//===----------------------------------------------------------------------===//

namespace {
/// Recursive descent over the text; the first error wins and stops parsing.
class Parser {
public:
  explicit Parser(std::string_view text) : text(text) {}

  Expected<JsonValue> parseDocument() {
    skipSpace();
    JsonValue value;
    if (!parseValue(value, 0))
      return Status::error(error);
    skipSpace();
    if (pos != text.size()) {
      fail("unexpected text after the JSON value");
      return Status::error(error);
    }
    return value;
  }

private:
  // Deep enough for any manifest, shallow enough that hostile input cannot
  // overflow the stack.
  static constexpr int kMaxDepth = 128;

  std::string_view text;
  size_t pos = 0;
  std::string error;

  bool fail(const std::string &what) {
    if (!error.empty())
      return false;
    size_t line = 1, column = 1;
    for (size_t i = 0; i < pos && i < text.size(); ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    error = "line " + std::to_string(line) + ", column " +
            std::to_string(column) + ": " + what;
    return false;
  }

  bool atEnd() const { return pos >= text.size(); }
  char peek() const { return atEnd() ? '\0' : text[pos]; }

  void skipSpace() {
    while (!atEnd() && (text[pos] == ' ' || text[pos] == '\t' ||
                        text[pos] == '\n' || text[pos] == '\r'))
      ++pos;
  }

  bool expectLiteral(std::string_view word) {
    if (text.substr(pos, word.size()) != word)
      return fail("invalid literal (expected " + std::string(word) + ")");
    pos += word.size();
    return true;
  }

  bool parseValue(JsonValue &out, int depth) {
    if (depth > kMaxDepth)
      return fail("nesting deeper than " + std::to_string(kMaxDepth));
    if (atEnd())
      return fail("unexpected end of input, expected a value");
    char c = peek();
    switch (c) {
    case '{':
      return parseObject(out, depth);
    case '[':
      return parseArray(out, depth);
    case '"': {
      std::string s;
      if (!parseString(s))
        return false;
      out = JsonValue::string(std::move(s));
      return true;
    }
    case 't':
      out = JsonValue::boolean(true);
      return expectLiteral("true");
    case 'f':
      out = JsonValue::boolean(false);
      return expectLiteral("false");
    case 'n':
      out = JsonValue();
      return expectLiteral("null");
    default:
      if (c == '-' || (c >= '0' && c <= '9'))
        return parseNumber(out);
      return fail(std::string("unexpected character '") + c +
                  "', expected a value");
    }
  }

  bool parseObject(JsonValue &out, int depth) {
    ++pos; // '{'
    std::vector<JsonValue::Member> members;
    skipSpace();
    if (peek() == '}') {
      ++pos;
      out = JsonValue::object(std::move(members));
      return true;
    }
    while (true) {
      skipSpace();
      if (peek() != '"')
        return fail("expected a string key in object");
      size_t keyPos = pos;
      std::string key;
      if (!parseString(key))
        return false;
      for (const JsonValue::Member &m : members)
        if (m.first == key) {
          pos = keyPos;
          return fail("duplicate key \"" + key + "\"");
        }
      skipSpace();
      if (peek() != ':')
        return fail("expected ':' after object key");
      ++pos;
      skipSpace();
      JsonValue value;
      if (!parseValue(value, depth + 1))
        return false;
      members.emplace_back(std::move(key), std::move(value));
      skipSpace();
      if (peek() == ',') {
        ++pos;
        continue;
      }
      if (peek() == '}') {
        ++pos;
        out = JsonValue::object(std::move(members));
        return true;
      }
      return fail("expected ',' or '}' in object");
    }
  }

  bool parseArray(JsonValue &out, int depth) {
    ++pos; // '['
    std::vector<JsonValue> elements;
    skipSpace();
    if (peek() == ']') {
      ++pos;
      out = JsonValue::array(std::move(elements));
      return true;
    }
    while (true) {
      skipSpace();
      JsonValue value;
      if (!parseValue(value, depth + 1))
        return false;
      elements.push_back(std::move(value));
      skipSpace();
      if (peek() == ',') {
        ++pos;
        continue;
      }
      if (peek() == ']') {
        ++pos;
        out = JsonValue::array(std::move(elements));
        return true;
      }
      return fail("expected ',' or ']' in array");
    }
  }

  bool parseHex4(unsigned &code) {
    if (pos + 4 > text.size())
      return fail("truncated \\u escape");
    code = 0;
    for (int i = 0; i < 4; ++i) {
      char c = text[pos + i];
      unsigned digit;
      if (c >= '0' && c <= '9')
        digit = c - '0';
      else if (c >= 'a' && c <= 'f')
        digit = c - 'a' + 10;
      else if (c >= 'A' && c <= 'F')
        digit = c - 'A' + 10;
      else
        return fail("invalid hex digit in \\u escape");
      code = code * 16 + digit;
    }
    pos += 4;
    return true;
  }

  static void appendUtf8(std::string &out, unsigned code) {
    if (code < 0x80) {
      out += static_cast<char>(code);
    } else if (code < 0x800) {
      out += static_cast<char>(0xc0 | (code >> 6));
      out += static_cast<char>(0x80 | (code & 0x3f));
    } else if (code < 0x10000) {
      out += static_cast<char>(0xe0 | (code >> 12));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (code & 0x3f));
    } else {
      out += static_cast<char>(0xf0 | (code >> 18));
      out += static_cast<char>(0x80 | ((code >> 12) & 0x3f));
      out += static_cast<char>(0x80 | ((code >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (code & 0x3f));
    }
  }

  bool parseString(std::string &out) {
    ++pos; // '"'
    while (true) {
      if (atEnd())
        return fail("unterminated string");
      char c = text[pos];
      if (c == '"') {
        ++pos;
        return true;
      }
      if (static_cast<unsigned char>(c) < 0x20)
        return fail("control character in string (escape it)");
      if (c != '\\') {
        out += c;
        ++pos;
        continue;
      }
      ++pos;
      if (atEnd())
        return fail("unterminated escape in string");
      char e = text[pos++];
      switch (e) {
      case '"':
      case '\\':
      case '/':
        out += e;
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'u': {
        unsigned code = 0;
        if (!parseHex4(code))
          return false;
        if (code >= 0xd800 && code < 0xdc00) {
          // A high surrogate must be followed by an escaped low one.
          unsigned low = 0;
          if (text.substr(pos, 2) != "\\u")
            return fail("unpaired surrogate in \\u escape");
          pos += 2;
          if (!parseHex4(low))
            return false;
          if (low < 0xdc00 || low >= 0xe000)
            return fail("unpaired surrogate in \\u escape");
          code = 0x10000 + ((code - 0xd800) << 10) + (low - 0xdc00);
        } else if (code >= 0xdc00 && code < 0xe000) {
          return fail("unpaired surrogate in \\u escape");
        }
        appendUtf8(out, code);
        break;
      }
      default:
        --pos;
        return fail(std::string("invalid escape '\\") + e + "' in string");
      }
    }
  }

  bool parseNumber(JsonValue &out) {
    size_t start = pos;
    bool integral = true;
    if (peek() == '-')
      ++pos;
    if (peek() == '0') {
      ++pos;
      if (peek() >= '0' && peek() <= '9')
        return fail("leading zero in number");
    } else if (peek() >= '1' && peek() <= '9') {
      while (peek() >= '0' && peek() <= '9')
        ++pos;
    } else {
      return fail("invalid number");
    }
    if (peek() == '.') {
      integral = false;
      ++pos;
      if (!(peek() >= '0' && peek() <= '9'))
        return fail("expected a digit after '.' in number");
      while (peek() >= '0' && peek() <= '9')
        ++pos;
    }
    if (peek() == 'e' || peek() == 'E') {
      integral = false;
      ++pos;
      if (peek() == '+' || peek() == '-')
        ++pos;
      if (!(peek() >= '0' && peek() <= '9'))
        return fail("expected a digit in number exponent");
      while (peek() >= '0' && peek() <= '9')
        ++pos;
    }
    std::string literal(text.substr(start, pos - start));
    errno = 0;
    if (integral) {
      long long value = std::strtoll(literal.c_str(), nullptr, 10);
      if (errno == ERANGE) {
        pos = start;
        return fail("integer " + literal + " does not fit in 64 bits");
      }
      out = JsonValue::integer(value);
      return true;
    }
    double value = std::strtod(literal.c_str(), nullptr);
    if (!std::isfinite(value)) {
      pos = start;
      return fail("number " + literal + " is out of range");
    }
    out = JsonValue::number(value);
    return true;
  }
};
} // namespace

Expected<JsonValue> mirage::rt::parseJson(std::string_view text) {
  return Parser(text).parseDocument();
}

//===----------------------------------------------------------------------===//
// Writer
//===----------------------------------------------------------------------===//

std::string mirage::rt::quoteJson(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\r':
      out += "\\r";
      break;
    case '\t':
      out += "\\t";
      break;
    default:
      if (static_cast<unsigned char>(c) < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof(buf), "\\u%04x", c);
        out += buf;
      } else {
        out += c;
      }
    }
  }
  return out + "\"";
}

static void format(const JsonValue &v, int indent, int level,
                   std::string &out) {
  auto newline = [&](int l) {
    if (indent > 0) {
      out += '\n';
      out.append(static_cast<size_t>(indent * l), ' ');
    }
  };
  switch (v.getKind()) {
  case JsonValue::Kind::Null:
    out += "null";
    return;
  case JsonValue::Kind::Bool:
    out += v.getBool() ? "true" : "false";
    return;
  case JsonValue::Kind::Integer:
    out += std::to_string(v.getInteger());
    return;
  case JsonValue::Kind::Number: {
    if (!std::isfinite(v.getNumber())) {
      out += "null";
      return;
    }
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.17g", v.getNumber());
    // Keep the shortest text that reads back as the same double.
    for (int precision = 1; precision < 17; ++precision) {
      char shorter[32];
      std::snprintf(shorter, sizeof(shorter), "%.*g", precision, v.getNumber());
      if (std::strtod(shorter, nullptr) == v.getNumber()) {
        std::snprintf(buf, sizeof(buf), "%s", shorter);
        break;
      }
    }
    out += buf;
    // A number that prints like an integer ("5", "-0") would read back as
    // an integer (and -0 as 0): keep it a number.
    if (std::strspn(buf, "-0123456789") == std::strlen(buf))
      out += ".0";
    return;
  }
  case JsonValue::Kind::String:
    out += quoteJson(v.getString());
    return;
  case JsonValue::Kind::Array: {
    out += '[';
    const auto &elements = v.getArray();
    for (size_t i = 0; i < elements.size(); ++i) {
      if (i)
        out += indent > 0 ? "," : ", ";
      newline(level + 1);
      format(elements[i], indent, level + 1, out);
    }
    if (!elements.empty())
      newline(level);
    out += ']';
    return;
  }
  case JsonValue::Kind::Object: {
    out += '{';
    const auto &members = v.getObject();
    for (size_t i = 0; i < members.size(); ++i) {
      if (i)
        out += indent > 0 ? "," : ", ";
      newline(level + 1);
      out += quoteJson(members[i].first);
      out += ": ";
      format(members[i].second, indent, level + 1, out);
    }
    if (!members.empty())
      newline(level);
    out += '}';
    return;
  }
  }
}

std::string mirage::rt::formatJson(const JsonValue &value, int indent) {
  std::string out;
  format(value, indent, 0, out);
  return out;
}
