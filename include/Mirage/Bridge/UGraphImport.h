//===- UGraphImport.h - Build compact μGraphs from MLIR ---------*- C++ -*-===//
//
// The thin layer between the dialects and the core libraries: it reads a
// func.func made of kernel ops and graph-defined kernels (block graphs) into
// a mirage::KernelGraph, which the interpreter, the
// abstract expressions and the search work on.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_BRIDGE_UGRAPHIMPORT_H
#define MIRAGE_BRIDGE_UGRAPHIMPORT_H

#include "Mirage/Core/UGraph.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/Support/LLVM.h"

#include <cmath>
#include <vector>

namespace mirage {

/// The MLIR locations of a compact μGraph's ops: OpNode::location indexes
/// it. The core libraries hold only the index, so they stay free of MLIR.
using LocationTable = std::vector<mlir::Location>;

/// Builds the compact μGraph of `func`, which must be verified IR. Emits an
/// error at the first argument, result or op it cannot represent (an op of
/// another dialect, a dynamic shape, an unsupported element type) and fails.
/// With `locations`, every op node (kernel and block level) records the
/// location of the op it came from: its OpNode::location indexes the table,
/// which is cleared first.
mlir::FailureOr<KernelGraph>
importKernelGraph(mlir::func::FuncOp func, LocationTable *locations = nullptr);

/// Builds the compact block graph of one graph-defined kernel (verified IR),
/// as importKernelGraph does for each; emits an error and fails as it does.
mlir::FailureOr<BlockGraph> importBlockGraphOf(mlir::Operation *graphDefined);

/// The location of `op` in `locations`, or `fallback` when it has none.
mlir::Location locationOf(const OpNode &op, const LocationTable &locations,
                          mlir::Location fallback);

/// One location for all of `locations` (a FusedLoc, or the location itself
/// when there is one), or `fallback` when there are none.
mlir::Location fuseLocations(llvm::ArrayRef<mlir::Location> locations,
                             mlir::Location fallback);

/// The function attribute that sets the scale of a function's seeded random
/// inputs (uniform in [-scale, scale)) when no tool option overrides it:
/// `attributes {mirage.input_scale = 0.25 : f64}`. The interpreter
/// (--mirage-interpret), mirage-cpu-runner and the bundle manifest
/// (--mirage-to-ptx, read by mirage-run) honour it; docs/Semantics.md,
/// "Input scales".
inline constexpr llvm::StringLiteral kInputScaleAttrName = "mirage.input_scale";

/// The default input scale of `func`: its `mirage.input_scale`, or 1 when it
/// has none. Emits an error at the function and fails when the attribute is
/// not a positive finite float. (Inline: the bundle writer uses it without
/// linking the bridge.)
inline mlir::FailureOr<double> getInputScale(mlir::func::FuncOp func) {
  mlir::Attribute attr = func->getAttr(kInputScaleAttrName);
  if (!attr)
    return 1.0;
  auto scale = llvm::dyn_cast<mlir::FloatAttr>(attr);
  double value = scale ? scale.getValueAsDouble() : 0.0;
  if (!scale || !std::isfinite(value) || value <= 0)
    return func.emitError()
           << "'" << kInputScaleAttrName
           << "' must be a positive finite float (the scale of the seeded "
              "random inputs), got "
           << attr;
  return value;
}

/// The element type as a DType, if it is one the μGraph supports.
std::optional<DType> toDType(mlir::Type elementType);
/// The MLIR element type of a DType (toDType's inverse).
mlir::Type elementTypeOf(mlir::MLIRContext *ctx, DType dtype);

} // namespace mirage

#endif // MIRAGE_BRIDGE_UGRAPHIMPORT_H
