//===- interpret.cpp - Fuzz the reference interpreter ---------------------===//
//
// Every function that imports, is evaluable and fits the budgets of
// GraphBudget.h runs on seeded inputs in floating point and in the
// fingerprint domain (Z_p x Z_q).
//
//===----------------------------------------------------------------------===//

#include "FuzzMLIR.h"
#include "GraphBudget.h"

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
    if (llvm::Error e = mirage::checkEvaluable(*graph)) {
      llvm::consumeError(std::move(e));
      continue;
    }
    if (!mirage::fuzz::fitsBudget(*graph, mirage::fuzz::kMemoryBudgetBytes))
      continue;
    for (mirage::NumberSystem system :
         {mirage::NumberSystem::Float, mirage::NumberSystem::Field}) {
      std::vector<mirage::Tensor> inputs =
          mirage::randomInputs(*graph, system, /*seed=*/size);
      llvm::Expected<mirage::EvalResult> result =
          mirage::evaluate(*graph, system, inputs);
      if (!result) {
        llvm::consumeError(result.takeError());
        continue;
      }
      if (result->outputs.size() != graph->outputs.size())
        mirage::fuzz::abortOnBug("the interpreter returned another number "
                                 "of outputs than the graph has");
    }
  }
  return 0;
}
