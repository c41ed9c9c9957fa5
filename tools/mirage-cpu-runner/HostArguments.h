//===- HostArguments.h - Memrefs for a JIT-compiled μGraph ------*- C++ -*-===//
//
// The arguments of a function lowered by --mirage-to-cpu, called through its
// C interface (`_mlir_ciface_NAME`): one pointer to a memref descriptor per
// input, per output and for the workspace, in that order (docs/Lowering.md).
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_TOOLS_MIRAGECPURUNNER_HOSTARGUMENTS_H
#define MIRAGE_TOOLS_MIRAGECPURUNNER_HOSTARGUMENTS_H

#include "Mirage/Semantics/Interpreter.h"

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace mirage {

/// Storage for one memref in the element format the lowered code uses
/// (binary16 or bfloat16 bits, binary32), row-major, 256-byte aligned (the
/// alignment of workspace offsets), with its descriptor
/// {allocated, aligned, offset, sizes[rank], strides[rank]}.
class HostMemRef {
public:
  HostMemRef(Shape shape, DType dtype);
  /// The workspace: `bytes` bytes of i8.
  explicit HostMemRef(int64_t bytes);

  /// Fills the memref with NaN (every byte 0xff for the workspace), so that
  /// an element the code never writes, or reads before writing, shows.
  void poison();
  /// Stores `tensor`, whose values must be exact in the memref's dtype.
  void store(const Tensor &tensor);
  /// The contents as an interpreter tensor.
  Tensor load() const;

  void *descriptor() { return words.data(); }

private:
  void init(Shape shape, int64_t elementBytes);

  Shape shape;
  DType dtype = DType::F32;
  bool isWorkspace = false;
  int64_t numElements = 0;
  std::unique_ptr<uint8_t[]> storage;
  uint8_t *data = nullptr;
  std::vector<int64_t> words;
};

/// The memrefs of one call: inputs holding `inputs`, outputs of the graph's
/// result types poisoned with NaN, and a poisoned workspace.
class HostArguments {
public:
  HostArguments(llvm::ArrayRef<Tensor> inputs, const KernelGraph &graph,
                int64_t workspaceBytes);

  /// The `void **` of ExecutionEngine::invokePacked for the C interface:
  /// one pointer per argument to a pointer to its descriptor.
  llvm::MutableArrayRef<void *> packedArguments() { return packed; }

  /// Output `index` after the call.
  Tensor output(unsigned index) const { return outputs[index].load(); }

private:
  std::vector<HostMemRef> inputs;
  std::vector<HostMemRef> outputs;
  HostMemRef workspace;
  std::vector<void *> descriptors;
  std::vector<void *> packed;
};

} // namespace mirage

#endif // MIRAGE_TOOLS_MIRAGECPURUNNER_HOSTARGUMENTS_H
