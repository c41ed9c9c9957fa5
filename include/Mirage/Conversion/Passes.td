//===- Passes.td - Mirage-MLIR conversion passes -----------*- tablegen -*-===//

#ifndef MIRAGE_CONVERSION_PASSES
#define MIRAGE_CONVERSION_PASSES

include "mlir/Pass/PassBase.td"

def DefaultSchedules : Pass<"mirage-default-schedules", "::mlir::func::FuncOp"> {
  let summary = "Give every pre-defined kernel op a block graph";
  let description = [{
    Rewrites every pre-defined kernel op (element-wise, matmul, reduction,
    rms_norm, concat) into an equivalent `kernel.graph_defined` op whose
    block graph is a default schedule, so that one code generator, the one
    for block graphs, serves every kernel. Existing graph-defined kernels are
    left as they are.

    The schedules:

    * element-wise ops, rms_norm and concat: the output is cut into tiles of
      about `tile-elements` elements along its leading dimensions (up to
      three, one per grid axis; the normalized dimension of rms_norm and the
      concatenated dimension stay whole), one tile per block, one iteration;
      an operand that broadcasts along a split dimension is replicated;
    * matmul `[b, m, k] x [b, k, n]`: grid x over n, y over m, z over the
      batch, with tiles of at most `matmul-tile` rows and columns; the
      for-loop walks k in chunks of at most `matmul-tile`, and a `none`
      accumulator sums the partial products;
    * reduction along d (strided to `size`): the other dimensions are tiled
      as for element-wise ops; the for-loop walks d, each iteration reduces
      its chunk (`block.reduction`, or `block.reduction_to_dimx` with dimx =
      size), and a `none` accumulator sums the chunks;
    * reduce_max along d: the other dimensions are tiled as for element-wise
      ops; the for-loop walks d one slice at a time and a `max` accumulator
      keeps the maximum;
    * reduce_mean along the last dimension: the for-loop walks it in chunks
      of at most 256 and a `mean` accumulator averages the chunks' elements.

    An op that no default schedule covers (a matmul with more than one batch
    dimension, rms_norm over several dimensions or with a weight on an input
    of rank > 1, reduce_mean along a dimension other than the last) is
    reported as an error naming the op and the reason.

    Example:

    ```
    mirage-opt --mirage-default-schedules examples/gated_mlp.mlir
    ```
  }];
  let options = [
    Option<"tileElements", "tile-elements", "int64_t", /*default=*/"4096",
           "Target number of elements of an output tile of element-wise, "
           "reduction, rms_norm and concat kernels">,
    Option<"matmulTile", "matmul-tile", "int64_t", /*default=*/"64",
           "Largest tile extent of a matmul kernel along m, n and k">,
  ];
  let dependentDialects = ["::mirage::kernel::KernelDialect",
                           "::mirage::block::BlockDialect"];
}

def Import : Pass<"mirage-import", "::mlir::func::FuncOp"> {
  let summary = "Convert upstream tensor ops into the kernel dialect";
  let description = [{
    Rewrites the upstream ops of a function (linalg, tosa, arith and math on
    tensors) into kernel-dialect ops where the kernel dialect has an op with
    the same semantics, one pattern per mapping, so that
    `--mirage-outline` and `--mirage-superoptimize` can work on them. Every
    tensor an op reads or writes must be a ranked tensor with a static shape
    of rank 1 to 4 and `f16`, `bf16` or `f32` elements, the tensors of the
    kernel dialect.

    `linalg.generic` is recognized from its body, its indexing maps and its
    iterator types, not from names: an all-parallel generic with identity
    maps (or maps that broadcast an extent-1 dimension with the constant 0)
    whose body is a computation on its inputs built from `arith` and `math`
    ops is rewritten into the kernel ops of that computation, including
    `x * x` (square), `maximumf(x, 0)` (relu), `x * c` for a constant c
    (mul_scalar), `x / (1 + exp(-x))` (silu) and
    `0.5 * x * (1 + erf(x / sqrt(2)))` (gelu).

    An op that does not map stays where it is, and a remark on it says why:
    no kernel op for it yet, a dynamic shape, an element type or rank the
    kernel dialect does not have, or a form the importer does not
    recognize. Inits that become unused (`tensor.empty`, `linalg.fill`,
    constants) are erased. docs/Import.md lists every mapping.

    Example:

    ```
    mirage-opt --mirage-import --mirage-outline model.mlir
    ```
  }];
  let dependentDialects = ["::mirage::kernel::KernelDialect"];
}

