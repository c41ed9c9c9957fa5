// --mirage-print-ugraph and --mirage-print-abstract-exprs on a mixed module:
// a function that is not kernel level is skipped with a remark, the others
// are printed, and the run succeeds.
//
// RUN: mirage-opt %s --mirage-print-ugraph -o /dev/null 2>%t.err | FileCheck %s --check-prefix=UGRAPH
// RUN: FileCheck %s --check-prefix=UREMARK < %t.err
// RUN: mirage-opt %s --mirage-print-abstract-exprs -o /dev/null 2>%t.err2 | FileCheck %s --check-prefix=EXPRS
// RUN: FileCheck %s --check-prefix=EREMARK < %t.err2

// UREMARK: remark: mirage-print-ugraph: function left alone: 'func.call' is not a kernel op
// UGRAPH-NOT: kernel_graph @caller
// UGRAPH: kernel_graph @region inputs(%0: 4x8xf32)
// UGRAPH-NEXT: %1 = constant() value 5.000000e-01 : 1x1xf32
// UGRAPH-NEXT: %2 = add(%0, %1) : 4x8xf32
// EREMARK: remark: mirage-print-abstract-exprs: function left alone: 'func.call' is not a kernel op
// EXPRS-NOT: abstract_exprs @caller
// EXPRS: abstract_exprs @region target @region
// EXPRS-NEXT: %0 = v0 : pass
// EXPRS-NEXT: %1 = 0.5 : pass
// EXPRS-NEXT: %2 = v0 + 0.5 : pass
func.func @caller(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %y = call @region(%x) : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %z = tosa.abs %y : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %z : tensor<4x8xf32>
}
func.func private @region(%x: tensor<4x8xf32>) -> tensor<4x8xf32> attributes {mirage.outlined} {
  %c = kernel.constant dense<0.5> : tensor<1x1xf32>
  %a = kernel.add %x, %c : tensor<4x8xf32>, tensor<1x1xf32>
  return %a : tensor<4x8xf32>
}
