//===- CheckEquivalence.cpp - Random-test equivalence of two functions ----===//

#include "FunctionLookup.h"
#include "Mirage/Semantics/Equivalence.h"
#include "Mirage/Support/MemoryLimit.h"
#include "Mirage/Transforms/Passes.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

namespace mirage {
#define GEN_PASS_DEF_CHECKEQUIVALENCE
#include "Mirage/Transforms/Passes.h.inc"
} // namespace mirage

using namespace mlir;

namespace {
struct CheckEquivalencePass
    : public ::mirage::impl::CheckEquivalenceBase<CheckEquivalencePass> {
  using CheckEquivalenceBase::CheckEquivalenceBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    markAllAnalysesPreserved();
    ::mirage::EquivalenceOptions options;
    if (mode == "float") {
      options.system = ::mirage::NumberSystem::Float;
    } else if (mode != "fingerprint") {
      module.emitError() << "option 'mode' must be 'fingerprint' or 'float', "
                            "not '"
                         << mode << "'";
      return signalPassFailure();
    }
    if (tests == 0) {
      module.emitError() << "option 'tests' must be positive";
      return signalPassFailure();
    }
    options.tests = tests;
    options.seed = seed;
    options.rtol = rtol;
    options.atol = atol;
    options.inputScale = inputScale;

    FailureOr<::mirage::KernelGraph> left =
        ::mirage::importNamedFunction(module, "lhs", lhs);
    if (failed(left))
      return signalPassFailure();
    FailureOr<::mirage::KernelGraph> right =
        ::mirage::importNamedFunction(module, "rhs", rhs);
    if (failed(right))
      return signalPassFailure();
    Operation *rhsOp = module.lookupSymbol(rhs);
    // Both functions' evaluations, before anything is allocated.
    for (auto [name, graph] : {std::pair(StringRef(lhs), &*left),
                               std::pair(StringRef(rhs), &*right)}) {
      if (llvm::Error err = ::mirage::checkEvaluable(*graph)) {
        emitError(module.lookupSymbol(name)->getLoc())
            << "cannot compare '" << lhs << "' and '" << rhs
            << "': " << llvm::toString(std::move(err));
        return signalPassFailure();
      }
      if (llvm::Error err = ::mirage::checkMemoryNeed(
              ::mirage::evaluationBytes(*graph, options.system),
              ::mirage::resolveMemoryLimit(memoryLimit),
              options.system == ::mirage::NumberSystem::Float
                  ? "interpret"
                  : "fingerprint")) {
        emitError(module.lookupSymbol(name)->getLoc())
            << "cannot compare '" << lhs << "' and '" << rhs << "': '" << name
            << "' is " << llvm::toString(std::move(err))
            << " (option memory-limit)";
        return signalPassFailure();
      }
    }

    llvm::Expected<::mirage::EquivalenceResult> result =
        ::mirage::checkEquivalence(*left, *right, options);
    if (!result) {
      emitError(rhsOp->getLoc())
          << "cannot compare '" << lhs << "' and '" << rhs
          << "': " << llvm::toString(result.takeError());
      return signalPassFailure();
    }
    llvm::raw_ostream &os = llvm::outs();
    if (result->equivalent) {
      os << "equivalent";
      bool identity = true;
      for (auto [i, p] : llvm::enumerate(result->permutation))
        identity &= p == i;
      if (!identity) {
        os << " (rhs results permuted: [";
        llvm::interleaveComma(result->permutation, os);
        os << "])";
      }
      os << "\n";
      os.flush();
      return;
    }
    std::string where;
    llvm::raw_string_ostream ws(where);
    ws << "output " << result->output << " differs at [";
    llvm::interleaveComma(result->index, ws);
    ws << "]";
    os << "not equivalent: " << where << "\n";
    os.flush();
    emitError(rhsOp->getLoc())
        << "'" << rhs << "' is not equivalent to '" << lhs << "': " << where
        << " (" << result->lhsValue << " vs " << result->rhsValue << ")";
    signalPassFailure();
  }
};
} // namespace
