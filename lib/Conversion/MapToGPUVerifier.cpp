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

bool isValidKernelName(StringRef name) {
  if (name.empty() || !(llvm::isAlpha(name[0]) || name[0] == '_'))
    return false;
  return llvm::all_of(name,
                      [](char c) { return llvm::isAlnum(c) || c == '_'; });
}

/// The checks of one kernel.
class KernelVerifier {
public:
  explicit KernelVerifier(scf::ParallelOp kernel) : kernel(kernel) {}

  LogicalResult verifyShape();
  LogicalResult verifyBlockLevel(Block &block, bool top);

  KernelShape shape;

private:
  InFlightDiagnostic error(Operation *op) {
    return op->emitOpError() << "in kernel '" << shape.name << "': ";
  }
  LogicalResult verifyPhase(scf::ParallelOp phase);
  LogicalResult verifyBuffer(memref::AllocaOp alloca);
  LogicalResult verifyPrivateUses(memref::AllocaOp alloca);
  LogicalResult verifyWorkgroupUses(memref::AllocaOp alloca);
  LogicalResult verifyCooperative(Operation *op);

  scf::ParallelOp kernel;
};

LogicalResult KernelVerifier::verifyShape() {
  auto attr = kernel->getAttrOfType<DictionaryAttr>(kKernelAttr);
  StringAttr name = attr ? attr.getAs<StringAttr>("name") : StringAttr();
  auto block =
      attr ? attr.getAs<DenseI64ArrayAttr>("block") : DenseI64ArrayAttr();
  if (!name || !block || block.size() != 3)
    return kernel.emitOpError()
           << "'" << kKernelAttr
           << "' must be a dictionary with a string 'name' and a 'block' of "
              "three extents";
  shape.name = name.str();
  if (!isValidKernelName(shape.name))
    return kernel.emitOpError()
           << "kernel name '" << shape.name
           << "' is not a PTX identifier (letters, digits and '_', not "
              "starting with a digit)";
  if (kernel.getNumLoops() != 3 || kernel.getNumResults() != 0)
    return kernel.emitOpError()
           << "kernel '" << shape.name
           << "' must loop over three grid dimensions, without reductions";
  for (unsigned d = 0; d < 3; ++d) {
    std::optional<int64_t> lb = getConstantIntValue(kernel.getLowerBound()[d]);
    std::optional<int64_t> ub = getConstantIntValue(kernel.getUpperBound()[d]);
    std::optional<int64_t> step = getConstantIntValue(kernel.getStep()[d]);
    if (lb != 0 || step != 1 || !ub || *ub < 1)
      return kernel.emitOpError()
             << "kernel '" << shape.name << "': grid dimension " << d
             << " must run from 0 to a positive constant in unit steps";
    if (*ub > kMaxGrid[d])
      return kernel.emitOpError()
             << "kernel '" << shape.name << "': grid dimension " << d << " has "
             << *ub << " blocks; CUDA allows at most " << kMaxGrid[d];
    shape.grid[d] = *ub;
    shape.block[d] = block[d];
  }
  if (shape.block[0] < 1 || shape.block[1] != 1 || shape.block[2] != 1)
    return kernel.emitOpError()
           << "kernel '" << shape.name << "' has block [" << shape.block[0]
           << ", " << shape.block[1] << ", " << shape.block[2]
           << "]; the GPU mapping supports blocks [T, 1, 1] with T >= 1";
  if (shape.block[0] > kMaxThreadsPerBlock)
    return kernel.emitOpError()
           << "kernel '" << shape.name << "' has " << shape.block[0]
           << " threads per block; CUDA allows at most " << kMaxThreadsPerBlock;
  return success();
}

