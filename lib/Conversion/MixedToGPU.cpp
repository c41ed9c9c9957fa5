//===- MixedToGPU.cpp - Outlined regions on the GPU, the rest on the host -===//
//
// `--mirage-lower-calls-to-gpu` and the `mirage-mixed-to-gpu` pipeline: the
// way back out of the kernel dialect for a mixed module on the GPU path.
// Each outlined function the rest of the program calls is lowered as
// `mirage-to-ptx` lowers it, and its kernels (one gpu.launch each) are
// inlined at every call between host <-> device copies; upstream's GPU
// passes then make them gpu.launch_func on a gpu.binary, and the host side
// calls the CUDA runtime wrappers (mgpu*). See docs/Import.md, "Running a
// mixed module on a GPU".
//
//===----------------------------------------------------------------------===//

#include "Mirage/Bridge/MixedModules.h"
#include "Mirage/Conversion/Passes.h"
#include "Mirage/Dialect/Kernel/IR/KernelDialect.h"
#include "Mirage/Dialect/Structured/IR/StructuredDialect.h"
#include "Mirage/Portable/Chips.h"

#include "mlir/Conversion/GPUCommon/GPUCommonPass.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Pass/PassManager.h"

namespace mirage {
#define GEN_PASS_DEF_LOWERCALLSTOGPU
#include "Mirage/Conversion/Passes.h.inc"
} // namespace mirage

using namespace mlir;

namespace {

using ::mirage::portable::ChipInfo;

/// Host buffers of the outputs, as mirage-lower-calls allocates them.
constexpr int64_t kHostBufferAlignment = 64;

struct LowerCallsToGPUPass
    : public ::mirage::impl::LowerCallsToGPUBase<LowerCallsToGPUPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    const ChipInfo *info = ::mirage::portable::findChip(
        std::string_view(chip.getValue().data(), chip.getValue().size()));
    if (!info) {
      InFlightDiagnostic diag = emitError(module.getLoc())
                                << "mirage-lower-calls-to-gpu: unknown chip '"
                                << chip << "': CUDA 13's ptxas knows ";
      llvm::interleaveComma(::mirage::portable::chips(), diag,
                            [&](const ChipInfo &c) { diag << c.name; });
      return signalPassFailure();
    }
    if (sharedMemoryBytes < 0) {
      emitError(module.getLoc())
          << "mirage-lower-calls-to-gpu: shared-memory-bytes must not be "
             "negative, not "
          << sharedMemoryBytes.getValue();
      return signalPassFailure();
    }
    // More than the chip lets a block opt into would fail at the launch.
    if (sharedMemoryBytes > info->sharedMemoryPerBlock) {
      emitError(module.getLoc())
          << "mirage-lower-calls-to-gpu: shared-memory-bytes "
          << sharedMemoryBytes.getValue() << " exceeds the "
          << info->sharedMemoryPerBlock << " bytes a block of " << info->name
          << " may use";
      return signalPassFailure();
    }
    mapping.sharedMemoryBytes = sharedMemoryBytes > 0
                                    ? int64_t(sharedMemoryBytes)
                                    : info->sharedMemoryPerBlock;
    mapping.tensorCores = tensorCores && info->ampere;
    mapping.vectorize = vectorize;
    mapping.asyncCopy = asyncCopy && info->ampere;

