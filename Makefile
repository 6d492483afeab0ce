# autoprov — see README.md. Every target installs what it needs first.
SHELL := /bin/bash
export PATH := /opt/swift/usr/bin:$(PATH)

# Debian packages: build libraries, and the real peers the tests drive.
BUILD_DEBS := libpcap-dev libxml2-dev libsqlite3-dev
TEST_DEBS  := busybox udhcpc isc-dhcp-client kea-admin iproute2 tcpdump jq
SWIFT_BUILD_FLAGS ?=
CONFIG ?= autoprov.example.yml

.PHONY: all deps test-deps build release run test unit-test integration-test fuzz clean-netns

all: build

# Installs only what is missing; `apt-get update` runs once, and only then.
define install_debs
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi
endef

deps:
	$(call install_debs,$(BUILD_DEBS))

test-deps: deps
	$(call install_debs,$(TEST_DEBS))

build: deps
	swift build $(SWIFT_BUILD_FLAGS)

release: deps
	swift build -c release $(SWIFT_BUILD_FLAGS)

# Serve the example config on a lab network: a namespace with a veth pair,
# never a real interface of this machine. One simulated Fanvil phone takes a
# lease to show it working; Ctrl-C stops and cleans up.
run: build test-deps
	bash scripts/lab-run.sh $(CONFIG)

test: build test-deps unit-test integration-test

unit-test:
	swift test $(SWIFT_BUILD_FLAGS)

integration-test: build test-deps
	bash Tests/Integration/run.sh

# libFuzzer on the DHCPv4 decoder (FUZZ_SECONDS, default 600).
fuzz: deps
	bash Fuzz/run.sh $${FUZZ_SECONDS:-600}

# Removes namespaces left by an interrupted test run (only autoprov's own).
clean-netns:
	@for ns in $$(ip netns list | awk '{print $$1}' | grep -E '^(apt-|aplab-)'); do ip netns del $$ns; done
