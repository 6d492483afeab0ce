#!/usr/bin/env bash
# make bench-bringup: N simulated phones (default 1,000) from power-on to
# verified, against the release builds, on the loopback of a private network
# namespace (see scripts/fleet-lib.sh). All phones power on at once.
#
# Prints the time to the first and the last verified phone, the states
# histogram, autoprov's peak RSS and CPU time, and phonesim's, and writes
# them to bench/results/bringup-<date>.txt.
#
#   bash bench/bringup.sh [N]        env: BRINGUP_TIMEOUT (s, default 120),
#                                        FLEET_SYNCHRONOUS (full|normal)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=../scripts/fleet-lib.sh
. "$ROOT/scripts/fleet-lib.sh"
N=${1:-1000}
BIN_DIR=${BIN_DIR:-$ROOT/.build/release}
AUTOPROV=$BIN_DIR/autoprov PHONESIM=$BIN_DIR/phonesim
TIMEOUT=${BRINGUP_TIMEOUT:-120}
((EUID == 0)) || { echo "bench: run as root (network namespace)" >&2; exit 1; }
for b in "$AUTOPROV" "$PHONESIM"; do [[ -x $b ]] || { echo "bench: $b is missing: run make release" >&2; exit 1; }; done

NS=apbench-$$
STATE=$(mktemp -d /tmp/autoprov-bringup.XXXXXX)
trap 'fleet_stop "$NS"; echo "bench: logs in $STATE"' EXIT
trap 'exit 130' INT TERM
ulimit -n 65536 2>/dev/null || true
fleet_namespace "$NS"
CONFIG=$STATE/autoprov.yml
fleet_config "$CONFIG" "$STATE/autoprov.sqlite" "deadline: $TIMEOUT" "concurrency: ${BRINGUP_CONCURRENCY:-64}"
sed -i 's/^  level: info/  level: notice/' "$CONFIG"
fleet_inventory "$STATE/devices.csv" "$STATE/users.csv" "$N"
"$AUTOPROV" device import "$STATE/devices.csv" --config "$CONFIG" >/dev/null

fleet_start_servers "$NS" "$STATE" "$CONFIG" "$AUTOPROV" "$PHONESIM" || exit 1
SERVER=$FLEET_SERVER_PID
START=$EPOCHREALTIME
ip netns exec "$NS" "$PHONESIM" fleet --count "$N" --mac-base "$(fleet_mac 1)" --relay "$FLEET_RELAY" \
    --events "$STATE/phones.jsonl" 2>"$STATE/phonesim.log" &
SIM=$!
FLEET_PIDS+=("$SIM")
echo "bench: $N phones powered on at once"
rc=0
python3 "$ROOT/scripts/progress.py" --autoprov "$AUTOPROV" --config "$CONFIG" --start "$START" --count "$N" \
    --timeout "$TIMEOUT" --table-limit 0 | tee "$STATE/progress.txt" || rc=$?

cpu() { awk '{printf "%.1f", ($14 + $15) / 100}' "/proc/$1/stat"; }
{
    echo "bring-up of $N phones, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(uname -r), synchronous=${FLEET_SYNCHRONOUS:-full}"
    grep '^summary' "$STATE/progress.txt"
    echo "states: $(fleet_states "$AUTOPROV" "$CONFIG")"
    echo "autoprov: peak RSS $(( $(peak_rss_kib "$SERVER") / 1024 )) MiB, CPU $(cpu "$SERVER") s"
    echo "phonesim ($N phones): peak RSS $(( $(peak_rss_kib "$SIM") / 1024 )) MiB, CPU $(cpu "$SIM") s"
} | tee "$STATE/result.txt"
mkdir -p "$ROOT/bench/results"
cp "$STATE/result.txt" "$ROOT/bench/results/bringup-$(date -u +%Y%m%d-%H%M%S).txt"
exit $rc
