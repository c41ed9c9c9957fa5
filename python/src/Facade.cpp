//===- Facade.cpp - The C++ entry points of the Python package -----------===//
//
// docs/Python.md. Every entry point parses its own MLIR text in a fresh
// context, so calls from several Python threads share nothing but the
// registered passes.
//
//===----------------------------------------------------------------------===//

#include "Facade.h"

#include "../../tools/mirage-cpu-runner/HostArguments.h"
#include "Mirage/Bridge/UGraphImport.h"
#include "Mirage/Conversion/Passes.h"
#include "Mirage/Dialect/Structured/IR/StructuredDialect.h"
#include "Mirage/InitMirage.h"
#include "Mirage/Portable/Compare.h"
#include "Mirage/Portable/FloatFormats.h"
#include "Mirage/Search/CostModel.h"
#include "Mirage/Semantics/Interpreter.h"
#include "Mirage/Support/InputNesting.h"
#include "Mirage/Support/MemoryLimit.h"
#include "Mirage/Support/ShapeRules.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Transforms/Passes.h"

#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"

#include <mutex>

using namespace mlir;

namespace mirage::python {
namespace {

//===----------------------------------------------------------------------===//
// Contexts and diagnostics
//===----------------------------------------------------------------------===//

void initializeOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    ::mirage::registerMiragePasses();
    registerTransformsPasses();
  });
}

std::unique_ptr<MLIRContext> makeContext() {
  initializeOnce();
  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerAllToLLVMIRTranslations(registry);
  ::mirage::registerMirageDialects(registry);
  auto context = std::make_unique<MLIRContext>(registry);
  context->printOpOnDiagnostic(false);
  return context;
}

