//===- ToPTX.cpp - Kernel-level functions to PTX bundles ------------------===//
//
// The GPU pipeline, `mirage-to-ptx`: the structured level, the GPU mapping,
// outlining, NVVM, PTX through the NVPTX back end, and the bundle of each
// function (PTX + launch manifest), written by the Target library's
// `mirage-write-bundles`. Also the passes only this pipeline needs: the
// check of its inputs and the dynamic shared memory fix-up. See
// docs/Lowering.md, "Pipelines".
//
//===----------------------------------------------------------------------===//

#include "Mirage/Bridge/MixedModules.h"
#include "Mirage/Conversion/Passes.h"
#include "Mirage/Dialect/Structured/IR/StructuredDialect.h"
#include "Mirage/Portable/Chips.h"
#include "Mirage/Target/Passes.h"

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
#define GEN_PASS_DEF_CHECKBUNDLEINPUTS
#define GEN_PASS_DEF_EXTERNALIZEDYNAMICSHAREDMEMORY
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

struct ExternalizeDynamicSharedMemoryPass
    : mirage::impl::ExternalizeDynamicSharedMemoryBase<
          ExternalizeDynamicSharedMemoryPass> {
  void runOnOperation() override {
    getOperation().walk([](LLVM::GlobalOp global) {
      auto array = dyn_cast<LLVM::LLVMArrayType>(global.getGlobalType());
      if (global.getAddrSpace() == /*shared=*/3 && array &&
          array.getNumElements() == 0 &&
          global.getLinkage() == LLVM::Linkage::Internal &&
          global.getSymName().starts_with("__dynamic_shmem__"))
        global.setLinkage(LLVM::Linkage::External);
    });
  }
};

struct CheckBundleInputsPass
    : mirage::impl::CheckBundleInputsBase<CheckBundleInputsPass> {
  using CheckBundleInputsBase::CheckBundleInputsBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (!lookupChip(chip)) {
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
          func->hasAttr(mirage::structured::AbiAttr::kName))
        continue;
      bool hasKernelOps = false;
      func.walk([&](Operation *op) {
        hasKernelOps |=
            isa_and_nonnull<mirage::kernel::KernelDialect>(op->getDialect());
      });
      if (!hasKernelOps &&
          !llvm::any_of(func.getArgumentTypes(), llvm::IsaPred<TensorType>))
        continue;
      // Left alone by the lowering (mirage-lower-to-structured's remark).
      if (!::mirage::whyNotLowered(func, "").empty())
        continue;
      func.emitOpError() << "returns no tensor: a bundle needs at least one "
                            "output";
      noOutputs = true;
    }
    if (noOutputs)
      return signalPassFailure();
    markAllAnalysesPreserved();
  }
};

} // namespace

void mirage::buildToPTXPipeline(OpPassManager &pm,
                                const ToPTXPipelineOptions &options) {
  // An unknown chip still builds a pipeline; its first pass refuses it.
  const ChipInfo *found = lookupChip(options.chip);
  const ChipInfo &info = found ? *found : ::mirage::portable::chips()[0];

  CheckBundleInputsOptions check;
  check.chip = options.chip;
  check.output = options.output;
  check.optLevel = options.optLevel;
  pm.addPass(createCheckBundleInputs(check));

  // From kernel-level functions to the LLVM dialect in gpu.modules.
  OpPassManager &funcs = pm.nest<func::FuncOp>();
  funcs.addPass(createDefaultSchedules());
  funcs.addPass(createLowerToStructured());
  MapToGPUOptions mapping;
  mapping.sharedMemoryBytes = options.sharedMemoryBytes > 0
                                  ? int64_t(options.sharedMemoryBytes)
                                  : info.sharedMemoryPerBlock;
  mapping.tensorCores = options.tensorCores && info.ampere;
  mapping.vectorize = options.vectorize;
  mapping.asyncCopy = options.asyncCopy && info.ampere;
  funcs.addPass(createMapToGPU(mapping));

  buildGPUModulesToBinaryPipeline(pm, info.name, options.optLevel,
                                  options.cudaPath, "isa");

  // The bundles, by the Target library.
  WriteBundlesOptions bundles;
  bundles.chip = options.chip;
  bundles.output = options.output;
  pm.addPass(createWriteBundles(bundles));
}

void mirage::buildGPUModulesToBinaryPipeline(OpPassManager &pm, StringRef chip,
                                             int optLevel, StringRef cudaPath,
                                             StringRef format) {
  const ChipInfo *found = lookupChip(chip);
  const ChipInfo &info = found ? *found : ::mirage::portable::chips()[0];
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
  pm.addPass(createExternalizeDynamicSharedMemory());

  // NVVM target attachment and PTX generation.
  GpuNVVMAttachTargetOptions target;
  target.chip = info.name;
  target.features = info.ptxFeatures;
  target.optLevel = optLevel;
  pm.addPass(createGpuNVVMAttachTarget(target));
  GpuModuleToBinaryPassOptions binary;
  binary.compilationTarget = format.str();
  binary.toolkitPath = cudaPath.str();
  pm.addPass(createGpuModuleToBinaryPass(binary));
}
