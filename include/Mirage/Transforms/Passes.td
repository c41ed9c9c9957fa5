//===- Passes.td - Mirage-MLIR transformation passes -------*- tablegen -*-===//

#ifndef MIRAGE_TRANSFORMS_PASSES
#define MIRAGE_TRANSFORMS_PASSES

include "mlir/Pass/PassBase.td"

def CheckLimits : Pass<"mirage-check-limits", "::mlir::func::FuncOp"> {
  let summary = "Check graph-defined kernels against the resource limits";
  let description = [{
    Checks every `kernel.graph_defined` op of the function against the limits
    a μGraph kernel must respect on the target, and reports each violation as
    an error at the kernel, naming the figure and the limit:

    * shared memory per thread block: the buffers the code generator lays
      out for the block graph (tiles it stores, f32 matmul results and
      accumulator inputs, tensor-core and bank-conflict padding, 16-byte
      alignment), single-buffered, against `shared-memory-bytes`. It is the
      one accounting of the search, the cost model and the GPU mapping
      (docs/CostModel.md, "Shared memory"); an upper bound of what the GPU
      mapping places, since that reuses the bytes of dead tiles;
    * the number of block ops (loaders, savers and the terminator included),
      against `max-block-ops`;
    * the number of input and output tensors of the kernel.

    The defaults are Mirage's: 16 block ops, 4 inputs, 4 outputs, and the
    227 KiB of shared memory an H100 block can use. The pass changes no IR.

    Example:

    ```
    mirage-opt --mirage-check-limits='shared-memory-bytes=49152' in.mlir
    ```
  }];
  let options = [
    Option<"sharedMemoryBytes", "shared-memory-bytes", "int64_t",
           /*default=*/"232448",
           "Shared memory available to one thread block, in bytes">,
    Option<"maxBlockOps", "max-block-ops", "int64_t", /*default=*/"16",
           "Maximum number of ops in one block graph">,
    Option<"maxInputs", "max-inputs", "int64_t", /*default=*/"4",
           "Maximum number of input tensors of one graph-defined kernel">,
    Option<"maxOutputs", "max-outputs", "int64_t", /*default=*/"4",
           "Maximum number of output tensors of one graph-defined kernel">,
  ];
  let dependentDialects = ["::mirage::kernel::KernelDialect",
                           "::mirage::block::BlockDialect"];
}

def Outline : Pass<"mirage-outline", "::mlir::ModuleOp"> {
  let summary = "Move the regions kernel ops cover into kernel-level functions";
  let description = [{
    The LAX partitioning of Mirage: in every function that mixes kernel ops
    with other ops (as `--mirage-import` leaves them), finds maximal regions
    of kernel ops, moves each into its own kernel-level function and calls
    it, so that `--mirage-superoptimize` and the lowering passes work on the
    regions and leave the caller to upstream's passes.

    Regions grow greedily in program order over the ops of each block of a
    function. A kernel op joins the region being built when, with it, the
    region stays within the limits:

    * at most `max-inputs` input tensors (values the region reads but does
      not compute) and `max-ops` kernel ops;
    * no exponential nested in another within the region (exp, silu and
      tanh are exponential; Mirage's LAX fragment, the programs whose
      equivalence the fingerprints decide, docs/Semantics.md);
    * no layout op (transpose, reshape, broadcast) on a value the region
      computes, other than the results of its leading layout ops (those
      that read an input or another leading layout op). The search takes
      the leading layout ops off and puts them back in front of what it
      finds, but cannot produce any other layout op (docs/Search.md,
      "Layout ops"): such an op starts the next region, where it reads an
      input.

    Other ops between the region's ops stay in the caller; the region ends
    before the first one that reads a value the region computes (so the
    call can replace the region where its last op was), and before a kernel
    op that would break a limit, which starts the next region. A region that
    would yield more than `max-outputs` tensors loses ops from its end until
    it does not. A kernel op that alone breaks a limit stays in place with a
    remark saying which.

    Each region becomes `func.func private @CALLER_mirage_N` (N counts the
    regions of the caller from 0, skipping names already taken), placed
    after the caller, whose arguments are the region's inputs in the order
    of their first use and whose results are the values used after the
    region, in program order; a `func.call` replaces the region. The moved
    ops keep their locations; the function and the call have the fused
    locations of the region's ops. A function made only of kernel ops (and
    its `return`) is cut the same way when it is more than one region (an
    imported model often is kernel level as a whole); one that is a single
    region is left alone, as are functions already marked
    `mirage.outlined` and ops in nested regions; such a single-region
    function that the rest of the module calls gets `mirage.outlined` too. The attribute tells the lowering that
    the function is called with tensors: `--mirage-lower-to-structured`
    leaves it alone, `--mirage-lower-calls` lowers it with its calls.

    Example:

    ```
    mirage-opt --mirage-import --mirage-outline --mirage-superoptimize \
        model.mlir
    ```
  }];
  let options = [
    Option<"maxInputs", "max-inputs", "int64_t", /*default=*/"4",
           "Maximum number of input tensors of one region (the default of "
           "--mirage-check-limits' max-inputs)">,
    Option<"maxOutputs", "max-outputs", "int64_t", /*default=*/"4",
           "Maximum number of output tensors of one region">,
    Option<"maxOps", "max-ops", "int64_t", /*default=*/"16",
           "Maximum number of kernel ops in one region">,
  ];
  let dependentDialects = ["::mirage::kernel::KernelDialect",
                           "::mlir::func::FuncDialect"];
}

