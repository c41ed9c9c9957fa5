//===- BenchSemantics.cpp - Speed of one fingerprint test -----------------===//
//
// Measures one fingerprint evaluation (the verifier's unit of work) of the
// hand-written μGraphs at their real shapes, built directly as compact
// KernelGraphs by importing examples/ugraphs/*.mlir. Inputs are generated
// once per graph (the search reuses them across candidates) and timed
// separately. Prints JSON; `--output FILE` also writes it there.
//
//===----------------------------------------------------------------------===//

#include "Mirage/Bridge/UGraphImport.h"
#include "Mirage/InitMirage.h"
#include "Mirage/Semantics/Interpreter.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>
#include <thread>

using namespace mlir;

static llvm::cl::opt<std::string> sourceDir("source-dir",
                                            llvm::cl::desc("repository root"),
                                            llvm::cl::init("."));
static llvm::cl::opt<std::string>
    outputFile("output", llvm::cl::desc("JSON file"), llvm::cl::init(""));
static llvm::cl::opt<unsigned> runs("runs", llvm::cl::desc("timed runs"),
                                    llvm::cl::init(7));

static double seconds(std::chrono::steady_clock::time_point a,
                      std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

static std::string cpuModel() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("model name", 0) == 0)
      return line.substr(line.find(':') + 2);
  return "unknown";
}

int main(int argc, char **argv) {
  llvm::cl::ParseCommandLineOptions(argc, argv, "fingerprint benchmark\n");
  DialectRegistry registry;
  mirage::registerMirageDialects(registry);
  MLIRContext context(registry);
  context.loadAllAvailableDialects();
  std::string json = "{\n";
  std::time_t now = std::time(nullptr);
  char date[32];
  std::strftime(date, sizeof(date), "%Y-%m-%d", std::gmtime(&now));
  json += "  \"date\": \"" + std::string(date) + "\",\n";
  json += "  \"machine\": {\"cpu\": \"" + cpuModel() + "\", \"cores\": " +
          std::to_string(std::max(1u, std::thread::hardware_concurrency())) +
          ", \"threads_used\": 1},\n";
  json += "  \"unit\": \"ms\",\n  \"statistic\": \"median of " +
          std::to_string(runs) + " runs\",\n  \"benchmarks\": [\n";
  const char *files[] = {"rmsnorm_matmul", "mqa_flash_decoding"};
  for (unsigned f = 0; f < 2; ++f) {
    std::string path = sourceDir + "/examples/ugraphs/" + files[f] + ".mlir";
    OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(path, &context);
    if (!module) {
      llvm::errs() << "cannot parse " << path << "\n";
      return 1;
    }
    auto func = *module->getOps<func::FuncOp>().begin();
    FailureOr<mirage::KernelGraph> graph = mirage::importKernelGraph(func);
    if (failed(graph))
      return 1;
    auto t0 = std::chrono::steady_clock::now();
    std::vector<mirage::Tensor> inputs =
        mirage::randomInputs(*graph, mirage::NumberSystem::Field, 1);
    auto t1 = std::chrono::steady_clock::now();
    std::vector<double> times;
    for (unsigned r = 0; r < runs; ++r) {
      auto a = std::chrono::steady_clock::now();
      auto result =
          mirage::evaluate(*graph, mirage::NumberSystem::Field, inputs);
      auto b = std::chrono::steady_clock::now();
      if (!result) {
        llvm::errs() << llvm::toString(result.takeError()) << "\n";
        return 1;
      }
      times.push_back(seconds(a, b) * 1e3);
    }
    std::sort(times.begin(), times.end());
    char entry[512];
    std::snprintf(entry, sizeof(entry),
                  "    {\"name\": \"%s\", \"fingerprint_test_ms\": %.2f, "
                  "\"min_ms\": %.2f, \"max_ms\": %.2f, "
                  "\"input_generation_ms\": %.2f, \"target_ms\": 50}%s\n",
                  files[f], times[times.size() / 2], times.front(),
                  times.back(), seconds(t0, t1) * 1e3, f == 0 ? "," : "");
    json += entry;
  }
  json += "  ]\n}\n";
  llvm::outs() << json;
  if (!outputFile.empty()) {
    std::error_code ec;
    llvm::raw_fd_ostream os(outputFile, ec);
    if (ec) {
      llvm::errs() << "cannot write " << outputFile << "\n";
      return 1;
    }
    os << json;
  }
  return 0;
}
