//===- MapToCPU.cpp - Map the structured level to sequential CPU code -----===//
//
// Consumes the structured level of docs/Lowering.md: checks every rule of
// the contract that the CPU mapping relies on, then runs the blocks of each
// kernel and the threads of each phase one after the other (scf.for), with
// the workgroup and private buffers hoisted to the function entry. See the
// pass description in Conversion/Passes.td.
//
//===----------------------------------------------------------------------===//

#include "Mirage/Conversion/Passes.h"
#include "Mirage/Dialect/Structured/IR/StructuredDialect.h"
#include "Mirage/Dialect/Structured/IR/StructuredOps.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Index/IR/IndexDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/AttrTypeSubElements.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace mirage {
#define GEN_PASS_DEF_MAPTOCPU
#include "Mirage/Conversion/Passes.h.inc"
} // namespace mirage

using namespace mlir;

namespace {

constexpr llvm::StringLiteral kStructuredAttr =
    mirage::structured::AbiAttr::kName;

using ::mirage::structured::ForLoopOp;
using ::mirage::structured::KernelOp;
using ::mirage::structured::MemorySpace;
using ::mirage::structured::memorySpaceOf;
using ::mirage::structured::PhaseOp;

bool isCooperative(Operation *op) {
  return isa<linalg::CopyOp, linalg::MatmulOp, linalg::BatchMatmulOp>(op);
}

/// The allocation or argument that `value` views (through subviews, views,
/// casts).
Value rootBuffer(Value value) {
  while (auto view = value.getDefiningOp<ViewLikeOpInterface>())
    value = view.getViewSource();
  return value;
}

/// Checks one structured function against what the CPU mapping relies on
/// beyond the verifiers of the structured ops, and collects what the mapping
/// rewrites. Every broken rule is reported at the op that breaks it; nothing
/// is rewritten unless the whole function passes.
class ContractChecker {
public:
  explicit ContractChecker(func::FuncOp func) : func(func) {}

  LogicalResult check();

  /// The buffers of every kernel, in program order.
  SmallVector<memref::AllocaOp> buffers;
  SmallVector<KernelOp> kernels;
  SmallVector<ForLoopOp> loops;
  SmallVector<PhaseOp> phases;
  /// The bytes the buffers take once hoisted.
  int64_t bufferBytes = 0;

private:
  LogicalResult checkBlockLevel(Block &block);
  LogicalResult checkBuffer(memref::AllocaOp alloca);
  LogicalResult checkPhase(PhaseOp phase);
  LogicalResult checkCooperative(Operation *op);
  LogicalResult checkWorkgroupUses(Value buffer);

  static bool isBufferIn(Value value, MemorySpace space) {
    return memorySpaceOf(rootBuffer(value).getType()) == space;
  }

