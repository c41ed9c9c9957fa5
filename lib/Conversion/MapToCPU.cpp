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

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Index/IR/IndexDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace mirage {
#define GEN_PASS_DEF_MAPTOCPU
#include "Mirage/Conversion/Passes.h.inc"
} // namespace mirage

using namespace mlir;

namespace {

constexpr llvm::StringLiteral kStructuredAttr = "mirage.structured";
constexpr llvm::StringLiteral kKernelAttr = "mirage.kernel";
constexpr llvm::StringLiteral kPhaseAttr = "mirage.phase";
constexpr llvm::StringLiteral kMemoryAttr = "mirage.memory";

enum class MemorySpace { Workgroup, Private };

bool isKernel(Operation *op) {
  return isa<scf::ParallelOp>(op) && op->hasAttr(kKernelAttr);
}

bool isPhase(Operation *op) {
  return isa<scf::ParallelOp>(op) && op->hasAttr(kPhaseAttr);
}

bool isCooperative(Operation *op) {
  return isa<linalg::CopyOp, linalg::MatmulOp, linalg::BatchMatmulOp>(op);
}

/// The innermost phase that holds `op`, if any.
scf::ParallelOp enclosingPhase(Operation *op) {
  for (Operation *parent = op->getParentOp(); parent;
       parent = parent->getParentOp())
    if (isPhase(parent))
      return cast<scf::ParallelOp>(parent);
  return nullptr;
}

/// The allocation or argument that `value` views (through subviews, views,
/// casts).
Value rootBuffer(Value value) {
  while (auto view = value.getDefiningOp<ViewLikeOpInterface>())
    value = view.getViewSource();
  return value;
}

/// Whether every bound of `loop` is the constant 0 and every step 1.
bool startsAtZeroWithUnitStep(scf::ParallelOp loop) {
  auto isConstant = [](Value v, int64_t c) {
    std::optional<int64_t> value = getConstantIntValue(v);
    return value && *value == c;
  };
  return llvm::all_of(loop.getLowerBound(),
                      [&](Value v) { return isConstant(v, 0); }) &&
         llvm::all_of(loop.getStep(),
                      [&](Value v) { return isConstant(v, 1); });
}

/// Checks one structured function against the contract and collects what
/// the mapping rewrites. Every broken rule is reported at the op that breaks
/// it; nothing is rewritten unless the whole function passes.
class ContractChecker {
public:
  explicit ContractChecker(func::FuncOp func) : func(func) {}

  LogicalResult check();

  /// The buffers of every kernel, in program order.
  SmallVector<memref::AllocaOp> buffers;
  SmallVector<scf::ParallelOp> kernels;
  SmallVector<scf::ParallelOp> phases;
  /// The bytes the buffers take once hoisted.
  int64_t bufferBytes = 0;

private:
  LogicalResult checkSignature();
  LogicalResult checkKernel(scf::ParallelOp kernel);
  LogicalResult checkBlockLevel(Block &block, int64_t threads,
                                bool isKernelBody);
  LogicalResult checkBuffer(memref::AllocaOp alloca, int64_t threads);
  LogicalResult checkPhase(scf::ParallelOp phase, int64_t threads);
  LogicalResult checkCooperative(Operation *op);
  LogicalResult checkPrivateUses(Value buffer);
  LogicalResult checkWorkgroupUses(Value buffer);

  bool isBufferIn(Value value, MemorySpace space) const {
    auto it = spaceOf.find(rootBuffer(value));
    return it != spaceOf.end() && it->second == space;
  }

