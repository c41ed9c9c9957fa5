// --mirage-outline with kernel.constant: a constant is never an input or an
// output of a region; every region that reads one gets its own copy, and
// the caller keeps none (unless something in it still reads it).
//
// RUN: mirage-opt %s -split-input-file --mirage-outline | FileCheck %s

// One constant read by three regions (split by a nested exponential and by
// a tosa.abs that stays in the caller).
// CHECK-LABEL: func.func @shared
// CHECK-NEXT:    %[[A:.*]] = call @shared_mirage_0(%arg0) : (tensor<4x8xf32>) -> tensor<4x8xf32>
// CHECK-NEXT:    %[[B:.*]] = call @shared_mirage_1(%[[A]]) : (tensor<4x8xf32>) -> tensor<4x8xf32>
// CHECK-NEXT:    %[[G:.*]] = tosa.abs %[[B]]
// CHECK-NEXT:    %[[H:.*]] = call @shared_mirage_2(%[[G]]) : (tensor<4x8xf32>) -> tensor<4x8xf32>
// CHECK-NEXT:    return %[[H]]
// CHECK-LABEL: func.func private @shared_mirage_0(%arg0: tensor<4x8xf32>) -> tensor<4x8xf32>
// CHECK-NEXT:    %[[C:.*]] = kernel.constant dense<5.000000e-01> : tensor<1x1xf32>
// CHECK-NEXT:    %[[S:.*]] = kernel.add %arg0, %[[C]]
// CHECK-NEXT:    %[[E:.*]] = kernel.exp %[[S]]
// CHECK-NEXT:    return %[[E]]
// CHECK-LABEL: func.func private @shared_mirage_1(%arg0: tensor<4x8xf32>) -> tensor<4x8xf32>
// CHECK-NEXT:    %[[C:.*]] = kernel.constant dense<5.000000e-01> : tensor<1x1xf32>
// CHECK-NEXT:    %[[E:.*]] = kernel.exp %arg0
// CHECK-NEXT:    kernel.add %[[E]], %[[C]]
// CHECK-LABEL: func.func private @shared_mirage_2(%arg0: tensor<4x8xf32>) -> tensor<4x8xf32>
// CHECK-NEXT:    %[[C:.*]] = kernel.constant dense<5.000000e-01> : tensor<1x1xf32>
// CHECK-NEXT:    kernel.add %arg0, %[[C]]
func.func @shared(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %c = kernel.constant dense<0.5> : tensor<1x1xf32>
  %a = kernel.add %x, %c : tensor<4x8xf32>, tensor<1x1xf32>
  %e = kernel.exp %a : tensor<4x8xf32>
  %f = kernel.exp %e : tensor<4x8xf32>
  %b = kernel.add %f, %c : tensor<4x8xf32>, tensor<1x1xf32>
  %g = tosa.abs %b : (tensor<4x8xf32>) -> tensor<4x8xf32>
  %h = kernel.add %g, %c : tensor<4x8xf32>, tensor<1x1xf32>
  return %h : tensor<4x8xf32>
}

// -----

// A constant counts towards no limit: with max-inputs=1 the region of
// x + c1 + c2 is one region of one input.
// RUN: mirage-opt %s -split-input-file --mirage-outline='max-inputs=1' | FileCheck %s --check-prefix=LIMIT
// LIMIT-LABEL: func.func @limits
// LIMIT-NEXT:    call @limits_mirage_0(%arg0)
// LIMIT-NEXT:    tosa.abs
// LIMIT-LABEL: func.func private @limits_mirage_0(%arg0: tensor<4x8xf32>)
// LIMIT-NEXT:    kernel.constant dense<1.000000e+00>
// LIMIT-NEXT:    kernel.constant dense<2.000000e+00>
func.func @limits(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %c1 = kernel.constant dense<1.0> : tensor<1x1xf32>
  %c2 = kernel.constant dense<2.0> : tensor<1x1xf32>
  %a = kernel.add %x, %c1 : tensor<4x8xf32>, tensor<1x1xf32>
  %b = kernel.mul %a, %c2 : tensor<4x8xf32>, tensor<1x1xf32>
  %g = tosa.abs %b : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %g : tensor<4x8xf32>
}
