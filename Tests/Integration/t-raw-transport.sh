#!/usr/bin/env bash
# `transport: raw` (libpcap) against real clients, inside throwaway namespaces.
#  1. autoprov serves srv0 with transport: raw; only a UDP socket on the
#     interface's own address (for unicast) is bound, none on 0.0.0.0:67;
#  2. busybox udhcpc WITHOUT the broadcast flag, ISC dhclient, and udhcpc -B
#     (broadcast flag set) each get a lease with option 66;
#  3. tshark reads the client-side capture: every frame the server built
#     itself has a good IPv4 and UDP checksum (and a frame corrupted on
#     purpose is reported bad, so the check can fail); the OFFER/ACK to a
#     client with the broadcast bit clear and no address go to its MAC and
#     yiaddr, to the -B client to ff:ff:ff:ff:ff:ff / 255.255.255.255;
#  4. a renewal (ciaddr set, udhcpc SIGUSR1) is ACKed once, by unicast to
#     ciaddr (through the kernel, which resolved the client's MAC by ARP);
#  5. malformed DHCP payloads and a truncated IPv4 frame to port 67 are
#     counted as drop_malformed and logged; the server keeps answering;
#  6. relayed (perfdhcp as the relay, unicast to the server): every
#     exchange answered once, at giaddr:67, through the kernel.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require udhcpc dhclient perfdhcp ip ss jq python3 tcpdump tshark autoprov

SRVNS=$NS_PREFIX-srv
CLINS=$NS_PREFIX-cli
SERVER_IP=192.0.2.1
SERVER_MAC=02:00:00:00:01:01
MAC_A=0c:38:3e:00:00:0a   # udhcpc, broadcast bit clear (busybox default)
MAC_B=0c:38:3e:00:00:0b   # ISC dhclient
MAC_C=0c:38:3e:00:00:0c   # udhcpc -B, broadcast bit set
POOL_FIRST=192.0.2.100
POOL_LAST=192.0.2.199
BCAST_MAC=ff:ff:ff:ff:ff:ff
UDHCPC=$(udhcpc_cmd)

# assert_in_pool DESCRIPTION IP
assert_in_pool() {
    if ip_in_range "$2" "$POOL_FIRST" "$POOL_LAST"; then
        pass "$1: $2, in the pool"
    else
        fail "$1: address '$2' not in pool $POOL_FIRST-$POOL_LAST"
    fi
}

setup_pair "$SRVNS" "$CLINS" srv0 cli0 "$SERVER_IP/24" "$MAC_A"
ip -n "$SRVNS" link set dev srv0 address "$SERVER_MAC" || fatal "cannot set the server MAC"
add_macvlan "$CLINS" cli0 mv1 "$MAC_B"
add_macvlan "$CLINS" cli0 mv2 "$MAC_C"

CFG=$TMPD/autoprov.yml
write_config "$CFG" srv0 "    - subnet: 192.0.2.0/24
      pools:
        - $POOL_FIRST-$POOL_LAST
      lease_time: 3600
      router: $SERVER_IP
    - subnet: 203.0.113.0/24
      pools:
        - 203.0.113.10-203.0.113.250
      lease_time: 3600"
sed -i 's/^    - srv0$/    - {name: srv0, transport: raw}/' "$CFG"
grep -q 'transport: raw' "$CFG" || fatal "could not set transport: raw in $CFG"

# The capture starts before the server: every reply is in it.
PCAP=$TMPD/cli0.pcap
ip netns exec "$CLINS" tcpdump -i cli0 -U -n -s 0 -w "$PCAP" 'udp port 67 or udp port 68' \
    2>"$TMPD/tcpdump.stderr" &
TCPDUMP_PID=$!
bg_track "$TCPDUMP_PID"
wait_for "grep -q 'listening on' '$TMPD/tcpdump.stderr'" 10 "tcpdump on cli0" ||
    fatal "tcpdump did not start: $(cat "$TMPD/tcpdump.stderr")"

