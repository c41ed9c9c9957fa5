// The persistent search cache: the second run reads the result and checks it
// by fingerprints; a corrupt entry, or a well-formed entry holding a μGraph
// of another function, is ignored and the search runs again.
//
// RUN: rm -rf %t.cache && mkdir -p %t.cache
// RUN: mirage-opt %s -split-input-file --mirage-superoptimize='threads=2 max-kernel-ops=3 max-block-ops=7 cache-dir=%t.cache' \
// RUN:   -o %t.first 2>&1 | FileCheck %s --check-prefix=SEARCH
// RUN: mirage-opt %s -split-input-file --mirage-superoptimize='threads=2 max-kernel-ops=3 max-block-ops=7 cache-dir=%t.cache' \
// RUN:   -o %t.second 2>&1 | FileCheck %s --check-prefix=HIT
// RUN: diff %t.first %t.second
// Other options, other entries.
// RUN: mirage-opt %s -split-input-file --mirage-superoptimize='threads=2 max-kernel-ops=3 max-block-ops=6 cache-dir=%t.cache' \
// RUN:   -o /dev/null 2>&1 | FileCheck %s --check-prefix=SEARCH
// RUN: rm -rf %t.cache && mkdir -p %t.cache
// RUN: mirage-opt %s -split-input-file --mirage-superoptimize='threads=2 max-kernel-ops=3 max-block-ops=7 cache-dir=%t.cache' -o /dev/null 2>/dev/null
// RUN: %mirage_python %S/Inputs/cache-tamper.py flip %t.cache
// RUN: mirage-opt %s -split-input-file --mirage-superoptimize='threads=2 max-kernel-ops=3 max-block-ops=7 cache-dir=%t.cache' \
// RUN:   -o %t.third 2>&1 | FileCheck %s --check-prefix=CORRUPT
// RUN: diff %t.first %t.third
// RUN: %mirage_python %S/Inputs/cache-tamper.py swap %t.cache
// RUN: mirage-opt %s -split-input-file --mirage-superoptimize='threads=2 max-kernel-ops=3 max-block-ops=7 cache-dir=%t.cache' \
// RUN:   -o %t.fourth 2>&1 | FileCheck %s --check-prefix=SWAPPED
// RUN: diff %t.first %t.fourth
// cache=false neither reads nor writes.
// RUN: rm -rf %t.cache && mkdir -p %t.cache
// RUN: mirage-opt %s -split-input-file --mirage-superoptimize='threads=2 max-kernel-ops=3 max-block-ops=7 cache=false cache-dir=%t.cache' -o /dev/null 2>/dev/null
// RUN: not ls %t.cache/*.entry

// SEARCH-COUNT-2: remark: mirage-superoptimize: {{[0-9]+}} states visited
// HIT-COUNT-2: remark: mirage-superoptimize: search cache hit: result re-verified by fingerprints and reused
// CORRUPT-COUNT-2: remark: mirage-superoptimize: ignoring a corrupt search cache entry; searching again
// SWAPPED-COUNT-2: remark: mirage-superoptimize: ignoring a search cache entry (it is not equivalent to the function); searching again

// Two functions of one name and signature that compute different things.
func.func @f(%x: tensor<2x256xf16>, %w: tensor<256x384xf16>)
    -> tensor<2x384xf16> {
  %n = kernel.rms_norm %x over [256] : tensor<2x256xf16>
  %y = kernel.matmul %n, %w : tensor<2x256xf16>, tensor<256x384xf16>
  return %y : tensor<2x384xf16>
}

// -----

func.func @f(%x: tensor<2x256xf16>, %w: tensor<256x384xf16>)
    -> tensor<2x384xf16> {
  %e = kernel.exp %x : tensor<2x256xf16>
  %y = kernel.matmul %e, %w : tensor<2x256xf16>, tensor<256x384xf16>
  return %y : tensor<2x384xf16>
}
