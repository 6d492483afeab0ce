#!/usr/bin/env bash
# SIP PnP (issue 7, "when DHCP cannot be changed"): autoprov answers
# SUBSCRIBE ua-profile on 224.0.1.75:5060 with 200 OK and a NOTIFY carrying
# the provisioning URL.
#
# Topology (two namespaces; nothing touches a host interface):
#   SRVNS  autoprov: DHCP on lo (phonesim's relay path, no option 66), config
#          files on 127.0.0.1:8080, admin (/metrics) on 127.0.0.1:8081,
#          SIP PnP on lo and on the veth pnp-s (192.0.2.1/24), joined to
#          224.0.1.75 on both; phonesim's phones lease 127.64.x.y addresses
#   CLINS  sipp on the veth peer pnp-c (192.0.2.10/24), multicast route
#          224.0.0.0/4 via pnp-c
#
#  (a) sipp sends a crafted SUBSCRIBE (Tests/Integration/sipp/pnp-subscribe.xml)
#      to 224.0.1.75:5060: 200 OK, then a NOTIFY, Content-Type application/url,
#      body the URL with $mac expanded, answered 200; the NOTIFY's headers.
#  (b) a SUBSCRIBE for Event: presence, one from a MAC nobody knows, and a
#      garbage datagram: no answer at all, and their counters on /metrics rise.
#  (c) phonesim phones with --pnp fallback (DHCP gives them no URL) learn the
#      URL by PnP and each fetches its own file from it: autoprov's events
#      show a sip-pnp answer and a config-fetch of <mac>.cfg (200) per phone.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=../../scripts/fleet-lib.sh disable=SC1091
. "$ROOT/scripts/fleet-lib.sh"

PHONESIM_BIN=${PHONESIM_BIN:-$(dirname "$AUTOPROV_BIN")/phonesim}
require sipp python3 jq curl sqlite3 autoprov
[[ -x $PHONESIM_BIN ]] || fatal "phonesim is missing at $PHONESIM_BIN (swift build)"

SRVNS=$NS_PREFIX-pnps
CLINS=$NS_PREFIX-pnpc
setup_pair "$SRVNS" "$CLINS" pnp-s pnp-c 192.0.2.1/24
ip -n "$CLINS" addr add 192.0.2.10/24 dev pnp-c || fatal "cannot address pnp-c"
ip -n "$CLINS" route add 224.0.0.0/4 dev pnp-c || fatal "no multicast route in $CLINS"
ip -n "$SRVNS" link set lo multicast on || fatal "cannot enable multicast on $SRVNS's lo"

N=4
SIPP_MAC=0c383e0000aa
# shellcheck disable=SC2016  # $mac is for autoprov to expand
URL='http://127.0.0.1:8080/$mac.cfg'
CFG=$TMPD/autoprov.yml
cat >"$CFG" <<YAML
store:
  path: $TMPD/autoprov.sqlite
log:
  level: debug
dhcp:
  interfaces: [lo]
  subnets:
    - subnet: 127.0.0.0/16
      pools: ["127.0.1.1-127.0.1.10"]
    - subnet: 127.64.0.0/16
      pools: ["127.64.1.1-127.64.1.250"]
  classes:
    # The phones' class, without option 66: the DHCP "cannot be changed".
    - name: fanvil
      match: {oui: ["0c:38:3e"]}
inventory:
  shipped_templates: $ROOT/Templates
config_server:
  listen: 127.0.0.1:8080
admin:
  enabled: true
  listen: 127.0.0.1:8081
  token_file: ""
post_provision:
  enabled: false
sip_pnp:
  enabled: true
  interfaces: [lo, pnp-s]
  url: "$URL"
