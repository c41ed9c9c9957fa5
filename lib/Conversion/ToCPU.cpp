//===- ToCPU.cpp - The pipeline from kernel-level IR to LLVM for the CPU --===//
//
// The CPU pipeline, `mirage-to-cpu`, and the registration of both
// pipelines. See docs/Lowering.md, "Pipelines".
//
//===----------------------------------------------------------------------===//

#include "Mirage/Conversion/Passes.h"

#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVMPass.h"
#include "mlir/Conversion/IndexToLLVM/IndexToLLVM.h"
#include "mlir/Conversion/MathToLLVM/MathToLLVM.h"
#include "mlir/Conversion/MathToLibm/MathToLibm.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Conversion/VectorToLLVM/ConvertVectorToLLVMPass.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

namespace mirage {
#define GEN_PASS_DEF_EMITCINTERFACE
#include "Mirage/Conversion/Passes.h.inc"
} // namespace mirage

using namespace mlir;

namespace {

struct EmitCInterfacePass
    : public ::mirage::impl::EmitCInterfaceBase<EmitCInterfacePass> {
  void runOnOperation() override {
    UnitAttr unit = UnitAttr::get(&getContext());
    getOperation().walk([&](func::FuncOp func) {
      if (!func.isExternal())
        func->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(), unit);
    });
  }
};

} // namespace

void mirage::buildMapToCPUPasses(OpPassManager &pm) {
  // Kernel-level functions to sequential loops on memrefs (still with
  // cooperative linalg ops).
  pm.addNestedPass<func::FuncOp>(createDefaultSchedules());
  pm.addNestedPass<func::FuncOp>(createLowerToStructured());
  pm.addNestedPass<func::FuncOp>(createMapToCPU());
  // After the structured lowering, which rewrites the signatures: the C
  // wrapper takes one pointer to a memref descriptor per argument.
  pm.addPass(createEmitCInterface());
}

void mirage::buildToCPUPipeline(OpPassManager &pm) {
  buildMapToCPUPasses(pm);
  buildCPUToLLVMPasses(pm);
}

void mirage::buildCPUToLLVMPasses(OpPassManager &pm) {
  // Sequential loops to the LLVM dialect.
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  // Intrinsics first (LLVM lowers them to instructions or libm calls it
  // knows); math-to-libm then takes the ops LLVM has no intrinsic for.
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass());
  // bf16 conversions as integer code: LLVM would call __truncsfbf2, which
  // the C runtime of Debian 12 (libgcc 12) does not have.
  arith::ArithExpandOpsPassOptions expand;
  expand.includeBf16 = true;
  pm.addPass(arith::createArithExpandOpsPass(expand));
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  // The 16-byte stores of savers (vector.store).
  pm.addPass(createConvertVectorToLLVMPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

void mirage::registerMirageConversionPipelines() {
  PassPipelineRegistration<ToPTXPipelineOptions>(
      "mirage-to-ptx",
      "Compile kernel-level functions to PTX bundles: OUTPUT/NAME.ptx and "
      "the launch manifest OUTPUT/NAME.json (docs/Lowering.md, "
      "\"Pipelines\")",
      buildToPTXPipeline);
  PassPipelineRegistration<>(
      "mirage-to-cpu",
      "Lower kernel-level functions to the LLVM dialect for the CPU "
      "(docs/Lowering.md, \"Pipelines\")",
      buildToCPUPipeline);
  PassPipelineRegistration<>(
      "mirage-mixed-to-cpu",
      "Lower a mixed module to the LLVM dialect for the CPU: outlined "
      "regions by our lowering, the rest by upstream's (docs/Import.md, "
      "\"Running a mixed module\")",
      buildMixedToCPUPipeline);
  PassPipelineRegistration<MixedToGPUPipelineOptions>(
      "mirage-mixed-to-gpu",
      "Lower a mixed module to the LLVM dialect with the outlined regions "
      "launched on the GPU (gpu.launch_func on a gpu.binary, the CUDA "
      "runtime wrappers on the host) (docs/Import.md, \"Running a mixed "
      "module on a GPU\")",
      buildMixedToGPUPipeline);
}
