#!/usr/bin/env bash
# Crash safety: leases survive `kill -9` of the server.
#  - 3 udhcpc clients (2 Fanvil, 1 other; macvlans on the client link) and
#    50 perfdhcp clients (through a relay address) get leases;
#  - the server is killed with SIGKILL and restarted on the same store;
#  - every lease is still listed bound with the same MAC -> IP, no IP is bound
#    to two MACs, no MAC holds two bound leases;
#  - the same clients asking again (fresh DISCOVER) get the same addresses.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require udhcpc perfdhcp ip ss jq python3 autoprov

SRVNS=$NS_PREFIX-srv
CLINS=$NS_PREFIX-cli
UDHCPC=$(udhcpc_cmd)
NP=${RESTART_PERF_N:-50}
declare -A MACS=([mv1]=0c:38:3e:00:00:a1 [mv2]=0c:38:3e:00:00:a2 [mv3]=02:00:00:00:00:a3)

setup_pair "$SRVNS" "$CLINS" srv0 cli0 192.0.2.1/24
for m in mv1 mv2 mv3; do add_macvlan "$CLINS" cli0 "$m" "${MACS[$m]}"; done
# perfdhcp acts as a relay at 203.0.113.2 (a relay-only subnet)
ip -n "$CLINS" addr add 203.0.113.2/24 dev cli0
ip -n "$CLINS" route add 192.0.2.1/32 dev cli0
ip -n "$SRVNS" route add 203.0.113.0/24 dev srv0

CFG=$TMPD/autoprov.yml
write_config "$CFG" srv0 "    - subnet: 192.0.2.0/24
      pools:
        - 192.0.2.100-192.0.2.199
      lease_time: 3600
    - subnet: 203.0.113.0/24
      pools:
        - 203.0.113.10-203.0.113.250
      lease_time: 3600"
start_server "$CFG"

OUT=$TMPD/udhcpc
SCRIPT=$TMPD/udhcpc.script
make_udhcpc_script "$SCRIPT" "$OUT"

# udhcpc_once IFACE: one DORA (fresh DISCOVER, no release on exit); prints ip
udhcpc_once() {
    rm -f "$OUT/$1.bound.env"
    # shellcheck disable=SC2086
    run_fg ip netns exec "$CLINS" timeout 30 $UDHCPC -f -q -n -i "$1" -s "$SCRIPT" -t 5 -T 2 \
        >>"$TMPD/udhcpc.$1.log" 2>&1 || return 1
    env_value "$OUT/$1.bound.env" ip
}

perf_round() {
    local out=$TMPD/perfdhcp.$1.out
    run_fg ip netns exec "$CLINS" timeout 60 perfdhcp -4 -l 203.0.113.2 -b mac=00:0c:02:00:00:00 \
        -R "$NP" -n "$NP" -n "$NP" -r 50 -d 2 -W 5000000 192.0.2.1 >"$out" 2>&1
    assert_eq "perfdhcp $1: ACKs received" "$NP" "$(perfdhcp_stat "$out" REQUEST-ACK "received packets")"
}

# bound_map: sorted "mac ip" lines of all bound leases
bound_map() {
    leases_json "$CFG" --state bound | jq -r '.[] | "\(.mac) \(.ip)"' | sort
}

check_unique() {
    local j
    j=$(leases_json "$CFG" --state bound) || return
    assert_eq "$1: no IP bound to two MACs" "" \
        "$(jq -r 'group_by(.ip)[] | select(length > 1) | "\(.[0].ip): \([.[].mac] | join(","))"' <<<"$j" | head -n 5)"
    assert_eq "$1: no MAC with two bound leases" "" \
        "$(jq -r 'group_by(.mac)[] | select(length > 1) | "\(.[0].mac): \([.[].ip] | join(","))"' <<<"$j" | head -n 5)"
}

# --- leases before the crash
perf_round before
declare -A IP_BEFORE
for m in mv1 mv2 mv3; do
    IP_BEFORE[$m]=$(udhcpc_once "$m") || fatal "udhcpc on $m (${MACS[$m]}) got no lease"
    log "${MACS[$m]} -> ${IP_BEFORE[$m]}"
done
MAP_BEFORE=$(bound_map)
assert_eq "bound leases before the crash" "$((NP + 3))" "$(grep -c . <<<"$MAP_BEFORE")"
for m in mv1 mv2 mv3; do
    assert_contains "before crash: ${MACS[$m]} bound" "$MAP_BEFORE" "${MACS[$m]} ${IP_BEFORE[$m]}"
done
check_unique "before crash"

# --- crash and restart on the same store
log "kill -9 server (pid $SERVER_PID)"
kill9_server
assert_eq "server died of SIGKILL" 137 "$SERVER_RC"
start_server "$CFG"
grep -m1 'leases loaded' "$SERVER_LOG" | sed "s/^/[$TEST_NAME]   server: /"

MAP_AFTER=$(bound_map)
assert_eq "after restart: bound leases" "$((NP + 3))" "$(grep -c . <<<"$MAP_AFTER")"
if [[ $MAP_BEFORE == "$MAP_AFTER" ]]; then
    pass "after restart: every lease still bound with the same MAC -> IP"
else
    fail "after restart: bound MAC -> IP map changed: $(diff <(echo "$MAP_BEFORE") <(echo "$MAP_AFTER") | head -n 10 | tr '\n' '|')"
fi
check_unique "after restart"

# --- the same clients ask again: same addresses
for m in mv1 mv2 mv3; do
    ip=$(udhcpc_once "$m") || { fail "after restart: udhcpc on $m got no lease"; continue; }
    assert_eq "after restart: ${MACS[$m]} asks again and gets the same address" "${IP_BEFORE[$m]}" "$ip"
done
perf_round again
MAP_AGAIN=$(bound_map)
if [[ $MAP_BEFORE == "$MAP_AGAIN" ]]; then
    pass "after restart: all $((NP + 3)) clients asking again got the same addresses"
else
    fail "after restart: clients asking again got different addresses: $(diff <(echo "$MAP_BEFORE") <(echo "$MAP_AGAIN") | head -n 10 | tr '\n' '|')"
fi
check_unique "after re-asking"

# --- a second crash right after the renewals: still intact
kill9_server
start_server "$CFG"
MAP_2=$(bound_map)
if [[ $MAP_BEFORE == "$MAP_2" ]]; then
    pass "after a second kill -9: map unchanged"
else
    fail "after a second kill -9: map changed: $(diff <(echo "$MAP_BEFORE") <(echo "$MAP_2") | head -n 10 | tr '\n' '|')"
fi

stop_server
finish
