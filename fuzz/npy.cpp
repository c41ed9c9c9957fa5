//===- npy.cpp - Fuzz the .npy codec --------------------------------------===//
//
// Reads the input as a .npy file into each dtype with the runtime's reader,
// on the codec the interpreter shares (Mirage/Portable/Npy.h); what reads is
// written back and must read back with the same shape and bytes.
//
//===----------------------------------------------------------------------===//

#include "MirageRuntime/Npy.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

using namespace mirage::rt;

static void bug(const char *what) {
  std::fprintf(stderr, "mirage-fuzz: BUG: %s\n", what);
  std::abort();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string bytes(reinterpret_cast<const char *>(data), size);
  for (DType dtype : {DType::F16, DType::BF16, DType::F32}) {
    Expected<HostTensor> tensor = parseNpy(bytes, dtype, "fuzz.npy");
    if (!tensor)
      continue;
    std::string written = formatNpy(*tensor);
    Expected<HostTensor> again = parseNpy(written, dtype, "written.npy");
    if (!again)
      bug("formatNpy wrote a file parseNpy rejects");
    if (again->getShape() != tensor->getShape() ||
        again->byteSize() != tensor->byteSize())
      bug("a .npy file written and read back has another shape");
    // f16 and f32 travel bit for bit; bf16 travels as f32 values, where a
    // NaN may change its payload.
    bool same = true;
    if (dtype != DType::BF16 && tensor->byteSize() != 0)
      same =
          std::memcmp(again->data(), tensor->data(), tensor->byteSize()) == 0;
    for (int64_t i = 0; dtype == DType::BF16 && i < tensor->size(); ++i) {
      double a = tensor->get(i), b = again->get(i);
      same &= a == b || (std::isnan(a) && std::isnan(b));
    }
    if (!same)
      bug("a .npy file written and read back differs");
  }
  return 0;
}
