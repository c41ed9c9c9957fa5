//===- Npy.cpp - The .npy codec -------------------------------------------===//
//
// Standard C++17 only: the GPU runtime compiles this file too.
//
//===----------------------------------------------------------------------===//

#include "Mirage/Portable/Npy.h"
#include "Mirage/Portable/FloatFormats.h"

#include <cstring>
#include <limits>
#include <map>

using namespace mirage::portable;

namespace {

/// One value of the header dict: a string, a boolean or a tuple of ints.
struct HeaderValue {
  enum class Kind { String, Bool, Tuple } kind = Kind::String;
  std::string text;
  bool flag = false;
  std::vector<int64_t> tuple;
};

/// Parses the Python literal of a .npy header, e.g.
/// `{'descr': '<f2', 'fortran_order': False, 'shape': (2, 3), }`: a dict of
/// string keys to strings, booleans or tuples of non-negative integers.
class HeaderParser {
public:
  explicit HeaderParser(std::string_view text) : text(text) {}

  /// Returns "" on success, else the problem.
  std::string parse(std::map<std::string, HeaderValue> &out) {
    skip();
    if (!eat('{'))
      return "header is not a dict";
    while (true) {
      skip();
      if (eat('}'))
        break;
      std::string key;
      if (!parseString(key))
        return "expected a quoted key in the header";
      skip();
      if (!eat(':'))
        return "expected ':' after '" + key + "' in the header";
      skip();
      HeaderValue value;
      std::string problem;
      if (!parseValue(value, problem))
        return problem.empty()
                   ? "malformed value of '" + key + "' in the header"
                   : problem;
      out[key] = std::move(value);
      skip();
      if (eat(','))
        continue;
      skip();
      if (eat('}'))
        break;
      return "expected ',' or '}' in the header";
    }
    skip();
    if (pos != text.size())
      return "unexpected text after the header dict";
    return "";
  }

private:
  std::string_view text;
  size_t pos = 0;

  void skip() {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\n'))
      ++pos;
  }
  bool eat(char c) {
    if (pos < text.size() && text[pos] == c) {
      ++pos;
      return true;
    }
    return false;
  }
  bool parseString(std::string &out) {
    if (pos >= text.size() || (text[pos] != '\'' && text[pos] != '"'))
      return false;
    char quote = text[pos++];
    size_t end = text.find(quote, pos);
    if (end == std::string_view::npos)
      return false;
    out = std::string(text.substr(pos, end - pos));
    pos = end + 1;
    return true;
  }
  bool parseValue(HeaderValue &out, std::string &problem) {
    if (parseString(out.text)) {
      out.kind = HeaderValue::Kind::String;
      return true;
    }
    if (text.substr(pos, 4) == "True" || text.substr(pos, 5) == "False") {
      out.kind = HeaderValue::Kind::Bool;
      out.flag = text[pos] == 'T';
      pos += out.flag ? 4 : 5;
      return true;
    }
    if (!eat('('))
      return false;
    out.kind = HeaderValue::Kind::Tuple;
    while (true) {
      skip();
      if (eat(')'))
        return true;
      if (pos < text.size() && text[pos] == '-') {
        problem = "negative extent in the shape";
        return false;
      }
      size_t start = pos;
      int64_t value = 0;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
        if (value > (std::numeric_limits<int64_t>::max() - 9) / 10) {
          problem = "an extent of the shape overflows a 64-bit integer";
          return false;
        }
        value = value * 10 + (text[pos++] - '0');
      }
      // Python 2 printed extents of huge arrays with an 'L' suffix.
      eat('L');
      if (pos == start)
        return false;
      out.tuple.push_back(value);
      skip();
      if (eat(','))
        continue;
      skip();
      if (eat(')'))
        return true;
      return false;
    }
  }
};

uint32_t littleEndian(std::string_view bytes, size_t at, int width) {
  uint32_t v = 0;
  for (int i = 0; i < width; ++i)
    v |= static_cast<uint32_t>(static_cast<uint8_t>(bytes[at + i])) << (8 * i);
  return v;
}

