// The default schedule of reduce_mean averages the last dimension only.
// RUN: mirage-opt %s --mirage-default-schedules -split-input-file -verify-diagnostics

func.func @mean_leading(%x: tensor<8x64xf16>) -> tensor<1x64xf16> {
  // expected-error @below {{'kernel.reduce_mean' op has no default schedule: a block mean accumulator averages the last dimension only, this op dimension 0 of rank 2}}
  %0 = kernel.reduce_mean %x dim 0 : tensor<8x64xf16>
  return %0 : tensor<1x64xf16>
}
