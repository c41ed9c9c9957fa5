//===- Npy.cpp - Minimal .npy reader and writer ---------------------------===//

#include "Mirage/Semantics/Npy.h"
#include "Mirage/Semantics/FloatFormats.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

using namespace mirage;

static llvm::Error npyError(llvm::StringRef path, const llvm::Twine &what) {
  return llvm::createStringError((path + ": " + what).str());
}

/// The value of `key` in the header dict, up to the next ',' or ')'.
static llvm::StringRef headerField(llvm::StringRef header,
                                   llvm::StringRef key) {
  size_t at = header.find(("'" + key + "'").str());
  if (at == llvm::StringRef::npos)
    return {};
  llvm::StringRef rest = header.drop_front(at + key.size() + 2).ltrim(" :");
  if (rest.starts_with("("))
    return rest.take_until([](char c) { return c == ')'; }).drop_front();
  return rest.take_until([](char c) { return c == ',' || c == '}'; }).trim();
}

llvm::Expected<Tensor> mirage::readNpy(llvm::StringRef path, DType dtype) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer)
    return npyError(path, "cannot read: " + buffer.getError().message());
  llvm::StringRef bytes = (*buffer)->getBuffer();
  if (bytes.size() < 10 || !bytes.starts_with("\x93NUMPY"))
    return npyError(path, "not a .npy file");
  auto major = static_cast<uint8_t>(bytes[6]);
  size_t headerLen, offset;
  if (major == 1) {
    headerLen = static_cast<uint8_t>(bytes[8]) |
                (static_cast<size_t>(static_cast<uint8_t>(bytes[9])) << 8);
    offset = 10;
  } else {
    if (bytes.size() < 12)
      return npyError(path, "truncated header");
    headerLen = 0;
    for (int i = 0; i < 4; ++i)
      headerLen |= static_cast<size_t>(static_cast<uint8_t>(bytes[8 + i]))
                   << (8 * i);
    offset = 12;
  }
  if (bytes.size() < offset + headerLen)
    return npyError(path, "truncated header");
  llvm::StringRef header = bytes.substr(offset, headerLen);
  llvm::StringRef descr = headerField(header, "descr").trim("'\" ");
  if (headerField(header, "fortran_order") != "False")
    return npyError(path, "only C-order arrays are supported");
  size_t width = descr == "<f2"   ? 2
                 : descr == "<f4" ? 4
                 : descr == "<f8" ? 8
                                  : 0;
  if (!width)
    return npyError(path, "element type '" + descr +
                              "' is not supported (<f2, <f4, <f8)");
  // The header is untrusted: its shape must be small, every extent
  // non-negative, and the data it promises must be in the file, all checked
  // before anything of that size is allocated.
  llvm::StringRef shapeText = headerField(header, "shape");
  if (!header.contains("'shape'"))
    return npyError(path, "header has no shape");
  Shape shape;
  llvm::SmallVector<llvm::StringRef, 4> dims;
  shapeText.split(dims, ',', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef d : dims) {
    if (d.trim().empty())
      continue;
    if (shape.size() == kMaxRank)
      return npyError(path, llvm::formatv("shape has more than {0} "
                                          "dimensions",
                                          kMaxRank));
    int64_t extent;
    if (d.trim().getAsInteger(10, extent))
      return npyError(path, "malformed shape '" + shapeText + "'");
    if (extent < 0)
      return npyError(path, "negative extent in shape '" + shapeText + "'");
    shape.push_back(extent);
  }
  const char *data = bytes.data() + offset + headerLen;
  int64_t available = static_cast<int64_t>(bytes.size() - offset - headerLen);
  std::optional<int64_t> needed =
      checkedNumBytes(shape, static_cast<int64_t>(width));
  if (!needed)
    return npyError(path, "shape (" + shapeText +
                              ") has more elements than a 64-bit byte "
                              "count can address");
  if (*needed != available)
    return npyError(path,
                    llvm::formatv("shape ({0}) needs {1} bytes of data, the "
                                  "file has {2}",
                                  shapeText, *needed, available));
  Tensor tensor(shape, dtype, 1);
  auto n = static_cast<size_t>(tensor.numElements());
  for (size_t i = 0; i < n; ++i) {
    double v;
    if (width == 2) {
      uint16_t bits;
      std::memcpy(&bits, data + 2 * i, 2);
      v = fromF16Bits(bits);
    } else if (width == 4) {
      float f;
      std::memcpy(&f, data + 4 * i, 4);
      v = f;
    } else {
      std::memcpy(&v, data + 8 * i, 8);
    }
    tensor.data[i] = static_cast<float>(roundToDType(v, dtype));
  }
  return tensor;
}

llvm::Error mirage::writeNpy(llvm::StringRef path, const Tensor &tensor) {
  if (tensor.lanes != 1)
    return npyError(path, "only float tensors can be written");
  bool half = tensor.dtype == DType::F16;
  std::string shape;
  for (int64_t d : tensor.shape)
    shape += std::to_string(d) + ", ";
  if (tensor.shape.size() > 1)
    shape.erase(shape.size() - 2, 1);
  std::string header =
      llvm::formatv("{{'descr': '{0}', 'fortran_order': "
                    "False, 'shape': ({1}), }",
                    half ? "<f2" : "<f4", llvm::StringRef(shape).rtrim())
          .str();
  if (tensor.shape.size() == 1)
    header = llvm::formatv("{{'descr': '{0}', 'fortran_order': False, "
                           "'shape': ({1},), }",
                           half ? "<f2" : "<f4", tensor.shape[0])
                 .str();
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_None);
  if (ec)
    return npyError(path, "cannot write: " + ec.message());
  os << "\x93NUMPY" << '\x01' << '\x00';
  os << static_cast<char>(header.size() & 0xff)
     << static_cast<char>(header.size() >> 8) << header;
  for (float v : tensor.data) {
    if (half) {
      uint16_t bits = toF16Bits(v);
      os.write(reinterpret_cast<const char *>(&bits), 2);
    } else {
      os.write(reinterpret_cast<const char *>(&v), 4);
    }
  }
  return llvm::Error::success();
}
