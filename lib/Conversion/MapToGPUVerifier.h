//===- MapToGPUVerifier.h - Rules --mirage-map-to-gpu relies on -*- C++ -*-===//
//
// The rules of the structured level (docs/Lowering.md) that the GPU mapping
// relies on, checked before anything is rewritten, so that IR breaking one
// is reported at the op that breaks it rather than mis-compiled.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_LIB_CONVERSION_MAPTOGPUVERIFIER_H
#define MIRAGE_LIB_CONVERSION_MAPTOGPUVERIFIER_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

#include <array>
#include <string>

namespace mirage::gpu_mapping {

inline constexpr llvm::StringLiteral kKernelAttr = "mirage.kernel";
inline constexpr llvm::StringLiteral kPhaseAttr = "mirage.phase";
inline constexpr llvm::StringLiteral kForloopAttr = "mirage.forloop";
inline constexpr llvm::StringLiteral kMemoryAttr = "mirage.memory";
/// The kernels of function F are outlined into `gpu.module @F_kernels`.
inline constexpr llvm::StringLiteral kKernelModuleSuffix = "_kernels";

/// A kernel's name and launch shape.
struct KernelShape {
  std::string name;
  std::array<int64_t, 3> grid{};
  std::array<int64_t, 3> block{};
};

/// "workgroup", "private", or "" for an alloca without `mirage.memory`.
llvm::StringRef memoryOf(mlir::memref::AllocaOp alloca);

/// Checks what lies outside the kernels: the signature of a function with
/// `mirage.structured` (element types the bundle can name) and that no phase
/// stands outside a kernel.
mlir::LogicalResult verifyStructuredFunction(mlir::func::FuncOp func);

/// Checks one kernel (`scf.parallel {mirage.kernel}`): its launch shape, the
/// ops at block level and in phases, its buffers and how they are accessed.
mlir::FailureOr<KernelShape> verifyKernel(mlir::scf::ParallelOp kernel);

} // namespace mirage::gpu_mapping

#endif // MIRAGE_LIB_CONVERSION_MAPTOGPUVERIFIER_H