# --- 1. the server, raw on srv0
start_server "$CFG"
assert_contains "server log: srv0 served with the raw transport" \
    "$(grep 'DHCPServer\] listening' "$SERVER_LOG")" "transport=raw"
SOCKETS=$(ip netns exec "$SRVNS" ss -Hulpn 'sport = :67' | awk '{print $4}' | sort | tr '\n' ' ')
assert_eq "UDP sockets on port 67: only the unicast one on the interface address" "$SERVER_IP%srv0:67 " "$SOCKETS"

# --- 2. three clients
OUT=$TMPD/udhcpc
SCRIPT=$TMPD/udhcpc.script
make_udhcpc_script "$SCRIPT" "$OUT"

log "udhcpc on cli0 ($MAC_A), no -B: broadcast bit clear"
# shellcheck disable=SC2086
ip netns exec "$CLINS" $UDHCPC -f -i cli0 -s "$SCRIPT" -O 66 -t 5 -T 2 -A 3 >"$TMPD/udhcpc.cli0.log" 2>&1 &
UDA=$!
bg_track "$UDA"
wait_for "[[ -s '$OUT/cli0.bound.env' ]]" 20 "udhcpc (no -B) bound" ||
    fatal "udhcpc without -B got no lease: $(tail -n 5 "$TMPD/udhcpc.cli0.log" | tr '\n' '|')"
IP_A=$(env_value "$OUT/cli0.bound.env" ip)
assert_in_pool "udhcpc (no -B)" "$IP_A"
assert_ne "udhcpc (no -B): option 66 received (tftp)" "" "$(env_value "$OUT/cli0.bound.env" tftp)"

log "udhcpc -B on mv2 ($MAC_C): broadcast bit set"
# shellcheck disable=SC2086
if ! run_fg ip netns exec "$CLINS" timeout 30 $UDHCPC -B -f -q -n -i mv2 -s "$SCRIPT" -O 66 -t 5 -T 2 \
    >"$TMPD/udhcpc.mv2.log" 2>&1; then
    fatal "udhcpc -B got no lease: $(tail -n 5 "$TMPD/udhcpc.mv2.log" | tr '\n' '|')"
fi
IP_C=$(env_value "$OUT/mv2.bound.env" ip)
assert_in_pool "udhcpc -B" "$IP_C"
assert_ne "udhcpc -B: option 66 received (tftp)" "" "$(env_value "$OUT/mv2.bound.env" tftp)"

log "dhclient on mv1 ($MAC_B)"
DOUT=$TMPD/dhclient
make_dhclient_script "$TMPD/dhclient.script" "$DOUT"
cat >"$TMPD/dhclient.conf" <<'EOF'
timeout 20;
retry 5;
initial-interval 1;
request subnet-mask, routers, tftp-server-name;
EOF
if ! run_fg ip netns exec "$CLINS" timeout 40 dhclient -4 -v -1 -cf "$TMPD/dhclient.conf" \
    -lf "$TMPD/dhclient.leases" -pf "$TMPD/dhclient.pid" -sf "$TMPD/dhclient.script" mv1 \
    >"$TMPD/dhclient.log" 2>&1; then
    fatal "dhclient got no lease: $(grep -E 'DHCP|No ' "$TMPD/dhclient.log" | tail -n 6 | tr '\n' '|')"
fi
[[ -s $TMPD/dhclient.pid ]] && bg_track "$(cat "$TMPD/dhclient.pid")"
IP_B=$(env_value "$DOUT/mv1.BOUND.env" new_ip_address)
assert_in_pool "dhclient" "$IP_B"
# dhclient escapes `$` with a backslash in script variables.
assert_eq "dhclient: option 66 (new_tftp_server_name)" "$FANVIL_URL" \
    "$(env_value "$DOUT/mv1.BOUND.env" new_tftp_server_name | sed -e 's/\\\(.\)/\1/g')"

