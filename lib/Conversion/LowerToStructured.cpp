//===- LowerToStructured.cpp - Block graphs to target-neutral loops -------===//
//
// Rewrites a function of graph-defined kernels into the structured level of
// docs/Lowering.md: a function on memrefs in destination-passing style, one
// scf.parallel over the grid per kernel, barrier phases over the threads of a
// block, cooperative linalg.copy / linalg.matmul ops, tiles in workgroup
// buffers and accumulators in per-thread buffers.
//
// The emitter reads the compact μGraph (Core/UGraph.h) that the interpreter
// also runs, so the lowering and the executable spec agree on every offset
// and accumulator by construction.
//
//===----------------------------------------------------------------------===//

#include "Mirage/Bridge/ImportedGraph.h"
#include "Mirage/Bridge/MixedModules.h"
#include "Mirage/Bridge/UGraphImport.h"
#include "Mirage/Conversion/Passes.h"
#include "Mirage/Core/UGraph.h"
#include "Mirage/Dialect/Kernel/IR/KernelOps.h"
#include "Mirage/Dialect/Structured/IR/StructuredDialect.h"
#include "Mirage/Support/MemoryLimit.h"

#include "StructuredEmitter.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/STLExtras.h"

#include <cmath>

namespace mirage {
#define GEN_PASS_DEF_LOWERTOSTRUCTURED
#include "Mirage/Conversion/Passes.h.inc"
} // namespace mirage

using namespace mlir;
using ::mirage::KernelGraph;
using ::mirage::OpKind;
using ::mirage::OpNode;
using ::mirage::ValueId;
using namespace mirage::structured;

