//===- PrintUGraph.cpp - Print the compact μGraph of functions --*- C++ -*-===//

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
