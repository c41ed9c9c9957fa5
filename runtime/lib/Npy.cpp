//===- Npy.cpp - .npy reader and writer -----------------------------------===//
//
// The codec is the portable one (Mirage/Portable/Npy.h), shared with the
// interpreter; this file moves its values in and out of host tensors.
//
//===----------------------------------------------------------------------===//

#include "MirageRuntime/Npy.h"
#include "Mirage/Portable/Npy.h"
#include "MirageRuntime/File.h"

#include <cstring>

using namespace mirage::rt;
using mirage::portable::NpyArray;
using mirage::portable::NpyElement;

Expected<HostTensor> mirage::rt::parseNpy(const std::string &bytes, DType dtype,
                                          const std::string &name) {
  NpyArray array;
  std::string problem;
  if (!portable::parseNpy(bytes, dtype, array, problem))
    return Status::error(name + ": " + problem);
  HostTensor tensor(dtype, array.shape);
  for (int64_t i = 0; i < tensor.size(); ++i) {
    if (array.element == NpyElement::BF16Bits) {
      // The bits as they are (a NaN keeps its payload).
      uint16_t bits = array.bits16(i);
      std::memcpy(tensor.data() + 2 * i, &bits, 2);
      continue;
    }
    tensor.set(i, array.value(i));
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
  NpyElement element = portable::npyElementFor(tensor.getDType());
  std::string out = portable::formatNpyHeader(element, tensor.getShape());
  out.reserve(out.size() + static_cast<size_t>(tensor.size()) *
                               portable::npyElementBytes(element));
  if (element == NpyElement::F16) {
    // f16 bit for bit (a NaN keeps its payload).
    if (tensor.byteSize())
      out.append(reinterpret_cast<const char *>(tensor.data()),
                 tensor.byteSize());
    return out;
  }
  // f32 as is; bf16 widened exactly.
  for (int64_t i = 0; i < tensor.size(); ++i)
    portable::appendNpyValue(out, element, tensor.get(i));
  return out;
}

Status mirage::rt::writeNpy(const std::string &path, const HostTensor &tensor) {
  return writeFile(path, formatNpy(tensor));
}
