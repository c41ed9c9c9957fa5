//===- ToCPU.cpp - The pipeline from kernel-level IR to LLVM for the CPU --===//
//
// One pass that runs the CPU pipeline as two nested dynamic pipelines, so
// that it is declared in ODS (options, docs/Passes) and composes with other
// passes, unlike a bare pipeline registration. See the pass description in
// Conversion/Passes.td.
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

namespace mirage {
#define GEN_PASS_DEF_TOCPU
#include "Mirage/Conversion/Passes.h.inc"
} // namespace mirage

using namespace mlir;

namespace {

/// Kernel-level functions to sequential loops on memrefs (still with
/// cooperative linalg ops).
void buildToLoops(OpPassManager &pm) {
  pm.addNestedPass<func::FuncOp>(::mirage::createDefaultSchedules());
  pm.addNestedPass<func::FuncOp>(::mirage::createLowerToStructured());
  pm.addNestedPass<func::FuncOp>(::mirage::createMapToCPU());
}

/// Sequential loops to the LLVM dialect.
void buildToLLVM(OpPassManager &pm) {
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

struct ToCPUPass : public ::mirage::impl::ToCPUBase<ToCPUPass> {
  using ToCPUBase::ToCPUBase;

  void getDependentDialects(DialectRegistry &registry) const override {
    ToCPUBase::getDependentDialects(registry);
    OpPassManager pm(ModuleOp::getOperationName());
    buildToLoops(pm);
    buildToLLVM(pm);
    pm.getDependentDialects(registry);
  }

  LogicalResult initialize(MLIRContext *) override {
    toLoops.clear();
    toLLVM.clear();
    buildToLoops(toLoops);
    buildToLLVM(toLLVM);
    return success();
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (failed(runPipeline(toLoops, module)))
      return signalPassFailure();
    // Set after the structured lowering, which rewrites the signatures: the
    // C wrapper takes one pointer to a memref descriptor per argument, the
    // interface mirage-cpu-runner (and any C caller) uses.
    UnitAttr unit = UnitAttr::get(&getContext());
    module.walk([&](func::FuncOp func) {
      if (!func.isExternal())
        func->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(), unit);
    });
    if (failed(runPipeline(toLLVM, module)))
      return signalPassFailure();
  }

  OpPassManager toLoops{ModuleOp::getOperationName()};
  OpPassManager toLLVM{ModuleOp::getOperationName()};
};

} // namespace
