#!/usr/bin/env bash
# /metrics, /healthz and /readyz on the admin listener of a real
# `autoprov serve`, scraped by curl without the bearer token:
#  - /healthz 200 "ok"; /readyz 200 once DHCP, the config server and the
#    admin API are up; an API route without the token is still 401;
#  - the text format (Content-Type text/plain; version=0.0.4);
#  - after N udhcpc clients and one config fetch, the counters moved by
#    exactly that: DISCOVER in == N, OFFER out == N, REQUEST in == N, ACK
#    out == N, leases bound for the subnet == N, pool size 100,
#    utilisation N/100, fetches{status=200,reason=served} == 1, one request
#    in the phone listener's latency histogram; a refused fetch (404) is
#    counted under its reason.
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require udhcpc ip ss jq curl autoprov

SRVNS=$NS_PREFIX-srv
CLINS=$NS_PREFIX-cli
PHONE_MAC=0c:38:3e:12:34:56; MAC=0c383e123456
MACS=("$PHONE_MAC" 0c:38:3e:00:00:02 0c:38:3e:00:00:03)
N=${#MACS[@]}
UA="Fanvil X6 2.10.2.6887 $MAC"
SUBNET=192.0.2.0/24
CFG=$TMPD/autoprov.yml
SCRAPE=$TMPD/metrics.txt

# scrape: GET /metrics without a token into $SCRAPE (HTTP_CODE set).
scrape() {
    http_req "$SRVNS" "http://127.0.0.1:8081/metrics"
    cp "$TMPD/http.body" "$SCRAPE"
}

# metric 'NAME{LABELS}': its value in the last scrape (empty if absent).
metric() {
    awk -v k="$1" '$1 == k { print $2; exit }' "$SCRAPE"
}

# metric_is 'NAME{LABELS}' VALUE: a fresh scrape shows VALUE (numerically).
metric_is() {
    scrape
    [[ -n $(metric "$1") ]] && awk -v a="$(metric "$1")" -v b="$2" 'BEGIN { exit !(a + 0 == b + 0) }'
}

# check_metric DESC 'NAME{LABELS}' VALUE: metric_is within 5 s.
check_metric() {
    if wait_for "$(printf '%q ' metric_is "$2" "$3")" 5 "$1"; then
        pass "$1: $2 = $3"
    else
        fail "$1: expected $2 = $3, got '$(metric "$2")'"
    fi
}

# ------------------------------------------------------------------ setup ---

setup_pair "$SRVNS" "$CLINS" srv0 cli0 192.0.2.1/24 "$PHONE_MAC"
for i in $(seq 1 $((N - 1))); do add_macvlan "$CLINS" cli0 "mv$i" "${MACS[$i]}"; done

write_config "$CFG" srv0 "    - subnet: $SUBNET
      pools:
        - 192.0.2.100-192.0.2.199
      lease_time: 3600
      router: 192.0.2.1"
append_provisioning "$CFG" leased_ip 404

"$AUTOPROV_BIN" device add "$PHONE_MAC" --label "Desk" --config "$CFG" \
    --line "1:number=101,password=sip-Pw-0a1b2c3d,registrar=192.0.2.1" >"$TMPD/device-add.log" 2>&1 ||
    fatal "autoprov device add failed: $(cat "$TMPD/device-add.log")"

start_server "$CFG"
wait_listening "$SRVNS" 8080 8081

# ------------------------------------------------- 1. health and readiness ---

http_req "$SRVNS" "http://127.0.0.1:8081/healthz"
expect_http "GET /healthz without a token" 200
assert_eq "/healthz says ok" "ok" "$(tr -d '\n' <"$TMPD/http.body")"
if wait_for 'http_req "$SRVNS" http://127.0.0.1:8081/readyz; [[ $HTTP_CODE == 200 ]]' 5 "/readyz 200"; then
    pass "GET /readyz without a token: 200 once the store and every listener are up"
else
    fail "GET /readyz: $HTTP_CODE $(head -c 200 "$TMPD/http.body")"
fi
http_req "$SRVNS" "http://127.0.0.1:8081/api/v1/devices"
expect_http "an API route without the token is still refused" 401

scrape
expect_http "GET /metrics without a token" 200
assert_contains "/metrics: Content-Type is the text format 0.0.4" "$(http_header content-type)" "version=0.0.4"
assert_eq "before any client: DISCOVER in" 0 "$(metric 'autoprov_dhcp_packets_received_total{type="discover"}')"
assert_eq "before any fetch: fetches served" 0 "$(metric 'autoprov_config_fetches_total{status="200",reason="served"}')"
assert_not_contains "no secret in /metrics" "$(cat "$SCRAPE")" "sip-Pw-0a1b2c3d"

# ------------------------------------------------ 2. N clients, one fetch ---

SCRIPT=$TMPD/udhcpc.script
make_udhcpc_script "$SCRIPT" "$TMPD/udhcpc"
IFACES=(cli0)
for i in $(seq 1 $((N - 1))); do IFACES+=("mv$i"); done
for ifc in "${IFACES[@]}"; do
    udhcpc_lease "$CLINS" "$ifc" "$SCRIPT" "$TMPD/udhcpc"
    [[ $ifc == cli0 ]] && IP1=$LEASE_IP
done
log "$N clients bound; phone $PHONE_MAC has $IP1"

http_req "$CLINS" --interface "$IP1" -A "$UA" "http://192.0.2.1:8080/$MAC.cfg"
expect_http "the phone fetches its own file" 200
http_req "$CLINS" --interface "$IP1" -A "$UA" "http://192.0.2.1:8080/000000000000.cfg"
expect_http "the placeholder MAC's file" 404

check_metric "DHCP: one DISCOVER per client" 'autoprov_dhcp_packets_received_total{type="discover"}' "$N"
check_metric "DHCP: one OFFER per client" 'autoprov_dhcp_packets_sent_total{type="offer"}' "$N"
check_metric "DHCP: one REQUEST per client" 'autoprov_dhcp_packets_received_total{type="request"}' "$N"
check_metric "DHCP: one ACK per client" 'autoprov_dhcp_packets_sent_total{type="ack"}' "$N"
check_metric "DHCP: no NAK" 'autoprov_dhcp_packets_sent_total{type="nak"}' 0
check_metric "leases bound in $SUBNET" "autoprov_dhcp_leases_bound{subnet=\"$SUBNET\"}" "$N"
check_metric "pool size of $SUBNET" "autoprov_dhcp_pool_addresses{subnet=\"$SUBNET\"}" 100
check_metric "pool utilisation of $SUBNET" "autoprov_dhcp_pool_utilisation_ratio{subnet=\"$SUBNET\"}" "0.0$N"
check_metric "config fetches served" 'autoprov_config_fetches_total{status="200",reason="served"}' 1
REASON=$(grep -o 'autoprov_config_fetches_total{status="404",reason="[a-z-]*"} 1' "$SCRAPE" | head -n 1)
assert_ne "the 404 is counted once under its reason" "" "$REASON"
check_metric "phone listener latency: both requests in the histogram" \
    'autoprov_http_request_duration_seconds_count{listener="http"}' 2
assert_contains "latency histogram has buckets" "$(cat "$SCRAPE")" \
    'autoprov_http_request_duration_seconds_bucket{listener="http",le="+Inf"} 2'

http_req "$SRVNS" "http://127.0.0.1:8081/readyz"
expect_http "GET /readyz still ready" 200

finish
