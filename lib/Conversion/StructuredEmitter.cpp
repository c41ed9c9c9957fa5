//===- StructuredEmitter.cpp - Phases, buffers, values, accumulators ------===//
//
// The parts of the structured emitter every block op uses: phases and the
// spread of a tile's elements over threads, the storage plan, element
// values (with element-wise chains fused into their reader), accumulators,
// savers, and the merging of independent phases.
//
//===----------------------------------------------------------------------===//

#include "StructuredEmitter.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"

#include <cmath>

using namespace mlir;
using namespace mirage::structured;
using ::mirage::AccumKind;
using ::mirage::BinaryOpKind;
using ::mirage::OpKind;
using ::mirage::OpNode;
using ::mirage::UnaryOpKind;
using ::mirage::ValueId;

void KernelEmitter::phase(function_ref<void(Value)> body) {
  auto phaseOp = PhaseOp::create(b, loc);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(phaseOp.getBody());
  body(phaseOp.getThreadId());
}

void KernelEmitter::forEachElement(
    Value tid, ArrayRef<int64_t> shape,
    function_ref<void(ArrayRef<Value>, Value)> body) {
  int64_t total = ::mirage::numElements(shape);
  int64_t slots = slotsFor(shape);
  auto emitBody = [&](Value slot) {
    Value flat = slots == 1 ? tid : addIndex(tid, mulIndex(slot, threads));
    auto inner = [&]() {
      SmallVector<Value> idx(shape.size());
      Value rest = flat;
      for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
        if (d == 0) {
          idx[d] = rest;
          break;
        }
        if (shape[d] == 1) {
          idx[d] = index(0);
          continue;
        }
        Value extent = index(shape[d]);
        idx[d] = arith::RemUIOp::create(b, loc, rest, extent);
        rest = arith::DivUIOp::create(b, loc, rest, extent);
      }
      body(idx, slot);
    };
    if (total % threads == 0) {
      inner();
      return;
    }
    Value inRange = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                          flat, index(total));
    auto ifOp = scf::IfOp::create(b, loc, inRange, /*withElse=*/false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&ifOp.getThenRegion().front());
    inner();
  };
  if (slots == 1) {
    emitBody(index(0));
    return;
  }
  auto loop = scf::ForOp::create(b, loc, index(0), index(slots), index(1));
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(loop.getBody());
  emitBody(loop.getInductionVar());
}

Value KernelEmitter::foldLoop(int64_t count, Value init,
                              function_ref<Value(Value, Value)> step) {
  auto loop = scf::ForOp::create(b, loc, index(0), index(count), index(1),
                                 ValueRange{init});
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(loop.getBody());
  scf::YieldOp::create(b, loc,
                       step(loop.getInductionVar(), loop.getRegionIterArg(0)));
  return loop.getResult(0);
}

Value KernelEmitter::allocWorkgroup(MemRefType type) {
  return memref::AllocaOp::create(b, loc,
                                  bufferType(type.getShape(),
                                             type.getElementType(),
                                             MemorySpace::Workgroup));
}

Value KernelEmitter::allocPrivate(int64_t slots) {
  return memref::AllocaOp::create(
      b, loc, bufferType({threads, slots}, f32, MemorySpace::Private));
}

SmallVector<Value> KernelEmitter::loaderIndices(const OpNode &loader,
                                                ArrayRef<Value> idx) {
  const auto &tile = graph.values[loader.results[0]].shape;
  int64_t forloop = graph.launch.forloopRange;
  SmallVector<Value> out;
  for (size_t d = 0; d < tile.size(); ++d) {
    auto dim = static_cast<int64_t>(d);
    Value pos = idx[d];
    for (unsigned a = 0; a < ::mirage::kNumGridAxes; ++a)
      if (loader.map[a] == dim)
        pos = addIndex(
            pos,
            mulIndex(blockId[a], tile[d] * (loader.dim == dim ? forloop : 1)));
    if (loader.dim == dim)
      pos = addIndex(pos, mulIndex(iteration, tile[d]));
    out.push_back(pos);
  }
  return out;
}

