#!/usr/bin/env bash
# Hand-run smoke test: phonesim against autoprov (not in `make test` yet).
#
#   sudo Tests/Integration/phonesim-smoke.sh          # BIG=200 phones for the timing part
#
# NETWORK SAFETY: everything runs on the loopback of a private network
# namespace (simt-<pid>) created here and deleted on exit. autoprov serves
# DHCP on that namespace's `lo`; the phones' addresses come from the relay
# subnet 127.64.0.0/16, phonesim being the relay agent (127.64.0.1:67).
#
# 1. 5 devices added with a line and an admin password, `phonesim fleet
#    --count 5`: all 5 must reach `config-fetched` in autoprov within
#    $DEADLINE seconds, and a Digest `get info.dev.Mac` on one of them must
#    answer its MAC.
# 2. $BIG unknown phones (autocreate): the time until all are
#    `config-fetched`, and phonesim's CPU time and RSS.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
AUTOPROV=${AUTOPROV_BIN:-$ROOT/.build/debug/autoprov}
PHONESIM=${PHONESIM_BIN:-$ROOT/.build/debug/phonesim}
BIG=${BIG:-200}
DEADLINE=${DEADLINE:-30}
BIG_DEADLINE=${BIG_DEADLINE:-120}
PASS=smoke-$$-pw

[[ $(id -u) == 0 ]] || { echo "run as root (network namespace)" >&2; exit 2; }
[[ -x $AUTOPROV && -x $PHONESIM ]] || { echo "build first: swift build --product autoprov --product phonesim" >&2; exit 2; }

TMP=$(mktemp -d "${TMPDIR:-/tmp}/phonesim-smoke.XXXXXX")
NS=simt-$$
PIDS=()
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    ip netns del "$NS" 2>/dev/null || true
    echo "logs kept in $TMP"
}
trap cleanup EXIT

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
fail() { echo "FAIL: $*" >&2; tail -20 "$TMP/serve.log" >&2 || true; exit 1; }
ok() { echo "ok   $*"; }

# wait_for SECONDS DESCRIPTION COMMAND...: polls COMMAND until it succeeds.
wait_for() {
    local limit=$1 what=$2 start
    shift 2
    start=$(now)
    while ! "$@"; do
        if awk -v s="$start" -v n="$(now)" -v l="$limit" 'BEGIN { exit !(n - s > l) }'; then
            fail "$what: not within ${limit}s"
        fi
        sleep 0.2
    done
}

cat >"$TMP/a.yml" <<YAML
store: {path: $TMP/a.sqlite, synchronous: normal}
dhcp:
  interfaces: [lo]
  subnets:
    - subnet: 127.0.0.0/16
      pools: ["127.0.1.1-127.0.1.10"]
    - subnet: 127.64.0.0/16
      pools: ["127.64.1.1-127.64.255.254"]
      lease_time: 3600
  classes:
    - name: fanvil
      match: {oui: ["0c:38:3e"]}
      options: {66: "http://127.0.0.1:8080/\$mac.cfg"}
config_server: {listen: 127.0.0.1:8080}
inventory: {unknown_devices: autocreate}
admin: {enabled: false}
YAML

for i in 0 1 2 3 4; do
    "$AUTOPROV" device add "0c383e10000$i" --admin-user admin --admin-password "$PASS" \
        --line "1:number=100$i,password=sip$i,registrar=127.0.0.1" --config "$TMP/a.yml" >/dev/null
done

ip netns add "$NS"
ip -n "$NS" link set lo up
# Background processes are started with `ip netns exec` itself (it execs the
# program, so $! is its pid), never through this function (a subshell).
in_ns() { ip netns exec "$NS" "$@"; }

ip netns exec "$NS" "$AUTOPROV" serve --config "$TMP/a.yml" >"$TMP/serve.log" 2>&1 &
PIDS+=($!)
listening() { in_ns ss -Htln 'sport = :8080' | grep -q LISTEN && in_ns ss -Huln 'sport = :67' | grep -q .; }
wait_for 20 "autoprov listening" listening

