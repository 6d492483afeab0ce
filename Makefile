# autoprov — see README.md and Docs/. Every target installs what it needs first.
SHELL := /bin/bash
export PATH := /opt/swift/usr/bin:$(PATH)

# Debian packages: build libraries, and the real peers the tests drive.
BUILD_DEBS := libpcap-dev libxml2-dev libsqlite3-dev
TEST_DEBS  := shellcheck busybox udhcpc isc-dhcp-client kea-admin iproute2 tcpdump jq curl openssl python3-venv sip-tester systemd util-linux strace procps tshark
# The DHCP servers `autoprov export-dhcp` writes for (t-export-dhcp checks its
# snippets with each and serves them with Kea and dnsmasq). Installed without
# starting, and then disabled: they must never serve this host's networks.
DHCP_SERVER_DEBS  := kea-dhcp4-server dnsmasq-base isc-dhcp-server
DHCP_SERVER_UNITS := isc-dhcp-server kea-dhcp4-server
# The status page's browser test (headless). Without its recommends: they
# would bring avahi-daemon, cups and a desktop's worth of services.
BROWSER_DEBS := chromium
# Python test tools (admin API contract: Docs/openapi.yaml), in their own venv.
TEST_VENV    := /opt/autoprov-venv
TEST_PY_PKGS := schemathesis openapi-spec-validator
SWIFT_BUILD_FLAGS ?=
CONFIG ?= autoprov.example.yml

.PHONY: all deps test-deps build release run demo bench-bringup test lint unit-test integration-test fuzz clean-netns install install-files uninstall

all: build

# Installs only what is missing; `apt-get update` runs once, and only then.
define install_debs
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi
endef

# The same for packages that would start a host service on install (Kea,
# nginx): a temporary policy-rc.d (exit 101) stops that, and is removed after.
# Services named in the third argument (each named as its package) are also
# disabled, not started at boot, when this call installed their package.
define install_debs_no_service
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing (no service started)"; \
	  made_policy=""; \
	  if [ ! -e /usr/sbin/policy-rc.d ]; then \
	    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && made_policy=1; \
	  fi; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2) $$missing >/dev/null; rc=$$?; \
	  if [ -n "$$made_policy" ]; then rm -f /usr/sbin/policy-rc.d; fi; \
	  [ $$rc -eq 0 ] || exit $$rc; \
	  for s in $(3); do case " $$missing " in *" $$s "*) systemctl disable --now $$s >/dev/null 2>&1 || true ;; esac; done; \
	fi
endef

deps:
	$(call install_debs,$(BUILD_DEBS))

test-deps: deps
	$(call install_debs,$(TEST_DEBS))
	$(call install_debs_no_service,$(DHCP_SERVER_DEBS),,$(DHCP_SERVER_UNITS))
	$(call install_debs_no_service,$(BROWSER_DEBS),--no-install-recommends)
	@if ! { [ -x $(TEST_VENV)/bin/schemathesis ] && [ -x $(TEST_VENV)/bin/openapi-spec-validator ]; }; then \
	  echo "installing Python test tools into $(TEST_VENV): $(TEST_PY_PKGS)"; \
	  { [ -x $(TEST_VENV)/bin/pip ] || /usr/bin/python3 -m venv $(TEST_VENV); } && \
	  $(TEST_VENV)/bin/pip install -q $(TEST_PY_PKGS); \
	fi

# Every build fails on a compiler warning in the project's own code
# (scripts/swift-build-checked.sh; dependencies' warnings do not count).
build: deps
	bash scripts/swift-build-checked.sh $(SWIFT_BUILD_FLAGS)

# Release builds carry the Swift runtime (--static-swift-stdlib), so the
# installed binary needs only Debian's shared libraries, not the toolchain.
RELEASE_FLAGS ?= --static-swift-stdlib

release: deps
	bash scripts/swift-build-checked.sh -c release $(RELEASE_FLAGS) $(SWIFT_BUILD_FLAGS)

# Serve the example config on a lab network: a namespace with a veth pair,
# never a real interface of this machine. One simulated Fanvil phone takes a
# lease to show it working; Ctrl-C stops and cleans up.
run: build test-deps
	bash scripts/lab-run.sh $(CONFIG)

# The whole story on this machine: autoprov, a minimal SIP registrar and
# PHONES simulated Fanvil phones (default 20) on the loopback of a private
# namespace, from power-on to verified, with a live table.
PHONES ?= 20
DEMO_DEBS := python3 iproute2
demo: build
	$(call install_debs,$(DEMO_DEBS))
	bash scripts/demo.sh --phones $(PHONES)

# 1,000 simulated phones from power-on to verified (release builds); see
# bench/bringup.sh. BRINGUP_N for another fleet size.
bench-bringup: release
	$(call install_debs,$(DEMO_DEBS))
	bash bench/bringup.sh $${BRINGUP_N:-1000}

test: build release test-deps lint unit-test integration-test

# shellcheck on every script (warnings fail).
lint: test-deps
	bash scripts/lint.sh

unit-test:
	bash scripts/swift-build-checked.sh --build-tests $(SWIFT_BUILD_FLAGS)
	swift test --skip-build $(SWIFT_BUILD_FLAGS)

# The crash and overload tests drive the release build, as users run it.
integration-test: build release test-deps
	bash Tests/Integration/run.sh