Value KernelEmitter::applyUnary(const OpNode &op, Value x) {
  switch (::mirage::unaryOpKind(op.kind)) {
  case UnaryOpKind::Exp:
    return math::ExpOp::create(b, loc, x);
  case UnaryOpKind::Square:
    return arith::MulFOp::create(b, loc, x, x);
  case UnaryOpKind::Sqrt:
    return math::SqrtOp::create(b, loc, x);
  case UnaryOpKind::Rsqrt:
    return math::RsqrtOp::create(b, loc, x);
  case UnaryOpKind::Silu: {
    // x / (1 + e^-x)
    Value neg = arith::NegFOp::create(b, loc, x);
    Value e = math::ExpOp::create(b, loc, neg);
    Value den = arith::AddFOp::create(b, loc, constF32(1.0), e);
    return arith::DivFOp::create(b, loc, x, den);
  }
  case UnaryOpKind::Gelu: {
    // x/2 * (1 + erf(x / sqrt 2))
    Value scaled = arith::MulFOp::create(b, loc, x, constF32(M_SQRT1_2));
    Value erf = math::ErfOp::create(b, loc, scaled);
    Value onePlus = arith::AddFOp::create(b, loc, constF32(1.0), erf);
    Value half = arith::MulFOp::create(b, loc, x, constF32(0.5));
    return arith::MulFOp::create(b, loc, half, onePlus);
  }
  case UnaryOpKind::Relu:
    return arith::MaximumFOp::create(b, loc, x, constF32(0.0));
  case UnaryOpKind::Tanh:
    return math::TanhOp::create(b, loc, x);
  case UnaryOpKind::Clamp: {
    Value lo = arith::MaximumFOp::create(b, loc, x, constF32(op.scalarA));
    return arith::MinimumFOp::create(b, loc, lo, constF32(op.scalarB));
  }
  case UnaryOpKind::MulScalar:
    return arith::MulFOp::create(b, loc, x, constF32(op.scalarA));
  case UnaryOpKind::Neg:
    return arith::NegFOp::create(b, loc, x);
  case UnaryOpKind::Sigmoid: {
    // 1 / (1 + e^-x)
    Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x));
    Value den = arith::AddFOp::create(b, loc, constF32(1.0), e);
    return arith::DivFOp::create(b, loc, constF32(1.0), den);
  }
  case UnaryOpKind::Erf:
    return math::ErfOp::create(b, loc, x);
  case UnaryOpKind::Cast:
    // valueAt rounds every result to its value's type: that is the cast.
    return x;
  }
  llvm_unreachable("applyUnary on an op that is not element-wise unary");
}

Value KernelEmitter::applyBinary(OpKind kind, Value x, Value y) {
  switch (::mirage::binaryOpKind(kind)) {
  case BinaryOpKind::Add:
    return arith::AddFOp::create(b, loc, x, y);
  case BinaryOpKind::Sub:
    return arith::SubFOp::create(b, loc, x, y);
  case BinaryOpKind::Mul:
    return arith::MulFOp::create(b, loc, x, y);
  case BinaryOpKind::Div:
    return arith::DivFOp::create(b, loc, x, y);
  case BinaryOpKind::Pow:
    return math::PowFOp::create(b, loc, x, y);
  }
  llvm_unreachable("applyBinary on an op that is not element-wise binary");
}

Value KernelEmitter::roundTo(Value x, ValueId v) {
  Type type = elementTypeOf(ctx, graph.values[v].dtype);
  if (type == f32 || heldInF32[v])
    return x;
  return toF32(fromF32(x, type));
}

