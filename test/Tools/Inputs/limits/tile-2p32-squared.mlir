// A 2^32 x 2^32 tile: its byte count wrapped, --mirage-check-limits accepted
// it and --mirage-lower-to-structured emitted memref<128x-72057594037927935xf32>.
func.func @f(%x: tensor<4294967296x4294967296xf32>) -> tensor<4294967296x4294967296xf32> {
  %y = kernel.graph_defined (%x) grid [1, 1, 1] block [128, 1, 1] forloop 1
      : (tensor<4294967296x4294967296xf32>) -> tensor<4294967296x4294967296xf32> {
  ^bb0(%xd: tensor<4294967296x4294967296xf32>):
    %xt = block.loader %xd imap [-1, -1, -1] fmap -1
        : tensor<4294967296x4294967296xf32> -> !block.tile<4294967296x4294967296xf32, pre>
    %acc = block.accum none %xt
        : !block.tile<4294967296x4294967296xf32, pre> -> !block.tile<4294967296x4294967296xf32, post>
    %s = block.saver %acc omap [-1, -1, -1]
        : !block.tile<4294967296x4294967296xf32, post> -> tensor<4294967296x4294967296xf32>
    block.yield %s : tensor<4294967296x4294967296xf32>
  }
  return %y : tensor<4294967296x4294967296xf32>
}
