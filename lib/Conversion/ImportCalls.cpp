//===- ImportCalls.cpp - Lower outlined regions and their calls -*- C++ -*-===//
//
// `--mirage-lower-calls`: the way back out of the kernel dialect for a
// mixed module on the CPU path. Each outlined function (mirage.outlined)
// that the rest of the program calls is lowered to the structured level,
// and every call to it is rewritten, in the same step, into the lowered
// function's calling convention (structured.abi): the input tensors as
// buffers, a fresh buffer per output, a workspace; the outputs are read
// back as tensors. Upstream's bufferization then takes the callers
// (`mirage-mixed-to-cpu`, docs/Import.md, "Running a mixed module").
//
//===----------------------------------------------------------------------===//

#include "Mirage/Bridge/MixedModules.h"
#include "Mirage/Conversion/Passes.h"
#include "Mirage/Dialect/Kernel/IR/KernelDialect.h"
#include "Mirage/Dialect/Structured/IR/StructuredDialect.h"

#include "mlir/Conversion/BufferizationToMemRef/BufferizationToMemRef.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

namespace mirage {
#define GEN_PASS_DEF_LOWERCALLS
#include "Mirage/Conversion/Passes.h.inc"
} // namespace mirage

using namespace mlir;

namespace {

/// Buffers hold tensors at this alignment (bytes), as the lowering's
/// 16-byte vector stores need at least.
constexpr int64_t kBufferAlignment = 64;

struct LowerCallsPass : public ::mirage::impl::LowerCallsBase<LowerCallsPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (failed(::mirage::checkKernelOpsOutlined(module, "mirage-lower-calls")))
      return signalPassFailure();
    // Outlined functions, and any other kernel-level function on tensors
    // (its callers are checked below).
    for (func::FuncOp func : ::mirage::kernelFunctionsOnTensors(module))
      if (failed(lowerWithCalls(module, func)))
        return signalPassFailure();
  }

  LogicalResult lowerWithCalls(ModuleOp module, func::FuncOp func) {
    FailureOr<SmallVector<func::CallOp>> found = ::mirage::callsOf(
        module, func, "mirage-lower-calls", "its lowered form");
    if (failed(found))
      return failure();
    SmallVector<func::CallOp> calls = std::move(*found);
    // The function alone, as --mirage-to-cpu lowers a kernel-level one.
    func->removeAttr(::mirage::kOutlinedAttr);
    OpPassManager pm(func::FuncOp::getOperationName());
    pm.addPass(::mirage::createDefaultSchedules());
    pm.addPass(::mirage::createLowerToStructured());
    if (failed(runPipeline(pm, func)))
      return failure();
    if (!func->hasAttr(::mirage::structured::AbiAttr::kName))
      return func.emitError()
             << "mirage-lower-calls: the lowering left no structured.abi";
    for (func::CallOp call : calls)
      rewriteCall(call, func);
    return success();
  }

  /// `%r = call @f(%t...)` becomes: buffers of the inputs, a buffer per
  /// output and the workspace, `call @f(inputs, outputs, workspace)`, and
  /// the outputs read back as tensors.
  void rewriteCall(func::CallOp call, func::FuncOp callee) {
    OpBuilder builder(call);
    Location loc = call.getLoc();
    TypeRange argTypes = callee.getArgumentTypes();
    unsigned numInputs = call.getNumOperands();
    unsigned numOutputs = call.getNumResults();
    SmallVector<Value> args;
    for (auto [operand, type] :
         llvm::zip_equal(call.getOperands(), argTypes.take_front(numInputs)))
      args.push_back(bufferization::ToBufferOp::create(
          builder, loc, type, operand, /*read_only=*/true));
    auto allocate = [&](Type type) -> Value {
      return memref::AllocOp::create(
          builder, loc, cast<MemRefType>(type),
          builder.getI64IntegerAttr(kBufferAlignment));
    };
    SmallVector<Value> outputs;
    for (Type type : argTypes.slice(numInputs, numOutputs))
      outputs.push_back(allocate(type));
    llvm::append_range(args, outputs);
    Value workspace = allocate(argTypes.back());
    args.push_back(workspace);
    func::CallOp::create(builder, loc, callee, args);
    if (freeWorkspace)
      memref::DeallocOp::create(builder, loc, workspace);
    for (auto [result, buffer] : llvm::zip_equal(call.getResults(), outputs))
      result.replaceAllUsesWith(bufferization::ToTensorOp::create(
          builder, loc, result.getType(), buffer, /*restrict=*/true,
          /*writable=*/true));
    call.erase();
  }
};

/// The last step of `mirage-mixed-to-cpu`: drops `structured.abi`, which
/// only our tools read, so that upstream's tools (mlir-runner,
/// mlir-translate) take the module without our dialects.
struct DropAbiPass : public PassWrapper<DropAbiPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(DropAbiPass)
  StringRef getArgument() const override { return "mirage-drop-abi"; }
  StringRef getDescription() const override {
    return "Drop structured.abi from every function";
  }
  void runOnOperation() override {
    getOperation().walk([](Operation *op) {
      op->removeAttr(::mirage::structured::AbiAttr::kName);
    });
  }
};

} // namespace

void mirage::buildMixedToCPUPipeline(OpPassManager &pm) {
  // Upstream's deallocation below frees the workspaces with the other
  // buffers; it refuses a module that already frees some.
  LowerCallsOptions calls;
  calls.freeWorkspace = false;
  pm.addPass(createLowerCalls(calls));
  // The callers: tensors to buffers, across function boundaries, with the
  // identity layouts the lowered functions take.
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  buildMapToCPUPasses(pm);
  // Every buffer the callers allocate (each call's outputs and workspace,
  // the callers' own tensors) freed after its last use; a function's
  // results go to its caller. Not before the CPU mapping: on the
  // structured level it would move ops ahead of a kernel's buffers.
  bufferization::buildBufferDeallocationPipeline(pm);
  // The copies it makes of a buffer a function returns but does not own
  // (bufferization.clone) become an allocation and a copy.
  pm.addPass(createConvertBufferizationToMemRefPass());
  buildCPUToLLVMPasses(pm);
  pm.addPass(createDropAbiPass());
}

std::unique_ptr<Pass> mirage::createDropAbiPass() {
  return std::make_unique<DropAbiPass>();
}
