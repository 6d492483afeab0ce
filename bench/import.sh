#!/usr/bin/env bash
# bench/import.sh: a large CSV import through the admin API, against the
# release build, on the loopback of a private network namespace (`autoprov
# serve` with DHCP off, the admin API on 127.0.0.1:8081). Not part of `make test`.
#
# Measures: the import's time (POST /api/v1/imports to `done`), /healthz
# latency while it runs (every 0.2 s: median and worst), one page of
# /api/v1/provisioning?limit=500 (time and bytes), reading every device
# page by page, and what one status page poll costs in bytes
# (/provisioning/summary plus its page of 100 rows). Writes them to
# bench/results/import-<date>.txt.
#
#   bash bench/import.sh [N]         (N devices, default 100000; as root)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=${1:-100000}
BIN_DIR=${BIN_DIR:-$ROOT/.build/release}
AUTOPROV=$BIN_DIR/autoprov
((EUID == 0)) || { echo "bench: run as root (network namespace)" >&2; exit 1; }
[[ -x $AUTOPROV ]] || { echo "bench: $AUTOPROV is missing: run make release" >&2; exit 1; }
for tool in curl jq awk ip; do command -v "$tool" >/dev/null || { echo "bench: $tool is missing" >&2; exit 1; }; done

NS=apimport-$$
STATE=$(mktemp -d /tmp/autoprov-import.XXXXXX)
BASE=http://127.0.0.1:8081
SERVER=""
cleanup() {
    if [[ -n $SERVER ]]; then kill -TERM "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
    ip netns del "$NS" 2>/dev/null || true
    echo "bench: logs in $STATE"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
ip netns add "$NS"
ip -n "$NS" link set lo up

cat >"$STATE/autoprov.yml" <<EOF
store:
  path: $STATE/autoprov.sqlite
log:
  level: notice
dhcp:
  enabled: false
inventory:
  shipped_templates: $ROOT/Templates
config_server:
  enabled: false
admin:
  listen: 127.0.0.1:8081
  token_file: $STATE/admin.token
EOF

awk -v n="$N" 'BEGIN { print "mac,label,group,admin_user,admin_password,line1_number,line1_password,line1_registrar"
    for (i = 1; i <= n; i++) printf "0c3e%08x,Desk %d,default,admin,adm-%d,%d,sip-%d,pbx.example\n", i, i, i, 100000 + i, i }' \
    >"$STATE/devices.csv"

ip netns exec "$NS" "$AUTOPROV" serve --config "$STATE/autoprov.yml" 2>"$STATE/autoprov.log" &
SERVER=$!
# in_ns CMD...: CMD in the namespace.
in_ns() { ip netns exec "$NS" "$@"; }
deadline=$((SECONDS + 30))
until [[ -s $STATE/admin.token ]] && in_ns curl -sf -o /dev/null "$BASE/healthz"; do
    ((SECONDS < deadline)) || { echo "bench: autoprov serve did not come up" >&2; exit 1; }
    kill -0 "$SERVER" 2>/dev/null || { echo "bench: autoprov serve exited" >&2; exit 1; }
    sleep 0.1
done
AUTH="Authorization: Bearer $(cat "$STATE/admin.token")"
# api PATH [CURL ARGS...]: the body of an authenticated request.
api() { local path=$1; shift; in_ns curl -sS --max-time 600 -H "$AUTH" "$@" "$BASE$path"; }
# timed PATH: "seconds bytes" of an authenticated GET.
timed() { in_ns curl -sS --max-time 600 -H "$AUTH" -o /dev/null -w '%{time_total} %{size_download}\n' "$BASE$1"; }

echo "bench: importing $N devices ($(wc -c <"$STATE/devices.csv") bytes of CSV)"
START=$EPOCHREALTIME
ID=$(api /api/v1/imports -H 'Content-Type: text/csv' --data-binary "@$STATE/devices.csv" | jq -r .id)
ACCEPTED=$(awk -v a="$EPOCHREALTIME" -v s="$START" 'BEGIN { printf "%.3f", a - s }')
: >"$STATE/healthz.txt"
deadline=$((SECONDS + 1800))
while :; do
    in_ns curl -sS --max-time 10 -o /dev/null -w '%{time_total}\n' "$BASE/healthz" >>"$STATE/healthz.txt" || echo 10 >>"$STATE/healthz.txt"
    STATUS=$(api "/api/v1/imports/$ID")
    case $(jq -r .state <<<"$STATUS") in done | failed) break ;; esac
    ((SECONDS < deadline)) || { echo "bench: the import did not end in 30 minutes" >&2; exit 1; }
    sleep 0.2
done
END=$EPOCHREALTIME
jq -e '.state == "done"' >/dev/null <<<"$STATUS" || { echo "bench: import failed: $STATUS" >&2; exit 1; }
IMPORT_S=$(awk -v e="$END" -v s="$START" 'BEGIN { printf "%.1f", e - s }')
HEALTH=$(sort -n "$STATE/healthz.txt" | awk '{ v[NR] = $1 } END { printf "%d probes, median %.1f ms, worst %.1f ms", NR, v[int((NR + 1) / 2)] * 1000, v[NR] * 1000 }')

read -r PAGE_S PAGE_B < <(timed "/api/v1/provisioning?limit=500")
read -r SUM_S SUM_B < <(timed "/api/v1/provisioning/summary")
read -r UI_S UI_B < <(timed "/api/v1/provisioning?limit=100")
WALK_START=$EPOCHREALTIME WALK_B=0 WALK_N=0 CURSOR=""
while :; do
    api "/api/v1/provisioning?limit=5000${CURSOR:+&after=$CURSOR}" >"$STATE/page.json"
    WALK_B=$((WALK_B + $(wc -c <"$STATE/page.json")))
    WALK_N=$((WALK_N + $(jq '.devices | length' "$STATE/page.json")))
    CURSOR=$(jq -r '.next // empty' "$STATE/page.json")
    [[ -n $CURSOR ]] || break
done
WALK_S=$(awk -v e="$EPOCHREALTIME" -v s="$WALK_START" 'BEGIN { printf "%.1f", e - s }')
[[ $WALK_N == "$N" ]] || { echo "bench: the paged walk read $WALK_N devices, not $N" >&2; exit 1; }

ms() { awk -v s="$1" 'BEGIN { printf "%.0f ms", s * 1000 }'; }
REPORT=$(cat <<EOF
import of $N devices, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(sed -n 's/^PRETTY_NAME=//p' /etc/os-release | tr -d '"'), release build
import (POST /api/v1/imports to done)      ${IMPORT_S} s (202 after $(ms "$ACCEPTED"))
/healthz during the import                 $HEALTH
GET /api/v1/provisioning?limit=500          $(ms "$PAGE_S"), $PAGE_B bytes
status page poll (summary + 100 rows)      $(ms "$(awk -v a="$SUM_S" -v b="$UI_S" 'BEGIN { print a + b }')"), $((SUM_B + UI_B)) bytes
every device, pages of 5000                ${WALK_S} s, $WALK_B bytes
EOF
)
echo "$REPORT"
mkdir -p "$ROOT/bench/results"
echo "$REPORT" >"$ROOT/bench/results/import-$(date -u +%Y%m%d-%H%M).txt"
