//===- GPUCooperativeOps.cpp - Cooperative ops on GPU threads -------------===//
//
// Per-thread code for the cooperative ops of the structured level: tile
// copies spread over the threads (16-byte vectors or cp.async where the
// layout allows), and matmuls on tensor cores (ldmatrix + mma.sync m16n8k16)
// or as a SIMT loop. See GPUCooperativeOps.h.
//
//===----------------------------------------------------------------------===//

#include "GPUCooperativeOps.h"
#include "Mirage/Dialect/Structured/IR/StructuredOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/TypeSwitch.h"

#include <numeric>

using namespace mlir;
using namespace mirage::gpu_mapping;

namespace {

/// A warp, the unit mma.sync and ldmatrix work on.
constexpr int64_t kThreadsPerWarp = 32;
/// The mma.sync shape: m16n8k16.
constexpr int64_t kMmaM = 16, kMmaN = 8, kMmaK = 16;

/// gcd where 0 stands for "any multiple" (the value 0).
int64_t gcdOrZero(int64_t a, int64_t b) {
  if (a == 0)
    return b;
  if (b == 0)
    return a;
  return std::gcd(a, b);
}

/// A product of multiples, saturated so that large strides cannot overflow;
/// only small factors (vector widths) are ever asked about.
int64_t mulMultiples(int64_t a, int64_t b) {
  if (a == 0 || b == 0)
    return 0;
  constexpr int64_t kCap = int64_t(1) << 40;
  if (a > kCap / b)
    return kCap;
  return a * b;
}

/// Index arithmetic at one insertion point.
class Indexer {
public:
  Indexer(OpBuilder &b, Location loc, const ThreadContext &threads)
      : b(b), loc(loc), threads(threads) {}

  // Constant operands fold on the spot: the tile shapes are static, and the
  // IR stays readable.
  Value c(int64_t v) { return threads.constant(b, v); }
  Value add(Value x, Value y) {
    std::optional<int64_t> cx = getConstantIntValue(x);
    std::optional<int64_t> cy = getConstantIntValue(y);
    if (cx && cy)
      return c(*cx + *cy);
    if (cx == 0)
      return y;
    if (cy == 0)
      return x;
    return arith::AddIOp::create(b, loc, x, y);
  }
  Value add(Value x, int64_t y) { return add(x, c(y)); }
  Value mul(Value x, int64_t y) {
    if (std::optional<int64_t> cx = getConstantIntValue(x))
      return c(*cx * y);
    return y == 1 ? x : Value(arith::MulIOp::create(b, loc, x, c(y)));
  }
  Value div(Value x, int64_t y) {
    if (std::optional<int64_t> cx = getConstantIntValue(x))
      return c(*cx / y);
    return y == 1 ? x : Value(arith::DivUIOp::create(b, loc, x, c(y)));
  }
  Value rem(Value x, int64_t y) {
    if (std::optional<int64_t> cx = getConstantIntValue(x))
      return c(*cx % y);
    return y == 1 ? c(0) : Value(arith::RemUIOp::create(b, loc, x, c(y)));
  }

  /// The row-major multi-index of `flat` in `shape`.
  SmallVector<Value> delinearize(Value flat, ArrayRef<int64_t> shape) {
    SmallVector<Value> idx(shape.size());
    for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
      if (d == 0) {
        idx[d] = flat;
        break;
      }
      idx[d] = rem(flat, shape[d]);
      flat = div(flat, shape[d]);
    }
    return idx;
  }

  /// Runs `body(i)` for i = first, first + step, ... below `total`, where
  /// `first` < `step`. The loop has a constant trip count, so that LLVM can
  /// unroll it; a guard skips the tail when step does not divide total.
  void distribute(Value first, int64_t step, int64_t total,
                  function_ref<void(Value)> body) {
    int64_t trips = (total + step - 1) / step;
    auto emit = [&](Value trip) {
      Value flat = trip ? add(mul(trip, step), first) : first;
      if (total % step == 0) {
        body(flat);
        return;
      }
      Value inRange = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                            flat, c(total));
      auto guard = scf::IfOp::create(b, loc, inRange, /*withElse=*/false);
      OpBuilder::InsertionGuard insertion(b);
      b.setInsertionPointToStart(&guard.getThenRegion().front());
      body(flat);
    };
    if (trips == 1) {
      emit(Value());
      return;
    }
    auto loop = scf::ForOp::create(b, loc, c(0), c(trips), c(1));
    OpBuilder::InsertionGuard insertion(b);
    b.setInsertionPointToStart(loop.getBody());
    emit(loop.getInductionVar());
  }

  OpBuilder &b;
  Location loc;
  const ThreadContext &threads;
};

