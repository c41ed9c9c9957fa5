// The gated MLP of examples/gated_mlp.mlir as a linalg front end writes it:
// silu(X W1) * (X W3), then a row maximum that ignores NaN (`arith.maxnumf`,
// torch.fmax's reduction), which no kernel op computes (kernel.reduce_max
// propagates NaN; docs/Import.md). `--mirage-import --mirage-outline` turns
// the first part into a kernel-level function @gated_mlp_mirage_0 and calls
// it; the maximum stays in the caller.
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @gated_mlp(%x: tensor<8x256xf16>, %w1: tensor<256x512xf16>,
                     %w3: tensor<256x512xf16>) -> tensor<8xf16> {
  %zero = arith.constant 0.0 : f16
  %empty = tensor.empty() : tensor<8x512xf16>
  %acc = linalg.fill ins(%zero : f16) outs(%empty : tensor<8x512xf16>) -> tensor<8x512xf16>
  %gate = linalg.matmul ins(%x, %w1 : tensor<8x256xf16>, tensor<256x512xf16>)
      outs(%acc : tensor<8x512xf16>) -> tensor<8x512xf16>
  %up = linalg.matmul ins(%x, %w3 : tensor<8x256xf16>, tensor<256x512xf16>)
      outs(%acc : tensor<8x512xf16>) -> tensor<8x512xf16>
  %act = linalg.generic {indexing_maps = [#id, #id, #id],
                         iterator_types = ["parallel", "parallel"]}
      ins(%gate, %up : tensor<8x512xf16>, tensor<8x512xf16>)
      outs(%empty : tensor<8x512xf16>) {
  ^bb0(%g: f16, %u: f16, %o: f16):
    %neg = arith.negf %g : f16
    %exp = math.exp %neg : f16
    %one = arith.constant 1.0 : f16
    %den = arith.addf %one, %exp : f16
    %silu = arith.divf %g, %den : f16
    %y = arith.mulf %silu, %u : f16
    linalg.yield %y : f16
  } -> tensor<8x512xf16>
  %ninf = arith.constant 0xFC00 : f16
  %sempty = tensor.empty() : tensor<8xf16>
  %sinit = linalg.fill ins(%ninf : f16) outs(%sempty : tensor<8xf16>) -> tensor<8xf16>
  %max = linalg.reduce ins(%act : tensor<8x512xf16>) outs(%sinit : tensor<8xf16>)
      dimensions = [1]
    (%a: f16, %b: f16) {
      %s = arith.maxnumf %a, %b : f16
      linalg.yield %s : f16
    }
  return %max : tensor<8xf16>
}
