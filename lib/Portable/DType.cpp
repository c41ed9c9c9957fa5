//===- DType.cpp - Element types of tensors -------------------------------===//
//
// Standard C++17 only: the GPU runtime compiles this file too.
//
//===----------------------------------------------------------------------===//

#include "Mirage/Portable/DType.h"

using namespace mirage::portable;

const char *mirage::portable::dtypeName(DType dtype) {
  switch (dtype) {
  case DType::F16:
    return "f16";
  case DType::BF16:
    return "bf16";
  case DType::F32:
    return "f32";
  }
  return "?";
}

std::optional<DType> mirage::portable::parseDType(std::string_view name) {
  for (DType dtype : kAllDTypes)
    if (name == dtypeName(dtype))
      return dtype;
  return std::nullopt;
}

unsigned mirage::portable::dtypeBytes(DType dtype) {
  switch (dtype) {
  case DType::F16:
  case DType::BF16:
    return 2;
  case DType::F32:
    return 4;
  }
  return 0;
}
