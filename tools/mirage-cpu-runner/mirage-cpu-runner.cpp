//===- mirage-cpu-runner.cpp - Run a μGraph on the CPU and check it ------===//
//
// Lowers a function through --mirage-to-cpu, JIT-compiles it, runs it on the
// seeded inputs of the reference interpreter and compares every output with
// what the interpreter computes for the same function (or for another one,
// --reference). docs/Lowering.md, "CPU mapping and the CPU runner".
//
//===----------------------------------------------------------------------===//

#include "HostArguments.h"

#include "Mirage/Bridge/UGraphImport.h"
#include "Mirage/Conversion/Passes.h"
#include "Mirage/InitMirage.h"
#include "Mirage/Semantics/Interpreter.h"
#include "Mirage/Support/MemoryLimit.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Support/Timing.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"

#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

using namespace mlir;
namespace cl = llvm::cl;

namespace {

cl::OptionCategory runnerCategory("mirage-cpu-runner options");

cl::opt<std::string> inputFilename(cl::Positional,
                                   cl::desc("<kernel-level .mlir file>"),
                                   cl::init("-"), cl::cat(runnerCategory));
cl::opt<std::string> entryName("entry", cl::desc("Function to run"),
                               cl::cat(runnerCategory));
cl::opt<std::string> referenceName(
    "reference",
    cl::desc("Function the interpreter runs for the expected outputs (default: "
             "the entry); it must have the entry's type"),
    cl::cat(runnerCategory));
cl::opt<uint64_t>
    seed("seed",
         cl::desc("Seed of the random inputs (as --mirage-interpret's seed)"),
         cl::init(0), cl::cat(runnerCategory));
cl::opt<double>
    inputScale("input-scale",
               cl::desc("Random inputs are uniform in [-scale, scale) (as "
                        "--mirage-interpret's input-scale)"),
               cl::init(1.0), cl::cat(runnerCategory));
cl::opt<double> rtol("rtol",
                     cl::desc("Relative tolerance: |got - expected| <= atol + "
                              "rtol * |expected|"),
                     cl::init(2e-2), cl::cat(runnerCategory));
cl::opt<double> atol("atol", cl::desc("Absolute tolerance"), cl::init(2e-2),
                     cl::cat(runnerCategory));
cl::opt<unsigned> optLevel("opt-level",
                           cl::desc("LLVM optimization level of the JIT (0-3)"),
                           cl::init(2), cl::cat(runnerCategory));
cl::opt<uint64_t> memoryLimit(
    "memory-limit",
    cl::desc("Bytes the inputs, outputs, workspace and the interpreter may "
             "use; 0: three quarters of the machine's memory (physical, or its "
             "cgroup "
             "limit when smaller)"),
    cl::init(0), cl::cat(runnerCategory));
cl::opt<bool> dumpLLVM("dump-llvm",
                       cl::desc("Print the optimized LLVM IR before running"),
                       cl::init(false), cl::cat(runnerCategory));

/// Reports a failure that has no source location and returns the exit code
/// of errors (distinct from 1, a failed comparison).
int fail(const llvm::Twine &message) {
  llvm::errs() << "mirage-cpu-runner: error: " << message << "\n";
  return 2;
}

/// The function `name` of `module`, or an error.
FailureOr<func::FuncOp> lookupFunction(ModuleOp module, StringRef option,
                                       StringRef name) {
  Operation *symbol = module.lookupSymbol(name);
  if (!symbol) {
    fail("--" + option + ": no function named '" + name + "' in '" +
         inputFilename.getValue() + "'");
    return failure();
  }
  auto func = dyn_cast<func::FuncOp>(symbol);
  if (!func || func.isExternal())
    return symbol->emitError() << "--" << option << ": '" << name
                               << "' is not a function with a body";
  return func;
}

/// The calling convention that --mirage-to-cpu recorded on the lowered
/// function (`mirage.structured`), checked against the kernel-level type.
struct LoweredSignature {
  int64_t workspaceBytes = 0;
};

FailureOr<LoweredSignature> readSignature(ModuleOp lowered,
                                          func::FuncOp original) {
  auto func = lowered.lookupSymbol<LLVM::LLVMFuncOp>(original.getSymName());
  auto abi =
      func ? func->getAttrOfType<DictionaryAttr>("mirage.structured") : nullptr;
  auto numInputs = abi ? abi.getAs<IntegerAttr>("num_inputs") : nullptr;
  auto numOutputs = abi ? abi.getAs<IntegerAttr>("num_outputs") : nullptr;
  auto workspace = abi ? abi.getAs<IntegerAttr>("workspace_bytes") : nullptr;
  if (!numInputs || !numOutputs || !workspace || workspace.getInt() < 0)
    return original.emitError()
           << "the lowered function carries no valid 'mirage.structured' "
              "calling convention";
  FunctionType type = original.getFunctionType();
  if (numInputs.getInt() != type.getNumInputs() ||
      numOutputs.getInt() != type.getNumResults())
    return original.emitError()
           << "the lowered function takes " << numInputs.getInt()
           << " inputs and " << numOutputs.getInt() << " outputs, the "
           << "function has type " << type;
  return LoweredSignature{workspace.getInt()};
}

/// Lowers a clone of `func` (alone in a module) to the LLVM dialect.
OwningOpRef<ModuleOp> lowerToLLVM(func::FuncOp func, TimingScope &timing) {
  OwningOpRef<ModuleOp> lowered = ModuleOp::create(func.getLoc());
  lowered->push_back(func.clone());
  PassManager pm(func.getContext());
  if (failed(applyPassManagerCLOptions(pm)))
    return nullptr;
  pm.enableTiming(timing);
  pm.addPass(::mirage::createToCPU());
  if (failed(pm.run(*lowered)))
    return nullptr;
  return lowered;
}

/// JIT-compiles `module` for the host.
llvm::Expected<std::unique_ptr<ExecutionEngine>> compile(ModuleOp module) {
  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder)
    return builder.takeError();
  builder->setCodeGenOptLevel(optLevel == 0   ? llvm::CodeGenOptLevel::None
                              : optLevel == 1 ? llvm::CodeGenOptLevel::Less
                              : optLevel == 2
                                  ? llvm::CodeGenOptLevel::Default
                                  : llvm::CodeGenOptLevel::Aggressive);
  auto machine = builder->createTargetMachine();
  if (!machine)
    return machine.takeError();
  auto optimize =
      makeOptimizingTransformer(optLevel, /*sizeLevel=*/0, machine->get());
  auto transform = [&](llvm::Module *llvmModule) -> llvm::Error {
    if (llvm::Error err = optimize(llvmModule))
      return err;
    if (dumpLLVM)
      llvmModule->print(llvm::outs(), nullptr);
    return llvm::Error::success();
  };
  ExecutionEngineOptions options;
  options.transformer = transform;
  return ExecutionEngine::create(module, options, std::move(*machine));
}

