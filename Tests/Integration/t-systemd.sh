#!/usr/bin/env bash
# Running as a systemd service (Systemd/, `make install`, Type=notify):
#  1. `make install DESTDIR=... PREFIX=/usr` lays out the expected tree
#     (binary, Templates, unit, sysusers.d, config example; an edited
#     autoprov.yml survives a reinstall) and `make uninstall` removes it all
#     but the config;
#  2. `systemd-analyze verify` accepts the installed unit (pointed at the
#     DESTDIR binary: systemd is not PID 1 here, nothing is started) with no
#     warning; `systemd-analyze security --offline` rates it OK; the
#     sysusers.d line is valid (systemd-sysusers --dry-run on a scratch root);
#  3. the installed binary (Templates found next to it) runs in a namespace
#     as an unprivileged user with only CAP_NET_BIND_SERVICE, as the unit
#     runs it, against a fake NOTIFY_SOCKET (notifylisten.py): READY=1
#     arrives once, when DHCP (udp 67), the config server and the admin API
#     already listen; WATCHDOG=1 every WATCHDOG_USEC/2; a phone leases and
#     fetches its file; SIGTERM: STOPPING=1, then no more pings, exit 0;
#  4. WATCHDOG_PID naming another process: READY=1 but no pings;
#  5. without CAP_NET_BIND_SERVICE: port 67 cannot be bound, the server
#     exits non-zero and never sends READY=1.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require udhcpc ip ss jq curl python3 make setpriv systemd-analyze systemd-sysusers autoprov

SRVNS=$NS_PREFIX-srv
CLINS=$NS_PREFIX-cli
PHONE_MAC=0c:38:3e:12:34:56; MAC=0c383e123456
INST=$TMPD/root
NOBODY=65534
chmod 755 "$TMPD"   # the unprivileged server reaches its binary, config and store here

# --------------------------------------------------- 1. make install tree ---

install_tree() {
    make -C "$ROOT" --no-print-directory -o release install DESTDIR="$INST" PREFIX=/usr \
        INSTALL_BIN="$AUTOPROV_BIN" >"$TMPD/install.log" 2>&1 ||
        fatal "make install failed: $(tail -n 5 "$TMPD/install.log" | tr '\n' '|')"
}
files_in() { (cd "$1" && find . \( -type f -o -type l \) -printf '%P %m\n' | grep -v '^usr/share/autoprov/Templates/' | sort); }

install_tree
assert_eq "make install DESTDIR PREFIX=/usr: the files and their modes" \
"etc/autoprov/autoprov.yml 640
etc/autoprov/autoprov.yml.example 644
usr/bin/autoprov 755
usr/lib/systemd/system/autoprov.service 644
usr/lib/sysusers.d/autoprov.conf 644" "$(files_in "$INST")"
if diff -r "$ROOT/Templates" "$INST/usr/share/autoprov/Templates" >"$TMPD/templates.diff"; then
    pass "Templates installed as usr/share/autoprov/Templates, identical"
else
    fail "installed Templates differ: $(head -n 5 "$TMPD/templates.diff" | tr '\n' '|')"
fi
UNIT=$INST/usr/lib/systemd/system/autoprov.service
assert_eq "the unit runs the installed binary" \
    "ExecStart=/usr/bin/autoprov serve --config /etc/autoprov/autoprov.yml" "$(grep '^ExecStart=' "$UNIT")"
assert_eq "autoprov.yml keeps its store in the StateDirectory" \
    "  path: /var/lib/autoprov/autoprov.sqlite" "$(grep -m1 '^  path:' "$INST/etc/autoprov/autoprov.yml")"
echo "# edited by the admin" >>"$INST/etc/autoprov/autoprov.yml"
install_tree
assert_eq "a reinstall keeps an existing autoprov.yml" "# edited by the admin" "$(tail -n 1 "$INST/etc/autoprov/autoprov.yml")"
make -C "$ROOT" --no-print-directory uninstall DESTDIR="$INST" PREFIX=/usr >"$TMPD/uninstall.log" 2>&1 ||
    fail "make uninstall failed: $(tail -n 3 "$TMPD/uninstall.log")"
assert_eq "make uninstall leaves only the config" "etc/autoprov/autoprov.yml 640" "$(files_in "$INST")"
rm -rf "$INST"
install_tree

# ------------------------------------------------ 2. systemd-analyze etc. ---

# systemd-analyze verify checks that ExecStart exists: point it at DESTDIR.
VERIFY=$TMPD/verify/autoprov.service
mkdir -p "$TMPD/verify"
sed "s|^ExecStart=/usr/bin/autoprov |ExecStart=$INST/usr/bin/autoprov |" "$UNIT" >"$VERIFY"
if systemd-analyze verify "$VERIFY" >"$TMPD/verify.log" 2>&1 && [[ ! -s $TMPD/verify.log ]]; then
    pass "systemd-analyze verify: no error, no warning"
else
    fail "systemd-analyze verify: $(tr '\n' '|' <"$TMPD/verify.log")"
fi
systemd-analyze security --offline=true "$VERIFY" >"$TMPD/security.log" 2>&1
assert_contains "systemd-analyze security --offline" "$(tail -n 1 "$TMPD/security.log")" "OK"
mkdir -p "$TMPD/sysroot/etc"
if systemd-sysusers --dry-run --root="$TMPD/sysroot" "$INST/usr/lib/sysusers.d/autoprov.conf" >"$TMPD/sysusers.log" 2>&1 &&
    grep -q "autoprov" "$TMPD/sysusers.log"; then
    pass "systemd-sysusers --dry-run: $(grep -m1 autoprov "$TMPD/sysusers.log")"
else
    fail "systemd-sysusers --dry-run: $(tr '\n' '|' <"$TMPD/sysusers.log")"
fi
for key in Type=notify WatchdogSec= 'ExecReload=/bin/kill -HUP $MAINPID' StateDirectory=autoprov \
    ConfigurationDirectory=autoprov AmbientCapabilities=CAP_NET_BIND_SERVICE CapabilityBoundingSet=CAP_NET_BIND_SERVICE; do
    grep -qF -- "$key" "$UNIT" && pass "unit has $key" || fail "unit lacks $key"
done
