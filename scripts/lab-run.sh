#!/usr/bin/env bash
# Runs `autoprov serve` with CONFIG on a private lab network: namespace
# aplab-srv holds interface ap0 (192.0.2.1/24), namespace aplab-phone holds
# its peer. Nothing touches this machine's real interfaces. After the server
# is listening, one simulated Fanvil phone (busybox udhcpc, MAC 0c:38:3e:..)
# takes a lease, then fetches its config file over HTTP the way a phone does
# (option 66 URL, Fanvil User-Agent), and the device's events are printed.
# Ctrl-C stops and cleans up.
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
MAC=0c383e07e16c
"$BIN" device add $MAC --label "Lab phone" --line "1:number=100,password=lab-secret,registrar=192.0.2.1" \
  --admin-user admin --admin-password lab-admin --config "$CONFIG" | sed 's/^/lab: inventory: /'
ip netns exec $SRV "$BIN" serve --config "$CONFIG" 2> >(tee "$STATE/server.log" >&2) &
SERVER_PID=$!

deadline=$((SECONDS + 20))
until grep -q 'DHCPServer\] listening' "$STATE/server.log" 2>/dev/null &&
      grep -q 'config server listening' "$STATE/server.log" 2>/dev/null; do
  if ! kill -0 $SERVER_PID 2>/dev/null || [ $SECONDS -ge $deadline ]; then
    echo "lab: the server did not start; see the log above" >&2; exit 1
  fi
  sleep 0.2
done

echo "lab: phone 0c:38:3e:07:e1:6c asks for an address (busybox udhcpc)"
ip netns exec $PHONE busybox udhcpc -i eth0 -n -q -f -t 5 -O 66 -s /bin/true 2>&1 | tee "$STATE/udhcpc.log" | sed 's/^/  phone: /'
LEASED=$(sed -n 's/.*lease of \([0-9.]*\) obtained.*/\1/p' "$STATE/udhcpc.log")
[ -n "$LEASED" ] || { echo "lab: the phone got no lease" >&2; exit 1; }
ip -n $PHONE addr add "$LEASED/24" dev eth0   # what the phone does with its lease
"$BIN" leases --config "$CONFIG" | sed 's/^/  /'
echo "lab: the phone fetches http://192.0.2.1:8080/$MAC.cfg (its option 66 URL) with a Fanvil User-Agent"
ip netns exec $PHONE curl -sS -A "Fanvil X4 2.10.2.6887 $MAC" -o "$STATE/phone.cfg" -w '  HTTP %{http_code}, %{size_download} bytes\n' \
  "http://192.0.2.1:8080/$MAC.cfg" || echo "lab: the fetch failed" >&2
sed -n '1,14p' "$STATE/phone.cfg" | sed 's/^/  phone.cfg: /'
sleep 0.3   # fetch events are written in batches every 100 ms
"$BIN" device show $MAC --events 4 --config "$CONFIG" | sed 's/^/  /'
echo "lab: serving; try: ip netns exec $PHONE busybox udhcpc -i eth0 -n -q   (Ctrl-C to stop)"
wait $SERVER_PID
