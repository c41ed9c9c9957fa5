//===- UGraphExport.h - Write compact μGraphs back as IR --------*- C++ -*-===//
//
// The inverse of UGraphImport: builds the kernel, block (and no thread) ops
// of a mirage::KernelGraph, so a result of the search becomes IR again.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_BRIDGE_UGRAPHEXPORT_H
#define MIRAGE_BRIDGE_UGRAPHEXPORT_H

#include "Mirage/Core/UGraph.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Support/LLVM.h"

namespace mirage {

/// Replaces the body of `func` with the ops of `graph`, whose inputs and
/// outputs must match the function's signature. The new body is verified;
/// on failure `func` is left unchanged and an error is emitted.
mlir::LogicalResult replaceBodyWithGraph(mlir::func::FuncOp func,
                                         const KernelGraph &graph);

/// Builds a new function `name` holding `graph` (for top-k runners-up),
/// inserted by `builder`.
mlir::FailureOr<mlir::func::FuncOp>
createFunctionFromGraph(mlir::OpBuilder &builder, mlir::Location loc,
                        llvm::StringRef name, const KernelGraph &graph);

} // namespace mirage

#endif // MIRAGE_BRIDGE_UGRAPHEXPORT_H
