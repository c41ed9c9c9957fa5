// When the search finds nothing faster, the remark says why and which
// option would help (docs/Search.md, "When nothing is found").
//
// RUN: mirage-opt %s -split-input-file -verify-diagnostics \
// RUN:   --mirage-superoptimize='time-budget=30 cache=false' -o /dev/null

// Five inputs fill max-kernel-ops, which counts the inputs: the search has
// no room for a single op.
// expected-remark @below {{no equivalent candidate found, function unchanged: the program's 5 inputs fill max-kernel-ops=5, which counts them (raise max-kernel-ops to at least 6)}}
func.func @five(%a: tensor<16x64xf16>, %b: tensor<64x64xf16>,
                %c: tensor<64x16xf16>, %d: tensor<16x64xf16>,
                %e: tensor<16x64xf16>) -> tensor<16x64xf16> {
  %ab = kernel.matmul %a, %b : tensor<16x64xf16>, tensor<64x64xf16>
  %ac = kernel.matmul %a, %c : tensor<16x64xf16>, tensor<64x16xf16>
  %acd = kernel.matmul %ac, %d : tensor<16x16xf16>, tensor<16x64xf16>
  %s = kernel.add %ab, %acd : tensor<16x64xf16>, tensor<16x64xf16>
  %y = kernel.add %s, %e : tensor<16x64xf16>, tensor<16x64xf16>
  return %y : tensor<16x64xf16>
}

// -----

// An op the enumeration never generates (Vocabulary.td: neither
// searchKernel nor searchBlock).
// expected-remark @below {{the program uses erf, which the search does not generate (op not supported by the search; no option adds it)}}
func.func @erf(%x: tensor<16x64xf16>) -> tensor<16x64xf16> {
  %y = kernel.erf %x : tensor<16x64xf16>
  return %y : tensor<16x64xf16>
}

// -----

// One kernel already: every complete candidate is predicted no faster.
// expected-remark @below {{complete candidates were all predicted no faster than the input}}
func.func @one_exp(%x: tensor<64x64xf16>) -> tensor<64x64xf16> {
  %y = kernel.exp %x : tensor<64x64xf16>
  return %y : tensor<64x64xf16>
}