Value KernelEmitter::valueAt(ValueId v, ArrayRef<Value> idx) {
  if (storage[v] == Storage::Workgroup) {
    // Matmul results are held in f32: a reader sees them rounded to the
    // value's type, as the interpreter defines them, unless the value is
    // on its way to an accumulator (then roundTo keeps it).
    Value x = toF32(memref::LoadOp::create(b, loc, buffer[v], idx));
    if (cast<MemRefType>(buffer[v].getType()).getElementType() == f32)
      x = roundTo(x, v);
    return x;
  }
  const OpNode &op = *producer[v];
  OpLocation at(*this, op);
  // A constant is its value, exact in f32.
  if (op.kind == OpKind::Constant)
    return constF32(op.scalarA);
  if (op.kind == OpKind::Loader) {
    Value source = inputs[op.operands[0]];
    return toF32(
        memref::LoadOp::create(b, loc, source, loaderIndices(op, idx)));
  }
  // A virtual element-wise op: its operands broadcast to its shape.
  const auto &shape = graph.values[v].shape;
  auto operandAt = [&](ValueId operand) {
    const auto &opShape = graph.values[operand].shape;
    SmallVector<Value> sub(idx.begin(), idx.end());
    for (size_t d = 0; d < shape.size(); ++d)
      if (opShape[d] == 1 && shape[d] != 1)
        sub[d] = index(0);
    return valueAt(operand, sub);
  };
  // Each op's result is rounded to its type (a no-op for f32), so that a
  // fused chain overflows, underflows and rounds where the μGraph says.
  if (::mirage::isUnaryElementwise(op.kind))
    return roundTo(applyUnary(op, operandAt(op.operands[0])), v);
  return roundTo(applyBinary(op.kind, operandAt(op.operands[0]),
                             operandAt(op.operands[1])),
                 v);
}

void KernelEmitter::planStorage() {
  size_t n = graph.values.size();
  storage.assign(n, Storage::Virtual);
  buffer.assign(n, Value());
  accState.assign(graph.ops.size(), Value());
  scratch.assign(graph.ops.size(), Value());
  producer.assign(n, nullptr);
  heldInF32 = ::mirage::valuesHeldInF32(graph);
  SmallVector<int> readers(n, 0);
  for (const OpNode &op : graph.ops) {
    for (ValueId r : op.results)
      producer[r] = &op;
    for (ValueId v : op.operands)
      ++readers[v];
  }
  for (const OpNode &op : graph.ops) {
    bool elementwise = ::mirage::isUnaryElementwise(op.kind) ||
                       ::mirage::isBinaryElementwise(op.kind);
    if (op.kind == OpKind::Matmul || op.kind == OpKind::ConcatMatmul) {
      // linalg operands are buffers.
      for (ValueId v : op.operands)
        storage[v] = Storage::Workgroup;
    }
    // A constant is computed where it is read, however often (a buffer
    // only for a matmul, above).
    if (op.kind == OpKind::Loader || op.kind == OpKind::Saver ||
        op.kind == OpKind::Constant)
      continue;
    for (ValueId r : op.results)
      if (!elementwise || readers[r] > 1)
        storage[r] = Storage::Workgroup;
  }
  // Matmul results accumulate in f32, and values on their way to an
  // accumulator are held in f32; every other buffer holds the value's
  // element type, as the interpreter rounds each op's result.
  for (size_t v = graph.numInputs; v < n; ++v) {
    if (storage[v] != Storage::Workgroup)
      continue;
    const OpNode *op = producer[v];
    bool matmul =
        op && (op->kind == OpKind::Matmul || op->kind == OpKind::ConcatMatmul);
    auto type = memrefOf(ctx, graph.values[v]);
    if (matmul || (op && op->kind != OpKind::Loader && heldInF32[v]))
      type = MemRefType::get(type.getShape(), f32);
    buffer[v] = allocWorkgroup(type);
  }
  // A plain accumulator of a matmul that only it reads keeps its f32 sums
  // in the matmul's buffer across iterations: linalg.matmul adds into it.
  matmulInto.assign(graph.ops.size(), -1);
  keptAcrossIterations.assign(n, false);
  for (size_t k = 0; k < graph.ops.size(); ++k) {
    const OpNode &op = graph.ops[k];
    if (op.kind != OpKind::Accum || op.accum != AccumKind::None)
      continue;
    ValueId x = op.operands[0];
    const OpNode *from = producer[x];
    if (from &&
        (from->kind == OpKind::Matmul || from->kind == OpKind::ConcatMatmul) &&
        readers[x] == 1 && !graph.values[x].accumulated) {
      matmulInto[k] = x;
      keptAcrossIterations[x] = true;
    }
  }
  for (size_t k = 0; k < graph.ops.size(); ++k) {
    const OpNode &op = graph.ops[k];
    if (matmulInto[k] >= 0)
      continue;
    if (op.kind == OpKind::Accum || op.kind == OpKind::RunningMax)
      accState[k] = allocPrivate(slotsFor(graph.values[op.results[0]].shape));
    if (op.kind == OpKind::RmsNorm) {
      // 1 / rms of every row of the input.
      ::mirage::Shape rows = graph.values[op.operands[0]].shape;
      rows.back() = 1;
      scratch[k] = allocWorkgroup(MemRefType::get(rows, f32));
    }
  }
}

