//===- WriteBundles.cpp - The bundle writer as a pass ---------------------===//
//
// The end of the --mirage-to-ptx pipeline: builds the bundle of every
// compiled function (Bundle.h) and writes them all or none.
//
//===----------------------------------------------------------------------===//

#include "Mirage/Dialect/Structured/IR/StructuredDialect.h"
#include "Mirage/Target/Bundle.h"
#include "Mirage/Target/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace mirage {
#define GEN_PASS_DEF_WRITEBUNDLES
#include "Mirage/Target/Passes.h.inc"
} // namespace mirage

using namespace mlir;

namespace {

struct WriteBundlesPass : ::mirage::impl::WriteBundlesBase<WriteBundlesPass> {
  using WriteBundlesBase::WriteBundlesBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (output.empty()) {
      emitError(module.getLoc()) << "--mirage-to-ptx needs an output directory "
                                    "(option output=DIR)";
      return signalPassFailure();
    }
    SmallVector<mirage::target::BundleFile> files;
    bool ok = true;
    bool any = false;
    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isExternal() ||
          !func->hasAttr(mirage::structured::AbiAttr::kName))
        continue;
      any = true;
      ok &= succeeded(mirage::target::buildBundle(func, chip, files));
    }
    if (!any) {
      // A mixed module whose functions the lowering left alone, each with
      // a remark (docs/Import.md, "Mixed modules"): nothing to write.
      bool leftAlone =
          llvm::any_of(module.getOps<func::FuncOp>(), [](func::FuncOp func) {
            auto isTensor = llvm::IsaPred<TensorType>;
            return !func.isExternal() &&
                   (llvm::any_of(func.getArgumentTypes(), isTensor) ||
                    llvm::any_of(func.getResultTypes(), isTensor));
          });
      if (leftAlone) {
        emitRemark(module.getLoc())
            << "mirage-write-bundles: no bundle written: every function "
               "was left at the kernel level or in upstream dialects (see "
               "the remarks of mirage-lower-to-structured)";
        markAllAnalysesPreserved();
        return;
      }
      emitError(module.getLoc())
          << "no function to compile: --mirage-to-ptx "
             "compiles functions of kernel ops, graph-defined "
             "kernels or structured kernels";
      return signalPassFailure();
    }
    if (!ok || failed(mirage::target::writeBundleFiles(output, files,
                                                       module.getLoc())))
      return signalPassFailure();
    markAllAnalysesPreserved();
  }
};

} // namespace
