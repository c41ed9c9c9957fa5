//===- CheckEquivalence.cpp - Random-test equivalence of two functions ----===//

#include "FunctionLookup.h"
#include "Mirage/Bridge/UGraphImport.h"
#include "Mirage/Semantics/Equivalence.h"
#include "Mirage/Support/MemoryLimit.h"
#include "Mirage/Transforms/Passes.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
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
      // The check draws inputs above kHeldInputBytes where it reads them
      // (seededInputs), as the search does.
      if (llvm::Error err = ::mirage::checkMemoryNeed(
              ::mirage::evaluationBytes(*graph, options.system,
                                        ::mirage::kHeldInputBytes),
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

    // The option, else lhs's mirage.input_scale, else rhs's, else 1.
    options.inputScale = inputScale;
    if (!inputScale.hasValue()) {
      for (StringRef name : {StringRef(rhs), StringRef(lhs)}) {
        auto func = dyn_cast_or_null<func::FuncOp>(module.lookupSymbol(name));
        if (!func || !func->hasAttr(::mirage::kInputScaleAttrName))
          continue;
        FailureOr<double> own = ::mirage::getInputScale(func);
        if (failed(own))
          return signalPassFailure();
        options.inputScale = *own;
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
    const ::mirage::EquivalenceResult &r = *result;
    auto where = [](unsigned output, llvm::ArrayRef<int64_t> index) {
      std::string text;
      llvm::raw_string_ostream ws(text);
      ws << "output " << output << " differs at [";
      llvm::interleaveComma(index, ws);
      ws << "]";
      return text;
    };
    auto permuted = [&] {
      bool identity = true;
      for (auto [i, p] : llvm::enumerate(r.permutation))
        identity &= p == i;
      if (identity)
        return std::string();
      std::string text;
      llvm::raw_string_ostream ws(text);
      ws << " (rhs results permuted: [";
      llvm::interleaveComma(r.permutation, ws);
      ws << "])";
      return text;
    };
    const ::mirage::FloatTest &ft = r.floatTest;
    auto g = [](double v) {
      std::string text;
      llvm::raw_string_ostream(text) << llvm::format("%g", v);
      return text;
    };
    switch (r.verdict) {
    case ::mirage::Verdict::Equivalent:
      os << "equivalent" << permuted() << "\n";
      os.flush();
      return;
    case ::mirage::Verdict::NotEquivalent: {
      std::string at = where(r.output, r.index);
      os << "not equivalent: " << at << "\n";
      os.flush();
      emitError(rhsOp->getLoc())
          << "'" << rhs << "' is not equivalent to '" << lhs << "': " << at
          << " (" << r.lhsValue << " vs " << r.rhsValue << ")";
      return signalPassFailure();
    }
    case ::mirage::Verdict::NotProvable: {
      // The fingerprints differ but a float test agrees: incompleteness of
      // the model (or a difference below the float tolerance), not a proof
      // of a difference.
      std::string at = where(r.output, r.index);
      os << "not provable by fingerprints: " << at << "; a float test agrees"
         << permuted() << "\n";
      os.flush();
      emitError(rhsOp->getLoc())
          << "'" << rhs << "' is not provable by fingerprints to be "
          << "equivalent to '" << lhs << "': the fingerprints differ (" << at
          << ") but a float test agrees within tolerance (largest error "
          << llvm::formatv("{0:e2}", ft.maxError).str() << " at input scale "
          << g(ft.inputScale) << ")";
      return signalPassFailure();
    }
    case ::mirage::Verdict::FloatDisagrees: {
      std::string detail;
      if (!ft.usable) {
        detail = "a float test has non-finite outputs at every input scale "
                 "down to " +
                 g(ft.inputScale);
      } else {
        detail = "a float test differs: " + where(ft.output, ft.index) + " (" +
                 llvm::formatv(
                     "{0} vs {1}, tolerance {2:e2} relative to "
                     "|rhs| + rms(rhs), input scale {3}",
                     g(ft.lhsValue), g(ft.rhsValue),
                     ::mirage::floatTestTolerance(
                         right->values[right->outputs[r.permutation[ft.output]]]
                             .dtype),
                     g(ft.inputScale))
                     .str() +
                 ")";
      }
      os << "not equivalent: the fingerprints agree but " << detail << "\n";
      os.flush();
      emitError(rhsOp->getLoc())
          << "'" << rhs << "' is not confirmed equivalent to '" << lhs
          << "': the fingerprints agree but " << detail;
      return signalPassFailure();
    }
    }
  }
};
} // namespace
