//===- MiragePlugin.cpp - Mirage-MLIR as an mlir-opt plugin -----*- C++ -*-===//
//
// Loads into the stock mlir-opt:
//   mlir-opt --load-dialect-plugin=MiragePlugin.so \
//            --load-pass-plugin=MiragePlugin.so \
//            --pass-pipeline='builtin.module(func.func(mirage-check-limits))'
// Plugins load after the command line is parsed, so their passes can only be
// named inside --pass-pipeline.
//
//===----------------------------------------------------------------------===//

#include "Mirage/InitMirage.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/Plugins/DialectPlugin.h"
#include "mlir/Tools/Plugins/PassPlugin.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/Compiler.h"

extern "C" LLVM_ATTRIBUTE_WEAK ::mlir::DialectPluginLibraryInfo
mlirGetDialectPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "MirageDialects", LLVM_VERSION_STRING,
          [](::mlir::DialectRegistry *registry) {
            ::mirage::registerMirageDialects(*registry);
          }};
}

extern "C" LLVM_ATTRIBUTE_WEAK ::mlir::PassPluginLibraryInfo
mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "MiragePasses", LLVM_VERSION_STRING,
          []() { ::mirage::registerMiragePasses(); }};
}
