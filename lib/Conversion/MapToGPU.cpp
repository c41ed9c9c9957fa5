//===- MapToGPU.cpp - The structured level on the gpu dialect -------------===//
//
// Maps each kernel of the structured level (docs/Lowering.md) to a
// gpu.launch: block ids for the grid loop, thread ids and barriers for the
// phases, dynamic shared memory for the workgroup buffers (planned so that
// dead tiles are reused), registers for the private buffers, and per-thread
// code for the cooperative ops (GPUCooperativeOps.h). See the pass
// description in Conversion/Passes.td.
//
//===----------------------------------------------------------------------===//

#include "GPUCooperativeOps.h"
#include "MapToGPUVerifier.h"
#include "Mirage/Conversion/Passes.h"
#include "Mirage/Core/SharedMemory.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"

#include <deque>
#include <limits>

namespace mirage {
#define GEN_PASS_DEF_MAPTOGPU
#include "Mirage/Conversion/Passes.h.inc"
} // namespace mirage

using namespace mlir;
using namespace mirage::gpu_mapping;
using ::mirage::structured::ForLoopOp;
using ::mirage::structured::KernelOp;
using ::mirage::structured::MemorySpace;
using ::mirage::structured::memorySpaceOf;
using ::mirage::structured::PhaseOp;

namespace {

/// Loops of at most this many iterations that index a private buffer are
/// unrolled, so that the buffer lives in registers.
constexpr int64_t kMaxPrivateUnroll = 64;

/// A workgroup buffer and where it lives in dynamic shared memory.
struct SharedBuffer {
  memref::AllocaOp alloca;
  /// The shape of its storage: rows and columns padded for tensor cores, and
  /// the leading dimension padded against bank conflicts.
  SmallVector<int64_t> storageShape;
  /// Live range: positions of the first and last block-level op that use it.
  int64_t first = 0, last = 0;
  /// Two when the buffer is filled by a double-buffered async copy.
  int64_t stages = 1;
  SmallVector<int64_t, 2> offsets;
  /// Per stage: the storage view and the view its users see.
  SmallVector<Value, 2> storage, logical;
};

/// A copy of the for-loop whose next iteration is fetched with cp.async
/// while the current one computes.
struct PipelinedCopy {
  linalg::CopyOp copy;
  SharedBuffer *buffer = nullptr;
  int64_t chunkBytes = 0;
};

/// The storage layout of a workgroup tile: the one accounting's
/// (Mirage/Core/SharedMemory.h), so that the search, the cost model and
/// --mirage-check-limits count what is placed here.
SmallVector<int64_t> storageShapeOf(MemRefType type, TilePadding padding) {
  return SmallVector<int64_t>(::mirage::sharedStorageShape(
      type.getShape(), type.getElementTypeBitWidth() / 8, padding.rowMultiple,
      padding.colMultiple));
}

/// Replaces `old` (a workgroup alloca or a subview of one) with `repl`,
/// which has the same shape but another layout and memory space: subviews
/// are rebuilt on top of `repl`, every other use takes it as it is.
void replaceBufferUses(Value old, Value repl) {
  for (OpOperand &use : llvm::make_early_inc_range(old.getUses())) {
    auto subview = dyn_cast<memref::SubViewOp>(use.getOwner());
    if (!subview || use.getOperandNumber() != 0) {
      use.set(repl);
      continue;
    }
    OpBuilder b(subview);
    auto type = memref::SubViewOp::inferRankReducedResultType(
        subview.getType().getShape(), cast<MemRefType>(repl.getType()),
        subview.getMixedOffsets(), subview.getMixedSizes(),
        subview.getMixedStrides());
    auto rebuilt = memref::SubViewOp::create(
        b, subview.getLoc(), type, repl, subview.getMixedOffsets(),
        subview.getMixedSizes(), subview.getMixedStrides());
    replaceBufferUses(subview.getResult(), rebuilt.getResult());
    subview->erase();
  }
}

/// Clones into `b` the ops inside `loop` that `v` depends on (pure index
/// arithmetic and subviews, checked by the verifier), with the values
/// already in `map` (the induction variable) replaced.
Value cloneSlice(Value v, scf::ForOp loop, IRMapping &map, OpBuilder &b) {
  if (map.contains(v))
    return map.lookup(v);
  Operation *def = v.getDefiningOp();
  if (!def || !loop->isProperAncestor(def))
    return v;
  for (Value operand : def->getOperands())
    cloneSlice(operand, loop, map, b);
  b.clone(*def, map);
  return map.lookup(v);
}

/// Maps one kernel to a gpu.launch.
class KernelMapper {
public:
  KernelMapper(KernelOp kernel, KernelShape shape,
               const mirage::MapToGPUOptions &options)
      : kernel(kernel), shape(std::move(shape)), options(options) {}

