# attn: `make run` trains on the bundled data, `make test` runs the whole suite.
# Both install what is missing first (Debian packages; run as root or with sudo).

BUILD_DIR ?= build
JOBS ?= $(shell nproc)
PACKAGES := g++ cmake make libdnnl-dev ocl-icd-opencl-dev libeigen3-dev libcli11-dev nlohmann-json3-dev catch2 jq chromium parallel
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
ATTN := $(BUILD_DIR)/apps/attn

.PHONY: all build deps test run clean fresh-check

all: build

deps:
	@missing=$$(for p in $(PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

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

# Both commands above, in a new minimal Debian root with nothing of this machine's installs.
fresh-check:
	bash tests/fresh_machine.sh test run

clean:
	rm -rf $(BUILD_DIR)