/// How one output of the compiled code compares with the interpreter's.
struct Comparison {
  double maxAbsError = 0;
  double maxRelError = 0;
  /// The largest finite |expected| value.
  double maxExpected = 0;
  int64_t numMismatches = 0;
  /// Expected values that are infinite or NaN: they must match exactly,
  /// and an output made of them checks little (lower --input-scale).
  int64_t numNonFinite = 0;
  /// The first element outside the tolerance (row-major), its values.
  int64_t firstMismatch = -1;
  double got = 0;
  double want = 0;
};

/// Whether `got` is within the tolerance of `want`: numpy's isclose
/// (|got - want| <= atol + rtol |want|), where infinities must be equal and
/// NaN matches only NaN (an output the code never wrote stays NaN).
bool isClose(double got, double want) {
  if (std::isnan(want) || std::isnan(got))
    return std::isnan(want) && std::isnan(got);
  if (std::isinf(want) || std::isinf(got))
    return got == want;
  return std::fabs(got - want) <= atol + rtol * std::fabs(want);
}

Comparison compare(const ::mirage::Tensor &got, const ::mirage::Tensor &want) {
  Comparison cmp;
  for (int64_t i = 0, e = want.numElements(); i < e; ++i) {
    double g = got.data[i], w = want.data[i];
    cmp.numNonFinite += !std::isfinite(w);
    if (std::isfinite(w))
      cmp.maxExpected = std::max(cmp.maxExpected, std::fabs(w));
    if (std::isfinite(g) && std::isfinite(w)) {
      double error = std::fabs(g - w);
      cmp.maxAbsError = std::max(cmp.maxAbsError, error);
      if (w != 0)
        cmp.maxRelError = std::max(cmp.maxRelError, error / std::fabs(w));
    }
    if (isClose(g, w))
      continue;
    if (cmp.numMismatches++ == 0) {
      cmp.firstMismatch = i;
      cmp.got = g;
      cmp.want = w;
    }
  }
  return cmp;
}

