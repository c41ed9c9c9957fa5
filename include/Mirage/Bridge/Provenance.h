//===- Provenance.h - Which user ops a search result computes ---*- C++ -*-===//
//
// A μGraph the search found replaces the user's ops by new ones; so that a
// diagnostic about a new op (in the lowering, say) can point at what the
// user wrote, every new kernel op gets the fused location of the user's ops
// it computes. docs/Search.md, "Locations of the result".
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_BRIDGE_PROVENANCE_H
#define MIRAGE_BRIDGE_PROVENANCE_H

#include "Mirage/Bridge/UGraphImport.h"
#include "Mirage/Core/UGraph.h"

#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <vector>

namespace mirage {

/// For every kernel-level op of `candidate` (a graph equivalent to
/// `reference`, with the same inputs and outputs), the indices of the
/// kernel-level ops of `reference` it computes, in increasing order; never
/// empty. MLIR-free.
///
/// Values of the two graphs correspond where they are the same function of
/// the inputs: the inputs, the outputs, and intermediate values with equal
/// fingerprints (one evaluation of each graph in the finite field on the
/// inputs of `seed`). Candidate ops joined by values with no counterpart
/// form a group; a group whose inputs correspond to the reference values I
/// and whose results to O computes the reference ops that O depends on and
/// I does not. A group for which that is empty (nothing can be told) gets
/// every op of the reference.
std::vector<llvm::SmallVector<unsigned, 4>>
computedReferenceOps(const KernelGraph &reference, const KernelGraph &candidate,
                     uint64_t seed);

/// Sets OpNode::location of every kernel-level op of `candidate` to the
/// fused location of the reference ops it computes (computedReferenceOps),
/// appended to `locations`, which holds those of `reference`'s ops. A block
/// op of a graph-defined kernel points at the reference ops of its kind
/// among those its kernel computes (a block matmul at the user's matmul);
/// the others are left without a location, and the export gives them their
/// kernel's.
void attachLocations(KernelGraph &candidate, const KernelGraph &reference,
                     LocationTable &locations, mlir::Location fallback,
                     uint64_t seed);

} // namespace mirage

#endif // MIRAGE_BRIDGE_PROVENANCE_H