/// The known multiple (in elements) of the distance between the first
/// element of `memref` and a 16-byte aligned address; 1 when unknown.
int64_t elementOffsetMultiple(Value memref) {
  auto type = dyn_cast<MemRefType>(memref.getType());
  if (!type)
    return 1;
  if (auto blockArg = dyn_cast<BlockArgument>(memref)) {
    // Kernel arguments: the runtime allocates buffers 256-byte aligned.
    Operation *owner = blockArg.getOwner()->getParentOp();
    if (isa<func::FuncOp, gpu::GPUFuncOp>(owner) &&
        type.getLayout().isIdentity())
      return 0;
    return 1;
  }
  Operation *def = memref.getDefiningOp();
  return TypeSwitch<Operation *, int64_t>(def)
      .Case([](memref::AllocaOp) { return 0; })
      .Case([](gpu::DynamicSharedMemoryOp) { return 0; })
      .Case([&](memref::ViewOp view) -> int64_t {
        int64_t source = elementOffsetMultiple(view.getSource());
        int64_t bytes = type.getElementTypeBitWidth() / 8;
        int64_t shift = knownMultiple(view.getByteShift());
        if (source != 0 || bytes == 0)
          return 1;
        if (shift == 0)
          return 0;
        return shift % bytes == 0 ? shift / bytes : 1;
      })
      .Case([](memref::SubViewOp subview) -> int64_t {
        int64_t multiple = elementOffsetMultiple(subview.getSource());
        SmallVector<int64_t> strides;
        int64_t offset;
        if (failed(
                subview.getSourceType().getStridesAndOffset(strides, offset)))
          return 1;
        for (auto [ofr, stride] :
             llvm::zip_equal(subview.getMixedOffsets(), strides)) {
          if (ShapedType::isDynamic(stride))
            return 1;
          std::optional<int64_t> constant = getConstantIntValue(ofr);
          int64_t m =
              constant ? std::abs(*constant) : knownMultiple(cast<Value>(ofr));
          multiple = gcdOrZero(multiple, mulMultiples(m, stride));
        }
        return multiple;
      })
      .Case([](arith::SelectOp select) {
        return gcdOrZero(elementOffsetMultiple(select.getTrueValue()),
                         elementOffsetMultiple(select.getFalseValue()));
      })
      .Default([](Operation *) { return 1; });
}

/// Whether accesses of `vector` contiguous elements at every multiple of
/// `vector` in the innermost dimension of `memref` are `vector`-aligned.
bool allowsVectors(Value memref, int64_t vector) {
  auto type = cast<MemRefType>(memref.getType());
  SmallVector<int64_t> strides;
  int64_t offset;
  if (type.getRank() == 0 || failed(type.getStridesAndOffset(strides, offset)))
    return false;
  if (strides.back() != 1 || type.getShape().back() % vector != 0)
    return false;
  for (int64_t stride : ArrayRef(strides).drop_back())
    if (ShapedType::isDynamic(stride) || stride % vector != 0)
      return false;
  return elementOffsetMultiple(memref) % vector == 0;
}

/// Calls `body(indices)` for every chunk of `vector` elements of a tile of
/// `shape`, spread over the threads: thread t takes chunks t, t + T, ...
void forEachChunk(Indexer &ix, ArrayRef<int64_t> shape, int64_t vector,
                  const ThreadContext &threads,
                  function_ref<void(ArrayRef<Value>)> body) {
  SmallVector<int64_t> chunks(shape);
  if (!chunks.empty())
    chunks.back() /= vector;
  int64_t total = 1;
  for (int64_t extent : chunks)
    total *= extent;
  ix.distribute(threads.tid, threads.threads, total, [&](Value flat) {
    SmallVector<Value> idx = ix.delinearize(flat, chunks);
    if (!idx.empty())
      idx.back() = ix.mul(idx.back(), vector);
    body(idx);
  });
}

int64_t elementBytes(Value memref) {
  return cast<MemRefType>(memref.getType()).getElementTypeBitWidth() / 8;
}

Value toF32(OpBuilder &b, Location loc, Value v) {
  if (v.getType().isF32())
    return v;
  return arith::ExtFOp::create(b, loc, b.getF32Type(), v);
}

