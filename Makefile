# Mirage-MLIR: the two commands of the README.
#   make run   install what is missing, build, run the main job on the default example
#   make test  install what is missing, build, run every test through ctest
BUILD_DIR  ?= build
BUILD_TYPE ?= Release
LLVM_ROOT  ?= /usr/lib/llvm-22
EXAMPLE    ?= examples/rmsnorm_matmul.mlir
UGRAPH     ?= examples/ugraphs/rmsnorm_matmul.mlir
JOBS       ?= $(shell nproc)

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

# Until the search lands, the main job parses, verifies and prints the default
# example and the hand-written μGraph of the same program, and checks the
# μGraph against the resource limits.
run: build
	@echo "== $(EXAMPLE): the kernel-level program"
	@$(BUILD_DIR)/bin/mirage-opt $(EXAMPLE)
	@echo "== $(UGRAPH): its hand-written μGraph (one graph-defined kernel)"
	@$(BUILD_DIR)/bin/mirage-opt $(UGRAPH) --mirage-check-limits

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

format:
	git ls-files '*.cpp' '*.h' | xargs $(LLVM_ROOT)/bin/clang-format -i 2>/dev/null || \
	  git ls-files '*.cpp' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR)
