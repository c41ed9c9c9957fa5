//===- StructuredBlockOps.cpp - The structured code of each block op ------===//
//
// KernelEmitter::emitOp: loaders that feed a matmul become linalg.copy into
// workgroup buffers, matmuls cooperative linalg ops, reductions, rms_norm,
// concat, running_max and element-wise values read twice phases that fill
// a buffer. Element-wise values read once are not emitted here: their
// readers evaluate them (KernelEmitter::valueAt).
//
//===----------------------------------------------------------------------===//

#include "StructuredEmitter.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLExtras.h"

#include <cmath>

using namespace mlir;
using namespace mirage::structured;
using ::mirage::AccumKind;
using ::mirage::NonElementwiseOpKind;
using ::mirage::OpKind;
using ::mirage::OpNode;
using ::mirage::ValueId;

LogicalResult KernelEmitter::emitOp(const OpNode &op) {
  const auto &values = graph.values;
  // Element-wise ops and constants are computed where they are read
  // (valueAt).
  if (::mirage::isElementwise(op.kind) || op.kind == OpKind::Constant) {
    ValueId r = op.results[0];
    if (storage[r] != Storage::Workgroup)
      return success();
    // A value read more than once is computed once, into a buffer.
    Storage saved = storage[r];
    storage[r] = Storage::Virtual;
    Value out = buffer[r];
    Type type = cast<MemRefType>(out.getType()).getElementType();
    phase([&](Value tid) {
      forEachElement(tid, values[r].shape, [&](ArrayRef<Value> idx, Value) {
        memref::StoreOp::create(b, loc, fromF32(valueAt(r, idx), type), out,
                                idx);
      });
    });
    storage[r] = saved;
    return success();
  }
  switch (*::mirage::asNonElementwiseOpKind(op.kind)) {
  case NonElementwiseOpKind::Loader: {
    ValueId r = op.results[0];
    if (storage[r] != Storage::Workgroup)
      return success();
    const auto &tile = values[r].shape;
    SmallVector<Value> zeros(tile.size(), index(0));
    SmallVector<Value> offsets = loaderIndices(op, zeros);
    SmallVector<OpFoldResult> offs(offsets.begin(), offsets.end()), sizes,
        strides;
    for (int64_t t : tile) {
      sizes.push_back(b.getIndexAttr(t));
      strides.push_back(b.getIndexAttr(1));
    }
    Value view = memref::SubViewOp::create(b, loc, inputs[op.operands[0]], offs,
                                           sizes, strides);
    linalg::CopyOp::create(b, loc, ValueRange{view}, ValueRange{buffer[r]});
    return success();
  }
  case NonElementwiseOpKind::Matmul:
  case NonElementwiseOpKind::ConcatMatmul: {
    ValueId r = op.results[0];
    Value c = buffer[r];
    const auto &shape = values[r].shape;
    if (shape.size() > 3)
      return emitError(loc) << "a block matmul of rank " << shape.size()
                            << " has no lowering (ranks 2 and 3 do)";
    // A matmul that accumulates across iterations was zeroed before the
    // loop (emitAccumInit); any other starts from zero every time.
    if (!keptAcrossIterations[r])
      phase([&](Value tid) {
        forEachElement(tid, shape, [&](ArrayRef<Value> idx, Value) {
          memref::StoreOp::create(b, loc, constF32(0.0), c, idx);
        });
      });
    auto product = [&](ValueId lhs, ValueId rhs) {
      SmallVector<Value, 2> ins{buffer[lhs], buffer[rhs]};
      if (shape.size() == 2)
        linalg::MatmulOp::create(b, loc, ins, ValueRange{c});
      else
        linalg::BatchMatmulOp::create(b, loc, ins, ValueRange{c});
    };
    if (op.kind == OpKind::Matmul) {
      product(op.operands[0], op.operands[1]);
    } else {
      product(op.operands[0], op.operands[2]);
      product(op.operands[1], op.operands[3]);
    }
    return success();
  }
  case NonElementwiseOpKind::Reduction:
  case NonElementwiseOpKind::ReductionToDimx: {
    ValueId x = op.operands[0], r = op.results[0];
    int64_t d = op.dim;
    int64_t size =
        op.kind == OpKind::Reduction ? op.size : graph.launch.reductionDimx;
    int64_t count = values[x].shape[d] / size;
    Value out = buffer[r];
    Type type = cast<MemRefType>(out.getType()).getElementType();
    phase([&](Value tid) {
      forEachElement(tid, values[r].shape, [&](ArrayRef<Value> idx, Value) {
        Value total =
            foldLoop(count, constF32(0.0), [&](Value k, Value sum) -> Value {
              SmallVector<Value> sub(idx.begin(), idx.end());
              sub[d] = addIndex(idx[d], mulIndex(k, size));
              return arith::AddFOp::create(b, loc, sum, valueAt(x, sub));
            });
        memref::StoreOp::create(b, loc, fromF32(total, type), out, idx);
      });
    });
    return success();
  }
  case NonElementwiseOpKind::RmsNorm: {
    ValueId x = op.operands[0], r = op.results[0];
    const auto &shape = values[x].shape;
    int64_t last = shape.back();
    ::mirage::Shape rows(shape.begin(), shape.end());
    rows.back() = 1;
    Value factors = scratch[&op - graph.ops.data()];
    phase([&](Value tid) {
      forEachElement(tid, rows, [&](ArrayRef<Value> idx, Value) {
        Value squares =
            foldLoop(last, constF32(0.0), [&](Value k, Value sum) -> Value {
              SmallVector<Value> sub(idx.begin(), idx.end());
              sub.back() = k;
              Value v = valueAt(x, sub);
              Value sq = arith::MulFOp::create(b, loc, v, v);
              return arith::AddFOp::create(b, loc, sum, sq);
            });
        Value mean = arith::DivFOp::create(b, loc, squares,
                                           constF32(static_cast<double>(last)));
        Value shifted =
            arith::AddFOp::create(b, loc, mean, constF32(op.scalarA));
        memref::StoreOp::create(b, loc, math::RsqrtOp::create(b, loc, shifted),
                                factors, idx);
      });
    });
    Value out = buffer[r];
    Type type = cast<MemRefType>(out.getType()).getElementType();
    phase([&](Value tid) {
      forEachElement(tid, shape, [&](ArrayRef<Value> idx, Value) {
        SmallVector<Value> row(idx.begin(), idx.end());
        row.back() = index(0);
        Value factor = memref::LoadOp::create(b, loc, factors, row);
        Value y = arith::MulFOp::create(b, loc, valueAt(x, idx), factor);
        memref::StoreOp::create(b, loc, fromF32(y, type), out, idx);
      });
    });
    return success();
  }
  case NonElementwiseOpKind::Concat: {
    ValueId r = op.results[0];
    Value out = buffer[r];
    Type type = cast<MemRefType>(out.getType()).getElementType();
    phase([&](Value tid) {
      int64_t offset = 0;
      for (ValueId x : op.operands) {
        forEachElement(tid, values[x].shape, [&](ArrayRef<Value> idx, Value) {
          SmallVector<Value> dst(idx.begin(), idx.end());
          dst[op.dim] = addIndex(idx[op.dim], index(offset));
          memref::StoreOp::create(b, loc, fromF32(valueAt(x, idx), type), out,
                                  dst);
        });
        offset += values[x].shape[op.dim];
      }
    });
    return success();
  }
  // Layout ops: a phase that fills the result's buffer, each element read
  // from its source index. The operand is read through valueAt, so a
  // loader that only a layout op reads is never copied itself: the layout
  // op reads the tile from the kernel input, re-indexed (a transposed load).
  case NonElementwiseOpKind::Transpose:
  case NonElementwiseOpKind::Reshape:
  case NonElementwiseOpKind::Broadcast: {
    ValueId x = op.operands[0], r = op.results[0];
    const ::mirage::Shape &in = values[x].shape, &outShape = values[r].shape;
    Value out = buffer[r];
    Type type = cast<MemRefType>(out.getType()).getElementType();
    auto source = [&](ArrayRef<Value> idx) {
      SmallVector<Value> src;
      if (op.kind == OpKind::Transpose) {
        src.assign(in.size(), Value());
        for (size_t d = 0; d < idx.size(); ++d)
          src[op.dims[d]] = idx[d];
      } else if (op.kind == OpKind::Broadcast) {
        for (size_t d = 0; d < idx.size(); ++d)
          if (!llvm::is_contained(op.dims, static_cast<int64_t>(d)))
            src.push_back(idx[d]);
      } else {
        // Reshape: the row-major position, split by the operand's extents.
        Value linear = index(0);
        for (size_t d = 0; d < idx.size(); ++d)
          linear = addIndex(mulIndex(linear, outShape[d]), idx[d]);
        src.assign(in.size(), Value());
        for (size_t d = in.size(); d-- > 0;) {
          src[d] =
              in[d] == 1
                  ? index(0)
                  : Value(arith::RemUIOp::create(b, loc, linear, index(in[d])));
          if (d > 0 && in[d] != 1)
            linear = arith::DivUIOp::create(b, loc, linear, index(in[d]));
        }
      }
      return src;
    };
    phase([&](Value tid) {
      forEachElement(tid, outShape, [&](ArrayRef<Value> idx, Value) {
        memref::StoreOp::create(b, loc, fromF32(valueAt(x, source(idx)), type),
                                out, idx);
      });
    });
    return success();
  }
  case NonElementwiseOpKind::RunningMax: {
    ValueId x = op.operands[0];
    ValueId maxOut = op.results[0], diffOut = op.results[1];
    Value state = accState[&op - graph.ops.data()];
    int64_t d = op.dim;
    int64_t extent = values[x].shape[d];
    Type maxType = cast<MemRefType>(buffer[maxOut].getType()).getElementType();
    Type diffType =
        cast<MemRefType>(buffer[diffOut].getType()).getElementType();
    phase([&](Value tid) {
      forEachElement(
          tid, values[maxOut].shape, [&](ArrayRef<Value> idx, Value slot) {
            Value rowMax = foldLoop(
                extent, constF32(-INFINITY), [&](Value k, Value m) -> Value {
                  SmallVector<Value> sub(idx.begin(), idx.end());
                  sub[d] = k;
                  return arith::MaximumFOp::create(b, loc, m, valueAt(x, sub));
                });
            SmallVector<Value, 2> at{tid, slot};
            Value old = memref::LoadOp::create(b, loc, state, at);
            Value next = arith::MaximumFOp::create(b, loc, old, rowMax);
            Value first = arith::CmpIOp::create(
                b, loc, arith::CmpIPredicate::eq, iteration, index(0));
            Value diff = arith::SelectOp::create(
                b, loc, first, constF32(0.0),
                arith::SubFOp::create(b, loc, old, next));
            memref::StoreOp::create(b, loc, next, state, at);
            memref::StoreOp::create(b, loc, fromF32(next, maxType),
                                    buffer[maxOut], idx);
            memref::StoreOp::create(b, loc, fromF32(diff, diffType),
                                    buffer[diffOut], idx);
          });
    });
    return success();
  }
  case NonElementwiseOpKind::Accum:
    emitAccumUpdate(op);
    return success();
  // Savers and graph-defined kernels are not ops of this switch.
  case NonElementwiseOpKind::Saver:
  case NonElementwiseOpKind::GraphDefined:
  // Kernel-level reductions: the default schedule replaces them.
  case NonElementwiseOpKind::ReduceMax:
  case NonElementwiseOpKind::ReduceMean:
  // Constants returned above.
  case NonElementwiseOpKind::Constant:
    break;
  }
  return emitError(loc) << "a block op '" << ::mirage::opKindName(op.kind)
                        << "' has no lowering";
}
