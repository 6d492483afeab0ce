#!/usr/bin/env bash
# Observe mode: someone else's DHCP server (dnsmasq) serves the phones;
# autoprov only sniffs the DHCP traffic (libpcap), learns the Fanvil phones'
# leases from the ACKs and drives them to verified like its own.
#
# Topology (two namespaces this test creates; one veth pair between them):
#   DHNS  dnsmasq (DHCP only, --port=0) on ob-dh 10.77.0.1/24; range
#         10.78.0.10-250 for the relay's subnet, option 66 pointing at autoprov
#   PHNS  ob-ph 10.77.0.2/24; 10.78.0.0/24 routed locally (so each phone can
#         bind its leased address); phonesim relays (giaddr 10.78.0.1-3) to
#         10.77.0.1 over ob-ph; autoprov observes ob-ph (never serves), its
#         config server on 10.77.0.2:8080, admin on 127.0.0.1:8081; sipp is
#         the phones' registrar on 127.0.0.1:5060
#
# Checks:
#  - `autoprov capture --count 4 --config` on ob-ph prints phone 1's
#    DISCOVER, OFFER, REQUEST, ACK (class, server id, option 66)
#  - every Fanvil phone ends verified; its lease in autoprov's store is
#    origin observed, server 10.77.0.1, the address dnsmasq gave it
#  - a non-Fanvil client leased by dnsmasq is not learned
#  - autoprov sent nothing: no socket on 67/68, no DHCP packet counted as
#    sent, and every BOOTREPLY on the wire (tcpdump) came from dnsmasq
#  - a graceful restart keeps the learned leases: phone 2, rebooted, is a
#    renewal (not a second lease) and is verified again
#  - an admin's `autoprov lease release` is honoured: phone 3, released and
#    rebooted, gets the same address from dnsmasq, which is a new lease (not
#    a renewal) and provisions it again
#  - `autoprov capture` without --count stops on SIGINT
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=../../scripts/fleet-lib.sh
. "$ROOT/scripts/fleet-lib.sh"
# shellcheck source-path=SCRIPTDIR source=lib-server.sh
. "$LIB_DIR/lib-server.sh"
# shellcheck source-path=SCRIPTDIR source=lib-sipp.sh
. "$LIB_DIR/lib-sipp.sh"

PHONESIM_BIN=${PHONESIM_BIN:-$(dirname "$AUTOPROV_BIN")/phonesim}
require dnsmasq tcpdump sipp curl jq python3 autoprov
[[ -x $PHONESIM_BIN ]] || fatal "phonesim is missing at $PHONESIM_BIN (swift build)"

N=6                               # Fanvil phones: phone 1 alone first (capture), then 2..6
OTHER=02:00:00:aa:00:01           # a laptop: dnsmasq leases it, autoprov must not learn it
SERVER_ID=10.77.0.1
DHNS=$NS_PREFIX-obdh
PHNS=$NS_PREFIX-obph
setup_pair "$DHNS" "$PHNS" ob-dh ob-ph "$SERVER_ID/24"
ip -n "$PHNS" addr add 10.77.0.2/24 dev ob-ph || fatal "cannot address ob-ph"
ip -n "$PHNS" route add local 10.78.0.0/24 dev lo || fatal "cannot route 10.78.0.0/24 locally"
ip -n "$DHNS" route add 10.78.0.0/24 via 10.77.0.2 || fatal "cannot route 10.78.0.0/24 to the phones"
ulimit -n 65536 2>/dev/null

# --- tcpdump: every DHCP packet on the observed link, for the "sent nothing" check
PCAP=$TMPD/dhcp.pcap
ip netns exec "$PHNS" tcpdump -i ob-ph -n -U --immediate-mode -Z root -w "$PCAP" 'udp and (port 67 or port 68)' 2>"$TMPD/tcpdump.log" &
TCPDUMP_PID=$!
bg_track "$TCPDUMP_PID"
wait_for "grep -q 'listening on' '$TMPD/tcpdump.log'" 10 "tcpdump to listen" || fatal "tcpdump did not start"