Value fromF32(OpBuilder &b, Location loc, Value v, Type type) {
  if (type.isF32())
    return v;
  return arith::TruncFOp::create(b, loc, type, v);
}

/// C += A B with thread t computing the elements t, t + T, ... of C, each as
/// an f32 dot product along k.
void lowerMatmulSimt(OpBuilder &b, linalg::LinalgOp op,
                     const ThreadContext &threads) {
  Location loc = op.getLoc();
  Indexer ix(b, loc, threads);
  Value lhs = op.getDpsInputs()[0], rhs = op.getDpsInputs()[1];
  Value acc = op.getDpsInits()[0];
  auto accType = cast<MemRefType>(acc.getType());
  ArrayRef<int64_t> shape = accType.getShape();
  int64_t k = cast<MemRefType>(lhs.getType()).getShape().back();
  bool batched = shape.size() == 3;
  ix.distribute(
      threads.tid, threads.threads, accType.getNumElements(), [&](Value flat) {
        SmallVector<Value> idx = ix.delinearize(flat, shape);
        Value init = toF32(b, loc, memref::LoadOp::create(b, loc, acc, idx));
        auto loop = scf::ForOp::create(b, loc, ix.c(0), ix.c(k), ix.c(1),
                                       ValueRange{init});
        {
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPointToStart(loop.getBody());
          Value kk = loop.getInductionVar();
          Value m = idx[idx.size() - 2], n = idx.back();
          SmallVector<Value, 3> lhsIdx{m, kk}, rhsIdx{kk, n};
          if (batched) {
            lhsIdx.insert(lhsIdx.begin(), idx[0]);
            rhsIdx.insert(rhsIdx.begin(), idx[0]);
          }
          Value x = toF32(b, loc, memref::LoadOp::create(b, loc, lhs, lhsIdx));
          Value y = toF32(b, loc, memref::LoadOp::create(b, loc, rhs, rhsIdx));
          Value prod = arith::MulFOp::create(b, loc, x, y);
          scf::YieldOp::create(b, loc,
                               ValueRange{arith::AddFOp::create(
                                   b, loc, loop.getRegionIterArg(0), prod)});
        }
        memref::StoreOp::create(
            b, loc,
            fromF32(b, loc, loop.getResult(0), accType.getElementType()), acc,
            idx);
      });
}

/// One mma.sync m16n8k16 with f32 accumulation: D = A B + C. nvgpu.mma.sync
/// takes f16 fragments; for bf16 (which it cannot lower) the fragments are
/// passed to nvvm.mma.sync as the packed 32-bit registers PTX wants.
Value mmaSync(OpBuilder &b, Location loc, Value a, Value bFrag, Value c) {
  auto fragType = cast<VectorType>(a.getType());
  if (fragType.getElementType().isF16())
    return nvgpu::MmaSyncOp::create(b, loc, a, bFrag, c,
                                    ArrayRef<int64_t>{kMmaM, kMmaN, kMmaK});
  auto word = VectorType::get({1}, b.getI32Type());
  auto registers = [&](Value frag) {
    SmallVector<Value> regs;
    int64_t count = cast<VectorType>(frag.getType()).getShape()[0];
    for (int64_t i = 0; i < count; ++i) {
      Value two = vector::ExtractOp::create(b, loc, frag, i);
      Value packed = vector::BitCastOp::create(b, loc, word, two);
      regs.push_back(vector::ExtractOp::create(b, loc, packed, 0));
    }
    return regs;
  };
  SmallVector<Value> acc;
  for (int64_t i = 0; i < 2; ++i)
    for (int64_t j = 0; j < 2; ++j)
      acc.push_back(
          vector::ExtractOp::create(b, loc, c, ArrayRef<int64_t>{i, j}));
  Type f32 = b.getF32Type();
  auto resultType =
      LLVM::LLVMStructType::getLiteral(b.getContext(), {f32, f32, f32, f32});
  Value d = NVVM::MmaOp::create(
      b, loc, resultType, registers(a), registers(bFrag), acc,
      ArrayRef<int64_t>{kMmaM, kMmaN, kMmaK}, std::nullopt, std::nullopt,
      std::array<NVVM::MMATypes, 2>{NVVM::MMATypes::bf16, NVVM::MMATypes::bf16},
      std::array<NVVM::MMALayout, 2>{NVVM::MMALayout::row,
                                     NVVM::MMALayout::col});
  SmallVector<Value> elements;
  for (int64_t i = 0; i < 4; ++i)
    elements.push_back(LLVM::ExtractValueOp::create(b, loc, d, i));
  return vector::FromElementsOp::create(b, loc, c.getType(), elements);
}

