//===- ThreadOps.h - Thread-level μGraph operations -------------*- C++ -*-===//

#ifndef MIRAGE_DIALECT_THREAD_IR_THREADOPS_H
#define MIRAGE_DIALECT_THREAD_IR_THREADOPS_H

#include "Mirage/Dialect/Common/MirageTraits.h"
#include "Mirage/Dialect/Thread/IR/ThreadDialect.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#define GET_OP_CLASSES
#include "Mirage/Dialect/Thread/IR/ThreadOps.h.inc"

#endif // MIRAGE_DIALECT_THREAD_IR_THREADOPS_H
