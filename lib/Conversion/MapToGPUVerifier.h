//===- MapToGPUVerifier.h - Rules --mirage-map-to-gpu relies on -*- C++ -*-===//
//
// What the GPU mapping needs of the structured level (docs/Lowering.md)
// beyond the verifiers of the structured ops, checked before anything is
// rewritten, so that IR it cannot map is reported at the op rather than
// mis-compiled.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_LIB_CONVERSION_MAPTOGPUVERIFIER_H
#define MIRAGE_LIB_CONVERSION_MAPTOGPUVERIFIER_H

#include "Mirage/Dialect/Structured/IR/StructuredOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

#include <array>
#include <string>

namespace mirage::gpu_mapping {

/// The kernels of function F are outlined into `gpu.module @F_kernels`.
inline constexpr llvm::StringLiteral kKernelModuleSuffix = "_kernels";

/// A kernel's name and launch shape.
struct KernelShape {
  std::string name;
  std::array<int64_t, 3> grid{};
  std::array<int64_t, 3> block{};
};

/// Checks what the GPU mapping needs of one kernel beyond the verifiers of
/// the structured ops: a launch shape CUDA accepts, ops at block level and
/// in phases that have a mapping, element types, how workgroup buffers are
/// used, and the operands of the cooperative ops.
mlir::FailureOr<KernelShape>
verifyKernel(::mirage::structured::KernelOp kernel);

} // namespace mirage::gpu_mapping

#endif // MIRAGE_LIB_CONVERSION_MAPTOGPUVERIFIER_H
