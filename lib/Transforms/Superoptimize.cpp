//===- Superoptimize.cpp - The μGraph search as a pass ----------*- C++ -*-===//

#include "Mirage/Bridge/UGraphExport.h"
#include "Mirage/Bridge/UGraphImport.h"
#include "Mirage/Search/Superoptimizer.h"
#include "Mirage/Transforms/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

namespace mirage {
#define GEN_PASS_DEF_SUPEROPTIMIZE
#include "Mirage/Transforms/Passes.h.inc"
} // namespace mirage

using namespace mlir;

namespace {

/// Functions carrying this unit attribute are left alone.
constexpr llvm::StringLiteral kOptOutAttr = "mirage.no_superoptimize";

/// Parses `XxYxZ`.
FailureOr<::mirage::Grid> parseGrid(StringRef text) {
  SmallVector<StringRef, 3> parts;
  text.split(parts, 'x');
  ::mirage::Grid grid;
  if (parts.size() != 3)
    return failure();
  for (auto [i, part] : llvm::enumerate(parts))
    if (part.getAsInteger(10, grid[i]) || grid[i] < 1)
      return failure();
  return grid;
}

/// Parses three characters, each a dimension digit or `_`.
FailureOr<::mirage::DimMap> parseMap(StringRef text) {
  ::mirage::DimMap map;
  if (text.size() != 3)
    return failure();
  for (unsigned a = 0; a < 3; ++a) {
    char c = text[a];
    if (c == '_')
      map[a] = ::mirage::kReplicate;
    else if (c >= '0' && c <= '3')
      map[a] = c - '0';
    else
      return failure();
  }
  return map;
}

llvm::json::Object statsToJson(const ::mirage::SearchStats &stats) {
  return llvm::json::Object{
      {"states_visited", static_cast<int64_t>(stats.statesVisited)},
      {"pruned_canonical", static_cast<int64_t>(stats.prunedCanonical)},
      {"pruned_shape", static_cast<int64_t>(stats.prunedShape)},
      {"pruned_shared_memory", static_cast<int64_t>(stats.prunedSharedMemory)},
      {"pruned_abstract_expr", static_cast<int64_t>(stats.prunedAbstractExpr)},
      {"pruned_cost", static_cast<int64_t>(stats.prunedCost)},
      {"pruned_unclosable", static_cast<int64_t>(stats.prunedUnclosable)},
      {"candidates_verified", static_cast<int64_t>(stats.candidatesVerified)},
      {"candidates_rejected", static_cast<int64_t>(stats.candidatesRejected)},
      {"candidates_found", static_cast<int64_t>(stats.candidatesFound)},
      {"candidates_unconfirmed",
       static_cast<int64_t>(stats.candidatesUnconfirmed)},
      {"tasks", static_cast<int64_t>(stats.tasks)},
      {"seconds", stats.seconds},
      {"saturation_seconds", stats.saturationSeconds},
      {"budget_exhausted", stats.budgetExhausted},
  };
}

struct SuperoptimizePass
    : public ::mirage::impl::SuperoptimizeBase<SuperoptimizePass> {
  using Base::Base;

  /// Turns the pass options into search options, or reports the bad one.
  FailureOr<::mirage::SearchOptions> searchOptions() {
    func::FuncOp func = getOperation();
    ::mirage::SearchOptions options;
    options.maxKernelOps = maxKernelOps;
    options.maxBlockOps = maxBlockOps;
    options.maxGraphDefinedKernels = maxGraphDefinedKernels;
    std::optional<::mirage::Preset> parsed = ::mirage::parsePreset(preset);
    if (!parsed)
      return func.emitError()
             << "mirage-superoptimize: unknown preset '" << preset
             << "' (expected none, attention, mlp or lora)";
    options.preset = *parsed;
    for (const std::string &text : grids) {
      FailureOr<::mirage::Grid> grid = parseGrid(text);
      if (failed(grid))
        return func.emitError() << "mirage-superoptimize: bad grid '" << text
                                << "' (expected XxYxZ, e.g. 256x1x1)";
      options.grids.push_back(*grid);
    }
    for (int64_t range : forloopRanges) {
      if (range < 1)
        return func.emitError()
               << "mirage-superoptimize: for-loop range must be >= 1, got "
               << range;
      options.forloopRanges.push_back(range);
    }
    for (auto [list, target] :
         {std::pair{&imaps, &options.imaps}, std::pair{&omaps, &options.omaps}})
      for (const std::string &text : *list) {
        FailureOr<::mirage::DimMap> map = parseMap(text);
        if (failed(map))
          return func.emitError()
                 << "mirage-superoptimize: bad map '" << text
                 << "' (expected three characters, each a dimension or _, "
                    "e.g. _1_)";
        target->push_back(*map);
      }
    std::optional<::mirage::GpuParams> params = ::mirage::gpuParamsByName(gpu);
    if (!params)
      return func.emitError() << "mirage-superoptimize: unknown gpu '" << gpu
                              << "' (expected h100 or h200)";
    options.gpu = *params;
    if (timeBudget < 0)
      return func.emitError()
             << "mirage-superoptimize: time-budget must be >= 0";
    options.threads = threads;
    options.timeBudgetSeconds = timeBudget;
    options.seed = seed;
    options.topK = std::max(1u, static_cast<unsigned>(topK));
    options.sharedMemoryBytes = sharedMemoryBytes;
    return options;
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal() || func->hasAttr(kOptOutAttr))
      return;
    FailureOr<::mirage::SearchOptions> options = searchOptions();
    if (failed(options))
      return signalPassFailure();

    // A function the search cannot represent is left alone with a remark
    // (or, under `strict`, rejected with the importer's error).
    std::string importError;
    FailureOr<::mirage::KernelGraph> reference = [&] {
      ScopedDiagnosticHandler capture(&getContext(), [&](Diagnostic &diag) {
        if (strict || diag.getSeverity() != DiagnosticSeverity::Error)
          return failure(); // not ours to handle
        importError = diag.str();
        return success();
      });
      return ::mirage::importKernelGraph(func);
    }();
    if (!importError.empty())
      func.emitRemark() << "mirage-superoptimize: function left unchanged: "
                        << importError;
    if (failed(reference)) {
      if (strict)
        signalPassFailure();
      return;
    }
    llvm::Expected<::mirage::SearchResult> result =
        ::mirage::superoptimize(*reference, *options);
    if (!result) {
      std::string message = llvm::toString(result.takeError());
      if (strict) {
        func.emitError() << "mirage-superoptimize: " << message;
        return signalPassFailure();
      }
      func.emitRemark() << "mirage-superoptimize: function left unchanged: "
                        << message;
      return;
    }
    report(*result);
    if (!statsFile.empty() && failed(writeStats(*result)))
      return signalPassFailure();
    if (result->best.empty() ||
        result->best.front().cost.seconds >= result->referenceCost.seconds)
      return;
    // Runners-up first, as new functions next to this one.
    OpBuilder builder(func);
    builder.setInsertionPointAfter(func);
    for (size_t i = 1; i < result->best.size(); ++i) {
      std::string name =
          (func.getSymName() + "_candidate" + std::to_string(i)).str();
      if (failed(::mirage::createFunctionFromGraph(builder, func.getLoc(), name,
                                                   result->best[i].graph)))
        return signalPassFailure();
    }
    if (failed(::mirage::replaceBodyWithGraph(func, result->best[0].graph)))
      return signalPassFailure();
  }

