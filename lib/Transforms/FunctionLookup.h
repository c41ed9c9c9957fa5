//===- FunctionLookup.h - Find the functions a pass option names -*- C++
//-*-===//

#ifndef MIRAGE_LIB_TRANSFORMS_FUNCTIONLOOKUP_H
#define MIRAGE_LIB_TRANSFORMS_FUNCTIONLOOKUP_H

#include "Mirage/Bridge/UGraphImport.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

namespace mirage {

/// The function `name` of `module` imported as a μGraph; emits an error
/// naming the option when there is no such function, the symbol is not a
/// function, or the function cannot be imported.
inline mlir::FailureOr<KernelGraph> importNamedFunction(mlir::ModuleOp module,
                                                        llvm::StringRef option,
                                                        llvm::StringRef name) {
  if (name.empty())
    return module.emitError()
           << "option '" << option << "' must name a function";
  mlir::Operation *symbol = module.lookupSymbol(name);
  if (!symbol)
    return module.emitError()
           << "option '" << option << "': no function named '" << name << "'";
  auto func = llvm::dyn_cast<mlir::func::FuncOp>(symbol);
  if (!func)
    return symbol->emitError()
           << "option '" << option << "': '" << name << "' is a '"
           << symbol->getName() << "', not a function";
  return importKernelGraph(func);
}

} // namespace mirage

#endif // MIRAGE_LIB_TRANSFORMS_FUNCTIONLOOKUP_H
