#!/usr/bin/env bash
# Hostile and malformed traffic against `autoprov serve` (dhcpcraft.py sends
# crafted datagrams from the client namespace, broadcast to
# 255.255.255.255:67 from port 68 on cli0, or unicast to the server):
#  1. truncated datagrams (0, 1, 10, 239 bytes; header without cookie; bad
#     cookie)                                          -> drop_malformed
#  2. option lengths past the end of the packet        -> drop_malformed
#  3. option overload (52): invalid values / lengths, repeated 52, an
#     overloaded field whose options run past its end  -> drop_malformed;
#     52 again inside file/sname (a loop if followed) is not followed: the
#     request is answered once, nothing loops
#  4. a 255-byte option 61 (valid)                     -> OFFER, no drop
#  5. hlen > 16                                        -> drop_malformed
#  6. giaddr on the direct interface with hops 0, giaddr = the server's own
#     address                                          -> drop_spoofed_relay
#  6b. an INFORM whose ciaddr (where its ACK would be unicast: a reflection)
#     lies outside the interface's subnet        -> drop_inform_foreign_ciaddr
#     (the sync INFORM has ciaddr 0: its ACK is broadcast on the link)
#  7. bad op codes (malformed), BOOTREPLY (not_a_request), no option 53 /
#     bad option 53 (no_message_type), client-invalid types
#     (unsupported_message_type)
#  For each kind: exactly N packets sent -> the drop_<reason> counter of the
#  SIGUSR1 `stats` line grows by exactly N (no other drop counter moves),
#  nothing is answered, and a `request dropped reason=<reason>` line with
#  the expected detail is logged. Every batch ends with an INFORM whose ACK
#  proves the server handled the batch (same socket, in order).
#  8. a flood of 5000 DISCOVERs from 5000 random MACs at ~2500/s against a
#     20-address pool in which 5 clients hold bound leases: the pool is
#     exhausted (drop_pool_exhausted > 0, every DISCOVER either offered or
#     counted), no bound address is offered to anyone else, the bound
#     MAC->IP pairs are unchanged and each renews (unicast REQUEST with
#     ciaddr) with an ACK.
#  9. a DECLINE storm: one client DORA+DECLINEs until the pool is exhausted;
#     `leases --state declined` grows by one per DECLINE, no OFFER (to
#     anyone, checked on the wire) ever carries a declined address, bound
#     clients keep their leases and renew.
#  Finally the server is the same process, still alive, and a busybox
#  udhcpc gets a lease (the address a bound client released).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require udhcpc ip ss jq python3 autoprov

SRVNS=$NS_PREFIX-srv
CLINS=$NS_PREFIX-cli
SERVER_IP=192.0.2.1
CLI_MAC=02:00:00:c1:00:01          # cli0's own MAC (the final udhcpc client)
POOL_FIRST=192.0.2.100
POOL_LAST=192.0.2.119              # 20 addresses
POOL_SIZE=20
NBOUND=5
UDHCPC=$(udhcpc_cmd)

setup_pair "$SRVNS" "$CLINS" srv0 cli0 "$SERVER_IP/24" "$CLI_MAC"

CFG=$TMPD/autoprov.yml
write_config "$CFG" srv0 "    - subnet: 192.0.2.0/24
      pools:
        - $POOL_FIRST-$POOL_LAST
      lease_time: 3600
      router: $SERVER_IP
      dns: [$SERVER_IP]"
# A short offer hold, so the addresses held by the flood's offers come back
# within seconds for the DECLINE storm. Quarantine stays long (3600 s).
sed -i 's/^  offer_hold: .*/  offer_hold: 4/' "$CFG"
grep -q '^  offer_hold: 4$' "$CFG" || fatal "could not set offer_hold in $CFG"
grep -q '^  decline_quarantine: 3600$' "$CFG" || fatal "unexpected decline_quarantine in $CFG"
grep -q '^  level: info$' "$CFG" || fatal "config must log at info (drop lines)"

