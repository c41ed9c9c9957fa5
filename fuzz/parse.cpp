//===- parse.cpp - Fuzz the parser and the verifiers ----------------------===//
//
// Parses the input as a module with the kernel, block and thread dialects,
// runs every verifier, and prints what verifies (the custom printers).
//
//===----------------------------------------------------------------------===//

#include "FuzzMLIR.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::unique_ptr<mlir::MLIRContext> context = mirage::fuzz::makeContext();
  mirage::fuzz::CatchDiagnostics diagnostics(*context);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mirage::fuzz::parseAndVerify(data, size, *context);
  if (!module)
    return 0;
  std::string printed;
  llvm::raw_string_ostream os(printed);
  module->print(os);
  return 0;
}