  func::FuncOp func;
};

LogicalResult ContractChecker::check() {
  // The signature is the structured.abi attribute's, checked by the
  // structured dialect's verifier.
  if (!func.getBody().hasOneBlock())
    return func.emitError("a structured function has a single block");
  for (Operation &op : func.getBody().front()) {
    if (auto kernel = dyn_cast<KernelOp>(op)) {
      kernels.push_back(kernel);
      if (failed(checkBlockLevel(*kernel.getBody())))
        return failure();
      continue;
    }
    if (!isa<memref::ViewOp, arith::ConstantOp, func::ReturnOp>(op))
      return op.emitError()
             << "'" << op.getName()
             << "' is not allowed at function level of the structured level "
                "(kernels, workspace views, constants and return)";
  }
  return success();
}

LogicalResult ContractChecker::checkBlockLevel(Block &block) {
  for (Operation &op : block) {
    if (auto alloca = dyn_cast<memref::AllocaOp>(op)) {
      if (failed(checkBuffer(alloca)))
        return failure();
      continue;
    }
    if (auto phase = dyn_cast<PhaseOp>(op)) {
      if (failed(checkPhase(phase)))
        return failure();
      continue;
    }
    if (auto loop = dyn_cast<ForLoopOp>(op)) {
      loops.push_back(loop);
      if (failed(checkBlockLevel(*loop.getBody())))
        return failure();
      continue;
    }
    if (auto loop = dyn_cast<scf::ForOp>(op)) {
      if (failed(checkBlockLevel(*loop.getBody())))
        return failure();
      continue;
    }
    if (isCooperative(&op)) {
      if (failed(checkCooperative(&op)))
        return failure();
      continue;
    }
    // Index arithmetic, the views that cooperative ops read, terminators.
    if (isa_and_nonnull<arith::ArithDialect, index::IndexDialect>(
            op.getDialect()) ||
        isa<affine::AffineApplyOp, affine::AffineMinOp, affine::AffineMaxOp,
            memref::SubViewOp, scf::YieldOp>(op))
      continue;
    return op.emitError()
           << "'" << op.getName()
           << "' is not allowed at block level of a kernel (index arithmetic, "
              "subviews, loops, phases and cooperative ops)";
  }
  return success();
}

/// Placement, shape, memory space and private accesses are checked by the
/// verifier of structured.kernel.
LogicalResult ContractChecker::checkBuffer(memref::AllocaOp alloca) {
  MemRefType type = alloca.getType();
  Type element = type.getElementType();
  if (!element.isIntOrFloat())
    return alloca.emitError()
           << "a buffer holds integers or floats; found " << element;
  bufferBytes += type.getNumElements() *
                 llvm::divideCeil(element.getIntOrFloatBitWidth(), 8);
  buffers.push_back(alloca);
  if (memorySpaceOf(type) == MemorySpace::Workgroup)
    return checkWorkgroupUses(alloca);
  return success();
}

LogicalResult ContractChecker::checkPhase(PhaseOp phase) {
  phases.push_back(phase);
  WalkResult result = phase.getBody()->walk([&](Operation *op) {
    if (isa_and_nonnull<arith::ArithDialect, math::MathDialect>(
            op->getDialect()) ||
        isa<scf::ForOp, scf::IfOp, scf::YieldOp, memref::LoadOp,
            memref::StoreOp, vector::FromElementsOp, vector::StoreOp>(op))
      return WalkResult::advance();
    op->emitError() << "'" << op->getName()
                    << "' is not allowed inside a phase (arith, math, scf.for, "
                       "scf.if, memref.load, memref.store, "
                       "vector.from_elements, vector.store)";
    return WalkResult::interrupt();
  });
  return failure(result.wasInterrupted());
}

LogicalResult ContractChecker::checkCooperative(Operation *op) {
  auto linalgOp = cast<linalg::LinalgOp>(op);
  if (!linalgOp.hasPureBufferSemantics())
    return op->emitError("a cooperative op works on memrefs");
  if (auto copy = dyn_cast<linalg::CopyOp>(op)) {
    if (!isBufferIn(copy.getOutputs()[0], MemorySpace::Workgroup))
      return op->emitError("a linalg.copy stages a tile into a workgroup "
                           "buffer");
    return success();
  }
  for (Value operand : op->getOperands())
    if (!isBufferIn(operand, MemorySpace::Workgroup))
      return op->emitError() << "the operands of '" << op->getName()
                             << "' are workgroup buffers";
  return success();
}

LogicalResult ContractChecker::checkWorkgroupUses(Value buffer) {
  for (Operation *user : buffer.getUsers()) {
    if (isa<memref::LoadOp, memref::StoreOp>(user) || isCooperative(user))
      continue;
    // A view of a tile (for example one half of a concat_matmul operand)
    // is accessed under the same rules as the tile.
    if (auto subview = dyn_cast<memref::SubViewOp>(user)) {
      if (failed(checkWorkgroupUses(subview.getResult())))
        return failure();
      continue;
    }
    return user->emitError()
           << "a workgroup buffer is accessed only by memref.load, "
              "memref.store and the cooperative ops, not by '"
           << user->getName() << "'";
  }
  return success();
}

/// The index constants of a function, reused or created at its entry.
class IndexConstants {
public:
  explicit IndexConstants(func::FuncOp func) : entry(func.getBody().front()) {
    for (auto constant : entry.getOps<arith::ConstantIndexOp>())
      values.try_emplace(constant.value(), constant);
  }

