//===- UGraph.h - The compact μGraph of the core libraries ------*- C++ -*-===//
//
// One compact, MLIR-free representation of a μGraph, shared by the
// interpreter (Semantics/), the abstract expressions and the search
// (Search/). MLIR is the interface: Bridge/ builds a KernelGraph from a
// func.func and writes one back; the hot loops of the interpreter and the
// enumerator never touch MLIR objects.
//
// A graph is a list of ops in topological order over numbered values. The
// first `numInputs` values are the graph's inputs; every op appends its
// results. A kernel graph's graph-defined kernels each own a block graph,
// whose first values are the kernel's input tensors and whose other values
// are tiles.
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_CORE_UGRAPH_H
#define MIRAGE_CORE_UGRAPH_H

#include "Mirage/Portable/DType.h"
#include "Mirage/Support/ShapeRules.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace mirage {

/// The element types, shared with the GPU runtime (Mirage/Portable/DType.h:
/// names, byte sizes; rounding in Mirage/Portable/FloatFormats.h).
using portable::DType;
using portable::dtypeBytes;
using portable::dtypeName;

// OpKind, AccumKind and their names and categories: Mirage/Support/
// Vocabulary.h, generated from Vocabulary.td. Element-wise and structured
// kinds are shared by the kernel and block levels; the interpretation of a
// value (whole tensor or tile) comes from the graph that holds it.

/// The shape, element type and (in block graphs) accumulation state of a
/// value.
struct ValueInfo {
  Shape shape;
  DType dtype = DType::F16;
  bool accumulated = false;
};

using ValueId = int32_t;

/// OpNode::location of an op whose origin nothing recorded.
inline constexpr int32_t kUnknownLocation = -1;

struct OpNode {
  OpKind kind = OpKind::Add;
  llvm::SmallVector<ValueId, 4> operands;
  llvm::SmallVector<ValueId, 2> results;

  // Attributes; which are meaningful depends on `kind` (see OpKind).
  int64_t dim = 0;
  int64_t size = 1;
  double scalarA = 0.0;
  double scalarB = 0.0;
  std::array<int64_t, kNumGridAxes> map = {kReplicate, kReplicate, kReplicate};
  AccumKind accum = AccumKind::None;
  Shape normalizedShape;
  int32_t blockGraph = -1;
  /// Where the op came from, without MLIR: an index into the location table
  /// that the graph's importer keeps (Bridge/UGraphImport.h), or
  /// kUnknownLocation. It is not part of the op's meaning: the interpreter,
  /// the cost model and the search ignore it.
  int32_t location = kUnknownLocation;
};

/// An op node of `kind` on `operands` with `results`, attributes defaulted.
OpNode makeOpNode(OpKind kind, llvm::ArrayRef<ValueId> operands = {},
                  llvm::ArrayRef<ValueId> results = {});

/// The block graph of one graph-defined kernel. Values [0, numInputs) are
/// the kernel's input tensors (loaded by Loader ops); `outputs` are the
/// Saver results in the order the kernel returns them.
struct BlockGraph {
  LaunchShape launch;
  std::vector<ValueInfo> values;
  std::vector<OpNode> ops;
  unsigned numInputs = 0;
  llvm::SmallVector<ValueId, 4> outputs;
};

/// Which values of `graph` are held in f32 instead of being rounded to their
/// element type (docs/Semantics.md, "Accumulation"): in a graph whose
/// for-loop has more than one iteration, a value computed in every iteration
/// (not `accumulated`, not a loader's tile) whose readers are all
/// accumulators, or element-wise ops whose results are held in f32
/// themselves. So the partial product of a looped matmul (and any
/// element-wise chain from it) reaches its accumulator unrounded, and is
/// rounded once, when the accumulator finishes. A cast's result is never
/// held (it is the rounding the program asks for). Indexed by ValueId.
std::vector<bool> valuesHeldInF32(const BlockGraph &graph);

/// A kernel-level program: the graph of a function.
struct KernelGraph {
  std::string name;
  std::vector<ValueInfo> values;
  std::vector<OpNode> ops;
  std::vector<BlockGraph> blockGraphs;
  unsigned numInputs = 0;
  llvm::SmallVector<ValueId, 4> outputs;

  /// Appends an input value and returns its id; inputs come before ops.
  ValueId addInput(ValueInfo info);
};

/// Appends a value to `values` and returns its id.
ValueId addValue(std::vector<ValueInfo> &values, ValueInfo info);

/// Prints a readable listing of the graph (for tests and debugging).
void print(const KernelGraph &graph, llvm::raw_ostream &os);

} // namespace mirage

#endif // MIRAGE_CORE_UGRAPH_H
