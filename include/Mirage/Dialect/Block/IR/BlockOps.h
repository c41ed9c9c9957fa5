//===- BlockOps.h - Block-level μGraph operations ---------------*- C++ -*-===//

#ifndef MIRAGE_DIALECT_BLOCK_IR_BLOCKOPS_H
#define MIRAGE_DIALECT_BLOCK_IR_BLOCKOPS_H

#include "Mirage/Dialect/Block/IR/BlockDialect.h"
#include "Mirage/Dialect/Common/MirageTraits.h"
#include "Mirage/Dialect/Kernel/IR/KernelOps.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mirage::block {
/// Marks ops that compute in the storage of their operand and so need no
/// shared memory of their own.
template <typename ConcreteType>
class InPlace : public mlir::OpTrait::TraitBase<ConcreteType, InPlace> {};
} // namespace mirage::block

#define GET_OP_CLASSES
#include "Mirage/Dialect/Block/IR/BlockOps.h.inc"

#endif // MIRAGE_DIALECT_BLOCK_IR_BLOCKOPS_H