# Install as a systemd service (see Docs/operations.md, "Install as a service"):
# the release binary, the shipped Templates (where autoprov looks for them,
# ../share/autoprov/Templates next to its binary), the unit, the sysusers.d
# user, and /etc/autoprov/autoprov.yml.example (autoprov.yml too, only if
# absent, with the store under /var/lib/autoprov). DESTDIR-aware; as root
# without DESTDIR it also creates the user (systemd-sysusers) and lets it
# read the config. It never starts or enables the unit.
PREFIX      ?= /usr/local
DESTDIR     ?=
BINDIR      ?= $(PREFIX)/bin
DATADIR     ?= $(PREFIX)/share/autoprov
SYSCONFDIR  ?= /etc
UNITDIR     ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
INSTALL_BIN ?= .build/release/autoprov
STATE_DB    := /var/lib/autoprov/autoprov.sqlite

install: release install-files

# install without building (INSTALL_BIN must exist): `make install` runs it.
install-files:
	@test -x $(INSTALL_BIN) || { echo "no binary at $(INSTALL_BIN): run make release (or make install)" >&2; exit 1; }
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR) $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(SYSCONFDIR)/autoprov
	install -m 0755 $(INSTALL_BIN) $(DESTDIR)$(BINDIR)/autoprov
	rm -rf $(DESTDIR)$(DATADIR)/Templates
	cp -R Templates $(DESTDIR)$(DATADIR)/Templates
	chmod -R u=rwX,go=rX $(DESTDIR)$(DATADIR)/Templates
	sed 's|^ExecStart=/usr/local/bin/autoprov |ExecStart=$(BINDIR)/autoprov |; s|/etc/autoprov/|$(SYSCONFDIR)/autoprov/|g' \
	  Systemd/autoprov.service >$(DESTDIR)$(UNITDIR)/autoprov.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/autoprov.service
	install -m 0644 Systemd/autoprov.sysusers $(DESTDIR)$(SYSUSERSDIR)/autoprov.conf
	sed 's|^  path: ./var/autoprov.sqlite|  path: $(STATE_DB)|' autoprov.example.yml >$(DESTDIR)$(SYSCONFDIR)/autoprov/autoprov.yml.example
	chmod 0644 $(DESTDIR)$(SYSCONFDIR)/autoprov/autoprov.yml.example
	@if [ -e $(DESTDIR)$(SYSCONFDIR)/autoprov/autoprov.yml ]; then \
	  echo "kept the existing $(DESTDIR)$(SYSCONFDIR)/autoprov/autoprov.yml"; \
	else \
	  install -m 0640 $(DESTDIR)$(SYSCONFDIR)/autoprov/autoprov.yml.example $(DESTDIR)$(SYSCONFDIR)/autoprov/autoprov.yml; \
	fi
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ]; then \
	  systemd-sysusers $(SYSUSERSDIR)/autoprov.conf && \
	  chgrp autoprov $(SYSCONFDIR)/autoprov/autoprov.yml && \
	  { systemctl daemon-reload 2>/dev/null || true; }; \
	fi

# Removes what install put there, except the config and the state
# (/etc/autoprov/autoprov.yml, /var/lib/autoprov) and the user.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/autoprov $(DESTDIR)$(UNITDIR)/autoprov.service $(DESTDIR)$(SYSUSERSDIR)/autoprov.conf
	rm -f $(DESTDIR)$(SYSCONFDIR)/autoprov/autoprov.yml.example
	rm -rf $(DESTDIR)$(DATADIR)
	-rmdir $(DESTDIR)$(SYSCONFDIR)/autoprov 2>/dev/null
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ]; then systemctl daemon-reload 2>/dev/null || true; fi

# libFuzzer on every parser of outside input: the DHCPv4 decoder, the phone
# request path and Digest header, the CSV import, the User-Agent, the phone
# API's xmlService reply, the SIP PnP parser and responder (FUZZ_SECONDS per target, default 300; FUZZ_TARGETS to pick some).
fuzz: deps
	swift package resolve
	bash Fuzz/run.sh $${FUZZ_SECONDS:-300} $(FUZZ_TARGETS)

# Side-by-side DHCPv4 benchmark (autoprov, Kea, dnsmasq) under perfdhcp, in
# namespaces only; see bench/README.md. BENCH_ARGS passes options through,
# e.g. make bench-dhcp BENCH_ARGS='--duration 3 --rates "1000 4000"'.
# Kea's package would start a host service on install: a temporary
# policy-rc.d (exit 101) stops that; only dnsmasq-base (the binary, no service).
.PHONY: bench-dhcp
BENCH_DEBS := kea-dhcp4-server dnsmasq-base
BENCH_ARGS ?=
bench-dhcp: release test-deps
	$(call install_debs_no_service,$(BENCH_DEBS))
	bash bench/dhcp.sh $(BENCH_ARGS)

# Config-server benchmark: wrk against autoprov (rendered per-device config,
# leased_ip authorization, events recorded) and nginx (the same bytes as a
# static file), keep-alive and one connection per request; in one namespace
# only, see bench/http.sh. nginx's package would start a host service on
# install: the same temporary policy-rc.d (exit 101) stops that.
.PHONY: bench-http bench-http-deps
BENCH_HTTP_DEBS := wrk nginx sqlite3 curl iproute2
bench-http-deps:
	$(call install_debs_no_service,$(BENCH_HTTP_DEBS))

bench-http: release bench-http-deps
	bash bench/http.sh $(BENCH_ARGS)

# Removes namespaces left by an interrupted test run (only autoprov's own).
clean-netns:
	@for ns in $$(ip netns list | awk '{print $$1}' | grep -E '^(apt-|aplab-|apdemo-|apbench-)'); do ip netns del $$ns; done