/// The multi-index of the row-major element `flat` of `shape`, as "i, j".
std::string formatIndex(llvm::ArrayRef<int64_t> shape, int64_t flat) {
  SmallVector<int64_t> index(shape.size());
  for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
    index[d] = flat % shape[d];
    flat /= shape[d];
  }
  std::string text;
  llvm::raw_string_ostream os(text);
  llvm::interleaveComma(index, os);
  return text;
}

void printSummary(unsigned index, const ::mirage::Tensor &want,
                  const Comparison &cmp) {
  llvm::raw_ostream &os = llvm::outs();
  os << "output " << index << ": tensor<" << ::mirage::formatShape(want.shape)
     << "x" << ::mirage::dtypeName(want.dtype) << ">"
     << llvm::format(": max abs error %.3g, max rel error %.3g, max |expected| "
                     "%.3g; ",
                     cmp.maxAbsError, cmp.maxRelError, cmp.maxExpected)
     << cmp.numMismatches << " of " << want.numElements()
     << llvm::format(" outside rtol %g atol %g", rtol.getValue(),
                     atol.getValue());
  if (cmp.numNonFinite)
    os << "; " << cmp.numNonFinite << " expected values not finite";
  os << "\n";
  // An absolute tolerance near the outputs' magnitude accepts nearly any
  // result (all zeros included): say so rather than pass silently.
  if (cmp.maxExpected > 0 && atol > 0.1 * cmp.maxExpected)
    os << "note: output " << index << ": atol "
       << llvm::format("%g", atol.getValue())
       << " is over a tenth of the largest expected magnitude; the check is "
          "weak, lower --atol\n";
  if (cmp.numNonFinite)
    os << "note: output " << index << ": " << cmp.numNonFinite
       << " expected values are infinite or NaN; they match only the same "
          "value (lower --input-scale to avoid overflow)\n";
}

/// Bounds everything the run allocates before anything is: the
/// interpreter's evaluation, the inputs and outputs twice (as the
/// interpreter's floats and in the code's layout), and the workspace.
LogicalResult checkMemory(func::FuncOp entry, int64_t workspaceBytes,
                          const ::mirage::KernelGraph &graph) {
  std::optional<int64_t> evaluation =
      ::mirage::evaluationBytes(graph, ::mirage::NumberSystem::Float);
  std::optional<int64_t> interface =
      ::mirage::interfaceBytes(graph, ::mirage::NumberSystem::Float);
  std::optional<int64_t> needed =
      evaluation && interface ? ::mirage::checkedMulSize(*interface, 2)
                              : std::nullopt;
  needed =
      needed ? ::mirage::checkedAddSize(*needed, *evaluation) : std::nullopt;
  needed =
      needed ? ::mirage::checkedAddSize(*needed, workspaceBytes) : std::nullopt;
  llvm::Error err = ::mirage::checkMemoryNeed(
      needed, ::mirage::resolveMemoryLimit(memoryLimit), "run");
  if (!err)
    return success();
  return entry.emitError() << "cannot run '" << entryName
                           << "': " << llvm::toString(std::move(err))
                           << " (option --memory-limit)";
}

