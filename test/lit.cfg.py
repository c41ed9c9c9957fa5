# -*- Python -*-
import os

import lit.formats
from lit.llvm import llvm_config

config.name = "MIRAGE"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py", "Inputs"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.mirage_obj_root, "test")

# Every path below comes from lit.site.cfg.py, which CMake writes
# (test/CMakeLists.txt): nothing here names a folder of this machine.
config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%mirage_src", config.mirage_src_root))
config.substitutions.append(("%mirage_obj_root", config.mirage_obj_root))
config.substitutions.append(("%mirage_plugin", config.mirage_plugin))
# The stock upstream mlir-opt, for the plugin tests. It is not instrumented:
# in a sanitizer build it loads our plugin only with the ASan runtime
# preloaded (make test-sanitize).
upstream_mlir_opt = config.upstream_mlir_opt
if config.mirage_asan_runtime:
    upstream_mlir_opt = "env LD_PRELOAD=%s %s" % (config.mirage_asan_runtime,
                                                  upstream_mlir_opt)
config.substitutions.append(("%upstream_mlir_opt", upstream_mlir_opt))
config.substitutions.append(("%mlir_tblgen", config.mlir_tblgen))
config.substitutions.append(
    ("%mlir_includes",
     " ".join("-I " + d for d in config.mlir_include_dirs.split(";") if d)))

# The install test (Install/): this build's CMake, generator and compiler.
config.substitutions.append(("%cmake_generator",
                             '"%s"' % config.cmake_generator))
config.substitutions.append(("%cmake_make_program",
                             config.cmake_make_program))
config.substitutions.append(("%cmake", config.cmake_command))
config.substitutions.append(("%cxx_compiler_launcher",
                             config.cxx_compiler_launcher))
config.substitutions.append(("%cxx_compiler", config.cxx_compiler))

# ccache's settings reach the compiler the install test runs.
llvm_config.with_system_environment(["HOME", "INCLUDE", "LIB", "TMP", "TEMP",
                                     "CCACHE_DIR", "CCACHE_BASEDIR",
                                     "CCACHE_CONFIGPATH"])
llvm_config.use_default_substitutions()

# Our tools first, then FileCheck, not, count from LLVM.
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.mirage_tools_dir, append_path=True)
llvm_config.add_tool_substitutions(["mirage-opt", "mirage-cpu-runner",
                                    "mirage-ptx-emu", "mirage-translate"],
                                   [config.mirage_tools_dir])

# Python for test scripts, and a Python with numpy for the tests that
# compare the interpreter with an independent numpy implementation (REQUIRES:
# numpy; CMake found it, MIRAGE_NUMPY_PYTHON chooses it).
config.substitutions.append(("%mirage_python", config.python_executable))
if config.numpy_python:
    config.available_features.add("numpy")
config.substitutions.append(("%numpy_python", config.numpy_python))

# Tests never touch the user's search cache: the default cache directory of
# --mirage-superoptimize lives in the build tree during tests.
config.environment["XDG_CACHE_HOME"] = os.path.join(config.mirage_obj_root,
                                                    "test", "xdg-cache")

# CUDA's PTX assembler, for the tests that assemble the PTX of --mirage-to-ptx
# (REQUIRES: ptxas). No GPU is needed.
if config.ptxas:
    config.available_features.add("ptxas")
config.substitutions.append(("%ptxas", config.ptxas))

# mlir-runner and its runtime libraries, for the tests that run a whole
# mixed module (REQUIRES: mlir-runner).
mlir_runner_libs = [os.path.join(config.llvm_tools_dir, "..", "lib", name)
                    for name in ("libmlir_runner_utils.so",
                                 "libmlir_c_runner_utils.so")]
if os.path.exists(os.path.join(config.llvm_tools_dir, "mlir-runner")) and \
        all(os.path.exists(lib) for lib in mlir_runner_libs):
    config.available_features.add("mlir-runner")
config.substitutions.append(("%mlir_runner_libs", ",".join(mlir_runner_libs)))

# The mgpu* runtime wrappers on the PTX emulator (tools/mirage-mgpu-emu), for
# the tests that run a module of mirage-mixed-to-gpu under mlir-runner.
# In a sanitizer build that library is instrumented: the programs that load
# it and are not ours (mlir-runner, the executables of
# bench/gpu/make_mixed.sh) run with the ASan runtime preloaded and without
# reports of their own leaks (%mirage_emu_env; empty otherwise).
config.substitutions.append(("%llvm_tools_dir", config.llvm_tools_dir))
config.substitutions.append(
    ("%mgpu_emu_lib", os.path.join(config.mirage_obj_root, "lib",
                                   "libmirage_mgpu_emu.so")))
mirage_emu_env = ""
if config.mirage_asan_runtime:
    mirage_emu_env = ("LD_PRELOAD=%s ASAN_OPTIONS=detect_leaks=0:"
                      "abort_on_error=1" % config.mirage_asan_runtime)
config.substitutions.append(("%mlir_runner_emu",
                             "env %s mlir-runner" % mirage_emu_env))
config.substitutions.append(("%mirage_emu_env", mirage_emu_env))
