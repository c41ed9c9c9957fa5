//===- MixedModules.h - Kernel-level functions among others -----*- C++ -*-===//
//
// A module may mix kernel-level functions with functions in upstream
// dialects (--mirage-import, --mirage-outline). The lowering passes take the
// kernel-level ones and leave the others alone with a remark
// (docs/Import.md, "Mixed modules").
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_BRIDGE_MIXEDMODULES_H
#define MIRAGE_BRIDGE_MIXEDMODULES_H

#include "Mirage/Dialect/Kernel/IR/KernelDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

namespace mirage {

/// The unit attribute --mirage-outline puts on the functions it creates,
/// and on kernel-level functions the rest of the module calls: they are
/// called with their kernel-level signature (tensors).
constexpr llvm::StringLiteral kOutlinedAttr = "mirage.outlined";

/// The first op of `func`'s body that is neither a kernel-dialect op nor
/// the `func.return`; null when the function is kernel level.
inline mlir::Operation *firstNonKernelOp(mlir::func::FuncOp func) {
  for (mlir::Block &block : func.getBody())
    for (mlir::Operation &op : block)
      if (!llvm::isa<kernel::KernelDialect>(op.getDialect()) &&
          !llvm::isa<mlir::func::ReturnOp>(op))
        return &op;
  return nullptr;
}

/// The kernel-level functions on tensors of `module`, in module order:
/// defined, every op a kernel op, and a tensor argument. The mixed
/// lowerings (--mirage-lower-calls, --mirage-lower-calls-to-gpu) lower these
/// together with their calls. A function already lowered to the structured
/// level (structured.abi) takes only memrefs, so it is never among them.
inline llvm::SmallVector<mlir::func::FuncOp>
kernelFunctionsOnTensors(mlir::ModuleOp module) {
  llvm::SmallVector<mlir::func::FuncOp> found;
  for (mlir::func::FuncOp func : module.getOps<mlir::func::FuncOp>())
    if (!func.isExternal() && !firstNonKernelOp(func) &&
        llvm::any_of(func.getArgumentTypes(), llvm::IsaPred<mlir::TensorType>))
      found.push_back(func);
  return found;
}

/// Why a lowering pass leaves `func` alone (a remark for `pass`), or an
/// empty string when it is a kernel-level function the pass may lower.
inline std::string whyNotLowered(mlir::func::FuncOp func,
                                 llvm::StringRef pass) {
  std::string why;
  llvm::raw_string_ostream os(why);
  if (mlir::Operation *other = firstNonKernelOp(func))
    os << pass << ": function left alone: '" << other->getName()
       << "' is not a kernel op (--mirage-import and --mirage-outline move "
          "what maps into kernel-level functions)";
  else if (func->hasAttr(kOutlinedAttr))
    os << pass
       << ": function left at the kernel level: the rest of the program "
          "calls it with tensors (mirage.outlined), which its lowered form "
          "would not take (mirage-mixed-to-cpu lowers it with its calls)";
  return why;
}

/// Kernel ops in a function that is not kernel level (imported but not
/// outlined) would stop the upstream lowering of that function: an error
/// for `pass` at the first one of each such function, before the pass
/// changes anything; failure when there is one.
inline mlir::LogicalResult checkKernelOpsOutlined(mlir::ModuleOp module,
                                                  llvm::StringRef pass) {
  bool ok = true;
  for (mlir::func::FuncOp func : module.getOps<mlir::func::FuncOp>()) {
    if (func.isExternal() || !firstNonKernelOp(func))
      continue;
    func.walk([&](mlir::Operation *op) {
      if (!llvm::isa<kernel::KernelDialect>(op->getDialect()))
        return mlir::WalkResult::advance();
      op->emitError() << pass
                      << ": a kernel op in a function that is not kernel "
                         "level: run --mirage-outline first";
      ok = false;
      return mlir::WalkResult::interrupt();
    });
  }
  return mlir::success(ok);
}

/// The calls of the kernel-level `func` in `module`; any other reference
/// to it is an error for `pass`, which can rewrite only calls (into
/// `rewrittenInto`).
inline mlir::FailureOr<llvm::SmallVector<mlir::func::CallOp>>
callsOf(mlir::ModuleOp module, mlir::func::FuncOp func, llvm::StringRef pass,
        llvm::StringRef rewrittenInto) {
  llvm::SmallVector<mlir::func::CallOp> calls;
  std::optional<mlir::SymbolTable::UseRange> uses =
      mlir::SymbolTable::getSymbolUses(func, module);
  if (uses)
    for (const mlir::SymbolTable::SymbolUse &use : *uses) {
      auto call = llvm::dyn_cast<mlir::func::CallOp>(use.getUser());
      if (!call)
        return use.getUser()->emitError()
               << pass << ": refers to @" << func.getSymName()
               << ", a kernel-level function, other than by func.call: "
                  "only calls can be rewritten into "
               << rewrittenInto;
      calls.push_back(call);
    }
  return calls;
}

} // namespace mirage

#endif // MIRAGE_BRIDGE_MIXEDMODULES_H
