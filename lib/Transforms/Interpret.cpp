//===- Interpret.cpp - Run a function with the reference interpreter ------===//

#include "FunctionLookup.h"
#include "Mirage/Semantics/Interpreter.h"
#include "Mirage/Semantics/Npy.h"
#include "Mirage/Support/MemoryLimit.h"
#include "Mirage/Transforms/Passes.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

namespace mirage {
#define GEN_PASS_DEF_INTERPRET
#include "Mirage/Transforms/Passes.h.inc"
} // namespace mirage

using namespace mlir;

static void printSummary(llvm::raw_ostream &os, unsigned index,
                         const ::mirage::Tensor &t, unsigned numValues) {
  double lo = INFINITY, hi = -INFINITY, sum = 0;
  for (float v : t.data) {
    lo = std::fmin(lo, v);
    hi = std::fmax(hi, v);
    sum += v;
  }
  os << "output " << index << ": tensor<" << ::mirage::formatShape(t.shape)
     << "x" << ::mirage::dtypeName(t.dtype) << ">";
  os << llvm::format(" min %.6g max %.6g mean %.6g\n", lo, hi,
                     t.data.empty() ? 0.0 : sum / t.data.size());
  os << "  values:";
  for (size_t i = 0; i < t.data.size() && i < numValues; ++i)
    os << llvm::format(" %.6g", t.data[i]);
  os << "\n";
}

namespace {
struct InterpretPass : public ::mirage::impl::InterpretBase<InterpretPass> {
  using InterpretBase::InterpretBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    markAllAnalysesPreserved();
    FailureOr<::mirage::KernelGraph> graph =
        ::mirage::importNamedFunction(module, "entry", entry);
    if (failed(graph))
      return signalPassFailure();
    Operation *func = module.lookupSymbol(entry);
    if (llvm::Error err = ::mirage::checkEvaluable(*graph)) {
      emitError(func->getLoc()) << "cannot interpret '" << entry
                                << "': " << llvm::toString(std::move(err));
      return signalPassFailure();
    }
    // Bound what the evaluation holds before allocating its inputs.
    if (llvm::Error err = ::mirage::checkMemoryNeed(
            ::mirage::evaluationBytes(*graph, ::mirage::NumberSystem::Float),
            ::mirage::resolveMemoryLimit(memoryLimit), "interpret")) {
      emitError(func->getLoc()) << "cannot interpret '" << entry
                                << "': " << llvm::toString(std::move(err))
                                << " (option memory-limit)";
      return signalPassFailure();
    }
    std::vector<::mirage::Tensor> args;
    if (inputs.empty()) {
      // The option, else the function's mirage.input_scale, else 1.
      double scale = inputScale;
      if (!inputScale.hasValue()) {
        FailureOr<double> own =
            ::mirage::getInputScale(cast<func::FuncOp>(func));
        if (failed(own))
          return signalPassFailure();
        scale = *own;
      }
      args = ::mirage::randomInputs(*graph, ::mirage::NumberSystem::Float, seed,
                                    scale);
    } else {
      if (inputs.size() != graph->numInputs) {
        emitError(func->getLoc())
            << "'" << entry << "' takes " << graph->numInputs << " inputs but "
            << inputs.size() << " .npy files were given";
        return signalPassFailure();
      }
      for (unsigned i = 0; i < graph->numInputs; ++i) {
        const ::mirage::ValueInfo &info = graph->values[i];
        llvm::Expected<::mirage::Tensor> t =
            ::mirage::readNpy(inputs[i], info.dtype);
        if (!t) {
          emitError(func->getLoc()) << llvm::toString(t.takeError());
          return signalPassFailure();
        }
        if (t->shape != info.shape) {
          emitError(func->getLoc())
              << inputs[i] << ": shape " << ::mirage::formatShape(t->shape)
              << " does not match input " << i << " of type "
              << ::mirage::formatShape(info.shape);
          return signalPassFailure();
        }
        args.push_back(std::move(*t));
      }
    }
    llvm::Expected<::mirage::EvalResult> result =
        ::mirage::evaluate(*graph, ::mirage::NumberSystem::Float, args);
    if (!result) {
      emitError(func->getLoc()) << "cannot interpret '" << entry
                                << "': " << llvm::toString(result.takeError());
      return signalPassFailure();
    }
    llvm::raw_ostream &os = llvm::outs();
    for (auto [i, t] : llvm::enumerate(result->outputs)) {
      printSummary(os, i, t, numValues);
      if (outputDir.empty())
        continue;
      llvm::SmallString<128> path(outputDir);
      llvm::sys::fs::create_directories(path);
      llvm::sys::path::append(path, "output" + std::to_string(i) + ".npy");
      if (llvm::Error err = ::mirage::writeNpy(path, t)) {
        emitError(func->getLoc()) << llvm::toString(std::move(err));
        return signalPassFailure();
      }
    }
    os.flush();
  }
};
} // namespace
