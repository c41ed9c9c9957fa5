// The two worked μGraphs of examples/ugraphs (docs/Benchmarks.md):
// each verifies, prints back identically in the custom form and through the
// generic form, passes --mirage-check-limits with Mirage's default limits
// (the pass changes nothing), and holds the launch shapes, maps, accumulators
// and types of Mirage's saved μGraph.
//
// RUN: mirage-opt %mirage_src/examples/ugraphs/rmsnorm_matmul.mlir > %t.rms.1
// RUN: mirage-opt %t.rms.1 > %t.rms.2
// RUN: diff %t.rms.1 %t.rms.2
// RUN: mirage-opt %mirage_src/examples/ugraphs/rmsnorm_matmul.mlir --mlir-print-op-generic | mirage-opt > %t.rms.3
// RUN: diff %t.rms.1 %t.rms.3
// RUN: mirage-opt %mirage_src/examples/ugraphs/rmsnorm_matmul.mlir --mirage-check-limits > %t.rms.4
// RUN: diff %t.rms.1 %t.rms.4
// RUN: FileCheck %s --check-prefix=RMS --input-file=%t.rms.1
//
// RUN: mirage-opt %mirage_src/examples/ugraphs/mqa_flash_decoding.mlir > %t.mqa.1
// RUN: mirage-opt %t.mqa.1 > %t.mqa.2
// RUN: diff %t.mqa.1 %t.mqa.2
// RUN: mirage-opt %mirage_src/examples/ugraphs/mqa_flash_decoding.mlir --mlir-print-op-generic | mirage-opt > %t.mqa.3
// RUN: diff %t.mqa.1 %t.mqa.3
// RUN: mirage-opt %mirage_src/examples/ugraphs/mqa_flash_decoding.mlir --mirage-check-limits > %t.mqa.4
// RUN: diff %t.mqa.1 %t.mqa.4
// RUN: FileCheck %s --check-prefix=MQA --input-file=%t.mqa.1

// RMSNorm + MatMul: one kernel, grid (256, 1, 1), 32 iterations. X is
// replicated (imap all -1) and walked along dim 1; W is split by columns
// (x -> 1, 24 per block) and walked along dim 0. rms and none accumulators,
// one division after the loop, and the 2x24 tiles saved side by side along
// dim 1.
// RMS-LABEL: func.func @rmsnorm_matmul
// RMS-SAME:      (%[[X:[a-z0-9_]+]]: tensor<2x4096xf16>, %[[W:[a-z0-9_]+]]: tensor<4096x6144xf16>) -> tensor<2x6144xf16>
// RMS-NEXT:    %[[Y:[a-z0-9_]+]] = kernel.graph_defined (%[[X]], %[[W]]) grid [256, 1, 1] block [128, 1, 1] forloop 32 : (tensor<2x4096xf16>, tensor<4096x6144xf16>) -> tensor<2x6144xf16> {
// RMS-NEXT:    ^bb0(%[[XD:[a-z0-9_]+]]: tensor<2x4096xf16>, %[[WD:[a-z0-9_]+]]: tensor<4096x6144xf16>):
// RMS-NEXT:      %[[XT:[a-z0-9_]+]] = block.loader %[[XD]] imap [-1, -1, -1] fmap 1 : tensor<2x4096xf16> -> !block.tile<2x128xf16, pre>
// RMS-NEXT:      %[[WT:[a-z0-9_]+]] = block.loader %[[WD]] imap [1, -1, -1] fmap 0 : tensor<4096x6144xf16> -> !block.tile<128x24xf16, pre>
// RMS-NEXT:      %[[RMS:[a-z0-9_]+]] = block.accum rms %[[XT]] : !block.tile<2x128xf16, pre> -> !block.tile<2x1xf16, post>
// RMS-NEXT:      %[[MM:[a-z0-9_]+]] = block.matmul %[[XT]], %[[WT]] : !block.tile<2x128xf16, pre>, !block.tile<128x24xf16, pre>
// RMS-NEXT:      %[[ACC:[a-z0-9_]+]] = block.accum none %[[MM]] : !block.tile<2x24xf16, pre> -> !block.tile<2x24xf16, post>
// RMS-NEXT:      %[[OUT:[a-z0-9_]+]] = block.div %[[ACC]], %[[RMS]] : !block.tile<2x24xf16, post>, !block.tile<2x1xf16, post>
// RMS-NEXT:      %[[SAVED:[a-z0-9_]+]] = block.saver %[[OUT]] omap [1, -1, -1] : !block.tile<2x24xf16, post> -> tensor<2x6144xf16>
// RMS-NEXT:      block.yield %[[SAVED]] : tensor<2x6144xf16>
// RMS-NEXT:    }
// RMS-NEXT:    return %[[Y]] : tensor<2x6144xf16>

