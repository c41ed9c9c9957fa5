//===- UGraphExport.h - Write compact μGraphs back as IR --------*- C++ -*-===//
//
// The inverse of UGraphImport: builds the kernel, block (and no thread) ops
// of a mirage::KernelGraph, so a result of the search becomes IR again.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_BRIDGE_UGRAPHEXPORT_H
#define MIRAGE_BRIDGE_UGRAPHEXPORT_H

#include "Mirage/Bridge/UGraphImport.h"
#include "Mirage/Core/UGraph.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Support/LLVM.h"

namespace mirage {

/// Replaces the body of `func` with the ops of `graph`, whose inputs and
/// outputs must match the function's signature. The new body is verified;
/// on failure `func` is left unchanged and an error is emitted.
///
/// Every op gets its location from `locations` (OpNode::location). A kernel
/// op without one gets the fused location of all the ops it replaces (the
/// body's ops); a block op without one, the location of its kernel. The
/// arguments and the func.return keep theirs.
mlir::LogicalResult replaceBodyWithGraph(mlir::func::FuncOp func,
                                         const KernelGraph &graph,
                                         const LocationTable &locations = {});

/// The fused location of the ops of `func`'s body (its func.return aside),
/// or the function's location when it has none: where an op that replaces
/// them all comes from.
mlir::Location bodyLocation(mlir::func::FuncOp func);

/// Builds a new function `name` at `loc` holding `graph` (for top-k
/// runners-up), inserted by `builder`. Ops take their locations from
/// `locations` as in replaceBodyWithGraph; a kernel op without one gets
/// `opFallback`.
mlir::FailureOr<mlir::func::FuncOp>
createFunctionFromGraph(mlir::OpBuilder &builder, mlir::Location loc,
                        llvm::StringRef name, const KernelGraph &graph,
                        const LocationTable &locations,
                        mlir::Location opFallback);

} // namespace mirage

#endif // MIRAGE_BRIDGE_UGRAPHEXPORT_H