  /// Chooses tensor cores and async copies and places the workgroup buffers
  /// in shared memory; reports a kernel that does not fit.
  LogicalResult plan();
  /// Builds the gpu.launch that replaces the kernel.
  void rewrite();

private:
  void choosePipelinedCopies();
  bool canPipeline(linalg::CopyOp copy, ForLoopOp loop);
  int64_t positionOf(Operation *op);
  void computeLiveRange(SharedBuffer &buffer);
  /// Places every buffer; fails when they exceed the shared-memory budget.
  LogicalResult placeBuffers();

  void createViews(OpBuilder &b, Value sharedMemory);
  void mapPrivateBuffers(OpBuilder &b);
  void pipelineCopies(scf::ForOp loop, ArrayRef<PipelinedCopy *> copies);
  void lowerCooperativeOps();
  void inlinePhases();
  void unrollPrivateLoops();

  KernelOp kernel;
  KernelShape shape;
  const mirage::MapToGPUOptions &options;

  std::deque<SharedBuffer> buffers;
  llvm::DenseMap<Operation *, SharedBuffer *> bufferOf;
  llvm::DenseMap<Value, TilePadding> padding;
  llvm::DenseSet<Operation *> tensorCoreMatmuls;
  std::deque<PipelinedCopy> pipelined;
  /// The per-thread allocas that replace the private buffers.
  SmallVector<Value> privateBuffers;
  int64_t sharedBytes = 0;

  Block *body = nullptr; // the gpu.launch body, once built
  /// Replaced buffers, erased last: the builder inserting the new buffers
  /// may point at one of them.
  SmallVector<Operation *> deadAllocas;
  ThreadContext threads;
  StorageMap storageOf;
};

int64_t KernelMapper::positionOf(Operation *op) {
  Block *kernelBody = kernel.getBody();
  Operation *top = kernelBody->findAncestorOpInBlock(*op);
  return std::distance(kernelBody->begin(), Block::iterator(top));
}

void KernelMapper::computeLiveRange(SharedBuffer &buffer) {
  buffer.first = std::numeric_limits<int64_t>::max();
  buffer.last = -1;
  SmallVector<Value> worklist{buffer.alloca.getResult()};
  while (!worklist.empty()) {
    Value v = worklist.pop_back_val();
    for (Operation *user : v.getUsers()) {
      if (auto subview = dyn_cast<memref::SubViewOp>(user))
        worklist.push_back(subview.getResult());
      int64_t position = positionOf(user);
      buffer.first = std::min(buffer.first, position);
      buffer.last = std::max(buffer.last, position);
    }
  }
  if (buffer.last < 0) // unused: give it a range of its own
    buffer.first = buffer.last = positionOf(buffer.alloca);
}

bool KernelMapper::canPipeline(linalg::CopyOp copy, ForLoopOp loop) {
  Value dst = copy.getDpsInits()[0];
  auto it = bufferOf.find(dst.getDefiningOp());
  if (it == bufferOf.end())
    return false;
  // The destination is filled by this copy alone and read after it in the
  // same iteration only: then fetching it one iteration early is invisible.
  Block *loopBody = loop.getBody();
  Operation *copyTop = copy.getOperation();
  SmallVector<Value> worklist{dst};
  while (!worklist.empty()) {
    Value v = worklist.pop_back_val();
    for (OpOperand &use : v.getUses()) {
      Operation *user = use.getOwner();
      if (user == copyTop)
        continue;
      if (!loop->isProperAncestor(user))
        return false;
      if (auto subview = dyn_cast<memref::SubViewOp>(user)) {
        worklist.push_back(subview.getResult());
        continue;
      }
      Operation *top = loopBody->findAncestorOpInBlock(*user);
      if (!copyTop->isBeforeInBlock(top))
        return false;
      bool reads = isa<memref::LoadOp>(user);
      if (auto linalgOp = dyn_cast<linalg::LinalgOp>(user))
        reads = linalgOp.isDpsInput(&use);
      if (!reads)
        return false;
    }
  }
  // The source must not be written by the kernel, and its address must be
  // computable for the next iteration from the induction variable alone.
  Value src = copy.getDpsInputs()[0];
  Value root = src;
  while (auto subview = root.getDefiningOp<memref::SubViewOp>())
    root = subview.getSource();
  bool written = false;
  kernel.walk([&](Operation *op) {
    Value target;
    if (auto store = dyn_cast<memref::StoreOp>(op))
      target = store.getMemRef();
    else if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op))
      target = linalgOp.getDpsInits()[0];
    while (target && target.getDefiningOp<memref::SubViewOp>())
      target = target.getDefiningOp<memref::SubViewOp>().getSource();
    written |= target == root;
  });
  return !written;
}