const char *descrOf(NpyElement element) {
  switch (element) {
  case NpyElement::F16:
    return "<f2";
  case NpyElement::F32:
    return "<f4";
  case NpyElement::F64:
    return "<f8";
  case NpyElement::BF16Bits:
    return "<u2";
  }
  return "";
}

} // namespace

unsigned mirage::portable::npyElementBytes(NpyElement element) {
  switch (element) {
  case NpyElement::F16:
  case NpyElement::BF16Bits:
    return 2;
  case NpyElement::F32:
    return 4;
  case NpyElement::F64:
    return 8;
  }
  return 0;
}

std::string
mirage::portable::formatNpyShape(const std::vector<int64_t> &shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + "]";
}

uint16_t NpyArray::bits16(int64_t i) const {
  uint16_t bits;
  std::memcpy(&bits, data + 2 * static_cast<size_t>(i), 2);
  return bits;
}

double NpyArray::value(int64_t i) const {
  switch (element) {
  case NpyElement::F16:
    return fromF16Bits(bits16(i));
  case NpyElement::BF16Bits:
    return fromBF16Bits(bits16(i));
  case NpyElement::F32: {
    float f;
    std::memcpy(&f, data + 4 * static_cast<size_t>(i), 4);
    return f;
  }
  case NpyElement::F64: {
    double d;
    std::memcpy(&d, data + 8 * static_cast<size_t>(i), 8);
    return d;
  }
  }
  return 0;
}

bool mirage::portable::parseNpy(std::string_view bytes, DType dtype,
                                NpyArray &array, std::string &error,
                                size_t maxRank) {
  auto fail = [&](std::string what) {
    error = std::move(what);
    return false;
  };
  if (bytes.size() < 10 || bytes.substr(0, 6) != "\x93NUMPY")
    return fail("not a .npy file (bad magic)");
  int major = static_cast<uint8_t>(bytes[6]);
  size_t headerLen, offset;
  if (major == 1) {
    headerLen = littleEndian(bytes, 8, 2);
    offset = 10;
  } else if (major == 2 || major == 3) {
    // 3.0 differs from 2.0 only in the header's encoding (UTF-8).
    if (bytes.size() < 12)
      return fail("truncated header");
    headerLen = littleEndian(bytes, 8, 4);
    offset = 12;
  } else {
    return fail("unsupported .npy format version " + std::to_string(major));
  }
  if (bytes.size() - offset < headerLen)
    return fail("truncated header");
  std::map<std::string, HeaderValue> header;
  std::string problem =
      HeaderParser(bytes.substr(offset, headerLen)).parse(header);
  if (!problem.empty())
    return fail(problem);
  for (const char *key : {"descr", "fortran_order", "shape"})
    if (!header.count(key))
      return fail(std::string("header has no '") + key + "'");
  const HeaderValue &descrValue = header["descr"];
  const HeaderValue &fortran = header["fortran_order"];
  const HeaderValue &shapeValue = header["shape"];
  if (descrValue.kind != HeaderValue::Kind::String ||
      fortran.kind != HeaderValue::Kind::Bool ||
      shapeValue.kind != HeaderValue::Kind::Tuple)
    return fail("malformed header (descr, fortran_order or shape)");
  if (fortran.flag)
    return fail("Fortran-order arrays are not supported (save a C-order "
                "array: np.ascontiguousarray)");
  const std::string &descr = descrValue.text;
  if (descr.size() >= 2 && descr[0] == '>')
    return fail("big-endian data ('" + descr + "') is not supported");
  NpyElement element;
  if (descr == "<f2") {
    element = NpyElement::F16;
  } else if (descr == "<f4") {
    element = NpyElement::F32;
  } else if (descr == "<f8") {
    element = NpyElement::F64;
  } else if (descr == "<u2" || descr == "<i2") {
    if (dtype != DType::BF16)
      return fail("element type '" + descr +
                  "' holds raw bf16 bits and is only read into bf16 "
                  "tensors, not " +
                  dtypeName(dtype));
    element = NpyElement::BF16Bits;
  } else {
    return fail("element type '" + descr +
                "' is not supported (<f2, <f4, <f8; <u2 or <i2 for bf16 "
                "bits)");
  }
  // The element count and the byte count must fit in int64_t.
  const std::vector<int64_t> &shape = shapeValue.tuple;
  if (shape.size() > maxRank)
    return fail("shape " + formatNpyShape(shape) + " has more than " +
                std::to_string(maxRank) + " dimensions");
  int64_t width = npyElementBytes(element);
  int64_t count = 1;
  bool empty = false, overflow = false;
  for (int64_t d : shape) {
    if (d == 0)
      empty = true;
    else if (count > std::numeric_limits<int64_t>::max() / width / d)
      overflow = true;
    else
      count *= d;
  }
  if (empty)
    count = 0;
  else if (overflow)
    return fail("shape " + formatNpyShape(shape) +
                " has more elements than a 64-bit byte count can address");
  size_t available = bytes.size() - offset - headerLen;
  auto needed = static_cast<uint64_t>(count * width);
  if (available != needed)
    return fail(std::string(available < needed ? "truncated" : "trailing") +
                " data: shape " + formatNpyShape(shape) + " needs " +
                std::to_string(needed) + " bytes, the file holds " +
                std::to_string(available));
  array.element = element;
  array.descr = descr;
  array.shape = shape;
  array.numElements = count;
  array.data = bytes.data() + offset + headerLen;
  return true;
}

