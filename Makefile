# Mirage-MLIR: the two commands of the README.
#   make run   install what is missing, build, run the main job on the default example
#   make test  install what is missing, build, run every test through ctest
#   make install PREFIX=P  install the build into P (docs/Install.md)
#   make torch  install torch into $(BUILD_DIR)/torch-venv, for the tests of
#               the torch.compile backend (docs/Python.md; CI runs it)
# and those of CI and docs/Fuzzing.md:
#   make test-sanitize      the whole suite under ASan + UBSan (build-asan)
#   make fuzz FUZZ_SECONDS=N  build the libFuzzer targets (build-fuzz), run each N s
#   make fuzz-campaign      FUZZ_RUNS executions per target -> bench/results/fuzz.json
BUILD_DIR  ?= build
BUILD_TYPE ?= Release
LLVM_ROOT  ?= /usr/lib/llvm-22
EXAMPLE    ?= examples/rmsnorm_matmul.mlir
JOBS       ?= $(shell nproc)

# ccache hashes paths relative to the checkout, so clones and worktrees in
# other folders (CI's clean clone included) share one cache.
export CCACHE_BASEDIR := $(CURDIR)

DEPS_STAMP := $(BUILD_DIR)/.deps-installed
NINJA_FILE := $(BUILD_DIR)/build.ninja

.PHONY: all deps torch configure build run test install clean format \
  test-sanitize fuzz fuzz-build fuzz-campaign gpu-bundles

all: build

$(DEPS_STAMP): scripts/install-deps
	scripts/install-deps
	@mkdir -p $(BUILD_DIR) && touch $@

deps: $(DEPS_STAMP)

# torch (a few GB) in a venv of Debian's Python, for the torch.compile
# backend's tests, which skip without it; configuring after it makes ctest
# run the Python tests with the venv's interpreter (python/CMakeLists.txt).
TORCH_VENV  := $(BUILD_DIR)/torch-venv
TORCH_STAMP := $(TORCH_VENV)/.installed

$(TORCH_STAMP): scripts/install-deps | $(DEPS_STAMP)
	scripts/install-deps --torch $(TORCH_VENV)
	@touch $@

torch: $(TORCH_STAMP)

$(NINJA_FILE): $(DEPS_STAMP) $(wildcard $(TORCH_STAMP)) CMakeLists.txt
	cmake -G Ninja -S . -B $(BUILD_DIR) \
	  -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) \
	  -DMLIR_DIR=$(LLVM_ROOT)/lib/cmake/mlir \
	  -DCMAKE_C_COMPILER=$(LLVM_ROOT)/bin/clang \
	  -DCMAKE_CXX_COMPILER=$(LLVM_ROOT)/bin/clang++

configure: $(NINJA_FILE)

build: configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

# The main job: superoptimize the default example. The remark reports the
# search statistics and the predicted speed-up over the input program; the
# μGraph found is printed, and the statistics are also written as JSON. The
# second run of the same search is answered from the persistent cache.
SEARCH_OPTIONS ?= time-budget=300 stats-file=$(BUILD_DIR)/search-stats.json
# Where `make run` writes the optimized program and its PTX bundle, and the
# chip the bundle is for.
RUN_DIR ?= $(BUILD_DIR)/run
CHIP    ?= sm_90

run: build
	@echo "== $(EXAMPLE): the input program"
	@$(BUILD_DIR)/bin/mirage-opt $(EXAMPLE)
	@echo "== superoptimizing (--mirage-superoptimize='$(SEARCH_OPTIONS)')"
	@mkdir -p $(RUN_DIR)
	@$(BUILD_DIR)/bin/mirage-opt $(EXAMPLE) \
	  --mirage-superoptimize='$(SEARCH_OPTIONS)' --mlir-print-op-on-diagnostic=false \
	  -o $(RUN_DIR)/optimized.mlir
	@cat $(RUN_DIR)/optimized.mlir
	@echo "== statistics: $(BUILD_DIR)/search-stats.json"
	@echo "== the μGraph found, lowered to the CPU and compared with the interpreter"
	@$(BUILD_DIR)/bin/mirage-cpu-runner $(RUN_DIR)/optimized.mlir \
	  --entry=$(basename $(notdir $(EXAMPLE)))
	@echo "== the μGraph found, lowered to PTX (bundle: $(RUN_DIR)/bundle)"
	@$(BUILD_DIR)/bin/mirage-opt $(RUN_DIR)/optimized.mlir \
	  --mirage-to-ptx='chip=$(CHIP) output=$(RUN_DIR)/bundle' -o /dev/null
	@if [ -x $(BUILD_DIR)/bin/mirage-run ]; then \
	  $(BUILD_DIR)/bin/mirage-run $(RUN_DIR)/bundle --validate; fi

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

# Installs the build (docs/Install.md) into PREFIX, by default CMake's
# (/usr/local).
PREFIX ?=
install: build
	cmake --install $(BUILD_DIR) $(if $(PREFIX),--prefix $(PREFIX))

# The bundles of the GPU check (README.md, "GPU check"): every example at
# batch sizes 1 and 8 compiled to PTX, each with the interpreter's outputs
# (seed 0) to compare with. The device tool carries the folder to the GPU
# machine, where bench/gpu/device-check.sh runs them. GPU_BUNDLE_OPTIONS
# ='--time-budget 20' compiles the searched μGraphs instead of the default
# schedules.
GPU_BUNDLES        ?= bench/gpu/bundles
GPU_BUNDLE_OPTIONS ?= --no-search