namespace {

/// Intermediate tensors start at multiples of this many workspace bytes.
constexpr int64_t kWorkspaceAlignment = 256;

/// The bytes of one value, or std::nullopt on overflow.
std::optional<int64_t> bytesOfValue(const ::mirage::ValueInfo &info) {
  return ::mirage::checkedNumBytes(info.shape, bytesOf(info.dtype));
}

/// Checks, with overflow-checked arithmetic, that the function's tensors
/// and every tile fit in `limit` bytes, and computes the workspace layout.
LogicalResult planMemory(func::FuncOp func, const KernelGraph &graph,
                         const ::mirage::LocationTable &locations,
                         ArrayRef<int> outputIndex, int64_t limit,
                         SmallVectorImpl<int64_t> &workspaceOffset,
                         int64_t &workspaceBytes) {
  auto tooLarge = [&](std::optional<int64_t> needed, const Twine &what,
                      Location loc) -> LogicalResult {
    llvm::Error err = ::mirage::checkMemoryNeed(needed, limit, "lower");
    if (!err)
      return success();
    return emitError(loc) << llvm::toString(std::move(err)) << " (" << what
                          << "; option memory-limit)";
  };
  std::optional<int64_t> total = 0;
  workspaceBytes = 0;
  for (size_t v = 0; v < graph.values.size(); ++v) {
    std::optional<int64_t> bytes = bytesOfValue(graph.values[v]);
    bool inWorkspace = v >= graph.numInputs && outputIndex[v] < 0;
    if (bytes && inWorkspace) {
      // Aligned to kWorkspaceAlignment; limit < INT64_MAX - alignment.
      std::optional<int64_t> aligned =
          ::mirage::checkedAddSize(*bytes, kWorkspaceAlignment - 1);
      bytes = aligned ? std::optional<int64_t>(*aligned / kWorkspaceAlignment *
                                               kWorkspaceAlignment)
                      : std::nullopt;
    }
    total = total && bytes ? ::mirage::checkedAddSize(*total, *bytes)
                           : std::nullopt;
    if (!total || *total > limit)
      return tooLarge(total, "inputs, outputs and workspace", func.getLoc());
    if (inWorkspace) {
      workspaceOffset[v] = workspaceBytes;
      workspaceBytes += *bytes; // <= total <= limit
    }
  }
  // The block graphs' inputs are the kernel-level tensors counted above;
  // every other value is a tile of the op that computes it.
  for (const OpNode &kernelOp : graph.ops) {
    if (kernelOp.kind != OpKind::GraphDefined)
      continue;
    Location kernelLoc =
        ::mirage::locationOf(kernelOp, locations, func.getLoc());
    const ::mirage::BlockGraph &bg = graph.blockGraphs[kernelOp.blockGraph];
    for (const OpNode &op : bg.ops)
      for (ValueId v : op.results) {
        const ::mirage::ValueInfo &info = bg.values[v];
        std::optional<int64_t> bytes = bytesOfValue(info);
        if (!bytes || *bytes > limit)
          return tooLarge(
              bytes, "a tile of shape " + ::mirage::formatShape(info.shape),
              ::mirage::locationOf(op, locations, kernelLoc));
      }
  }
  return success();
}

/// Builds the structured function that replaces `func`, from the graph
/// `recorded` by the pass before, or else from the function's body.
LogicalResult lowerFunction(func::FuncOp func, int64_t memoryLimit,
                            const ::mirage::ImportedGraph *recorded) {
  ::mirage::LocationTable locations;
  FailureOr<KernelGraph> imported = failure();
  if (recorded && recorded->graph()) {
    imported = *recorded->graph();
    locations = recorded->locations();
  } else {
    imported = ::mirage::importKernelGraph(func, &locations);
  }
  if (failed(imported))
    return failure();
  const KernelGraph &graph = *imported;
  MLIRContext *ctx = func.getContext();
  Location loc = func.getLoc();
  auto locationOf = [&](const OpNode &op) {
    return ::mirage::locationOf(op, locations, loc);
  };
  // The kernel-level op that computes each value.
  SmallVector<const OpNode *> producer(graph.values.size(), nullptr);
  for (const OpNode &op : graph.ops)
    for (ValueId v : op.results)
      producer[v] = &op;

  // Where each kernel-level value lives: an argument or the workspace.
  SmallVector<int> outputIndex(graph.values.size(), -1);
  for (size_t k = 0; k < graph.outputs.size(); ++k) {
    ValueId v = graph.outputs[k];
    if (v < static_cast<ValueId>(graph.numInputs))
      return func.emitError() << "result " << k
                              << " returns an input unchanged, which the "
                                 "lowering does not support";
    if (outputIndex[v] >= 0)
      return func.emitError()
             << "results " << outputIndex[v] << " and " << k
             << " are the same tensor, which the lowering does not support";
    outputIndex[v] = static_cast<int>(k);
  }
  SmallVector<int64_t> workspaceOffset(graph.values.size(), -1);
  int64_t workspaceBytes = 0;
  if (failed(planMemory(func, graph, locations, outputIndex, memoryLimit,
                        workspaceOffset, workspaceBytes)))
    return failure();

  SmallVector<Type> argTypes;
  for (unsigned i = 0; i < graph.numInputs; ++i)
    argTypes.push_back(memrefOf(ctx, graph.values[i]));
  for (ValueId v : graph.outputs)
    argTypes.push_back(memrefOf(ctx, graph.values[v]));
  argTypes.push_back(
      MemRefType::get({workspaceBytes}, IntegerType::get(ctx, 8)));

  FunctionType signature = func.getFunctionType();
  // Every kernel op must have a block graph before anything changes.
  for (const OpNode &op : graph.ops)
    if (op.kind != OpKind::GraphDefined)
      return emitError(locationOf(op))
             << "the kernel op '" << ::mirage::opKindName(op.kind)
             << "' has no block graph; run --mirage-default-schedules first";

  // A new body replaces the old one, whose values have no users left.
  Block *old = &func.getBody().front();
  SmallVector<Location> argLocs;
  for (BlockArgument arg : old->getArguments())
    argLocs.push_back(arg.getLoc());
  Location returnLoc = old->empty() ? loc : old->back().getLoc();
  old->dropAllDefinedValueUses();
  old->dropAllReferences();
  old->erase();
  // Inputs keep their locations, outputs take those of the ops that compute
  // them, the workspace the function's.
  Block &entry = func.getBody().emplaceBlock();
  for (unsigned i = 0; i < graph.numInputs; ++i)
    entry.addArgument(argTypes[i], argLocs[i]);
  for (ValueId v : graph.outputs)
    entry.addArgument(memrefOf(ctx, graph.values[v]), locationOf(*producer[v]));
  entry.addArgument(argTypes.back(), loc);
  func.setFunctionType(FunctionType::get(ctx, argTypes, {}));
  func.setAllArgAttrs(ArrayRef<DictionaryAttr>{});
  func.setAllResultAttrs(ArrayRef<DictionaryAttr>{});

  ConstantPool constants(entry, loc);
  OpBuilder b = OpBuilder::atBlockEnd(&entry);
  SmallVector<Value> memrefs(graph.values.size());
  for (unsigned i = 0; i < graph.numInputs; ++i)
    memrefs[i] = entry.getArgument(i);
  for (size_t k = 0; k < graph.outputs.size(); ++k)
    memrefs[graph.outputs[k]] = entry.getArgument(graph.numInputs + k);
  Value workspace = entry.getArguments().back();
  for (size_t v = 0; v < graph.values.size(); ++v)
    if (workspaceOffset[v] >= 0)
      memrefs[v] = memref::ViewOp::create(
          b, locationOf(*producer[v]), memrefOf(ctx, graph.values[v]),
          workspace,
          constants.index(workspaceOffset[v], locationOf(*producer[v])),
          ValueRange{});

  int kernelCount = 0;
  for (const OpNode &op : graph.ops) {
    SmallVector<Value> ins, outs;
    for (ValueId v : op.operands)
      ins.push_back(memrefs[v]);
    for (ValueId v : op.results)
      outs.push_back(memrefs[v]);
    KernelEmitter emitter(b, constants, locationOf(op),
                          graph.blockGraphs[op.blockGraph], ins, outs,
                          locations);
    std::string name =
        (func.getSymName() + "_kernel" + Twine(kernelCount++)).str();
    if (failed(emitter.emit(name)))
      return failure();
  }
  func::ReturnOp::create(b, returnLoc);

  func->setAttr(
      ::mirage::structured::AbiAttr::kName,
      ::mirage::structured::AbiAttr::get(ctx, signature, workspaceBytes));
  return success();
}

struct LowerToStructuredPass
    : ::mirage::impl::LowerToStructuredBase<LowerToStructuredPass> {
  using LowerToStructuredBase::LowerToStructuredBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal() ||
        func->hasAttr(::mirage::structured::AbiAttr::kName))
      return;
    bool hasKernelOps = false;
    func.walk([&](Operation *op) {
      if (isa<::mirage::kernel::KernelDialect>(op->getDialect()))
        hasKernelOps = true;
    });
    bool tensorSignature =
        llvm::any_of(func.getArgumentTypes(), llvm::IsaPred<TensorType>) ||
        llvm::any_of(func.getResultTypes(), llvm::IsaPred<TensorType>);
    if (!hasKernelOps && !tensorSignature)
      return;
    // Functions of a mixed module that are not ours to lower.
    if (std::string why =
            ::mirage::whyNotLowered(func, "mirage-lower-to-structured");
        !why.empty()) {
      func.emitRemark() << why;
      markAllAnalysesPreserved();
      return;
    }
    if (memoryLimit < 1) {
      func.emitError() << "option memory-limit must be positive";
      return signalPassFailure();
    }
    auto recorded = getCachedAnalysis<::mirage::ImportedGraph>();
    const ::mirage::ImportedGraph *graph =
        recorded && recorded->get().graph() ? &recorded->get() : nullptr;
    if (failed(lowerFunction(func, memoryLimit, graph)))
      signalPassFailure();
  }
};

} // namespace
