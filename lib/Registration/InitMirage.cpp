//===- InitMirage.cpp - Register everything Mirage-MLIR defines -*- C++ -*-===//

#include "Mirage/InitMirage.h"

#include "Mirage/Conversion/Passes.h"
#include "Mirage/Dialect/Block/IR/BlockDialect.h"
#include "Mirage/Dialect/Kernel/IR/KernelDialect.h"
#include "Mirage/Dialect/Structured/IR/StructuredDialect.h"
#include "Mirage/Target/Passes.h"
#include "Mirage/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"

void mirage::registerMirageDialects(mlir::DialectRegistry &registry) {
  registry.insert<kernel::KernelDialect, block::BlockDialect,
                  structured::StructuredDialect, mlir::func::FuncDialect>();
}

void mirage::registerMiragePasses() {
  registerMirageTransformsPasses();
  registerMirageConversionPasses();
  registerMirageTargetPasses();
  registerMirageConversionPipelines();
}