void KernelMapper::choosePipelinedCopies() {
  if (!options.asyncCopy)
    return;
  // The for-loop must run at least twice for a copy to be fetched ahead.
  if (kernel.getForloop() < 2)
    return;
  for (Operation &op : *kernel.getBody()) {
    auto loop = dyn_cast<ForLoopOp>(op);
    if (!loop)
      continue;
    for (Operation &inner : *loop.getBody()) {
      auto copy = dyn_cast<linalg::CopyOp>(inner);
      if (!copy)
        continue;
      int64_t chunk =
          copyChunkBytes(copy.getDpsInputs()[0], copy.getDpsInits()[0]);
      if (chunk < 4 || !canPipeline(copy, loop))
        continue;
      SharedBuffer *buffer =
          bufferOf.lookup(copy.getDpsInits()[0].getDefiningOp());
      if (buffer->stages == 2) // filled by two copies: keep it simple
        continue;
      buffer->stages = 2;
      pipelined.push_back({copy, buffer, chunk});
    }
  }
}

LogicalResult KernelMapper::plan() {
  kernel.getBody()->walk([&](memref::AllocaOp alloca) {
    if (memorySpaceOf(alloca.getType()) != MemorySpace::Workgroup)
      return;
    buffers.push_back({});
    buffers.back().alloca = alloca;
    bufferOf[alloca] = &buffers.back();
  });
  if (options.tensorCores)
    kernel.getBody()->walk([&](linalg::LinalgOp op) {
      if (isa<linalg::MatmulOp, linalg::BatchMatmulOp>(op) &&
          isTensorCoreMatmul(op, shape.block[0])) {
        tensorCoreMatmuls.insert(op);
        addTensorCorePadding(op, padding);
      }
    });
  choosePipelinedCopies();
  for (SharedBuffer &buffer : buffers) {
    MemRefType type = buffer.alloca.getType();
    buffer.storageShape = storageShapeOf(type, padding.lookup(buffer.alloca));
    computeLiveRange(buffer);
  }
  if (succeeded(placeBuffers()))
    return success();
  if (!pipelined.empty()) {
    // Double buffering is an optimization: without it the kernel may fit.
    int64_t doubleBuffered = sharedBytes;
    for (PipelinedCopy &copy : pipelined)
      copy.buffer->stages = 1;
    pipelined.clear();
    sharedBytes = 0;
    if (succeeded(placeBuffers())) {
      // At the location, not the op: the note would print the whole kernel.
      emitRemark(kernel.getLoc())
          << "kernel '" << shape.name << "': double-buffered copies would need "
          << doubleBuffered << " bytes of shared memory (of "
          << options.sharedMemoryBytes << "); its copies are single-buffered";
      return success();
    }
  }
  return emitError(kernel.getLoc())
         << "kernel '" << shape.name << "' needs " << sharedBytes
         << " bytes of shared memory, but only " << options.sharedMemoryBytes
         << " are available (option shared-memory-bytes)";
}