int run(int argc, char **argv) {
  registerAsmPrinterCLOptions();
  registerMLIRContextCLOptions();
  registerPassManagerCLOptions();
  registerDefaultTimingManagerCLOptions();
  // --help lists the runner's own options, not the hundreds of LLVM's
  // (those, and --mlir-timing, still parse).
  cl::HideUnrelatedOptions(runnerCategory);
  // Exit code 1 means a failed comparison, so command-line errors return
  // instead of exiting with 1.
  if (!cl::ParseCommandLineOptions(
          argc, argv,
          "Mirage-MLIR CPU runner: lowers a kernel-level function with "
          "--mirage-to-cpu, runs it through the JIT on seeded inputs and "
          "compares its outputs with the reference interpreter.\n\n"
          "Exit code: 0 when every output matches (PASS), 1 when one differs "
          "(FAIL), 2 on an error.\n",
          &llvm::errs()))
    return 2;
  if (entryName.empty())
    return fail("--entry must name the function to run");
  if (optLevel > 3)
    return fail("--opt-level must be 0, 1, 2 or 3");
  if (!(rtol >= 0) || !(atol >= 0))
    return fail("--rtol and --atol must be non-negative");

  DefaultTimingManager timingManager;
  applyDefaultTimingManagerCLOptions(timingManager);
  TimingScope timing = timingManager.getRootScope();

  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerAllToLLVMIRTranslations(registry);
  ::mirage::registerMirageDialects(registry);
  MLIRContext context(registry);
  // Diagnostics point at the source; a dump of the op adds nothing.
  context.printOpOnDiagnostic(false);

  std::string message;
  std::unique_ptr<llvm::MemoryBuffer> file =
      openInputFile(inputFilename, &message);
  if (!file)
    return fail(message);
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);

  TimingScope parseTiming = timing.nest("Parse");
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, &context);
  parseTiming.stop();
  if (!module)
    return fail("cannot parse '" + inputFilename + "'");

  FailureOr<func::FuncOp> entry = lookupFunction(*module, "entry", entryName);
  if (failed(entry))
    return 2;
  StringRef refName = referenceName.empty() ? entryName : referenceName;
  FailureOr<func::FuncOp> reference =
      lookupFunction(*module, "reference", refName);
  if (failed(reference))
    return 2;
  if (reference->getFunctionType() != entry->getFunctionType()) {
    reference->emitError() << "--reference: '" << refName << "' has type "
                           << reference->getFunctionType() << ", '" << entryName
                           << "' has type " << entry->getFunctionType();
    return 2;
  }
  FailureOr<::mirage::KernelGraph> graph =
      ::mirage::importKernelGraph(*reference);
  if (failed(graph))
    return fail("cannot interpret '" + refName + "'");
  if (llvm::Error err = ::mirage::checkEvaluable(*graph)) {
    reference->emitError() << "cannot interpret '" << refName
                           << "': " << llvm::toString(std::move(err));
    return 2;
  }

  // Checked once before the lowering (whose stack and workspace limits
  // would otherwise report a huge program first) and once with the
  // workspace the lowering laid out.
  if (failed(checkMemory(*entry, /*workspaceBytes=*/0, *graph)))
    return 2;

  TimingScope lowerTiming = timing.nest("Lower (--mirage-to-cpu)");
  OwningOpRef<ModuleOp> lowered = lowerToLLVM(*entry, lowerTiming);
  lowerTiming.stop();
  if (!lowered)
    return fail("cannot lower '" + entryName + "' to the CPU");
  FailureOr<LoweredSignature> signature = readSignature(*lowered, *entry);
  if (failed(signature))
    return 2;

  if (failed(checkMemory(*entry, /*workspaceBytes=*/signature->workspaceBytes,
                         *graph)))
    return 2;

  // The JIT compiles on the first lookup: a missing symbol shows here.
  TimingScope jitTiming = timing.nest("JIT compile");
  auto engine = compile(*lowered);
  if (!engine)
    return fail("cannot JIT-compile '" + entryName +
                "': " + llvm::toString(engine.takeError()));
  auto function =
      (*engine)->lookupPacked("_mlir_ciface_" + entryName.getValue());
  if (!function)
    return fail("cannot JIT-compile '" + entryName +
                "': " + llvm::toString(function.takeError()));
  (*engine)->initialize();
  jitTiming.stop();

  TimingScope inputTiming = timing.nest("Generate inputs");
  std::vector<::mirage::Tensor> inputs = ::mirage::randomInputs(
      *graph, ::mirage::NumberSystem::Float, seed, inputScale);
  ::mirage::HostArguments args(inputs, *graph, signature->workspaceBytes);
  inputTiming.stop();

  TimingScope runTiming = timing.nest("Run");
  (*function)(args.packedArguments().data());
  runTiming.stop();

  TimingScope interpretTiming = timing.nest("Interpret");
  llvm::Expected<::mirage::EvalResult> expected =
      ::mirage::evaluate(*graph, ::mirage::NumberSystem::Float, inputs);
  interpretTiming.stop();
  if (!expected)
    return fail("cannot interpret '" + refName +
                "': " + llvm::toString(expected.takeError()));

  TimingScope compareTiming = timing.nest("Compare");
  std::vector<Comparison> comparisons;
  for (auto [i, want] : llvm::enumerate(expected->outputs)) {
    comparisons.push_back(compare(args.output(i), want));
    printSummary(i, want, comparisons.back());
  }
  bool allMatch = true;
  for (auto [i, cmp] : llvm::enumerate(comparisons)) {
    if (!cmp.numMismatches)
      continue;
    allMatch = false;
    llvm::outs() << "FAIL: output " << i << " differs at ["
                 << formatIndex(expected->outputs[i].shape, cmp.firstMismatch)
                 << "]: got " << llvm::format("%.6g", cmp.got) << ", expected "
                 << llvm::format("%.6g", cmp.want) << "\n";
  }
  if (allMatch)
    llvm::outs() << "PASS\n";
  llvm::outs().flush();
  return allMatch ? 0 : 1;
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  return run(argc, argv);
}