LogicalResult KernelEmitter::emit(StringRef name) {
  const auto &launch = graph.launch;
  LogicalResult result = success();
  auto kernel = KernelOp::create(b, loc, name, launch.grid, {threads, 1, 1},
                                 launch.forloopRange);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(kernel.getBody());
    for (unsigned a = 0; a < 3; ++a)
      blockId[a] = kernel.getBlockIds()[a];
    planStorage();
    emitAccumInit();
    auto loop = ForLoopOp::create(b, loc);
    {
      OpBuilder::InsertionGuard loopGuard(b);
      b.setInsertionPointToStart(loop.getBody());
      iteration = loop.getIteration();
      for (const OpNode &op : graph.ops) {
        if (op.kind == OpKind::Saver ||
            (!op.results.empty() && graph.values[op.results[0]].accumulated &&
             op.kind != OpKind::Accum))
          continue;
        OpLocation at(*this, op);
        if (failed(emitOp(op)))
          result = failure();
      }
    }
    iteration = index(launch.forloopRange - 1);
    emitAccumFinish();
    for (const OpNode &op : graph.ops)
      if (op.kind != OpKind::Saver && op.kind != OpKind::Accum &&
          !op.results.empty() && graph.values[op.results[0]].accumulated) {
        OpLocation at(*this, op);
        if (failed(emitOp(op)))
          result = failure();
      }
    emitSavers();
  }
  mergeIndependentPhases(kernel);
  return result;
}

void KernelEmitter::emitAccumInit() {
  if (llvm::all_of(accState, [](Value v) { return !v; }) &&
      llvm::all_of(matmulInto, [](ValueId v) { return v < 0; }))
    return;
  // One phase sets every state: 0 for sums, -inf for maxima, and 0 for the
  // f32 buffers of matmuls that accumulate across iterations.
  phase([&](Value tid) {
    for (size_t k = 0; k < graph.ops.size(); ++k) {
      const OpNode &op = graph.ops[k];
      OpLocation at(*this, op);
      if (ValueId mm = matmulInto[k]; mm >= 0) {
        Value c = buffer[mm];
        forEachElement(tid, graph.values[mm].shape,
                       [&](ArrayRef<Value> idx, Value) {
                         memref::StoreOp::create(b, loc, constF32(0.0), c, idx);
                       });
        continue;
      }
      if (!accState[k])
        continue;
      bool max = op.kind == OpKind::RunningMax || op.accum == AccumKind::Max;
      Value init = constF32(max ? -INFINITY : 0.0);
      Value state = accState[k];
      forEachElement(
          tid, graph.values[op.results[0]].shape,
          [&](ArrayRef<Value>, Value slot) {
            memref::StoreOp::create(b, loc, init, state, ValueRange{tid, slot});
          });
    }
  });
}