/// `file:line:col` of the first file location within `loc`, else its
/// printed form.
std::string formatLocation(Location loc) {
  std::string text;
  loc->walk([&](Location inner) {
    if (auto file = dyn_cast<FileLineColLoc>(inner)) {
      text = (file.getFilename().strref() + ":" + Twine(file.getLine()) + ":" +
              Twine(file.getColumn()))
                 .str();
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  if (!text.empty())
    return text;
  llvm::raw_string_ostream os(text);
  loc.print(os);
  return text;
}

StringRef severityName(DiagnosticSeverity severity) {
  switch (severity) {
  case DiagnosticSeverity::Error:
    return "error";
  case DiagnosticSeverity::Warning:
    return "warning";
  case DiagnosticSeverity::Remark:
    return "remark";
  case DiagnosticSeverity::Note:
    return "note";
  }
  llvm_unreachable("unknown severity");
}

/// Collects the diagnostics of a context: errors and warnings (with their
/// notes) in `errors`, remarks in `remarks`, one line each.
class Collector {
public:
  explicit Collector(MLIRContext *context)
      : handler(context, [this](Diagnostic &diag) {
          std::string &into = diag.getSeverity() == DiagnosticSeverity::Remark
                                  ? remarks
                                  : errors;
          append(into, diag);
          for (Diagnostic &note : diag.getNotes())
            append(into, note);
          return success();
        }) {}

  Status failure(StringRef fallback) const {
    if (errors.empty())
      return Status::error(fallback.str());
    return Status::error(StringRef(errors).rtrim().str());
  }

  std::string errors;
  std::string remarks;

private:
  static void append(std::string &into, Diagnostic &diag) {
    into += formatLocation(diag.getLocation()) + ": " +
            severityName(diag.getSeverity()).str() + ": " + diag.str() + "\n";
  }
  ScopedDiagnosticHandler handler;
};

/// Parses (and verifies) `text`.
OwningOpRef<ModuleOp> parse(const std::string &text, MLIRContext *context,
                            Collector &diags, Status &status) {
  if (std::optional<NestingViolation> deep = findExcessiveNesting(text)) {
    status = Status::error("<mlir>:" + std::to_string(deep->line) + ":" +
                           std::to_string(deep->column) +
                           ": error: brackets nest more than " +
                           std::to_string(kMaxInputNesting) + " levels deep");
    return nullptr;
  }
  OwningOpRef<ModuleOp> module =
      parseSourceString<ModuleOp>(text, ParserConfig(context), "<mlir>");
  if (!module)
    status = diags.failure("cannot parse the MLIR text");
  return module;
}

/// The function `name` of `module`, or its first function when `name` is
/// empty.
FailureOr<func::FuncOp> findFunction(ModuleOp module, const std::string &name,
                                     Status &status) {
  func::FuncOp found;
  for (auto func : module.getOps<func::FuncOp>()) {
    if (func.isExternal())
      continue;
    if (name.empty() || func.getSymName() == name) {
      found = func;
      break;
    }
  }
  if (!found) {
    status =
        Status::error(name.empty() ? "the module holds no function with a body"
                                   : "no function named '" + name + "'");
    return failure();
  }
  return found;
}

std::vector<int64_t> toVector(ArrayRef<int64_t> shape) {
  return std::vector<int64_t>(shape.begin(), shape.end());
}

Status fromError(llvm::Error err) {
  return Status::error(llvm::toString(std::move(err)));
}

/// Imports `entry` of `text` as a compact μGraph the interpreter can run.
struct Imported {
  std::unique_ptr<MLIRContext> context;
  std::unique_ptr<Collector> diags;
  OwningOpRef<ModuleOp> module;
  func::FuncOp func;
  KernelGraph graph;
};

Status importFunction(const std::string &text, const std::string &entry,
                      Imported &out, bool evaluable) {
  out.context = makeContext();
  out.diags = std::make_unique<Collector>(out.context.get());
  Status status;
  out.module = parse(text, out.context.get(), *out.diags, status);
  if (!out.module)
    return status;
  FailureOr<func::FuncOp> func = findFunction(*out.module, entry, status);
  if (failed(func))
    return status;
  out.func = *func;
  FailureOr<KernelGraph> graph = importKernelGraph(*func);
  if (failed(graph))
    return out.diags->failure("cannot import '" + func->getSymName().str() +
                              "' as a μGraph");
  out.graph = std::move(*graph);
  if (evaluable)
    if (llvm::Error err = checkEvaluable(out.graph))
      return Status::error("cannot interpret '" + func->getSymName().str() +
                           "': " + llvm::toString(std::move(err)));
  return Status::success();
}

/// Checks `inputs` against the graph's inputs and converts them.
Status toTensors(const KernelGraph &graph,
                 const std::vector<HostTensor> &inputs,
                 std::vector<Tensor> &tensors) {
  if (inputs.size() != graph.numInputs)
    return Status::error("the graph takes " + std::to_string(graph.numInputs) +
                         " inputs, " + std::to_string(inputs.size()) +
                         " were given");
  for (unsigned i = 0; i < graph.numInputs; ++i) {
    const ValueInfo &info = graph.values[i];
    const HostTensor &in = inputs[i];
    std::string want = dtypeName(info.dtype);
    if (in.dtype != want)
      return Status::error("input " + std::to_string(i) + ": dtype " +
                           in.dtype + " where the graph takes " + want);
    if (Shape(in.shape.begin(), in.shape.end()) != info.shape)
      return Status::error("input " + std::to_string(i) + ": shape " +
                           formatShape(in.shape) + " where the graph takes " +
                           formatShape(info.shape));
    Tensor t(info.shape, info.dtype, /*lanes=*/1);
    if (static_cast<int64_t>(in.data.size()) != t.numElements())
      return Status::error("input " + std::to_string(i) + ": " +
                           std::to_string(in.data.size()) +
                           " elements for shape " + formatShape(in.shape));
    for (size_t k = 0; k < in.data.size(); ++k)
      t.data[k] =
          static_cast<float>(portable::roundToDType(in.data[k], info.dtype));
    tensors.push_back(std::move(t));
  }
  return Status::success();
}

HostTensor fromTensor(const Tensor &t) {
  return HostTensor{toVector(t.shape), std::string(dtypeName(t.dtype)), t.data};
}

Status checkMemory(const KernelGraph &graph, int64_t workspaceBytes,
                   StringRef verb) {
  std::optional<int64_t> evaluation =
      evaluationBytes(graph, NumberSystem::Float);
  std::optional<int64_t> interface = interfaceBytes(graph, NumberSystem::Float);
  std::optional<int64_t> needed =
      evaluation && interface ? checkedMulSize(*interface, 2) : std::nullopt;
  needed = needed ? checkedAddSize(*needed, *evaluation) : std::nullopt;
  needed = needed ? checkedAddSize(*needed, workspaceBytes) : std::nullopt;
  if (llvm::Error err = checkMemoryNeed(needed, resolveMemoryLimit(0), verb))
    return fromError(std::move(err));
  return Status::success();
}

//===----------------------------------------------------------------------===//
// describe
//===----------------------------------------------------------------------===//

llvm::json::Array shapeJson(ArrayRef<int64_t> shape) {
  llvm::json::Array array;
  for (int64_t d : shape)
    array.push_back(d);
  return array;
}

llvm::json::Array valuesJson(const std::vector<ValueInfo> &values) {
  llvm::json::Array array;
  for (const ValueInfo &v : values)
    array.push_back(llvm::json::Object{{"shape", shapeJson(v.shape)},
                                       {"dtype", dtypeName(v.dtype)},
                                       {"accumulated", v.accumulated}});
  return array;
}

llvm::json::Object opJson(const OpNode &op) {
  llvm::json::Array operands, results;
  for (ValueId v : op.operands)
    operands.push_back(v);
  for (ValueId v : op.results)
    results.push_back(v);
  // Only the attributes the kind uses (OpNode's comment); an if-chain, not
  // a switch, since every other kind has none.
  llvm::json::Object attrs;
  OpKind k = op.kind;
  if (k == OpKind::Reduction || k == OpKind::ReductionToDimx ||
      k == OpKind::Concat || k == OpKind::RunningMax) {
    attrs["dim"] = op.dim;
    attrs["size"] = op.size;
  } else if (k == OpKind::Loader) {
    attrs["imap"] = shapeJson(op.map);
    attrs["fmap"] = op.dim;
  } else if (k == OpKind::Saver) {
    attrs["omap"] = shapeJson(op.map);
  } else if (k == OpKind::Accum) {
    attrs["kind"] = stringifyAccumKind(op.accum);
  } else if (k == OpKind::RmsNorm) {
    attrs["normalized_shape"] = shapeJson(op.normalizedShape);
  } else if (k == OpKind::Clamp) {
    attrs["min"] = op.scalarA;
    attrs["max"] = op.scalarB;
  } else if (k == OpKind::MulScalar) {
    attrs["scalar"] = op.scalarA;
  }
  return llvm::json::Object{{"op", opKindName(op.kind)},
                            {"operands", std::move(operands)},
                            {"results", std::move(results)},
                            {"attrs", std::move(attrs)},
                            {"block_graph", op.blockGraph}};
}

} // namespace

//===----------------------------------------------------------------------===//
// Shape rules
//===----------------------------------------------------------------------===//

static Status shapeResult(llvm::Expected<Shape> shape,
                          std::vector<int64_t> &out) {
  if (!shape)
    return fromError(shape.takeError());
  out = toVector(*shape);
  return Status::success();
}

Status inferMatmul(const std::vector<int64_t> &lhs,
                   const std::vector<int64_t> &rhs, std::vector<int64_t> &out) {
  return shapeResult(inferMatmulShape(lhs, rhs), out);
}

Status inferBroadcast(const std::vector<int64_t> &lhs,
                      const std::vector<int64_t> &rhs,
                      std::vector<int64_t> &out) {
  return shapeResult(inferBroadcastShape(lhs, rhs), out);
}

Status inferReduction(const std::vector<int64_t> &input, int64_t dim,
                      int64_t size, std::vector<int64_t> &out) {
  return shapeResult(inferReductionShape(input, dim, size), out);
}

Status checkRmsNorm(const std::vector<int64_t> &input,
                    const std::vector<int64_t> &normalized) {
  if (llvm::Error err = checkRmsNormShape(input, normalized))
    return fromError(std::move(err));
  return Status::success();
}

static Status makeLaunch(const std::vector<int64_t> &grid,
                         const std::vector<int64_t> &block,
                         int64_t forloopRange, int64_t dimx,
                         LaunchShape &launch) {
  launch.grid.assign(grid.begin(), grid.end());
  launch.block.assign(block.begin(), block.end());
  launch.forloopRange = forloopRange;
  launch.reductionDimx = dimx;
  if (llvm::Error err = checkLaunchShape(launch))
    return fromError(std::move(err));
  return Status::success();
}

Status inferLoaderTile(const std::vector<int64_t> &tensor,
                       const std::vector<int64_t> &imap, int64_t forloopDim,
                       const std::vector<int64_t> &grid,
                       const std::vector<int64_t> &block, int64_t forloopRange,
                       int64_t dimx, std::vector<int64_t> &out) {
  LaunchShape launch;
  Status status = makeLaunch(grid, block, forloopRange, dimx, launch);
  if (!status.ok)
    return status;
  if (llvm::Error err = checkInputMap(imap, tensor.size()))
    return fromError(std::move(err));
  if (forloopDim != kReplicate &&
      (forloopDim < 0 || forloopDim >= static_cast<int64_t>(tensor.size())))
    return Status::error("forloop_dim " + std::to_string(forloopDim) +
                         " is not a dimension of a rank-" +
                         std::to_string(tensor.size()) + " tensor (or -1)");
  return shapeResult(inferLoaderTileShape(tensor, imap, forloopDim, launch),
                     out);
}

Status inferSaverTensor(const std::vector<int64_t> &tile,
                        const std::vector<int64_t> &omap,
                        const std::vector<int64_t> &grid,
                        const std::vector<int64_t> &block, int64_t forloopRange,
                        int64_t dimx, std::vector<int64_t> &out) {
  LaunchShape launch;
  Status status = makeLaunch(grid, block, forloopRange, dimx, launch);
  if (!status.ok)
    return status;
  if (llvm::Error err = checkOutputMap(omap, tile.size(), grid))
    return fromError(std::move(err));
  return shapeResult(inferSaverTensorShape(tile, omap, launch), out);
}

Status inferAccum(const std::string &kind, const std::vector<int64_t> &input,
                  int64_t dimx, std::vector<int64_t> &out) {
  std::optional<AccumKind> accum = symbolizeAccumKind(kind);
  if (!accum)
    return Status::error("unknown accumulator kind '" + kind + "'");
  return shapeResult(inferAccumShape(*accum, input, dimx), out);
}

//===----------------------------------------------------------------------===//
// Module-level entry points
//===----------------------------------------------------------------------===//

Status verify(const std::string &text) {
  std::unique_ptr<MLIRContext> context = makeContext();
  Collector diags(context.get());
  Status status;
  OwningOpRef<ModuleOp> module = parse(text, context.get(), diags, status);
  return module ? Status::success() : status;
}

Status describe(const std::string &text, const std::string &entry,
                std::string &json) {
  Imported in;
  Status status = importFunction(text, entry, in, /*evaluable=*/false);
  if (!status.ok)
    return status;
  const KernelGraph &g = in.graph;
  llvm::json::Array ops, blocks, outputs;
  for (const OpNode &op : g.ops)
    ops.push_back(opJson(op));
  for (ValueId v : g.outputs)
    outputs.push_back(v);
  for (const BlockGraph &b : g.blockGraphs) {
    llvm::json::Array bops, bouts;
    for (const OpNode &op : b.ops)
      bops.push_back(opJson(op));
    for (ValueId v : b.outputs)
      bouts.push_back(v);
    blocks.push_back(
        llvm::json::Object{{"grid", shapeJson(b.launch.grid)},
                           {"block", shapeJson(b.launch.block)},
                           {"forloop_range", b.launch.forloopRange},
                           {"dimx", b.launch.reductionDimx},
                           {"values", valuesJson(b.values)},
                           {"num_inputs", static_cast<int64_t>(b.numInputs)},
                           {"ops", std::move(bops)},
                           {"outputs", std::move(bouts)}});
  }
  llvm::json::Object object{{"name", in.func.getSymName()},
                            {"values", valuesJson(g.values)},
                            {"num_inputs", static_cast<int64_t>(g.numInputs)},
                            {"ops", std::move(ops)},
                            {"outputs", std::move(outputs)},
                            {"block_graphs", std::move(blocks)}};
  json.clear();
  llvm::raw_string_ostream os(json);
  os << llvm::json::Value(std::move(object));
  return Status::success();
}

Status superoptimize(const std::string &text, const std::string &options,
                     std::string &result, std::string &remarks) {
  std::unique_ptr<MLIRContext> context = makeContext();
  Collector diags(context.get());
  Status status;
  OwningOpRef<ModuleOp> module = parse(text, context.get(), diags, status);
  if (!module)
    return status;
  PassManager pm(context.get(), ModuleOp::getOperationName());
  std::string pipeline = "func.func(mirage-superoptimize{" + options + "})";
  std::string message;
  llvm::raw_string_ostream err(message);
  if (failed(parsePassPipeline(pipeline, pm, err)))
    return Status::error("invalid search options '" + options +
                         "': " + StringRef(message).trim().str());
  if (failed(pm.run(*module)))
    return diags.failure("the search failed");
  remarks = diags.remarks;
  result.clear();
  llvm::raw_string_ostream os(result);
  module->print(os, OpPrintingFlags().enableDebugInfo(true, false));
  return Status::success();
}

Status interpret(const std::string &text, const std::string &entry,
                 const std::vector<HostTensor> &inputs,
                 std::vector<HostTensor> &outputs) {
  Imported in;
  Status status = importFunction(text, entry, in, /*evaluable=*/true);
  if (!status.ok)
    return status;
  std::vector<Tensor> tensors;
  if (!(status = toTensors(in.graph, inputs, tensors)).ok)
    return status;
  if (!(status = checkMemory(in.graph, 0, "interpret")).ok)
    return status;
  llvm::Expected<EvalResult> result =
      evaluate(in.graph, NumberSystem::Float, tensors);
  if (!result)
    return fromError(result.takeError());
  outputs.clear();
  for (const Tensor &t : result->outputs)
    outputs.push_back(fromTensor(t));
  return Status::success();
}

Status randomInputs(const std::string &text, const std::string &entry,
                    uint64_t seed, double scale,
                    std::vector<HostTensor> &inputs) {
  Imported in;
  Status status = importFunction(text, entry, in, /*evaluable=*/false);
  if (!status.ok)
    return status;
  if (scale <= 0) {
    FailureOr<double> own = getInputScale(in.func);
    if (failed(own))
      return in.diags->failure("invalid mirage.input_scale");
    scale = *own;
  }
  if (!(status = checkMemory(in.graph, 0, "generate inputs for")).ok)
    return status;
  inputs.clear();
  for (const Tensor &t :
       ::mirage::randomInputs(in.graph, NumberSystem::Float, seed, scale))
    inputs.push_back(fromTensor(t));
  return Status::success();
}

Status compareOutputs(const std::vector<HostTensor> &got,
                      const std::vector<HostTensor> &expected,
                      std::string &verdict, bool &passed) {
  if (got.size() != expected.size())
    return Status::error(std::to_string(got.size()) + " outputs, " +
                         std::to_string(expected.size()) + " expected");
  std::vector<portable::Comparison> comparisons;
  std::vector<std::vector<int64_t>> shapes;
  for (size_t i = 0; i < got.size(); ++i) {
    std::optional<DType> dtype = portable::parseDType(expected[i].dtype);
    if (!dtype || got[i].shape != expected[i].shape ||
        got[i].data.size() != expected[i].data.size())
      return Status::error("output " + std::to_string(i) +
                           ": shape or dtype differs from the expected one");
    const std::vector<float> &want = expected[i].data;
    portable::Tolerance tolerance = portable::defaultTolerance(
        *dtype, portable::maxAbsFinite(want.data(), want.size()));
    comparisons.push_back(portable::compare(got[i].data.data(), want.data(),
                                            want.size(), tolerance));
    shapes.push_back(expected[i].shape);
  }
  portable::Judgement judgement = portable::judge(comparisons, shapes);
  if (judgement.exitStatus == 2)
    return Status::error(judgement.error);
  passed = judgement.exitStatus == 0;
  verdict.clear();
  for (size_t i = 0; i < comparisons.size(); ++i)
    verdict += "output " + std::to_string(i) + ": " +
               portable::summarize(comparisons[i], shapes[i]) + "\n";
  for (const std::string &line : judgement.failures)
    verdict += line + "\n";
  if (passed)
    verdict += "PASS\n";
  return Status::success();
}

Status cost(const std::string &text, const std::string &entry,
            const std::string &gpu, double &seconds, std::string &json) {
  Imported in;
  Status status = importFunction(text, entry, in, /*evaluable=*/false);
  if (!status.ok)
    return status;
  std::optional<GpuParams> params = gpuParamsByName(gpu);
  if (!params)
    return Status::error("unknown gpu '" + gpu + "' (h100 or h200)");
  ProgramCost program = estimateCost(in.graph, *params);
  seconds = program.seconds;
  llvm::json::Array kernels;
  for (const KernelCost &k : program.kernels)
    kernels.push_back(
        llvm::json::Object{{"seconds", k.seconds},
                           {"dram_bytes", k.dramBytes},
                           {"tensor_flops", k.tensorFlops},
                           {"cuda_flops", k.cudaFlops},
                           {"blocks", k.blocks},
                           {"shared_memory_bytes", k.sharedMemoryBytes}});
  json.clear();
  llvm::raw_string_ostream os(json);
  os << llvm::json::Value(std::move(kernels));
  return Status::success();
}

Status writeBundle(const std::string &text, const std::string &dir,
                   const std::string &chip) {
  std::unique_ptr<MLIRContext> context = makeContext();
  Collector diags(context.get());
  Status status;
  OwningOpRef<ModuleOp> module = parse(text, context.get(), diags, status);
  if (!module)
    return status;
  ToPTXPipelineOptions options;
  options.chip = chip;
  options.output = dir;
  PassManager pm(context.get(), ModuleOp::getOperationName());
  buildToPTXPipeline(pm, options);
  if (failed(pm.run(*module)))
    return diags.failure("cannot lower to PTX for " + chip);
  return Status::success();
}

//===----------------------------------------------------------------------===//
// CpuKernel
//===----------------------------------------------------------------------===//

struct CpuKernel::Impl {
  Imported in;
  OwningOpRef<ModuleOp> lowered;
  std::unique_ptr<ExecutionEngine> engine;
  void (*function)(void **) = nullptr;
  int64_t workspaceBytes = 0;
};

CpuKernel::~CpuKernel() = default;

Status CpuKernel::compile(const std::string &text, const std::string &entry,
                          unsigned optLevel, std::unique_ptr<CpuKernel> &out) {
  auto impl = std::make_unique<Impl>();
  Status status = importFunction(text, entry, impl->in, /*evaluable=*/false);
  if (!status.ok)
    return status;
  func::FuncOp func = impl->in.func;
  std::string name = func.getSymName().str();
  if (!(status = checkMemory(impl->in.graph, 0, "run")).ok)
    return status;

  impl->lowered = ModuleOp::create(func.getLoc());
  impl->lowered->push_back(func.clone());
  PassManager pm(impl->in.context.get(), ModuleOp::getOperationName());
  buildToCPUPipeline(pm);
  if (failed(pm.run(*impl->lowered)))
    return impl->in.diags->failure("cannot lower '" + name + "' to the CPU");

  using structured::AbiAttr;
  auto lowered = impl->lowered->lookupSymbol<LLVM::LLVMFuncOp>(name);
  auto abi =
      lowered ? lowered->getAttrOfType<AbiAttr>(AbiAttr::kName) : nullptr;
  if (!abi || abi.getSignature() != func.getFunctionType())
    return Status::error("the lowered function '" + name +
                         "' carries no matching calling convention");
  impl->workspaceBytes = abi.getWorkspace();
  if (!(status = checkMemory(impl->in.graph, impl->workspaceBytes, "run")).ok)
    return status;

  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder)
    return fromError(builder.takeError());
  builder->setCodeGenOptLevel(optLevel == 0   ? llvm::CodeGenOptLevel::None
                              : optLevel == 1 ? llvm::CodeGenOptLevel::Less
                              : optLevel == 2
                                  ? llvm::CodeGenOptLevel::Default
                                  : llvm::CodeGenOptLevel::Aggressive);
  auto machine = builder->createTargetMachine();
  if (!machine)
    return fromError(machine.takeError());
  // Outlives ExecutionEngine::create, which runs it (a function_ref).
  std::function<llvm::Error(llvm::Module *)> optimize =
      makeOptimizingTransformer(optLevel, /*sizeLevel=*/0, machine->get());
  ExecutionEngineOptions options;
  options.transformer = optimize;
  auto engine =
      ExecutionEngine::create(*impl->lowered, options, std::move(*machine));
  if (!engine)
    return Status::error("cannot JIT-compile '" + name +
                         "': " + llvm::toString(engine.takeError()));
  impl->engine = std::move(*engine);
  auto function = impl->engine->lookupPacked("_mlir_ciface_" + name);
  if (!function)
    return Status::error("cannot JIT-compile '" + name +
                         "': " + llvm::toString(function.takeError()));
  impl->engine->initialize();
  impl->function = *function;
  out.reset(new CpuKernel());
  out->impl = std::move(impl);
  return Status::success();
}

Status CpuKernel::run(const std::vector<HostTensor> &inputs,
                      std::vector<HostTensor> &outputs) {
  std::vector<Tensor> tensors;
  Status status = toTensors(impl->in.graph, inputs, tensors);
  if (!status.ok)
    return status;
  HostArguments args(tensors, impl->in.graph, impl->workspaceBytes);
  impl->function(args.packedArguments().data());
  outputs.clear();
  for (unsigned i = 0; i < impl->in.graph.outputs.size(); ++i)
    outputs.push_back(fromTensor(args.output(i)));
  return Status::success();
}

} // namespace mirage::python