    if (failed(::mirage::checkKernelOpsOutlined(module,
                                                "mirage-lower-calls-to-gpu")))
      return signalPassFailure();
    bool launched = false;
    for (func::FuncOp func : ::mirage::kernelFunctionsOnTensors(module)) {
      FailureOr<bool> done = launchOnGPU(module, func);
      if (failed(done))
        return signalPassFailure();
      launched |= *done;
    }
    if (launched)
      module->setAttr(gpu::GPUDialect::getContainerModuleAttrName(),
                      UnitAttr::get(&getContext()));
  }

  /// Lowers a copy of `func` to gpu.launch ops and inlines it at every
  /// call. True when it did; false when `func` has no calls or the GPU
  /// mapping refused it (a remark; `func` is unchanged).
  FailureOr<bool> launchOnGPU(ModuleOp module, func::FuncOp func) {
    FailureOr<SmallVector<func::CallOp>> found = ::mirage::callsOf(
        module, func, "mirage-lower-calls-to-gpu", "kernel launches");
    if (failed(found))
      return failure();
    SmallVector<func::CallOp> calls = std::move(*found);
    if (calls.empty())
      return false;

    // The copy takes the function's name, which names its kernels and
    // their gpu.module; the original waits under another.
    std::string name = func.getSymName().str();
    OpBuilder builder(func);
    builder.setInsertionPointAfter(func);
    auto lowered = cast<func::FuncOp>(builder.clone(*func));
    func.setSymName(name + "__mirage_host");
    lowered->removeAttr(::mirage::kOutlinedAttr);
    auto restore = [&] {
      lowered.erase();
      func.setSymName(name);
    };

    // The structured level: what fails here fails on every target.
    OpPassManager structured(func::FuncOp::getOperationName());
    structured.addPass(::mirage::createDefaultSchedules());
    structured.addPass(::mirage::createLowerToStructured());
    if (failed(runPipeline(structured, lowered))) {
      restore();
      return failure();
    }
    if (!lowered->hasAttr(::mirage::structured::AbiAttr::kName)) {
      restore();
      return func.emitError()
             << "mirage-lower-calls-to-gpu: the lowering left no "
                "structured.abi";
    }

    // The GPU mapping: what it refuses (the chip's limits) stays on the
    // host with the reason as a remark.
    std::string why;
    LogicalResult mapped = success();
    {
      ScopedDiagnosticHandler capture(&getContext(), [&](Diagnostic &diag) {
        if (diag.getSeverity() != DiagnosticSeverity::Error)
          return failure(); // notes and remarks go on as usual
        if (why.empty())
          why = diag.str();
        return success();
      });
      OpPassManager gpu(func::FuncOp::getOperationName());
      gpu.addPass(::mirage::createMapToGPU(mapping));
      mapped = runPipeline(gpu, lowered);
    }
    if (failed(mapped)) {
      restore();
      func.emitRemark() << "mirage-lower-calls-to-gpu: @" << name
                        << " stays on the host (mirage-lower-calls): the GPU "
                           "mapping for "
                        << chip << " refused it: " << why;
      return false;
    }

    for (func::CallOp call : calls)
      inlineLaunches(call, lowered);
    lowered.erase();
    func.erase();
    return true;
  }

  /// `%r = call @f(%t...)` becomes: each input copied to a device buffer,
  /// a device buffer per output and the workspace, the lowered body of
  /// @f on them (its gpu.launch ops), the outputs copied back to host
  /// buffers read as tensors, and the device buffers freed.
  void inlineLaunches(func::CallOp call, func::FuncOp lowered) {
    OpBuilder builder(call);
    Location loc = call.getLoc();
    TypeRange argTypes = lowered.getArgumentTypes();
    unsigned numInputs = call.getNumOperands();
    unsigned numOutputs = call.getNumResults();
    auto deviceAlloc = [&](Type type) -> Value {
      return gpu::AllocOp::create(builder, loc, type, /*asyncToken=*/Type(),
                                  /*asyncDependencies=*/ValueRange(),
                                  /*dynamicSizes=*/ValueRange(),
                                  /*symbolOperands=*/ValueRange())
          .getMemref();
    };
    SmallVector<Value> device;
    for (auto [operand, type] :
         llvm::zip_equal(call.getOperands(), argTypes.take_front(numInputs))) {
      Value host =
          bufferization::ToBufferOp::create(builder, loc, type, operand,
                                            /*read_only=*/true);
      Value buffer = deviceAlloc(type);
      gpu::MemcpyOp::create(builder, loc, /*asyncToken=*/Type(),
                            /*asyncDependencies=*/ValueRange(), buffer, host);
      device.push_back(buffer);
    }
    for (Type type : argTypes.drop_front(numInputs))
      device.push_back(deviceAlloc(type));

    IRMapping map;
    map.map(lowered.getArguments(), device);
    for (Operation &op : lowered.getBody().front().without_terminator())
      builder.clone(op, map);

    SmallVector<Value> results;
    for (auto [type, buffer] :
         llvm::zip_equal(argTypes.slice(numInputs, numOutputs),
                         ArrayRef(device).slice(numInputs, numOutputs))) {
      Value host = memref::AllocOp::create(
          builder, loc, cast<MemRefType>(type),
          builder.getI64IntegerAttr(kHostBufferAlignment));
      gpu::MemcpyOp::create(builder, loc, /*asyncToken=*/Type(),
                            /*asyncDependencies=*/ValueRange(), host, buffer);
      results.push_back(host);
    }
    for (Value buffer : device)
      gpu::DeallocOp::create(builder, loc, /*asyncToken=*/Type(),
                             /*asyncDependencies=*/ValueRange(), buffer);
    for (auto [result, host] : llvm::zip_equal(call.getResults(), results))
      result.replaceAllUsesWith(bufferization::ToTensorOp::create(
          builder, loc, result.getType(), host, /*restrict=*/true,
          /*writable=*/true));
    call.erase();
  }

  ::mirage::MapToGPUOptions mapping;
};

} // namespace

void mirage::buildMixedToGPUPipeline(OpPassManager &pm,
                                     const MixedToGPUPipelineOptions &options) {
  // The regions: on the GPU where the mapping takes them, on the host
  // (our CPU lowering, with their calls) where it does not.
  LowerCallsToGPUOptions calls;
  calls.chip = options.chip;
  calls.sharedMemoryBytes = options.sharedMemoryBytes;
  calls.tensorCores = options.tensorCores;
  calls.vectorize = options.vectorize;
  calls.asyncCopy = options.asyncCopy;
  pm.addPass(createLowerCallsToGPU(calls));
  pm.addPass(createLowerCalls());
  // The kernels: gpu.launch_func on one gpu.binary per region.
  buildGPUModulesToBinaryPipeline(pm, options.chip, options.optLevel,
                                  options.cudaPath, options.format);
  // The callers: tensors to buffers, as on the CPU path.
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  // Copies, launches and frees in order on one stream per function: the
  // runtime calls of gpu-to-llvm take async ops.
  pm.addNestedPass<func::FuncOp>(createGpuAsyncRegionPass());
  // The host: the regions left on it and upstream's ops, then the GPU
  // runtime calls (mgpu*), the kernels' arguments as bare pointers as the
  // device side takes them.
  buildToCPUPipeline(pm);
  GpuToLLVMConversionPassOptions host;
  host.kernelBarePtrCallConv = true;
  pm.addPass(createGpuToLLVMConversionPass(host));
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createDropAbiPass());
}
