// The cost model's figures come from a calibration file measured on the GPU
// (bench/gpu/calibrate.py) when --mirage-superoptimize='calibration=FILE' or
// MIRAGE_GPU_CALIBRATION names one, else they are the assumed ones. The
// reference here is one pre-defined kernel moving 4 KiB, so its predicted
// time is the launch overhead: 2.5 us assumed for the H100.
//
// RUN: mirage-opt %s --mirage-superoptimize='threads=1 cache=false' -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=ASSUMED
// ASSUMED: predicted 2.50 us ->
//
// A file whose launch takes one second:
// RUN: mirage-opt %s --mirage-superoptimize='threads=1 cache=false calibration=%S/Inputs/calibration-slow-launch.json' \
// RUN:   -o /dev/null 2>&1 | FileCheck %s --check-prefix=SLOW
// RUN: env MIRAGE_GPU_CALIBRATION=%S/Inputs/calibration-slow-launch.json \
// RUN:   mirage-opt %s --mirage-superoptimize='threads=1 cache=false' -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=SLOW
// The option wins over the environment.
// RUN: env MIRAGE_GPU_CALIBRATION=%t.missing.json \
// RUN:   mirage-opt %s --mirage-superoptimize='threads=1 cache=false calibration=%S/Inputs/calibration-slow-launch.json' \
// RUN:   -o /dev/null 2>&1 | FileCheck %s --check-prefix=SLOW
// SLOW: predicted 1000000.00 us ->
//
// The file calibrate.py writes (here from its simulated H100, whose launch
// costs 2.0 us) is what the loader reads.
// RUN: %mirage_python %mirage_src/bench/gpu/test_calibrate.py --write %t.cal.json
// RUN: mirage-opt %s --mirage-superoptimize='threads=1 cache=false calibration=%t.cal.json' -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=WRITTEN
// WRITTEN: predicted 2.00 us ->
//
// The search cache keys on the figures: a search under other figures is not
// answered from the cache.
// RUN: rm -rf %t.cache
// RUN: mirage-opt %s --mirage-superoptimize='threads=1 cache-dir=%t.cache' -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=ASSUMED
// RUN: mirage-opt %s --mirage-superoptimize='threads=1 cache-dir=%t.cache calibration=%S/Inputs/calibration-slow-launch.json' \
// RUN:   -o /dev/null 2>&1 | FileCheck %s --check-prefix=SLOW --implicit-check-not='cache hit'
//
// Bad files are errors naming the file, with no output written.
// RUN: not mirage-opt %s --mirage-superoptimize='calibration=%t.missing.json' -o %t.out 2>&1 \
// RUN:   | FileCheck %s --check-prefix=MISSING
// RUN: test ! -e %t.out
// MISSING: error: mirage-superoptimize: {{.*}}missing.json: cannot read the calibration file:
// RUN: not mirage-opt %s --mirage-superoptimize='calibration=%s' -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=MALFORMED
// MALFORMED: error: mirage-superoptimize: {{.*}}superoptimize-calibration.mlir: not valid JSON: [1:
// RUN: not mirage-opt %s --mirage-superoptimize='calibration=%S/Inputs/calibration-typo.json' -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=TYPO
// TYPO: error: mirage-superoptimize: {{.*}}calibration-typo.json: cost_model: unknown key 'launch_us'
// RUN: not mirage-opt %s --mirage-superoptimize='calibration=%S/Inputs/calibration-h200.json' -o /dev/null 2>&1 \
// RUN:   | FileCheck %s --check-prefix=OTHER
// OTHER: error: mirage-superoptimize: {{.*}}calibration-h200.json: measured on NVIDIA H200, which calibrates 'h200', not the cost model's 'h100' (choose it with gpu=)
// RUN: mirage-opt %s --mirage-superoptimize='threads=1 cache=false gpu=h200 calibration=%S/Inputs/calibration-h200.json' \
// RUN:   -o /dev/null 2>&1 | FileCheck %s --check-prefix=H200
// H200: predicted 3.00 us ->

func.func @ew(%a: tensor<16x64xf16>) -> tensor<16x64xf16> {
  %b = kernel.exp %a : tensor<16x64xf16>
  return %b : tensor<16x64xf16>
}