# --- dnsmasq: the other DHCP server
# shellcheck disable=SC2016
ip netns exec "$DHNS" dnsmasq --no-daemon --port=0 --bind-interfaces --interface=ob-dh --except-interface=lo \
    --user=root --group=root --pid-file= --no-resolv --no-hosts --no-ping --log-dhcp \
    --dhcp-range=10.78.0.10,10.78.0.250,255.255.255.0,600 \
    --dhcp-option='66,http://10.77.0.2:8080/$mac.cfg' \
    --dhcp-leasefile="$TMPD/dnsmasq.leases" >"$TMPD/dnsmasq.log" 2>&1 &
bg_track $!
wait_for "ip netns exec '$DHNS' ss -Hulpn 'sport = :67' | grep -q dnsmasq" 10 "dnsmasq to bind port 67" ||
    fatal "dnsmasq did not start: $(tail -5 "$TMPD/dnsmasq.log")"
log "dnsmasq serving 10.78.0.10-250 through relays, server id $SERVER_ID"

# --- autoprov: observe only
CFG=$TMPD/autoprov.yml
cat >"$CFG" <<YAML
store:
  path: $TMPD/store/autoprov.sqlite
dhcp:
  interfaces:
    - {name: ob-ph, mode: observe}
  classes:
    - name: fanvil
      match: {oui: ["0c:38:3e"]}
      options: {}
config_server:
  listen: 10.77.0.2:8080
admin:
  enabled: true
  listen: 127.0.0.1:8081
post_provision:
  api_port: 80
  deadline: 90
  lease_grace: 2
  fetch_settle: 0.5
  request_timeout: 3
YAML
mkdir -p "$TMPD/store"
"$AUTOPROV_BIN" check-config --config "$CFG" >"$TMPD/check-config.txt" 2>&1 ||
    fatal "check-config refused the observe config: $(cat "$TMPD/check-config.txt")"
