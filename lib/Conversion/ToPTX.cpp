//===- ToPTX.cpp - Kernel-level functions to PTX bundles ------------------===//
//
// The GPU pipeline as one pass: the structured level, the GPU mapping,
// outlining, NVVM, PTX through the NVPTX back end, and the bundle of each
// function (PTX + launch manifest). See the pass description in
// Conversion/Passes.td.
//
//===----------------------------------------------------------------------===//

#include "Mirage/Conversion/Passes.h"
#include "Mirage/Portable/Chips.h"
#include "Mirage/Target/Bundle.h"

#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Conversion/GPUToNVVM/GPUToNVVMPass.h"
#include "mlir/Conversion/NVGPUToNVVM/NVGPUToNVVM.h"
#include "mlir/Conversion/NVVMToLLVM/NVVMToLLVM.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

namespace mirage {
#define GEN_PASS_DEF_TOPTX
#include "Mirage/Conversion/Passes.h.inc"
} // namespace mirage

using namespace mlir;

namespace {

using ::mirage::portable::ChipInfo;

/// A chip of the chip table (Mirage/Portable/Chips.h), or null.
const ChipInfo *lookupChip(StringRef name) {
  return ::mirage::portable::findChip(
      std::string_view(name.data(), name.size()));
}

/// convert-gpu-to-nvvm gives gpu.dynamic_shared_memory an internal
/// zero-length global, which the NVPTX back end turns into a one-byte
/// `.shared` variable of the kernel: every access past its first byte is out
/// of the object's bounds, which LLVM's optimizer may exploit. An external
/// declaration is what CUDA's `extern __shared__ char smem[]` produces:
/// `.extern .shared .align 16 .b8 smem[]`, the dynamic shared memory itself.
void externalizeDynamicSharedMemory(ModuleOp module) {
  module.walk([](LLVM::GlobalOp global) {
    auto array = dyn_cast<LLVM::LLVMArrayType>(global.getGlobalType());
    if (global.getAddrSpace() == /*shared=*/3 && array &&
        array.getNumElements() == 0 &&
        global.getLinkage() == LLVM::Linkage::Internal &&
        global.getSymName().starts_with("__dynamic_shmem__"))
      global.setLinkage(LLVM::Linkage::External);
  });
}

struct ToPTXPass : mirage::impl::ToPTXBase<ToPTXPass> {
  using ToPTXBase::ToPTXBase;

  void getDependentDialects(DialectRegistry &registry) const override {
    // The nested pipeline's dialects must be loaded before it runs in
    // parallel; an unknown chip still gives a pipeline to ask.
    const ChipInfo *info = lookupChip(chip);
    OpPassManager pm(ModuleOp::getOperationName());
    buildPipeline(pm, info ? *info : ::mirage::portable::chips()[0]);
    buildBinaryPipeline(pm, info ? *info : ::mirage::portable::chips()[0]);
    pm.getDependentDialects(registry);
  }

  /// From kernel-level functions to the LLVM dialect in gpu.modules.
  void buildPipeline(OpPassManager &pm, const ChipInfo &info) const {
    OpPassManager &funcs = pm.nest<func::FuncOp>();
    funcs.addPass(mirage::createDefaultSchedules());
    funcs.addPass(mirage::createLowerToStructured());
    mirage::MapToGPUOptions mapping;
    mapping.sharedMemoryBytes =
        sharedMemoryBytes > 0 ? sharedMemoryBytes : info.sharedMemoryPerBlock;
    mapping.tensorCores = tensorCores && info.ampere;
    mapping.vectorize = vectorize;
    mapping.asyncCopy = asyncCopy && info.ampere;
    funcs.addPass(mirage::createMapToGPU(mapping));

    pm.addPass(createGpuLaunchSinkIndexComputationsPass());
    pm.addPass(createGpuKernelOutliningPass());
    pm.addPass(createConvertNVGPUToNVVMPass());
    OpPassManager &device = pm.nest<gpu::GPUModuleOp>();
    device.addPass(memref::createExpandStridedMetadataPass());
    device.addPass(createLowerAffinePass());
    device.addPass(createSCFToControlFlowPass());
    ConvertGpuOpsToNVVMOpsOptions nvvm;
    nvvm.useBarePtrCallConv = true; // one pointer per kernel parameter
    device.addPass(createConvertGpuOpsToNVVMOps(nvvm));
    device.addPass(createConvertNVVMToLLVMPass());
    device.addPass(createCanonicalizerPass());
    device.addPass(createCSEPass());
    device.addPass(createReconcileUnrealizedCastsPass());
  }