LogicalResult KernelVerifier::verifyBlockLevel(Block &block, bool top) {
  for (Operation &op : block.without_terminator()) {
    LogicalResult result =
        TypeSwitch<Operation *, LogicalResult>(&op)
            .Case([&](memref::AllocaOp alloca) -> LogicalResult {
              if (!top)
                return error(alloca)
                       << "buffers are allocated at the start of the kernel, "
                          "not inside a loop";
              return verifyBuffer(alloca);
            })
            .Case([&](scf::ParallelOp phase) { return verifyPhase(phase); })
            .Case([&](scf::ForOp loop) -> LogicalResult {
              if (loop.getNumResults() != 0)
                return error(loop) << "a block-level loop cannot carry values";
              return verifyBlockLevel(*loop.getBody(), /*top=*/false);
            })
            .Case<linalg::CopyOp, linalg::MatmulOp, linalg::BatchMatmulOp>(
                [&](Operation *coop) { return verifyCooperative(coop); })
            .Case([](memref::SubViewOp) { return success(); })
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

LogicalResult KernelVerifier::verifyPhase(scf::ParallelOp phase) {
  if (!phase->hasAttr(kPhaseAttr))
    return error(phase) << "an scf.parallel inside a kernel must be a phase ('"
                        << kPhaseAttr << "')";
  std::optional<int64_t> lb, ub, step;
  if (phase.getNumLoops() == 1) {
    lb = getConstantIntValue(phase.getLowerBound()[0]);
    ub = getConstantIntValue(phase.getUpperBound()[0]);
    step = getConstantIntValue(phase.getStep()[0]);
  }
  if (lb != 0 || step != 1 || ub != shape.block[0] ||
      phase.getNumResults() != 0)
    return error(phase) << "a phase must run over the block's threads [0, "
                        << shape.block[0]
                        << ") in unit steps, without reductions";
  WalkResult walk = phase.getBody()->walk([&](Operation *op) {
    if (isa<scf::ParallelOp>(op)) {
      error(op) << "phases do not nest";
      return WalkResult::interrupt();
    }
    if (auto load = dyn_cast<memref::LoadOp>(op))
      return failed(verifyElementType(op, load.getMemRef()))
                 ? WalkResult::interrupt()
                 : WalkResult::advance();
    if (auto store = dyn_cast<memref::StoreOp>(op))
      return failed(verifyElementType(op, store.getMemRef()))
                 ? WalkResult::interrupt()
                 : WalkResult::advance();
    if (isa<scf::ForOp, scf::IfOp, scf::YieldOp, scf::ReduceOp,
            vector::FromElementsOp, vector::StoreOp>(op) ||
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

LogicalResult KernelVerifier::verifyBuffer(memref::AllocaOp alloca) {
  StringRef memory = memoryOf(alloca);
  if (memory != "workgroup" && memory != "private")
    return error(alloca) << "a kernel buffer needs " << kMemoryAttr
                         << " = \"workgroup\" or \"private\"";
  MemRefType type = alloca.getType();
  if (!type.hasStaticShape() || !type.getLayout().isIdentity() ||
      type.getMemorySpace())
    return error(alloca) << "a kernel buffer must have a static shape, the "
                            "identity layout and no memory space";
  if (failed(verifyElementType(alloca, alloca.getResult())))
    return failure();
  return memory == "private" ? verifyPrivateUses(alloca)
                             : verifyWorkgroupUses(alloca);
}

LogicalResult KernelVerifier::verifyPrivateUses(memref::AllocaOp alloca) {
  MemRefType type = alloca.getType();
  if (type.getRank() < 1 || type.getShape()[0] != shape.block[0])
    return error(alloca) << "the leading dimension of a private buffer must "
                            "be the block's thread count "
                         << shape.block[0];
  for (Operation *user : alloca->getUsers()) {
    ValueRange indices;
    if (auto load = dyn_cast<memref::LoadOp>(user))
      indices = load.getIndices();
    else if (auto store = dyn_cast<memref::StoreOp>(user);
             store && store.getMemRef() == alloca.getResult())
      indices = store.getIndices();
    else
      return error(user) << "uses a private buffer; only memref.load and "
                            "memref.store inside a phase may";
    auto phase = user->getParentOfType<scf::ParallelOp>();
    if (!phase || !phase->hasAttr(kPhaseAttr))
      return error(user) << "accesses a private buffer outside a phase";
    if (indices.empty() || indices[0] != phase.getInductionVars()[0])
      return error(user) << "the first index of a private buffer access must "
                            "be the thread id of its phase";
  }
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

StringRef mirage::gpu_mapping::memoryOf(memref::AllocaOp alloca) {
  auto memory = alloca->getAttrOfType<StringAttr>(kMemoryAttr);
  return memory ? memory.getValue() : StringRef();
}

LogicalResult mirage::gpu_mapping::verifyStructuredFunction(func::FuncOp func) {
  WalkResult walk = func.walk([&](scf::ParallelOp op) {
    bool isKernel = op->hasAttr(kKernelAttr);
    if (!isKernel && !op->hasAttr(kPhaseAttr))
      return WalkResult::advance();
    Operation *kernel = op->getParentOp();
    while (kernel && !kernel->hasAttr(kKernelAttr))
      kernel = kernel->getParentOp();
    if (isKernel && kernel) {
      op.emitOpError() << "kernels do not nest";
      return WalkResult::interrupt();
    }
    if (!isKernel && !kernel) {
      op.emitOpError() << "a phase must be inside a kernel";
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  if (walk.wasInterrupted())
    return failure();
  if (!func->hasAttr("mirage.structured") || func.isExternal())
    return success();
  // Inputs and outputs are named by the bundle's dtype; the workspace last.
  ArrayRef<Type> args = func.getArgumentTypes();
  for (auto [i, type] : llvm::enumerate(args)) {
    auto memref = dyn_cast<MemRefType>(type);
    bool workspace = i + 1 == args.size();
    if (memref && (workspace ? memref.getElementType().isInteger(8)
                             : isSupportedElementType(memref.getElementType())))
      continue;
    return func.emitOpError()
           << "argument " << i << " has type " << type << "; "
           << (workspace
                   ? "the last argument must be the workspace memref<Nxi8>"
                   : "the GPU mapping supports memrefs of f16, bf16 and "
                     "f32");
  }
  return success();
}

FailureOr<KernelShape>
mirage::gpu_mapping::verifyKernel(scf::ParallelOp kernel) {
  KernelVerifier verifier(kernel);
  if (failed(verifier.verifyShape()) ||
      failed(verifier.verifyBlockLevel(*kernel.getBody(), /*top=*/true)))
    return failure();
  return verifier.shape;
}