  void report(const ::mirage::SearchResult &result) {
    const ::mirage::SearchStats &s = result.stats;
    auto remark = getOperation().emitRemark();
    remark << "mirage-superoptimize: " << s.statesVisited
           << " states visited, pruned " << s.prunedAbstractExpr
           << " by abstract expressions, " << s.prunedShape << " by shape, "
           << s.prunedSharedMemory << " by shared memory, " << s.prunedCanonical
           << " by canonical order, " << s.prunedCost << " by cost; "
           << s.candidatesVerified << " candidates verified, "
           << s.candidatesFound << " equivalent; "
           << llvm::formatv("{0:f2}", s.seconds) << " s";
    if (s.budgetExhausted)
      remark << " (time budget exhausted: best found so far)";
    remark << llvm::formatv("; predicted {0:f2} us -> ",
                            result.referenceCost.seconds * 1e6);
    if (result.best.empty())
      remark << "no equivalent candidate found, function unchanged";
    else
      remark << llvm::formatv(
          "{0:f2} us ({1:f2}x)", result.best[0].cost.seconds * 1e6,
          result.referenceCost.seconds / result.best[0].cost.seconds);
  }

  LogicalResult writeStats(const ::mirage::SearchResult &result) {
    llvm::json::Object root = statsToJson(result.stats);
    root["function"] = getOperation().getSymName().str();
    root["reference_seconds"] = result.referenceCost.seconds;
    llvm::json::Array best;
    for (const ::mirage::Candidate &c : result.best)
      best.push_back(llvm::json::Object{
          {"predicted_seconds", c.cost.seconds},
          {"kernels", static_cast<int64_t>(c.cost.kernels.size())}});
    root["best"] = std::move(best);
    std::error_code ec;
    llvm::raw_fd_ostream os(statsFile, ec, llvm::sys::fs::OF_Text);
    if (ec)
      return getOperation().emitError()
             << "mirage-superoptimize: cannot write stats file '" << statsFile
             << "': " << ec.message();
    os << llvm::formatv("{0:2}", llvm::json::Value(std::move(root))) << "\n";
    return success();
  }
};

} // namespace