gpu-bundles: build
	rm -rf $(GPU_BUNDLES)
	bench/gpu/make_bundles.py --out $(GPU_BUNDLES) --references \
	  $(GPU_BUNDLE_OPTIONS)
	bench/gpu/make_mixed.sh $(GPU_BUNDLES)/mixed $(BUILD_DIR)

# The whole project and the whole ctest suite under AddressSanitizer and
# UndefinedBehaviorSanitizer (CI runs it after `make test`). Every report is
# fatal and is also written under $(SANITIZE_DIR)/sanitizer-reports, so that
# a report in a tool a test expects to fail (`not mirage-opt ...`) still
# fails the target. Leaks inside LLVM/MLIR's own code are suppressed by
# fuzz/lsan.supp (each entry says why); ours are not. allow_user_poisoning=0:
# LLVM's allocators, inlined into our instrumented code, poison memory that
# the uninstrumented libMLIR.so then uses (fuzz/SanitizerDefaults.cpp).
SANITIZE_DIR ?= build-asan
SANITIZERS   ?= address,undefined
SANITIZER_REPORTS = $(CURDIR)/$(SANITIZE_DIR)/sanitizer-reports
SANITIZER_ENV = \
  ASAN_OPTIONS=abort_on_error=1:detect_leaks=1:allow_user_poisoning=0:log_path=$(SANITIZER_REPORTS)/asan \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:log_path=$(SANITIZER_REPORTS)/ubsan \
  LSAN_OPTIONS=suppressions=$(CURDIR)/fuzz/lsan.supp:print_suppressions=0

test-sanitize: $(DEPS_STAMP)
	cmake -G Ninja -S . -B $(SANITIZE_DIR) \
	  -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) \
	  -DMLIR_DIR=$(LLVM_ROOT)/lib/cmake/mlir \
	  -DCMAKE_C_COMPILER=$(LLVM_ROOT)/bin/clang \
	  -DCMAKE_CXX_COMPILER=$(LLVM_ROOT)/bin/clang++ \
	  -DMIRAGE_SANITIZERS=$(SANITIZERS)
	cmake --build $(SANITIZE_DIR) -j $(JOBS)
	rm -rf $(SANITIZER_REPORTS) && mkdir -p $(SANITIZER_REPORTS)
	cd $(SANITIZE_DIR) && $(SANITIZER_ENV) ctest --output-on-failure -j $(JOBS); \
	  status=$$?; \
	  if ls $(SANITIZER_REPORTS)/* >/dev/null 2>&1; then \
	    echo "== sanitizer reports ($(SANITIZER_REPORTS)):"; \
	    cat $(SANITIZER_REPORTS)/*; status=1; fi; \
	  exit $$status

# libFuzzer targets (fuzz/, docs/Fuzzing.md): built with coverage, ASan and
# UBSan in $(FUZZ_DIR); `make fuzz` runs each for FUZZ_SECONDS on its seed
# corpus (gathered from examples/ and test/ at build time) and prints the
# executions and crashes; crash inputs go to $(FUZZ_DIR)/fuzz/artifacts.
FUZZ_DIR      ?= build-fuzz
FUZZ_SECONDS  ?= 60
FUZZ_RUNS     ?= 1000000
FUZZ_TARGETS  ?= parse import interpret equivalence lower manifest npy ptx
FUZZ_RSS_MB   ?= 2048
FUZZ_TIMEOUT  ?= 10
FUZZ_RESULTS  ?= bench/results/fuzz.json

fuzz-build: $(DEPS_STAMP)
	cmake -G Ninja -S . -B $(FUZZ_DIR) \
	  -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) \
	  -DLLVM_ENABLE_ASSERTIONS=ON \
	  -DMLIR_DIR=$(LLVM_ROOT)/lib/cmake/mlir \
	  -DCMAKE_C_COMPILER=$(LLVM_ROOT)/bin/clang \
	  -DCMAKE_CXX_COMPILER=$(LLVM_ROOT)/bin/clang++ \
	  -DMIRAGE_ENABLE_FUZZERS=ON
	cmake --build $(FUZZ_DIR) -j $(JOBS) --target mirage-fuzzers
	git describe --always --dirty > $(FUZZ_DIR)/fuzz/build-commit

fuzz: fuzz-build
	fuzz/run-fuzzers.py --build-dir $(FUZZ_DIR) --targets $(FUZZ_TARGETS) \
	  --seconds $(FUZZ_SECONDS) --rss-limit-mb $(FUZZ_RSS_MB) \
	  --timeout $(FUZZ_TIMEOUT)

fuzz-campaign: fuzz-build
	fuzz/run-fuzzers.py --build-dir $(FUZZ_DIR) --targets $(FUZZ_TARGETS) \
	  --runs $(FUZZ_RUNS) --rss-limit-mb $(FUZZ_RSS_MB) \
	  --timeout $(FUZZ_TIMEOUT) --json $(FUZZ_RESULTS)

format:
	git ls-files '*.cpp' '*.h' | xargs $(LLVM_ROOT)/bin/clang-format -i 2>/dev/null || \
	  git ls-files '*.cpp' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR)
