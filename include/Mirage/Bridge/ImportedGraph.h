//===- ImportedGraph.h - A function's compact μGraph as an analysis -*- C++
//-*-//
//
// Saves one crossing of the MLIR/compact boundary: a pass that writes a
// graph back as a function's body (--mirage-superoptimize) records it here
// and marks the analysis preserved, and the next pass that needs the
// function's graph (--mirage-lower-to-structured) takes it instead of
// importing the body it was just written from. Any pass in between that
// does not preserve the analysis (MLIR's default) drops it, and the graph is
// imported again. docs/Rationale.md, "One compact μGraph for the core
// libraries".
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_BRIDGE_IMPORTEDGRAPH_H
#define MIRAGE_BRIDGE_IMPORTEDGRAPH_H

#include "Mirage/Bridge/UGraphImport.h"

#include "mlir/Pass/AnalysisManager.h"

#include <optional>

namespace mirage {

/// Renumbers the values, and orders the block graphs, of `graph` as
/// importKernelGraph numbers those of the IR that replaceBodyWithGraph
/// writes for it: inputs first, then every op's results in op order (the
/// same in each block graph), block graphs in the order of their kernels.
/// Fails (leaving `graph` unchanged) on a graph the importer could not have
/// produced, such as one with a value no op defines.
mlir::LogicalResult numberAsImported(KernelGraph &graph);

/// The compact μGraph of a function, when a pass recorded it.
class ImportedGraph {
public:
  explicit ImportedGraph(mlir::Operation *) {}

  /// Records `graph` (with the locations its OpNode::location indexes) as
  /// the graph of the function's current body; renumbers it as the importer
  /// would (numberAsImported), or records nothing when it cannot.
  void record(KernelGraph graph, LocationTable locations);

  /// The recorded graph and its locations, if any.
  const KernelGraph *graph() const { return recorded ? &*recorded : nullptr; }
  const LocationTable &locations() const { return table; }

private:
  std::optional<KernelGraph> recorded;
  LocationTable table;
};

} // namespace mirage

#endif // MIRAGE_BRIDGE_IMPORTEDGRAPH_H
