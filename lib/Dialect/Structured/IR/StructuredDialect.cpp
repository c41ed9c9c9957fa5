//===- StructuredDialect.cpp - The structured level -------------*- C++ -*-===//

#include "Mirage/Dialect/Structured/IR/StructuredDialect.h"
#include "Mirage/Dialect/Structured/IR/StructuredOps.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"

using namespace mlir;
using namespace mirage::structured;

#include "Mirage/Dialect/Structured/IR/StructuredDialect.cpp.inc"

void StructuredDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "Mirage/Dialect/Structured/IR/StructuredOps.cpp.inc"
      >();
}