  Value get(RewriterBase &rewriter, Location loc, int64_t value) {
    Value &slot = values[value];
    if (!slot) {
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPointToStart(&entry);
      slot = arith::ConstantIndexOp::create(rewriter, loc, value);
    }
    return slot;
  }

private:
  Block &entry;
  DenseMap<int64_t, Value> values;
};

/// Replaces `op` (a kernel, for-loop or phase) by a nest of scf.for loops
/// over [0, ranges[i]), outermost first, whose induction variables take the
/// places of the region's arguments `order[0]`, `order[1]`, ...
void sequentialize(RewriterBase &rewriter, IndexConstants &constants,
                   Operation *op, ArrayRef<int64_t> ranges,
                   ArrayRef<unsigned> order) {
  Location loc = op->getLoc();
  Block *body = &op->getRegion(0).front();
  SmallVector<Value> ivs(body->getNumArguments());
  Value zero = constants.get(rewriter, loc, 0);
  Value one = constants.get(rewriter, loc, 1);
  rewriter.setInsertionPoint(op);
  for (auto [range, arg] : llvm::zip_equal(ranges, order)) {
    Value upper = constants.get(rewriter, loc, range);
    auto loop = scf::ForOp::create(rewriter, loc, zero, upper, one);
    ivs[arg] = loop.getInductionVar();
    rewriter.setInsertionPoint(loop.getBody()->getTerminator());
  }
  rewriter.inlineBlockBefore(body, rewriter.getInsertionBlock(),
                             rewriter.getInsertionPoint(), ivs);
  rewriter.eraseOp(op);
}

/// Memrefs in the GPU's memory spaces become plain memrefs: on the CPU the
/// buffers are ordinary stack memory.
void dropMemorySpaces(func::FuncOp func) {
  AttrTypeReplacer replacer;
  replacer.addReplacement([](MemRefType type) -> std::optional<Type> {
    if (!isa_and_nonnull<gpu::AddressSpaceAttr>(type.getMemorySpace()))
      return std::nullopt;
    return MemRefType::get(type.getShape(), type.getElementType(),
                           type.getLayout());
  });
  replacer.recursivelyReplaceElementsIn(func, /*replaceAttrs=*/false,
                                        /*replaceLocs=*/false,
                                        /*replaceTypes=*/true);
}

struct MapToCPUPass : public ::mirage::impl::MapToCPUBase<MapToCPUPass> {
  using MapToCPUBase::MapToCPUBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (!func->hasAttr(kStructuredAttr)) {
      // Kernel-level or plain functions are not ours; a kernel outside a
      // structured function means the input skipped a step.
      WalkResult result = func.walk([](KernelOp kernel) {
        kernel.emitError() << "a kernel in a function without '"
                           << kStructuredAttr << "'";
        return WalkResult::interrupt();
      });
      if (result.wasInterrupted())
        signalPassFailure();
      return;
    }

    ContractChecker checker(func);
    if (failed(checker.check()))
      return signalPassFailure();
    if (checker.bufferBytes > maxStackBytes) {
      func.emitError() << "the kernels' buffers need " << checker.bufferBytes
                       << " bytes of stack once hoisted, more than "
                          "max-stack-bytes="
                       << static_cast<int64_t>(maxStackBytes);
      return signalPassFailure();
    }

    // Blocks run one after the other, so one copy of each buffer serves
    // every block: hoisting is sound, and an alloca left inside the block
    // loop would grow the stack with every iteration once the loop is an
    // scf.for (not an allocation scope).
    Block &entry = func.getBody().front();
    Operation *firstOp = &entry.front();
    for (memref::AllocaOp buffer : checker.buffers)
      buffer->moveBefore(firstOp);

    // All threads finish a phase before any thread starts the next one, so
    // running the threads of a phase in order is a valid schedule; z is the
    // outermost grid loop, as in the interpreter.
    IRRewriter rewriter(&getContext());
    IndexConstants constants(func);
    for (PhaseOp phase : checker.phases)
      sequentialize(rewriter, constants, phase,
                    {phase.getKernel().getNumThreads()}, {0});
    for (ForLoopOp loop : checker.loops)
      sequentialize(rewriter, constants, loop,
                    {static_cast<int64_t>(loop.getKernel().getForloop())}, {0});
    for (KernelOp kernel : checker.kernels) {
      ArrayRef<int64_t> grid = kernel.getGrid();
      sequentialize(rewriter, constants, kernel, {grid[2], grid[1], grid[0]},
                    {2, 1, 0});
    }
    dropMemorySpaces(func);
    // The function's annotations (mirage.input_scale) mean nothing below
    // this level. Its `structured.abi` stays: it is its calling
    // convention (how many inputs and outputs, the workspace size), which
    // callers such as mirage-cpu-runner read from the lowered module.
    SmallVector<StringAttr> names;
    for (NamedAttribute attr : func->getDiscardableAttrs())
      if (attr.getName().getValue().starts_with("mirage."))
        names.push_back(attr.getName());
    for (StringAttr name : names)
      func->removeAttr(name);
  }
};

} // namespace