def LowerToStructured : Pass<"mirage-lower-to-structured",
                              "::mlir::func::FuncOp"> {
  let summary = "Lower graph-defined kernels to target-neutral loops";
  let description = [{
    Rewrites a function whose body is made of `kernel.graph_defined` ops
    (run `--mirage-default-schedules` first) into the structured level of
    docs/Lowering.md: a function on memrefs in destination-passing style
    (inputs, then one memref per result, then a workspace `memref<Wxi8>` that
    holds the intermediate tensors at 256-byte aligned offsets), with, per
    kernel:

    * one `structured.kernel` with the kernel's name, grid, thread-block
      shape and for-loop range (docs/Dialects/StructuredDialect.md);
    * workgroup buffers (`memref.alloca` in
      `#gpu.address_space<workgroup>`) for the tiles that are read by index
      patterns other than their own (matmul operands, results of matmuls,
      reductions, rms_norm, concat, running_max and accumulators, values
      read more than once), and per-thread buffers
      (`#gpu.address_space<private>`, leading dimension the thread count)
      for accumulator and running-max state;
    * the μGraph for-loop as a `structured.for_loop`;
    * barrier phases (`structured.phase`), each thread taking elements t,
      t + T, ... of the tile it computes;
    * cooperative ops: `linalg.copy` of a global tile into a workgroup
      buffer for loaders that feed a matmul, and `linalg.matmul` /
      `linalg.batch_matmul` accumulating in f32;
    * savers whose rows are made of 16-byte chunks store whole chunks
      (`vector.store` with 16-byte alignment), others one element at a time.

    Element-wise chains that feed a single element-wise op, accumulator or
    saver are evaluated where they are read (the thread level, fused into
    their consumer) and never stored. Values are computed in f32 and stored
    in their μGraph element type, as the interpreter rounds them.

    A function without kernel ops and tensor types is left alone. So are,
    with a remark, the functions of a mixed module that are not kernel
    level (an op other than kernel ops and the `return`) and those
    `--mirage-outline` made (`mirage.outlined`): the rest of the program
    calls them with tensors, which the lowered function would not take
    (docs/Import.md, "Mixed modules"). A kernel op
    without a block graph, a block matmul of rank 4, a result that is an
    input or the same tensor as another result are reported as errors.

    Sizes are computed with overflow-checked arithmetic before any memref
    type is formed: a function whose inputs, outputs and workspace together,
    or any one tile, need more than `memory-limit` bytes (by default 2^47,
    128 TiB, the virtual address space of x86-64 processes and of CUDA
    devices) is an error (`too large to lower: needs N bytes, limit M`) and
    is left unchanged.

    Example:

    ```
    mirage-opt --mirage-default-schedules --mirage-lower-to-structured \
        examples/rmsnorm_matmul.mlir
    ```
  }];
  let options = [
    Option<"memoryLimit", "memory-limit", "int64_t",
           /*default=*/"int64_t(1) << 47",
           "Bytes the tensors of a function (inputs, outputs, workspace) and "
           "any one tile may need">,
  ];
  let dependentDialects = ["::mirage::structured::StructuredDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::gpu::GPUDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::vector::VectorDialect"];
}

def LowerCalls : Pass<"mirage-lower-calls", "::mlir::ModuleOp"> {
  let summary = "Lower outlined functions together with the calls to them";
  let description = [{
    The way back out of the kernel dialect for a mixed module on the CPU
    path (docs/Import.md, "Running a mixed module"). Every kernel-level
    function on tensors (those `--mirage-outline` made, `mirage.outlined`,
    and any other) is lowered to the structured level (as
    `--mirage-default-schedules` and `--mirage-lower-to-structured` lower a
    kernel-level function) and, in the same step, every `func.call` to it is
    rewritten into the lowered function's calling convention
    (`structured.abi`): each input tensor becomes a read-only buffer
    (`bufferization.to_buffer`), each output a fresh 64-byte aligned
    `memref.alloc`, and the workspace another, freed after the call
    (`memref.dealloc`; not with `free-workspace=false`); the
    outputs are read back with `bufferization.to_tensor`. The callers stay
    on tensors for upstream's bufferization.

    Kernel-level functions on tensors that nobody calls are lowered too, as
    `--mirage-to-cpu` lowers them, so that no kernel op on tensors is left
    for the bufferization. A function that is not kernel level but holds
    kernel ops (`--mirage-outline` was not run), and a reference to a
    kernel-level function other than `func.call`, are errors.

    The pipeline `mirage-mixed-to-cpu` runs this pass with
    `free-workspace=false`, upstream's `one-shot-bufferize` (function
    boundaries included, identity layouts), the CPU mapping of
    `mirage-to-cpu`, upstream's ownership-based buffer deallocation, which
    frees every buffer the callers allocate (outputs, workspaces, the
    callers' own tensors) after its last use, and the rest of
    `mirage-to-cpu`, which lowers the regions and the callers to the LLVM
    dialect in one module. Upstream's deallocation refuses a module that
    already frees some buffers, hence the option.
  }];
  let options = [
    Option<"freeWorkspace", "free-workspace", "bool", /*default=*/"true",
           "Free each call's workspace after the call (memref.dealloc); "
           "off when upstream's buffer deallocation frees every buffer "
           "afterwards, as in mirage-mixed-to-cpu">
  ];
  let dependentDialects = ["::mirage::kernel::KernelDialect",
                           "::mirage::block::BlockDialect",
                           "::mirage::structured::StructuredDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::bufferization::BufferizationDialect",
                           "::mlir::gpu::GPUDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::vector::VectorDialect"];
}