# count_fetched PREFIX: devices whose MAC starts with PREFIX in state config-fetched.
count_fetched() {
    "$AUTOPROV" device list --state config-fetched --config "$TMP/a.yml" | awk -v p="$1" 'index($1, p) == 1' | wc -l
}

# --- 1. five known phones -----------------------------------------------------
start=$(now)
ip netns exec "$NS" "$PHONESIM" fleet --count 5 --mac-base 0c383e100000 --events "$TMP/ev5.jsonl" 2>"$TMP/fleet5.err" &
FLEET=$!
PIDS+=($FLEET)
five_fetched() { [[ $(count_fetched 0c383e10000) -eq 5 ]]; }
wait_for "$DEADLINE" "5 phones config-fetched" five_fetched
ok "5 phones leased and config-fetched in $(elapsed "$start" "$(now)") s"
in_ns ss -Huanp 'sport = :67' >"$TMP/udp67.txt"

IP=$(grep '"mac":"0c383e100003","event":"api-listening"' "$TMP/ev5.jsonl" | head -1 | sed 's/.*"ip":"\([0-9.]*\)".*/\1/')
[[ -n $IP ]] || fail "no api-listening event for 0c383e100003"
REPLY=$(in_ns curl -s --max-time 10 -X POST \
    --data '<?xml version="1.0" encoding="UTF-8" ?><FanvilConfiguration cmd="get"><Item>info.dev.Mac</Item></FanvilConfiguration>' \
    --digest -u "admin:$PASS" "http://$IP:80/xmlService")
grep -q "0c383e100003" <<<"$REPLY" || fail "digest get info.dev.Mac at $IP: $REPLY"
ok "digest get info.dev.Mac at $IP answers 0c383e100003"
UNAUTH=$(in_ns curl -s -o /dev/null -w '%{http_code}' --max-time 10 -X POST --data '<FanvilConfiguration cmd="get"><Item>info.dev.Mac</Item></FanvilConfiguration>' "http://$IP:80/xmlService")
[[ $UNAUTH == 401 ]] || fail "no credentials: wanted 401, got $UNAUTH"
ok "no credentials: 401"
grep -q "$PASS" "$TMP/ev5.jsonl" "$TMP/fleet5.err" && fail "a password appears in phonesim's output"
ok "no password in phonesim's events or stderr"
kill -TERM "$FLEET"
wait "$FLEET" || fail "phonesim did not exit cleanly on SIGTERM"
ok "phonesim exits 0 on SIGTERM"

# --- 2. BIG unknown phones (autocreate) -----------------------------------------
start=$(now)
ip netns exec "$NS" "$PHONESIM" fleet --count "$BIG" --mac-base 0c383e200000 --events "$TMP/ev-big.jsonl" 2>"$TMP/fleet-big.err" &
FLEET=$!
PIDS+=($FLEET)
big_fetched() { [[ $(count_fetched 0c383e2) -eq $BIG ]]; }
wait_for "$BIG_DEADLINE" "$BIG phones config-fetched" big_fetched
total=$(elapsed "$start" "$(now)")
last=$(grep -c '"event":"config-fetched"' "$TMP/ev-big.jsonl")
lastt=$(grep '"event":"config-fetched"' "$TMP/ev-big.jsonl" | tail -1 | sed 's/{"t":\([0-9.]*\),.*/\1/')
ticks=$(getconf CLK_TCK)
read -r utime stime < <(awk '{ print $14, $15 }' "/proc/$FLEET/stat")
cpu=$(awk -v u="$utime" -v s="$stime" -v t="$ticks" 'BEGIN { printf "%.2f", (u + s) / t }')
rss=$(awk '/VmRSS/ { print $2 }' "/proc/$FLEET/status")
hwm=$(awk '/VmHWM/ { print $2 }' "/proc/$FLEET/status")
threads=$(awk '/Threads/ { print $2 }' "/proc/$FLEET/status")
fds=$(ls "/proc/$FLEET/fd" | wc -l)
ok "$BIG phones config-fetched in autoprov after $total s (phonesim saw $last config-fetched, last at t=$lastt s)"
echo "     phonesim: cpu ${cpu} s (user+sys), rss ${rss} kB (peak ${hwm} kB), threads $threads, fds $fds"
tail -1 "$TMP/fleet-big.err"
