//===- DType.h - Element types of tensors -----------------------*- C++ -*-===//
//
// The element types of Mirage-MLIR's tensors, their names and their sizes,
// declared once for the compiler (the compact μGraph's DType is this one,
// Mirage/Core/UGraph.h) and the GPU runtime (a bundle's manifest spells
// them by dtypeName). Standard C++17 only, like every Mirage/Portable
// header: the runtime, which builds with cuda.h alone, compiles
// lib/Portable/ too (docs/Runtime.md, "Portable units").
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_PORTABLE_DTYPE_H
#define MIRAGE_PORTABLE_DTYPE_H

#include <cstdint>
#include <optional>
#include <string_view>

namespace mirage::portable {

/// The element types. The values are the dtype codes of the runtime's C API
/// (MIRAGE_RT_F16, _BF16, _F32 in MirageRuntime/CApi.h).
enum class DType : uint8_t { F16 = 0, BF16 = 1, F32 = 2 };

/// Every element type, in code order.
inline constexpr DType kAllDTypes[] = {DType::F16, DType::BF16, DType::F32};

/// "f16", "bf16", "f32": the spelling of MLIR's types and of the manifest.
const char *dtypeName(DType dtype);

/// The element type named `name` (dtypeName's spelling), or std::nullopt.
std::optional<DType> parseDType(std::string_view name);

/// Bytes per element: 2 for f16 and bf16, 4 for f32.
unsigned dtypeBytes(DType dtype);

} // namespace mirage::portable

#endif // MIRAGE_PORTABLE_DTYPE_H
