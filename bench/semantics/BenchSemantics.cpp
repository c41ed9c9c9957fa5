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
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <ctime>
#include <fstream>
#include <thread>
#include <time.h>

using namespace mlir;

static llvm::cl::OptionCategory benchCategory("mirage-bench-semantics options");
static llvm::cl::opt<std::string> sourceDir("source-dir",
                                            llvm::cl::desc("repository root"),
                                            llvm::cl::init("."),
                                            llvm::cl::cat(benchCategory));
static llvm::cl::opt<std::string> outputFile("output",
                                             llvm::cl::desc("JSON file"),
                                             llvm::cl::init(""),
                                             llvm::cl::cat(benchCategory));
static llvm::cl::opt<unsigned> runs("runs", llvm::cl::desc("timed runs"),
                                    llvm::cl::init(7),
                                    llvm::cl::cat(benchCategory));
static llvm::cl::opt<std::string>
    only("only", llvm::cl::desc("run only the μGraph of this name"),
         llvm::cl::init(""), llvm::cl::cat(benchCategory));
static llvm::cl::opt<bool> printHashes(
    "hashes",
    llvm::cl::desc("also print a hash of the outputs of one field and one "
                   "float evaluation (to check that results do not change)"),
    llvm::cl::init(false), llvm::cl::cat(benchCategory));

/// FNV-1a over the bits of every output.
static uint64_t hashOutputs(const std::vector<mirage::Tensor> &outputs) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (const mirage::Tensor &t : outputs)
    for (float v : t.data) {
      uint32_t bits;
      std::memcpy(&bits, &v, sizeof(bits));
      for (unsigned b = 0; b < 4; ++b) {
        h ^= (bits >> (8 * b)) & 0xff;
        h *= 0x100000001b3ULL;
      }
    }
  return h;
}

static double seconds(std::chrono::steady_clock::time_point a,
                      std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

/// CPU time of this thread: unlike wall time, it does not count time the
/// thread waited for a core on a shared machine.
static double threadCpuSeconds() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) +
         1e-9 * static_cast<double>(ts.tv_nsec);
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
  llvm::cl::HideUnrelatedOptions(benchCategory);
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
  std::string command = "mirage-bench-semantics";
  for (int i = 1; i < argc; ++i)
    command += std::string(" ") + argv[i];
  json += "  \"command\": \"" + command + "\",\n";
  json += "  \"unit\": \"ms\",\n  \"statistic\": \"median of " +
          std::to_string(runs) +
          " runs (wall clock; cpu_ms: the thread's CPU time)\",\n"
          "  \"benchmarks\": [\n";
  const char *files[] = {"rmsnorm_matmul", "mqa_flash_decoding"};
  std::string separator;
  for (unsigned f = 0; f < 2; ++f) {
    if (!only.empty() && only != files[f])
      continue;
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
    std::vector<double> times, cpuTimes;
    for (unsigned r = 0; r < runs; ++r) {
      double cpuA = threadCpuSeconds();
      auto a = std::chrono::steady_clock::now();
      auto result =
          mirage::evaluate(*graph, mirage::NumberSystem::Field, inputs);
      auto b = std::chrono::steady_clock::now();
      cpuTimes.push_back((threadCpuSeconds() - cpuA) * 1e3);
      if (!result) {
        llvm::errs() << llvm::toString(result.takeError()) << "\n";
        return 1;
      }
      times.push_back(seconds(a, b) * 1e3);
    }
    std::sort(times.begin(), times.end());
    std::sort(cpuTimes.begin(), cpuTimes.end());
    if (printHashes) {
      for (mirage::NumberSystem system :
           {mirage::NumberSystem::Field, mirage::NumberSystem::Float}) {
        auto result = mirage::evaluate(*graph, system,
                                       mirage::randomInputs(*graph, system, 1));
        if (!result) {
          llvm::errs() << llvm::toString(result.takeError()) << "\n";
          return 1;
        }
        llvm::errs() << files[f]
                     << (system == mirage::NumberSystem::Field ? " field "
                                                               : " float ")
                     << llvm::format_hex(hashOutputs(result->outputs), 18)
                     << "\n";
      }
    }
    char entry[512];
    std::snprintf(entry, sizeof(entry),
                  "    {\"name\": \"%s\", \"fingerprint_test_ms\": %.2f, "
                  "\"min_ms\": %.2f, \"max_ms\": %.2f, "
                  "\"cpu_ms\": %.2f, "
                  "\"input_generation_ms\": %.2f, \"target_ms\": 50}",
                  files[f], times[times.size() / 2], times.front(),
                  times.back(), cpuTimes[cpuTimes.size() / 2],
                  seconds(t0, t1) * 1e3);
    json += separator + entry;
    separator = ",\n";
  }
  json += "\n  ]\n}\n";
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
