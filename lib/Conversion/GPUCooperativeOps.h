//===- GPUCooperativeOps.h - Cooperative ops on GPU threads -----*- C++ -*-===//
//
// The per-thread code of the structured level's cooperative ops
// (linalg.copy, linalg.matmul, linalg.batch_matmul) inside a gpu.launch, and
// the analyses --mirage-map-to-gpu needs before it plans shared memory:
// which copies can move 16, 8 or 4 bytes at a time, and which matmuls run on
// tensor cores (and so need padded tiles).
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_LIB_CONVERSION_GPUCOOPERATIVEOPS_H
#define MIRAGE_LIB_CONVERSION_GPUCOOPERATIVEOPS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/DenseMap.h"

namespace mirage::gpu_mapping {

/// The threads of one block, from the point of view of one of them.
struct ThreadContext {
  /// gpu.thread_id x.
  mlir::Value tid;
  /// The number of threads of the block (block x; y and z are 1).
  int64_t threads = 0;
  /// Index constants, each created once right after `tid`, where it
  /// dominates all of the kernel's code.
  mutable llvm::DenseMap<int64_t, mlir::Value> constants;

  /// The index constant `value`.
  mlir::Value constant(mlir::OpBuilder &b, int64_t value) const;
};

/// How many rows and columns (the last two dimensions) a workgroup tile must
/// be padded to a multiple of, so that tensor-core fragments never read past
/// its storage.
struct TilePadding {
  int64_t rowMultiple = 1;
  int64_t colMultiple = 1;
};

/// For each workgroup buffer a tensor-core matmul reads, the storage of the
/// buffer including its padded rows and columns (what `ldmatrix` indexes).
using StorageMap = llvm::DenseMap<mlir::Value, mlir::Value>;

/// The largest d such that the index `v` is known to be a multiple of d, from
/// constants, products, sums and loop induction variables; 0 when `v` is known
/// to be 0.
int64_t knownMultiple(mlir::Value v);

/// The number of bytes (16, 8 or 4) a copy between `src` and `dst` can move
/// at a time: both innermost dimensions contiguous, every element of a chunk
/// in one row, and every chunk aligned to its size on both sides (a function
/// argument or a workspace view is assumed to start 16-byte aligned, as the
/// runtime allocates it). 0 when none fits: the copy is done element by
/// element.
int64_t copyChunkBytes(mlir::Value src, mlir::Value dst);

/// Whether `op` (linalg.matmul or linalg.batch_matmul) can run on tensor
/// cores: f16 or bf16 operands of one type and an f32 accumulator, all three
/// workgroup buffers (`#gpu.address_space<workgroup>`), k a multiple of 16,
/// default indexing maps, and whole warps.
bool isTensorCoreMatmul(mlir::linalg::LinalgOp op, int64_t threads);

/// The padding the operands of a tensor-core matmul need: a and c rows to a
/// multiple of 16, b and c columns to a multiple of 8.
void addTensorCorePadding(mlir::linalg::LinalgOp op,
                          llvm::DenseMap<mlir::Value, TilePadding> &padding);

/// Replaces a cooperative linalg.copy with the code each thread runs: thread
/// t copies the chunks t, t + T, ... (chunks of `copyChunkBytes` when
/// `vectorize`, elements otherwise). No barrier is added.
void lowerCopy(mlir::OpBuilder &b, mlir::linalg::CopyOp op,
               const ThreadContext &threads, bool vectorize);

/// Emits the cp.async instructions (nvgpu.device_async_copy) that copy `src`
/// into `dst` in chunks of `chunkBytes`, spread over the threads like
/// lowerCopy. The caller commits and waits.
void emitAsyncCopy(mlir::OpBuilder &b, mlir::Location loc, mlir::Value src,
                   mlir::Value dst, int64_t chunkBytes,
                   const ThreadContext &threads);

/// Replaces a cooperative matmul (C += A B, per batch) with per-thread code:
/// tensor cores when `storage` holds the padded storage of its three operands
/// (see isTensorCoreMatmul), a SIMT loop otherwise. No barrier is added.
void lowerMatmul(mlir::OpBuilder &b, mlir::linalg::LinalgOp op,
                 const ThreadContext &threads, const StorageMap *storage);

} // namespace mirage::gpu_mapping

#endif // MIRAGE_LIB_CONVERSION_GPUCOOPERATIVEOPS_H
