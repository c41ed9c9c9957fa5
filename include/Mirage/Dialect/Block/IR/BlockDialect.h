//===- BlockDialect.h - The block level of a μGraph -------------*- C++ -*-===//

#ifndef MIRAGE_DIALECT_BLOCK_IR_BLOCKDIALECT_H
#define MIRAGE_DIALECT_BLOCK_IR_BLOCKDIALECT_H

#include "mlir/IR/BuiltinTypeInterfaces.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/Types.h"

#include "Mirage/Dialect/Block/IR/BlockDialect.h.inc"
#include "Mirage/Support/Vocabulary.h"

#define GET_TYPEDEF_CLASSES
#include "Mirage/Dialect/Block/IR/BlockTypes.h.inc"

#endif // MIRAGE_DIALECT_BLOCK_IR_BLOCKDIALECT_H
