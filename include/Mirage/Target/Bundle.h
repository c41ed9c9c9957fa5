//===- Bundle.h - PTX + launch manifest bundles -----------------*- C++ -*-===//
//
// The bundle of a function compiled for the GPU (docs/Lowering.md, "The
// bundle"): NAME.ptx, the PTX of all its kernels, and NAME.json, the launch
// manifest a runtime needs to call them without MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_TARGET_BUNDLE_H
#define MIRAGE_TARGET_BUNDLE_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Location.h"

#include <string>

namespace mirage::target {

/// One file of a bundle, held in memory until every file is ready.
struct BundleFile {
  std::string name;
  std::string contents;
};

/// Builds the bundle of `func`, a function at the structured level
/// (`structured.abi`) after outlining and gpu-module-to-binary: its
/// `gpu.launch_func`s in order, and the PTX of the `gpu.binary` they launch.
/// Appends NAME.ptx and NAME.json to `files`; reports what it cannot express
/// (a kernel argument that is not an input, an output or a view of the
/// workspace, a non-constant launch shape, an unsupported element type) at
/// the op concerned.
mlir::LogicalResult buildBundle(mlir::func::FuncOp func, llvm::StringRef chip,
                                llvm::SmallVectorImpl<BundleFile> &files);

/// Writes `files` into `dir`, creating it if needed: every file goes to a
/// temporary name first and is renamed only once all are written, so that a
/// failure leaves no partial bundle. Errors are reported at `loc`.
mlir::LogicalResult writeBundleFiles(llvm::StringRef dir,
                                     llvm::ArrayRef<BundleFile> files,
                                     mlir::Location loc);

} // namespace mirage::target

#endif // MIRAGE_TARGET_BUNDLE_H