def LowerCallsToGPU : Pass<"mirage-lower-calls-to-gpu", "::mlir::ModuleOp"> {
  let summary = "Launch outlined functions on the GPU from their callers";
  let description = [{
    The way back out of the kernel dialect for a mixed module on the GPU
    path (docs/Import.md, "Running a mixed module on a GPU"). Every
    kernel-level function on tensors that the rest of the program calls
    (`--mirage-outline` makes them) is lowered as `--mirage-to-ptx` lowers
    it (default schedules, the structured level, `--mirage-map-to-gpu` with
    the chip's shared memory, tensor cores and cp.async), and its lowered
    body, one `gpu.launch` per kernel with the kernel's grid, block and
    dynamic shared memory, is inlined at each `func.call`, between copies:
    each input tensor is read as a buffer (`bufferization.to_buffer`),
    copied to a `gpu.alloc` on the device (`gpu.memcpy`); each output and
    the workspace get a `gpu.alloc`; after the kernels each output is
    copied back into a fresh 64-byte aligned `memref.alloc` and read as a
    tensor (`bufferization.to_tensor`), and every device buffer is freed
    (`gpu.dealloc`). The function itself is erased. Upstream's
    `gpu-kernel-outlining` then turns the launches into `gpu.launch_func`
    on one `gpu.module` per function (`@NAME_kernels`).

    A function the GPU mapping refuses, such as one whose kernels need more
    shared memory than the chip has, stays as it is with a remark that
    says why: the `mirage-mixed-to-gpu` pipeline then lowers it, with its
    calls, for the host (`--mirage-lower-calls`). Kernel-level functions
    nobody calls are left for `--mirage-lower-calls` too. A reference to a
    called kernel-level function other than `func.call` is an error, as is
    a kernel op in a function that is not kernel level, an unknown chip and
    a `shared-memory-bytes` above the chip's maximum.
  }];
  let options = [
    Option<"chip", "chip", "std::string", /*default=*/"\"sm_90\"",
           "The GPU to compile for (sm_75 and newer, e.g. sm_80, sm_90a)">,
    Option<"sharedMemoryBytes", "shared-memory-bytes", "int64_t",
           /*default=*/"0",
           "Dynamic shared memory one block may use; 0 takes the chip's "
           "maximum">,
    Option<"tensorCores", "tensor-cores", "bool", /*default=*/"true",
           "Use mma.sync for f16/bf16 matmuls (from sm_80)">,
    Option<"vectorize", "vectorize", "bool", /*default=*/"true",
           "Copy tiles with 16-byte vector loads and stores where aligned">,
    Option<"asyncCopy", "async-copy", "bool", /*default=*/"true",
           "Double-buffer the copies of the for-loop with cp.async (from "
           "sm_80)">,
  ];
  let dependentDialects = ["::mirage::kernel::KernelDialect",
                           "::mirage::block::BlockDialect",
                           "::mirage::structured::StructuredDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::bufferization::BufferizationDialect",
                           "::mlir::gpu::GPUDialect",
                           "::mlir::LLVM::LLVMDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::NVVM::NVVMDialect",
                           "::mlir::nvgpu::NVGPUDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::vector::VectorDialect"];
}

def MapToCPU : Pass<"mirage-map-to-cpu", "::mlir::func::FuncOp"> {
  let summary = "Map the structured level to sequential CPU code";
  let description = [{
    Maps every function at the structured level (docs/Lowering.md; the
    functions with `structured.abi`) to sequential code for one CPU
    thread:

    * each `structured.kernel` becomes a nest of `scf.for` loops over its
      grid (z outermost, x innermost), its `structured.for_loop` an
      `scf.for` over the for-loop range, and each `structured.phase` an
      `scf.for` over the threads: all threads finish a phase before any
      starts the next, so running them in order is a valid schedule, and no
      barrier is needed;
    * the workgroup and private buffers of every kernel move to the function
      entry: the blocks run one at a time, so one copy serves them all, and
      an `alloca` inside the block loop would grow the stack with every
      block. Their memory spaces (`#gpu.address_space<...>`) are dropped
      from every type: on the CPU they are ordinary stack memory;
    * the function's other `mirage.*` annotations are dropped. It keeps
      `structured.abi`: it is its calling convention (inputs, outputs,
      workspace size), which callers such as `mirage-cpu-runner` read.

    Cooperative ops (`linalg.copy`, `linalg.matmul`, `linalg.batch_matmul`)
    stay as they are; `--mirage-to-cpu` lowers them to loops.

    The verifiers of the structured ops check the structure (nesting,
    buffers and their memory spaces, private accesses). Before rewriting
    anything the pass checks what this mapping relies on beyond them and
    reports IR that breaks it: the signature (inputs, outputs, then
    `memref<Wxi8>`), what may appear at function level, at block level
    (index arithmetic, subviews, loops, phases and cooperative ops) and
    inside a phase (arith, math, scf.for, scf.if, memref.load, memref.store,
    vector.from_elements, vector.store), workgroup buffers (accessed only by
    loads, stores, subviews and the cooperative ops) and the operands of the
    cooperative ops. The hoisted buffers must fit in `max-stack-bytes`.

    Functions without `structured.abi` are left alone, unless they hold a
    kernel, which is an error.

    Example:

    ```
    mirage-opt --mirage-default-schedules --mirage-lower-to-structured \
        --mirage-map-to-cpu examples/rmsnorm_matmul.mlir
    ```
  }];
  let options = [
    Option<"maxStackBytes", "max-stack-bytes", "int64_t",
           /*default=*/"4194304",
           "Largest total size of the buffers hoisted to the stack of one "
           "function (half of the usual 8 MiB main-thread stack)">,
  ];
  let dependentDialects = ["::mlir::scf::SCFDialect"];
}

def EmitCInterface : Pass<"mirage-emit-c-interface", "::mlir::ModuleOp"> {
  let summary = "Give every function with a body a C interface";
  let description = [{
    Sets `llvm.emit_c_interface` on every function with a body, so that
    `convert-func-to-llvm` adds a wrapper `_mlir_ciface_NAME` that takes one
    pointer to a memref descriptor per argument: the calling convention
    `mirage-cpu-runner` (and any C caller) uses. A step of the
    `mirage-to-cpu` pipeline, after the structured lowering has rewritten
    the signatures (docs/Lowering.md, "Pipelines").
  }];
}

def MapToGPU : Pass<"mirage-map-to-gpu", "::mlir::func::FuncOp"> {
  let summary = "Map the structured level to the gpu dialect";
  let description = [{
    Maps every kernel of a function at the structured level (docs/Lowering.md)
    to one `gpu.launch`:

    * each `structured.kernel` becomes a `gpu.launch` with its grid and
      block shape; the block ids replace the region's arguments, the
      `structured.for_loop` becomes an `scf.for`, and the launch names its
      kernel
      (`function(@NAME)`, the kernel's name) and module
      (`module(@FUNC_kernels)`), so that outlining puts all the kernels of a
      function into one `gpu.module`;
    * workgroup buffers become `memref.view`s into `gpu.dynamic_shared_memory`
      at planned offsets (16-byte aligned). Buffers whose live ranges do not
      overlap share bytes: a buffer is live from the first to the last
      block-level op (phase, cooperative op, loop) that uses it, and a buffer
      used inside the for-loop is live for the whole loop. The leading
      dimension of a tile is padded by 16 bytes when its rows would start at
      the same bank offset, so that column accesses and `ldmatrix` rows do not
      conflict;
    * private buffers `[T, n]` become a per-thread `memref.alloca` `[n]`: the
      first index of every access must be the thread id of its phase;
    * each `structured.phase` is inlined with `gpu.thread_id x` as the
      thread id and
      followed by `gpu.barrier` (left out when the phase touches neither
      workgroup memory nor writes global memory, and at the end of a kernel);
    * a cooperative `linalg.copy` is distributed over the threads, with
      16-byte `vector.load`/`vector.store` when the innermost dimension is
      contiguous and 16-byte aligned on both sides, scalar otherwise; with
      `async-copy`, the copies at the top of the for-loop whose destination is
      only read after them in the loop are double-buffered: the copies of
      iteration i + 1 are issued with `nvgpu.device_async_copy` (cp.async)
      while iteration i computes;
    * a cooperative `linalg.matmul` / `linalg.batch_matmul` with f16 or bf16
      operands, an f32 accumulator, all in workgroup buffers, and k a
      multiple of 16 runs on tensor cores (`nvgpu.ldmatrix` and
      `nvgpu.mma.sync` m16n8k16, or `nvvm.mma.sync` for bf16, which
      nvgpu cannot lower; one to four 16x8 tiles of C per warp at a time, m
      and n padded to 16 and 8 in the buffers); any other matmul runs as a
      SIMT loop, thread t computing the elements t, t + T, ... of C.

    What this mapping needs beyond the verifiers of the structured ops is
    checked before anything is rewritten (a launch shape CUDA accepts,
    blocks [T, 1, 1], f16, bf16 or f32 element types, the ops at block level
    and in phases, how workgroup buffers are used), and IR that breaks it is
    reported with the op that breaks it. A kernel whose
    buffers need more than `shared-memory-bytes` bytes is reported with the
    bytes it needs.

    Example:

    ```
    mirage-opt --mirage-default-schedules --mirage-lower-to-structured \
        --mirage-map-to-gpu examples/rmsnorm_matmul.mlir
    ```
  }];
  let options = [
    Option<"sharedMemoryBytes", "shared-memory-bytes", "int64_t",
           /*default=*/"232448",
           "Dynamic shared memory available to one block (default: the "
           "227 KiB of an H100)">,
    Option<"tensorCores", "tensor-cores", "bool", /*default=*/"true",
           "Use mma.sync m16n8k16 for f16/bf16 matmuls (sm_80 and newer)">,
    Option<"vectorize", "vectorize", "bool", /*default=*/"true",
           "Copy tiles with 16-byte vector loads and stores where aligned">,
    Option<"asyncCopy", "async-copy", "bool", /*default=*/"true",
           "Double-buffer the copies of the for-loop with cp.async (sm_80 "
           "and newer)">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::gpu::GPUDialect",
                           "::mlir::LLVM::LLVMDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::NVVM::NVVMDialect",
                           "::mlir::nvgpu::NVGPUDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::vector::VectorDialect"];
}

def CheckBundleInputs : Pass<"mirage-check-bundle-inputs", "::mlir::ModuleOp"> {
  let summary = "Refuse what the PTX pipeline cannot make a bundle of";
  let description = [{
    The first step of the `mirage-to-ptx` pipeline (docs/Lowering.md,
    "Pipelines"), so that nothing is compiled, and no bundle written, for a
    request that must fail: `chip` must be one that CUDA 13's ptxas knows
    (sm_75 and newer), `output` must name a directory, `opt-level` must be
    0 to 3, and every function the pipeline compiles (one with kernel ops or
    tensor arguments, not yet at the structured level, and not left alone
    by `--mirage-lower-to-structured` in a mixed module) must return a
    tensor:
    a function without outputs leaves nothing a caller can read, and
    `mirage-run` rejects its bundle. The IR is not changed.
  }];
  let options = [
    Option<"chip", "chip", "std::string", /*default=*/"\"sm_90\"",
           "The GPU to compile for (sm_75 and newer, e.g. sm_80, sm_90a)">,
    Option<"output", "output", "std::string", /*default=*/"",
           "The directory the bundles are written to (required)">,
    Option<"optLevel", "opt-level", "int", /*default=*/"3",
           "LLVM optimization level of the device code">,
  ];
}

def ExternalizeDynamicSharedMemory
    : Pass<"mirage-externalize-dynamic-shared-memory", "::mlir::ModuleOp"> {
  let summary = "Declare the dynamic shared memory as CUDA does";
  let description = [{
    `convert-gpu-to-nvvm` gives `gpu.dynamic_shared_memory` an internal
    zero-length global, which the NVPTX back end turns into a one-byte
    `.shared` variable of the kernel: every access past its first byte is
    out of the object's bounds, which LLVM's optimizer may exploit. This
    pass makes those globals (`__dynamic_shmem__*`, address space 3)
    external: `.extern .shared .align 16 .b8 smem[]`, what CUDA's
    `extern __shared__ char smem[]` produces, the dynamic shared memory
    itself. A step of the `mirage-to-ptx` pipeline, before
    `gpu-module-to-binary`.
  }];
}

#endif // MIRAGE_CONVERSION_PASSES
