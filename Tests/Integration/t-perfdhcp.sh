#!/usr/bin/env bash
# perfdhcp (ISC Kea) load against `autoprov serve`, inside throwaway namespaces.
#
# perfdhcp -4 always behaves as a relay agent: it sends from port 67 of its
# local address with giaddr = that address and hops = 1, and expects replies
# at giaddr:67.
#  Phase 1 (directly attached): -l cli0, giaddr 198.18.0.2 inside the
#   interface's subnet 198.18.0.0/15; 1000 DORA exchanges from 1000 distinct
#   MACs: 0 drops, 1000 bound leases, 1000 distinct IPs and MACs in the pool.
#  Phase 2 (relayed): -l 203.0.113.2 (giaddr in a subnet no server interface
#   is in), server unicast address 198.18.0.1; 200 DORA: 0 drops, 200 bound
#   leases in 203.0.113.0/24.
#  Phase 3 (relayed load): a fresh server attached to 198.18.0.0/16; 1000
#   DORA through relay 198.19.0.2 into 198.19.0.0/16, same assertions as 1.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require perfdhcp ip ss jq python3 autoprov

N=${PERF_N:-1000}           # phase 1 exchanges (distinct clients)
NR=${PERF_RELAY_N:-200}     # phase 2 exchanges
RATE=${PERF_RATE:-200}      # exchanges per second
DROP_TIME=${PERF_DROP_TIME:-2}   # seconds before perfdhcp counts a drop

SRVNS=$NS_PREFIX-srv
CLINS=$NS_PREFIX-cli
POOL1_FIRST=198.18.1.0
POOL1_LAST=198.18.255.254
POOL2_FIRST=203.0.113.10
POOL2_LAST=203.0.113.250

setup_pair "$SRVNS" "$CLINS" srv0 cli0 198.18.0.1/15
ip -n "$CLINS" addr add 198.18.0.2/15 dev cli0

CFG=$TMPD/autoprov.yml
write_config "$CFG" srv0 "    - subnet: 198.18.0.0/15
      pools:
        - $POOL1_FIRST-$POOL1_LAST
      lease_time: 3600
    - subnet: 203.0.113.0/24
      pools:
        - $POOL2_FIRST-$POOL2_LAST
      lease_time: 3600
      router: 203.0.113.1"
start_server "$CFG"

# run_perf LABEL EXPECTED_COUNT PERFDHCP_ARGS...
run_perf() {
    local label=$1 n=$2; shift 2
    local out=$TMPD/perfdhcp.$label.out rc mark
    mark=$(wc -l <"$SERVER_LOG")
    log "$label: perfdhcp -4 $*"
    run_fg ip netns exec "$CLINS" timeout 120 perfdhcp -4 "$@" >"$out" 2>&1; rc=$?
    sed -n '/Statistics for: DISCOVER-OFFER/,$p' "$out" |
        grep -E 'Statistics for|sent packets|received packets|drops:|orphans|rejected|non unique' |
        sed "s/^/[$TEST_NAME]     /"
    assert_eq "$label: perfdhcp exit status (3 = some exchanges incomplete)" 0 "$rc"
    if [[ $(perfdhcp_stat "$out" REQUEST-ACK "received packets") != "$n" ]]; then
        log "$label: server-side drop reasons (from its log, counted):"
        tail -n +"$((mark + 1))" "$SERVER_LOG" | grep -o 'detail=.* reason=[a-z_]*' | sort | uniq -c | sort -rn | head -n 5 |
            sed "s/^/[$TEST_NAME]     /"
    fi
    local ex
    for ex in DISCOVER-OFFER REQUEST-ACK; do
        assert_eq "$label: $ex sent" "$n" "$(perfdhcp_stat "$out" "$ex" "sent packets")"
        assert_eq "$label: $ex received" "$n" "$(perfdhcp_stat "$out" "$ex" "received packets")"
        assert_eq "$label: $ex drops" 0 "$(perfdhcp_stat "$out" "$ex" "drops")"
        assert_eq "$label: $ex rejected leases" 0 "$(perfdhcp_stat "$out" "$ex" "rejected leases")"
        assert_eq "$label: $ex non unique addresses" 0 "$(perfdhcp_stat "$out" "$ex" "non unique addresses")"
    done
}

