#!/usr/bin/env bash
# Running as a systemd service (Systemd/, `make install`, Type=notify):
#  1. `make install DESTDIR=... PREFIX=/usr` lays out the expected tree
#     (binary, Templates, unit, sysusers.d, config example; an edited
#     autoprov.yml survives a reinstall) and `make uninstall` removes it all
#     but the config; the installed binary (the release build, as `make
#     install` builds it) links no Swift runtime library and runs with the
#     toolchain hidden (a tmpfs over it, in a mount namespace of its own);
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
#     exits non-zero and never sends READY=1;
#  6. a whole run under strace uses only system calls of @system-service
#     (the unit's SystemCallFilter), maps nothing writable+executable and
#     opens only AF_INET/AF_INET6/AF_UNIX/AF_NETLINK sockets.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

use_release_binary
require udhcpc ip ss jq curl python3 make setpriv strace pgrep systemd-analyze systemd-sysusers unshare autoprov swift

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
# The binary carries the Swift runtime: a box without the toolchain runs it.
assert_eq "the installed binary links no Swift runtime library (ldd)" "" \
    "$(ldd "$INST/usr/bin/autoprov" | grep -o 'libswift[A-Za-z_]*\.so[.0-9]*' | sort -u | tr '\n' ' ')"
SWIFT_REAL=$(readlink -f "$(command -v swift)")
TOOLCHAIN=${SWIFT_REAL%/usr/bin/*}
[[ -d $TOOLCHAIN/usr/lib/swift/linux ]] || fatal "cannot tell the toolchain's folder from $SWIFT_REAL"
# shellcheck disable=SC2016  # expanded by the inner sh
hidden=$(unshare --mount sh -c 'mount -t tmpfs none "$1" && test ! -e "$1/usr/lib/swift" && exec "$2" check-config --config "$3"' \
    sh "$TOOLCHAIN" "$INST/usr/bin/autoprov" "$INST/etc/autoprov/autoprov.yml.example" 2>&1)
assert_contains "the installed binary runs with the toolchain ($TOOLCHAIN) hidden" "$hidden" "is valid"
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
# shellcheck disable=SC2016  # $MAINPID is literal
for key in Type=notify WatchdogSec= 'ExecReload=/bin/kill -HUP $MAINPID' StateDirectory=autoprov \
    ConfigurationDirectory=autoprov AmbientCapabilities=CAP_NET_BIND_SERVICE CapabilityBoundingSet=CAP_NET_BIND_SERVICE; do
    if grep -qF -- "$key" "$UNIT"; then pass "unit has $key"; else fail "unit lacks $key"; fi
done

# ------------------- 3. as the unit runs it, against a fake NOTIFY_SOCKET ---

setup_pair "$SRVNS" "$CLINS" srv0 cli0 192.0.2.1/24 "$PHONE_MAC"
CFG=$TMPD/autoprov.yml
write_config "$CFG" srv0 "    - subnet: 192.0.2.0/24
      pools:
        - 192.0.2.100-192.0.2.199
      lease_time: 3600
      router: 192.0.2.1"
append_provisioning "$CFG" leased_ip 404
# No shipped_templates: the installed binary finds ../share/autoprov/Templates.
sed -i 's|^  shipped_templates: .*|  shipped_templates: ""|' "$CFG"
chmod 644 "$CFG"
chown -R "$NOBODY:$NOBODY" "$TMPD/store"

# as_service [CAPS]: a wrapper running the installed binary as an
# unprivileged user with only CAPS (default the unit's: net_bind_service)
# and no_new_privs; it execs, so start_server's pid is the server's.
as_service() {
    local caps=${1-,+net_bind_service} wrapper=$TMPD/autoprov-as-service${1+-nocaps}
    cat >"$wrapper" <<EOS
#!/bin/sh
exec setpriv --reuid=$NOBODY --regid=$NOBODY --clear-groups --no-new-privs \
    --inh-caps=-all$caps --ambient-caps=-all$caps --bounding-set=-all$caps "$INST/usr/bin/autoprov" "\$@"
EOS
    chmod 755 "$wrapper"
    echo "$wrapper"
}
SERVICE_BIN=$(as_service)
REAL_BIN=$AUTOPROV_BIN
AUTOPROV_BIN=$SERVICE_BIN

"$AUTOPROV_BIN" device add "$PHONE_MAC" --label "Desk" --config "$CFG" \
    --line "1:number=101,password=sip-pw-1,registrar=192.0.2.1" >"$TMPD/device-add.log" 2>&1 ||
    fatal "autoprov device add (as the service user) failed: $(cat "$TMPD/device-add.log")"

mkdir -p "$TMPD/notify"; chmod 755 "$TMPD/notify"
NOTIFY_LOG=$TMPD/notify.jsonl
python3 "$LIB_DIR/notifylisten.py" "$TMPD/notify/sock" "$NOTIFY_LOG" "$SRVNS" 2>"$TMPD/notifylisten.err" &
bg_track $!
wait_for "[[ -S '$TMPD/notify/sock' ]]" 5 "the fake notify socket" || fatal "notifylisten.py did not start: $(cat "$TMPD/notifylisten.err")"

# notes [FROM_LINE]: the datagrams received (one JSON per line) from line FROM_LINE on.
notes() { tail -n +"${1:-1}" "$NOTIFY_LOG"; }
count_msg() { notes "${2:-1}" | jq -r .msg | grep -c "^$1" || true; }

export NOTIFY_SOCKET=$TMPD/notify/sock WATCHDOG_USEC=1000000
start_server "$CFG"
wait_listening "$SRVNS" 8080 8081
wait_for "[[ \$(count_msg READY=1) -ge 1 ]]" 10 "READY=1" || fail "no READY=1 within 10 s of the listeners"
READY=$(notes | jq -c 'select(.msg | startswith("READY=1"))' | head -n 1)
assert_eq "READY=1 arrives once" 1 "$(count_msg READY=1)"
assert_contains "READY=1 comes with a status naming the listeners" "$(jq -r .msg <<<"$READY")" \
    "STATUS=serving: store, dhcp, config_server, admin"
for sock in udp:67 tcp:8080 tcp:8081; do
    if jq -e --arg s "$sock" '.listening | index($s)' <<<"$READY" >/dev/null; then
        pass "$sock already listening when READY=1 arrived"
    else
        fail "$sock was not listening when READY=1 arrived: $(jq -c .listening <<<"$READY")"
    fi
done
SRV_STATUS=/proc/$SERVER_PID/status
assert_eq "the server runs as the unprivileged user" "$NOBODY" "$(awk '/^Uid:/ {print $2}' "$SRV_STATUS")"
assert_eq "with CAP_NET_BIND_SERVICE only (CapEff)" 0000000000000400 "$(awk '/^CapEff:/ {print $2}' "$SRV_STATUS")"

sleep 3.2
# Intervals between the pings: WATCHDOG_USEC/2 = 0.5 s.
PINGS=$(notes | jq -r 'select(.msg == "WATCHDOG=1") | .t')
NPINGS=$(wc -l <<<"$PINGS")
MEDIAN=$(awk 'NR > 1 { print $1 - prev } { prev = $1 }' <<<"$PINGS" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
log "WATCHDOG=1 pings: $NPINGS, median interval ${MEDIAN}s"
if awk -v m="$MEDIAN" -v n="$NPINGS" 'BEGIN { exit !(n >= 6 && m >= 0.4 && m <= 0.65) }'; then
    pass "WATCHDOG=1 about every WATCHDOG_USEC/2 (median ${MEDIAN}s over $NPINGS pings)"
else
    fail "WATCHDOG=1: expected >= 6 pings about 0.5 s apart, got $NPINGS, median ${MEDIAN}s"
fi

# The service works: a phone leases and fetches its file.
SCRIPT=$TMPD/udhcpc.script
make_udhcpc_script "$SCRIPT" "$TMPD/udhcpc"
udhcpc_lease "$CLINS" cli0 "$SCRIPT" "$TMPD/udhcpc"
http_req "$CLINS" --interface "$LEASE_IP" -A "Fanvil X6 2.10.2.6887 $MAC" "http://192.0.2.1:8080/$MAC.cfg"
assert_eq "the phone ($LEASE_IP) fetches its file from the service (installed Templates)" 200 "$HTTP_CODE"
assert_contains "its file names its line" "$(cat "$TMPD/http.body")" "101"

# SIGHUP (ExecReload): RELOADING=1 with MONOTONIC_USEC, then READY=1 again,
# the same process serving on.
BEFORE_HUP=$(($(wc -l <"$NOTIFY_LOG") + 1))
kill -HUP "$SERVER_PID"
wait_for "[[ \$(count_msg READY=1 $BEFORE_HUP) -ge 1 ]]" 10 "READY=1 after SIGHUP" || fail "no READY=1 after SIGHUP"
RELOAD_MSGS=$(notes "$BEFORE_HUP" | jq -r .msg | grep -v '^WATCHDOG=1' | tr '\n' '|')
if [[ $RELOAD_MSGS =~ ^RELOADING=1\|MONOTONIC_USEC=[0-9]+\|READY=1 ]]; then
    pass "SIGHUP: RELOADING=1 + MONOTONIC_USEC, then READY=1"
else
    fail "SIGHUP: expected RELOADING=1, MONOTONIC_USEC=, then READY=1; got '$RELOAD_MSGS'"
fi
assert_true "SIGHUP: the same process serves on" kill -0 "$SERVER_PID"
wait_for "grep -q 'configuration reloaded' '$SERVER_LOG'" 5 "the reload in the log" || fail "no 'configuration reloaded' logged"

BEFORE_STOP=$(($(wc -l <"$NOTIFY_LOG") + 1))
stop_server
assert_eq "SIGTERM: exit 0" 0 "$SERVER_RC"
assert_eq "SIGTERM: STOPPING=1 once" 1 "$(count_msg STOPPING=1 "$BEFORE_STOP")"
AFTER=$(notes "$BEFORE_STOP" | jq -r .msg | awk '/^STOPPING=1/ { s = 1; next } s && /^WATCHDOG=1/ { n++ } END { print n + 0 }')
assert_eq "no WATCHDOG=1 after STOPPING=1" 0 "$AFTER"

# -------------------------------------- 4. WATCHDOG_PID of another process ---

# This run's stderr also stands for the journal's stream: JOURNAL_STREAM
# names its device:inode, as systemd does (StandardError=journal).
FROM=$(($(wc -l <"$NOTIFY_LOG") + 1))
export WATCHDOG_PID=1
JLOG=$TMPD/server.$((SERVER_STARTS + 1)).stderr
: >"$JLOG"
JOURNAL_STREAM=$(stat -c '%d:%i' "$JLOG")
export JOURNAL_STREAM
start_server "$CFG"
unset JOURNAL_STREAM
wait_for "[[ \$(count_msg READY=1 $FROM) -ge 1 ]]" 10 "READY=1" || fail "no READY=1 with WATCHDOG_PID=1"
sleep 1.5
assert_eq "WATCHDOG_PID=1 (not us): no WATCHDOG=1" 0 "$(count_msg WATCHDOG=1 "$FROM")"
stop_server
unset WATCHDOG_PID WATCHDOG_USEC
# journald form: "<priority>subsystem: message key=value", no timestamp.
assert_true "journal stream: the listening line carries priority <5> (notice)" \
    grep -Eq '^<5>autoprov\.dhcp: listening address=192\.0\.2\.1 interface=srv0' "$JLOG"
assert_eq "journal stream: every line starts with a syslog priority" 0 "$(grep -cv '^<[0-7]>' "$JLOG" || true)"

# ------------------------------- 5. without CAP_NET_BIND_SERVICE: no READY ---

FROM=$(($(wc -l <"$NOTIFY_LOG") + 1))
NOCAPS_BIN=$(as_service "")
timeout 20 ip netns exec "$SRVNS" "$NOCAPS_BIN" serve --config "$CFG" >"$TMPD/nocaps.out" 2>"$TMPD/nocaps.err"
RC=$?
assert_ne "without CAP_NET_BIND_SERVICE the server exits with an error" 0 "$RC"
((RC != 124)) || fail "without CAP_NET_BIND_SERVICE the server did not exit within 20 s"
assert_contains "the error is the refused bind" "$(cat "$TMPD/nocaps.err")" "ermission denied"
sleep 0.3
assert_eq "and it never sent READY=1" 0 "$(count_msg READY=1 "$FROM")"
AUTOPROV_BIN=$REAL_BIN

# ----------- 6. the unit's SystemCallFilter and MemoryDenyWriteExecute ---
# systemd is not PID 1 here: strace a whole run instead (start, a lease, a
# config fetch, an admin request, SIGTERM) and check that every system call
# is in @system-service and that no mapping is writable and executable.

TRACE=$TMPD/trace
ip netns exec "$SRVNS" strace -f -qq -o "$TRACE" "$INST/usr/bin/autoprov" serve --config "$CFG" \
    >"$TMPD/strace.out" 2>"$TMPD/strace.err" &
STRACE_PID=$!
bg_track "$STRACE_PID"
wait_for "[[ -n \$(pgrep -P $STRACE_PID) ]]" 10 "autoprov under strace" || fatal "autoprov did not start under strace"
TRACED=$(pgrep -P "$STRACE_PID")
wait_for "grep -q 'DHCPServer\] listening' '$TMPD/strace.err' && tcp_listening '$SRVNS' 8081" 30 "the traced server to listen" ||
    fatal "the traced server did not start: $(tail -n 5 "$TMPD/strace.err")"
kill "$UDHCPC_PID" 2>/dev/null; wait "$UDHCPC_PID" 2>/dev/null
ip netns exec "$CLINS" ip addr flush dev cli0
rm -f "$TMPD/udhcpc/"*.env
udhcpc_lease "$CLINS" cli0 "$SCRIPT" "$TMPD/udhcpc"
http_req "$CLINS" --interface "$LEASE_IP" -A "Fanvil X6 2.10.2.6887 $MAC" "http://192.0.2.1:8080/$MAC.cfg"
assert_eq "traced: the phone fetches its file" 200 "$HTTP_CODE"
http_req "$SRVNS" "http://127.0.0.1:8081/devices"
assert_eq "traced: the admin API answers (no token: 401)" 401 "$HTTP_CODE"
kill -TERM "$TRACED"
wait_for "! kill -0 $STRACE_PID" 15 "strace to end" || fail "the traced server did not stop"
systemd-analyze syscall-filter >"$TMPD/filters.txt" 2>&1
python3 - "$TMPD/filters.txt" "$TRACE" >"$TMPD/syscalls.txt" <<'PY'
import re, sys
groups, cur = {}, None
for line in open(sys.argv[1]):
    t = line.strip()
    if line.startswith("@"):
        cur = t; groups[cur] = []
    elif t and not t.startswith("#") and cur:
        groups[cur].append(t)
def expand(g):
    out = set()
    for t in groups.get(g, []):
        out |= expand(t) if t.startswith("@") else {t}
    return out
allowed = expand("@system-service")
used, wx, families = set(), [], set()
for line in open(sys.argv[2]):
    m = re.match(r"\d+\s+([a-z0-9_]+)\((AF_[A-Z0-9]+)?", line)
    if m:
        used.add(m.group(1))
        if m.group(1) == "socket" and m.group(2):
            families.add(m.group(2))
        if m.group(1) in ("mmap", "mprotect", "pkey_mprotect") and "PROT_WRITE" in line and "PROT_EXEC" in line:
            wx.append(line.strip())
print(len(used), " ".join(sorted(used - allowed)) or "-", len(wx), ",".join(sorted(families)))
PY
read -r NCALLS OUTSIDE NWX FAMILIES <"$TMPD/syscalls.txt"
log "traced run: $NCALLS distinct system calls"
((NCALLS > 30)) || fail "the trace looks empty ($NCALLS system calls): $(head -c 300 "$TRACE")"
assert_eq "every system call is in @system-service (SystemCallFilter)" "-" "$OUTSIDE"
assert_eq "no writable and executable mapping (MemoryDenyWriteExecute)" 0 "$NWX"
if [[ -n $FAMILIES ]] && ! tr ',' '\n' <<<"$FAMILIES" | grep -qvxE 'AF_INET|AF_INET6|AF_UNIX|AF_NETLINK'; then
    pass "socket families used ($FAMILIES) are all in RestrictAddressFamilies"
else
    fail "socket families used: '$FAMILIES'; the unit allows AF_INET AF_INET6 AF_UNIX AF_NETLINK"
fi

finish
