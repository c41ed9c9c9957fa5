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

#include "Mirage/Conversion/Passes.h"
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

/// What the pipeline needs to know about a chip.
struct ChipInfo {
  llvm::StringLiteral name;
  /// The PTX ISA: the first that supports the chip, and at least 7.0 (the
  /// first with mma.sync m16n8k16 and cp.async); sm_90 takes 8.0 as the
  /// first ISA with all of Hopper's features.
  llvm::StringLiteral features;
  /// The most dynamic shared memory one block may opt into.
  int64_t sharedMemoryBytes;
  /// mma.sync m16n8k16 and cp.async exist (sm_80 and newer).
  bool ampere;
};

/// The chips CUDA 13's ptxas accepts. The shared-memory limits are those of
/// the CUDA programming guide's table; sm_88 and sm_110 follow their
/// families (consumer Ampere and datacenter Blackwell).
constexpr ChipInfo kChips[] = {
    {"sm_75", "+ptx70", 65536, false},   {"sm_80", "+ptx70", 166912, true},
    {"sm_86", "+ptx71", 101376, true},   {"sm_87", "+ptx74", 166912, true},
    {"sm_88", "+ptx90", 101376, true},   {"sm_89", "+ptx78", 101376, true},
    {"sm_90", "+ptx80", 232448, true},   {"sm_90a", "+ptx80", 232448, true},
    {"sm_100", "+ptx86", 232448, true},  {"sm_100a", "+ptx86", 232448, true},
    {"sm_100f", "+ptx88", 232448, true}, {"sm_103", "+ptx88", 232448, true},
    {"sm_103a", "+ptx88", 232448, true}, {"sm_103f", "+ptx88", 232448, true},
    {"sm_110", "+ptx90", 232448, true},  {"sm_110a", "+ptx90", 232448, true},
    {"sm_110f", "+ptx90", 232448, true}, {"sm_120", "+ptx87", 101376, true},
    {"sm_120a", "+ptx87", 101376, true}, {"sm_120f", "+ptx88", 101376, true},
    {"sm_121", "+ptx88", 101376, true},  {"sm_121a", "+ptx88", 101376, true},
    {"sm_121f", "+ptx88", 101376, true},
};

const ChipInfo *lookupChip(StringRef name) {
  for (const ChipInfo &chip : kChips)
    if (chip.name == name)
      return &chip;
  return nullptr;
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
      llvm::interleaveComma(kChips, diag,
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
    markAllAnalysesPreserved();
  }
};

} // namespace

void mirage::buildToPTXPipeline(OpPassManager &pm,
                                const ToPTXPipelineOptions &options) {
  // An unknown chip still builds a pipeline; its first pass refuses it.
  const ChipInfo *found = lookupChip(options.chip);
  const ChipInfo &info = found ? *found : kChips[0];

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
                                  : info.sharedMemoryBytes;
  mapping.tensorCores = options.tensorCores && info.ampere;
  mapping.vectorize = options.vectorize;
  mapping.asyncCopy = options.asyncCopy && info.ampere;
  funcs.addPass(createMapToGPU(mapping));

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
  target.chip = info.name.str();
  target.features = info.features.str();
  target.optLevel = options.optLevel;
  pm.addPass(createGpuNVVMAttachTarget(target));
  GpuModuleToBinaryPassOptions binary;
  binary.compilationTarget = "isa";
  binary.toolkitPath = options.cudaPath;
  pm.addPass(createGpuModuleToBinaryPass(binary));

  // The bundles, by the Target library.
  WriteBundlesOptions bundles;
  bundles.chip = options.chip;
  bundles.output = options.output;
  pm.addPass(createWriteBundles(bundles));
}
