# Mirage-MLIR: the two commands of the README.
#   make run   install what is missing, build, run the main job on the default example
#   make test  install what is missing, build, run every test through ctest
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

.PHONY: all deps configure build run test clean format

all: build

$(DEPS_STAMP): scripts/install-deps
	scripts/install-deps
	@mkdir -p $(BUILD_DIR) && touch $@

deps: $(DEPS_STAMP)

$(NINJA_FILE): $(DEPS_STAMP) CMakeLists.txt
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

format:
	git ls-files '*.cpp' '*.h' | xargs $(LLVM_ROOT)/bin/clang-format -i 2>/dev/null || \
	  git ls-files '*.cpp' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR)
