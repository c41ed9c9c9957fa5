// The interpreter's layout ops on inputs 0, 1, 2, ... (written with numpy),
// every value checked: a transpose, a reshape and a broadcast copy elements
// exactly to their new places.
//
// RUN: rm -rf %t && mkdir -p %t
// RUN: %numpy_python -c "import numpy as np; np.save('%t/x.npy', np.arange(6, dtype=np.float16).reshape(2, 3)); np.save('%t/v.npy', np.arange(3, dtype=np.float32))"
// RUN: mirage-opt --mirage-interpret="entry=transpose inputs=%t/x.npy num-values=6" %s -o /dev/null | FileCheck --check-prefix=T %s
// RUN: mirage-opt --mirage-interpret="entry=reshape inputs=%t/x.npy num-values=6" %s -o /dev/null | FileCheck --check-prefix=R %s
// RUN: mirage-opt --mirage-interpret="entry=broadcast inputs=%t/v.npy num-values=12" %s -o /dev/null | FileCheck --check-prefix=B %s
// RUN: mirage-opt --mirage-interpret="entry=broadcast_inner inputs=%t/v.npy num-values=6" %s -o /dev/null | FileCheck --check-prefix=BI %s
// RUN: mirage-opt --mirage-interpret="entry=chain inputs=%t/x.npy num-values=6" %s -o /dev/null | FileCheck --check-prefix=C %s
// The compact μGraph's listing of the layout ops and their attributes, at
// the kernel level and (after the default schedules) in block graphs.
// RUN: mirage-opt --mirage-print-ugraph %s -o /dev/null | FileCheck --check-prefix=UG %s
// RUN: mirage-opt --mirage-default-schedules %s | mirage-opt --mirage-print-ugraph -o /dev/null | FileCheck --check-prefix=UGB %s
// UG: kernel_graph @transpose inputs(%0: 2x3xf16)
// UG-NEXT: %1 = transpose(%0) permutation [1, 0] : 3x2xf16
// UG: %1 = reshape(%0) : 3x1x2xf16
// UG: %1 = broadcast(%0) dimensions [0] : 4x3xf32
// UGB: kernel_graph @transpose
// UGB: %2 = transpose(%1) permutation [1, 0] : 3x2xf16 pre
// UGB: %2 = reshape(%1) : 3x1x2xf16 pre
// UGB: %2 = broadcast(%1) dimensions [0] : {{[0-9]+}}x3xf32 pre

// [[0 1 2] [3 4 5]] transposed is [[0 3] [1 4] [2 5]].
// T: output 0: tensor<3x2xf16> min 0 max 5 mean 2.5
// T-NEXT: values: 0 3 1 4 2 5{{$}}
func.func @transpose(%x: tensor<2x3xf16>) -> tensor<3x2xf16> {
  %y = kernel.transpose %x permutation [1, 0] : tensor<2x3xf16>
  return %y : tensor<3x2xf16>
}

// R: output 0: tensor<3x1x2xf16>
// R-NEXT: values: 0 1 2 3 4 5{{$}}
func.func @reshape(%x: tensor<2x3xf16>) -> tensor<3x1x2xf16> {
  %y = kernel.reshape %x : tensor<2x3xf16> -> tensor<3x1x2xf16>
  return %y : tensor<3x1x2xf16>
}

// B: output 0: tensor<4x3xf32>
// B-NEXT: values: 0 1 2 0 1 2 0 1 2 0 1 2{{$}}
func.func @broadcast(%v: tensor<3xf32>) -> tensor<4x3xf32> {
  %y = kernel.broadcast %v dimensions [0] : tensor<3xf32> -> tensor<4x3xf32>
  return %y : tensor<4x3xf32>
}

// BI: output 0: tensor<3x2xf32>
// BI-NEXT: values: 0 0 1 1 2 2{{$}}
func.func @broadcast_inner(%v: tensor<3xf32>) -> tensor<3x2xf32> {
  %y = kernel.broadcast %v dimensions [1] : tensor<3xf32> -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// A reshape of a transpose: [[0 3] [1 4] [2 5]] read in row-major order.
// C: output 0: tensor<6xf16>
// C-NEXT: values: 0 3 1 4 2 5{{$}}
func.func @chain(%x: tensor<2x3xf16>) -> tensor<6xf16> {
  %t = kernel.transpose %x permutation [1, 0] : tensor<2x3xf16>
  %y = kernel.reshape %t : tensor<3x2xf16> -> tensor<6xf16>
  return %y : tensor<6xf16>
}