# --- 4. renewal: ciaddr set, unicast REQUEST, ACK by unicast to ciaddr
log "renew: SIGUSR1 to udhcpc on cli0"
kill -USR1 "$UDA"
wait_for "[[ -s '$OUT/cli0.renew.env' ]]" 20 "udhcpc renew" ||
    fail "renew: udhcpc got no ACK: $(tail -n 3 "$TMPD/udhcpc.cli0.log" | tr '\n' '|')"
assert_eq "renew: same address" "$IP_A" "$(env_value "$OUT/cli0.renew.env" ip)"

# --- 5. malformed input: counted, dropped, and the server keeps answering
STATS=""
stats_count() { grep -c '\[DHCPServer\] stats$' "$SERVER_LOG" 2>/dev/null; }
take_stats() {
    local n
    n=$(stats_count)
    kill -USR1 "$SERVER_PID"
    wait_for "(( \$(stats_count) > $n ))" 10 "stats line after SIGUSR1" || fatal "no stats line after SIGUSR1"
    STATS=$(grep '\[DHCPServer\] stats$' "$SERVER_LOG" | tail -n 1)
}
stat() { local v; v=$(grep -o " $1=[0-9]*" <<<"${2:-$STATS}" | head -n 1 | cut -d= -f2); echo "${v:-0}"; }
craft() { ip netns exec "$CLINS" timeout 60 python3 "$LIB_DIR/dhcpcraft.py" cli0 "$SERVER_IP" "$@"; }

take_stats; BEFORE=$STATS
assert_contains "stats line: the pcap ring's kernel drops" "$STATS" "pcap_kernel_drops[srv0]=0"
res=$(craft send badcookie --count 3 --sync) || fail "badcookie: dhcpcraft failed or the sync INFORM got no ACK: $res"
assert_eq "badcookie: no reply" 0 "$(jq '.replies | length' <<<"$res" 2>/dev/null)"
# A frame whose IPv4 total length runs past its end: the kernel would drop
# it before any socket; the capture reads it and must count it.
ip netns exec "$CLINS" python3 - cli0 <<'PY' || fail "could not send the truncated frame"
import socket, struct, sys
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((sys.argv[1], 0))
src = bytes.fromhex("0c383e00000a")
ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 600, 1, 0, 64, 17, 0,
                 socket.inet_aton("0.0.0.0"), socket.inet_aton("255.255.255.255"))
udp = struct.pack("!HHHH", 68, 67, 580, 0)
s.send(b"\xff" * 6 + src + b"\x08\x00" + ip + udp + b"\x01" * 40)
PY
take_stats; AFTER=$STATS
res=$(craft sync)
assert_contains "after the malformed input the server still answers (INFORM -> ACK)" "$res" "true"
assert_eq "drop_malformed grew by 4 (3 bad cookies, 1 truncated frame)" 4 \
    $(($(stat drop_malformed "$AFTER") - $(stat drop_malformed "$BEFORE")))
assert_contains "truncated frame logged as dropped" "$(grep 'request dropped' "$SERVER_LOG")" "detail=frame: truncated"
assert_contains "bad cookie logged as dropped" "$(grep 'request dropped' "$SERVER_LOG")" "bad magic cookie"
NEW_MAC=02:00:00:00:0d:01
res=$(craft dora --mac "$NEW_MAC")
assert_in_pool "after the malformed input a new client ($NEW_MAC) still gets a lease" \
    "$(jq -r '.ack // ""' <<<"$res" 2>/dev/null)"

# --- 3. the capture, read by tshark
sleep 0.3
kill -INT "$TCPDUMP_PID" 2>/dev/null
wait_for "! kill -0 $TCPDUMP_PID" 5 "tcpdump to exit" || kill -KILL "$TCPDUMP_PID" 2>/dev/null
[[ -s $PCAP ]] || fatal "empty capture $PCAP"
TS=(tshark -n -r "$PCAP" -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE)
# tshark warns on stderr when run as root: keep it out of the results.
tshark() { command tshark "$@" 2>>"$TMPD/tshark.stderr"; }

