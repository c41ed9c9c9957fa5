//===- AbstractExprAnalysis.cpp - Abstract expressions of a function ------===//

#include "Mirage/Transforms/AbstractExprAnalysis.h"
#include "Mirage/Bridge/UGraphImport.h"

using namespace mlir;

FailureOr<::mirage::FunctionAbstractExprs>
mirage::computeAbstractExprs(func::FuncOp func, AbstractExprBuilder &builder) {
  FailureOr<KernelGraph> graph = importKernelGraph(func);
  if (failed(graph))
    return failure();
  FunctionAbstractExprs result;
  result.graph = std::move(*graph);
  result.exprs = computeAbstractExprs(builder, result.graph);
  return result;
}
