//===- MapToGPUVerifier.cpp - Rules --mirage-map-to-gpu relies on ---------===//
//
// Checks the structured level before the GPU mapping rewrites it. Every
// message names the kernel and the rule. See MapToGPUVerifier.h.
//
//===----------------------------------------------------------------------===//

#include "MapToGPUVerifier.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mirage::gpu_mapping;
using ::mirage::structured::ForLoopOp;
using ::mirage::structured::KernelOp;
using ::mirage::structured::MemorySpace;
using ::mirage::structured::memorySpaceOf;
using ::mirage::structured::PhaseOp;

namespace {

/// CUDA's limits on the launch shape.
constexpr int64_t kMaxGrid[3] = {2147483647, 65535, 65535};
constexpr int64_t kMaxThreadsPerBlock = 1024;

bool isSupportedElementType(Type type) {
  return type.isF16() || type.isBF16() || type.isF32();
}

/// Checks the element type of a buffer the kernel reads or writes.
LogicalResult verifyElementType(Operation *op, Value memref) {
  auto type = dyn_cast<MemRefType>(memref.getType());
  if (!type)
    return op->emitOpError() << "operates on " << memref.getType()
                             << "; the GPU mapping needs memrefs";
  if (!isSupportedElementType(type.getElementType()))
    return op->emitOpError()
           << "has unsupported element type " << type.getElementType()
           << " (the GPU mapping supports f16, bf16 and f32)";
  return success();
}

/// The checks of one kernel.
class KernelVerifier {
public:
  explicit KernelVerifier(KernelOp kernel) : kernel(kernel) {}

  LogicalResult verifyShape();
  LogicalResult verifyBlockLevel(Block &block);

  KernelShape shape;

private:
  InFlightDiagnostic error(Operation *op) {
    return op->emitOpError() << "in kernel '" << shape.name << "': ";
  }
  LogicalResult verifyPhase(PhaseOp phase);
  LogicalResult verifyBuffer(memref::AllocaOp alloca);
  LogicalResult verifyWorkgroupUses(memref::AllocaOp alloca);
  LogicalResult verifyCooperative(Operation *op);