  /// NVVM target attachment and PTX generation.
  void buildBinaryPipeline(OpPassManager &pm, const ChipInfo &info) const {
    GpuNVVMAttachTargetOptions target;
    target.chip = info.name;
    target.features = info.ptxFeatures;
    target.optLevel = optLevel;
    pm.addPass(createGpuNVVMAttachTarget(target));
    GpuModuleToBinaryPassOptions binary;
    binary.compilationTarget = "isa";
    binary.toolkitPath = cudaPath;
    pm.addPass(createGpuModuleToBinaryPass(binary));
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    const ChipInfo *info = lookupChip(chip);
    if (!info) {
      InFlightDiagnostic diag = emitError(module.getLoc())
                                << "unknown chip '" << chip
                                << "': CUDA 13's ptxas knows ";
      llvm::interleaveComma(::mirage::portable::chips(), diag,
                            [&](const ChipInfo &c) { diag << c.name; });
      return signalPassFailure();
    }
    if (output.empty()) {
      emitError(module.getLoc()) << "--mirage-to-ptx needs an output directory "
                                    "(option output=DIR)";
      return signalPassFailure();
    }
    if (optLevel < 0 || optLevel > 3) {
      emitError(module.getLoc())
          << "opt-level must be 0, 1, 2 or 3, not " << optLevel.getValue();
      return signalPassFailure();
    }
    // A function without outputs leaves nothing a caller can read, and
    // mirage-run rejects its bundle: refuse it before compiling anything.
    bool noOutputs = false;
    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isExternal() || func.getNumResults() != 0 ||
          func->hasAttr("mirage.structured"))
        continue;
      bool hasKernelOps = false;
      func.walk([&](Operation *op) {
        hasKernelOps |=
            isa_and_nonnull<mirage::kernel::KernelDialect>(op->getDialect());
      });
      if (!hasKernelOps &&
          !llvm::any_of(func.getArgumentTypes(), llvm::IsaPred<TensorType>))
        continue;
      func.emitOpError() << "returns no tensor: a bundle needs at least one "
                            "output";
      noOutputs = true;
    }
    if (noOutputs)
      return signalPassFailure();
    OpPassManager lowering(ModuleOp::getOperationName());
    buildPipeline(lowering, *info);
    if (failed(runPipeline(lowering, module)))
      return signalPassFailure();
    externalizeDynamicSharedMemory(module);
    OpPassManager binary(ModuleOp::getOperationName());
    buildBinaryPipeline(binary, *info);
    if (failed(runPipeline(binary, module)))
      return signalPassFailure();

    SmallVector<mirage::target::BundleFile> files;
    bool ok = true;
    bool any = false;
    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isExternal() || !func->hasAttr("mirage.structured"))
        continue;
      any = true;
      ok &= succeeded(mirage::target::buildBundle(func, chip, files));
    }
    if (!any) {
      emitError(module.getLoc())
          << "no function to compile: --mirage-to-ptx "
             "compiles functions of kernel ops, graph-defined "
             "kernels or structured kernels";
      return signalPassFailure();
    }
    if (!ok || failed(mirage::target::writeBundleFiles(output, files,
                                                       module.getLoc())))
      return signalPassFailure();
  }
};

} // namespace