/// C += A B on tensor cores. Each warp computes tiles of 16 x (8 g) elements
/// of C: the accumulator fragments are loaded from C, the k loop loads one A
/// fragment (ldmatrix x4) and g B fragments (ldmatrix x2, transposed, since B
/// is stored k-major) per 16 steps of k and issues g mma.sync m16n8k16, and
/// the fragments are stored back. Rows and columns past m and n read and
/// write the padding of the tiles and are never read by anyone else.
void lowerMatmulMma(OpBuilder &b, linalg::LinalgOp op,
                    const ThreadContext &threads, const StorageMap &storage) {
  Location loc = op.getLoc();
  Indexer ix(b, loc, threads);
  Value lhs = op.getDpsInputs()[0], rhs = op.getDpsInputs()[1];
  Value acc = op.getDpsInits()[0];
  Value lhsStore = storage.lookup(lhs), rhsStore = storage.lookup(rhs),
        accStore = storage.lookup(acc);
  ArrayRef<int64_t> shape = cast<MemRefType>(acc.getType()).getShape();
  bool batched = shape.size() == 3;
  int64_t batch = batched ? shape[0] : 1;
  int64_t m = shape[shape.size() - 2], n = shape.back();
  int64_t k = cast<MemRefType>(lhs.getType()).getShape().back();
  int64_t tilesM = (m + kMmaM - 1) / kMmaM, tilesN = (n + kMmaN - 1) / kMmaN;
  int64_t warps = threads.threads / kThreadsPerWarp;
  // Tiles of C side by side along n share their A fragments; keep enough
  // work items to occupy every warp.
  int64_t group = 1;
  for (int64_t g : {4, 2})
    if (tilesN % g == 0 && batch * tilesM * (tilesN / g) >= warps) {
      group = g;
      break;
    }
  Type elementType = cast<MemRefType>(lhs.getType()).getElementType();
  auto fragA = VectorType::get({4, 2}, elementType);
  auto fragB = VectorType::get({2, 2}, elementType);
  auto fragC = VectorType::get({2, 2}, b.getF32Type());
  auto pairC = VectorType::get({2}, b.getF32Type());

  Value warp = ix.div(threads.tid, kThreadsPerWarp);
  Value lane = ix.rem(threads.tid, kThreadsPerWarp);
  Value laneRow = ix.rem(lane, 16);            // ldmatrix row address
  Value laneCol = ix.mul(ix.div(lane, 16), 8); // ... and column half
  Value quadRow = ix.div(lane, 4);             // accumulator row
  Value quadCol = ix.mul(ix.rem(lane, 4), 2);  // accumulator column pair
  auto at = [&](Value batchIdx, Value row, Value col) {
    SmallVector<Value, 3> idx{row, col};
    if (batched)
      idx.insert(idx.begin(), batchIdx);
    return idx;
  };

  int64_t items = batch * tilesM * (tilesN / group);
  ix.distribute(warp, warps, items, [&](Value item) {
    SmallVector<Value> pos =
        ix.delinearize(item, {batch, tilesM, tilesN / group});
    Value bi = pos[0];
    Value row0 = ix.mul(pos[1], kMmaM);
    Value rowLo = ix.add(row0, quadRow), rowHi = ix.add(rowLo, ix.c(8));
    SmallVector<Value> cols, inits;
    Value zero = arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(fragC, b.getF32FloatAttr(0.0)));
    for (int64_t j = 0; j < group; ++j) {
      Value col0 = ix.add(ix.mul(pos[2], group * kMmaN), j * kMmaN);
      cols.push_back(col0);
      Value col = ix.add(col0, quadCol);
      Value lo = vector::LoadOp::create(
          b, loc, pairC, accStore, at(bi, rowLo, col), false, llvm::Align(8));
      Value hi = vector::LoadOp::create(
          b, loc, pairC, accStore, at(bi, rowHi, col), false, llvm::Align(8));
      Value frag = vector::InsertOp::create(b, loc, lo, zero, 0);
      inits.push_back(vector::InsertOp::create(b, loc, hi, frag, 1));
    }
    auto loop =
        scf::ForOp::create(b, loc, ix.c(0), ix.c(k / kMmaK), ix.c(1), inits);
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(loop.getBody());
      Value k0 = ix.mul(loop.getInductionVar(), kMmaK);
      Value a = nvgpu::LdMatrixOp::create(
          b, loc, fragA, lhsStore,
          at(bi, ix.add(row0, laneRow), ix.add(k0, laneCol)),
          /*transpose=*/false, /*numTiles=*/4);
      SmallVector<Value> next;
      for (int64_t j = 0; j < group; ++j) {
        Value bFrag = nvgpu::LdMatrixOp::create(
            b, loc, fragB, rhsStore, at(bi, ix.add(k0, laneRow), cols[j]),
            /*transpose=*/true, /*numTiles=*/2);
        next.push_back(mmaSync(b, loc, a, bFrag, loop.getRegionIterArg(j)));
      }
      scf::YieldOp::create(b, loc, next);
    }
    for (int64_t j = 0; j < group; ++j) {
      Value col = ix.add(cols[j], quadCol);
      Value lo = vector::ExtractOp::create(b, loc, loop.getResult(j), 0);
      Value hi = vector::ExtractOp::create(b, loc, loop.getResult(j), 1);
      vector::StoreOp::create(b, loc, lo, accStore, at(bi, rowLo, col), false,
                              llvm::Align(8));
      vector::StoreOp::create(b, loc, hi, accStore, at(bi, rowHi, col), false,
                              llvm::Align(8));
    }
  });
}

