#!/usr/bin/env bash
# make demo: autoprov, a minimal SIP registrar and N simulated Fanvil phones
# (default 20) on the loopback of a private network namespace. Every phone
# leases an address, fetches its file, is checked, pushed and verified over
# its own HTTP API; a live table shows where each one is.
#
#   bash scripts/demo.sh [--phones N] [--keep]
#
# Nothing touches this machine's interfaces: everything runs inside the
# namespace apdemo-<pid>, deleted on exit (Ctrl-C stops).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=fleet-lib.sh
. "$ROOT/scripts/fleet-lib.sh"
BIN_DIR=${BIN_DIR:-$ROOT/.build/debug}
AUTOPROV=$BIN_DIR/autoprov PHONESIM=$BIN_DIR/phonesim
N=20 KEEP=
while (($#)); do
    case $1 in
        --phones) N=$2; shift 2 ;;
        --phones=*) N=${1#*=}; shift ;;
        --keep) KEEP=1; shift ;;
        *) echo "usage: $0 [--phones N] [--keep]" >&2; exit 2 ;;
    esac
done
[[ $N =~ ^[0-9]+$ ]] && ((N >= 1 && N <= 5000)) || { echo "demo: --phones expects 1-5000" >&2; exit 2; }
((EUID == 0)) || { echo "demo: run as root (it makes a network namespace)" >&2; exit 1; }
for b in "$AUTOPROV" "$PHONESIM"; do [[ -x $b ]] || { echo "demo: $b is missing: run make build" >&2; exit 1; }; done

NS=apdemo-$$
STATE=$(mktemp -d /tmp/autoprov-demo.XXXXXX)
cleanup() {
    fleet_stop "$NS"
    if [[ -n $KEEP ]]; then echo "demo: logs and store kept in $STATE"; else rm -rf "$STATE"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
fleet_namespace "$NS"
CONFIG=$STATE/autoprov.yml
fleet_config "$CONFIG" "$STATE/autoprov.sqlite" "deadline: 120"
fleet_inventory "$STATE/devices.csv" "$STATE/users.csv" "$N"
echo "demo: $N phones in the inventory (imported from a CSV), namespace $NS"
"$AUTOPROV" device import "$STATE/devices.csv" --config "$CONFIG" | sed 's/^/demo: /'

fleet_start_servers "$NS" "$STATE" "$CONFIG" "$AUTOPROV" "$PHONESIM" || exit 1
echo "demo: autoprov serving (DHCP on lo, files on 127.0.0.1:8080), registrar on 127.0.0.1:5060"
if [[ ${FLEET_ADMIN:-false} == true ]]; then
    echo "demo: status page on http://${FLEET_ADMIN_LISTEN:-127.0.0.1:8081}/ui/ inside $NS (token: $STATE/admin.token)"
fi
START=$EPOCHREALTIME
ip netns exec "$NS" "$PHONESIM" fleet --count "$N" --mac-base "$(fleet_mac 1)" --relay "$FLEET_RELAY" \
    --boot-spread 2 --events "$STATE/phones.jsonl" 2>"$STATE/phonesim.log" &
FLEET_PIDS+=($!)
echo "demo: $N phones powered on"

rc=0
python3 "$ROOT/scripts/progress.py" --autoprov "$AUTOPROV" --config "$CONFIG" --start "$START" --count "$N" --timeout 150 || rc=$?
echo
echo "demo: one phone's story (autoprov device show $(fleet_mac 1) --events 12):"
"$AUTOPROV" device show "$(fleet_mac 1)" --events 12 --config "$CONFIG" | sed -n '/^events/,$p' | sed 's/^/  /'
exit $rc
