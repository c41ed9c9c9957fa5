#!/bin/sh
# The mixed modules of the device check (bench/gpu/device_check.py, step
# "mixed"; docs/Import.md, "Running a mixed module on a GPU"), made on the
# CPU machine: for each model, OUT/NAME.o (the module after import, outline,
# [superoptimize,] mirage-mixed-to-gpu, compiled to an object: the host code
# calling mgpu*, the kernels as PTX in gpu.binary globals, @main renamed
# mirage_mixed_main) and OUT/NAME.expected.txt (what the same module lowered
# by upstream passes alone prints under mlir-runner; for the f16 module, by
# our CPU path, with OUT/NAME.tolerance). Each object is run
# here first on the PTX emulator (libmirage_mgpu_emu) and compared with the
# expected output; mgpu_cuda.c is compiled against CUDA's stub libcuda when
# cuda.h is here. The device links NAME.o with mixed_main.c and mgpu_cuda.c
# (no LLVM needed there).
#
#   bench/gpu/make_mixed.sh OUT [BUILD_DIR]
#
# LLVM_TOOLS_DIR (default /usr/lib/llvm-22/bin), CUDA_PATH (default
# /usr/local/cuda) and CC (default cc) choose the tools; MIRAGE_EMU_ENV
# (VAR=VALUE ...) is the environment of the emulated runs (the tests set
# LD_PRELOAD to the ASan runtime in a sanitizer build).
set -eu
out=${1:?usage: make_mixed.sh OUT [BUILD_DIR]}
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${2:-$root/build}
llvm_bin=${LLVM_TOOLS_DIR:-/usr/lib/llvm-22/bin}
cuda=${CUDA_PATH:-/usr/local/cuda}
cc=${CC:-cc}
opt="$build/bin/mirage-opt"
# A sanitizer build's emulator library needs the sanitizer runtime: the
# emulated runs link it shared, as the LD_PRELOAD of MIRAGE_EMU_ENV loads it.
emu_cc=$cc
emu_flags=""
if nm -D "$build/lib/libmirage_mgpu_emu.so" 2>/dev/null | grep -q ' U __asan_init'; then
  emu_cc="$llvm_bin/clang"
  emu_flags="-fsanitize=address,undefined -shared-libasan"
fi
here="$root/bench/gpu/mixed"
compare="$root/test/Conversion/Inputs/compare-memref-prints.py"
runner_libs="$llvm_bin/../lib/libmlir_runner_utils.so,$llvm_bin/../lib/libmlir_c_runner_utils.so"
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

tosa='builtin.module(func.func(tosa-to-linalg-named, tosa-to-linalg, tosa-to-arith, tosa-to-tensor))'

# NAME SOURCE SEARCH-OPTIONS ("" for no search) REFERENCE (upstream: the
# module lowered by upstream's passes alone, compared within rtol 1e-4;
# ours: by mirage-mixed-to-cpu, for f16 modules, whose upstream lowering
# accumulates in f16, compared within the project's f16 tolerance, rtol 1e-2,
# written to OUT/NAME.tolerance)
make_one() {
  name=$1 src=$2 search=$3 reference=$4
  "$opt" --mirage-import --mirage-outline "$src" -o "$tmp/$name.outlined.mlir" 2>/dev/null
  if [ -n "$search" ]; then
    "$opt" --mirage-superoptimize="$search" "$tmp/$name.outlined.mlir" \
      -o "$tmp/$name.searched.mlir" 2>/dev/null
    mv "$tmp/$name.searched.mlir" "$tmp/$name.outlined.mlir"
  fi
  "$opt" "$tmp/$name.outlined.mlir" --pass-pipeline="$tosa" \
    | "$opt" --mirage-mixed-to-gpu='chip=sm_90a format=isa' -o "$tmp/$name.gpu.mlir"
  "$llvm_bin/mlir-translate" --mlir-to-llvmir "$tmp/$name.gpu.mlir" -o "$tmp/$name.ll"
  "$llvm_bin/clang" -c -O2 -fPIC -Wno-override-module "$tmp/$name.ll" -o "$tmp/$name.o"
  "$llvm_bin/llvm-objcopy" --redefine-sym main=mirage_mixed_main "$tmp/$name.o" "$out/$name.o"

  tolerance=
  if [ "$reference" = ours ]; then
    # Our CPU path: the same f16 semantics (f32 accumulation, one rounding).
    "$opt" "$tmp/$name.outlined.mlir" --pass-pipeline="$tosa" \
      | "$opt" --mirage-mixed-to-cpu -o "$tmp/$name.upstream.mlir"
    tolerance="--rtol 1e-2 --atol 1e-3"
    echo "$tolerance" > "$out/$name.tolerance"
  else
  # The same module by upstream's passes alone, run by mlir-runner.
  "$opt" "$src" --pass-pipeline="$tosa" \
    | "$opt" --convert-elementwise-to-linalg \
      --one-shot-bufferize='bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map' \
      --convert-linalg-to-loops --convert-scf-to-cf --expand-strided-metadata \
      --lower-affine --finalize-memref-to-llvm --convert-math-to-llvm \
      --convert-math-to-libm --convert-arith-to-llvm --convert-index-to-llvm \
      --convert-cf-to-llvm --convert-func-to-llvm --reconcile-unrealized-casts \
      -o "$tmp/$name.upstream.mlir"
  fi
  "$llvm_bin/mlir-runner" "$tmp/$name.upstream.mlir" -e main \
    -entry-point-result=void -shared-libs="$runner_libs" > "$out/$name.expected.txt"

  # The object as the device will link it, with the emulated wrappers.
  # shellcheck disable=SC2086 # the sanitizer flags are several options
  "$emu_cc" -O2 $emu_flags "$here/mixed_main.c" "$out/$name.o" -L"$build/lib" \
    -lmirage_mgpu_emu -Wl,-rpath,"$build/lib" -lm -o "$tmp/$name.emu"
  env ${MIRAGE_EMU_ENV:-} "$tmp/$name.emu" > "$tmp/$name.emu.txt"
  # shellcheck disable=SC2086 # the tolerance is two options
  python3 "$compare" "$out/$name.expected.txt" "$tmp/$name.emu.txt" $tolerance \
    | sed "s/^/$name on the emulator: /"
}

make_one mixed-gpu-run "$root/test/Conversion/mixed-gpu-run.mlir" "" upstream
make_one mixed-gpu-search "$root/test/Conversion/mixed-gpu-search.mlir" \
  "preset=mlp threads=1" upstream
make_one mixed-gpu-f16 "$root/test/Conversion/mixed-gpu-f16.mlir" "" ours

if [ -e "$cuda/include/cuda.h" ]; then
  "$cc" -O2 -I"$cuda/include" "$here/mixed_main.c" "$here/mgpu_cuda.c" \
    "$out/mixed-gpu-run.o" -L"$cuda/lib64/stubs" -lcuda -lm -o "$tmp/linked"
  echo "mgpu_cuda.c compiles and links against $cuda's stub libcuda"
fi
echo "mixed modules in $out"