fleet_inventory "$TMPD/devices.csv" "$TMPD/users.csv" "$N"
"$AUTOPROV_BIN" device import "$TMPD/devices.csv" --config "$CFG" >/dev/null || fatal "inventory import failed"
start_sipp_registrar "$PHNS" "$TMPD/users.csv"
start_server "$CFG" "$PHNS" 8080 8081
readyz() { ip netns exec "$PHNS" curl -fsS -m 2 http://127.0.0.1:8081/readyz; }
wait_for readyz 10 "autoprov ready (capture handle open)" || fatal "autoprov not ready: $(readyz 2>&1)"
pass "autoprov ready with dhcp observe and no DHCP socket"
sockets=$(ip netns exec "$PHNS" ss -Hulpn | grep -E ':6[78]\b' | grep -c autoprov || true)
assert_eq "autoprov's UDP sockets on 67/68" 0 "$sockets"

# --- autoprov capture: phone 1's exchange, four lines
CAPTURE=$TMPD/capture.txt
ip netns exec "$PHNS" "$AUTOPROV_BIN" capture --interface ob-ph --count 4 --config "$CFG" >"$CAPTURE" 2>"$TMPD/capture.err" &
CAPTURE_PID=$!
bg_track "$CAPTURE_PID"
wait_for "grep -q capturing '$TMPD/capture.err'" 10 "autoprov capture to start" ||
    fatal "autoprov capture did not start: $(cat "$TMPD/capture.err")"
EVENTS=$TMPD/phones.jsonl
P1=$(fleet_mac 1)
ip netns exec "$PHNS" "$PHONESIM_BIN" fleet --count 1 --mac-base "$P1" --server "$SERVER_ID" --relay 10.78.0.1 \
    --device ob-ph --events "$EVENTS" 2>"$TMPD/phonesim1.log" &
bg_track $!
wait_for "! kill -0 $CAPTURE_PID" 20 "autoprov capture --count 4 to end" ||
    { fail "capture did not end after 4 packets"; kill -KILL "$CAPTURE_PID"; }
wait "$CAPTURE_PID"
assert_eq "autoprov capture exit status" 0 "$?"
log "capture:"; sed "s/^/[$TEST_NAME]   | /" "$CAPTURE"
P1C=$(sed 's/../&:/g; s/:$//' <<<"$P1")
assert_eq "capture printed 4 lines" 4 "$(wc -l <"$CAPTURE")"
i=0
for type in DISCOVER OFFER REQUEST ACK; do
    i=$((i + 1))
    line=$(sed -n "${i}p" "$CAPTURE")
    assert_true "capture line $i: $type from/for phone 1, class fanvil" \
        grep -Eq "^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3} $type $P1C class=fanvil xid=0x[0-9a-f]{8} " <<<"$line"
done
ack=$(sed -n 4p "$CAPTURE")
assert_contains "capture ACK: the server id" "$ack" "server=$SERVER_ID"
assert_contains "capture ACK: the relay" "$ack" "giaddr=10.78.0.1"
assert_contains "capture ACK: option 66 with \$mac" "$ack" 'opt66="http://10.77.0.2:8080/$mac.cfg'
assert_contains "capture ACK: the lease time" "$ack" "lease=600"
assert_contains "capture DISCOVER: the parameter request list" "$(sed -n 1p "$CAPTURE")" "prl=1,3,6,15,42,43,66"

# --- the rest of the fleet, and a client that is not a phone
ip netns exec "$PHNS" "$PHONESIM_BIN" fleet --count $((N - 1)) --mac-base "$(fleet_mac 2)" --server "$SERVER_ID" \
    --relay 10.78.0.2 --device ob-ph --boot-spread 2 --events "$EVENTS.2" 2>"$TMPD/phonesim2.log" &
bg_track $!
# One relay socket per phonesim process, so one relay address each.
ip netns exec "$PHNS" "$PHONESIM_BIN" fleet --count 1 --mac-base "${OTHER//:/}" --server "$SERVER_ID" \
    --relay 10.78.0.3 --device ob-ph --api-port 8088 --sip-port 5070 --events "$EVENTS.other" 2>"$TMPD/phonesim-other.log" &
bg_track $!
log "phonesim: phones 2-$N and one non-Fanvil client ($OTHER) booting"

wait_for "(( \$(fleet_final_count '$AUTOPROV_BIN' '$CFG') >= $N ))" 90 "every phone's job to end" ||
    fail "not every job ended: $(fleet_states "$AUTOPROV_BIN" "$CFG")"
STATUS=$TMPD/status.json
"$AUTOPROV_BIN" status --json --config "$CFG" >"$STATUS"
verified=$(jq '[.[] | select(.state == "verified")] | length' "$STATUS")
assert_eq "phones verified through observed leases" "$N" "$verified"
registered=$(cat "$EVENTS" "$EVENTS.2" | jq -r 'select(.event == "registered" and .code == 200) | .mac' | sort -u | wc -l)
assert_eq "phones that registered with sipp" "$N" "$registered"

LEASES=$TMPD/leases.json
"$AUTOPROV_BIN" leases --json --config "$CFG" >"$LEASES"
for ((i = 1; i <= N; i++)); do
    m=$(sed 's/../&:/g; s/:$//' <<<"$(fleet_mac "$i")")
    given=$(awk -v m="$m" '$2 == m {print $3}' "$TMPD/dnsmasq.leases")
    learned=$(jq -r --arg m "$m" '.[] | select(.mac == $m and .state == "bound") | "\(.ip) \(.origin) \(.server) \(.class)"' "$LEASES")
    assert_eq "phone $i: learned lease = dnsmasq's" "$given observed $SERVER_ID fanvil" "$learned"
done
wait_for "grep -q '\"leased\"' '$EVENTS.other'" 30 "the non-Fanvil client to get a lease" ||
    fail "dnsmasq gave the non-Fanvil client no lease"
other_ip=$(awk -v m="$OTHER" '$2 == m {print $3}' "$TMPD/dnsmasq.leases")
assert_ne "dnsmasq leased the non-Fanvil client" "" "$other_ip"
assert_eq "autoprov's leases of the non-Fanvil client" "[]" "$("$AUTOPROV_BIN" leases --mac "$OTHER" --json --config "$CFG" | jq -c .)"
events=$("$AUTOPROV_BIN" device show "$P1" --events 40 --config "$CFG")
assert_contains "phone 1's events: the observed lease" "$events" " leased "
assert_contains "phone 1's events: verified" "$events" " provision-verified "

METRICS=$(ip netns exec "$PHNS" curl -fsS -m 2 http://127.0.0.1:8081/metrics)
metric() { awk -v k="$1" '$1 == k {print $2}' <<<"$METRICS"; }
acks=$(metric 'autoprov_dhcp_observed_total{type="ack"}')
assert_true "ACKs observed ($acks)" test "${acks:-0}" -ge $((N + 1))
learned=$(metric autoprov_dhcp_observed_leases_learned_total)
assert_true "leases learned ($learned)" test "${learned:-0}" -ge "$N"
unmatched=$(metric 'autoprov_dhcp_observed_ignored_total{reason="unmatched"}')
assert_true "the non-Fanvil ACK was counted as unmatched ($unmatched)" test "${unmatched:-0}" -ge 1
sent=$(grep '^autoprov_dhcp_packets_sent_total' <<<"$METRICS" | awk '{s += $2} END {print s + 0}')
assert_eq "DHCP packets autoprov counted as sent" 0 "$sent"

# A restart keeps what was learned: phone 2 rebooted afterwards gets the
# same address from dnsmasq, which autoprov records as a renewal, not as a
# new lease, and the reboot's own triggers verify it again.
stop_server
assert_eq "autoprov serve exit status on SIGTERM (an idle capture handle is woken)" 0 "$SERVER_RC"
assert_contains "the observer stopped" "$(cat "$SERVER_LOG")" "stopped observing DHCP"
start_server "$CFG" "$PHNS" 8080 8081
wait_for readyz 10 "autoprov ready again" || fatal "autoprov not ready after the restart"
P2=$(fleet_mac 2)
# job_updated MAC: when the device's job last changed.
job_updated() { "$AUTOPROV_BIN" status --json --config "$CFG" | jq -r --arg m "$1" '.[] | select(.mac == $m) | .updated'; }
# verified_since MAC T: the device's job is verified, and changed after T.
verified_since() {
    "$AUTOPROV_BIN" status --json --config "$CFG" |
        jq -e --arg m "$1" --argjson t "$2" '.[] | select(.mac == $m and .state == "verified" and .updated > $t)' >/dev/null
}
# expect_reverified WHAT MAC T: waits for verified_since MAC T.
expect_reverified() {
    if wait_for "verified_since $2 $3" 30 "$1"; then pass "$1"; else
        fail "$1: $("$AUTOPROV_BIN" status --json --config "$CFG" | jq -c --arg m "$2" '.[] | select(.mac == $m)')"
    fi
}
before=$(job_updated "$P2")
assert_eq "autoprov phone reboot (phone 2)" "RetCode 0" "$(ip netns exec "$PHNS" "$AUTOPROV_BIN" phone reboot "$P2" --config "$CFG" 2>&1)"
# lease_events MAC: " N leased M renewed " from the device's event history.
lease_events() { "$AUTOPROV_BIN" device show "$1" --events 100 --config "$CFG" | grep -Eo ' (leased|renewed) ' | sort | uniq -c | tr -s ' \n' ' '; }
wait_for "lease_events $P2 | grep -q renewed" 20 "phone 2's ACK after its reboot to be learned" ||
    fail "no renewal learned after the reboot: $(lease_events "$P2")"
assert_eq "phone 2's lease events after a restart and a reboot" " 1 leased 1 renewed " "$(lease_events "$P2")"
expect_reverified "phone 2 verified again after its reboot" "$P2" "$before"

# An admin's release is honoured: phone 3's observed lease is released with
# `autoprov lease release`, then the phone reboots and dnsmasq gives it the
# same address again. autoprov must record that as a new lease (the store
# says the old one was released), not as a renewal of the lease it still
# remembered, and the new lease provisions the phone again.
P3=$(fleet_mac 3)
before3=$(job_updated "$P3")
"$AUTOPROV_BIN" lease release "$P3" --config "$CFG" >"$TMPD/release.out" 2>&1
assert_eq "autoprov lease release (phone 3), exit status" 0 "$?"
assert_eq "phone 3's lease in the store after the release" "released" \
    "$("$AUTOPROV_BIN" leases --json --config "$CFG" | jq -r --arg m "$(sed 's/../&:/g; s/:$//' <<<"$P3")" '.[] | select(.mac == $m) | .state')"
assert_eq "autoprov phone reboot (phone 3)" "RetCode 0" "$(ip netns exec "$PHNS" "$AUTOPROV_BIN" phone reboot "$P3" --config "$CFG" 2>&1)"
wait_for "lease_events $P3 | grep -q ' 2 leased'" 20 "phone 3's ACK after the release to be learned" ||
    fail "no new lease learned after the release: $(lease_events "$P3")"
assert_eq "phone 3's lease events after a release and a reboot" " 2 leased " "$(lease_events "$P3")"
expect_reverified "phone 3 verified again after the release" "$P3" "$before3"

# capture without --count stops on SIGINT
ip netns exec "$PHNS" "$AUTOPROV_BIN" capture --interface ob-ph --all >"$TMPD/capture-all.txt" 2>"$TMPD/capture-all.err" &
CAPTURE_PID=$!
bg_track "$CAPTURE_PID"
wait_for "grep -q capturing '$TMPD/capture-all.err'" 10 "autoprov capture --all to start" || fail "capture --all did not start"
kill -INT "$CAPTURE_PID"
if wait_for "! kill -0 $CAPTURE_PID" 5 "autoprov capture to stop on SIGINT"; then
    wait "$CAPTURE_PID"
    assert_eq "autoprov capture stops on SIGINT, exit status" 0 "$?"
else
    fail "autoprov capture ignored SIGINT"
    kill -KILL "$CAPTURE_PID"
fi

kill -TERM "$TCPDUMP_PID" 2>/dev/null
wait "$TCPDUMP_PID" 2>/dev/null
replies=$(tcpdump -n -r "$PCAP" 'udp[8] == 2' 2>/dev/null | awk '{print $3}' | sort | uniq -c)
log "BOOTREPLY senders on ob-ph: $(tr -s ' \n' ' ' <<<"$replies")"
total=$(awk '{s += $1} END {print s + 0}' <<<"$replies")
# 7 clients x (OFFER + ACK), and phones 2 and 3's after their reboots.
assert_true "BOOTREPLYs on the wire, the reboot's included ($total)" test "$total" -ge 16
others=$(tcpdump -n -r "$PCAP" "udp[8] == 2 and not src host $SERVER_ID" 2>/dev/null | wc -l)
assert_eq "BOOTREPLYs not from dnsmasq" 0 "$others"
requests_from_us=$(tcpdump -n -r "$PCAP" 'udp[8] == 1 and not (src host 10.78.0.1 or src host 10.78.0.2 or src host 10.78.0.3)' 2>/dev/null | wc -l)
assert_eq "BOOTREQUESTs from anyone but the phones' relays" 0 "$requests_from_us"
finish
