//===- SanitizerDefaults.cpp - ASan defaults of the fuzz targets ----------===//
//
// libLLVM.so and libMLIR.so are not instrumented, but LLVM's headers are:
// a BumpPtrAllocator inlined into our instrumented code poisons a fresh slab
// (__asan_poison_memory_region) that the uninstrumented copy in libMLIR.so
// then hands out without unpoisoning it, and the next intercepted memcpy
// there is reported as a use-after-poison that is not one. Manual poisoning
// is therefore off; every other check stays (`make test-sanitize` sets the
// same option in ASAN_OPTIONS).
//
//===----------------------------------------------------------------------===//

extern "C" const char *__asan_default_options() {
  return "allow_user_poisoning=0";
}
