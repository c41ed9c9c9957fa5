//===- KernelDialect.h - The kernel level of a μGraph -----------*- C++ -*-===//

#ifndef MIRAGE_DIALECT_KERNEL_IR_KERNELDIALECT_H
#define MIRAGE_DIALECT_KERNEL_IR_KERNELDIALECT_H

#include "mlir/IR/Dialect.h"

#include "Mirage/Dialect/Kernel/IR/KernelDialect.h.inc"

#endif // MIRAGE_DIALECT_KERNEL_IR_KERNELDIALECT_H
