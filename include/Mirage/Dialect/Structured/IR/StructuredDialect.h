//===- StructuredDialect.h - The structured level ---------------*- C++ -*-===//

#ifndef MIRAGE_DIALECT_STRUCTURED_IR_STRUCTUREDDIALECT_H
#define MIRAGE_DIALECT_STRUCTURED_IR_STRUCTUREDDIALECT_H

#include "mlir/IR/Dialect.h"

#include "Mirage/Dialect/Structured/IR/StructuredDialect.h.inc"

#endif // MIRAGE_DIALECT_STRUCTURED_IR_STRUCTUREDDIALECT_H
