//===- Passes.h - Mirage-MLIR conversion passes -----------------*- C++ -*-===//

#ifndef MIRAGE_CONVERSION_PASSES_H
#define MIRAGE_CONVERSION_PASSES_H

#include "Mirage/Dialect/Block/IR/BlockDialect.h"
#include "Mirage/Dialect/Kernel/IR/KernelDialect.h"
#include "Mirage/Dialect/Structured/IR/StructuredDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassOptions.h"

#include <string>

namespace mirage {

#define GEN_PASS_DECL
#include "Mirage/Conversion/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "Mirage/Conversion/Passes.h.inc"

/// The patterns of `--mirage-import`, one per mapping from an upstream op to
/// kernel ops (docs/Import.md). A pattern that does not apply says why with
/// notifyMatchFailure.
void populateImportPatterns(mlir::RewritePatternSet &patterns);

//===----------------------------------------------------------------------===//
// Pipelines (docs/Lowering.md, "Pipelines")
//===----------------------------------------------------------------------===//

/// The device-code options that `mirage-to-ptx` and `mirage-mixed-to-gpu`
/// share: the chip, its shared memory, the CUDA toolkit, LLVM's
/// optimization level and the code generator's switches.
template <typename Derived>
struct GPUCodegenPipelineOptions : public mlir::PassPipelineOptions<Derived> {
  template <typename DataType>
  using Option = mlir::detail::PassOptions::Option<DataType>;

  Option<std::string> chip{
      *this, "chip",
      llvm::cl::desc(
          "The GPU to compile for (sm_75 and newer, e.g. sm_80, sm_90a)"),
      llvm::cl::init("sm_90")};
  Option<int64_t> sharedMemoryBytes{
      *this, "shared-memory-bytes",
      llvm::cl::desc("Dynamic shared memory available to one block; 0 takes "
                     "the chip's maximum"),
      llvm::cl::init(0)};
  Option<std::string> cudaPath{
      *this, "cuda-path",
      llvm::cl::desc("The CUDA toolkit whose nvvm/libdevice is linked (and "
                     "whose ptxas makes a cubin where one is asked for)"),
      llvm::cl::init("/usr/local/cuda")};
  Option<int> optLevel{
      *this, "opt-level",
      llvm::cl::desc("LLVM optimization level of the device code"),
      llvm::cl::init(3)};
  Option<bool> tensorCores{
      *this, "tensor-cores",
      llvm::cl::desc("Use mma.sync for f16/bf16 matmuls (from sm_80)"),
      llvm::cl::init(true)};
  Option<bool> vectorize{
      *this, "vectorize",
      llvm::cl::desc(
          "Copy tiles with 16-byte vector loads and stores where aligned"),
      llvm::cl::init(true)};
  Option<bool> asyncCopy{
      *this, "async-copy",
      llvm::cl::desc("Double-buffer the copies of the for-loop with cp.async "
                     "(from sm_80)"),
      llvm::cl::init(true)};
};

/// The options of the `mirage-to-ptx` pipeline.
struct ToPTXPipelineOptions
    : public GPUCodegenPipelineOptions<ToPTXPipelineOptions> {
  Option<std::string> output{
      *this, "output",
      llvm::cl::desc("The directory the bundles are written to (required)"),
      llvm::cl::init("")};
};

/// Kernel-level (or graph-defined, or structured) functions to PTX bundles:
/// `mirage-check-bundle-inputs`, the structured level, the GPU mapping,
/// outlining, NVVM, PTX, and `mirage-write-bundles`.
void buildToPTXPipeline(mlir::OpPassManager &pm,
                        const ToPTXPipelineOptions &options);

/// Kernel-level functions to the LLVM dialect for the CPU (the JIT of
/// mirage-cpu-runner): `buildMapToCPUPasses`, then `buildCPUToLLVMPasses`.
void buildToCPUPipeline(mlir::OpPassManager &pm);

/// The first half of `buildToCPUPipeline`: kernel-level functions to
/// sequential loops on memrefs (default schedules, the structured level,
/// the CPU mapping, the C interface).
void buildMapToCPUPasses(mlir::OpPassManager &pm);

/// The second half of `buildToCPUPipeline`: loops on memrefs to the LLVM
/// dialect.
void buildCPUToLLVMPasses(mlir::OpPassManager &pm);

/// A mixed module to the LLVM dialect for the CPU: `mirage-lower-calls`
/// (`free-workspace=false`), upstream's one-shot bufferization of the
/// callers, `buildMapToCPUPasses`, upstream's buffer deallocation pipeline
/// (every buffer the callers allocate is freed), `buildCPUToLLVMPasses`
/// (docs/Import.md, "Running a mixed module").
void buildMixedToCPUPipeline(mlir::OpPassManager &pm);

/// `mirage-drop-abi`, the last step of the mixed pipelines: drops
/// `structured.abi`, which only our tools read.
std::unique_ptr<mlir::Pass> createDropAbiPass();

/// The options of the `mirage-mixed-to-gpu` pipeline.
struct MixedToGPUPipelineOptions
    : public GPUCodegenPipelineOptions<MixedToGPUPipelineOptions> {
  Option<std::string> format{
      *this, "format",
      llvm::cl::desc("What gpu.binary holds: isa (PTX, compiled by the "
                     "driver when loaded), bin (a cubin, by ptxas) or fatbin"),
      llvm::cl::init("isa")};
};

/// The device half of `mirage-to-ptx`, shared with `mirage-mixed-to-gpu`:
/// from functions holding `gpu.launch` to `gpu.launch_func` and one
/// `gpu.binary` per kernel module (outlining, NVVM, the dynamic shared
/// memory fix-up, `nvvm-attach-target`, `gpu-module-to-binary` with
/// `format`: isa, bin or fatbin).
void buildGPUModulesToBinaryPipeline(mlir::OpPassManager &pm,
                                     llvm::StringRef chip, int optLevel,
                                     llvm::StringRef cudaPath,
                                     llvm::StringRef format);

/// A mixed module to the LLVM dialect with the outlined regions on the GPU:
/// `mirage-lower-calls-to-gpu`, `mirage-lower-calls` for what stays on the
/// host, the kernels to a `gpu.binary`, upstream's bufferization, async
/// regions, `buildToCPUPipeline` and `gpu-to-llvm` (docs/Import.md,
/// "Running a mixed module on a GPU").
void buildMixedToGPUPipeline(mlir::OpPassManager &pm,
                             const MixedToGPUPipelineOptions &options);

/// Registers `mirage-to-ptx`, `mirage-to-cpu`, `mirage-mixed-to-cpu` and
/// `mirage-mixed-to-gpu` with the global registry.
void registerMirageConversionPipelines();

} // namespace mirage

#endif // MIRAGE_CONVERSION_PASSES_H
