//===- ThreadDialect.cpp - The thread level of a μGraph ---------*- C++ -*-===//

#include "Mirage/Dialect/Thread/IR/ThreadDialect.h"
#include "Mirage/Dialect/Thread/IR/ThreadOps.h"

using namespace mlir;
using namespace mirage::thread;

#include "Mirage/Dialect/Thread/IR/ThreadDialect.cpp.inc"

void ThreadDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "Mirage/Dialect/Thread/IR/ThreadOps.cpp.inc"
      >();
}
