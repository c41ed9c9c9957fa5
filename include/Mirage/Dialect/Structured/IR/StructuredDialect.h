//===- StructuredDialect.h - The structured level ---------------*- C++ -*-===//

#ifndef MIRAGE_DIALECT_STRUCTURED_IR_STRUCTUREDDIALECT_H
#define MIRAGE_DIALECT_STRUCTURED_IR_STRUCTUREDDIALECT_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"

#include "Mirage/Dialect/Structured/IR/StructuredDialect.h.inc"

#define GET_ATTRDEF_CLASSES
#include "Mirage/Dialect/Structured/IR/StructuredAttrs.h.inc"

#endif // MIRAGE_DIALECT_STRUCTURED_IR_STRUCTUREDDIALECT_H
