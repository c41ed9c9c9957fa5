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
  void runOnOperation() override {
    // A function that is not kernel level has no μGraph: skipped with a
    // remark, as the other passes do on mixed modules.
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return markAllAnalysesPreserved();
    if (Operation *other = ::mirage::firstNonKernelOp(func)) {
      func.emitRemark() << "mirage-print-ugraph: function left alone: '"
                        << other->getName() << "' is not a kernel op";
      return markAllAnalysesPreserved();
    }
    FailureOr<::mirage::KernelGraph> graph =
        ::mirage::importKernelGraph(getOperation());
    if (failed(graph))
      return signalPassFailure();
    ::mirage::print(*graph, llvm::outs());
    llvm::outs().flush();
    markAllAnalysesPreserved();
  }
};
} // namespace