/// The one placement (::mirage::placeSharedTiles): first fit, largest
/// buffers first, each stage at the lowest aligned offset where it overlaps
/// no placed buffer that is live at the same time.
LogicalResult KernelMapper::placeBuffers() {
  std::vector<::mirage::SharedTile> tiles;
  for (SharedBuffer &buffer : buffers) {
    MemRefType type = buffer.alloca.getType();
    ::mirage::SharedTile tile;
    tile.shape.assign(type.getShape().begin(), type.getShape().end());
    tile.elementBytes = type.getElementTypeBitWidth() / 8;
    TilePadding p = padding.lookup(buffer.alloca);
    tile.rowMultiple = p.rowMultiple;
    tile.colMultiple = p.colMultiple;
    tile.stages = buffer.stages;
    tile.first = buffer.first;
    tile.last = buffer.last;
    tiles.push_back(std::move(tile));
  }
  ::mirage::SharedLayout layout = ::mirage::placeSharedTiles(tiles);
  for (auto [buffer, offsets] : llvm::zip_equal(buffers, layout.offsets))
    buffer.offsets.assign(offsets.begin(), offsets.end());
  sharedBytes = layout.bytes;
  return success(sharedBytes <= options.sharedMemoryBytes);
}

void KernelMapper::createViews(OpBuilder &b, Value sharedMemory) {
  Location loc = sharedMemory.getLoc();
  auto workgroup =
      gpu::AddressSpaceAttr::get(b.getContext(), gpu::AddressSpace::Workgroup);
  for (SharedBuffer &buffer : buffers) {
    MemRefType type = buffer.alloca.getType();
    auto storageType =
        MemRefType::get(buffer.storageShape, type.getElementType(),
                        MemRefLayoutAttrInterface(), workgroup);
    for (int64_t s = 0; s < buffer.stages; ++s) {
      Value offset = threads.constant(b, buffer.offsets[s]);
      Value view = memref::ViewOp::create(b, loc, storageType, sharedMemory,
                                          offset, ValueRange{});
      Value logical = view;
      if (buffer.storageShape != type.getShape()) {
        int64_t rank = type.getRank();
        logical = memref::SubViewOp::create(
            b, loc, view, SmallVector<int64_t>(rank, 0), type.getShape(),
            SmallVector<int64_t>(rank, 1));
      }
      buffer.storage.push_back(view);
      buffer.logical.push_back(logical);
      storageOf[logical] = view;
    }
    replaceBufferUses(buffer.alloca, buffer.logical[0]);
    deadAllocas.push_back(buffer.alloca);
  }
}

void KernelMapper::mapPrivateBuffers(OpBuilder &b) {
  SmallVector<memref::AllocaOp> privates;
  body->walk([&](memref::AllocaOp alloca) {
    if (memorySpaceOf(alloca.getType()) == MemorySpace::Private)
      privates.push_back(alloca);
  });
  for (memref::AllocaOp alloca : privates) {
    // One slice per thread: registers once LLVM promotes it.
    MemRefType type = alloca.getType();
    auto perThread =
        MemRefType::get(type.getShape().drop_front(), type.getElementType());
    Value replacement = memref::AllocaOp::create(b, alloca.getLoc(), perThread);
    privateBuffers.push_back(replacement);
    for (Operation *user : llvm::make_early_inc_range(alloca->getUsers())) {
      OpBuilder at(user);
      if (auto load = dyn_cast<memref::LoadOp>(user)) {
        Value v = memref::LoadOp::create(at, load.getLoc(), replacement,
                                         load.getIndices().drop_front());
        load.replaceAllUsesWith(v);
      } else {
        auto store = cast<memref::StoreOp>(user);
        memref::StoreOp::create(at, store.getLoc(), store.getValue(),
                                replacement, store.getIndices().drop_front());
      }
      user->erase();
    }
    deadAllocas.push_back(alloca);
  }
}

