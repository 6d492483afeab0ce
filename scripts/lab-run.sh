#!/usr/bin/env bash
# Runs `autoprov serve` with CONFIG on a private lab network: namespace
# aplab-srv holds interface ap0 (192.0.2.1/24), namespace aplab-phone holds
# its peer. Nothing touches this machine's real interfaces. After the server
# is listening, one simulated Fanvil phone (busybox udhcpc, MAC 0c:38:3e:..)
# takes a lease and the lease table is printed. Ctrl-C stops and cleans up.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CONFIG=${1:-$ROOT/autoprov.example.yml}
BIN=${AUTOPROV_BIN:-$ROOT/.build/debug/autoprov}
SRV=aplab-srv PHONE=aplab-phone
STATE=$(mktemp -d /tmp/autoprov-lab.XXXXXX)

cleanup() {
  [ -n "${SERVER_PID:-}" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  ip netns del $SRV 2>/dev/null || true
  ip netns del $PHONE 2>/dev/null || true
  rm -rf "$STATE"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ip netns del $SRV 2>/dev/null || true
ip netns del $PHONE 2>/dev/null || true
ip netns add $SRV
ip netns add $PHONE
ip link add ap0 netns $SRV type veth peer name eth0 netns $PHONE
ip -n $SRV addr add 192.0.2.1/24 dev ap0
ip -n $SRV link set lo up
ip -n $SRV link set ap0 up
ip -n $PHONE link set eth0 address 0c:38:3e:07:e1:6c
ip -n $PHONE link set eth0 up

echo "lab: namespace $SRV has ap0 = 192.0.2.1/24; a phone sits in $PHONE"
"$BIN" check-config --config "$CONFIG" | sed -n '1p'
export AUTOPROV_STORE_PATH=${AUTOPROV_STORE_PATH:-$STATE/autoprov.sqlite}
ip netns exec $SRV "$BIN" serve --config "$CONFIG" 2> >(tee "$STATE/server.log" >&2) &
SERVER_PID=$!

deadline=$((SECONDS + 20))
until grep -q listening "$STATE/server.log" 2>/dev/null; do
  if ! kill -0 $SERVER_PID 2>/dev/null || [ $SECONDS -ge $deadline ]; then
    echo "lab: the server did not start; see the log above" >&2; exit 1
  fi
  sleep 0.2
done

echo "lab: phone 0c:38:3e:07:e1:6c asks for an address (busybox udhcpc)"
ip netns exec $PHONE busybox udhcpc -i eth0 -n -q -f -t 5 -O 66 -s /bin/true 2>&1 | sed 's/^/  phone: /'
"$BIN" leases --config "$CONFIG" | sed 's/^/  /'
echo "lab: serving; try: ip netns exec $PHONE busybox udhcpc -i eth0 -n -q   (Ctrl-C to stop)"
wait $SERVER_PID
