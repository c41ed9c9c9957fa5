//===- PrintAbstractExprs.cpp - Print abstract expressions and verdicts ---===//

#include "Mirage/Bridge/MixedModules.h"
#include "Mirage/Search/AbstractPruner.h"
#include "Mirage/Transforms/AbstractExprAnalysis.h"
#include "Mirage/Transforms/Passes.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/raw_ostream.h"

namespace mirage {
#define GEN_PASS_DEF_PRINTABSTRACTEXPRS
#include "Mirage/Transforms/Passes.h.inc"
} // namespace mirage

using namespace mlir;

namespace {
struct PrintAbstractExprsPass
    : public ::mirage::impl::PrintAbstractExprsBase<PrintAbstractExprsPass> {
  using Base::Base;

  void runOnOperation() override {
    OwningOpRef<ModuleOp> targetModule;
    ModuleOp targetScope = getOperation();
    if (!targetFile.empty()) {
      targetModule = parseSourceFile<ModuleOp>(targetFile, &getContext());
      if (!targetModule) {
        getOperation().emitError()
            << "cannot read the target file '" << targetFile << "'";
        return signalPassFailure();
      }
      targetScope = *targetModule;
    }
    if (nodeLimit <= 0 || iterationLimit <= 0 || timeLimitMs < 0) {
      getOperation().emitError()
          << "node-limit and iteration-limit must be positive, time-limit-ms "
             "positive or 0 (no time limit)";
      return signalPassFailure();
    }
    ::mirage::RunnerLimits limits = ::mirage::defaultPrunerLimits();
    limits.nodeLimit = static_cast<size_t>(nodeLimit);
    limits.iterationLimit = static_cast<unsigned>(iterationLimit);
    if (timeLimitMs > 0)
      limits.timeLimitSeconds = static_cast<double>(timeLimitMs) / 1000.0;

    for (auto func : getOperation().getOps<func::FuncOp>()) {
      // A function that is not kernel level has no μGraph: skipped with a
      // remark, as the other passes do on mixed modules.
      if (func.isExternal())
        continue;
      if (Operation *other = ::mirage::firstNonKernelOp(func)) {
        func.emitRemark() << "mirage-print-abstract-exprs: function left "
                             "alone: '"
                          << other->getName() << "' is not a kernel op";
        continue;
      }
      StringRef targetName = target.empty() ? func.getSymName() : target;
      auto targetFunc = targetScope.lookupSymbol<func::FuncOp>(targetName);
      if (!targetFunc) {
        func.emitError() << "no target function @" << targetName
                         << (targetFile.empty() ? StringRef("")
                                                : StringRef(" in "))
                         << targetFile;
        return signalPassFailure();
      }
      if (failed(printFunction(func, targetFunc, limits)))
        return signalPassFailure();
    }
    llvm::outs().flush();
    markAllAnalysesPreserved();
  }

  LogicalResult printFunction(func::FuncOp func, func::FuncOp targetFunc,
                              const ::mirage::RunnerLimits &limits) {
    ::mirage::ExprPool pool;
    ::mirage::AbstractExprBuilder builder(pool);
    FailureOr<::mirage::FunctionAbstractExprs> targetExprs =
        ::mirage::computeAbstractExprs(targetFunc, builder);
    if (failed(targetExprs))
      return failure();
    FailureOr<::mirage::FunctionAbstractExprs> exprs =
        ::mirage::computeAbstractExprs(func, builder);
    if (failed(exprs))
      return failure();
    if (targetFunc.getNumArguments() != func.getNumArguments())
      func.emitWarning() << "has " << func.getNumArguments()
                         << " arguments, the target @"
                         << targetFunc.getSymName() << " "
                         << targetFunc.getNumArguments()
                         << "; they are matched by position";

    ::mirage::AbstractPruner pruner(builder, targetExprs->exprs.outputs,
                                    limits);
    const ::mirage::RunReport &report = pruner.report();
    llvm::raw_ostream &os = llvm::outs();
    os << "abstract_exprs @" << func.getSymName() << " target @"
       << targetFunc.getSymName() << ": " << stopReasonName(report.stop)
       << " after " << report.iterations << " iterations, " << report.nodes
       << " nodes, " << report.classes << " classes\n";

    auto printValue = [&](llvm::StringRef indent, unsigned id,
                          ::mirage::ExprId expr) {
      os << indent << "%" << id << " = ";
      ::mirage::printAbstractExpr(pool, expr, os);
      os << " : " << queryResultName(pruner.query(expr)) << "\n";
    };
    const ::mirage::KernelGraph &graph = exprs->graph;
    for (unsigned id = 0; id < graph.values.size(); ++id)
      printValue("  ", id, exprs->exprs.values[id]);
    for (unsigned b = 0; b < graph.blockGraphs.size(); ++b) {
      os << "  block_graph " << b << "\n";
      const ::mirage::BlockGraph &block = graph.blockGraphs[b];
      for (unsigned id = block.numInputs; id < block.values.size(); ++id)
        printValue("    ", id, exprs->exprs.blockValues[b][id]);
    }
    return success();
  }
};
} // namespace
