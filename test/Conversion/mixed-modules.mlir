// Every pass and pipeline on a mixed module (Inputs/mixed-module.mlir): a
// function that is not kernel level, or that --mirage-outline made for the
// calls of the rest of the program, is left alone with a remark; the
// kernel-level functions are processed; the module never fails as a whole.
//
// RUN: mirage-opt %S/Inputs/mixed-module.mlir --mirage-check-limits \
// RUN:   --mirage-default-schedules -o /dev/null
//
// The structured level: @standalone is lowered, the other two stay.
// RUN: mirage-opt %S/Inputs/mixed-module.mlir --mirage-default-schedules \
// RUN:   --mirage-lower-to-structured 2>&1 | FileCheck %s --check-prefix=LOWER
// LOWER-DAG: mixed-module.mlir:4:1: remark: mirage-lower-to-structured: function left alone: 'func.call' is not a kernel op
// LOWER-DAG: mixed-module.mlir:10:1: remark: mirage-lower-to-structured: function left at the kernel level: the rest of the program calls it with tensors (mirage.outlined), which its lowered form would not take (mirage-mixed-to-cpu lowers it with its calls)
// LOWER-DAG: func.func @model(%arg0: tensor<8x64xf32>, %arg1: tensor<64x32xf32>) -> tensor<32x8xf32>
// LOWER-DAG: func.func private @model_mirage_0(%arg0: tensor<8x64xf32>, %arg1: tensor<64x32xf32>) -> tensor<8x32xf32> attributes {mirage.outlined}
// LOWER-DAG: func.func @standalone(%arg0: memref<4x64xf32>, %arg1: memref<4x64xf32>, %arg2: memref<{{[0-9]+}}xi8>) attributes {structured.abi
//
// The CPU pipeline lowers @standalone to the LLVM dialect.
// RUN: mirage-opt %S/Inputs/mixed-module.mlir --mirage-to-cpu 2>&1 \
// RUN:   | FileCheck %s --check-prefix=CPU
// CPU-DAG: remark: mirage-lower-to-structured: function left alone: 'func.call'
// CPU-DAG: remark: mirage-lower-to-structured: function left at the kernel level
// CPU-DAG: llvm.func @standalone(
// CPU-DAG: llvm.func @_mlir_ciface_standalone(
// CPU-DAG: func.func @model(
// CPU-DAG: func.func private @model_mirage_0(
//
// The PTX pipeline writes the bundle of @standalone only.
// RUN: rm -rf %t.bundles
// RUN: mirage-opt %S/Inputs/mixed-module.mlir \
// RUN:   --mirage-to-ptx='chip=sm_90 output=%t.bundles' -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=PTX
// PTX-DAG: remark: mirage-lower-to-structured: function left alone: 'func.call'
// PTX-DAG: remark: mirage-lower-to-structured: function left at the kernel level
// RUN: ls %t.bundles | FileCheck %s --check-prefix=FILES
// FILES: standalone.json
// FILES-NEXT: standalone.ptx
// FILES-NOT: model
//
// The mixed pipeline lowers all three: @standalone and the region by our
// lowering (the region's call rewritten), the caller by upstream's.
// RUN: mirage-opt %S/Inputs/mixed-module.mlir --mirage-mixed-to-cpu 2>&1 \
// RUN:   | FileCheck %s --check-prefix=MIXED
// MIXED-NOT: remark
// MIXED-DAG: llvm.func @model(
// MIXED-DAG: llvm.call @model_mirage_0(
// MIXED-DAG: llvm.func @model_mirage_0(
// MIXED-DAG: llvm.func @standalone(
// MIXED-NOT: func.func
//
// Without @standalone there is nothing to write: a remark, no error.
// RUN: head -n 14 %S/Inputs/mixed-module.mlir > %t.called.mlir
// RUN: rm -rf %t.none
// RUN: mirage-opt %t.called.mlir --mirage-to-ptx='output=%t.none' \
// RUN:   -o /dev/null 2>&1 | FileCheck %s --check-prefix=NONE
// NONE: remark: mirage-write-bundles: no bundle written: every function was left at the kernel level or in upstream dialects
//
// The search leaves the caller alone with a remark and searches the rest.
// RUN: mirage-opt %S/Inputs/mixed-module.mlir \
// RUN:   --mirage-superoptimize='time-budget=2 max-kernel-ops=3 cache=false' \
// RUN:   -o /dev/null 2>&1 | FileCheck %s --check-prefix=SEARCH
// SEARCH: mixed-module.mlir:4:1: remark: mirage-superoptimize: function left unchanged: 'func.call' op is not a kernel-level μGraph op
//
// The interpreter and the equivalence check take the kernel-level
// functions of a mixed module by name.
// RUN: mirage-opt %S/Inputs/mixed-module.mlir \
// RUN:   --mirage-interpret='entry=model_mirage_0' -o /dev/null \
// RUN:   | FileCheck %s --check-prefix=INTERPRET
// INTERPRET: output 0: tensor<8x32xf32>
// RUN: mirage-opt %S/Inputs/mixed-module.mlir \
// RUN:   --mirage-check-equivalence='lhs=model_mirage_0 rhs=model_mirage_0' \
// RUN:   -o /dev/null 2>&1 | FileCheck %s --check-prefix=EQUIV
// EQUIV: equivalent
