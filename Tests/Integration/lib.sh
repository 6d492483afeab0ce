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
BG_PIDS=()                    # background client processes started by this run
SERVER_PID=""
SERVER_LOG=""
SERVER_RC=""
SERVER_TCP_PORTS=()           # start_server: ready when these listen (DHCP off)
SERVER_STARTS=0
FAILS=0
CHECKS=0

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

# ------------------------------------------- namespaces, waiting, cleanup ---

# wait_for, new_ns, setup_pair, add_macvlan, clean_stale_namespaces, the
# exit trap (netns_cleanup): lib-netns.sh, shared with bench/*.sh.
# shellcheck disable=SC2034  # read by lib-netns.sh
NS_BASE=apt
# shellcheck source-path=SCRIPTDIR source=lib-netns.sh
. "$LIB_DIR/lib-netns.sh"

# stop_own_processes (run by netns_cleanup on exit): the background clients
# (SIGTERM), then the server (SIGTERM, 5 s, SIGKILL).
stop_own_processes() {
    local p
    for p in "${BG_PIDS[@]}"; do
        kill -TERM "$p" 2>/dev/null
    done
    stop_pid "$SERVER_PID" TERM 5
    for p in "${BG_PIDS[@]}"; do
        wait_for "! kill -0 $p" 3 "pid $p to exit" >/dev/null || kill -KILL "$p" 2>/dev/null
        wait "$p" 2>/dev/null
    done
}

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
# shellcheck source-path=SCRIPTDIR source=lib-clients.sh disable=SC1091
. "$LIB_DIR/lib-clients.sh"
# shellcheck source-path=SCRIPTDIR source=lib-admin.sh
. "$LIB_DIR/lib-admin.sh"
