//===- StructuredOps.h - Kernels, phases, the for-loop ----------*- C++ -*-===//

#ifndef MIRAGE_DIALECT_STRUCTURED_IR_STRUCTUREDOPS_H
#define MIRAGE_DIALECT_STRUCTURED_IR_STRUCTUREDOPS_H

#include "Mirage/Dialect/Structured/IR/StructuredDialect.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "Mirage/Dialect/Structured/IR/StructuredOps.h.inc"

namespace mirage::structured {

/// The memory space of a kernel buffer.
enum class MemorySpace { Workgroup, Private };

/// The memory space of a memref type: workgroup or private for the types of
/// kernel buffers (`#gpu.address_space<...>`), none otherwise.
std::optional<MemorySpace> memorySpaceOf(mlir::Type type);

/// The memref type of a kernel buffer in `space`.
mlir::MemRefType bufferType(llvm::ArrayRef<int64_t> shape,
                            mlir::Type elementType, MemorySpace space);

} // namespace mirage::structured

#endif // MIRAGE_DIALECT_STRUCTURED_IR_STRUCTUREDOPS_H
