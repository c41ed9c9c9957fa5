//===- equivalence.cpp - Fuzz the equivalence check -----------------------===//
//
// The first two functions of a module (or the first against itself) that
// import and fit the budgets are compared by fingerprints and in floating
// point. A function compared with itself must be equivalent (unless the
// check is inconclusive or refuses the graph).
//
//===----------------------------------------------------------------------===//

#include "FuzzMLIR.h"
#include "GraphBudget.h"

#include "Mirage/Bridge/UGraphImport.h"
#include "Mirage/Semantics/Equivalence.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::unique_ptr<mlir::MLIRContext> context = mirage::fuzz::makeContext();
  mirage::fuzz::CatchDiagnostics diagnostics(*context);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mirage::fuzz::parseAndVerify(data, size, *context);
  if (!module)
    return 0;
  std::vector<mirage::KernelGraph> graphs;
  for (auto func : module->getOps<mlir::func::FuncOp>()) {
    if (func.isExternal())
      continue;
    mlir::FailureOr<mirage::KernelGraph> graph =
        mirage::importKernelGraph(func);
    if (failed(graph) ||
        !mirage::fuzz::fitsBudget(*graph, mirage::fuzz::kMemoryBudgetBytes / 2))
      continue;
    graphs.push_back(std::move(*graph));
    if (graphs.size() == 2)
      break;
  }
  if (graphs.empty())
    return 0;
  const mirage::KernelGraph &lhs = graphs.front();
  const mirage::KernelGraph &rhs = graphs.back();
  for (mirage::NumberSystem system :
       {mirage::NumberSystem::Field, mirage::NumberSystem::Float}) {
    mirage::EquivalenceOptions options;
    options.system = system;
    options.tests = 2;
    options.seed = size;
    llvm::Expected<mirage::EquivalenceResult> result =
        mirage::checkEquivalence(lhs, rhs, options);
    if (!result) {
      llvm::consumeError(result.takeError());
      continue;
    }
    // The same graph against itself: equal inputs give equal outputs, NaN
    // aside in floating point. Its fingerprints always agree; the float
    // test that confirms them may only be unusable (non-finite outputs at
    // every input scale), which leaves the verdict unconfirmed.
    if (graphs.size() == 1 && system == mirage::NumberSystem::Field &&
        !result->equivalent &&
        !(result->verdict == mirage::Verdict::FloatDisagrees &&
          !result->floatTest.usable))
      mirage::fuzz::abortOnBug("a graph is not equivalent to itself");
  }
  return 0;
}
