# shellcheck shell=bash
# Integration-test helpers for autoprov. Source this from a t-*.sh script:
#
#   . "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#
# NETWORK SAFETY: every DHCP packet these tests produce stays on veth pairs
# inside network namespaces created here (named apt-<pid>-*) and deleted on
# exit. Only documentation / benchmarking ranges are used (192.0.2.0/24,
# 198.51.100.0/24, 203.0.113.0/24, 198.18.0.0/15). Nothing here touches an
# interface of the host namespace.

set -u -o pipefail

LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$LIB_DIR/../.." && pwd)
AUTOPROV_BIN=${AUTOPROV_BIN:-$ROOT/.build/debug/autoprov}
case $AUTOPROV_BIN in
    /*) ;;
    *) AUTOPROV_BIN=$ROOT/$AUTOPROV_BIN ;;
esac
export AUTOPROV_BIN

TEST_NAME=$(basename "${0:-test}" .sh)
# shellcheck disable=SC2034  # used by the t-*.sh scripts
NS_PREFIX="apt-$$"            # owner pid is part of every namespace name
NAMESPACES=()                 # namespaces created by this run
BG_PIDS=()                    # background client processes started by this run
SERVER_PID=""
SERVER_LOG=""
SERVER_RC=""
SERVER_TCP_PORTS=()           # start_server: ready when these listen (DHCP off)
SERVER_STARTS=0
FAILS=0
CHECKS=0

# fd 3: the scenario's original stdout, for messages printed from traps
# (a trap can fire while a redirected command is running).
exec 3>&1

TMPD=$(mktemp -d "${TMPDIR:-/tmp}/autoprov-it.$TEST_NAME.XXXXXX") || {
    echo "FATAL: mktemp failed" >&2
    exit 1
}
: >"$TMPD/failures"

# ---------------------------------------------------------------- output ---

log()  { printf '[%s] %s\n' "$TEST_NAME" "$*"; }
pass() { CHECKS=$((CHECKS + 1)); printf '[%s]   ok   %s\n' "$TEST_NAME" "$*"; }
# Failures are also appended to $TMPD/failures so that a failure inside a
# command substitution (a subshell) still fails the scenario in finish().
fail() {
    CHECKS=$((CHECKS + 1)); FAILS=$((FAILS + 1))
    printf '[%s]   FAIL %s\n' "$TEST_NAME" "$*" | tee -a "$TMPD/failures" >&2
}
# fatal MSG: a failure after which the scenario cannot continue.
fatal() {
    fail "$*"
    show_server_log
    exit 1
}

# assert_eq DESCRIPTION EXPECTED ACTUAL
assert_eq() {
    if [[ "$2" == "$3" ]]; then
        pass "$1: '$3'"
    else
        fail "$1: expected '$2', got '$3'"
        return 1
    fi
}

# assert_ne DESCRIPTION UNEXPECTED ACTUAL
assert_ne() {
    if [[ "$2" != "$3" ]]; then
        pass "$1: '$3'"
    else
        fail "$1: must not be '$2'"
        return 1
    fi
}

# assert_contains DESCRIPTION HAYSTACK NEEDLE
assert_contains() {
    if [[ "$2" == *"$3"* ]]; then
        pass "$1: contains '$3'"
    else
        fail "$1: expected to contain '$3'; got: $(printf '%s' "$2" | head -c 2000)"
        return 1
    fi
}

# assert_not_contains DESCRIPTION HAYSTACK NEEDLE
assert_not_contains() {
    if [[ "$2" != *"$3"* ]]; then
        pass "$1: does not contain '$3'"
    else
        fail "$1: must not contain '$3'; got: $(printf '%s' "$2" | head -c 2000)"
        return 1
    fi
}

# assert_same_file DESCRIPTION EXPECTED_FILE ACTUAL_FILE: byte for byte.
assert_same_file() {
    if cmp -s "$2" "$3"; then
        pass "$1 ($(wc -c <"$3") bytes)"
    else
        fail "$1: $3 differs from $2: $(diff <(cat -A "$2") <(cat -A "$3") | head -n 12 | tr '\n' '|')"
        return 1
    fi
}

# assert_true DESCRIPTION CMD...   (runs CMD; passes if it exits 0)
assert_true() {
    local d=$1; shift
    if "$@"; then pass "$d"; else fail "$d"; return 1; fi
}

# finish: print the scenario summary and exit with its status.
finish() {
    local total
    total=$(wc -l <"$TMPD/failures" 2>/dev/null || echo 0)
    ((total > FAILS)) && FAILS=$total
    if ((FAILS == 0)); then
        log "PASS ($CHECKS checks)"
        exit 0
    fi
    log "FAILED ($FAILS of $CHECKS checks failed)"
    exit 1
}

# ----------------------------------------------------------- prerequisites ---

# require TOOL...: fail loudly (exit 1) when a tool is missing. Never skip.
require() {
    local t missing=()
    for t in "$@"; do
        case $t in
            udhcpc)
                if ! command -v udhcpc >/dev/null 2>&1 &&
                   ! { command -v busybox >/dev/null 2>&1 && busybox udhcpc --help >/dev/null 2>&1; }; then
                    missing+=(udhcpc)
                fi ;;
            autoprov)
                [[ -x $AUTOPROV_BIN ]] || missing+=("autoprov ($AUTOPROV_BIN not built; set AUTOPROV_BIN)") ;;
            *)
                command -v "$t" >/dev/null 2>&1 || missing+=("$t") ;;
        esac
    done
    if ((${#missing[@]})); then
        printf '[%s] FATAL: missing prerequisite(s): %s\n' "$TEST_NAME" "${missing[*]}" >&2
        exit 1
    fi
    if ((EUID != 0)); then
        printf '[%s] FATAL: must run as root (network namespaces)\n' "$TEST_NAME" >&2
        exit 1
    fi
}

# udhcpc binary: prefer a standalone udhcpc (usually a busybox link).
udhcpc_cmd() {
    if command -v udhcpc >/dev/null 2>&1; then
        command -v udhcpc
    else
        echo "busybox udhcpc"
    fi
}

# ---------------------------------------------------------------- waiting ---

# wait_for CMD DEADLINE_SECONDS DESCRIPTION
# Polls CMD (a string, eval'd) every 0.1 s until it succeeds or the deadline
# passes. Returns 0 on success; prints a message and returns 1 on timeout.
wait_for() {
    local cmd=$1 deadline=$2 desc=$3
    local end
    end=$(awk -v n="$EPOCHREALTIME" -v d="$deadline" 'BEGIN{printf "%.3f", n + d}')
    while :; do
        if eval "$cmd" >/dev/null 2>&1; then
            return 0
        fi
        if awk -v n="$EPOCHREALTIME" -v e="$end" 'BEGIN{exit !(n >= e)}'; then
            log "timed out after ${deadline}s waiting for: $desc"
            return 1
        fi
        sleep 0.1
    done
}

# ------------------------------------------------------------- namespaces ---

# Delete apt-<pid>-* namespaces whose owner pid is gone (stale runs).
clean_stale_namespaces() {
    local ns pid
    while read -r ns _; do
        [[ $ns =~ ^apt-([0-9]+)- ]] || continue
        pid=${BASH_REMATCH[1]}
        if ! kill -0 "$pid" 2>/dev/null; then
            kill_ns_processes "$ns"
            ip netns del "$ns" 2>/dev/null && log "removed stale namespace $ns"
        fi
    done < <(ip netns list 2>/dev/null)
}

# kill_ns_processes NS: SIGKILL every process left inside NS (ours only:
# the namespace was created by this harness).
kill_ns_processes() {
    local p
    for p in $(ip netns pids "$1" 2>/dev/null); do
        kill -KILL "$p" 2>/dev/null
    done
}

ns_sysctl() { ip netns exec "$1" sysctl -qw "$2" >/dev/null 2>&1 || true; }

# new_ns NAME: create a namespace with lo up, IPv6 off, ARP/rp_filter tuned
# so several client interfaces on one link behave (each answers only for
# its own address).
new_ns() {
    local ns=$1
    ip netns add "$ns" || fatal "ip netns add $ns failed"
    NAMESPACES+=("$ns")
    ip -n "$ns" link set lo up
    ns_sysctl "$ns" net.ipv6.conf.all.disable_ipv6=1
    ns_sysctl "$ns" net.ipv6.conf.default.disable_ipv6=1
    ns_sysctl "$ns" net.ipv4.conf.all.rp_filter=0
    ns_sysctl "$ns" net.ipv4.conf.default.rp_filter=0
    ns_sysctl "$ns" net.ipv4.conf.all.arp_ignore=1
    ns_sysctl "$ns" net.ipv4.conf.all.arp_announce=2
}

# setup_pair SRVNS CLINS SRVIF CLIIF SRVADDR/PFX [CLIMAC]
# Creates both namespaces and a veth pair created directly inside them (never
# in the host namespace), assigns SRVADDR/PFX to SRVIF, optional CLIMAC to
# CLIIF, and brings everything up. CLIIF gets no address.
setup_pair() {
    local srvns=$1 clins=$2 srvif=$3 cliif=$4 srvaddr=$5 climac=${6:-}
    new_ns "$srvns"
    new_ns "$clins"
    ip link add "$srvif" netns "$srvns" type veth peer name "$cliif" netns "$clins" ||
        fatal "veth $srvif<->$cliif creation failed"
    if [[ -n $climac ]]; then
        ip -n "$clins" link set dev "$cliif" address "$climac" || fatal "cannot set MAC $climac"
    fi
    ip -n "$srvns" addr add "$srvaddr" dev "$srvif" || fatal "cannot add $srvaddr to $srvif"
    ip -n "$srvns" link set "$srvif" up
    ip -n "$clins" link set "$cliif" up
    ns_sysctl "$srvns" "net.ipv4.conf.$srvif.rp_filter=0"
    ns_sysctl "$clins" "net.ipv4.conf.$cliif.rp_filter=0"
    wait_for "ip -n '$clins' link show '$cliif' | grep -q 'state UP'" 10 "$cliif up" ||
        fatal "client interface $cliif did not come up"
}

# add_macvlan NS PARENT NAME MAC: an extra client interface (own MAC) on the
# same link as PARENT, inside NS.
add_macvlan() {
    local ns=$1 parent=$2 name=$3 mac=$4
    ip -n "$ns" link add link "$parent" name "$name" address "$mac" type macvlan mode bridge ||
        fatal "macvlan $name creation failed"
    ns_sysctl "$ns" "net.ipv4.conf.$name.rp_filter=0"
    ip -n "$ns" link set "$name" up
}

# ---------------------------------------------------------------- cleanup ---

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    local p
    for p in "${BG_PIDS[@]}"; do
        kill -TERM "$p" 2>/dev/null
    done
    if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null
        local i
        for i in $(seq 1 50); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$SERVER_PID" 2>/dev/null
    fi
    for p in "${BG_PIDS[@]}"; do
        wait_for "! kill -0 $p" 3 "pid $p to exit" >/dev/null || kill -KILL "$p" 2>/dev/null
        wait "$p" 2>/dev/null
    done
    local ns
    for ns in "${NAMESPACES[@]}"; do
        kill_ns_processes "$ns"
        ip netns del "$ns" 2>/dev/null
    done
    if ((rc != 0)) || [[ -n ${KEEP_TMP:-} ]]; then
        log "artifacts kept in $TMPD" >&3
    else
        rm -rf "$TMPD"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'log "interrupted" >&3; exit 130' INT
trap 'log "terminated (timeout?)" >&3; exit 143' TERM

# ----------------------------------------------------------------- server ---

# start_server CONFIG [NS [TCP_PORT...]]: run `autoprov serve` inside the
# server namespace (default $SRVNS) and wait (20 s deadline) until the DHCP
# server logs `listening` (not the HTTP listeners' line: they may come first)
# or port 67/udp is bound there; with TCP ports (a config with DHCP off),
# until each of them listens there instead. Fatal if it exits or never
# becomes ready.
start_server() {
    local cfg=$1 ns=${2:-$SRVNS}
    SERVER_TCP_PORTS=("${@:3}")
    SERVER_STARTS=$((SERVER_STARTS + 1))
    SERVER_LOG=$TMPD/server.$SERVER_STARTS.stderr
    SERVER_NS=$ns
    ip netns exec "$ns" "$AUTOPROV_BIN" serve --config "$cfg" \
        >"$TMPD/server.$SERVER_STARTS.stdout" 2>"$SERVER_LOG" &
    SERVER_PID=$!
    SERVER_RC=""
    if ! wait_for "server_ready_or_dead" 20 "autoprov serve to listen"; then
        fatal "server did not become ready within 20 s"
    fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        wait "$SERVER_PID"; SERVER_RC=$?
        SERVER_PID=""
        fatal "server exited during startup (rc=$SERVER_RC)"
    fi
    if ((${#SERVER_TCP_PORTS[@]})); then
        log "server pid $SERVER_PID ready (TCP ${SERVER_TCP_PORTS[*]} listening)"
    else
        log "server pid $SERVER_PID ready ($(grep -m1 'DHCPServer\] listening' "$SERVER_LOG" || echo 'port 67 bound'))"
    fi
}

server_port_bound() {
    [[ -n $(ip netns exec "$SERVER_NS" ss -Hulpn 'sport = :67' 2>/dev/null) ]]
}

server_ready_or_dead() {
    ! kill -0 "$SERVER_PID" 2>/dev/null && return 0
    if ((${#SERVER_TCP_PORTS[@]})); then
        local p
        for p in "${SERVER_TCP_PORTS[@]}"; do
            tcp_listening "$SERVER_NS" "$p" || return 1
        done
        return 0
    fi
    grep -q 'DHCPServer\] listening' "$SERVER_LOG" 2>/dev/null && return 0
    server_port_bound
}

# stop_server: SIGTERM, wait (10 s), record SERVER_RC. Fails if it hangs.
stop_server() {
    [[ -n $SERVER_PID ]] || return 0
    kill -TERM "$SERVER_PID" 2>/dev/null
    if ! wait_for "! kill -0 $SERVER_PID" 10 "server to exit after SIGTERM"; then
        fail "server ignored SIGTERM for 10 s; killing it"
        kill -KILL "$SERVER_PID" 2>/dev/null
    fi
    wait "$SERVER_PID" 2>/dev/null; SERVER_RC=$?
    SERVER_PID=""
    return 0
}

# kill9_server: simulate a crash.
kill9_server() {
    [[ -n $SERVER_PID ]] || return 0
    kill -KILL "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID" 2>/dev/null; SERVER_RC=$?
    SERVER_PID=""
    return 0
}

show_server_log() {
    [[ -n $SERVER_LOG && -s $SERVER_LOG ]] || return 0
    log "---- last 40 lines of $SERVER_LOG ----"
    tail -n 40 "$SERVER_LOG" | sed "s/^/[$TEST_NAME]   | /"
}

# ----------------------------------------------------------------- leases ---

# ----------------------------------------------------------------- config ---

# FANVIL_URL: the provisioning URL sent as options 66 and 43; `$mac` is literal.
# shellcheck disable=SC2016
FANVIL_URL='http://192.0.2.1:8080/$mac.cfg'

# ---------------------------------------------------------------- helpers ---

# use_release_binary: the load tests (crash, overload) drive the release
# build, as users run it; the debug build is too slow for the load.
use_release_binary() {
    AUTOPROV_BIN=${AUTOPROV_RELEASE_BIN:-$ROOT/.build/release/autoprov}
    case $AUTOPROV_BIN in /*) ;; *) AUTOPROV_BIN=$ROOT/$AUTOPROV_BIN ;; esac
    export AUTOPROV_BIN
    if [[ ! -x $AUTOPROV_BIN ]]; then
        # shellcheck disable=SC2016  # the backquotes are literal
        printf '[%s] FATAL: release binary %s is missing: run `make release` first (or set AUTOPROV_RELEASE_BIN)\n' \
            "$TEST_NAME" "$AUTOPROV_BIN" >&2
        trap - EXIT; rm -rf "$TMPD"   # nothing else to clean up yet
        exit 1
    fi
}

# shellcheck source-path=SCRIPTDIR source=lib-server.sh
. "$LIB_DIR/lib-server.sh"
# shellcheck source-path=SCRIPTDIR source=lib-clients.sh
. "$LIB_DIR/lib-clients.sh"
# shellcheck source-path=SCRIPTDIR source=lib-admin.sh
. "$LIB_DIR/lib-admin.sh"
