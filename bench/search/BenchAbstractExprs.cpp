//===- BenchAbstractExprs.cpp - Speed of the abstract-expression pruner ---===//
//
// For every example program: the time to saturate its output expressions
// (median of several runs), the saturated e-graph's size, and the median
// latency of one pruning query over many real intermediate expressions:
// the values of the target itself, the values of its hand-written μGraph
// where there is one, every factor split of every sum in them (the
// partial sums a μGraph computes), and pruned variants of each value.
//
// Usage: mirage-bench-abstract [--output FILE] EXAMPLES_DIR
//
//===----------------------------------------------------------------------===//

#include "Mirage/InitMirage.h"
#include "Mirage/Search/AbstractPruner.h"
#include "Mirage/Transforms/AbstractExprAnalysis.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <thread>

using namespace mlir;
using namespace mirage;
using Clock = std::chrono::steady_clock;

static double secondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

static double median(std::vector<double> values) {
  if (values.empty())
    return 0;
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

/// Rounds to 3 decimals, for a readable JSON file.
static double round3(double value) { return std::round(value * 1e3) / 1e3; }

static std::string cpuModel() {
  auto buffer = llvm::MemoryBuffer::getFileAsStream("/proc/cpuinfo");
  if (!buffer)
    return "unknown";
  llvm::SmallVector<llvm::StringRef> lines;
  (*buffer)->getBuffer().split(lines, '\n');
  for (llvm::StringRef line : lines)
    if (line.starts_with("model name"))
      return line.split(':').second.trim().str();
  return "unknown";
}

static func::FuncOp firstFunc(ModuleOp module) {
  auto funcs = module.getOps<func::FuncOp>();
  return funcs.empty() ? func::FuncOp() : *funcs.begin();
}

/// The candidate expressions queried against a target: the given values,
/// every factor split of every sum in them, and variants that must be
/// pruned.
static std::vector<ExprId> candidates(AbstractExprBuilder &b,
                                      llvm::ArrayRef<ExprId> values) {
  std::vector<ExprId> result;
  ExprPool &pool = b.getPool();
  ExprId unrelated = b.var(99);
  for (ExprId value : values) {
    result.push_back(value);
    const ENode node = pool.node(value);
    if (node.op == op(AbsOp::Sum)) {
      auto n = static_cast<int64_t>(node.payload);
      for (int64_t j = 2; j < n; j *= 2)
        if (n % j == 0)
          result.push_back(b.sum(j, b.sum(n / j, node.children[0])));
    }
    result.push_back(b.unary(AbsOp::Exp, value));
    result.push_back(b.mul(value, unrelated));
    result.push_back(b.sum(3, value));
  }
  return result;
}

int main(int argc, char **argv) {
  std::string output;
  std::string examplesDir;
  const char *usage =
      "usage: mirage-bench-abstract [--output FILE] EXAMPLES_DIR\n"
      "Saturates the abstract expressions of every example's outputs and "
      "times queries\nof its intermediate values; prints (or writes to FILE) "
      "the results as JSON.\n";
  for (int i = 1; i < argc; ++i) {
    llvm::StringRef arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      llvm::outs() << usage;
      return 0;
    }
    if (arg == "--output" && i + 1 < argc)
      output = argv[++i];
    else if (arg.starts_with("-") || !examplesDir.empty()) {
      llvm::errs() << "mirage-bench-abstract: unexpected argument '" << arg
                   << "'\n"
                   << usage;
      return 2;
    } else
      examplesDir = arg.str();
  }
  if (examplesDir.empty()) {
    llvm::errs() << usage;
    return 2;
  }
  if (!llvm::sys::fs::is_directory(examplesDir)) {
    llvm::errs() << "mirage-bench-abstract: '" << examplesDir
                 << "' is not a directory\n";
    return 1;
  }

  DialectRegistry registry;
  registry.insert<func::FuncDialect>();
  registerMirageDialects(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();

  std::vector<std::string> files;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(examplesDir, ec), end;
       it != end && !ec; it.increment(ec))
    if (llvm::sys::path::extension(it->path()) == ".mlir")
      files.push_back(it->path());
  std::sort(files.begin(), files.end());

  llvm::json::Array results;
  RunnerLimits limits = defaultPrunerLimits();
  for (const std::string &file : files) {
    OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(file, &context);
    func::FuncOp func = module ? firstFunc(*module) : func::FuncOp();
    if (!func) {
      llvm::errs() << "skipping " << file << "\n";
      continue;
    }
    std::string name = llvm::sys::path::stem(file).str();
    ExprPool pool;
    AbstractExprBuilder builder(pool);
    FailureOr<FunctionAbstractExprs> target =
        computeAbstractExprs(func, builder);
    if (failed(target))
      continue;

    // Saturation: median of 5 runs.
    std::vector<double> saturation;
    std::optional<AbstractPruner> pruner;
    for (int run = 0; run < 5; ++run) {
      Clock::time_point start = Clock::now();
      pruner.emplace(builder, target->exprs.outputs, limits);
      saturation.push_back(secondsSince(start));
    }

    // Query inputs: the target's values, and its μGraph's where there is one.
    std::vector<ExprId> values(target->exprs.values.begin(),
                               target->exprs.values.end());
    std::string ugraphFile =
        (llvm::Twine(examplesDir) + "/ugraphs/" +
         (name == "mqa" ? "mqa_flash_decoding" : name) + ".mlir")
            .str();
    OwningOpRef<ModuleOp> ugraphModule;
    bool hasUGraph = llvm::sys::fs::exists(ugraphFile);
    if (hasUGraph) {
      ugraphModule = parseSourceFile<ModuleOp>(ugraphFile, &context);
      if (func::FuncOp ugraph =
              ugraphModule ? firstFunc(*ugraphModule) : func::FuncOp()) {
        FailureOr<FunctionAbstractExprs> exprs =
            computeAbstractExprs(ugraph, builder);
        if (succeeded(exprs)) {
          values.insert(values.end(), exprs->exprs.values.begin(),
                        exprs->exprs.values.end());
          for (const std::vector<ExprId> &block : exprs->exprs.blockValues)
            values.insert(values.end(), block.begin(), block.end());
        }
      }
    }
    std::vector<ExprId> queries = candidates(builder, values);

    // Cold latency: each query canonicalizes its whole expression DAG, in
    // batches of 200 repetitions; the median over the queries.
    constexpr int kRepeat = 200;
    std::vector<double> cold;
    size_t passed = 0;
    for (ExprId query : queries) {
      QueryResult result = QueryResult::Pass;
      Clock::time_point start = Clock::now();
      for (int r = 0; r < kRepeat; ++r)
        result = pruner->queryUncached(query);
      cold.push_back(secondsSince(start) / kRepeat);
      passed += result == QueryResult::Pass;
    }
    // Incremental latency: the search's pattern, memoized per ExprId, so a
    // new op costs one lookup once its operands were queried.
    Clock::time_point start = Clock::now();
    for (ExprId query : queries)
      pruner->query(query);
    double memoized = secondsSince(start) / queries.size();

    const RunReport &report = pruner->report();
    llvm::json::Object entry{
        {"example", name},
        {"saturation_ms", round3(median(saturation) * 1e3)},
        {"stop", stopReasonName(report.stop)},
        {"iterations", report.iterations},
        {"nodes", static_cast<int64_t>(report.nodes)},
        {"classes", static_cast<int64_t>(report.classes)},
        {"queries", static_cast<int64_t>(queries.size())},
        {"queries_passed", static_cast<int64_t>(passed)},
        {"with_ugraph", hasUGraph},
        {"median_query_us", round3(median(cold) * 1e6)},
        {"max_query_us",
         round3(*std::max_element(cold.begin(), cold.end()) * 1e6)},
        {"first_memoized_query_us", round3(memoized * 1e6)},
    };
    llvm::errs() << llvm::format(
        "%-16s saturation %8.2f ms  %-15s %2u it %6zu nodes %5zu classes  "
        "median query %6.3f us (%zu queries, %zu pass)\n",
        name.c_str(), median(saturation) * 1e3,
        stopReasonName(report.stop).str().c_str(), report.iterations,
        report.nodes, report.classes, median(cold) * 1e6, queries.size(),
        passed);
    results.push_back(std::move(entry));
  }

  char date[32];
  std::time_t now = std::time(nullptr);
  std::strftime(date, sizeof(date), "%Y-%m-%d", std::gmtime(&now));
  llvm::json::Object root{
      {"benchmark", "abstract-exprs"},
      {"command", "build/bin/mirage-bench-abstract --output "
                  "bench/results/abstract-exprs.json examples"},
      {"date", date},
      {"machine",
       llvm::json::Object{
           {"cpu", cpuModel()},
           {"cores", static_cast<int64_t>(std::thread::hardware_concurrency())},
       }},
      {"limits",
       llvm::json::Object{
           {"nodes", static_cast<int64_t>(limits.nodeLimit)},
           {"iterations", limits.iterationLimit},
           {"seconds", limits.timeLimitSeconds},
       }},
      {"targets", "saturation under 1000 ms and median query under "
                  "5 us for rmsnorm_matmul and gqa"},
      {"results", std::move(results)},
  };
  std::string text;
  llvm::raw_string_ostream os(text);
  os << llvm::formatv("{0:2}", llvm::json::Value(std::move(root))) << "\n";
  if (output.empty()) {
    llvm::outs() << text;
    return 0;
  }
  std::error_code writeError;
  llvm::raw_fd_ostream file(output, writeError);
  if (writeError) {
    llvm::errs() << "cannot write " << output << ": " << writeError.message()
                 << "\n";
    return 1;
  }
  file << text;
  return 0;
}
