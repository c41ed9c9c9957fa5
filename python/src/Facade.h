//===- Facade.h - The C++ entry points of the Python package ----*- C++ -*-===//
//
// What the `mirage_mlir` extension calls, in types that need neither MLIR,
// LLVM nor Python: strings, vectors of floats and shapes. Every function
// runs in-process on the project's libraries (parser and verifiers, the
// search, the interpreter, the CPU lowering and the JIT, the cost model, the
// bundle writer) and reports failure as a Status whose message is the
// diagnostics, one per line, `LOCATION: error: MESSAGE`.
//
// The facade is compiled with the project's flags (no exceptions); the
// binding translation unit (Module.cpp), which needs exceptions and RTTI for
// pybind11, includes only this header. docs/Python.md, "How it is built".
//
//===----------------------------------------------------------------------===//

#ifndef MIRAGE_PYTHON_FACADE_H
#define MIRAGE_PYTHON_FACADE_H

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mirage::python {

struct Status {
  bool ok = true;
  std::string message;

  static Status success() { return {}; }
  static Status error(std::string message) {
    return {false, std::move(message)};
  }
};

/// A dense row-major tensor: every element as a float (exact in `dtype`,
/// one of "f16", "bf16", "f32").
struct HostTensor {
  std::vector<int64_t> shape;
  std::string dtype;
  std::vector<float> data;
};

// Shape rules (Mirage/Support/ShapeRules.h); on failure `message` says why.
Status inferMatmul(const std::vector<int64_t> &lhs,
                   const std::vector<int64_t> &rhs, std::vector<int64_t> &out);
Status inferBroadcast(const std::vector<int64_t> &lhs,
                      const std::vector<int64_t> &rhs,
                      std::vector<int64_t> &out);
Status inferReduction(const std::vector<int64_t> &input, int64_t dim,
                      int64_t size, std::vector<int64_t> &out);
Status checkRmsNorm(const std::vector<int64_t> &input,
                    const std::vector<int64_t> &normalized);
/// The tile of a block-graph input loader, of a saver's tensor, of an
/// accumulator (kind: none, sum, mean, rms, sum_to_dimx, max).
Status inferLoaderTile(const std::vector<int64_t> &tensor,
                       const std::vector<int64_t> &imap, int64_t forloopDim,
                       const std::vector<int64_t> &grid,
                       const std::vector<int64_t> &block, int64_t forloopRange,
                       int64_t dimx, std::vector<int64_t> &out);
Status inferSaverTensor(const std::vector<int64_t> &tile,
                        const std::vector<int64_t> &omap,
                        const std::vector<int64_t> &grid,
                        const std::vector<int64_t> &block, int64_t forloopRange,
                        int64_t dimx, std::vector<int64_t> &out);
Status inferAccum(const std::string &kind, const std::vector<int64_t> &input,
                  int64_t dimx, std::vector<int64_t> &out);

/// Parses and verifies `text` (a module of func.func of kernel ops).
Status verify(const std::string &text);

/// The function `entry` of `text` (the first function when empty) as JSON:
/// {"name", "inputs": [{"shape", "dtype"}], "outputs": [...], "ops": [{"op",
/// "operands", "results", "attrs", "block": {...}}]} with the values of the
/// compact μGraph (what visualize draws).
Status describe(const std::string &text, const std::string &entry,
                std::string &json);

/// Runs --mirage-superoptimize{options} on every function of `text`;
/// `result` is the module afterwards, `remarks` the search's remarks.
Status superoptimize(const std::string &text, const std::string &options,
                     std::string &result, std::string &remarks);

/// The reference interpreter on `inputs` (one per function input).
Status interpret(const std::string &text, const std::string &entry,
                 const std::vector<HostTensor> &inputs,
                 std::vector<HostTensor> &outputs);

/// The seeded random inputs of the interpreter (docs/Semantics.md).
Status randomInputs(const std::string &text, const std::string &entry,
                    uint64_t seed, double scale,
                    std::vector<HostTensor> &inputs);

/// The one output comparison of the project (portable::judge): `verdict`
/// is "PASS" or the lines of the failures; an error when an expected value
/// is not finite.
Status compareOutputs(const std::vector<HostTensor> &got,
                      const std::vector<HostTensor> &expected,
                      std::string &verdict, bool &passed);

/// The cost model's prediction for `entry` on `gpu` (h100, h200): total
/// seconds and, per kernel, JSON.
Status cost(const std::string &text, const std::string &entry,
            const std::string &gpu, double &seconds, std::string &json);

/// Lowers with --mirage-to-ptx='chip=CHIP output=DIR'.
Status writeBundle(const std::string &text, const std::string &dir,
                   const std::string &chip);

/// A function lowered with --mirage-to-cpu and JIT-compiled, callable many
/// times.
class CpuKernel {
public:
  ~CpuKernel();
  static Status compile(const std::string &text, const std::string &entry,
                        unsigned optLevel, std::unique_ptr<CpuKernel> &out);
  Status run(const std::vector<HostTensor> &inputs,
             std::vector<HostTensor> &outputs);

  struct Impl;

private:
  std::unique_ptr<Impl> impl;
};

} // namespace mirage::python

#endif // MIRAGE_PYTHON_FACADE_H
