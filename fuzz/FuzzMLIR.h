//===- FuzzMLIR.h - Shared setup of the MLIR fuzz targets -------*- C++ -*-===//
//
// Every MLIR fuzz target parses its input as a module into a fresh
// MLIRContext that knows our dialects (and those the lowering produces),
// with threading off and every diagnostic caught: a verifier error or a
// failed pass is an ordinary outcome, never an abort. Only a crash, a
// sanitizer report, an assertion or an `abortOnBug` is a finding.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_FUZZ_FUZZMLIR_H
#define MIRAGE_FUZZ_FUZZMLIR_H

#include "Mirage/InitMirage.h"
#include "Mirage/Support/InputNesting.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <cstdlib>
#include <memory>

namespace mirage::fuzz {

/// Inputs above this size are skipped: the examples are far below it, and
/// longer inputs only slow the campaign down.
constexpr size_t kMaxInputBytes = 64 * 1024;

/// The interpreter and the equivalence check run only on graphs whose
/// values fit in this many bytes (in the fingerprint domain, two floats per
/// element), so that a huge shape is skipped instead of allocated.
constexpr uint64_t kMemoryBudgetBytes = 64ull << 20;

/// A fresh context with our dialects, threading off.
inline std::unique_ptr<mlir::MLIRContext> makeContext() {
  static mlir::DialectRegistry *registry = [] {
    auto *r = new mlir::DialectRegistry();
    mirage::registerMirageDialects(*r);
    r->insert<mlir::arith::ArithDialect, mlir::memref::MemRefDialect,
              mlir::scf::SCFDialect>();
    return r;
  }();
  auto context = std::make_unique<mlir::MLIRContext>(
      *registry, mlir::MLIRContext::Threading::DISABLED);
  context->allowUnregisteredDialects(false);
  return context;
}

/// Swallows every diagnostic of `context` while alive.
struct CatchDiagnostics {
  explicit CatchDiagnostics(mlir::MLIRContext &context)
      : handler(&context, [](mlir::Diagnostic &) { return mlir::success(); }) {}
  mlir::ScopedDiagnosticHandler handler;
};

/// Parses and verifies `data` as a module; null when either fails.
inline mlir::OwningOpRef<mlir::ModuleOp>
parseAndVerify(const uint8_t *data, size_t size, mlir::MLIRContext &context) {
  if (size > kMaxInputBytes)
    return nullptr;
  // MLIR's recursive parser overflows its stack on deep enough nesting (in
  // mlir-opt too); our tools refuse such input before parsing, and so does
  // the harness.
  llvm::StringRef view(reinterpret_cast<const char *>(data), size);
  if (mirage::findExcessiveNesting(view))
    return nullptr;
  // MLIR's lexer expects the NUL that ends every buffer mlir-opt reads
  // (MemoryBuffer): a std::string provides it, libFuzzer's data does not.
  std::string text(reinterpret_cast<const char *>(data), size);
  mlir::ParserConfig config(&context, /*verifyAfterParse=*/true);
  return mlir::parseSourceString<mlir::ModuleOp>(text, config, "fuzz-input");
}

/// A bug the harness detects itself (e.g. a pass that produces IR that does
/// not verify): printed, then abort() so that libFuzzer saves the input.
[[noreturn]] inline void abortOnBug(const char *what) {
  llvm::errs() << "mirage-fuzz: BUG: " << what << "\n";
  llvm::errs().flush();
  std::abort();
}

} // namespace mirage::fuzz

#endif // MIRAGE_FUZZ_FUZZMLIR_H
