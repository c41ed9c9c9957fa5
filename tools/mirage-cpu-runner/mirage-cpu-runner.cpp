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
#include "Mirage/Dialect/Structured/IR/StructuredDialect.h"
#include "Mirage/InitMirage.h"
#include "Mirage/Portable/Compare.h"
#include "Mirage/Semantics/Interpreter.h"
#include "Mirage/Semantics/Npy.h"
#include "Mirage/Support/InputNesting.h"
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
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Support/Timing.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Transforms/Passes.h"

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
cl::opt<double> inputScale(
    "input-scale",
    cl::desc("Random inputs are uniform in [-scale, scale) (as "
             "--mirage-interpret's input-scale; default: the function's "
             "mirage.input_scale attribute, else 1)"),
    cl::init(1.0), cl::cat(runnerCategory));
cl::list<std::string>
    inputFiles("inputs",
               cl::desc("Comma-separated .npy files, one per argument, "
                        "instead of the random inputs"),
               cl::CommaSeparated, cl::cat(runnerCategory));
cl::opt<double> rtol("rtol",
                     cl::desc("Relative tolerance of every output: |got - "
                              "expected| <= atol + rtol * |expected| "
                              "(default per dtype: f16 1e-2, bf16 4e-2, "
                              "f32 1e-4)"),
                     cl::init(0.0), cl::cat(runnerCategory));
cl::opt<double> atol("atol",
                     cl::desc("Absolute tolerance of every output (default: "
                              "the largest finite |expected| of the output "
                              "times 1e-2 for f16, 4e-2 for bf16, 1e-5 for "
                              "f32)"),
                     cl::init(0.0), cl::cat(runnerCategory));
cl::opt<bool> matchNonFinite(
    "match-non-finite",
    cl::desc("Expected values that are infinite or NaN must be matched "
             "exactly (NaN by NaN, an infinity by itself) instead of making "
             "the run an error: for inputs made of special values"),
    cl::init(false), cl::cat(runnerCategory));
cl::opt<unsigned> optLevel("opt-level",
                           cl::desc("LLVM optimization level of the JIT (0-3)"),
                           cl::init(2), cl::cat(runnerCategory));
cl::opt<uint64_t> memoryLimit(
    "memory-limit",
    cl::desc("Bytes the inputs, outputs, workspace and the interpreter may "
             "use; 0: three quarters of the machine's memory (physical, or its "
             "cgroup limit when smaller)"),
    cl::init(0), cl::cat(runnerCategory));
cl::opt<std::string> structuredPipeline(
    "structured-pipeline",
    cl::desc("Passes run on each function at the structured level, between "
             "--mirage-lower-to-structured and --mirage-map-to-cpu (a "
             "function pass pipeline of upstream transforms, e.g. "
             "'canonicalize,cse')"),
    cl::init(""), cl::cat(runnerCategory));
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
/// function (`structured.abi`), checked against the kernel-level type.
struct LoweredSignature {
  int64_t workspaceBytes = 0;
};

FailureOr<LoweredSignature> readSignature(ModuleOp lowered,
                                          func::FuncOp original) {
  using ::mirage::structured::AbiAttr;
  auto func = lowered.lookupSymbol<LLVM::LLVMFuncOp>(original.getSymName());
  auto abi = func ? func->getAttrOfType<AbiAttr>(AbiAttr::kName) : nullptr;
  if (!abi)
    return original.emitError() << "the lowered function carries no '"
                                << AbiAttr::kName << "' calling convention";
  if (abi.getSignature() != original.getFunctionType())
    return original.emitError()
           << "the lowered function was lowered from " << abi.getSignature()
           << ", the function has type " << original.getFunctionType();
  return LoweredSignature{abi.getWorkspace()};
}

