//===- ToPTX.cpp - Kernel-level functions to PTX bundles ------------------===//
//
// The GPU pipeline as one pass: the structured level, the GPU mapping,
// outlining, NVVM, PTX through the NVPTX back end, and the bundle of each
// function (PTX + launch manifest). See the pass description in
// Conversion/Passes.td.
//
//===----------------------------------------------------------------------===//

#include "Mirage/Conversion/Passes.h"
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
    buildPipeline(pm, info ? *info : kChips[0]);
    buildBinaryPipeline(pm, info ? *info : kChips[0]);
    pm.getDependentDialects(registry);
  }

  /// From kernel-level functions to the LLVM dialect in gpu.modules.
  void buildPipeline(OpPassManager &pm, const ChipInfo &info) const {
    OpPassManager &funcs = pm.nest<func::FuncOp>();
    funcs.addPass(mirage::createDefaultSchedules());
    funcs.addPass(mirage::createLowerToStructured());
    mirage::MapToGPUOptions mapping;
    mapping.sharedMemoryBytes =
        sharedMemoryBytes > 0 ? sharedMemoryBytes : info.sharedMemoryBytes;
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
    target.chip = info.name.str();
    target.features = info.features.str();
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