# Frames the server built itself: from its MAC, port 67, no ciaddr (the
# renewal ACK to ciaddr left through the kernel: over veth its UDP checksum
# is left to an offload that never happens, so it is not checked here).
OURS='eth.src == '$SERVER_MAC' && udp.srcport == 67 && dhcp.ip.client == 0.0.0.0'
N_OURS=$("${TS[@]}" -Y "$OURS" | wc -l)
if ((N_OURS >= 7)); then
    pass "capture: $N_OURS frames built by the raw transport"
else
    fail "capture: expected at least 7 frames built by the server, got $N_OURS"
fi
# Wireshark's checksum status: 0 bad, 1 good, 2 unverified.
NOT_GOOD=$("${TS[@]}" -Y "$OURS && !(ip.checksum.status == 1 && udp.checksum.status == 1)" | wc -l)
assert_eq "tshark: every server-built frame has good IPv4 and UDP checksums" 0 "$NOT_GOOD"
BAD=$("${TS[@]}" -Y 'ip.checksum.status == 0 || udp.checksum.status == 0' \
    -T fields -e frame.number -e eth.src -e ip.src -e ip.dst | grep -i "$SERVER_MAC" | grep -v "$IP_A" || true)
assert_eq "tshark: no bad checksum from the server (except the kernel's unicast to ciaddr)" "" "$BAD"
# The check can fail: flip one payload byte of the first server frame.
python3 - "$PCAP" "$TMPD/corrupt.pcap" "$SERVER_MAC" <<'PY'
import struct, sys
data = bytearray(open(sys.argv[1], "rb").read())
mac = bytes.fromhex(sys.argv[3].replace(":", ""))
off = 24
while off + 16 <= len(data):
    incl = struct.unpack_from("<I", data, off + 8)[0]
    frame = off + 16
    if data[frame + 6:frame + 12] == mac:
        data[frame + 14 + 28 + 40] ^= 0xFF   # inside the BOOTP header
        break
    off = frame + incl
open(sys.argv[2], "wb").write(data)
PY
CORRUPT=$(tshark -n -r "$TMPD/corrupt.pcap" -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE \
    -Y "$OURS && udp.checksum.status == 0" | wc -l)
assert_eq "tshark reports a frame corrupted on purpose as a bad UDP checksum" 1 "$CORRUPT"