/// Lowers a clone of `func` (alone in a module) to the LLVM dialect.
OwningOpRef<ModuleOp> lowerToLLVM(func::FuncOp func, TimingScope &timing) {
  OwningOpRef<ModuleOp> lowered = ModuleOp::create(func.getLoc());
  lowered->push_back(func.clone());
  PassManager pm(func.getContext());
  if (failed(applyPassManagerCLOptions(pm)))
    return nullptr;
  pm.enableTiming(timing);
  if (!structuredPipeline.empty()) {
    // Lowered to the structured level first; --mirage-to-cpu then leaves
    // the structured functions to --mirage-map-to-cpu.
    OpPassManager &perFunction = pm.nest<func::FuncOp>();
    perFunction.addPass(::mirage::createDefaultSchedules());
    perFunction.addPass(::mirage::createLowerToStructured());
    // Checked by run() before anything else.
    if (failed(
            parsePassPipeline(structuredPipeline, perFunction, llvm::errs())))
      return nullptr;
  }
  ::mirage::buildToCPUPipeline(pm);
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

/// The tolerance of output `want`: --rtol and --atol where given, else the
/// shared defaults of its dtype (Mirage/Portable/Compare.h; the default atol
/// scales with the output's largest finite magnitude).
::mirage::portable::Tolerance toleranceFor(const ::mirage::Tensor &want) {
  ::mirage::portable::Tolerance t = ::mirage::portable::defaultTolerance(
      want.dtype,
      ::mirage::portable::maxAbsFinite(want.data.data(), want.numElements()));
  if (rtol.getNumOccurrences())
    t.rtol = rtol;
  if (atol.getNumOccurrences())
    t.atol = atol;
  return t;
}

/// "output 0: tensor<2x6144xf16>: 0 of 12288 outside ...; worst at ...",
/// and a note when the absolute tolerance makes the check weak.
void printSummary(unsigned index, const ::mirage::Tensor &want,
                  const ::mirage::portable::Comparison &cmp) {
  llvm::raw_ostream &os = llvm::outs();
  os << "output " << index << ": tensor<" << ::mirage::formatShape(want.shape)
     << "x" << ::mirage::dtypeName(want.dtype) << ">: "
     << ::mirage::portable::summarize(
            cmp, std::vector<int64_t>(want.shape.begin(), want.shape.end()))
     << "\n";
  // An absolute tolerance near the outputs' magnitude accepts nearly any
  // result (all zeros included): say so rather than pass silently.
  double tolerance = cmp.tolerance.atol;
  if (cmp.maxAbsExpected > 0 && tolerance > 0.1 * cmp.maxAbsExpected)
    os << "note: output " << index << ": atol " << llvm::format("%g", tolerance)
       << " is over a tenth of the largest expected magnitude; the check is "
          "weak, lower --atol\n";
}

/// The inputs of the run: the .npy files of --inputs, else the seeded random
/// inputs at --input-scale (else the function's mirage.input_scale).
FailureOr<std::vector<::mirage::Tensor>>
makeInputs(func::FuncOp reference, const ::mirage::KernelGraph &graph) {
  if (inputFiles.empty()) {
    double scale = inputScale;
    if (!inputScale.getNumOccurrences()) {
      FailureOr<double> own = ::mirage::getInputScale(reference);
      if (failed(own))
        return failure();
      scale = *own;
    }
    return ::mirage::randomInputs(graph, ::mirage::NumberSystem::Float, seed,
                                  scale);
  }
  if (inputFiles.size() != graph.numInputs) {
    fail("--inputs: '" + reference.getSymName() + "' takes " +
         llvm::Twine(graph.numInputs) + " inputs but " +
         llvm::Twine(static_cast<unsigned>(inputFiles.size())) +
         " .npy files were given");
    return failure();
  }
  std::vector<::mirage::Tensor> inputs;
  for (unsigned i = 0; i < graph.numInputs; ++i) {
    const ::mirage::ValueInfo &info = graph.values[i];
    llvm::Expected<::mirage::Tensor> t =
        ::mirage::readNpy(inputFiles[i], info.dtype);
    if (!t) {
      fail("--inputs: " + llvm::toString(t.takeError()));
      return failure();
    }
    if (t->shape != info.shape) {
      fail("--inputs: " + inputFiles[i] + ": shape " +
           ::mirage::formatShape(t->shape) + " does not match input " +
           llvm::Twine(i) + " of shape " + ::mirage::formatShape(info.shape));
      return failure();
    }
    inputs.push_back(std::move(*t));
  }
  return inputs;
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
  // Upstream transforms (canonicalize, cse, ...) for --structured-pipeline.
  registerTransformsPasses();
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
          "(FAIL), 2 on an error (an expected value that is infinite or NaN "
          "is one: the comparison would check nothing).\n",
          &llvm::errs()))
    return 2;
  if (entryName.empty())
    return fail("--entry must name the function to run");
  if (optLevel > 3)
    return fail("--opt-level must be 0, 1, 2 or 3");
  if (!(rtol >= 0) || !(atol >= 0) || !std::isfinite(rtol) ||
      !std::isfinite(atol))
    return fail("--rtol and --atol must be non-negative and finite");
  if (inputScale.getNumOccurrences() && !inputFiles.empty())
    return fail("--input-scale and --inputs exclude each other");
  if (!(inputScale > 0) || !std::isfinite(inputScale))
    return fail("--input-scale must be positive and finite");
  if (!structuredPipeline.empty()) {
    OpPassManager check(func::FuncOp::getOperationName());
    std::string message;
    llvm::raw_string_ostream os(message);
    if (failed(parsePassPipeline(structuredPipeline, check, os)))
      return fail("--structured-pipeline: '" + structuredPipeline +
                  "' is not a pass pipeline: " +
                  StringRef(message).trim().split('\n').first);
  }

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
  if (std::optional<::mirage::NestingViolation> deep =
          ::mirage::findExcessiveNesting(file->getBuffer())) {
    llvm::errs() << inputFilename << ":" << deep->line << ":" << deep->column
                 << ": error: brackets nest more than "
                 << ::mirage::kMaxInputNesting
                 << " levels deep here; MLIR's parser would overflow its "
                    "stack\n";
    return 2;
  }
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
  FailureOr<std::vector<::mirage::Tensor>> inputs =
      makeInputs(*reference, *graph);
  if (failed(inputs))
    return 2;
  ::mirage::HostArguments args(*inputs, *graph, signature->workspaceBytes);
  inputTiming.stop();

  TimingScope runTiming = timing.nest("Run");
  (*function)(args.packedArguments().data());
  runTiming.stop();

  TimingScope interpretTiming = timing.nest("Interpret");
  llvm::Expected<::mirage::EvalResult> expected =
      ::mirage::evaluate(*graph, ::mirage::NumberSystem::Float, *inputs);
  interpretTiming.stop();
  if (!expected)
    return fail("cannot interpret '" + refName +
                "': " + llvm::toString(expected.takeError()));

  TimingScope compareTiming = timing.nest("Compare");
  ::mirage::portable::NonFinite nonFinite =
      matchNonFinite ? ::mirage::portable::NonFinite::MatchExactly
                     : ::mirage::portable::NonFinite::Reject;
  std::vector<::mirage::portable::Comparison> comparisons;
  for (auto [i, want] : llvm::enumerate(expected->outputs)) {
    ::mirage::Tensor got = args.output(i);
    comparisons.push_back(::mirage::portable::compare(
        got.data.data(), want.data.data(), want.numElements(),
        toleranceFor(want), nonFinite));
    printSummary(i, want, comparisons.back());
  }
  compareTiming.stop();
  // Unusable outputs (non-finite expected values) are errors: the run checks
  // nothing there, whatever the other outputs say.
  std::vector<std::vector<int64_t>> shapes;
  for (const ::mirage::Tensor &want : expected->outputs)
    shapes.emplace_back(want.shape.begin(), want.shape.end());
  ::mirage::portable::Judgement judgement =
      ::mirage::portable::judge(comparisons, shapes);
  for (const std::string &line : judgement.failures)
    llvm::outs() << line << "\n";
  llvm::outs().flush();
  if (judgement.exitStatus == 2)
    return fail(judgement.error);
  if (judgement.exitStatus == 0)
    llvm::outs() << "PASS\n";
  llvm::outs().flush();
  return judgement.exitStatus;
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  return run(argc, argv);
}
