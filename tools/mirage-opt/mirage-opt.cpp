//===- mirage-opt.cpp - The Mirage-MLIR optimizer driver --------*- C++ -*-===//
//
// mlir-opt with every upstream dialect, pass and LLVM IR translation, plus
// the μGraph dialects (kernel, block, thread) and the --mirage-* passes.
//
//===----------------------------------------------------------------------===//

#include "Mirage/InitMirage.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  mirage::registerMiragePasses();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::registerAllToLLVMIRTranslations(registry);
  mirage::registerMirageDialects(registry);

  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv,
      "Mirage-MLIR optimizer: μGraph dialects (kernel, block, thread) and "
      "the --mirage-* passes on top of every upstream MLIR dialect and pass\n",
      registry));
}