# reply_frames MAC TYPE: "eth.dst ip.dst yiaddr bc ciaddr" per reply of TYPE (2 OFFER, 5 ACK) to MAC.
reply_frames() {
    "${TS[@]}" -Y "udp.srcport == 67 && dhcp.hw.mac_addr == $1 && dhcp.option.dhcp == $2" \
        -T fields -E separator=' ' -e eth.dst -e ip.dst -e dhcp.ip.your -e dhcp.flags.bc -e dhcp.ip.client
}
check_unicast_to_chaddr() {
    local who=$1 mac=$2 ip=$3 t name lines eth dst your bc
    for t in 2:OFFER 5:ACK; do
        name=${t#*:}
        lines=$(reply_frames "$mac" "${t%%:*}" | awk '$5 == "0.0.0.0"')
        [[ -n $lines ]] || { fail "$who: no $name without ciaddr captured"; continue; }
        read -r eth dst your bc _ <<<"$(head -n 1 <<<"$lines")"
        assert_eq "$who: $name broadcast bit" 0 "$bc"
        assert_eq "$who: $name eth.dst is the client's MAC" "$mac" "$eth"
        assert_eq "$who: $name ip.dst is yiaddr, the address it got" "$ip $ip" "$dst $your"
    done
}
check_unicast_to_chaddr "udhcpc (no -B)" "$MAC_A" "$IP_A"
BC_B=$(reply_frames "$MAC_B" 2 | awk 'NR == 1 {print $4}')
if [[ $BC_B == 0 ]]; then
    check_unicast_to_chaddr "dhclient (broadcast bit clear)" "$MAC_B" "$IP_B"
else
    log "dhclient set the broadcast bit ('$BC_B'): its replies are checked as broadcasts"
    assert_eq "dhclient: OFFER to $BCAST_MAC" "$BCAST_MAC 255.255.255.255" "$(reply_frames "$MAC_B" 2 | awk 'NR == 1 {print $1, $2}')"
fi
for t in 2:OFFER 5:ACK; do
    read -r eth dst _ bc _ <<<"$(reply_frames "$MAC_C" "${t%%:*}" | head -n 1)"
    assert_eq "udhcpc -B: ${t#*:} broadcast bit" 1 "$bc"
    assert_eq "udhcpc -B: ${t#*:} eth.dst / ip.dst" "$BCAST_MAC 255.255.255.255" "$eth $dst"
done
RENEW=$(reply_frames "$MAC_A" 5 | awk -v ip="$IP_A" '$5 == ip')
assert_eq "renew: exactly one ACK to the renewing REQUEST (no double answer)" 1 "$(grep -c . <<<"$RENEW")"
read -r eth dst _ <<<"$(head -n 1 <<<"$RENEW")"
assert_eq "renew: ACK unicast to ciaddr at the client's MAC (kernel, ARP)" "$MAC_A $IP_A" "$eth $dst"
REQS=$("${TS[@]}" -Y "udp.dstport == 67 && dhcp.option.dhcp == 1 && dhcp.hw.mac_addr == $MAC_A" | wc -l)
OFFERS=$("${TS[@]}" -Y "udp.srcport == 67 && dhcp.option.dhcp == 2 && dhcp.hw.mac_addr == $MAC_A" | wc -l)
assert_eq "wire: ACK to udhcpc (no -B) carries option 66, the URL with literal \$mac" "$FANVIL_URL" \
    "$("${TS[@]}" -Y "udp.srcport == 67 && dhcp.option.dhcp == 5 && dhcp.hw.mac_addr == $MAC_A" \
        -T fields -e dhcp.option.tftp_server_name | head -n 1)"
assert_eq "udhcpc (no -B): one OFFER per DISCOVER (each answered once)" "$REQS" "$OFFERS"

# --- 6. relayed (after the capture: the kernel sends these, see above).
# perfdhcp acts as a relay: giaddr 203.0.113.2, unicast to the server
# address, replies expected at giaddr:67 through the kernel (ARP).
kill -TERM "$UDA" 2>/dev/null
NR=20
ip -n "$CLINS" addr add 203.0.113.2/24 dev cli0
ip -n "$SRVNS" route add 203.0.113.0/24 dev srv0
PERF=$TMPD/perfdhcp.out
log "relay: perfdhcp -4 -l 203.0.113.2, $NR exchanges, unicast to $SERVER_IP"
run_fg ip netns exec "$CLINS" timeout 60 perfdhcp -4 -l 203.0.113.2 -b mac=00:0c:02:00:00:00 -R "$NR" \
    -n "$NR" -n "$NR" -r 50 -d 2 -W 5000000 -u "$SERVER_IP" >"$PERF" 2>&1
assert_eq "relay: perfdhcp exit status" 0 "$?"
for ex in DISCOVER-OFFER REQUEST-ACK; do
    assert_eq "relay: $ex received" "$NR" "$(perfdhcp_stat "$PERF" "$ex" "received packets")"
    assert_eq "relay: $ex drops" 0 "$(perfdhcp_stat "$PERF" "$ex" "drops")"
    assert_eq "relay: $ex orphans (no reply twice)" 0 "$(perfdhcp_stat "$PERF" "$ex" "orphans")"
done
assert_eq "relay: bound leases in 203.0.113.0/24" "$NR" \
    "$(leases_json "$CFG" --state bound | jq '[.[] | select(.subnet == "203.0.113.0/24")] | length')"

stop_server
assert_eq "server exit status after SIGTERM" 0 "$SERVER_RC"
finish
