//===- StructuredEmitter.h - Block graphs to structured code ----*- C++ -*-===//
//
// The emitter behind --mirage-lower-to-structured: it writes the structured
// code (docs/Lowering.md) of one graph-defined kernel from the compact
// μGraph that the interpreter also runs. Private to lib/Conversion.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_LIB_CONVERSION_STRUCTUREDEMITTER_H
#define MIRAGE_LIB_CONVERSION_STRUCTUREDEMITTER_H

#include "Mirage/Bridge/UGraphImport.h"
#include "Mirage/Core/UGraph.h"
#include "Mirage/Dialect/Structured/IR/StructuredOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/bit.h"

namespace mirage::structured {

// A private header of lib/Conversion: MLIR names unqualified, as in the
// .cpp files, but only inside this namespace.
using namespace mlir;

using ::mirage::elementTypeOf;

/// Bytes per element.
inline int64_t bytesOf(::mirage::DType dtype) {
  return ::mirage::dtypeBytes(dtype);
}

/// The static memref type of a μGraph value.
inline MemRefType memrefOf(MLIRContext *ctx, const ::mirage::ValueInfo &info) {
  return MemRefType::get(info.shape, elementTypeOf(ctx, info.dtype));
}

/// How a value of a block graph is held while the block runs.
enum class Storage {
  /// Recomputed by each thread where it is read: loaders read global
  /// memory directly, element-wise ops apply their function (the thread
  /// level, fused into the consumer).
  Virtual,
  /// A tile in a workgroup buffer, written by one phase or cooperative op.
  Workgroup,
};

/// Constants of a function, created once at its entry. A constant's
/// location is the fused location of the ops it was created for, as
/// upstream's constant folding does.
class ConstantPool {
public:
  ConstantPool(Block &entry, Location loc)
      : entry(entry), builder(entry.getParentOp()->getContext()), loc(loc) {}

  Value index(int64_t v) { return index(v, loc); }
  Value index(int64_t v, Location user) {
    return get(indices[v], user, [&](Location at) {
      return arith::ConstantIndexOp::create(builder, at, v);
    });
  }
  Value f32(double v, Location user) {
    return get(floats[llvm::bit_cast<uint64_t>(v)], user, [&](Location at) {
      return arith::ConstantOp::create(builder, at, builder.getF32FloatAttr(v));
    });
  }

private:
  Value get(Value &c, Location user, function_ref<Value(Location)> create) {
    if (!c) {
      builder.setInsertionPointToStart(&entry);
      c = create(user);
    } else if (c.getLoc() != user) {
      Operation *op = c.getDefiningOp();
      op->setLoc(FusedLoc::get(op->getContext(), {op->getLoc(), user}));
    }
    return c;
  }

  Block &entry;
  OpBuilder builder;
  Location loc;
  llvm::DenseMap<int64_t, Value> indices;
  llvm::DenseMap<uint64_t, Value> floats;
};

/// Emits the structured code of one graph-defined kernel.
class KernelEmitter {
public:
  /// `loc` is the kernel's location; the code of a block op gets the
  /// op's, from `locations` (OpNode::location), or the kernel's when it has
  /// none.
  KernelEmitter(OpBuilder &builder, ConstantPool &constants, Location loc,
                const BlockGraph &graph, ArrayRef<Value> inputs,
                ArrayRef<Value> outputs, ArrayRef<Location> locations = {})
      : b(builder), constants(constants), loc(loc), kernelLoc(loc),
        locations(locations), graph(graph), inputs(inputs), outputs(outputs),
        ctx(builder.getContext()), f32(builder.getF32Type()) {
    threads = graph.launch.numThreads();
  }

  /// Emits the structured.kernel at the builder's insertion point.
  LogicalResult emit(StringRef name);

private:
  /// While alive, the emitter builds at the location of `op`.
  class OpLocation {
  public:
    OpLocation(KernelEmitter &emitter, const OpNode &op)
        : emitter(emitter), saved(emitter.loc) {
      emitter.loc = emitter.locationOf(op);
    }
    ~OpLocation() { emitter.loc = saved; }

  private:
    KernelEmitter &emitter;
    Location saved;
  };
  Location locationOf(const OpNode &op) const {
    if (op.location >= 0 && static_cast<size_t>(op.location) < locations.size())
      return locations[op.location];
    return kernelLoc;
  }

