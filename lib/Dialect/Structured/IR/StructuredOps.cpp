//===- StructuredOps.cpp - Kernels, phases, the for-loop --------*- C++ -*-===//
//
// Builders, the assembly of the ops' regions and the verifiers of the
// structural rules of the structured level (docs/Lowering.md).
//
//===----------------------------------------------------------------------===//

#include "Mirage/Dialect/Structured/IR/StructuredOps.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace mirage::structured;

//===----------------------------------------------------------------------===//
// Memory spaces
//===----------------------------------------------------------------------===//

std::optional<MemorySpace> mirage::structured::memorySpaceOf(Type type) {
  auto memref = dyn_cast<MemRefType>(type);
  auto space =
      memref ? dyn_cast_or_null<gpu::AddressSpaceAttr>(memref.getMemorySpace())
             : gpu::AddressSpaceAttr();
  if (!space)
    return std::nullopt;
  switch (space.getValue()) {
  case gpu::AddressSpace::Workgroup:
    return MemorySpace::Workgroup;
  case gpu::AddressSpace::Private:
    return MemorySpace::Private;
  case gpu::AddressSpace::Global:
    return std::nullopt;
  }
  return std::nullopt;
}

MemRefType mirage::structured::bufferType(ArrayRef<int64_t> shape,
                                          Type elementType, MemorySpace space) {
  gpu::AddressSpace gpuSpace = gpu::AddressSpace::Workgroup;
  switch (space) {
  case MemorySpace::Workgroup:
    gpuSpace = gpu::AddressSpace::Workgroup;
    break;
  case MemorySpace::Private:
    gpuSpace = gpu::AddressSpace::Private;
    break;
  }
  return MemRefType::get(
      shape, elementType, MemRefLayoutAttrInterface(),
      gpu::AddressSpaceAttr::get(elementType.getContext(), gpuSpace));
}

//===----------------------------------------------------------------------===//
// Regions: `(%id, ...) { ... }`, the ids typed `index`
//===----------------------------------------------------------------------===//

static ParseResult parseIdRegion(OpAsmParser &parser, Region &body) {
  SmallVector<OpAsmParser::Argument> ids;
  if (parser.parseArgumentList(ids, OpAsmParser::Delimiter::Paren))
    return failure();
  Type index = parser.getBuilder().getIndexType();
  for (OpAsmParser::Argument &id : ids)
    id.type = index;
  if (parser.parseRegion(body, ids))
    return failure();
  if (body.empty())
    body.emplaceBlock();
  return success();
}

static void printIdRegion(OpAsmPrinter &p, Operation *, Region &body) {
  p << "(";
  llvm::interleaveComma(body.getArguments(), p,
                        [&](BlockArgument id) { p.printOperand(id); });
  p << ") ";
  p.printRegion(body, /*printEntryBlockArgs=*/false,
                /*printBlockTerminators=*/false);
}

/// Checks that the region of `op` has `count` arguments of type index.
static LogicalResult verifyIds(Operation *op, unsigned count, StringRef what) {
  Block &body = op->getRegion(0).front();
  if (body.getNumArguments() != count ||
      !llvm::all_of(body.getArgumentTypes(),
                    [](Type type) { return type.isIndex(); }))
    return op->emitOpError() << "region must take " << what;
  return success();
}

//===----------------------------------------------------------------------===//
// KernelOp
//===----------------------------------------------------------------------===//

void KernelOp::build(OpBuilder &builder, OperationState &state, StringRef name,
                     ArrayRef<int64_t> grid, ArrayRef<int64_t> blockShape,
                     int64_t forloop) {
  state.addAttribute(getKernelNameAttrName(state.name),
                     builder.getStringAttr(name));
  state.addAttribute(getGridAttrName(state.name),
                     builder.getDenseI64ArrayAttr(grid));
  state.addAttribute(getBlockShapeAttrName(state.name),
                     builder.getDenseI64ArrayAttr(blockShape));
  state.addAttribute(getForloopAttrName(state.name),
                     builder.getI64IntegerAttr(forloop));
  Region *body = state.addRegion();
  Block *entry = new Block();
  Type index = builder.getIndexType();
  entry->addArguments({index, index, index},
                      SmallVector<Location>(3, state.location));
  body->push_back(entry);
}

void KernelOp::getAsmBlockArgumentNames(Region &region,
                                        OpAsmSetValueNameFn setNameFn) {
  static constexpr StringLiteral names[] = {"bx", "by", "bz"};
  for (auto [id, name] : llvm::zip(region.getArguments(), names))
    setNameFn(id, name);
}

static bool isIdentifier(StringRef name) {
  if (name.empty() || !(llvm::isAlpha(name[0]) || name[0] == '_'))
    return false;
  return llvm::all_of(name,
                      [](char c) { return llvm::isAlnum(c) || c == '_'; });
}

LogicalResult KernelOp::verify() {
  if (!isIdentifier(getKernelName()))
    return emitOpError() << "name '" << getKernelName()
                         << "' is not an identifier (letters, digits and "
                            "'_', not starting with a digit)";
  auto checkShape = [&](ArrayRef<int64_t> shape,
                        StringRef what) -> LogicalResult {
    if (shape.size() != 3 ||
        llvm::any_of(shape, [](int64_t e) { return e < 1; }))
      return emitOpError() << what << " must be three positive extents";
    return success();
  };
  if (failed(checkShape(getGrid(), "grid")) ||
      failed(checkShape(getBlockShape(), "block")))
    return failure();
  if ((*this)->getParentOfType<KernelOp>())
    return emitOpError("kernels do not nest");
  return verifyIds(*this, 3, "the three block ids (index)");
}

