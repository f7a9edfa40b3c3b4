# Two commands do all the set-up on a fresh Debian 12 machine:
#   make demo   installs what is missing, builds, runs the bundled example
#   make test   installs what is missing, builds, runs the whole test suite
BUILD ?= build
JOBS  ?= $(shell nproc)
PACKAGES := cmake make g++ pkg-config libsimgrid-dev libboost-graph-dev nlohmann-json3-dev \
            libyaml-cpp-dev doctest-dev libspdlog-dev libcli11-dev libssl-dev \
            slurm-wlm munge iproute2 iptables libsqlite3-dev libpqxx-dev postgresql haproxy sqlite3 \
            qt6-base-dev qt6-charts-dev qt6-svg-dev libqt6opengl6-dev \
            poppler-utils libxml2-utils python3 procps clang libclang-rt-14-dev

.PHONY: all deps configure build demo test clean

all: build

deps:
	@scripts/install-deps.sh $(PACKAGES)

configure: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

demo: build
	$(BUILD)/bin/firedrill validate scenarios/plans/*.json scenarios/examples/*.json scenarios/examples/*.yaml
	$(BUILD)/bin/firedrill run scenarios/plans/managed-aws.json --seed 7 --json $(BUILD)/demo-result.json; \
	  rc=$$?; if [ $$rc -gt 1 ]; then exit $$rc; fi; \
	  echo "(exit code $$rc: 0 = every target met, 1 = a target missed; result in $(BUILD)/demo-result.json)"

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

clean:
	rm -rf $(BUILD)