/// Whether `v` is a workgroup allocation of the structured level.
bool isWorkgroupAlloca(Value v) {
  auto alloca = v.getDefiningOp<memref::AllocaOp>();
  if (!alloca)
    return false;
  return ::mirage::structured::memorySpaceOf(alloca.getType()) ==
         ::mirage::structured::MemorySpace::Workgroup;
}

} // namespace

Value mirage::gpu_mapping::ThreadContext::constant(OpBuilder &b,
                                                   int64_t value) const {
  Value &slot = constants[value];
  if (!slot) {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointAfterValue(tid);
    slot = arith::ConstantIndexOp::create(b, tid.getLoc(), value);
  }
  return slot;
}

int64_t mirage::gpu_mapping::knownMultiple(Value v) {
  APInt constant;
  if (matchPattern(v, m_ConstantInt(&constant)))
    return std::abs(constant.getSExtValue());
  if (auto arg = dyn_cast<BlockArgument>(v)) {
    // Induction variables are lb + i * step.
    Operation *owner = arg.getOwner()->getParentOp();
    if (auto loop = dyn_cast<scf::ForOp>(owner);
        loop && arg == loop.getInductionVar())
      return gcdOrZero(knownMultiple(loop.getLowerBound()),
                       knownMultiple(loop.getStep()));
    if (auto loop = dyn_cast<scf::ParallelOp>(owner)) {
      unsigned i = arg.getArgNumber();
      if (i < loop.getNumLoops())
        return gcdOrZero(knownMultiple(loop.getLowerBound()[i]),
                         knownMultiple(loop.getStep()[i]));
    }
    return 1;
  }
  Operation *def = v.getDefiningOp();
  if (!def)
    return 1;
  return TypeSwitch<Operation *, int64_t>(def)
      .Case([](arith::MulIOp mul) {
        return mulMultiples(knownMultiple(mul.getLhs()),
                            knownMultiple(mul.getRhs()));
      })
      .Case<arith::AddIOp, arith::SubIOp>([](auto op) {
        return gcdOrZero(knownMultiple(op.getLhs()),
                         knownMultiple(op.getRhs()));
      })
      .Default([](Operation *) { return 1; });
}

int64_t mirage::gpu_mapping::copyChunkBytes(Value src, Value dst) {
  auto srcType = dyn_cast<MemRefType>(src.getType());
  auto dstType = dyn_cast<MemRefType>(dst.getType());
  if (!srcType || !dstType || srcType.getShape() != dstType.getShape() ||
      srcType.getElementType() != dstType.getElementType())
    return 0;
  int64_t bytes = elementBytes(src);
  if (bytes == 0 || srcType.getElementTypeBitWidth() % 8 != 0)
    return 0;
  for (int64_t chunk : {16, 8, 4}) {
    int64_t vector = chunk / bytes;
    if (vector < 2 || chunk % bytes != 0)
      continue;
    if (allowsVectors(src, vector) && allowsVectors(dst, vector))
      return chunk;
  }
  return 0;
}