/// Turns the pipelined copies of `loop` into a two-stage cp.async pipeline:
/// the copies of the first iteration are issued before the loop; iteration
/// i issues those of i + 1 into the other stage, waits for its own group,
/// and meets the other threads at a barrier before computing. The barrier
/// that ends each iteration (after the last phase that reads a stage) keeps
/// a stage from being refilled while it is read.
void KernelMapper::pipelineCopies(scf::ForOp loop,
                                  ArrayRef<PipelinedCopy *> copies) {
  Location loc = loop.getLoc();
  OpBuilder b(loop);
  auto tokenType = nvgpu::DeviceAsyncTokenType::get(b.getContext());
  Value iv = loop.getInductionVar();

  // Uses of each first stage inside the loop read the current stage.
  llvm::DenseMap<SharedBuffer *, SmallVector<OpOperand *>> uses;
  for (PipelinedCopy *p : copies) {
    for (OpOperand &use : p->buffer->logical[0].getUses())
      if (use.getOwner() != p->copy && loop->isProperAncestor(use.getOwner()))
        uses[p->buffer].push_back(&use);
  }

  // Prologue: the first iteration's tiles.
  IRMapping first;
  first.map(iv, loop.getLowerBound());
  for (PipelinedCopy *p : copies)
    emitAsyncCopy(b, loc, cloneSlice(p->copy.getDpsInputs()[0], loop, first, b),
                  p->buffer->logical[0], p->chunkBytes, threads);
  // cp.async.commit_group commits every copy issued so far: the group needs
  // no tokens (the copies sit in loops, whose tokens cannot escape).
  Value token =
      nvgpu::DeviceAsyncCreateGroupOp::create(b, loc, tokenType, ValueRange{});

  b.setInsertionPointToStart(loop.getBody());
  Value rel = arith::DivUIOp::create(
      b, loc, arith::SubIOp::create(b, loc, iv, loop.getLowerBound()),
      loop.getStep());
  Value two = threads.constant(b, 2);
  Value zero = threads.constant(b, 0);
  Value odd =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne,
                            arith::RemUIOp::create(b, loc, rel, two), zero);
  llvm::DenseMap<SharedBuffer *, Value> next;
  for (PipelinedCopy *p : copies) {
    SharedBuffer &buf = *p->buffer;
    Value cur =
        arith::SelectOp::create(b, loc, odd, buf.logical[1], buf.logical[0]);
    next[&buf] =
        arith::SelectOp::create(b, loc, odd, buf.logical[0], buf.logical[1]);
    storageOf[cur] =
        arith::SelectOp::create(b, loc, odd, buf.storage[1], buf.storage[0]);
    for (OpOperand *use : uses[&buf])
      use->set(cur);
  }
  Value nextIv = arith::AddIOp::create(b, loc, iv, loop.getStep());
  Value hasNext = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt,
                                        nextIv, loop.getUpperBound());
  auto prefetch = scf::IfOp::create(b, loc, hasNext, /*withElse=*/true);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&prefetch.getThenRegion().front());
    IRMapping following;
    following.map(iv, nextIv);
    for (PipelinedCopy *p : copies)
      emitAsyncCopy(b, loc,
                    cloneSlice(p->copy.getDpsInputs()[0], loop, following, b),
                    next[p->buffer], p->chunkBytes, threads);
    Value group = nvgpu::DeviceAsyncCreateGroupOp::create(b, loc, tokenType,
                                                          ValueRange{});
    // The group just issued may stay in flight; this iteration's must land.
    nvgpu::DeviceAsyncWaitOp::create(b, loc, group, b.getI32IntegerAttr(1));
    b.setInsertionPointToStart(&prefetch.getElseRegion().front());
    nvgpu::DeviceAsyncWaitOp::create(b, loc, token, b.getI32IntegerAttr(0));
  }
  gpu::BarrierOp::create(b, loc);
  for (PipelinedCopy *p : copies)
    p->copy->erase();
}

void KernelMapper::lowerCooperativeOps() {
  SmallVector<Operation *> ops;
  body->walk([&](Operation *op) {
    if (isa<linalg::CopyOp, linalg::MatmulOp, linalg::BatchMatmulOp>(op))
      ops.push_back(op);
  });
  for (Operation *op : ops) {
    OpBuilder b(op);
    b.setInsertionPointAfter(op);
    gpu::BarrierOp::create(b, op->getLoc());
    if (auto copy = dyn_cast<linalg::CopyOp>(op)) {
      lowerCopy(b, copy, threads, options.vectorize);
    } else {
      bool tensorCores = tensorCoreMatmuls.contains(op);
      lowerMatmul(b, cast<linalg::LinalgOp>(op), threads,
                  tensorCores ? &storageOf : nullptr);
    }
  }
}