# check_leases LABEL SUBNET FIRST LAST MACPREFIX COUNT
check_leases() {
    local label=$1 subnet=$2 first=$3 last=$4 pfx=$5 n=$6 j sel
    j=$(leases_json "$CFG" --state bound) || return
    sel=$(jq -c --arg p "$pfx" '[.[] | select(.mac | startswith($p))]' <<<"$j")
    assert_eq "$label: bound leases from perfdhcp MACs ($pfx*)" "$n" "$(jq length <<<"$sel")"
    assert_eq "$label: distinct MACs" "$n" "$(jq '[.[].mac] | unique | length' <<<"$sel")"
    assert_eq "$label: distinct IPs" "$n" "$(jq '[.[].ip] | unique | length' <<<"$sel")"
    assert_eq "$label: all in subnet $subnet" "$n" "$(jq --arg s "$subnet" '[.[] | select(.subnet == $s)] | length' <<<"$sel")"
    local outside
    outside=$(jq -r '.[].ip' <<<"$sel" | while read -r ip; do
        ip_in_range "$ip" "$first" "$last" || echo "$ip"
    done | head -n 5 | tr '\n' ' ')
    assert_eq "$label: every IP in pool $first-$last (first offenders)" "" "$outside"
    assert_eq "$label: no IP bound to two MACs (whole store)" 0 \
        "$(jq '[group_by(.ip)[] | select(length > 1)] | length' <<<"$j")"
}

# --- Phase 1: directly attached, 1000 distinct clients
# -R N with the sequential MAC generator: client i uses 00:0c:01:02:03:04 + i.
# Two -n: stop after N DISCOVERs and N REQUESTs; -W: then wait up to 10 s
# for outstanding replies. -u: perfdhcp checks address uniqueness itself.
run_perf direct "$N" -l cli0 -R "$N" -n "$N" -n "$N" -r "$RATE" -d "$DROP_TIME" -W 10000000 -u
check_leases direct 198.18.0.0/15 "$POOL1_FIRST" "$POOL1_LAST" "00:0c:01:" "$N"

# --- Phase 2: relayed (giaddr 203.0.113.2, no server interface in that subnet)
ip -n "$CLINS" addr add 203.0.113.2/24 dev cli0
ip -n "$SRVNS" route add 203.0.113.0/24 via 198.18.0.2 dev srv0
run_perf relay "$NR" -l 203.0.113.2 -b mac=00:0c:02:00:00:00 -R "$NR" -n "$NR" -n "$NR" \
    -r "$RATE" -d "$DROP_TIME" -W 10000000 -u 198.18.0.1
check_leases relay 203.0.113.0/24 "$POOL2_FIRST" "$POOL2_LAST" "00:0c:02:" "$NR"

if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    fail "server died during the load test"
fi
stop_server
log "server exited with status $SERVER_RC after SIGTERM"

# --- Phase 3: the same 1000-client load, relayed (fresh store, new server).
# Server attached to 198.18.0.0/16 only; the relay (perfdhcp, giaddr
# 198.19.0.2) serves 198.19.0.0/16, where no server interface is. Separates
# load behaviour from the question of how a giaddr inside the attached subnet
# (phase 1) is treated.
rm -rf "$TMPD/store"
ip -n "$SRVNS" addr flush dev srv0
ip -n "$SRVNS" addr add 198.18.0.1/16 dev srv0
ip -n "$SRVNS" route add 198.19.0.0/16 dev srv0
ip -n "$CLINS" addr flush dev cli0
ip -n "$CLINS" addr add 198.19.0.2/16 dev cli0
ip -n "$CLINS" route add 198.18.0.1/32 dev cli0
write_config "$CFG" srv0 "    - subnet: 198.18.0.0/16
      pools:
        - 198.18.1.0-198.18.1.254
    - subnet: 198.19.0.0/16
      pools:
        - 198.19.1.0-198.19.255.254
      lease_time: 3600"
start_server "$CFG"
run_perf relay-load "$N" -l 198.19.0.2 -b mac=00:0c:03:00:00:00 -R "$N" -n "$N" -n "$N" \
    -r "$RATE" -d "$DROP_TIME" -W 10000000 -u 198.18.0.1
check_leases relay-load 198.19.0.0/16 198.19.1.0 198.19.255.254 "00:0c:03:" "$N"
stop_server
finish