start_server "$CFG"
FIRST_PID=$SERVER_PID
SNIFF=$TMPD/sniff.jsonl
start_sniffer "$CLINS" cli0 "$SNIFF"

craft() { ip netns exec "$CLINS" timeout 60 python3 "$LIB_DIR/dhcpcraft.py" cli0 "$SERVER_IP" "$@"; }

server_alive() {
    [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null
}
require_alive() {
    server_alive || fatal "server died ($*): $(tail -n 5 "$SERVER_LOG" | tr '\n' '|')"
}

# ------------------------------------------------------------------ stats ---
STATS=""
stats_count() { grep -c '\[DHCPServer\] stats$' "$SERVER_LOG" 2>/dev/null; }
# take_stats: SIGUSR1, then wait (deadline) for the new stats line -> $STATS
take_stats() {
    require_alive "before SIGUSR1"
    local n
    n=$(stats_count)
    kill -USR1 "$SERVER_PID"
    wait_for "(( \$(stats_count) > $n ))" 10 "stats line after SIGUSR1" ||
        fatal "no stats line within 10 s of SIGUSR1"
    STATS=$(grep '\[DHCPServer\] stats$' "$SERVER_LOG" | tail -n 1)
}
# stat NAME [LINE]: counter value in a stats line (absent = 0)
stat() {
    local line=${2:-$STATS} v
    v=$(grep -o " $1=[0-9]*" <<<"$line" | head -n 1 | cut -d= -f2)
    echo "${v:-0}"
}
# drop_total [LINE]: sum of every drop_* counter
drop_total() {
    local line=${1:-$STATS}
    grep -o ' drop_[a-z_]*=[0-9]*' <<<"$line" | awk -F= '{s += $2} END {print s + 0}'
}

# expect_drop KIND COUNT REASON DETAIL [--unicast]
# Sends COUNT packets of KIND (then an INFORM to sync) and checks: no reply
# to them, drop_REASON grew by exactly COUNT, no other drop counter moved,
# and a new `request dropped` line with reason=REASON and DETAIL.
expect_drop() {
    local kind=$1 n=$2 reason=$3 detail=$4; shift 4
    local before lines res after d other nrep hex newlog
    take_stats; before=$STATS
    lines=$(wc -l <"$SERVER_LOG")
    res=$(craft send "$kind" --count "$n" --sync --hex "$@") || {
        fail "$kind: dhcpcraft failed or the sync INFORM got no ACK: $res"
        require_alive "after $kind"
        return 1
    }
    hex=$(jq -r .hex <<<"$res")
    take_stats; after=$STATS
    nrep=$(jq '.replies | length' <<<"$res")
    assert_eq "$kind (${n}x $(jq -c .bytes <<<"$res") bytes): no reply" 0 "$nrep" ||
        log "  replies: $(jq -c .replies <<<"$res") packet: $hex"
    d=$(($(stat "drop_$reason" "$after") - $(stat "drop_$reason" "$before")))
    assert_eq "$kind: drop_$reason grew by exactly $n" "$n" "$d" ||
        log "  packet hex: $hex"
    other=$(($(drop_total "$after") - $(drop_total "$before") - d))
    assert_eq "$kind: no other drop counter moved" 0 "$other" ||
        log "  before: $before"$'\n'"  after:  $after"
    newlog=$(tail -n +"$((lines + 1))" "$SERVER_LOG" | grep '\[DHCPServer\] request dropped$')
    assert_contains "$kind: logged as dropped with reason=$reason" "$newlog" "detail=$detail" &&
        assert_contains "$kind: log line reason" "$(grep -F -m1 "detail=$detail" <<<"$newlog")" "reason=$reason"
    require_alive "after $kind"
}

# expect_answer KIND COUNT TYPE: COUNT packets of KIND each get exactly one
# reply of TYPE (2 OFFER), and no drop is counted.
expect_answer() {
    local kind=$1 n=$2 type=$3; shift 3
    local before res after nrep hex
    take_stats; before=$STATS
    res=$(craft send "$kind" --count "$n" --sync --hex "$@") || {
        fail "$kind: dhcpcraft failed or the sync INFORM got no ACK: $res"
        require_alive "after $kind"
        return 1
    }
    hex=$(jq -r .hex <<<"$res")
    take_stats; after=$STATS
    nrep=$(jq --argjson t "$type" '[.replies[] | select(.type == $t)] | length' <<<"$res")
    assert_eq "$kind: answered, one reply of type $type per packet" "$n" "$nrep" ||
        log "  replies: $(jq -c .replies <<<"$res") packet: $hex"
    assert_eq "$kind: no reply of another type" "$n" "$(jq '.replies | length' <<<"$res")"
    assert_eq "$kind: no drop counted" 0 "$(($(drop_total "$after") - $(drop_total "$before")))" ||
        log "  packet hex: $hex; after: $after"
    jq -r '.replies[].yiaddr' <<<"$res" | while read -r y; do
        ip_in_range "$y" "$POOL_FIRST" "$POOL_LAST" || fail "$kind: offered address '$y' not in the pool"
    done
    LAST_REPLIES=$res
    require_alive "after $kind"
}

# --------------------------------------------------------- bound clients ---
# NBOUND clients bind with DISCOVER/OFFER/REQUEST/ACK before the attacks.
declare -A BOUND=()
for i in $(seq 1 "$NBOUND"); do
    mac=$(printf '02:00:00:b0:00:%02x' "$i")
    r=$(craft dora --mac "$mac") || fatal "dora $mac failed: $r"
    ip=$(jq -r '.ack // empty' <<<"$r")
    [[ -n $ip ]] || fatal "bound client $mac got no ACK: $r"
    BOUND[$mac]=$ip
done
# the bound addresses on cli0, so unicast replies (renew ACKs) reach us
for mac in "${!BOUND[@]}"; do
    ip -n "$CLINS" addr add "${BOUND[$mac]}/24" dev cli0 || fatal "cannot add ${BOUND[$mac]} to cli0"
done
bound_pairs() {
    leases_json "$CFG" --state bound | jq -c '[.[] | {mac, ip}] | sort_by(.mac)'
}
wait_for "[[ \$(bound_pairs | jq length) == $NBOUND ]]" 10 "$NBOUND bound leases in the store" ||
    fatal "expected $NBOUND bound leases, store has: $(bound_pairs)"
BOUND_PAIRS=$(bound_pairs)
EXPECTED_PAIRS=$(for mac in "${!BOUND[@]}"; do printf '{"mac":"%s","ip":"%s"}\n' "$mac" "${BOUND[$mac]}"; done |
    jq -s -c 'sort_by(.mac)')
assert_eq "bound clients: leases --state bound lists them" "$EXPECTED_PAIRS" "$BOUND_PAIRS"

# check_bound LABEL: the same MAC->IP pairs bound, and each renews (ACK)
check_bound() {
    local label=$1 mac r
    assert_eq "$label: bound MAC->IP pairs unchanged" "$BOUND_PAIRS" "$(bound_pairs)"
    for mac in "${!BOUND[@]}"; do
        r=$(craft renew --mac "$mac" --ip "${BOUND[$mac]}")
        if [[ $(jq -r .reply <<<"$r") == ack && $(jq -r .yiaddr <<<"$r") == "${BOUND[$mac]}" ]]; then
            pass "$label: $mac renews ${BOUND[$mac]} (ACK to $(jq -r .dst <<<"$r"))"
        else
            fail "$label: $mac renewing ${BOUND[$mac]}: expected ACK with yiaddr ${BOUND[$mac]}, got $r"
        fi
    done
}

# ------------------------------------------------------- 1. truncated ---
log "1. truncated datagrams"
expect_drop empty     2 malformed "truncated op: needed 1 bytes, 0 available"
expect_drop short1    2 malformed "truncated htype"
expect_drop short10   3 malformed "truncated flags"
expect_drop short239  3 malformed "truncated magic cookie: needed 4 bytes, 3 available"
expect_drop nocookie  3 malformed "truncated magic cookie: needed 4 bytes, 0 available"
expect_drop badcookie 3 malformed "bad magic cookie 0x63825364"
expect_drop short10   2 malformed "truncated flags" --unicast

# ------------------------------------------ 2. option lengths past end ---
log "2. option lengths past the end"
expect_drop optpastend   3 malformed "option 12 declares 200 bytes, only 5 left"
expect_drop optnolength  3 malformed "option 12 declares 1 bytes, only 0 left"
expect_drop opt53pastend 3 malformed "option 53 declares 5 bytes, only 1 left"
expect_drop optpastend   2 malformed "option 12 declares 200 bytes" --unicast

# --------------------------------------------------- 3. option overload ---
log "3. option overload (52)"
expect_drop overload0     3 malformed "option 52 (overload) must be one byte 1, 2 or 3, got [0]"
expect_drop overload4     3 malformed "option 52 (overload) must be one byte 1, 2 or 3, got [4]"
expect_drop overload255   2 malformed "option 52 (overload) must be one byte 1, 2 or 3, got [255]"
expect_drop overloadlen0  2 malformed "option 52 (overload) must be one byte 1, 2 or 3, got []"
expect_drop overloadlen2  2 malformed "option 52 (overload) must be one byte 1, 2 or 3, got [1, 2]"
expect_drop overloadtwice 2 malformed "option 52 (overload) must be one byte 1, 2 or 3, got [1, 2]"
expect_drop overloadfilepastend  3 malformed "option 12 declares 127 bytes, only 126 left"
expect_drop overloadsnamepastend 3 malformed "option 12 declares 100 bytes, only 62 left"
# 52 again inside file/sname (RFC 2131 §4.1 allows it only in the options
# field; following it could loop): refused as malformed, never followed.
expect_drop overloadloop        3 malformed "option 52 (overload) inside the overloaded file field"
expect_drop overloadnestedbad   2 malformed "option 52 (overload) inside the overloaded file field"
expect_drop overloadnestedsname 2 malformed "option 52 (overload) inside the overloaded file field"

# ------------------------------------------------ 4. 255-byte option 61 ---
log "4. a 255-byte option 61 (valid)"
LAST_REPLIES=""
expect_answer long61 3 2 --mac 02:00:00:61:61:61
assert_eq "long61: every OFFER to the same address (same client)" 1 \
    "$(jq '[.replies[].yiaddr] | unique | length' <<<"$LAST_REPLIES")"
assert_eq "long61: sniffer saw the 506-byte DISCOVERs' OFFERs" 3 \
    "$(jq -s '[.[] | select(.op == 2 and .type == 2 and .chaddr == "02:00:00:61:61:61")] | length' "$SNIFF")"

# ------------------------------------------------------------- 5. hlen ---
log "5. hlen > 16"
expect_drop hlen17  3 malformed "hlen 17 is longer than the 16-byte chaddr field"
expect_drop hlen255 2 malformed "hlen 255 is longer than the 16-byte chaddr field"

# --------------------------------------------------- 6. spoofed relays ---
log "6. giaddr on the direct interface"
expect_drop giaddrhops0 3 spoofed_relay "giaddr 198.51.100.1 set but hops is 0"
expect_drop giaddrself  3 spoofed_relay "giaddr $SERVER_IP is our own address on srv0"
expect_drop giaddrhops0 2 spoofed_relay "giaddr 198.51.100.1 set but hops is 0" --unicast
expect_drop informforeign 4 inform_foreign_ciaddr "ciaddr 203.0.113.9 outside 192.0.2.0/24"
expect_drop informforeign 3 inform_foreign_ciaddr "ciaddr 203.0.113.9 outside 192.0.2.0/24" --unicast

# ---------------------------------------------------- 7. not a request ---
log "7. bad op code, BOOTREPLY, no/bad option 53"
expect_drop op0        2 malformed "op 0 is neither BOOTREQUEST (1) nor BOOTREPLY (2)"
expect_drop op3        3 malformed "op 3 is neither BOOTREQUEST (1) nor BOOTREPLY (2)"
expect_drop op255      2 malformed "op 255 is neither BOOTREQUEST (1) nor BOOTREPLY (2)"
expect_drop bootreply  3 not_a_request "op is BOOTREPLY"
expect_drop bootreply  2 not_a_request "op is BOOTREPLY" --unicast
expect_drop no53       3 no_message_type "no option 53"
expect_drop bootp      2 no_message_type "no option 53"
expect_drop type2bytes 2 no_message_type "no option 53"
expect_drop type2      2 unsupported_message_type "type OFFER is not one a client sends"
expect_drop type0      2 unsupported_message_type "type TYPE0 is not one a client sends"
expect_drop type200    2 unsupported_message_type "type TYPE200 is not one a client sends"

require_alive "after the malformed scenarios"
assert_eq "server is the same process after the malformed scenarios" "$FIRST_PID" "$SERVER_PID"
check_bound "after malformed traffic"

# ------------------------------------------------------------ 8. flood ---
FLOOD_N=5000
FLOOD_RATE=2500
log "8. flood: $FLOOD_N DISCOVERs from $FLOOD_N random MACs at ~$FLOOD_RATE/s, pool $POOL_SIZE, $NBOUND bound"
take_stats; before=$STATS
lines_supp=$(grep -c 'dropped requests not logged individually' "$SERVER_LOG")
FLOOD=$(craft flood --count "$FLOOD_N" --rate "$FLOOD_RATE" --seed "$$" --max-seconds 20) ||
    fail "flood: dhcpcraft failed or the sync INFORM after the flood got no ACK: $(head -c 300 <<<"$FLOOD")"
take_stats; after=$STATS
require_alive "after the flood"
log "flood: sent $(jq .sent <<<"$FLOOD") in $(jq .seconds <<<"$FLOOD") s, $(jq .offers <<<"$FLOOD") OFFERs received"
assert_eq "flood: every packet sent" "$FLOOD_N" "$(jq .sent <<<"$FLOOD")"
rd=$(($(stat received_discover "$after") - $(stat received_discover "$before")))
so=$(($(stat sent_offer "$after") - $(stat sent_offer "$before")))
pe=$(($(stat drop_pool_exhausted "$after") - $(stat drop_pool_exhausted "$before")))
od=$(($(drop_total "$after") - $(drop_total "$before") - pe))
log "flood: server counted received_discover +$rd, sent_offer +$so, drop_pool_exhausted +$pe"
if ((rd < FLOOD_N)); then
    log "flood: note: $((FLOOD_N - rd)) DISCOVERs lost before the server read them (socket buffer)"
fi
assert_true "flood: the server received most of the flood (>= 90%: $rd of $FLOOD_N)" test "$rd" -ge $((FLOOD_N * 9 / 10))
assert_true "flood: pool exhausted (drop_pool_exhausted +$pe > 0)" test "$pe" -gt 0
assert_eq "flood: every DISCOVER received was offered or counted as pool_exhausted" "$rd" "$((so + pe))"
assert_eq "flood: no other drop reason" 0 "$od"
assert_true "flood: at most $((POOL_SIZE - NBOUND)) OFFERs (only free addresses): $so" test "$so" -le $((POOL_SIZE - NBOUND))
assert_eq "flood: OFFERs on the wire = sent_offer" "$so" "$(jq .offers <<<"$FLOOD")"
offered_bound=$(jq -r '.offered_ips[]' <<<"$FLOOD" | grep -Fxf <(printf '%s\n' "${BOUND[@]}") || true)
assert_eq "flood: no bound address offered to a flood MAC" "" "$offered_bound"
jq -r '.offered_ips[]' <<<"$FLOOD" | while read -r y; do
    ip_in_range "$y" "$POOL_FIRST" "$POOL_LAST" || fail "flood: offered '$y' outside the pool"
done
assert_eq "flood: stats bound[192.0.2.0/24]" "$NBOUND" "$(stat 'bound\[192.0.2.0/24\]' "$after")"
supp=$(tail -n +"$((lines_supp + 1))" "$SERVER_LOG" | grep 'dropped requests not logged individually' |
    grep 'reason=pool_exhausted' | head -n 1)
assert_contains "flood: rate-limited drop log summarised the rest (suppressed=N)" "$supp" "suppressed="
assert_contains "flood: pool_exhausted drops logged" \
    "$(grep -m1 'reason=pool_exhausted' "$SERVER_LOG")" "detail=no free address in 192.0.2.0/24"
check_bound "after the flood"

# --------------------------------------------------- 9. DECLINE storm ---
STORM_MAC=02:00:00:de:c1:00
log "9. DECLINE storm from $STORM_MAC until the pool is exhausted"
# the pool has POOL_SIZE - NBOUND addresses that are not bound; the flood's
# offers hold them for offer_hold (4 s), then they come back.
FREE=$((POOL_SIZE - NBOUND))
declare -A DECLINED=()
storm_start_line=$(($(wc -l <"$SNIFF") + 1))
storm_end=$((SECONDS + 60))
declined_count() { leases_json "$CFG" --state declined | jq length; }
iter=0 exhausted=0 noffer_waits=0
while ((iter < 60 && SECONDS < storm_end)); do
    iter=$((iter + 1))
    r=$(craft cycle --mac "$STORM_MAC" --decline --timeout 1.5) || { fail "storm: dhcpcraft cycle failed: $r"; break; }
    offer=$(jq -r '.offer // empty' <<<"$r")
    if [[ -z $offer ]]; then
        if ((${#DECLINED[@]} >= FREE)); then
            exhausted=1
            break
        fi
        noffer_waits=$((noffer_waits + 1))   # flood offers still held
        continue
    fi
    if [[ -n ${DECLINED[$offer]:-} ]]; then
        fail "storm: OFFER of $offer, declined in step ${DECLINED[$offer]} and quarantined: $r"
        break
    fi
    for mac in "${!BOUND[@]}"; do
        [[ $offer == "${BOUND[$mac]}" ]] && fail "storm: OFFER of $offer, bound to $mac"
    done
    ack=$(jq -r '.ack // empty' <<<"$r")
    if [[ $ack != "$offer" ]]; then
        fail "storm: REQUEST for offered $offer not ACKed: $r"
        break
    fi
    DECLINED[$offer]=$iter
    n=${#DECLINED[@]}
    if wait_for "[[ \$(declined_count) == $n ]]" 10 "$n declined leases"; then
        pass "storm: declined $offer -> leases --state declined has $n"
    else
        fail "storm: after declining $offer, leases --state declined has $(declined_count), expected $n"
    fi
    require_alive "during the DECLINE storm"
done
log "storm: ${#DECLINED[@]} addresses declined in $iter cycles ($noffer_waits waited for held offers)"
assert_eq "storm: the pool ran out (every free address declined)" 1 "$exhausted"
assert_eq "storm: declined addresses = free addresses" "$FREE" "${#DECLINED[@]}"
assert_eq "storm: leases --state declined lists them all" \
    "$(printf '%s\n' "${!DECLINED[@]}" | sort | jq -R . | jq -s -c .)" \
    "$(leases_json "$CFG" --state declined | jq -c '[.[].ip] | sort')"
# On the wire: no OFFER (to anyone) after a DECLINE carries the declined address.
reoffer=$(tail -n +"$storm_start_line" "$SNIFF" | jq -s -c '
    def hex2: [(. / 16 | floor), (. % 16)] | map("0123456789abcdef"[.:.+1]) | add;
    def iphex: split(".") | map(tonumber | hex2) | add;
    reduce .[] as $p ({d: {}, bad: []};
        if $p.op == 1 and $p.type == 4 then .d[$p.options["50"] // "none"] = true
        elif $p.op == 2 and $p.type == 2 and .d[$p.yiaddr | iphex] then .bad += [$p]
        else . end) | .bad')
ndecl_wire=$(tail -n +"$storm_start_line" "$SNIFF" | jq -s '[.[] | select(.op == 1 and .type == 4)] | length')
assert_eq "storm: every DECLINE seen on the wire" "${#DECLINED[@]}" "$ndecl_wire"
assert_eq "storm: no OFFER on the wire re-offers a declined address" "[]" "$reoffer"
# the pool is exhausted now: a DISCOVER from the storm client and from a new
# client are each dropped as pool_exhausted
take_stats; before=$STATS
r1=$(craft cycle --mac "$STORM_MAC" --timeout 1)
r2=$(craft cycle --mac 02:00:00:de:c1:01 --timeout 1)
craft sync >/dev/null || fail "storm: sync INFORM got no ACK after exhaustion"
take_stats; after=$STATS
assert_eq "storm: exhausted pool, storm client gets no OFFER" null "$(jq -r .offer <<<"$r1")"
assert_eq "storm: exhausted pool, new client gets no OFFER" null "$(jq -r .offer <<<"$r2")"
assert_eq "storm: both counted as drop_pool_exhausted" 2 \
    "$(($(stat drop_pool_exhausted "$after") - $(stat drop_pool_exhausted "$before")))"
assert_eq "storm: stats bound[192.0.2.0/24]" "$NBOUND" "$(stat 'bound\[192.0.2.0/24\]' "$after")"
check_bound "after the DECLINE storm"

# --------------------------------------------- finally: a normal client ---
require_alive "at the end"
assert_eq "server is still the same process" "$FIRST_PID" "$SERVER_PID"
# free exactly one address: a bound client releases it
REL_MAC=$(printf '02:00:00:b0:00:%02x' "$NBOUND")
REL_IP=${BOUND[$REL_MAC]}
r=$(craft release --mac "$REL_MAC" --ip "$REL_IP") || fail "release of $REL_IP failed: $r"
wait_for "[[ -z \$(bound_ip '$CFG' '$REL_MAC') ]]" 10 "$REL_MAC released" ||
    fail "$REL_MAC still bound after RELEASE"
ip -n "$CLINS" addr flush dev cli0
OUT=$TMPD/udhcpc
SCRIPT=$TMPD/udhcpc.script
make_udhcpc_script "$SCRIPT" "$OUT"
log "busybox udhcpc on cli0 ($CLI_MAC): expects the only free address, $REL_IP"
# shellcheck disable=SC2086
if run_fg ip netns exec "$CLINS" timeout 30 $UDHCPC -f -q -n -i cli0 -s "$SCRIPT" -t 5 -T 2 \
    >"$TMPD/udhcpc.log" 2>&1; then
    assert_eq "udhcpc after the attacks: got the released address" "$REL_IP" "$(env_value "$OUT/cli0.bound.env" ip)"
    assert_eq "udhcpc lease in the store" bound \
        "$(leases_json "$CFG" --mac "$CLI_MAC" | jq -r '.[0].state // "none"')"
else
    fail "udhcpc got no lease after the attacks: $(tail -n 5 "$TMPD/udhcpc.log" | tr '\n' '|')"
fi

assert_not_contains "server log: no fatal error" "$(cat "$SERVER_LOG")" "Fatal error"
stop_server
assert_eq "server exit status after SIGTERM" 0 "$SERVER_RC"
take_final=$(grep '\[DHCPServer\] stats$' "$SERVER_LOG" | tail -n 1)
log "final stats: ${take_final#*autoprov.dhcp: }"
# Every counted drop was logged, individually or inside a suppressed=N line
# (the last drops of each reason came in a second with no suppression, so
# no summary is pending at the end).
while read -r reason; do
    logged=$(grep '\[DHCPServer\] request dropped$' "$SERVER_LOG" | grep -c " reason=$reason ")
    summed=$(grep '\[DHCPServer\] dropped requests not logged individually$' "$SERVER_LOG" |
        grep " reason=$reason " | grep -o ' suppressed=[0-9]*' | awk -F= '{s += $2} END {print s + 0}')
    assert_eq "drop log accounts for every drop_$reason (logged $logged + suppressed $summed)" \
        "$(stat "drop_$reason" "$take_final")" "$((logged + summed))"
done < <(grep -o ' drop_[a-z_]*=' <<<"$take_final" | sed 's/^ drop_//; s/=$//')
finish
