// --mirage-to-ptx runs in the stock mlir-opt with the plugin (which registers
// the LLVM IR translations gpu-module-to-binary needs).
// RUN: rm -rf %t
// RUN: %upstream_mlir_opt --load-dialect-plugin=%mirage_plugin --load-pass-plugin=%mirage_plugin \
// RUN:   --pass-pipeline='builtin.module(mirage-to-ptx{chip=sm_80 output=%t})' %s -o /dev/null
// RUN: %mirage_python %S/Inputs/check_bundle.py %t/exp.json | FileCheck %s

// CHECK: function exp chip sm_80 ptx exp.ptx workspace 0
// CHECK: kernel exp_kernel0
func.func @exp(%x: tensor<16x64xf16>) -> tensor<16x64xf16> {
  %y = kernel.exp %x : tensor<16x64xf16>
  return %y : tensor<16x64xf16>
}