void KernelEmitter::emitAccumUpdate(const OpNode &op) {
  const auto &values = graph.values;
  // The matmul has added this iteration's product into the sums already.
  if (matmulInto[&op - graph.ops.data()] >= 0)
    return;
  ValueId x = op.operands[0], r = op.results[0];
  Value state = accState[&op - graph.ops.data()];
  const auto &inShape = values[x].shape;
  int64_t last = inShape.back();
  int64_t dimx = graph.launch.reductionDimx;
  phase([&](Value tid) {
    forEachElement(tid, values[r].shape, [&](ArrayRef<Value> idx, Value slot) {
      SmallVector<Value, 2> at{tid, slot};
      Value acc = memref::LoadOp::create(b, loc, state, at);
      // Sums `term(c)` over the last-dim positions c = first + k * step.
      auto sumAlongLast = [&](Value first, int64_t step, int64_t count,
                              bool square) {
        return foldLoop(count, acc, [&](Value k, Value sum) -> Value {
          SmallVector<Value> sub(idx.begin(), idx.end());
          sub.back() = addIndex(first, mulIndex(k, step));
          Value v = valueAt(x, sub);
          if (square)
            v = arith::MulFOp::create(b, loc, v, v);
          return arith::AddFOp::create(b, loc, sum, v);
        });
      };
      Value next;
      switch (op.accum) {
      case AccumKind::None:
        next = arith::AddFOp::create(b, loc, acc, valueAt(x, idx));
        break;
      case AccumKind::Sum:
      case AccumKind::Mean:
        next = sumAlongLast(index(0), 1, last, false);
        break;
      case AccumKind::Rms:
        next = sumAlongLast(index(0), 1, last, true);
        break;
      case AccumKind::SumToDimx:
        next = sumAlongLast(idx.back(), dimx, last / dimx, false);
        break;
      case AccumKind::Rescale: {
        ValueId scale = op.operands[1];
        SmallVector<Value> sub(idx.begin(), idx.end());
        for (size_t d = 0; d < sub.size(); ++d)
          if (values[scale].shape[d] == 1 && inShape[d] != 1)
            sub[d] = index(0);
        Value scaled = arith::MulFOp::create(b, loc, acc, valueAt(scale, sub));
        next = arith::AddFOp::create(b, loc, scaled, valueAt(x, idx));
        break;
      }
      case AccumKind::Max:
        next = arith::MaximumFOp::create(b, loc, acc, valueAt(x, idx));
        break;
      }
      memref::StoreOp::create(b, loc, next, state, at);
    });
  });
}

void KernelEmitter::emitAccumFinish() {
  const auto &values = graph.values;
  SmallVector<const OpNode *> accums;
  for (const OpNode &op : graph.ops)
    if (op.kind == OpKind::Accum)
      accums.push_back(&op);
  if (accums.empty())
    return;
  phase([&](Value tid) {
    for (const OpNode *op : accums) {
      OpLocation at(*this, *op);
      ValueId r = op->results[0];
      Value state = accState[op - graph.ops.data()];
      ValueId sums = matmulInto[op - graph.ops.data()];
      Value out = buffer[r];
      Type type = cast<MemRefType>(out.getType()).getElementType();
      int64_t count =
          graph.launch.forloopRange * values[op->operands[0]].shape.back();
      forEachElement(
          tid, values[r].shape, [&](ArrayRef<Value> idx, Value slot) {
            Value v = sums >= 0
                          ? memref::LoadOp::create(b, loc, buffer[sums], idx)
                          : memref::LoadOp::create(b, loc, state,
                                                   ValueRange{tid, slot});
            if (op->accum == AccumKind::Mean || op->accum == AccumKind::Rms)
              v = arith::DivFOp::create(b, loc, v,
                                        constF32(static_cast<double>(count)));
            if (op->accum == AccumKind::Rms)
              v = math::SqrtOp::create(b, loc, v);
            memref::StoreOp::create(b, loc, fromF32(v, type), out, idx);
          });
    }
  });
}