/// Whether the threads must meet after `phase`: it touches workgroup memory
/// (another thread may read what it wrote, or overwrite what it read) or
/// writes memory other than its own private buffers.
bool needsBarrierAfter(PhaseOp phase) {
  auto isWorkgroup = [](Value memref) {
    auto space = dyn_cast_or_null<gpu::AddressSpaceAttr>(
        cast<MemRefType>(memref.getType()).getMemorySpace());
    return space && space.getValue() == gpu::AddressSpace::Workgroup;
  };
  WalkResult result = phase.walk([&](Operation *op) {
    if (auto load = dyn_cast<memref::LoadOp>(op))
      return isWorkgroup(load.getMemRef()) ? WalkResult::interrupt()
                                           : WalkResult::advance();
    if (auto store = dyn_cast<memref::StoreOp>(op)) {
      bool ownPrivate = store.getMemRef().getDefiningOp<memref::AllocaOp>();
      return ownPrivate ? WalkResult::advance() : WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return result.wasInterrupted();
}

void KernelMapper::inlinePhases() {
  SmallVector<PhaseOp> phases;
  body->walk([&](PhaseOp phase) { phases.push_back(phase); });
  for (PhaseOp phase : phases) {
    bool barrier = needsBarrierAfter(phase);
    Block *phaseBody = phase.getBody();
    phase.getThreadId().replaceAllUsesWith(threads.tid);
    phase->getBlock()->getOperations().splice(Block::iterator(phase),
                                              phaseBody->getOperations());
    if (barrier) {
      OpBuilder b(phase);
      gpu::BarrierOp::create(b, phase.getLoc());
    }
    phase->erase();
  }
}

/// A private buffer indexed by a loop's induction variable stays in local
/// memory (an array in registers cannot be indexed at run time); unrolled, the
/// loop indexes it with constants and LLVM promotes it to registers. The
/// lowering to structured code walks the elements a thread owns with such
/// loops (t, t + T, ...), so they are short.
void KernelMapper::unrollPrivateLoops() {
  llvm::SetVector<scf::ForOp> loops;
  for (Value buffer : privateBuffers)
    for (Operation *user : buffer.getUsers()) {
      auto indices = isa<memref::LoadOp>(user)
                         ? cast<memref::LoadOp>(user).getIndices()
                         : cast<memref::StoreOp>(user).getIndices();
      for (Value index : indices) {
        auto arg = dyn_cast<BlockArgument>(index);
        auto loop = arg ? dyn_cast<scf::ForOp>(arg.getOwner()->getParentOp())
                        : scf::ForOp();
        if (loop && loop.getInductionVar() == arg)
          loops.insert(loop);
      }
    }
  // Inner loops first (a post-order walk), so that the copies an outer
  // loop's unrolling makes are unrolled already.
  SmallVector<scf::ForOp> innerFirst;
  body->walk([&](scf::ForOp loop) {
    if (loops.contains(loop))
      innerFirst.push_back(loop);
  });
  for (scf::ForOp loop : innerFirst) {
    std::optional<APInt> trips = loop.getStaticTripCount();
    if (trips && trips->getSExtValue() <= kMaxPrivateUnroll)
      (void)loopUnrollFull(loop);
  }
}

void KernelMapper::rewrite() {
  MLIRContext *ctx = kernel.getContext();
  Location loc = kernel.getLoc();
  OpBuilder b(kernel);
  auto index = [&](int64_t v) {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  Value sharedSize;
  if (sharedBytes > 0)
    sharedSize = arith::ConstantIntOp::create(b, loc, sharedBytes, 32);
  auto func = kernel->getParentOfType<func::FuncOp>();
  auto module = FlatSymbolRefAttr::get(
      ctx, (func.getSymName() + kKernelModuleSuffix).str());
  // The grid reuses the function's constants where it has them.
  llvm::DenseMap<int64_t, Value> functionConstants;
  for (auto constant : func.getBody().front().getOps<arith::ConstantIndexOp>())
    functionConstants.try_emplace(constant.value(), constant);
  auto gridExtent = [&](int64_t extent) -> Value {
    if (Value existing = functionConstants.lookup(extent))
      return existing;
    return index(extent);
  };
  auto launch = gpu::LaunchOp::create(
      b, loc, gridExtent(shape.grid[0]), gridExtent(shape.grid[1]),
      gridExtent(shape.grid[2]), index(shape.block[0]), index(shape.block[1]),
      index(shape.block[2]), sharedSize, Type(), ValueRange{}, TypeRange{},
      TypeRange{}, Value(), Value(), Value(), module,
      FlatSymbolRefAttr::get(ctx, shape.name));
  body = &launch.getBody().front();
  b.setInsertionPointToEnd(body);
  auto terminator = gpu::TerminatorOp::create(b, loc);

  Block *kernelBody = kernel.getBody();
  gpu::KernelDim3 blockIds = launch.getBlockIds();
  Value ids[3] = {blockIds.x, blockIds.y, blockIds.z};
  for (auto [arg, id] : llvm::zip_equal(kernel.getBlockIds(), ids))
    arg.replaceAllUsesWith(id);
  auto forloopRange = static_cast<int64_t>(kernel.getForloop());
  body->getOperations().splice(Block::iterator(terminator),
                               kernelBody->getOperations());
  kernel->erase();

  // The μGraph for-loop becomes an scf.for over [0, forloop).
  SmallVector<ForLoopOp> loops;
  body->walk([&](ForLoopOp loop) { loops.push_back(loop); });
  for (ForLoopOp loop : loops) {
    OpBuilder at(loop);
    Location loopLoc = loop.getLoc();
    auto forOp = scf::ForOp::create(
        at, loopLoc, arith::ConstantIndexOp::create(at, loopLoc, 0),
        arith::ConstantIndexOp::create(at, loopLoc, forloopRange),
        arith::ConstantIndexOp::create(at, loopLoc, 1));
    loop.getIteration().replaceAllUsesWith(forOp.getInductionVar());
    forOp.getBody()->getOperations().splice(
        forOp.getBody()->getTerminator()->getIterator(),
        loop.getBody()->getOperations());
    loop->erase();
  }

  b.setInsertionPointToStart(body);
  threads.tid = gpu::ThreadIdOp::create(b, loc, gpu::Dimension::x);
  threads.threads = shape.block[0];
  if (!buffers.empty()) {
    auto bytesType = MemRefType::get(
        {ShapedType::kDynamic}, b.getI8Type(), MemRefLayoutAttrInterface(),
        gpu::AddressSpaceAttr::get(ctx, gpu::AddressSpace::Workgroup));
    createViews(b, gpu::DynamicSharedMemoryOp::create(b, loc, bytesType));
  }
  mapPrivateBuffers(b);
  for (Operation *alloca : deadAllocas)
    alloca->erase();

  llvm::MapVector<scf::ForOp, SmallVector<PipelinedCopy *>> byLoop;
  for (PipelinedCopy &p : pipelined)
    byLoop[p.copy->getParentOfType<scf::ForOp>()].push_back(&p);
  for (auto &[loop, copies] : byLoop)
    pipelineCopies(loop, copies);

  lowerCooperativeOps();
  inlinePhases();
  unrollPrivateLoops();
  // Nothing follows the last phase: its barrier would only cost time.
  while (auto barrier =
             dyn_cast_or_null<gpu::BarrierOp>(terminator->getPrevNode()))
    barrier->erase();
}

struct MapToGPUPass : mirage::impl::MapToGPUBase<MapToGPUPass> {
  using MapToGPUBase::MapToGPUBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    mirage::MapToGPUOptions opts{sharedMemoryBytes, tensorCores, vectorize,
                                 asyncCopy};
    // The function's signature is its structured.abi attribute's, checked
    // by the structured dialect's verifier (element types the bundle can
    // name, the workspace last).
    SmallVector<KernelOp> kernels;
    func.walk([&](KernelOp op) { kernels.push_back(op); });
    // Check every kernel before rewriting any, so that a failure leaves the
    // function as it was.
    std::deque<KernelMapper> mappers;
    for (KernelOp kernel : kernels) {
      FailureOr<KernelShape> shape = verifyKernel(kernel);
      if (failed(shape))
        return signalPassFailure();
      mappers.emplace_back(kernel, std::move(*shape), opts);
      if (failed(mappers.back().plan()))
        return signalPassFailure();
    }
    for (KernelMapper &mapper : mappers)
      mapper.rewrite();
  }
};

} // namespace