def PrintUGraph : Pass<"mirage-print-ugraph", "::mlir::ModuleOp"> {
  let summary = "Print the compact μGraph the core libraries see";
  let description = [{
    Imports each function into the compact, MLIR-free μGraph structure that
    the interpreter, the abstract expressions and the search work on, and
    prints it to stdout, in the module's order: values in topological order
    with shape, element type and (in block graphs) accumulation state, ops
    with their attributes, and each graph-defined kernel's block graph.

    A function that is not kernel level (it holds an op of another dialect,
    as the callers of a mixed module do) is skipped with a remark; a
    kernel-level function that cannot be imported is an error at that op.
    The pass changes no IR.

    Example:

    ```
    mirage-opt --mirage-print-ugraph examples/ugraphs/rmsnorm_matmul.mlir
    ```
  }];
}

def PrintAbstractExprs
    : Pass<"mirage-print-abstract-exprs", "::mlir::ModuleOp"> {
  let summary = "Print each value's abstract expression and its pruning verdict";
  let description = [{
    Computes the abstract expression (docs/AbstractExpressions.md) of every
    value of every function: kernel values and the values of each
    graph-defined kernel's block graph. It saturates the target function's
    output expressions once under the axioms and prints, for each value,
    its expression and the answer of the search's pruning query, "is it a
    subexpression of some rewriting of the target's outputs?":

    * `pass`: it is, so the search would keep it;
    * `prune`: it is not, so the search would discard it;
    * `unknown`: it involves an op without a sound abstraction (concat,
      running max, rescale and max accumulators) and is not pruned.

    The header line of each function names the target and reports the
    saturation: iterations, e-graph nodes and classes, and whether it
    saturated or stopped at the node, iteration or time limit. The node and
    iteration limits default to the search's; the search sets no time limit
    (so that what it prunes does not depend on the machine's load), and
    neither does this pass unless `time-limit-ms` is given.

    By default each function is checked against its own outputs. With
    `target=NAME` every function is checked against function NAME; with
    `target-file=PATH` the target is read from another file (function NAME,
    or by default the function with the same name), e.g. a μGraph against
    its kernel-level program. Functions are matched argument by argument.
    The pass changes no IR.

    Example:

    ```
    mirage-opt --mirage-print-abstract-exprs='target-file=examples/rmsnorm_matmul.mlir' \
        examples/ugraphs/rmsnorm_matmul.mlir
    ```
  }];
  let options = [
    Option<"target", "target", "std::string", /*default=*/"",
           "Function whose outputs are the target (default: each function)">,
    Option<"targetFile", "target-file", "std::string", /*default=*/"",
           "File that holds the target function (default: this module)">,
    Option<"nodeLimit", "node-limit", "int64_t", /*default=*/"20000",
           "Stop saturating once the e-graph holds this many nodes">,
    Option<"iterationLimit", "iteration-limit", "int64_t", /*default=*/"30",
           "Stop saturating after this many rounds of rewriting">,
    Option<"timeLimitMs", "time-limit-ms", "int64_t", /*default=*/"0",
           "Stop saturating after this many milliseconds of CPU time (0: no "
           "time limit, "
           "as in the search, whose result must not depend on the "
           "machine's speed)">,
  ];
  let dependentDialects = ["::mirage::kernel::KernelDialect",
                           "::mirage::block::BlockDialect"];
}

def CheckEquivalence : Pass<"mirage-check-equivalence", "::mlir::ModuleOp"> {
  let summary = "Check two functions for equivalence on random tests";
  let description = [{
    Evaluates the functions `lhs` and `rhs` of the module, which must take the
    same inputs, on `tests` seeded random inputs with the reference
    interpreter and compares their results.

    With `mode=fingerprint` (the default) values are residues in Z_p x Z_q
    (docs/Semantics.md): equal programs always agree, and two different
    programs agree on all tests with probability at most 1e-9 at the default
    5 tests (user constants and opaque functions such as gelu, relu or sqrt
    are drawn at random per test, so that nothing collides with them). Every
    verdict is then checked by one float test (inputs scaled by powers of two
    until every output is finite; per element
    `|lhs - rhs| <= tol * (|rhs| + rms(rhs))`, tol 1e-2 for f16, 6.25e-2 for
    bf16, 1e-4 for f32). With `mode=float` the float interpreter alone runs
    both (each op rounded to its element type) and elements must agree
    within `|lhs - rhs| <= atol + rtol * |rhs|`; a result of either function
    that is infinite or NaN makes the comparison an error (it would check
    nothing: lower `input-scale`). Inputs are scaled by `input-scale`, else
    by the `mirage.input_scale` attribute of `lhs`, else of `rhs`, else 1.

    Results may be permuted: every pairing of the results of equal shape and
    element type is tried, and a permutation other than the identity is
    reported. The pass prints `equivalent` (with the permutation, if any)
    when the fingerprints agree and the float test confirms them;
    `not equivalent: output I differs at [indices]` when both differ;
    `not equivalent: the fingerprints agree but a float test differs: ...`
    when only the float test differs; and `not provable by fingerprints:
    output I differs at [indices]; a float test agrees` for a true identity
    the fingerprints cannot prove (`2 * relu(z / 2)` and `relu(z)`). In all
    but the first case it also emits an error and fails. Different
    signatures, a name that is not a function, an op the interpreter does
    not support, or fingerprints that would be unsound (an exponential of an
    exponential) are errors. A test that divides by a residue that is zero
    is inconclusive and repeated with fresh inputs. The pass changes no IR.

    Example:

    ```
    mirage-opt --mirage-check-equivalence='lhs=ref rhs=opt tests=8' in.mlir
    ```
  }];
  let options = [
    Option<"lhs", "lhs", "std::string", /*default=*/"",
           "Name of the reference function">,
    Option<"rhs", "rhs", "std::string", /*default=*/"",
           "Name of the function compared with it">,
    Option<"tests", "tests", "unsigned", /*default=*/"5",
           "Number of random tests (conclusive ones)">,
    Option<"seed", "seed", "uint64_t", /*default=*/"0",
           "Seed of the first test's inputs; test t uses seed + t">,
    Option<"mode", "mode", "std::string", /*default=*/"\"fingerprint\"",
           "Number system: fingerprint (Z_p x Z_q) or float">,
    Option<"rtol", "rtol", "double", /*default=*/"1e-3",
           "Float mode: relative tolerance">,
    Option<"atol", "atol", "double", /*default=*/"1e-5",
           "Float mode: absolute tolerance">,
    Option<"inputScale", "input-scale", "double", /*default=*/"1.0",
           "Random float inputs are uniform in [-scale, scale) (default: "
           "the mirage.input_scale of lhs, else of rhs, else 1)">,
    Option<"memoryLimit", "memory-limit", "uint64_t", /*default=*/"0",
           "Bytes the equivalence check may allocate; 0: three quarters of the machine's memory "
           "(physical, or its cgroup limit when smaller)">,
  ];
}

def Interpret : Pass<"mirage-interpret", "::mlir::ModuleOp"> {
  let summary = "Run a function with the reference interpreter";
  let description = [{
    Evaluates the function `entry` with the float interpreter (every op
    computed in double and rounded to its element type; docs/Semantics.md)
    on seeded random inputs, uniform in [-input-scale, input-scale) (by
    default the function's `mirage.input_scale` attribute, else 1), or on
    the .npy files given by `inputs` (one per argument, float16, float32 or
    float64, C order). For every result it prints the type, the minimum,
    maximum and mean, and the first values; with `output-dir` it also
    writes `output<I>.npy` there (float16 for f16, float32 for f32 and
    bf16). The pass changes no IR.

    Before it allocates anything, the pass bounds the memory the evaluation
    needs (every tensor of the function, scratch space and the tiles of its
    block graphs) and fails with `too large to interpret: needs N bytes,
    limit M` when that exceeds `memory-limit` (by default three quarters of the
    machine's memory). A .npy input must hold exactly the bytes its header's
    shape gives.

    Example:

    ```
    mirage-opt --mirage-interpret='entry=mqa seed=7' examples/mqa.mlir
    ```
  }];
  let options = [
    Option<"entry", "entry", "std::string", /*default=*/"",
           "Name of the function to run">,
    Option<"seed", "seed", "uint64_t", /*default=*/"0",
           "Seed of the random inputs">,
    Option<"inputScale", "input-scale", "double", /*default=*/"1.0",
           "Random inputs are uniform in [-scale, scale) (default: the "
           "function's mirage.input_scale, else 1)">,
    ListOption<"inputs", "inputs", "std::string",
               "Comma-separated .npy files, one per argument">,
    Option<"outputDir", "output-dir", "std::string", /*default=*/"",
           "Directory to write output<I>.npy files to">,
    Option<"numValues", "num-values", "unsigned", /*default=*/"4",
           "How many leading values of each result to print">,
    Option<"memoryLimit", "memory-limit", "uint64_t", /*default=*/"0",
           "Bytes the interpreter may allocate; 0: three quarters of the machine's memory "
           "(physical, or its cgroup limit when smaller)">,
  ];
}

def Superoptimize : Pass<"mirage-superoptimize", "::mlir::func::FuncOp"> {
  let summary = "Replace a function by the fastest equivalent μGraph found";
  let description = [{
    Searches μGraphs (kernel graphs whose graph-defined kernels hold block
    graphs) that compute the same function as the input function, the way
    Mirage does (docs/Search.md): a depth-first enumeration in canonical
    order on the compact μGraph, pruned before every op by shape,
    shared-memory and abstract-expression checks, every complete candidate
    verified by fingerprints against the input, and the verified candidates
    ranked by the analytic cost model (docs/CostModel.md).

    The function is replaced by the cheapest verified candidate when its
    predicted cost is lower than the input's; otherwise it is left as it is.
    A remark reports the states visited, the states pruned by each check,
    the candidates verified, the time, and the predicted costs before and
    after; when nothing faster is found it says why (the time budget ran
    out, an op the search does not generate, more inputs than the limits
    allow, ...) and which option would help. `stats-file` writes the same
    figures as JSON (docs/Search.md, "Statistics"), also on a cache hit.
    While the search runs, a progress line on stderr gives the time, the
    states visited, the candidates verified, the best predicted time so far
    and the time left, every `progress-interval` seconds (`progress`: on by
    default when stderr is a terminal). With `top-k` > 1 the
    runners-up are added as functions `<name>_candidate<i>` for measurement
    on a GPU. The search is deterministic: the same input and options give
    the same output with any number of threads, unless the time budget runs
    out (which the remark says).

    A function holding an op the search cannot take (one outside the kernel
    dialect's evaluable set) is left unchanged with a remark, or is an error
    under `strict`. A function with the unit attribute
    `mirage.no_superoptimize` is skipped.

    Results are cached on disk (docs/Search.md, "Search cache"), keyed by the
    function, every option that changes the result, and the tool's cache
    version: the second run of the same search reads the result, checks it
    by fingerprints against the input (an entry that does not parse or check
    is ignored and rewritten), and uses it. A search stopped by its time
    budget is not cached. `cache=false` disables the cache, `cache-dir`
    moves it.

    A function whose search would need more memory than `memory-limit` is
    left unchanged with the remark `too large to search: needs N bytes,
    limit M` (an error under `strict`), before anything is allocated. The
    need counts the inputs of one fingerprint test and the outputs of every
    test, and per thread one evaluation and the block-search memo (32 MiB);
    the default limit is 500 MB plus the program's inputs at their own
    element types, at most three quarters of the machine's memory
    (docs/Search.md, "Memory").

    Candidate lists: grids as `XxYxZ` (`grids=256x1x1,64x4x2`), maps as three
    characters, one per grid axis, each a dimension or `_` for none
    (`imaps=_1_,0__`).

    Example:

    ```
    mirage-opt --mirage-superoptimize='preset=mlp threads=2 time-budget=60' \
        examples/rmsnorm_matmul.mlir
    ```
  }];
  let options = [
    Option<"maxKernelOps", "max-kernel-ops", "unsigned", /*default=*/"5",
           "Maximum ops of a candidate kernel graph, its inputs included "
           "(default: 5)">,
    Option<"maxBlockOps", "max-block-ops", "unsigned", /*default=*/"0",
           "Maximum ops of a block graph, loaders and savers included; 0 "
           "derives it from the program: a loader per input, a block op "
           "per op, an accumulator and a saver per output, at least 11 and "
           "at most 16 (default: 0, derived)">,
    Option<"maxGraphDefinedKernels", "max-graph-defined", "unsigned",
           /*default=*/"1",
           "Maximum graph-defined kernels per candidate (default: 1; "
           "attention: 2)">,
    Option<"preset", "preset", "std::string", /*default=*/"\"none\"",
           "Search preset: none, attention, mlp or lora (default: none)">,
    ListOption<"grids", "grids", "std::string",
               "Candidate grids (XxYxZ), replacing the built-in ones "
               "(default: built-in)">,
    ListOption<"forloopRanges", "forloop-ranges", "int64_t",
               "Candidate for-loop ranges, replacing the built-in ones "
               "(default: built-in)">,
    ListOption<"imaps", "imaps", "std::string",
               "Candidate imaps (e.g. _1_), replacing the built-in ones "
               "(default: built-in)">,
    ListOption<"omaps", "omaps", "std::string",
               "Candidate omaps (e.g. 1__), replacing the built-in ones "
               "(default: built-in)">,
    Option<"threads", "threads", "unsigned", /*default=*/"0",
           "Search threads; 0 uses every core (default: 0)">,
    Option<"timeBudget", "time-budget", "double", /*default=*/"300",
           "Wall-clock budget in seconds per function, confirmation of "
           "the candidates included; 0 for none (default: 300)">,
    Option<"seed", "seed", "uint64_t", /*default=*/"0",
           "Seed of the fingerprint tests (default: 0)">,
    Option<"topK", "top-k", "unsigned", /*default=*/"1",
           "Verified candidates to keep; the runners-up become functions "
           "(default: 1)">,
    Option<"statsFile", "stats-file", "std::string", /*default=*/"\"\"",
           "Write the search statistics as JSON to this file, also on a "
           "cache hit (default: none)">,
    Option<"progress", "progress", "std::string", /*default=*/"\"auto\"",
           "Report progress on stderr while the search runs: auto (on when "
           "stderr is a terminal), true or false (default: auto)">,
    Option<"progressInterval", "progress-interval", "double",
           /*default=*/"1",
           "Seconds between progress reports (default: 1)">,
    Option<"gpu", "gpu", "std::string", /*default=*/"\"h100\"",
           "Cost-model parameters: h100 or h200 (default: h100)">,
    Option<"calibration", "calibration", "std::string", /*default=*/"\"\"",
           "GPU calibration file (bench/gpu/calibrate.py) whose measured "
           "figures replace the gpu's assumed ones (default: "
           "$MIRAGE_GPU_CALIBRATION when set, else none)">,
    Option<"sharedMemoryBytes", "shared-memory-bytes", "int64_t",
           /*default=*/"232448",
           "Shared memory per block available to a graph-defined kernel "
           "(default: 232448, an H100 block)">,
    Option<"strict", "strict", "bool", /*default=*/"false",
           "Make a function the search cannot take an error, not a remark "
           "(default: false)">,
    Option<"useCache", "cache", "bool", /*default=*/"true",
           "Reuse and record search results in the persistent cache "
           "(default: true)">,
    Option<"cacheDir", "cache-dir", "std::string", /*default=*/"\"\"",
           "Cache directory (default: $XDG_CACHE_HOME/mirage-mlir or "
           "~/.cache/mirage-mlir)">,
    Option<"memoryLimit", "memory-limit", "uint64_t", /*default=*/"0",
           "Bytes the search may allocate; 0: 500 MB plus the program's "
           "inputs at their own element types, at most three quarters of "
           "the machine's memory (physical, or its cgroup limit when "
           "smaller) (default: 0)">,
  ];
  let dependentDialects = ["::mirage::kernel::KernelDialect",
                           "::mirage::block::BlockDialect"];
}

#endif // MIRAGE_TRANSFORMS_PASSES
