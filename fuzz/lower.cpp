//===- lower.cpp - Fuzz the lowering to the structured level --------------===//
//
// Runs --mirage-default-schedules and --mirage-lower-to-structured through
// a PassManager on every module that parses and verifies. A pass may fail
// with a diagnostic; a pass that succeeds must leave IR that verifies and
// that parses back once printed (the harness checks both and aborts
// otherwise).
//
//===----------------------------------------------------------------------===//

#include "FuzzMLIR.h"

#include "Mirage/Conversion/Passes.h"

#include "mlir/Pass/PassManager.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::unique_ptr<mlir::MLIRContext> context = mirage::fuzz::makeContext();
  mirage::fuzz::CatchDiagnostics diagnostics(*context);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mirage::fuzz::parseAndVerify(data, size, *context);
  if (!module)
    return 0;
  mlir::PassManager pm(context.get());
  pm.enableVerifier(false); // checked below, to tell a bug from a diagnostic
  auto &funcs = pm.nest<mlir::func::FuncOp>();
  funcs.addPass(mirage::createDefaultSchedules());
  funcs.addPass(mirage::createLowerToStructured());
  if (failed(pm.run(*module)))
    return 0;
  if (failed(mlir::verify(*module)))
    mirage::fuzz::abortOnBug("--mirage-lower-to-structured succeeded but its "
                             "output does not verify");
  // What the pass writes must read back (a wrapped extent would print as
  // a negative one, which does not parse).
  std::string printed;
  llvm::raw_string_ostream os(printed);
  module->print(os);
  mlir::ParserConfig config(context.get());
  if (!mlir::parseSourceString<mlir::ModuleOp>(printed, config))
    mirage::fuzz::abortOnBug("the output of --mirage-lower-to-structured does "
                             "not parse back");
  return 0;
}
