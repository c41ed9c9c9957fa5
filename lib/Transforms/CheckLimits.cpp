//===- CheckLimits.cpp - Resource limits of graph-defined kernels -*- C++ -*-=//

#include "Mirage/Dialect/Block/IR/BlockOps.h"
#include "Mirage/Dialect/Kernel/IR/KernelOps.h"
#include "Mirage/Support/ShapeRules.h"
#include "Mirage/Transforms/Passes.h"

#include <limits>

namespace mirage {
#define GEN_PASS_DEF_CHECKLIMITS
#include "Mirage/Transforms/Passes.h.inc"
} // namespace mirage

using namespace mlir;

namespace {

/// Bytes of shared memory the block graph holds at once, without reuse:
/// every tile result except those of in-place ops, saturated at INT64_MAX
/// (which exceeds every limit) rather than wrapping to a small number.
int64_t estimateSharedMemoryBytes(mirage::kernel::GraphDefinedOp kernelOp) {
  int64_t bytes = 0;
  for (Operation &op : kernelOp.getBody().front()) {
    if (op.hasTrait<mirage::block::InPlace>())
      continue;
    for (Type type : op.getResultTypes())
      if (auto tile = dyn_cast<mirage::block::TileType>(type))
        // Saturates: each tile fits in int64_t, their sum may not.
        bytes = ::mirage::checkedAddSize(bytes, tile.getSizeInBytes())
                    .value_or(std::numeric_limits<int64_t>::max());
  }
  return bytes;
}

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
    check(estimateSharedMemoryBytes(kernelOp), sharedMemoryBytes,
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
