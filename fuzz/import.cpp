//===- import.cpp - Fuzz the importer to the compact μGraph ---------------===//
//
// Every function of a module that parses and verifies is imported into a
// KernelGraph (lib/Bridge); what imports is checked for evaluability and
// printed.
//
//===----------------------------------------------------------------------===//

#include "FuzzMLIR.h"

#include "Mirage/Bridge/UGraphImport.h"
#include "Mirage/Semantics/Interpreter.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::unique_ptr<mlir::MLIRContext> context = mirage::fuzz::makeContext();
  mirage::fuzz::CatchDiagnostics diagnostics(*context);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mirage::fuzz::parseAndVerify(data, size, *context);
  if (!module)
    return 0;
  for (auto func : module->getOps<mlir::func::FuncOp>()) {
    if (func.isExternal())
      continue;
    mlir::FailureOr<mirage::KernelGraph> graph =
        mirage::importKernelGraph(func);
    if (failed(graph))
      continue;
    llvm::consumeError(mirage::checkEvaluable(*graph));
    std::string printed;
    llvm::raw_string_ostream os(printed);
    mirage::print(*graph, os);
  }
  return 0;
}