bool mirage::gpu_mapping::isTensorCoreMatmul(linalg::LinalgOp op,
                                             int64_t threads) {
  if (threads % kThreadsPerWarp != 0)
    return false;
  if (auto matmul = dyn_cast<linalg::MatmulOp>(op.getOperation());
      matmul && matmul.hasUserDefinedMaps())
    return false;
  if (auto matmul = dyn_cast<linalg::BatchMatmulOp>(op.getOperation());
      matmul && matmul.hasUserDefinedMaps())
    return false;
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1)
    return false;
  Value lhs = op.getDpsInputs()[0], rhs = op.getDpsInputs()[1];
  Value acc = op.getDpsInits()[0];
  if (!isWorkgroupAlloca(lhs) || !isWorkgroupAlloca(rhs) ||
      !isWorkgroupAlloca(acc))
    return false;
  Type a = cast<MemRefType>(lhs.getType()).getElementType();
  Type b = cast<MemRefType>(rhs.getType()).getElementType();
  Type c = cast<MemRefType>(acc.getType()).getElementType();
  if (a != b || !(a.isF16() || a.isBF16()) || !c.isF32())
    return false;
  return cast<MemRefType>(lhs.getType()).getShape().back() % kMmaK == 0;
}

void mirage::gpu_mapping::addTensorCorePadding(
    linalg::LinalgOp op, llvm::DenseMap<Value, TilePadding> &padding) {
  auto pad = [&](Value v, int64_t rows, int64_t cols) {
    TilePadding &p = padding[v];
    p.rowMultiple = std::lcm(p.rowMultiple, rows);
    p.colMultiple = std::lcm(p.colMultiple, cols);
  };
  pad(op.getDpsInputs()[0], kMmaM, 1);
  pad(op.getDpsInputs()[1], 1, kMmaN);
  pad(op.getDpsInits()[0], kMmaM, kMmaN);
}

void mirage::gpu_mapping::lowerCopy(OpBuilder &b, linalg::CopyOp op,
                                    const ThreadContext &threads,
                                    bool vectorize) {
  Location loc = op.getLoc();
  b.setInsertionPoint(op);
  Indexer ix(b, loc, threads);
  Value src = op.getDpsInputs()[0], dst = op.getDpsInits()[0];
  auto type = cast<MemRefType>(src.getType());
  int64_t chunk = vectorize ? copyChunkBytes(src, dst) : 0;
  int64_t vector = chunk ? chunk / elementBytes(src) : 1;
  forEachChunk(ix, type.getShape(), vector, threads, [&](ArrayRef<Value> idx) {
    if (vector == 1) {
      Value v = memref::LoadOp::create(b, loc, src, idx);
      memref::StoreOp::create(b, loc, v, dst, idx);
      return;
    }
    auto vectorType = VectorType::get({vector}, type.getElementType());
    Value v = vector::LoadOp::create(b, loc, vectorType, src, idx, false,
                                     llvm::Align(chunk));
    vector::StoreOp::create(b, loc, v, dst, idx, false, llvm::Align(chunk));
  });
  op->erase();
}

void mirage::gpu_mapping::emitAsyncCopy(OpBuilder &b, Location loc, Value src,
                                        Value dst, int64_t chunkBytes,
                                        const ThreadContext &threads) {
  Indexer ix(b, loc, threads);
  int64_t vector = chunkBytes / elementBytes(src);
  auto tokenType = nvgpu::DeviceAsyncTokenType::get(b.getContext());
  // Only 16-byte copies may bypass L1 (cp.async.cg).
  UnitAttr bypassL1 = chunkBytes == 16 ? b.getUnitAttr() : UnitAttr();
  forEachChunk(ix, cast<MemRefType>(src.getType()).getShape(), vector, threads,
               [&](ArrayRef<Value> idx) {
                 nvgpu::DeviceAsyncCopyOp::create(
                     b, loc, tokenType, dst, idx, src, idx,
                     b.getIndexAttr(vector), Value(), bypassL1);
               });
}

void mirage::gpu_mapping::lowerMatmul(OpBuilder &b, linalg::LinalgOp op,
                                      const ThreadContext &threads,
                                      const StorageMap *storage) {
  b.setInsertionPoint(op);
  if (storage)
    lowerMatmulMma(b, op, threads, *storage);
  else
    lowerMatmulSimt(b, op, threads);
  op->erase();
}