YAML
fleet_inventory "$TMPD/devices.csv" "$TMPD/users.csv" "$N"
"$AUTOPROV_BIN" device import "$TMPD/devices.csv" --config "$CFG" >/dev/null || fatal "inventory import failed"
start_server "$CFG" "$SRVNS"
wait_listening "$SRVNS" 8080 8081
# /readyz waits for sip_pnp: every interface's socket bound (not the log's wording).
wait_for "ip netns exec '$SRVNS' curl -sf http://127.0.0.1:8081/readyz" 10 "readiness" || fatal "/readyz not ready"
PNP_SOCKETS=$(ip netns exec "$SRVNS" ss -Huln 'sport = :5060' | awk '{print $4}' | sort | tr '\n' ' ')
assert_contains "SIP PnP socket bound to pnp-s" "$PNP_SOCKETS" "%pnp-s:5060"
assert_contains "SIP PnP socket bound to lo" "$PNP_SOCKETS" "%lo:5060"
pass "SIP PnP listening on lo and pnp-s, /readyz ready"
assert_contains "joined 224.0.1.75 on pnp-s" "$(ip netns exec "$SRVNS" ip maddr show dev pnp-s)" "224.0.1.75"

# metric RESULT: autoprov_sip_pnp_packets_total{result="RESULT"} (0 when absent).
metric() { metric_sum autoprov_sip_pnp_packets_total result="$1"; }

# sipp_run NAME SCENARIO MAC EVENT: one call from 192.0.2.10:5070 in CLINS; its rc.
sipp_run() {
    local name=$1 scenario=$2 mac=$3 event=$4 dir=$TMPD/sipp-$1
    mkdir -p "$dir" && cp "$LIB_DIR/sipp/$scenario" "$dir/"
    (cd "$dir" && timeout 20 ip netns exec "$CLINS" sipp 224.0.1.75:5060 -sf "$scenario" -i 192.0.2.10 -p 5070 \
        -m 1 -key mac "$mac" -key event "$event" -nostdin -trace_msg -trace_logs -trace_err -timeout 15 \
        </dev/null >sipp.out 2>&1)
}
UA_PROFILE='ua-profile;profile-type="device";vendor="Fanvil";model="X4U";version="2.12.16"'

# (a) the crafted SUBSCRIBE
answered0=$(metric answered)
if sipp_run a pnp-subscribe.xml "$SIPP_MAC" "$UA_PROFILE"; then pass "sipp: 200 OK, NOTIFY application/url, answered"
else fail "sipp's PnP call failed: $(tail -5 "$TMPD/sipp-a/sipp.out"; cat "$TMPD"/sipp-a/*errors.log 2>/dev/null | tail -5)"; fi
assert_eq "the URL in the NOTIFY ($SIPP_MAC expanded)" "http://127.0.0.1:8080/$SIPP_MAC.cfg" \
    "$(sed -n 's/^NOTIFY-URL //p' "$TMPD"/sipp-a/*_logs.log 2>/dev/null | head -1)"
