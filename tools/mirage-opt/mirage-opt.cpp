//===- mirage-opt.cpp - The Mirage-MLIR optimizer driver --------*- C++ -*-===//
//
// mlir-opt with every upstream dialect, pass and LLVM IR translation, plus
// the μGraph dialects (kernel, block, thread) and the --mirage-* passes.
// Unlike mlir-opt it refuses, with a diagnostic, input that nests brackets
// so deep that MLIR's recursive parser would overflow its stack
// (Mirage/Support/InputNesting.h).
//
//===----------------------------------------------------------------------===//

#include "Mirage/InitMirage.h"
#include "Mirage/Support/InputNesting.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  mlir::registerAllPasses();
  mirage::registerMiragePasses();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::registerAllToLLVMIRTranslations(registry);
  mirage::registerMirageDialects(registry);

  auto [inputFilename, outputFilename] = mlir::registerAndParseCLIOptions(
      argc, argv,
      "Mirage-MLIR optimizer: μGraph dialects (kernel, block, thread) and "
      "the --mirage-* passes on top of every upstream MLIR dialect and pass\n",
      registry);
  mlir::MlirOptMainConfig config =
      mlir::MlirOptMainConfig::createFromCLOptions();
  // Listing dialects or passes reads no input.
  if (config.shouldShowDialects() || config.shouldListPasses())
    return mlir::asMainReturnCode(
        mlir::MlirOptMain(argc, argv, inputFilename, outputFilename, registry));

  std::string message;
  std::unique_ptr<llvm::MemoryBuffer> input =
      mlir::openInputFile(inputFilename, &message);
  if (!input) {
    llvm::errs() << message << "\n";
    return EXIT_FAILURE;
  }
  if (std::optional<mirage::NestingViolation> deep =
          mirage::findExcessiveNesting(input->getBuffer())) {
    llvm::errs() << input->getBufferIdentifier() << ":" << deep->line << ":"
                 << deep->column << ": error: brackets nest more than "
                 << mirage::kMaxInputNesting
                 << " levels deep here; MLIR's parser would overflow its "
                    "stack\n";
    return EXIT_FAILURE;
  }
  // The output file is kept only when everything succeeded: no partial
  // output.
  std::unique_ptr<llvm::ToolOutputFile> output =
      mlir::openOutputFile(outputFilename, &message);
  if (!output) {
    llvm::errs() << message << "\n";
    return EXIT_FAILURE;
  }
  if (mlir::failed(
          mlir::MlirOptMain(output->os(), std::move(input), registry, config)))
    return EXIT_FAILURE;
  output->keep();
  return EXIT_SUCCESS;
}