void KernelEmitter::emitSavers() {
  const auto &values = graph.values;
  SmallVector<const OpNode *> savers;
  for (const OpNode &op : graph.ops)
    if (op.kind == OpKind::Saver)
      savers.push_back(&op);
  phase([&](Value tid) {
    for (const OpNode *op : savers) {
      OpLocation at(*this, *op);
      ValueId tile = op->operands[0];
      auto *it = llvm::find(graph.outputs, op->results[0]);
      Value dest = outputs[it - graph.outputs.begin()];
      auto destType = cast<MemRefType>(dest.getType());
      Type type = destType.getElementType();
      const auto &shape = values[tile].shape;
      // The position in the output tensor of tile element `idx`.
      auto positionOf = [&](ArrayRef<Value> idx) {
        SmallVector<Value> pos(idx.begin(), idx.end());
        for (unsigned a = 0; a < ::mirage::kNumGridAxes; ++a)
          if (op->map[a] >= 0)
            pos[op->map[a]] = addIndex(pos[op->map[a]],
                                       mulIndex(blockId[a], shape[op->map[a]]));
        return pos;
      };
      // 16-byte stores: each thread writes whole 16-byte chunks of a row
      // when rows of the tile and of the tensor are made of such chunks
      // (then every chunk is 16-byte aligned, the buffers being 256-byte
      // aligned).
      int64_t width = 16 / (type.getIntOrFloatBitWidth() / 8);
      if (shape.back() % width == 0 &&
          destType.getShape().back() % width == 0) {
        ::mirage::Shape chunks(shape.begin(), shape.end());
        chunks.back() /= width;
        auto vectorType = VectorType::get({width}, type);
        forEachElement(tid, chunks, [&](ArrayRef<Value> chunk, Value) {
          SmallVector<Value> idx(chunk.begin(), chunk.end());
          Value first = mulIndex(chunk.back(), width);
          SmallVector<Value> lanes;
          for (int64_t k = 0; k < width; ++k) {
            idx.back() = addIndex(first, index(k));
            lanes.push_back(fromF32(valueAt(tile, idx), type));
          }
          idx.back() = first;
          Value vec = vector::FromElementsOp::create(b, loc, vectorType, lanes);
          vector::StoreOp::create(b, loc, vec, dest, positionOf(idx),
                                  /*nontemporal=*/false, llvm::MaybeAlign(16));
        });
        continue;
      }
      forEachElement(tid, shape, [&](ArrayRef<Value> idx, Value) {
        memref::StoreOp::create(b, loc, fromF32(valueAt(tile, idx), type), dest,
                                positionOf(idx));
      });
    }
  });
}

/// True for a buffer every thread of a block can reach: not private.
static bool isShared(Value memref) {
  return memorySpaceOf(memref.getType()) != MemorySpace::Private;
}

/// The shared buffers a phase reads and writes.
static void collectSharedAccesses(Operation *phase,
                                  llvm::DenseSet<Value> &reads,
                                  llvm::DenseSet<Value> &writes) {
  phase->walk([&](Operation *op) {
    if (auto load = dyn_cast<memref::LoadOp>(op)) {
      if (isShared(load.getMemRef()))
        reads.insert(load.getMemRef());
    } else if (auto store = dyn_cast<memref::StoreOp>(op)) {
      if (isShared(store.getMemRef()))
        writes.insert(store.getMemRef());
    }
  });
}

/// Merges each phase into the phase right before it when no shared buffer
/// written by one is touched by the other: the barrier between them then
/// orders nothing, and one barrier fewer runs per block (or per iteration).
void mirage::structured::mergeIndependentPhases(KernelOp kernel) {
  SmallVector<Block *> blocks{kernel.getBody()};
  kernel.walk([&](ForLoopOp loop) { blocks.push_back(loop.getBody()); });
  for (Block *block : blocks) {
    for (Operation *op = &block->front(); op;) {
      Operation *next = op->getNextNode();
      auto first = dyn_cast<PhaseOp>(op);
      auto second = dyn_cast_or_null<PhaseOp>(next);
      if (!first || !second) {
        op = next;
        continue;
      }
      llvm::DenseSet<Value> reads1, writes1, reads2, writes2;
      collectSharedAccesses(first, reads1, writes1);
      collectSharedAccesses(second, reads2, writes2);
      bool conflict =
          llvm::any_of(writes1,
                       [&](Value v) {
                         return reads2.contains(v) || writes2.contains(v);
                       }) ||
          llvm::any_of(writes2, [&](Value v) { return reads1.contains(v); });
      if (conflict) {
        op = next;
        continue;
      }
      Block *from = second.getBody();
      from->getArgument(0).replaceAllUsesWith(first.getThreadId());
      first.getBody()->getOperations().splice(first.getBody()->end(),
                                              from->getOperations());
      second.erase();
    }
  }
}