  KernelOp kernel;
};

LogicalResult KernelVerifier::verifyShape() {
  shape.name = kernel.getKernelName().str();
  for (unsigned d = 0; d < 3; ++d) {
    shape.grid[d] = kernel.getGrid()[d];
    shape.block[d] = kernel.getBlockShape()[d];
    if (shape.grid[d] > kMaxGrid[d])
      return kernel.emitOpError()
             << "kernel '" << shape.name << "': grid dimension " << d << " has "
             << shape.grid[d] << " blocks; CUDA allows at most " << kMaxGrid[d];
  }
  if (shape.block[1] != 1 || shape.block[2] != 1)
    return kernel.emitOpError()
           << "kernel '" << shape.name << "' has block [" << shape.block[0]
           << ", " << shape.block[1] << ", " << shape.block[2]
           << "]; the GPU mapping supports blocks [T, 1, 1]";
  if (shape.block[0] > kMaxThreadsPerBlock)
    return kernel.emitOpError()
           << "kernel '" << shape.name << "' has " << shape.block[0]
           << " threads per block; CUDA allows at most " << kMaxThreadsPerBlock;
  return success();
}

LogicalResult KernelVerifier::verifyBlockLevel(Block &block) {
  for (Operation &op : block) {
    LogicalResult result =
        TypeSwitch<Operation *, LogicalResult>(&op)
            .Case([&](memref::AllocaOp alloca) { return verifyBuffer(alloca); })
            .Case([&](PhaseOp phase) { return verifyPhase(phase); })
            .Case([&](ForLoopOp loop) {
              return verifyBlockLevel(*loop.getBody());
            })
            .Case([&](scf::ForOp loop) -> LogicalResult {
              if (loop.getNumResults() != 0)
                return error(loop) << "a block-level loop cannot carry values";
              return verifyBlockLevel(*loop.getBody());
            })
            .Case<linalg::CopyOp, linalg::MatmulOp, linalg::BatchMatmulOp>(
                [&](Operation *coop) { return verifyCooperative(coop); })
            .Case<memref::SubViewOp, scf::YieldOp>(
                [](Operation *) { return success(); })
            .Default([&](Operation *other) -> LogicalResult {
              if (isa_and_present<arith::ArithDialect>(other->getDialect()))
                return success();
              return error(other)
                     << "has no GPU mapping at block level (index "
                        "arithmetic, subviews, loops, phases, buffers and "
                        "cooperative ops have)";
            });
    if (failed(result))
      return failure();
  }
  return success();
}

LogicalResult KernelVerifier::verifyPhase(PhaseOp phase) {
  WalkResult walk = phase.getBody()->walk([&](Operation *op) {
    if (auto load = dyn_cast<memref::LoadOp>(op))
      return failed(verifyElementType(op, load.getMemRef()))
                 ? WalkResult::interrupt()
                 : WalkResult::advance();
    if (auto store = dyn_cast<memref::StoreOp>(op))
      return failed(verifyElementType(op, store.getMemRef()))
                 ? WalkResult::interrupt()
                 : WalkResult::advance();
    if (isa<scf::ForOp, scf::IfOp, scf::YieldOp, vector::FromElementsOp,
            vector::StoreOp>(op) ||
        isa_and_present<arith::ArithDialect, math::MathDialect>(
            op->getDialect()))
      return WalkResult::advance();
    error(op) << "has no lowering inside a phase (arith, math, scf.for, "
                 "scf.if, memref.load, memref.store, vector.from_elements "
                 "and vector.store have)";
    return WalkResult::interrupt();
  });
  return failure(walk.wasInterrupted());
}

/// Placement, shape, memory space and private accesses are checked by the
/// verifier of structured.kernel.
LogicalResult KernelVerifier::verifyBuffer(memref::AllocaOp alloca) {
  if (failed(verifyElementType(alloca, alloca.getResult())))
    return failure();
  if (memorySpaceOf(alloca.getType()) == MemorySpace::Workgroup)
    return verifyWorkgroupUses(alloca);
  return success();
}

LogicalResult KernelVerifier::verifyWorkgroupUses(memref::AllocaOp alloca) {
  SmallVector<Value> worklist{alloca.getResult()};
  while (!worklist.empty()) {
    Value v = worklist.pop_back_val();
    for (OpOperand &use : v.getUses()) {
      Operation *user = use.getOwner();
      if (auto subview = dyn_cast<memref::SubViewOp>(user)) {
        worklist.push_back(subview.getResult());
        continue;
      }
      if (auto store = dyn_cast<memref::StoreOp>(user);
          store && store.getValueToStore() == v)
        return error(user) << "stores a workgroup buffer as a value";
      if (!isa<memref::LoadOp, memref::StoreOp, linalg::CopyOp,
               linalg::MatmulOp, linalg::BatchMatmulOp>(user))
        return error(user) << "uses a workgroup buffer; only loads, stores, "
                              "subviews and cooperative ops may";
    }
  }
  return success();
}

LogicalResult KernelVerifier::verifyCooperative(Operation *op) {
  for (Value operand : op->getOperands())
    if (failed(verifyElementType(op, operand)))
      return failure();
  if (auto copy = dyn_cast<linalg::CopyOp>(op)) {
    auto src = cast<MemRefType>(copy.getDpsInputs()[0].getType());
    auto dst = cast<MemRefType>(copy.getDpsInits()[0].getType());
    if (src.getShape() != dst.getShape() ||
        src.getElementType() != dst.getElementType())
      return error(op) << "a cooperative copy needs operands of one shape "
                          "and element type";
    return success();
  }
  bool userMaps =
      TypeSwitch<Operation *, bool>(op)
          .Case<linalg::MatmulOp, linalg::BatchMatmulOp>(
              [](auto matmul) { return matmul.hasUserDefinedMaps(); })
          .Default([](Operation *) { return false; });
  if (userMaps)
    return error(op) << "a matmul with other than the default indexing maps "
                        "has no GPU mapping";
  return success();
}

} // namespace

FailureOr<KernelShape> mirage::gpu_mapping::verifyKernel(KernelOp kernel) {
  KernelVerifier verifier(kernel);
  if (failed(verifier.verifyShape()) ||
      failed(verifier.verifyBlockLevel(*kernel.getBody())))
    return failure();
  return verifier.shape;
}