  func::FuncOp func;
  DenseMap<Value, MemorySpace> spaceOf;
};

LogicalResult ContractChecker::check() {
  if (failed(checkSignature()))
    return failure();
  if (!func.getBody().hasOneBlock())
    return func.emitError("a structured function has a single block");
  for (Operation &op : func.getBody().front()) {
    if (isKernel(&op)) {
      if (failed(checkKernel(cast<scf::ParallelOp>(op))))
        return failure();
      continue;
    }
    if (isPhase(&op))
      return op.emitError("a phase (mirage.phase) must be inside a kernel");
    if (isa<memref::AllocaOp>(op) && op.hasAttr(kMemoryAttr))
      return op.emitError("a buffer (mirage.memory) must be inside a kernel");
    if (!isa<memref::ViewOp, arith::ConstantOp, func::ReturnOp>(op))
      return op.emitError()
             << "'" << op.getName()
             << "' is not allowed at function level of the structured level "
                "(kernels, workspace views, constants and return)";
  }
  return success();
}

LogicalResult ContractChecker::checkSignature() {
  auto abi = func->getAttrOfType<DictionaryAttr>(kStructuredAttr);
  if (!abi)
    return func.emitError()
           << "'" << kStructuredAttr << "' must be a dictionary";
  auto count = [&](StringRef key) -> FailureOr<int64_t> {
    auto attr = abi.getAs<IntegerAttr>(key);
    if (!attr || attr.getInt() < 0)
      return func.emitError()
             << "'" << kStructuredAttr << "' needs a non-negative integer '"
             << key << "'";
    return attr.getInt();
  };
  FailureOr<int64_t> numInputs = count("num_inputs");
  FailureOr<int64_t> numOutputs = count("num_outputs");
  FailureOr<int64_t> workspaceBytes = count("workspace_bytes");
  if (failed(numInputs) || failed(numOutputs) || failed(workspaceBytes))
    return failure();

  FunctionType type = func.getFunctionType();
  int64_t expected = *numInputs + *numOutputs + 1;
  if (type.getNumResults() != 0 ||
      static_cast<int64_t>(type.getNumInputs()) != expected)
    return func.emitError()
           << "a structured function takes " << *numInputs << " inputs, "
           << *numOutputs << " outputs and the workspace (" << expected
           << " memrefs) and returns nothing; found " << type;
  for (auto [i, argType] : llvm::enumerate(type.getInputs())) {
    auto memref = dyn_cast<MemRefType>(argType);
    if (!memref || !memref.hasStaticShape() || !memref.getLayout().isIdentity())
      return func.emitError() << "argument " << i << " must be a static memref "
                              << "with the identity layout; found " << argType;
  }
  auto workspace = cast<MemRefType>(type.getInputs().back());
  if (workspace.getRank() != 1 || !workspace.getElementType().isInteger(8) ||
      workspace.getDimSize(0) != *workspaceBytes)
    return func.emitError() << "the last argument is the workspace, memref<"
                            << *workspaceBytes << "xi8>; found " << workspace;
  return success();
}

LogicalResult ContractChecker::checkKernel(scf::ParallelOp kernel) {
  if (kernel.getNumLoops() != 3 || !kernel.getInitVals().empty())
    return kernel.emitError("a kernel is an scf.parallel over the grid (x, y, "
                            "z) without results");
  if (!startsAtZeroWithUnitStep(kernel) ||
      !llvm::all_of(kernel.getUpperBound(),
                    [](Value v) { return getConstantIntValue(v); }))
    return kernel.emitError("a kernel's grid loop runs from 0 in steps of 1 "
                            "to constant bounds");
  auto info = kernel->getAttrOfType<DictionaryAttr>(kKernelAttr);
  auto block = info ? info.getAs<DenseI64ArrayAttr>("block") : nullptr;
  if (!block || block.size() != 3 || block[0] < 1)
    return kernel.emitError()
           << "'" << kKernelAttr
           << "' must be a dictionary with the thread-block shape 'block' "
              "(three extents)";
  kernels.push_back(kernel);
  return checkBlockLevel(*kernel.getBody(), block[0], /*isKernelBody=*/true);
}

LogicalResult ContractChecker::checkBlockLevel(Block &block, int64_t threads,
                                               bool isKernelBody) {
  bool inPrelude = isKernelBody;
  for (Operation &op : block) {
    if (auto alloca = dyn_cast<memref::AllocaOp>(op)) {
      if (!inPrelude)
        return op.emitError("buffers are allocated at the start of the "
                            "kernel body, before any other op");
      if (failed(checkBuffer(alloca, threads)))
        return failure();
      continue;
    }
    inPrelude = false;
    if (isPhase(&op)) {
      if (failed(checkPhase(cast<scf::ParallelOp>(op), threads)))
        return failure();
      continue;
    }
    if (isKernel(&op))
      return op.emitError("kernels do not nest");
    if (isa<scf::ParallelOp>(op))
      return op.emitError("an scf.parallel inside a kernel must be a phase "
                          "(mirage.phase)");
    if (auto loop = dyn_cast<scf::ForOp>(op)) {
      if (failed(checkBlockLevel(*loop.getBody(), threads,
                                 /*isKernelBody=*/false)))
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
            memref::SubViewOp, scf::YieldOp, scf::ReduceOp>(op))
      continue;
    return op.emitError()
           << "'" << op.getName()
           << "' is not allowed at block level of a kernel (index arithmetic, "
              "scf.for, phases and cooperative ops)";
  }
  return success();
}

LogicalResult ContractChecker::checkBuffer(memref::AllocaOp alloca,
                                           int64_t threads) {
  auto space = alloca->getAttrOfType<StringAttr>(kMemoryAttr);
  if (!space)
    return alloca.emitError() << "a buffer in a kernel needs a memory space ('"
                              << kMemoryAttr << "' = \"workgroup\" or "
                              << "\"private\")";
  MemRefType type = alloca.getType();
  if (!type.hasStaticShape() || !type.getLayout().isIdentity())
    return alloca.emitError("a buffer has a static shape and the identity "
                            "layout");
  Type element = type.getElementType();
  if (!element.isIntOrFloat())
    return alloca.emitError()
           << "a buffer holds integers or floats; found " << element;
  bufferBytes += type.getNumElements() *
                 llvm::divideCeil(element.getIntOrFloatBitWidth(), 8);
  buffers.push_back(alloca);

  if (space.getValue() == "workgroup") {
    spaceOf[alloca] = MemorySpace::Workgroup;
    return checkWorkgroupUses(alloca);
  }
  if (space.getValue() == "private") {
    if (type.getRank() < 1 || type.getDimSize(0) != threads)
      return alloca.emitError()
             << "the leading dimension of a private buffer is the number of "
                "threads ("
             << threads << "); found " << type;
    spaceOf[alloca] = MemorySpace::Private;
    return checkPrivateUses(alloca);
  }
  return alloca.emitError() << "unknown memory space '" << space.getValue()
                            << "' (expected \"workgroup\" or \"private\")";
}

LogicalResult ContractChecker::checkPhase(scf::ParallelOp phase,
                                          int64_t threads) {
  std::optional<int64_t> upper =
      phase.getNumLoops() == 1 ? getConstantIntValue(phase.getUpperBound()[0])
                               : std::nullopt;
  if (!upper || *upper != threads || !startsAtZeroWithUnitStep(phase) ||
      !phase.getInitVals().empty())
    return phase.emitError()
           << "a phase is an scf.parallel over exactly [0, " << threads
           << ") (the block's threads) in steps of 1, without results";
  phases.push_back(phase);
  WalkResult result = phase.getBody()->walk([&](Operation *op) {
    if (isPhase(op)) {
      op->emitError("phases do not nest");
      return WalkResult::interrupt();
    }
    if (isa<scf::ParallelOp>(op)) {
      op->emitError("an scf.parallel inside a phase");
      return WalkResult::interrupt();
    }
    if (isa<memref::AllocaOp, memref::AllocOp>(op)) {
      op->emitError("nothing inside a phase allocates");
      return WalkResult::interrupt();
    }
    if (isa_and_nonnull<arith::ArithDialect, math::MathDialect>(
            op->getDialect()) ||
        isa<scf::ForOp, scf::IfOp, scf::YieldOp, scf::ReduceOp, memref::LoadOp,
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

LogicalResult ContractChecker::checkPrivateUses(Value buffer) {
  for (OpOperand &use : buffer.getUses()) {
    Operation *user = use.getOwner();
    Value index;
    if (auto load = dyn_cast<memref::LoadOp>(user))
      index = load.getIndices().front();
    else if (auto store = dyn_cast<memref::StoreOp>(user);
             store && store.getMemRef() == buffer)
      index = store.getIndices().front();
    else
      return user->emitError()
             << "a private buffer is accessed only by memref.load and "
                "memref.store, not by '"
             << user->getName() << "'";
    scf::ParallelOp phase = enclosingPhase(user);
    if (!phase)
      return user->emitError("a private buffer is accessed only inside "
                             "phases");
    if (index != phase.getInductionVars()[0])
      return user->emitError("the first index of a private access must be "
                             "the thread id of its phase");
  }
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

/// Replaces `loop` by a nest of scf.for loops, `outerToInner` giving the
/// order of its dimensions from the outermost loop in.
void sequentialize(RewriterBase &rewriter, scf::ParallelOp loop,
                   ArrayRef<unsigned> outerToInner) {
  rewriter.setInsertionPoint(loop);
  SmallVector<Value> ivs(loop.getNumLoops());
  for (unsigned d : outerToInner) {
    auto inner =
        scf::ForOp::create(rewriter, loop.getLoc(), loop.getLowerBound()[d],
                           loop.getUpperBound()[d], loop.getStep()[d]);
    ivs[d] = inner.getInductionVar();
    rewriter.setInsertionPoint(inner.getBody()->getTerminator());
  }
  Block *body = loop.getBody();
  rewriter.eraseOp(body->getTerminator());
  rewriter.inlineBlockBefore(body, rewriter.getInsertionBlock(),
                             rewriter.getInsertionPoint(), ivs);
  rewriter.eraseOp(loop);
}

struct MapToCPUPass : public ::mirage::impl::MapToCPUBase<MapToCPUPass> {
  using MapToCPUBase::MapToCPUBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (!func->hasAttr(kStructuredAttr)) {
      // Kernel-level or plain functions are not ours; a kernel outside a
      // structured function means the input skipped a step.
      WalkResult result = func.walk([](Operation *op) {
        if (!isKernel(op) && !isPhase(op))
          return WalkResult::advance();
        op->emitError() << "a kernel or phase in a function without '"
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
    for (scf::ParallelOp phase : checker.phases)
      sequentialize(rewriter, phase, {0});
    for (scf::ParallelOp kernel : checker.kernels)
      sequentialize(rewriter, kernel, {2, 1, 0});

    // The mapping annotations mean nothing below this level. The function's
    // `mirage.structured` stays: it is its calling convention (how many
    // inputs and outputs, the workspace size), which callers such as
    // mirage-cpu-runner read from the lowered module.
    func.walk([&](Operation *op) {
      SmallVector<StringAttr> names;
      for (NamedAttribute attr : op->getDiscardableAttrs())
        if (attr.getName().getValue().starts_with("mirage.") &&
            !(op == func && attr.getName() == kStructuredAttr))
          names.push_back(attr.getName());
      for (StringAttr name : names)
        op->removeAttr(name);
    });
  }
};

} // namespace
