//===- mirage-translate.cpp - Translations into the μGraph dialects -------===//
//
// mlir-translate with the translations of Mirage-MLIR:
//   --import-mirage-json  a μGraph (or a list of them) saved as JSON by the
//                         original Mirage -> kernel-dialect functions
//                         (docs/MirageImport.md).
//
//===----------------------------------------------------------------------===//

#include "Mirage/Translate/MirageJsonImport.h"

#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"

int main(int argc, char **argv) {
  mirage::registerMirageJsonImport();
  return mlir::failed(mlir::mlirTranslateMain(
      argc, argv, "Mirage-MLIR translations (μGraph JSON -> MLIR)"));
}
