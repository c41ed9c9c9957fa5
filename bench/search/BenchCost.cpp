//===- BenchCost.cpp - Price μGraphs with the cost model ------------------===//
//
// mirage-bench-cost FILE [--gpu=h100|h200]: prints, for every function of
// FILE, the cost model's predicted time (docs/CostModel.md) as one JSON
// object per line: {"function", "predicted_seconds", "kernels" (launches),
// "kernel_seconds" (per launch)}. The same model, GPU and calibration
// (MIRAGE_GPU_CALIBRATION) as --mirage-superoptimize, so the figures compare
// with its statistics; bench/search/run_search_bench.py prices the μGraphs
// imported from Mirage with it.
//
//===----------------------------------------------------------------------===//

#include "Mirage/Bridge/UGraphImport.h"
#include "Mirage/InitMirage.h"
#include "Mirage/Search/Calibration.h"
#include "Mirage/Search/CostModel.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  llvm::cl::opt<std::string> input(llvm::cl::Positional,
                                   llvm::cl::desc("<input .mlir>"),
                                   llvm::cl::Required);
  llvm::cl::opt<std::string> gpu("gpu",
                                 llvm::cl::desc("Cost-model parameters: h100 "
                                                "or h200"),
                                 llvm::cl::init("h100"));
  llvm::cl::ParseCommandLineOptions(argc, argv,
                                    "Predicted time of every function\n");
  std::optional<mirage::GpuParams> params = mirage::gpuParamsByName(gpu);
  if (!params) {
    llvm::errs() << "error: unknown gpu '" << gpu << "' (h100 or h200)\n";
    return 1;
  }
  if (const char *path = std::getenv(mirage::kGpuCalibrationEnv)) {
    llvm::Expected<mirage::GpuCalibration> measured =
        mirage::loadGpuCalibration(path);
    llvm::Error error = measured
                            ? mirage::applyGpuCalibration(*measured, *params)
                            : measured.takeError();
    if (error) {
      llvm::errs() << "error: " << llvm::toString(std::move(error)) << "\n";
      return 1;
    }
  }
  mlir::DialectRegistry registry;
  mirage::registerMirageDialects(registry);
  mlir::MLIRContext context(registry);
  context.loadAllAvailableDialects();
  llvm::SourceMgr sourceMgr;
  mlir::SourceMgrDiagnosticHandler handler(sourceMgr, &context);
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceFile<mlir::ModuleOp>(input, sourceMgr,
                                            mlir::ParserConfig(&context));
  if (!module)
    return 1;
  for (auto func : module->getOps<mlir::func::FuncOp>()) {
    mlir::FailureOr<mirage::KernelGraph> graph =
        mirage::importKernelGraph(func);
    if (failed(graph))
      return 1;
    mirage::ProgramCost cost = mirage::estimateCost(*graph, *params);
    llvm::json::Array kernelSeconds;
    for (const mirage::KernelCost &kernel : cost.kernels)
      kernelSeconds.push_back(kernel.seconds);
    llvm::json::Object line{
        {"function", func.getSymName()},
        {"predicted_seconds", cost.seconds},
        {"kernels", static_cast<int64_t>(cost.kernels.size())},
        {"kernel_seconds", std::move(kernelSeconds)}};
    llvm::outs() << llvm::json::Value(std::move(line)) << "\n";
  }
  return 0;
}
