//===- AbstractExprAnalysis.h - Abstract expressions of a function -*- C++ -*-//
//
// The MLIR entry point of the abstract expressions: imports a func.func
// into the compact μGraph (importKernelGraph) and computes the expression of
// every kernel value and every block-graph value (Search/AbstractExpr.h).
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_TRANSFORMS_ABSTRACTEXPRANALYSIS_H
#define MIRAGE_TRANSFORMS_ABSTRACTEXPRANALYSIS_H

#include "Mirage/Search/AbstractExpr.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Support/LLVM.h"

namespace mirage {

struct FunctionAbstractExprs {
  KernelGraph graph;
  AbstractExprs exprs;
};

/// The abstract expressions of `func`'s values, built into `builder`'s pool
/// (function argument i is var(i)). Fails, with an error at the offending
/// op, where importKernelGraph does.
mlir::FailureOr<FunctionAbstractExprs>
computeAbstractExprs(mlir::func::FuncOp func, AbstractExprBuilder &builder);

} // namespace mirage

#endif // MIRAGE_TRANSFORMS_ABSTRACTEXPRANALYSIS_H
