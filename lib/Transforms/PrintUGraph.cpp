//===- PrintUGraph.cpp - Print the compact μGraph of functions --*- C++ -*-===//

#include "Mirage/Bridge/MixedModules.h"
#include "Mirage/Bridge/UGraphImport.h"
#include "Mirage/Transforms/Passes.h"

#include "llvm/Support/raw_ostream.h"

namespace mirage {
#define GEN_PASS_DEF_PRINTUGRAPH
#include "Mirage/Transforms/Passes.h.inc"
} // namespace mirage

using namespace mlir;

namespace {
struct PrintUGraphPass
    : public ::mirage::impl::PrintUGraphBase<PrintUGraphPass> {
  // A module pass, not a function pass: functions run in parallel would
  // print in whatever order the threads finish.
  void runOnOperation() override {
    bool failedAny = false;
    for (func::FuncOp func : getOperation().getOps<func::FuncOp>()) {
      if (func.isExternal())
        continue;
      // A function that is not kernel level has no μGraph: skipped with a
      // remark, as the other passes do on mixed modules.
      if (Operation *other = ::mirage::firstNonKernelOp(func)) {
        func.emitRemark() << "mirage-print-ugraph: function left alone: '"
                          << other->getName() << "' is not a kernel op";
        continue;
      }
      FailureOr<::mirage::KernelGraph> graph =
          ::mirage::importKernelGraph(func);
      if (failed(graph)) {
        failedAny = true;
        continue;
      }
      ::mirage::print(*graph, llvm::outs());
    }
    llvm::outs().flush();
    markAllAnalysesPreserved();
    if (failedAny)
      signalPassFailure();
  }
};
} // namespace
