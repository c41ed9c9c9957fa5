//===- MirageJsonImport.h - Import μGraphs saved by Mirage ------*- C++ -*-===//
//
// Reads the JSON that the original Mirage writes for its μGraphs (its
// kernel graph's `to_json`, and the lists of μGraphs its search saves) and
// builds one kernel-dialect function per μGraph: kernel ops, and
// graph-defined kernels holding block graphs. docs/MirageImport.md
// describes the format, the op mapping and the checks.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_TRANSLATE_MIRAGEJSONIMPORT_H
#define MIRAGE_TRANSLATE_MIRAGEJSONIMPORT_H

#include "Mirage/Core/UGraph.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <vector>

namespace llvm {
class SourceMgr;
} // namespace llvm

namespace mirage {

/// One μGraph read from Mirage's JSON, with the JSON path of each op node
/// (OpNode::location indexes `paths`; block ops too).
struct MirageJsonGraph {
  KernelGraph graph;
  std::vector<std::string> paths;
};

/// Parses `text` (one μGraph: a list of kernel operators; or a list of
/// μGraphs) into compact μGraphs. Fails with one message that starts with
/// the JSON path of the offending value (`[0][3].bgraph.operators[2]`):
/// malformed JSON, a missing or mistyped field, an unknown or unsupported
/// op type, a tensor that refers to no earlier value, a shape that
/// disagrees with the shape rules. Errors at a position of the text (JSON
/// syntax, nesting) start with `line L, column C: ` instead.
llvm::Expected<std::vector<MirageJsonGraph>>
parseMirageJson(llvm::StringRef text);

/// Options of the translation.
struct MirageJsonImportOptions {
  /// The functions' name: `name` for a file of one μGraph (or with `index`),
  /// `name_<i>` for the i-th μGraph of a list.
  std::string functionName = "mugraph";
  /// Import only the μGraph at this index of the list.
  std::optional<unsigned> index;
};

/// Translates the main buffer of `sourceMgr` into a module of kernel-dialect
/// functions. Emits an error at the file and returns null on failure.
mlir::OwningOpRef<mlir::ModuleOp>
importMirageJson(llvm::SourceMgr &sourceMgr, mlir::MLIRContext *context,
                 const MirageJsonImportOptions &options = {});

/// Registers `--import-mirage-json` with mlir-translate's registry, with its
/// command-line options (`--mirage-json-function`, `--mirage-json-index`).
void registerMirageJsonImport();

} // namespace mirage

#endif // MIRAGE_TRANSLATE_MIRAGEJSONIMPORT_H
