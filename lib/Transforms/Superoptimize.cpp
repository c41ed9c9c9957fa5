//===- Superoptimize.cpp - The μGraph search as a pass ----------*- C++ -*-===//

#include "Mirage/Bridge/ImportedGraph.h"
#include "Mirage/Bridge/Provenance.h"
#include "Mirage/Bridge/UGraphExport.h"
#include "Mirage/Bridge/UGraphImport.h"
#include "Mirage/Search/Calibration.h"
#include "Mirage/Search/Superoptimizer.h"
#include "Mirage/Semantics/Equivalence.h"
#include "Mirage/Support/MemoryLimit.h"
#include "Mirage/Support/SearchCache.h"
#include "Mirage/Transforms/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Parser/Parser.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>
#include <thread>

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

/// The first line of a cache payload; the rest is either `unchanged` or the
/// printed module holding the result function and its runners-up.
constexpr llvm::StringLiteral kPayloadHeader = "mirage-superoptimize-result 1";
constexpr llvm::StringLiteral kPayloadUnchanged = "unchanged";

/// Every option that changes the result, in a fixed order (threads and the
/// time budget do not: a search stopped by its budget is not cached).
std::string canonicalOptions(const ::mirage::SearchOptions &o) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "kernel-ops=" << o.maxKernelOps << ";block-ops=" << o.maxBlockOps
     << ";graph-defined=" << o.maxGraphDefinedKernels
     << ";block-inputs=" << o.maxBlockInputs
     << ";block-outputs=" << o.maxBlockOutputs
     << ";preset=" << ::mirage::presetName(o.preset) << ";grids=";
  for (const ::mirage::Grid &g : o.grids)
    os << g[0] << "x" << g[1] << "x" << g[2] << ",";
  for (auto [name, maps] :
       {std::pair{";imaps=", &o.imaps}, std::pair{";omaps=", &o.omaps}}) {
    os << name;
    for (const ::mirage::DimMap &m : *maps)
      os << m[0] << "." << m[1] << "." << m[2] << ",";
  }
  os << ";ranges=";
  for (int64_t r : o.forloopRanges)
    os << r << ",";
  os << ";seed=" << o.seed << ";top-k=" << o.topK
     << ";smem=" << o.sharedMemoryBytes << ";tests=" << o.verifyTests
     << ";gpu=" << o.gpu.name;
  // A calibration file changes the figures, not the name.
  os << llvm::formatv(
      ";gpu-figures={0},{1},{2:e17},{3:e17},{4:e17},{5:e17},{6:e17}",
      o.gpu.numSMs, o.gpu.sharedMemoryPerBlock, o.gpu.dramBytesPerSecond,
      o.gpu.bandwidthShareOfOneSM, o.gpu.tensorFlopsPerSecond,
      o.gpu.cudaFlopsPerSecond, o.gpu.launchSeconds);
  return text;
}

/// The function in a form that does not depend on formatting or locations.
std::string canonicalFunctionText(func::FuncOp func) {
  std::string text;
  llvm::raw_string_ostream os(text);
  func->print(os, OpPrintingFlags().printGenericOpForm().useLocalScope());
  return text;
}

/// One progress line (docs/Search.md, "Progress"): elapsed time, states,
/// candidates verified, the best predicted time so far and the time left.
std::string formatProgress(StringRef function,
                           const ::mirage::SearchProgress &p) {
  std::string line;
  llvm::raw_string_ostream os(line);
  os << "mirage-superoptimize @" << function << ": "
     << (p.done ? "search done, " : "")
     << llvm::formatv("{0:f1} s, {1} states, {2} verified, best ",
                      p.elapsedSeconds, p.statesVisited, p.candidatesVerified);
  if (p.bestSeconds)
    os << llvm::formatv("{0:f2} us", *p.bestSeconds * 1e6);
  else
    os << "none yet";
  os << llvm::formatv(" (input {0:f2} us)", p.referenceSeconds * 1e6);
  if (!p.done) {
    if (p.budgetSeconds > 0)
      os << llvm::formatv(", {0:f1} s left",
                          std::max(0.0, p.budgetSeconds - p.elapsedSeconds));
    else
      os << ", no time budget";
  }
  return line;
}

