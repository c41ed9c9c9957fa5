//===- StructuredDialect.cpp - The structured level -------------*- C++ -*-===//

#include "Mirage/Dialect/Structured/IR/StructuredDialect.h"
#include "Mirage/Dialect/Structured/IR/StructuredOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/DialectImplementation.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mirage::structured;

#include "Mirage/Dialect/Structured/IR/StructuredDialect.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "Mirage/Dialect/Structured/IR/StructuredAttrs.cpp.inc"

void StructuredDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "Mirage/Dialect/Structured/IR/StructuredOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "Mirage/Dialect/Structured/IR/StructuredAttrs.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// #structured.abi
//===----------------------------------------------------------------------===//

LogicalResult AbiAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                              FunctionType signature, int64_t workspace) {
  if (workspace < 0)
    return emitError() << "workspace must not be negative, got " << workspace;
  for (Type type : llvm::concat<const Type>(signature.getInputs(),
                                            signature.getResults())) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor || !tensor.hasStaticShape() ||
        !(tensor.getElementType().isF16() || tensor.getElementType().isBF16() ||
          tensor.getElementType().isF32()))
      return emitError() << "the signature's " << type
                         << " is not a statically shaped tensor of f16, "
                            "bf16 or f32";
  }
  return success();
}

SmallVector<Type> AbiAttr::getArgumentTypes() const {
  SmallVector<Type> types;
  for (Type type : llvm::concat<const Type>(getSignature().getInputs(),
                                            getSignature().getResults())) {
    auto tensor = cast<RankedTensorType>(type);
    types.push_back(
        MemRefType::get(tensor.getShape(), tensor.getElementType()));
  }
  types.push_back(
      MemRefType::get({getWorkspace()}, IntegerType::get(getContext(), 8)));
  return types;
}

LogicalResult StructuredDialect::verifyOperationAttribute(Operation *op,
                                                          NamedAttribute attr) {
  if (attr.getName() != AbiAttr::kName)
    return op->emitError() << "unknown attribute '" << attr.getName().getValue()
                           << "' of the structured dialect";
  auto abi = dyn_cast<AbiAttr>(attr.getValue());
  if (!abi)
    return op->emitError() << "'" << AbiAttr::kName
                           << "' must be a #structured.abi";
  if (!isa<FunctionOpInterface>(op))
    return op->emitError() << "'" << AbiAttr::kName
                           << "' belongs on a function";
  // After the conversion to the LLVM dialect the arguments are memref
  // descriptors or pointers: only a func.func is checked argument by
  // argument.
  auto func = dyn_cast<func::FuncOp>(op);
  if (!func || func.isExternal())
    return success();
  SmallVector<Type> expected = abi.getArgumentTypes();
  if (func.getNumArguments() != expected.size() || func.getNumResults() != 0)
    return op->emitError() << "'" << AbiAttr::kName << "' gives "
                           << abi.getNumInputs() << " inputs, "
                           << abi.getNumOutputs()
                           << " results and the workspace: a function of "
                           << expected.size()
                           << " memref arguments and no results, not "
                           << func.getFunctionType();
  for (auto [i, type] : llvm::enumerate(func.getArgumentTypes()))
    if (type != expected[i])
      return op->emitError() << "argument " << i << " is " << type << ", '"
                             << AbiAttr::kName << "' gives " << expected[i];
  return success();
}
