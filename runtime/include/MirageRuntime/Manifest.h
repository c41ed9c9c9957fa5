//===- Manifest.h - The launch manifest of a bundle -------------*- C++ -*-===//
//
// A bundle is the PTX of one function and a JSON manifest that says how to
// launch it (docs/Lowering.md, "The bundle"). parseManifest() checks the
// manifest on its own: the schema (every key, its type and range; unknown
// keys are errors, so that a misspelt key is not silently ignored), and its
// internal consistency (each kernel argument names an existing buffer and
// its strided extent fits in it; no kernel is listed twice).
// checkManifestAgainstPtx() checks it against the PTX text: the SHA-256, the
// entries and their parameters, and that every entry is launched.
// Errors name the key path, e.g.
//   kernels[0].args[2].offset_bytes: 12288 + extent ... exceeds output 0
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGERUNTIME_MANIFEST_H
#define MIRAGERUNTIME_MANIFEST_H

#include "MirageRuntime/DType.h"
#include "MirageRuntime/Error.h"
#include "MirageRuntime/HostTensor.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mirage::rt {

/// The manifest version this runtime reads.
inline constexpr int64_t kManifestVersion = 1;

/// Dynamic shared memory above this needs the kernel's
/// CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES raised first.
inline constexpr int64_t kDefaultDynamicSharedLimit = 48 * 1024;

struct TensorSpec {
  Shape shape;
  DType dtype = DType::F16;

  size_t byteSize() const {
    return static_cast<size_t>(numElements(shape)) * dtypeBytes(dtype);
  }
  /// "[2, 4096] f16".
  std::string describe() const;
};

enum class BufferKind { Input, Output, Workspace };

/// "input", "output", "workspace".
const char *bufferKindName(BufferKind kind);

/// One kernel parameter: a pointer into a buffer.
struct KernelArg {
  BufferKind buffer = BufferKind::Input;
  /// Which input or output; 0 for the workspace.
  unsigned index = 0;
  int64_t offsetBytes = 0;
  Shape shape;
  DType dtype = DType::F16;
  Shape strides;

  /// Bytes from the pointer to the end of the last element the view reaches.
  int64_t extentBytes() const;
};

struct KernelSpec {
  std::string name;
  std::array<unsigned, 3> grid = {1, 1, 1};
  std::array<unsigned, 3> block = {1, 1, 1};
  unsigned dynamicSharedMemoryBytes = 0;
  std::vector<KernelArg> args;
};

struct Manifest {
  int64_t version = kManifestVersion;
  std::string function;
  std::string chip;
  /// The PTX file, relative to the manifest's directory.
  std::string ptx;
  std::string ptxSha256;
  std::vector<TensorSpec> inputs;
  std::vector<TensorSpec> outputs;
  int64_t workspaceBytes = 0;
  std::vector<KernelSpec> kernels;
  /// The scale of the function's seeded random inputs ("input_scale", the
  /// function's mirage.input_scale), when the manifest records one.
  std::optional<double> inputScale;

  /// The size of a buffer (inputs and outputs by their signature).
  int64_t bufferBytes(BufferKind kind, unsigned index) const;
  /// "(tensor<2x4096xf16>, ...) -> tensor<2x6144xf16>"-like text.
  std::string signature() const;
  /// The compute capability that `chip` names (sm_90 -> 90, sm_90a -> 90),
  /// or 0 when it is not of the form sm_<digits>[suffix].
  int chipComputeCapability() const;
};

/// Parses and checks the manifest text.
Expected<Manifest> parseManifest(std::string_view jsonText);

/// Checks `ptxText` (the file named by manifest.ptx) against the manifest:
/// its SHA-256, its .target, every kernel's entry and parameters, and that
/// every .entry of the PTX is one of the manifest's kernels.
Status checkManifestAgainstPtx(const Manifest &manifest,
                               std::string_view ptxText);

} // namespace mirage::rt

#endif // MIRAGERUNTIME_MANIFEST_H