/// Why a search found no μGraph faster than the input, each reason with
/// the option that would help (docs/Search.md, "When nothing is found").
/// `options` are the search's, preset applied.
std::vector<std::string> whyNothingFound(const ::mirage::KernelGraph &reference,
                                         const ::mirage::SearchOptions &options,
                                         const ::mirage::SearchResult &result) {
  const ::mirage::SearchStats &s = result.stats;
  std::vector<std::string> reasons;
  if (s.budgetExhausted)
    reasons.push_back(llvm::formatv("the time budget ran out after {0:f1} s "
                                    "(raise time-budget, 0 for none)",
                                    s.seconds));
  // Element-wise functions the enumeration never generates, at either
  // level (Vocabulary.td's searchKernel and searchBlock).
  llvm::SmallVector<StringRef> unsupported;
  for (const ::mirage::OpNode &op : reference.ops) {
    if (!::mirage::isElementwise(op.kind))
      continue;
    unsigned arity = ::mirage::isUnaryElementwise(op.kind) ? 1 : 2;
    if (llvm::is_contained(::mirage::searchedFunctions(arity, false),
                           op.kind) ||
        llvm::is_contained(::mirage::searchedFunctions(arity, true), op.kind))
      continue;
    StringRef name = ::mirage::opKindName(op.kind);
    if (!llvm::is_contained(unsupported, name))
      unsupported.push_back(name);
  }
  if (!unsupported.empty())
    reasons.push_back(("the program uses " + llvm::join(unsupported, ", ") +
                       ", which the search does not generate (op not "
                       "supported by the search; no option adds it)"));
  unsigned inputs = reference.numInputs;
  size_t boundReasons = reasons.size();
  if (inputs >= options.maxKernelOps)
    reasons.push_back(llvm::formatv(
        "the program's {0} inputs fill max-kernel-ops={1}, which counts "
        "them (raise max-kernel-ops to at least {2})",
        inputs, options.maxKernelOps, inputs + 1));
  else if (inputs > options.maxBlockInputs)
    reasons.push_back(llvm::formatv(
        "the program has {0} inputs but one graph-defined kernel takes at "
        "most {1}, so it needs several kernels, and max-kernel-ops={2} "
        "leaves room for {3} more op(s) (raise max-kernel-ops)",
        inputs, options.maxBlockInputs, options.maxKernelOps,
        options.maxKernelOps - inputs));
  // The search's own note on a size bound that left nothing to enumerate,
  // where the two reasons above do not already say it.
  if (reasons.size() == boundReasons && !result.limitNote.empty())
    reasons.push_back(result.limitNote);
  if (s.candidatesFound > 0)
    reasons.push_back(llvm::formatv(
        "{0} candidates passed the first fingerprint test but no other test "
        "confirmed them",
        s.candidatesFound));
  else if (s.prunedCost > 0 && s.candidatesVerified == 0)
    reasons.push_back(llvm::formatv("the {0} complete candidates were all "
                                    "predicted no faster than the input",
                                    s.prunedCost));
  if (reasons.empty())
    reasons.push_back(llvm::formatv(
        "no μGraph within max-kernel-ops={0}, max-block-ops={1} and "
        "max-graph-defined={2} is equivalent and predicted faster (raise "
        "them, or try preset=attention or preset=mlp)",
        options.maxKernelOps, options.maxBlockOps,
        options.maxGraphDefinedKernels));
  return reasons;
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
    // Measured figures replace the assumed ones (docs/CostModel.md).
    std::string calibrationPath = calibration;
    if (calibrationPath.empty())
      if (const char *env = std::getenv(::mirage::kGpuCalibrationEnv))
        calibrationPath = env;
    if (!calibrationPath.empty()) {
      llvm::Expected<::mirage::GpuCalibration> measured =
          ::mirage::loadGpuCalibration(calibrationPath);
      llvm::Error error =
          measured ? ::mirage::applyGpuCalibration(*measured, options.gpu)
                   : measured.takeError();
      if (error)
        return func.emitError()
               << "mirage-superoptimize: " << llvm::toString(std::move(error));
    }
    if (timeBudget < 0)
      return func.emitError()
             << "mirage-superoptimize: time-budget must be >= 0";
    options.threads = threads;
    options.timeBudgetSeconds = timeBudget;
    options.seed = seed;
    options.topK = std::max(1u, static_cast<unsigned>(topK));
    options.sharedMemoryBytes = sharedMemoryBytes;
    // Progress on stderr: on by default when stderr is a terminal.
    bool terminal = llvm::sys::Process::StandardErrIsDisplayed();
    std::optional<bool> enabled =
        llvm::StringSwitch<std::optional<bool>>(progress)
            .Case("auto", terminal)
            .Case("true", true)
            .Case("false", false)
            .Default(std::nullopt);
    if (!enabled)
      return func.emitError() << "mirage-superoptimize: progress must be "
                                 "auto, true or false, got '"
                              << progress << "'";
    if (!(progressInterval > 0))
      return func.emitError()
             << "mirage-superoptimize: progress-interval must be > 0";
    if (*enabled) {
      options.progressIntervalSeconds = progressInterval;
      std::string name = func.getSymName().str();
      options.progress = [name, terminal](const ::mirage::SearchProgress &p) {
        std::string line = formatProgress(name, p);
        // A terminal shows one line, rewritten in place; a log gets one
        // line per report.
        if (terminal)
          llvm::errs() << "\r" << line << "\x1b[K" << (p.done ? "\n" : "");
        else
          llvm::errs() << line << "\n";
        llvm::errs().flush();
      };
    }
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
    ::mirage::LocationTable locations;
    FailureOr<::mirage::KernelGraph> reference = [&] {
      ScopedDiagnosticHandler capture(&getContext(), [&](Diagnostic &diag) {
        if (strict || diag.getSeverity() != DiagnosticSeverity::Error)
          return failure(); // not ours to handle
        importError = diag.str();
        return success();
      });
      return ::mirage::importKernelGraph(func, &locations);
    }();
    if (!importError.empty())
      func.emitRemark() << "mirage-superoptimize: function left unchanged: "
                        << importError;
    if (failed(reference)) {
      if (strict)
        signalPassFailure();
      return;
    }
    // The search keeps the inputs of one fingerprint test and the outputs of
    // every test, and evaluates one graph at a time per thread beside its
    // memo: bound that before anything is allocated.
    if (failed(checkSearchMemory(func, *reference, *options)))
      return signalPassFailure();
    if (!searchMemoryError.empty())
      return;
    std::optional<::mirage::SearchCache> cache = openCache();
    std::optional<::mirage::CacheKey> key;
    if (cache) {
      key = ::mirage::CacheKey::compute(canonicalFunctionText(func),
                                        canonicalOptions(*options));
      if (succeeded(
              applyCachedResult(*cache, *key, *reference, locations, *options)))
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
    std::vector<std::string> reasons;
    if (result->best.empty()) {
      ::mirage::SearchOptions applied = *options;
      applied.applyPreset();
      applied.fitToProgram(reference->numInputs);
      // The bound the search used (derived from the program by default).
      if (result->stats.maxBlockOps != 0)
        applied.maxBlockOps = result->stats.maxBlockOps;
      reasons = whyNothingFound(*reference, applied, *result);
    }
    report(*result, reasons);
    if (!statsFile.empty() && failed(writeStats(*result, reasons)))
      return signalPassFailure();
    bool improves = !result->best.empty() && result->best.front().cost.seconds <
                                                 result->referenceCost.seconds;
    if (!improves) {
      // The function is unchanged: its graph is the one just imported.
      getAnalysis<::mirage::ImportedGraph>().record(*reference, locations);
      markAllAnalysesPreserved();
      if (cache && !result->stats.budgetExhausted)
        storeInCache(*cache, *key,
                     (kPayloadHeader + "\n" + kPayloadUnchanged + "\n").str());
      return;
    }
    // Every new op points at the user's ops it computes.
    Location replaced = ::mirage::bodyLocation(func);
    for (::mirage::Candidate &candidate : result->best)
      ::mirage::attachLocations(candidate.graph, *reference, locations,
                                replaced, seed);
    // Runners-up first, as new functions next to this one.
    OpBuilder builder(func);
    builder.setInsertionPointAfter(func);
    for (size_t i = 1; i < result->best.size(); ++i) {
      std::string name =
          (func.getSymName() + "_candidate" + std::to_string(i)).str();
      if (failed(::mirage::createFunctionFromGraph(builder, func.getLoc(), name,
                                                   result->best[i].graph,
                                                   locations, replaced)))
        return signalPassFailure();
    }
    if (failed(::mirage::replaceBodyWithGraph(func, result->best[0].graph,
                                              locations)))
      return signalPassFailure();
    recordGraph(result->best[0].graph, locations);
    if (cache && !result->stats.budgetExhausted)
      storeInCache(*cache, *key, resultPayload(result->best.size()));
  }

  /// Records `graph`, just written back as the function's body, for the
  /// next pass that needs it (Bridge/ImportedGraph.h).
  void recordGraph(const ::mirage::KernelGraph &graph,
                   const ::mirage::LocationTable &locations) {
    getAnalysis<::mirage::ImportedGraph>().record(graph, locations);
    markAnalysesPreserved<::mirage::ImportedGraph>();
  }

  /// Set when the search would need more memory than `memory-limit`.
  std::string searchMemoryError;

  /// Reports a function the search has no memory for: a remark that leaves
  /// it unchanged, or an error under `strict`.
  LogicalResult checkSearchMemory(func::FuncOp func,
                                  const ::mirage::KernelGraph &reference,
                                  ::mirage::SearchOptions &options) {
    searchMemoryError.clear();
    if (llvm::Error err = ::mirage::checkEvaluable(reference)) {
      llvm::consumeError(std::move(err)); // the search reports it
      return success();
    }
    // Bounded before anything is allocated (docs/Search.md, "Memory"):
    // with fewer threads when all of them do not fit (the result does not
    // depend on the number of threads), "too large" when one does not.
    int64_t limit = memoryLimit
                        ? ::mirage::resolveMemoryLimit(memoryLimit)
                        : ::mirage::defaultSearchMemoryLimit(
                              reference, ::mirage::resolveMemoryLimit(0));
    if (options.threads == 0)
      options.threads = std::max(1u, std::thread::hardware_concurrency());
    std::optional<int64_t> needed =
        ::mirage::searchMemoryBytes(reference, options);
    while (options.threads > 1 && (!needed || *needed > limit)) {
      --options.threads;
      needed = ::mirage::searchMemoryBytes(reference, options);
    }
    llvm::Error err = ::mirage::checkMemoryNeed(needed, limit, "search");
    if (!err)
      return success();
    searchMemoryError = llvm::toString(std::move(err));
    if (strict)
      return func.emitError() << "mirage-superoptimize: " << searchMemoryError
                              << " (option memory-limit)";
    func.emitRemark() << "mirage-superoptimize: function left unchanged: "
                      << searchMemoryError << " (option memory-limit)";
    return success();
  }

  /// The cache, unless disabled; an unusable directory is a warning and
  /// the search goes on without it.
  std::optional<::mirage::SearchCache> openCache() {
    if (!useCache)
      return std::nullopt;
    std::string directory = cacheDir.empty()
                                ? ::mirage::SearchCache::defaultDirectory()
                                : std::string(cacheDir);
    if (directory.empty())
      return std::nullopt;
    llvm::Expected<::mirage::SearchCache> cache =
        ::mirage::SearchCache::open(directory);
    if (!cache) {
      getOperation().emitWarning()
          << "mirage-superoptimize: search cache disabled: "
          << llvm::toString(cache.takeError());
      return std::nullopt;
    }
    return std::move(*cache);
  }

  void storeInCache(const ::mirage::SearchCache &cache,
                    const ::mirage::CacheKey &key, llvm::StringRef payload) {
    if (llvm::Error err = cache.store(key, payload))
      getOperation().emitWarning()
          << "mirage-superoptimize: could not record the result in the "
             "search cache: "
          << llvm::toString(std::move(err));
  }

  /// The optimized function and its runners-up, printed as one module.
  std::string resultPayload(size_t numCandidates) {
    func::FuncOp func = getOperation();
    std::string text = (kPayloadHeader + "\nmodule {\n").str();
    llvm::raw_string_ostream os(text);
    auto print = [&](Operation *op) {
      op->print(os, OpPrintingFlags().useLocalScope());
      os << "\n";
    };
    print(func);
    SymbolTable symbols(func->getParentOp());
    for (size_t i = 1; i < numCandidates; ++i)
      if (Operation *runnerUp = symbols.lookup(
              (func.getSymName() + "_candidate" + std::to_string(i)).str()))
        print(runnerUp);
    os << "}\n";
    return text;
  }

  /// Uses a cached result after checking it against `reference`; fails (and
  /// the caller searches) when there is none or it does not check out.
  LogicalResult applyCachedResult(const ::mirage::SearchCache &cache,
                                  const ::mirage::CacheKey &key,
                                  const ::mirage::KernelGraph &reference,
                                  ::mirage::LocationTable &locations,
                                  const ::mirage::SearchOptions &options) {
    func::FuncOp func = getOperation();
    ::mirage::CacheLookupStatus status;
    std::optional<std::string> payload = cache.lookup(key, &status);
    if (!payload) {
      if (status == ::mirage::CacheLookupStatus::Corrupt)
        func.emitRemark() << "mirage-superoptimize: ignoring a corrupt search "
                             "cache entry; searching again";
      return failure();
    }
    std::pair<llvm::StringRef, llvm::StringRef> split =
        llvm::StringRef(*payload).split('\n');
    llvm::StringRef header = split.first, body = split.second;
    if (header != kPayloadHeader)
      return rejectCacheEntry("unknown payload");
    if (body.trim() == kPayloadUnchanged) {
      func.emitRemark() << "mirage-superoptimize: search cache hit: no "
                           "faster μGraph; function unchanged";
      return writeCacheHitStats(reference, {}, options);
    }
    // Parse quietly: a bad entry is a reason to search, not an error.
    OwningOpRef<ModuleOp> module = [&] {
      ScopedDiagnosticHandler quiet(&getContext(),
                                    [](Diagnostic &) { return success(); });
      return parseSourceString<ModuleOp>(body, ParserConfig(&getContext()));
    }();
    if (!module)
      return rejectCacheEntry("it does not parse");
    std::vector<std::pair<std::string, ::mirage::KernelGraph>> graphs;
    for (auto cached : module->getOps<func::FuncOp>()) {
      FailureOr<::mirage::KernelGraph> graph =
          ::mirage::importKernelGraph(cached);
      if (failed(graph))
        return rejectCacheEntry("it holds an op the search cannot produce");
      // Never trust the cache: every function must match the input.
      ::mirage::EquivalenceOptions check;
      check.seed = seed;
      llvm::Expected<::mirage::EquivalenceResult> same =
          ::mirage::checkEquivalence(reference, *graph, check);
      if (!same || !same->equivalent) {
        if (!same)
          llvm::consumeError(same.takeError());
        return rejectCacheEntry("it is not equivalent to the function");
      }
      graphs.emplace_back(cached.getSymName().str(), std::move(*graph));
    }
    if (graphs.empty() || graphs.front().first != func.getSymName())
      return rejectCacheEntry("it does not hold this function");
    // The cache holds no locations: the ops point at the user's ops they
    // compute, as after a search.
    Location replaced = ::mirage::bodyLocation(func);
    for (auto &[name, graph] : graphs)
      ::mirage::attachLocations(graph, reference, locations, replaced, seed);
    OpBuilder builder(func);
    builder.setInsertionPointAfter(func);
    for (size_t i = 1; i < graphs.size(); ++i)
      if (failed(::mirage::createFunctionFromGraph(
              builder, func.getLoc(), graphs[i].first, graphs[i].second,
              locations, replaced)))
        return failure();
    if (failed(::mirage::replaceBodyWithGraph(func, graphs.front().second,
                                              locations)))
      return failure();
    recordGraph(graphs.front().second, locations);
    func.emitRemark() << "mirage-superoptimize: search cache hit: result "
                         "re-verified by fingerprints and reused";
    std::vector<::mirage::KernelGraph> kept;
    for (auto &[name, graph] : graphs)
      kept.push_back(std::move(graph));
    return writeCacheHitStats(reference, kept, options);
  }

  /// On a cache hit the statistics file is written too: no search ran, so
  /// its counters are 0; the predicted times are the cost model's for the
  /// input and the cached μGraphs.
  LogicalResult writeCacheHitStats(const ::mirage::KernelGraph &reference,
                                   llvm::ArrayRef<::mirage::KernelGraph> kept,
                                   const ::mirage::SearchOptions &options) {
    if (statsFile.empty())
      return success();
    ::mirage::SearchResult result;
    result.referenceCost = ::mirage::estimateCost(reference, options.gpu);
    for (const ::mirage::KernelGraph &graph : kept)
      result.best.push_back(
          {graph, ::mirage::estimateCost(graph, options.gpu)});
    std::vector<std::string> reasons;
    if (kept.empty())
      reasons.push_back("a search cache hit: an earlier search with these "
                        "options found no faster μGraph (cache=false "
                        "searches again)");
    if (failed(writeStats(result, reasons, /*cacheHit=*/true))) {
      signalPassFailure();
      return success(); // the cached result is applied all the same
    }
    return success();
  }

  LogicalResult rejectCacheEntry(llvm::StringRef why) {
    getOperation().emitRemark()
        << "mirage-superoptimize: ignoring a search cache entry (" << why
        << "); searching again";
    return failure();
  }

  void report(const ::mirage::SearchResult &result,
              llvm::ArrayRef<std::string> reasons) {
    const ::mirage::SearchStats &s = result.stats;
    auto remark = getOperation().emitRemark();
    remark << "mirage-superoptimize: " << s.statesVisited
           << " states visited, pruned " << s.prunedAbstractExpr
           << " by abstract expressions, " << s.prunedShape << " by shape, "
           << s.prunedSharedMemory << " by shared memory, " << s.prunedCanonical
           << " by canonical order, " << s.prunedCost << " by cost; "
           << s.candidatesVerified << " candidates verified, "
           << s.candidatesFound
           << " equivalent; max-block-ops=" << s.maxBlockOps << "; "
           << llvm::formatv("{0:f2}", s.seconds) << " s";
    if (s.budgetExhausted)
      remark << " (time budget exhausted: best found so far)";
    remark << llvm::formatv("; predicted {0:f2} us -> ",
                            result.referenceCost.seconds * 1e6);
    if (result.best.empty())
      remark << "no equivalent candidate found, function unchanged: "
             << llvm::join(reasons, "; ");
    else
      remark << llvm::formatv(
          "{0:f2} us ({1:f2}x)", result.best[0].cost.seconds * 1e6,
          result.referenceCost.seconds / result.best[0].cost.seconds);
  }

  /// Writes the statistics file (docs/Search.md, "Statistics"): every
  /// statistic, the function, the predicted times, whether the result came
  /// from the cache and, when nothing faster was found, why.
  LogicalResult writeStats(const ::mirage::SearchResult &result,
                           llvm::ArrayRef<std::string> reasons,
                           bool cacheHit = false) {
    llvm::json::Object root = ::mirage::searchStatsToJSON(result.stats);
    root["function"] = getOperation().getSymName().str();
    root["reference_seconds"] = result.referenceCost.seconds;
    root["cache_hit"] = cacheHit;
    llvm::json::Array best;
    for (const ::mirage::Candidate &c : result.best)
      best.push_back(llvm::json::Object{
          {"predicted_seconds", c.cost.seconds},
          {"kernels", static_cast<int64_t>(c.cost.kernels.size())}});
    root["best"] = std::move(best);
    llvm::json::Array why;
    for (const std::string &reason : reasons)
      why.push_back(reason);
    root["not_found_reasons"] = std::move(why);
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