  // Small builders.
  Value index(int64_t v) { return constants.index(v, loc); }
  Value constF32(double v) { return constants.f32(v, loc); }
  Value toF32(Value v) {
    if (v.getType() == f32)
      return v;
    return arith::ExtFOp::create(b, loc, f32, v);
  }
  Value fromF32(Value v, Type type) {
    if (type == f32)
      return v;
    // A value just extended from `type` is already rounded to it.
    if (auto ext = v.getDefiningOp<arith::ExtFOp>();
        ext && ext.getIn().getType() == type)
      return ext.getIn();
    return arith::TruncFOp::create(b, loc, type, v);
  }
  // Index arithmetic, folded where an operand is a constant so that the IR
  // stays readable before any canonicalization.
  Value addIndex(Value x, Value y) {
    std::optional<int64_t> cx = getConstantIntValue(x),
                           cy = getConstantIntValue(y);
    if (cx && cy)
      return index(*cx + *cy);
    if (cx == 0)
      return y;
    if (cy == 0)
      return x;
    return arith::AddIOp::create(b, loc, x, y);
  }
  Value mulIndex(Value x, int64_t c) {
    std::optional<int64_t> cx = getConstantIntValue(x);
    if (cx)
      return index(*cx * c);
    if (c == 1)
      return x;
    return arith::MulIOp::create(b, loc, x, index(c));
  }

  /// A phase: `body(tid)` runs for every thread of the block, then all
  /// threads meet at a barrier.
  void phase(function_ref<void(Value)> body);
  /// Runs `body(indices, slot)` once for every element of `shape`, spread
  /// over the threads of the enclosing phase: thread t takes the elements
  /// t, t + T, t + 2T, ... and `slot` counts them (0, 1, ...).
  void forEachElement(Value tid, ArrayRef<int64_t> shape,
                      function_ref<void(ArrayRef<Value>, Value)> body);
  /// The number of elements of `shape` one thread handles at most.
  int64_t slotsFor(ArrayRef<int64_t> shape) const {
    return (::mirage::numElements(shape) + threads - 1) / threads;
  }
  /// Folds `count` values into `init` with an scf.for carrying an f32:
  /// `step(i, acc)` returns the next accumulator for iteration i.
  Value foldLoop(int64_t count, Value init,
                 function_ref<Value(Value, Value)> step);
  Value allocWorkgroup(MemRefType type);
  Value allocPrivate(int64_t slots);

  /// The value of `v` at tile indices `idx`, as f32.
  Value valueAt(ValueId v, ArrayRef<Value> idx);
  /// `x` (f32) rounded to the element type of `v`, as f32 (unchanged for
  /// a value held in f32).
  Value roundTo(Value x, ValueId v);
  /// Indices into the tensor a loader reads for tile indices `idx`.
  SmallVector<Value> loaderIndices(const OpNode &loader, ArrayRef<Value> idx);
  Value applyUnary(const OpNode &op, Value x);
  Value applyBinary(OpKind kind, Value x, Value y);

  /// Decides the storage of every value and allocates the buffers.
  void planStorage();
  LogicalResult emitOp(const OpNode &op);
  void emitAccumInit();
  void emitAccumUpdate(const OpNode &op);
  void emitAccumFinish();
  void emitSavers();

  OpBuilder &b;
  ConstantPool &constants;
  /// Where the ops being built come from: the kernel, or the block op being
  /// lowered (OpLocation).
  Location loc;
  Location kernelLoc;
  ArrayRef<Location> locations;
  const BlockGraph &graph;
  ArrayRef<Value> inputs;
  ArrayRef<Value> outputs;
  MLIRContext *ctx;
  Type f32;
  int64_t threads;

  Value blockId[3];
  Value iteration;
  SmallVector<Storage> storage;
  /// Values on their way to an accumulator: computed and kept in f32,
  /// never rounded to their element type (::mirage::valuesHeldInF32).
  std::vector<bool> heldInF32;
  SmallVector<Value> buffer;   // workgroup buffer of a Workgroup value
  SmallVector<Value> accState; // per-op private state (accum, running_max)
  /// Per op: for an `accum none` whose operand is a per-iteration matmul
  /// that nothing else reads, that matmul's result. The matmul's f32
  /// buffer is then the accumulator: zeroed once before the loop, added
  /// into by every iteration's linalg.matmul, rounded once after the loop.
  SmallVector<ValueId> matmulInto;
  /// Per value: the result of such a matmul.
  SmallVector<bool> keptAcrossIterations;
  SmallVector<Value> scratch; // per-op workgroup scratch (rms_norm rows)
  SmallVector<const OpNode *> producer;
};

/// Merges each phase of `kernel` into the phase right before it when no
/// shared buffer written by one is touched by the other.
void mergeIndependentPhases(KernelOp kernel);

} // namespace mirage::structured

#endif // MIRAGE_LIB_CONVERSION_STRUCTUREDEMITTER_H
