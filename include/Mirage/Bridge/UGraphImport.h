//===- UGraphImport.h - Build compact μGraphs from MLIR ---------*- C++ -*-===//
//
// The thin layer between the dialects and the core libraries: it reads a
// func.func made of kernel ops, graph-defined kernels (block graphs) and
// thread regions into a mirage::KernelGraph, which the interpreter, the
// abstract expressions and the search work on.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_BRIDGE_UGRAPHIMPORT_H
#define MIRAGE_BRIDGE_UGRAPHIMPORT_H

#include "Mirage/Core/UGraph.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Support/LLVM.h"

namespace mirage {

/// Builds the compact μGraph of `func`, which must be verified IR. Emits an
/// error at the first argument, result or op it cannot represent (an op of
/// another dialect, a dynamic shape, an unsupported element type) and fails.
mlir::FailureOr<KernelGraph> importKernelGraph(mlir::func::FuncOp func);

/// The element type as a DType, if it is one the μGraph supports.
std::optional<DType> toDType(mlir::Type elementType);

} // namespace mirage

#endif // MIRAGE_BRIDGE_UGRAPHIMPORT_H
