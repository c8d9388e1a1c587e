# Wraps CMake. `make demo` and `make test` install what is missing (apt-get), build and run.
SHELL := /bin/bash
BUILD ?= build
ASAN_BUILD ?= build-asan
WINDOWS_BUILD ?= build-windows
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
GENERATOR := $(shell command -v ninja >/dev/null 2>&1 && echo Ninja || echo "Unix Makefiles")
CMAKE_FLAGS ?=
# Line tables only (-g1): stack traces, sanitizer reports and crash reports keep function names
# and lines, and each translation unit compiles about a third faster than with full -g, which
# keeps `make test` (two trees) inside its time budget. For a tree to debug locals in, configure
# one yourself with the default flags.
RELEASE_DEBUG_FLAGS := -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" \
  -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG"
ASAN_DEBUG_FLAGS := -DCMAKE_CXX_FLAGS_DEBUG="-g1" -DCMAKE_C_FLAGS_DEBUG="-g1"
# The Windows tree at -O1 without debug information: nothing debugs or measures it here (it is
# run under Wine by the smoke tests), and each unity batch compiles in about 70% of the time it
# takes at -O2 -g1, which `make test` pays on every clean checkout. GCC's flow-based warnings
# give false positives at -O1 (a moved-from std::string "freed without being allocated", an
# engaged std::optional "maybe uninitialized"); the Linux trees keep them as errors.
WINDOWS_OPT := -O1 -DNDEBUG -Wno-maybe-uninitialized -Wno-free-nonheap-object
WINDOWS_FLAGS := -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="$(WINDOWS_OPT)" \
  -DCMAKE_C_FLAGS_RELEASE="-O1 -DNDEBUG"

.PHONY: all deps build asan windows test test-release test-asan test-windows demo bench format clean

all: build

deps:
	@bash scripts/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -G "$(GENERATOR)" -DCMAKE_BUILD_TYPE=RelWithDebInfo $(RELEASE_DEBUG_FLAGS) $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

# The sanitizer tree: AddressSanitizer + UndefinedBehaviorSanitizer, same tests.
asan: deps
	@cmake -S . -B $(ASAN_BUILD) -G "$(GENERATOR)" -DCMAKE_BUILD_TYPE=Debug -DWP_SANITIZE=ON -DWP_BUILD_BENCH=OFF $(ASAN_DEBUG_FLAGS) $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)

# The Windows cross-build (mingw-w64; docs/windows.md): the components ported so far, and the
# smoke test that runs them under Wine. A unity build: with Asio, spdlog and fmt header-only,
# parsing them is most of each file's compile time, and batches of 16 files parse them once,
# which takes about 40% off the build inside `make test`. The Linux trees still compile every
# file on its own, so a missing include is caught there.
windows: deps
	@cmake -S . -B $(WINDOWS_BUILD) -G "$(GENERATOR)" -DCMAKE_TOOLCHAIN_FILE=scripts/cmake/toolchain-mingw64.cmake \
	  $(WINDOWS_FLAGS) -DWP_BUILD_TESTS=OFF -DWP_BUILD_BENCH=OFF -DWP_HOST_BUILD_DIR=$(abspath $(BUILD)) \
	  -DCMAKE_UNITY_BUILD=ON -DCMAKE_UNITY_BUILD_BATCH_SIZE=16 $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(WINDOWS_BUILD) -j $(JOBS)

test-release: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS) --timeout 900

test-asan: asan
	ASAN_OPTIONS=detect_leaks=0:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS) --timeout 1200

# Skipped, with a word, where the cross-compiler or Wine is missing (install-deps installs both).
test-windows: deps
	@if ! command -v x86_64-w64-mingw32-g++-posix >/dev/null || ! [ -x /usr/lib/wine/wine64 ]; then \
	  echo "test-windows: skipped: x86_64-w64-mingw32-g++-posix or /usr/lib/wine/wine64 missing"; \
	else \
	  $(MAKE) --no-print-directory windows && \
	  ctest --test-dir $(WINDOWS_BUILD) --output-on-failure -j $(JOBS) --timeout 300; \
	fi

# Everything: the release tree, the sanitizer tree, the Windows smoke test. The Windows tree
# builds in the background at nice 19 while the Linux tests run (scripts/make-test.sh says why).
test: deps
	@MAKE="$(MAKE)" BUILD=$(BUILD) bash scripts/make-test.sh

# A three-node lab with a group of Dummy resources per node, shown live (nodes, groups, owners,
# events) until Ctrl-C, which stops every process of the lab. The lab stays in $(DEMO_LAB):
# `make demo` again restarts the same cluster with its database.
DEMO_LAB ?= $(BUILD)/demo-lab
demo: build
	@$(BUILD)/bin/wolfpack up --nodes 3 --demo --foreground --dir $(DEMO_LAB)

# The benchmarks are built only here (WP_BUILD_BENCH stays on in the tree afterwards).
bench: deps
	@cmake -S . -B $(BUILD) -G "$(GENERATOR)" -DCMAKE_BUILD_TYPE=RelWithDebInfo $(RELEASE_DEBUG_FLAGS) -DWP_BUILD_BENCH=ON $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)
	@bash scripts/run-bench.sh $(BUILD)

format:
	@git ls-files '*.cpp' '*.hpp' '*.c' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(WINDOWS_BUILD)