NpyElement mirage::portable::npyElementFor(DType dtype) {
  switch (dtype) {
  case DType::F16:
    return NpyElement::F16;
  case DType::BF16:
  case DType::F32:
    return NpyElement::F32;
  }
  return NpyElement::F32;
}

std::string
mirage::portable::formatNpyHeader(NpyElement element,
                                  const std::vector<int64_t> &shape) {
  std::string tuple;
  for (size_t i = 0; i < shape.size(); ++i)
    tuple += (i ? ", " : "") + std::to_string(shape[i]);
  if (shape.size() == 1)
    tuple += ','; // "(3,)"
  std::string header = std::string("{'descr': '") + descrOf(element) +
                       "', 'fortran_order': False, 'shape': (" + tuple + "), }";
  // Version 1.0 has a 2-byte header length, 2.0 (for longer headers) a
  // 4-byte one. The header ends in '\n', padded with spaces so that the
  // data starts at a multiple of 64 bytes.
  auto pad = [&](size_t prefix) {
    std::string padded = header;
    padded.append((64 - (prefix + padded.size() + 1) % 64) % 64, ' ');
    return padded + '\n';
  };
  bool version2 = pad(10).size() > 0xffff;
  header = pad(version2 ? 12 : 10);
  std::string out = "\x93NUMPY";
  out += static_cast<char>(version2 ? 2 : 1);
  out += '\0';
  size_t len = header.size();
  for (int i = 0; i < (version2 ? 4 : 2); ++i)
    out += static_cast<char>((len >> (8 * i)) & 0xff);
  return out + header;
}

void mirage::portable::appendNpyValue(std::string &out, NpyElement element,
                                      double value) {
  switch (element) {
  case NpyElement::F16:
  case NpyElement::BF16Bits: {
    uint16_t bits =
        element == NpyElement::F16 ? toF16Bits(value) : toBF16Bits(value);
    out.append(reinterpret_cast<const char *>(&bits), 2);
    return;
  }
  case NpyElement::F32: {
    auto f = static_cast<float>(value);
    out.append(reinterpret_cast<const char *>(&f), 4);
    return;
  }
  case NpyElement::F64:
    out.append(reinterpret_cast<const char *>(&value), 8);
    return;
  }
}
