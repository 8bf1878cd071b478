# attn: `make run` trains on the bundled data, `make test` runs the whole suite.
# Both install what is missing first (Debian packages; run as root or with sudo).

BUILD_DIR ?= build
JOBS ?= $(shell nproc)
PACKAGES := g++ cmake make libdnnl-dev ocl-icd-opencl-dev libeigen3-dev libcli11-dev nlohmann-json3-dev catch2 jq chromium parallel
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
ATTN := $(BUILD_DIR)/apps/attn

.PHONY: all build deps test run clean fresh-check fuzz test-sanitize

all: build

# Installs the Debian packages of $(1) that are missing, quietly when none is.
define install_missing
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
endef

deps:
	$(call install_missing,$(PACKAGES))

$(BUILD_DIR)/Makefile: CMakeLists.txt
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release >/dev/null

build: $(BUILD_DIR)/Makefile
	cmake --build $(BUILD_DIR) -j $(JOBS)

test: deps
	$(MAKE) --no-print-directory build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 900

run: deps
	$(MAKE) --no-print-directory build
	$(ATTN) train

# libFuzzer harnesses of every reader (tests/fuzz), with ASan + UBSan, built with clang in
# their own directory, each run FUZZ_SECONDS (FUZZ_READERS="idx series" for some only).
FUZZ_DIR ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_READERS ?=
FUZZ_PACKAGES := clang-14 libclang-rt-14-dev libomp-14-dev
fuzz: deps
	$(call install_missing,$(FUZZ_PACKAGES))
	cmake -S . -B $(FUZZ_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++-14 -DATTN_FUZZ=ON >/dev/null
	cmake --build $(FUZZ_DIR) -j $(JOBS) --target fuzz_all attn
	bash tests/fuzz/run_fuzzers.sh $(FUZZ_DIR) $(FUZZ_SECONDS) $(FUZZ_READERS)

# The whole suite under AddressSanitizer + UndefinedBehaviorSanitizer (g++), in its own directory.
SANITIZE_DIR ?= build-sanitize
test-sanitize: deps
	cmake -S . -B $(SANITIZE_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DATTN_SANITIZE=ON >/dev/null
	cmake --build $(SANITIZE_DIR) -j $(JOBS)
	cd $(SANITIZE_DIR) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS) --timeout 1800

# Both commands above, in a new minimal Debian root with nothing of this machine's installs.
fresh-check:
	bash tests/fresh_machine.sh test run

clean:
	rm -rf $(BUILD_DIR) $(FUZZ_DIR) $(SANITIZE_DIR)