// MQA flash-decoding. Kernel 1, grid (1, 8, 16), 4 iterations: Q z -> 1
// (64 queries per block), K y -> 2 walked along dim 2, V y -> 1 walked along
// dim 1; the sum accumulator takes the row sums of exp(Q K), the none
// accumulator E V; both partial results saved with omap (-, y -> 2, z -> 1).
// Kernel 2, grid (1, 64, 1), 1 iteration: the 8 partial sums summed, the 8
// numerator splits reduced to dimx = 64 by sum_to_dimx, then divided.
// MQA-LABEL: func.func @mqa_flash_decoding
// MQA-SAME:      (%[[Q:[a-z0-9_]+]]: tensor<1x1024x64xf16>, %[[K:[a-z0-9_]+]]: tensor<1x64x4096xf16>, %[[V:[a-z0-9_]+]]: tensor<1x4096x64xf16>) -> tensor<1x1024x64xf16>
// MQA-NEXT:    %[[K1:[a-z0-9_]+]]:2 = kernel.graph_defined (%[[Q]], %[[K]], %[[V]]) grid [1, 8, 16] block [128, 1, 1] forloop 4 : (tensor<1x1024x64xf16>, tensor<1x64x4096xf16>, tensor<1x4096x64xf16>) -> (tensor<1x1024x8xf16>, tensor<1x1024x512xf16>) {
// MQA-NEXT:    ^bb0(%[[QD:[a-z0-9_]+]]: tensor<1x1024x64xf16>, %[[KD:[a-z0-9_]+]]: tensor<1x64x4096xf16>, %[[VD:[a-z0-9_]+]]: tensor<1x4096x64xf16>):
// MQA-NEXT:      %[[QT:[a-z0-9_]+]] = block.loader %[[QD]] imap [-1, -1, 1] fmap -1 : tensor<1x1024x64xf16> -> !block.tile<1x64x64xf16, pre>
// MQA-NEXT:      %[[KT:[a-z0-9_]+]] = block.loader %[[KD]] imap [-1, 2, -1] fmap 2 : tensor<1x64x4096xf16> -> !block.tile<1x64x128xf16, pre>
// MQA-NEXT:      %[[VT:[a-z0-9_]+]] = block.loader %[[VD]] imap [-1, 1, -1] fmap 1 : tensor<1x4096x64xf16> -> !block.tile<1x128x64xf16, pre>
// MQA-NEXT:      %[[S:[a-z0-9_]+]] = block.matmul %[[QT]], %[[KT]] : !block.tile<1x64x64xf16, pre>, !block.tile<1x64x128xf16, pre>
// MQA-NEXT:      %[[E:[a-z0-9_]+]] = block.exp %[[S]] : !block.tile<1x64x128xf16, pre>
// MQA-NEXT:      %[[ROWSUM:[a-z0-9_]+]] = block.accum sum %[[E]] : !block.tile<1x64x128xf16, pre> -> !block.tile<1x64x1xf16, post>
// MQA-NEXT:      %[[EV:[a-z0-9_]+]] = block.matmul %[[E]], %[[VT]] : !block.tile<1x64x128xf16, pre>, !block.tile<1x128x64xf16, pre>
// MQA-NEXT:      %[[NUM:[a-z0-9_]+]] = block.accum none %[[EV]] : !block.tile<1x64x64xf16, pre> -> !block.tile<1x64x64xf16, post>
// MQA-NEXT:      %[[SUMS:[a-z0-9_]+]] = block.saver %[[ROWSUM]] omap [-1, 2, 1] : !block.tile<1x64x1xf16, post> -> tensor<1x1024x8xf16>
// MQA-NEXT:      %[[NUMS:[a-z0-9_]+]] = block.saver %[[NUM]] omap [-1, 2, 1] : !block.tile<1x64x64xf16, post> -> tensor<1x1024x512xf16>
// MQA-NEXT:      block.yield %[[SUMS]], %[[NUMS]] : tensor<1x1024x8xf16>, tensor<1x1024x512xf16>
// MQA-NEXT:    }
// MQA-NEXT:    %[[K2:[a-z0-9_]+]] = kernel.graph_defined (%[[K1]]#0, %[[K1]]#1) grid [1, 64, 1] block [128, 1, 1] forloop 1 : (tensor<1x1024x8xf16>, tensor<1x1024x512xf16>) -> tensor<1x1024x64xf16> {
// MQA-NEXT:    ^bb0(%[[SD:[a-z0-9_]+]]: tensor<1x1024x8xf16>, %[[ND:[a-z0-9_]+]]: tensor<1x1024x512xf16>):
// MQA-NEXT:      %[[ST:[a-z0-9_]+]] = block.loader %[[SD]] imap [-1, 1, -1] fmap -1 : tensor<1x1024x8xf16> -> !block.tile<1x16x8xf16, pre>
// MQA-NEXT:      %[[NT:[a-z0-9_]+]] = block.loader %[[ND]] imap [-1, 1, -1] fmap -1 : tensor<1x1024x512xf16> -> !block.tile<1x16x512xf16, pre>
// MQA-NEXT:      %[[TOTAL:[a-z0-9_]+]] = block.accum sum %[[ST]] : !block.tile<1x16x8xf16, pre> -> !block.tile<1x16x1xf16, post>
// MQA-NEXT:      %[[COMB:[a-z0-9_]+]] = block.accum sum_to_dimx %[[NT]] : !block.tile<1x16x512xf16, pre> -> !block.tile<1x16x64xf16, post>
// MQA-NEXT:      %[[OT:[a-z0-9_]+]] = block.div %[[COMB]], %[[TOTAL]] : !block.tile<1x16x64xf16, post>, !block.tile<1x16x1xf16, post>
// MQA-NEXT:      %[[OUT:[a-z0-9_]+]] = block.saver %[[OT]] omap [-1, 1, -1] : !block.tile<1x16x64xf16, post> -> tensor<1x1024x64xf16>
// MQA-NEXT:      block.yield %[[OUT]] : tensor<1x1024x64xf16>
// MQA-NEXT:    }
// MQA-NEXT:    return %[[K2]] : tensor<1x1024x64xf16>
