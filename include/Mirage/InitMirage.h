//===- InitMirage.h - Register everything Mirage-MLIR defines ---*- C++ -*-===//

#ifndef MIRAGE_INITMIRAGE_H
#define MIRAGE_INITMIRAGE_H

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace mirage {

/// Adds the kernel, block and structured dialects (and func) to `registry`.
void registerMirageDialects(mlir::DialectRegistry &registry);

/// Registers every --mirage-* pass and pipeline with the global registry.
void registerMiragePasses();

} // namespace mirage

#endif // MIRAGE_INITMIRAGE_H