/// The phase that holds `op`, if any.
static PhaseOp enclosingPhase(Operation *op) {
  return op->getParentOfType<PhaseOp>();
}

/// Checks the accesses of a private buffer: loads and stores inside a
/// phase, the phase's thread id first.
static LogicalResult verifyPrivateUses(memref::AllocaOp buffer) {
  for (OpOperand &use : buffer->getUses()) {
    Operation *user = use.getOwner();
    ValueRange indices;
    if (auto load = dyn_cast<memref::LoadOp>(user))
      indices = load.getIndices();
    else if (auto store = dyn_cast<memref::StoreOp>(user);
             store && store.getMemRef() == buffer.getResult())
      indices = store.getIndices();
    else
      return user->emitOpError()
             << "uses a private buffer; only memref.load and memref.store "
                "inside a phase may";
    PhaseOp phase = enclosingPhase(user);
    if (!phase)
      return user->emitOpError("accesses a private buffer outside a phase");
    if (indices.empty() || indices.front() != phase.getThreadId())
      return user->emitOpError("the first index of a private buffer access "
                               "must be the thread id of its phase");
  }
  return success();
}

LogicalResult KernelOp::verifyRegions() {
  Block *body = getBody();
  bool inPrelude = true;
  unsigned loops = 0;
  for (Operation &op : *body) {
    if (isa<ForLoopOp>(op) && ++loops > 1)
      return op.emitOpError("a kernel holds at most one for-loop");
    auto alloca = dyn_cast<memref::AllocaOp>(op);
    if (!alloca) {
      inPrelude = false;
      continue;
    }
    if (!inPrelude)
      return alloca.emitOpError("kernel buffers are allocated at the start "
                                "of the kernel, before any other op");
    MemRefType type = alloca.getType();
    std::optional<MemorySpace> space = memorySpaceOf(type);
    if (!space || !type.hasStaticShape() || !type.getLayout().isIdentity())
      return alloca.emitOpError()
             << "a kernel buffer has a static shape, the identity layout "
                "and the memory space #gpu.address_space<workgroup> or "
                "#gpu.address_space<private>; found "
             << type;
    switch (*space) {
    case MemorySpace::Workgroup:
      break;
    case MemorySpace::Private:
      if (type.getRank() < 1 || type.getDimSize(0) != getNumThreads())
        return alloca.emitOpError()
               << "the leading dimension of a private buffer must be the "
                  "block's thread count "
               << getNumThreads() << "; found " << type;
      if (failed(verifyPrivateUses(alloca)))
        return failure();
      break;
    }
  }
  // Buffers anywhere else in the kernel.
  WalkResult walk = body->walk([&](memref::AllocaOp alloca) {
    if (alloca->getBlock() == body)
      return WalkResult::advance();
    alloca.emitOpError("kernel buffers are allocated at the start of the "
                       "kernel, not inside a loop or phase");
    return WalkResult::interrupt();
  });
  return failure(walk.wasInterrupted());
}

//===----------------------------------------------------------------------===//
// ForLoopOp
//===----------------------------------------------------------------------===//

void ForLoopOp::build(OpBuilder &builder, OperationState &state) {
  Region *body = state.addRegion();
  Block *entry = new Block();
  entry->addArgument(builder.getIndexType(), state.location);
  body->push_back(entry);
}

void ForLoopOp::getAsmBlockArgumentNames(Region &region,
                                         OpAsmSetValueNameFn setNameFn) {
  setNameFn(region.getArgument(0), "iter");
}

KernelOp ForLoopOp::getKernel() {
  return cast<KernelOp>((*this)->getParentOp());
}

LogicalResult ForLoopOp::verifyRegions() {
  return verifyIds(*this, 1, "the iteration (index)");
}

//===----------------------------------------------------------------------===//
// PhaseOp
//===----------------------------------------------------------------------===//

void PhaseOp::build(OpBuilder &builder, OperationState &state) {
  Region *body = state.addRegion();
  Block *entry = new Block();
  entry->addArgument(builder.getIndexType(), state.location);
  body->push_back(entry);
}

void PhaseOp::getAsmBlockArgumentNames(Region &region,
                                       OpAsmSetValueNameFn setNameFn) {
  setNameFn(region.getArgument(0), "tid");
}

KernelOp PhaseOp::getKernel() { return (*this)->getParentOfType<KernelOp>(); }

LogicalResult PhaseOp::verifyRegions() {
  if (failed(verifyIds(*this, 1, "the thread id (index)")))
    return failure();
  if (!getKernel())
    return emitOpError("a phase must be inside a structured.kernel");
  if ((*this)->getParentOfType<PhaseOp>())
    return emitOpError("phases do not nest");
  WalkResult walk = getBody()->walk([&](Operation *op) {
    if (!hasEffect<MemoryEffects::Allocate>(op))
      return WalkResult::advance();
    op->emitOpError("allocates inside a phase; kernel buffers are allocated "
                    "at the start of the kernel");
    return WalkResult::interrupt();
  });
  return failure(walk.wasInterrupted());
}

#define GET_OP_CLASSES
#include "Mirage/Dialect/Structured/IR/StructuredOps.cpp.inc"
