//===- KernelOps.h - Kernel-level μGraph operations -------------*- C++ -*-===//

#ifndef MIRAGE_DIALECT_KERNEL_IR_KERNELOPS_H
#define MIRAGE_DIALECT_KERNEL_IR_KERNELOPS_H

#include "Mirage/Dialect/Common/MirageTraits.h"
#include "Mirage/Dialect/Kernel/IR/KernelDialect.h"
#include "Mirage/Support/ShapeRules.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "Mirage/Dialect/Kernel/IR/KernelOps.h.inc"

#endif // MIRAGE_DIALECT_KERNEL_IR_KERNELOPS_H
