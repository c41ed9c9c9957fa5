// The search's memory budget at MoE's real shape (examples/moe.mlir;
// docs/Search.md, "Memory"). Its two 8x4096x4096 f16 weights would be 2 GiB
// as fingerprints (two floats an element); inputs above 256 MiB are not
// held but drawn where they are read (docs/Semantics.md, "Inputs drawn
// where they are read"), so the search needs 80 MiB on one thread (it
// needed 2214592512 bytes before), far below its default limit of
// 1037395200 bytes (500 MB plus the inputs at their own dtype). The figure
// is read from the remark under a limit it exceeds, without a search.

// RUN: mirage-opt %s --mirage-superoptimize='cache=false threads=1 memory-limit=1000' \
// RUN:   -o /dev/null 2>&1 | FileCheck %s --check-prefix=ONE
// ONE: remark: mirage-superoptimize: function left unchanged: too large to search: needs 83886080 bytes (80 MiB), limit 1000 bytes (option memory-limit)

// Two threads need a second evaluation's scratch and memo (68 MiB): 148
// MiB. Under a limit between the two figures, the search would run on one
// thread; under 80 MiB, not at all.
// RUN: mirage-opt %s --mirage-superoptimize='cache=false threads=2 memory-limit=83886079' \
// RUN:   -o /dev/null 2>&1 | FileCheck %s --check-prefix=ONE-OF-TWO
// ONE-OF-TWO: too large to search: needs 83886080 bytes (80 MiB), limit 83886079 bytes

// --mirage-check-equivalence draws them the same way, and its memory check
// counts what it holds: 38 MiB to fingerprint MoE (not 2 GiB), read from
// the error under a limit it exceeds.
// RUN: not mirage-opt %s --mirage-check-equivalence='lhs=moe rhs=moe memory-limit=1000' \
// RUN:   -o /dev/null 2>&1 | FileCheck %s --check-prefix=EQUIV
// EQUIV: error: cannot compare 'moe' and 'moe': 'moe' is too large to fingerprint: needs 39845888 bytes (38 MiB), limit 1000 bytes (option memory-limit)

func.func @moe(%x: tensor<8x8x4096xf16>, %a: tensor<8x4096x4096xf16>,
               %b: tensor<8x4096x4096xf16>) -> tensor<8x8x4096xf16>
    attributes {mirage.input_scale = 0.125 : f64} {
  %xa = kernel.matmul %x, %a : tensor<8x8x4096xf16>, tensor<8x4096x4096xf16>
  %e = kernel.exp %xa : tensor<8x8x4096xf16>
  %y = kernel.matmul %e, %b : tensor<8x8x4096xf16>, tensor<8x4096x4096xf16>
  return %y : tensor<8x8x4096xf16>
}