msgs=$(cat "$TMPD"/sipp-a/*_messages.log 2>/dev/null)
notify=$(awk '/^NOTIFY sip:/ {p=1} p {print} p && /^\r?$/ {exit}' <<<"$msgs" | tr -d '\r')
ok200=$(awk '/^SIP\/2.0 200 OK/ {p=1} p {print} p && /^\r?$/ {exit}' <<<"$msgs" | tr -d '\r')
assert_contains "NOTIFY goes to the Contact" "$notify" "NOTIFY sip:$SIPP_MAC@192.0.2.10:5070 SIP/2.0"
assert_contains "NOTIFY Event echoes the subscription" "$notify" "Event: $UA_PROFILE"
assert_contains "NOTIFY Subscription-State" "$notify" "Subscription-State: terminated;reason=timeout"
assert_contains "NOTIFY Content-Type" "$notify" "Content-Type: application/url"
assert_contains "NOTIFY To is the subscriber" "$notify" "To: <sip:$SIPP_MAC@224.0.1.75>;tag="
assert_contains "200 OK Via stamped with received/rport" "$ok200" "received=192.0.2.10"
assert_contains "200 OK To has our tag" "$ok200" "To: <sip:$SIPP_MAC@224.0.1.75>;tag="
assert_contains "200 OK Expires echoed" "$ok200" "Expires: 0"
if wait_for "(( \$(metric notify-answered) >= 1 ))" 5 "the NOTIFY's 200 to be counted"; then
    pass "the NOTIFY's 200 OK reached autoprov"
else
    fail "notify-answered counter: $(metric notify-answered)"
fi
assert_eq "answered counter" $((answered0 + 1)) "$(metric answered)"
assert_eq "the sip-pnp event of the sipp phone (ip, URL, agent)" "192.0.2.10|http://127.0.0.1:8080/$SIPP_MAC.cfg|Fanvil X4U 2.12.16" \
    "$(sqlite3 "$TMPD/autoprov.sqlite" "SELECT ip, file, user_agent FROM device_event WHERE kind = 'sip-pnp' AND mac = '0c:38:3e:00:00:aa'")"

# (b) what must stay unanswered
other0=$(metric other-event) unknown0=$(metric unknown-device) garbage0=$(metric malformed)
if sipp_run b1 pnp-unanswered.xml "$SIPP_MAC" "presence"; then pass "Event: presence got no answer"
else fail "Event: presence was answered: $(grep -m3 'SIP/2.0\|NOTIFY' "$TMPD"/sipp-b1/*_messages.log)"; fi
if sipp_run b2 pnp-unanswered.xml 001122334455 "$UA_PROFILE"; then pass "an unknown MAC got no answer"
else fail "an unknown MAC was answered: $(grep -m3 'SIP/2.0\|NOTIFY' "$TMPD"/sipp-b2/*_messages.log)"; fi
ip netns exec "$CLINS" python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("192.0.2.10", 5071))
s.sendto(b"\x00\xffNOT SIP AT ALL\r\n\r\n", ("224.0.1.75", 5060))
s.settimeout(2)
try:
    s.recvfrom(2048); print("ANSWERED")
except socket.timeout:
    print("silent")' >"$TMPD/garbage.out" 2>&1
assert_eq "garbage datagram: no answer" silent "$(cat "$TMPD/garbage.out")"
if wait_for "(( \$(metric other-event) > $other0 && \$(metric unknown-device) > $unknown0 && \$(metric malformed) > $garbage0 ))" 5 \
    "the drop counters"; then
    pass "drop counters rose (other-event, unknown-device, malformed)"
else
    fail "drop counters: other-event $other0 -> $(metric other-event), unknown-device $unknown0 -> $(metric unknown-device), malformed $garbage0 -> $(metric malformed)"
fi
leaked=$(grep -c 'NOT SIP AT ALL' "$SERVER_LOG" || true)
assert_eq "the garbage packet is not dumped into the log" 0 "$leaked"

# (c) simulated phones discovering the URL by PnP
EVENTS=$TMPD/phones.jsonl
ip netns exec "$SRVNS" "$PHONESIM_BIN" fleet --count "$N" --mac-base "$(fleet_mac 1)" --relay "$FLEET_RELAY" \
    --pnp fallback --sip-port 5062 --api-port 8090 --events "$EVENTS" 2>"$TMPD/phonesim.log" &
bg_track $!
fetched() { jq -r 'select(.event == "config-fetched") | .mac' "$EVENTS" 2>/dev/null | sort -u | wc -l; }
wait_for "(( \$(fetched) >= $N ))" 60 "every phone to fetch its config" ||
    fail "only $(fetched) of $N phones fetched a config: $(tail -3 "$TMPD/phonesim.log")"
pnp=$(jq -r 'select(.event == "pnp") | .mac' "$EVENTS" | sort -u | wc -l)
assert_eq "phones that learnt the URL by PnP" "$N" "$pnp"
# device_rows MAC: "kind file status" per device event, oldest first.
device_rows() {
    sqlite3 "$TMPD/autoprov.sqlite" "SELECT kind || ' ' || COALESCE(file, '') || ' ' || COALESCE(status, '')
        FROM device_event WHERE mac = '$(sed 's/../&:/g; s/:$//' <<<"$1")' ORDER BY id"
}
for ((i = 1; i <= N; i++)); do
    m=$(fleet_mac "$i")
    # Fetch events are written by autoprov's recorder in batches, shortly after the answer.
    wait_for "device_rows $m | grep -q '^config-fetch $m.cfg 200'" 5 "phone $m's config-fetch event" || true
    rows=$(device_rows "$m")
    assert_contains "phone $m: autoprov told it the URL by PnP" "$rows" "sip-pnp http://127.0.0.1:8080/$m.cfg"
    assert_contains "phone $m: fetched its own file from it" "$rows" "config-fetch $m.cfg 200"
done
finish
