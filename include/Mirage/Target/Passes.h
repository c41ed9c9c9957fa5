//===- Passes.h - Mirage-MLIR target passes ---------------------*- C++ -*-===//

#ifndef MIRAGE_TARGET_PASSES_H
#define MIRAGE_TARGET_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mirage {

#define GEN_PASS_DECL
#include "Mirage/Target/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "Mirage/Target/Passes.h.inc"

} // namespace mirage

#endif // MIRAGE_TARGET_PASSES_H
