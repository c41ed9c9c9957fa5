//===- Npy.cpp - .npy reader and writer -----------------------------------===//

#include "MirageRuntime/Npy.h"
#include "MirageRuntime/File.h"

#include <cstdint>
#include <cstring>
#include <map>

using namespace mirage::rt;

namespace {
/// One value of the header dict: a string, a boolean or a tuple of ints.
struct HeaderValue {
  enum class Kind { String, Bool, Tuple } kind = Kind::String;
  std::string text;
  bool flag = false;
  Shape tuple;
};

/// Parses the Python literal of a .npy header, e.g.
/// `{'descr': '<f2', 'fortran_order': False, 'shape': (2, 3), }`: a dict of
/// string keys to strings, booleans or tuples of non-negative integers.
class HeaderParser {
public:
  explicit HeaderParser(std::string_view text) : text(text) {}

  Status parse(std::map<std::string, HeaderValue> &out) {
    skip();
    if (!eat('{'))
      return Status::error("header is not a dict");
    while (true) {
      skip();
      if (eat('}'))
        break;
      std::string key;
      if (!parseString(key))
        return Status::error("expected a quoted key in the header");
      skip();
      if (!eat(':'))
        return Status::error("expected ':' after '" + key + "' in the header");
      skip();
      HeaderValue value;
      if (!parseValue(value))
        return Status::error("malformed value of '" + key + "' in the header");
      out[key] = std::move(value);
      skip();
      if (eat(','))
        continue;
      skip();
      if (eat('}'))
        break;
      return Status::error("expected ',' or '}' in the header");
    }
    skip();
    if (pos != text.size())
      return Status::error("unexpected text after the header dict");
    return Status::success();
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
  bool parseValue(HeaderValue &out) {
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
      size_t start = pos;
      int64_t value = 0;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
        if (value > (INT64_MAX - 9) / 10)
          return false;
        value = value * 10 + (text[pos++] - '0');
      }
      // Python may print extents of huge arrays with an 'L' suffix.
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
} // namespace

static uint32_t littleEndian(const std::string &bytes, size_t at, int width) {
  uint32_t v = 0;
  for (int i = 0; i < width; ++i)
    v |= static_cast<uint32_t>(static_cast<uint8_t>(bytes[at + i])) << (8 * i);
  return v;
}

Expected<HostTensor> mirage::rt::parseNpy(const std::string &bytes, DType dtype,
                                          const std::string &name) {
  auto fail = [&](const std::string &what) {
    return Status::error(name + ": " + what);
  };
  if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0)
    return fail("not a .npy file (bad magic)");
  int major = static_cast<uint8_t>(bytes[6]);
  size_t headerLen, offset;
  if (major == 1) {
    headerLen = littleEndian(bytes, 8, 2);
    offset = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12)
      return fail("truncated header");
    headerLen = littleEndian(bytes, 8, 4);
    offset = 12;
  } else {
    return fail("unsupported .npy format version " + std::to_string(major));
  }
  if (bytes.size() < offset + headerLen)
    return fail("truncated header");
  std::map<std::string, HeaderValue> header;
  Status parsed =
      HeaderParser(std::string_view(bytes).substr(offset, headerLen))
          .parse(header);
  if (!parsed.ok())
    return fail(parsed.message());
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
  enum class Source { F16, F32, F64, Bits16 };
  Source source;
  size_t width;
  if (descr == "<f2") {
    source = Source::F16;
    width = 2;
  } else if (descr == "<f4") {
    source = Source::F32;
    width = 4;
  } else if (descr == "<f8") {
    source = Source::F64;
    width = 8;
  } else if (descr == "<u2" || descr == "<i2") {
    if (dtype != DType::BF16)
      return fail("element type '" + descr +
                  "' holds raw bf16 bits and is only read into bf16 "
                  "tensors, not " +
                  dtypeName(dtype));
    source = Source::Bits16;
    width = 2;
  } else {
    return fail("element type '" + descr +
                "' is not supported (<f2, <f4, <f8; <u2 or <i2 for bf16 "
                "bits)");
  }
  Shape shape = shapeValue.tuple;
  // Overflow-safe element count.
  uint64_t count = 1;
  for (int64_t d : shape) {
    if (d != 0 && count > (UINT64_MAX / 16) / static_cast<uint64_t>(d))
      return fail("shape " + formatShape(shape) + " is too large");
    count *= static_cast<uint64_t>(d);
  }
  size_t dataStart = offset + headerLen;
  if (bytes.size() - dataStart < count * width)
    return fail("truncated data: shape " + formatShape(shape) + " needs " +
                std::to_string(count * width) + " bytes, the file holds " +
                std::to_string(bytes.size() - dataStart));
  HostTensor tensor(dtype, shape);
  const char *data = bytes.data() + dataStart;
  for (int64_t i = 0; i < tensor.size(); ++i) {
    const char *p = data + static_cast<size_t>(i) * width;
    switch (source) {
    case Source::F16: {
      uint16_t bits;
      std::memcpy(&bits, p, 2);
      tensor.set(i, fromF16Bits(bits));
      break;
    }
    case Source::F32: {
      float f;
      std::memcpy(&f, p, 4);
      tensor.set(i, f);
      break;
    }
    case Source::F64: {
      double d;
      std::memcpy(&d, p, 8);
      tensor.set(i, d);
      break;
    }
    case Source::Bits16:
      std::memcpy(tensor.data() + 2 * i, p, 2);
      break;
    }
  }
  return tensor;
}

Expected<HostTensor> mirage::rt::readNpy(const std::string &path, DType dtype) {
  Expected<std::string> bytes = readFile(path);
  if (!bytes)
    return bytes.status();
  return parseNpy(*bytes, dtype, path);
}

std::string mirage::rt::formatNpy(const HostTensor &tensor) {
  bool half = tensor.getDType() == DType::F16;
  std::string shape;
  for (int64_t d : tensor.getShape())
    shape += std::to_string(d) + ", ";
  if (tensor.getShape().size() > 1)
    shape.resize(shape.size() - 2); // "(2, 3)"; a 1-tuple keeps "(3,)"
  else if (!shape.empty())
    shape.resize(shape.size() - 1);
  std::string header = std::string("{'descr': '") + (half ? "<f2" : "<f4") +
                       "', 'fortran_order': False, 'shape': (" + shape + "), }";
  // The data starts at a multiple of 64 bytes, as NumPy writes it.
  size_t prefix = 10;
  size_t total = prefix + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  bool version2 = header.size() > 0xffff;
  if (version2) {
    prefix = 12;
    header.resize(header.size() - 1);
    while ((prefix + header.size() + 1) % 64)
      header += ' ';
    header += '\n';
  }
  std::string out = "\x93NUMPY";
  out += static_cast<char>(version2 ? 2 : 1);
  out += '\0';
  size_t len = header.size();
  for (int i = 0; i < (version2 ? 4 : 2); ++i)
    out += static_cast<char>((len >> (8 * i)) & 0xff);
  out += header;
  for (int64_t i = 0; i < tensor.size(); ++i) {
    if (half) {
      out.append(reinterpret_cast<const char *>(tensor.data()) + 2 * i, 2);
      continue;
    }
    // f32 as is; bf16 widened exactly.
    auto f = static_cast<float>(tensor.get(i));
    out.append(reinterpret_cast<const char *>(&f), 4);
  }
  return out;
}

Status mirage::rt::writeNpy(const std::string &path, const HostTensor &tensor) {
  return writeFile(path, formatNpy(tensor));
}
