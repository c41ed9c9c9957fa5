//===- Npy.cpp - .npy files as interpreter tensors ------------------------===//
//
// The codec is the portable one (Mirage/Portable/Npy.h), shared with the GPU
// runtime; this file moves its values in and out of interpreter tensors.
//
//===----------------------------------------------------------------------===//

#include "Mirage/Semantics/Npy.h"
#include "Mirage/Portable/FloatFormats.h"
#include "Mirage/Portable/Npy.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

using namespace mirage;

static llvm::Error npyError(llvm::StringRef path, const llvm::Twine &what) {
  return llvm::createStringError((path + ": " + what).str());
}

llvm::Expected<Tensor> mirage::readNpy(llvm::StringRef path, DType dtype) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer)
    return npyError(path, "cannot read: " + buffer.getError().message());
  llvm::StringRef bytes = (*buffer)->getBuffer();
  portable::NpyArray array;
  std::string problem;
  if (!portable::parseNpy(std::string_view(bytes.data(), bytes.size()), dtype,
                          array, problem, kMaxRank))
    return npyError(path, problem);
  Tensor tensor(Shape(array.shape.begin(), array.shape.end()), dtype, 1);
  for (int64_t i = 0; i < array.numElements; ++i)
    tensor.data[i] =
        static_cast<float>(portable::roundToDType(array.value(i), dtype));
  return tensor;
}

llvm::Error mirage::writeNpy(llvm::StringRef path, const Tensor &tensor) {
  if (tensor.lanes != 1)
    return npyError(path, "only float tensors can be written");
  portable::NpyElement element = portable::npyElementFor(tensor.dtype);
  std::string bytes = portable::formatNpyHeader(
      element, std::vector<int64_t>(tensor.shape.begin(), tensor.shape.end()));
  bytes.reserve(bytes.size() +
                tensor.data.size() * portable::npyElementBytes(element));
  for (float v : tensor.data)
    portable::appendNpyValue(bytes, element, v);
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec, llvm::sys::fs::OF_None);
  if (ec)
    return npyError(path, "cannot write: " + ec.message());
  os << bytes;
  return llvm::Error::success();
}
