#!/usr/bin/env bash
# Proves registrar.xml (sipp as the real registrar of the end-to-end tests)
# against `phonesim register`, inside a private network namespace: no packet
# leaves this machine's real interfaces.
#
# Usage: Tests/Integration/sipp/selftest.sh [USERS]      (default 20, at most 254)
#   PHONESIM=/path/to/phonesim overrides the binary (default: swift build's).
#
# Exact command lines (run in the namespace, from a directory holding users.csv):
#   sipp -sf registrar.xml -i 127.0.0.1 -p 5060 -inf users.csv -infindex users.csv 0 \
#        -nostdin -trace_err -trace_stat -fd 1
#   phonesim register --from 127.0.1.N --registrar 127.0.0.1:5060 --user 1NNN --password secretNNN --timeout 5
#     -> prints 200, exit 0 (right password)
#   phonesim register ... --password wrongNNN  -> prints 403, exit 1
#   phonesim register ... --user 9999          -> prints 403, exit 1 (unknown user)
# All registrations of a round run concurrently, each from its own address.
set -euo pipefail

USERS=${1:-20}
[ "$USERS" -ge 1 ] && [ "$USERS" -le 254 ] || { echo "USERS must be 1..254 (one 127.0.1.N address each)"; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
PHONESIM=${PHONESIM:-$(cd "$ROOT" && swift build --product phonesim --show-bin-path)/phonesim}
[ -x "$PHONESIM" ] || { echo "no phonesim at $PHONESIM (swift build --product phonesim)"; exit 2; }
command -v sipp >/dev/null || { echo "sipp missing (apt-get install -y sip-tester)"; exit 2; }

NS=sipt-$$
WORK=$(mktemp -d)
SIPP_PID=
cleanup() {
    [ -n "$SIPP_PID" ] && kill "$SIPP_PID" 2>/dev/null && wait "$SIPP_PID" 2>/dev/null || true
    ip netns del "$NS" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT
ip netns add "$NS"
ip -n "$NS" link set lo up

{
    echo SEQUENTIAL
    echo "# user;password"
    for i in $(seq 1 "$USERS"); do printf '%d;secret%03d\n' $((1000 + i)) "$i"; done
} > "$WORK/users.csv"
cp "$HERE/registrar.xml" "$WORK/"

cd "$WORK"
ip netns exec "$NS" sipp -sf registrar.xml -i 127.0.0.1 -p 5060 -inf users.csv -infindex users.csv 0 \
    -nostdin -trace_err -trace_stat -fd 1 </dev/null >sipp.out 2>&1 &
SIPP_PID=$!
sleep 1
kill -0 "$SIPP_PID" 2>/dev/null || { echo "sipp did not start:"; cat sipp.out; exit 1; }

# round NAME EXPECT PASSWORD-PREFIX [USER-OVERRIDE]: every user at once.
round() {
    local name=$1 expect=$2 prefix=$3 user=${4:-} pids=() ok=0 bad=0 start end
    start=$(date +%s.%N)
    for i in $(seq 1 "$USERS"); do
        ip netns exec "$NS" "$PHONESIM" register --from "127.0.1.$i" --registrar 127.0.0.1:5060 \
            --user "${user:-$((1000 + i))}" --password "$(printf '%s%03d' "$prefix" "$i")" --timeout 5 \
            >"$name.$i" 2>&1 &
        pids+=($!)
    done
    for pid in "${pids[@]}"; do wait "$pid" || true; done
    end=$(date +%s.%N)
    for i in $(seq 1 "$USERS"); do
        if [ "$(cat "$name.$i")" = "$expect" ]; then ok=$((ok + 1)); else bad=$((bad + 1)); echo "  $name user $i: $(cat "$name.$i")"; fi
    done
    printf '%-8s %2d x REGISTER -> %s: %d as expected, %d not (%.2f s)\n' "$name" "$USERS" "$expect" "$ok" "$bad" \
        "$(awk "BEGIN { print $end - $start }")"
    [ "$bad" -eq 0 ]
}

status=0
round right 200 secret || status=1
round wrong 403 wrong || status=1
round unknown 403 secret 9999 || status=1

kill "$SIPP_PID"; wait "$SIPP_PID" 2>/dev/null || true; SIPP_PID=
echo "sipp: $(grep -E 'Successful call|Failed call' sipp.out | tail -2 | awk -F'|' '{gsub(/ +/," ",$1); gsub(/ +/,"",$3); printf "%s=%s ", $1, $3}')"
[ $status -eq 0 ] && echo "selftest: PASS" || echo "selftest: FAIL"
exit $status
