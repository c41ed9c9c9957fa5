//===- CheckLimits.cpp - Resource limits of graph-defined kernels -*- C++ -*-=//

#include "Mirage/Bridge/UGraphImport.h"
#include "Mirage/Core/SharedMemory.h"
#include "Mirage/Dialect/Block/IR/BlockOps.h"
#include "Mirage/Dialect/Kernel/IR/KernelOps.h"
#include "Mirage/Support/ShapeRules.h"
#include "Mirage/Transforms/Passes.h"

namespace mirage {
#define GEN_PASS_DEF_CHECKLIMITS
#include "Mirage/Transforms/Passes.h.inc"
} // namespace mirage

using namespace mlir;

namespace {

struct CheckLimitsPass
    : public ::mirage::impl::CheckLimitsBase<CheckLimitsPass> {
  using Base::Base;

  void runOnOperation() override {
    bool ok = true;
    getOperation().walk([&](mirage::kernel::GraphDefinedOp kernelOp) {
      ok &= succeeded(checkKernel(kernelOp));
    });
    if (!ok)
      signalPassFailure();
    markAllAnalysesPreserved();
  }

  LogicalResult checkKernel(mirage::kernel::GraphDefinedOp kernelOp) {
    bool ok = true;
    auto check = [&](int64_t value, int64_t limit, StringRef what,
                     StringRef option) {
      if (value <= limit)
        return;
      kernelOp.emitError() << what << " " << value << " exceeds the limit of "
                           << limit << " (option " << option << ")";
      ok = false;
    };
    // The one accounting of the search, the cost model and the GPU mapping
    // (Mirage/Core/SharedMemory.h): the buffers as the code generator lays
    // them out, single-buffered (the least the kernel needs to run).
    FailureOr<::mirage::BlockGraph> graph =
        ::mirage::importBlockGraphOf(kernelOp);
    if (failed(graph))
      return failure();
    check(::mirage::blockSharedMemory(*graph).bytes, sharedMemoryBytes,
          "shared memory per block in bytes:", "shared-memory-bytes");
    check(kernelOp.getBody().front().getOperations().size(), maxBlockOps,
          "number of block ops:", "max-block-ops");
    check(kernelOp.getInputs().size(), maxInputs,
          "number of input tensors:", "max-inputs");
    check(kernelOp.getNumResults(), maxOutputs,
          "number of output tensors:", "max-outputs");
    return success(ok);
  }
};

} // namespace
