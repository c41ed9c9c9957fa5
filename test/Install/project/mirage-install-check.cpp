//===- mirage-install-check.cpp - Uses the installed package --*- C++ -*-===//
//
// Built against an installed Mirage-MLIR (find_package(Mirage)): registers
// the dialects and passes, parses a kernel-dialect module (the file named
// first), runs the pass pipeline given second, prints the module and counts
// the graph-defined kernels through the generated op classes.
//
//===----------------------------------------------------------------------===//

#include "Mirage/Dialect/Kernel/IR/KernelOps.h"
#include "Mirage/InitMirage.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

#include "llvm/Support/raw_ostream.h"

#include <cstdlib>

int main(int argc, char **argv) {
  if (argc != 3) {
    llvm::errs() << "usage: mirage-install-check FILE.mlir PIPELINE\n";
    return EXIT_FAILURE;
  }
  mirage::registerMiragePasses();
  mlir::DialectRegistry registry;
  mirage::registerMirageDialects(registry);
  mlir::MLIRContext context(registry);

  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceFile<mlir::ModuleOp>(argv[1], &context);
  if (!module)
    return EXIT_FAILURE;

  mlir::PassManager pm(&context);
  if (mlir::failed(mlir::parsePassPipeline(argv[2], pm, llvm::errs())) ||
      mlir::failed(pm.run(*module)))
    return EXIT_FAILURE;

  module->print(llvm::outs());
  llvm::outs() << "\n";
  unsigned kernels = 0;
  module->walk([&](mirage::kernel::GraphDefinedOp) { ++kernels; });
  llvm::outs() << "graph-defined kernels: " << kernels << "\n";
  return EXIT_SUCCESS;
}
