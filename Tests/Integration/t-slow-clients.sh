#!/usr/bin/env bash
# Slow clients against `autoprov serve` running with `ulimit -n 512`
# (issue 13: 4 slow POSTs held every descriptor, then the process died):
#  - slowclients.py from 12 addresses of the client namespace keeps 50
#    connections each open to the phone listener: 8 addresses send POSTs
#    with Content-Length: 100000000 and a body byte a second, 4 send a head
#    that never ends, a byte a second; 3 loopback addresses of the server
#    namespace do the slow POST to the admin API;
#  - while it runs: /healthz on the admin listener answers, a phone takes a
#    DHCP lease (busybox udhcpc) and then fetches its file from its leased
#    address;
#  - every slow POST to the phone listener is answered 413 at its head; the
#    never-ending heads and the admin slow POSTs are cut at the 3 s request
#    deadline (none lives past 6 s); connections over 8 per address are
#    closed at accept; /metrics counts each refusal
#    (autoprov_http_connections_refused_total{listener,reason});
#  - the server's open descriptors stay under 400 of 512 throughout;
#  - at the end the server is the same process, still alive.
# Limits under test: config_server.limits and admin.limits
# {max_connections_per_address: 8, request_deadline: 3}.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require udhcpc ip ss jq curl python3 autoprov

SRVNS=$NS_PREFIX-srv
CLINS=$NS_PREFIX-cli
PHONE_MAC=0c:38:3e:12:34:56; MAC=0c383e123456
UA="Fanvil X6 2.10.2.6887 $MAC"
ATTACK_MAC=02:00:00:a7:00:01
BODY_SOURCES=(192.0.2.201 192.0.2.202 192.0.2.203 192.0.2.204 192.0.2.205 192.0.2.206 192.0.2.207 192.0.2.208)
HEAD_SOURCES=(192.0.2.211 192.0.2.212 192.0.2.213 192.0.2.214)
ADMIN_SOURCES=(127.0.0.2 127.0.0.3 127.0.0.4)
ATTACK_SECONDS=30
DEADLINE=3
CFG=$TMPD/autoprov.yml

# ------------------------------------------------------------------ setup ---

setup_pair "$SRVNS" "$CLINS" srv0 cli0 192.0.2.1/24 "$PHONE_MAC"
add_macvlan "$CLINS" cli0 atk0 "$ATTACK_MAC"
for src in "${BODY_SOURCES[@]}" "${HEAD_SOURCES[@]}"; do
    ip -n "$CLINS" addr add "$src/24" dev atk0 || fatal "cannot add $src to atk0"
done

write_config "$CFG" srv0 "    - subnet: 192.0.2.0/24
      pools:
        - 192.0.2.100-192.0.2.199
      lease_time: 3600
      router: 192.0.2.1"
append_provisioning "$CFG" leased_ip 404
LIMITS="{max_connections: 1024, max_connections_per_address: 8, request_deadline: $DEADLINE}"
sed -i "s/^  authorize: leased_ip$/&\n  limits: $LIMITS/" "$CFG"
echo "  limits: {max_connections: 64, max_connections_per_address: 8, request_deadline: $DEADLINE}" >>"$CFG"
grep -q "^  limits: $LIMITS$" "$CFG" || fatal "could not set config_server.limits in $CFG"

"$AUTOPROV_BIN" check-config --config "$CFG" >"$TMPD/check.out" 2>&1 ||
    fatal "check-config refused the limits: $(cat "$TMPD/check.out")"
assert_contains "check-config shows the phone listener's limits" "$(cat "$TMPD/check.out")" \
    "8 from one address; each request must arrive whole within 3.0 s"
"$AUTOPROV_BIN" device add "$PHONE_MAC" --config "$CFG" >"$TMPD/device-add.log" 2>&1 ||
    fatal "autoprov device add failed: $(cat "$TMPD/device-add.log")"
"$AUTOPROV_BIN" render "$MAC" --config "$CFG" >"$TMPD/render.cfg" 2>"$TMPD/render.err" ||
    fatal "autoprov render $MAC failed: $(cat "$TMPD/render.err")"

# The server alone runs with 512 descriptors (the soft limit, restored after).
NOFILE=$(ulimit -Sn)
ulimit -Sn 512 || fatal "cannot lower the descriptor limit"
start_server "$CFG"
ulimit -Sn "$NOFILE"
FIRST_PID=$SERVER_PID
wait_listening "$SRVNS" 8080 8081
assert_eq "the server's descriptor limit" 512 "$(awk '/Max open files/ {print $4}' "/proc/$SERVER_PID/limits")"

# ----------------------------------------------------------------- attack ---

load_admin_token
attack() {   # attack NS OUT HOST PORT MODE PATH SOURCE...
    local ns=$1 out=$2 host=$3 port=$4 mode=$5 path=$6; shift 6
    # With the token: the admin API reads the body instead of answering 401 at once.
    ip netns exec "$ns" timeout $((ATTACK_SECONDS + 20)) python3 "$LIB_DIR/slowclients.py" "$host" "$port" \
        --header "Authorization: Bearer $ADMIN_TOKEN" \
        --mode "$mode" --path "$path" --sources "$@" --per-source 50 --interval 1 \
        --duration "$ATTACK_SECONDS" --max-attempts 1500 --out "$out" >"$out.log" 2>&1 &
    bg_track $!
}
attack "$CLINS" "$TMPD/body.json" 192.0.2.1 8080 body "/$MAC.cfg" "${BODY_SOURCES[@]}"
attack "$CLINS" "$TMPD/head.json" 192.0.2.1 8080 head "/$MAC.cfg" "${HEAD_SOURCES[@]}"
attack "$SRVNS" "$TMPD/admin.json" 127.0.0.1 8081 body /api/v1/devices "${ADMIN_SOURCES[@]}"
ATTACK_START=$EPOCHSECONDS
log "attack running for ${ATTACK_SECONDS}s from $((${#BODY_SOURCES[@]} + ${#HEAD_SOURCES[@]})) addresses (+ ${#ADMIN_SOURCES[@]} on the admin listener)"

jnum() { jq -r "$2" "$1" 2>/dev/null || echo 0; }
# The server's open descriptors, sampled in the background every 0.5 s
# while the attack runs: the listeners' limits must keep it well under 512.
( while kill -0 "$SERVER_PID" 2>/dev/null && ((EPOCHSECONDS - ATTACK_START < ATTACK_SECONDS)); do
    find "/proc/$SERVER_PID/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l
    sleep 0.5
done >"$TMPD/fds.txt" ) &
bg_track $!
wait_for "(( \$(jnum '$TMPD/head.json' .cut) > 0 && \$(jnum '$TMPD/admin.json' .cut) > 0 ))" 15 \
    "the first slow connections cut at the deadline" || fail "no slow connection was cut within 15 s"

# ------------------------------------------------ service during the attack ---

http_req "$SRVNS" "http://127.0.0.1:8081/healthz"
expect_http "GET /healthz on the admin listener during the attack" 200

SCRIPT=$TMPD/udhcpc.script
make_udhcpc_script "$SCRIPT" "$TMPD/udhcpc"
udhcpc_lease "$CLINS" cli0 "$SCRIPT" "$TMPD/udhcpc"
pass "udhcpc got a lease during the attack: $LEASE_IP"
http_req "$CLINS" --interface "$LEASE_IP" -A "$UA" "http://192.0.2.1:8080/$MAC.cfg"
expect_http "the phone at $LEASE_IP fetches its file during the attack" 200
assert_same_file "the phone's file during the attack" "$TMPD/render.cfg" "$TMPD/http.body"
http_req "$SRVNS" "http://127.0.0.1:8081/healthz"
expect_http "GET /healthz again" 200
STILL=$((EPOCHSECONDS - ATTACK_START))
if ((STILL < ATTACK_SECONDS)); then
    pass "all of that while the attack ran (${STILL}s of ${ATTACK_SECONDS}s)"
else
    fail "the checks took ${STILL}s: the attack was over"
fi

# ------------------------------------------------------------ the outcome ---

wait_for "[[ \$(jnum '$TMPD/body.json' .done) == true && \$(jnum '$TMPD/head.json' .done) == true && \$(jnum '$TMPD/admin.json' .done) == true ]]" \
    $((ATTACK_SECONDS + 15)) "the attack to end" || fail "the attack scripts did not end"
for kind in body head admin; do
    log "$kind: $(cat "$TMPD/$kind.json")"
done
B=$TMPD/body.json; H=$TMPD/head.json; A=$TMPD/admin.json
assert_eq "slow POSTs to the phone listener: every one answered 413 or refused, none cut" 0 "$(jnum "$B" .cut)"
assert_true "slow POSTs to the phone listener: answered 413 at the head" test "$(jnum "$B" '.answered["413"] // 0')" -gt 0
assert_eq "slow POSTs to the phone listener: nothing but 413" '["413"]' "$(jq -c '.answered | keys' "$B")"
assert_true "slow POSTs: more than 8 from one address are refused at accept" test "$(jnum "$B" .refused_fast)" -gt 0
for f in "$H" "$A"; do
    name=$(basename "$f" .json)
    assert_true "$name: slow requests cut at the deadline" test "$(jnum "$f" .cut)" -gt 0
    assert_true "$name: none cut before the deadline (min $(jnum "$f" .cut_min_lifetime) s)" \
        awk -v v="$(jnum "$f" .cut_min_lifetime)" -v d="$DEADLINE" 'BEGIN { exit !(v >= d - 0.5) }'
    assert_true "$name: none lived past 6 s (max $(jnum "$f" .cut_max_lifetime) s)" \
        awk -v v="$(jnum "$f" .cut_max_lifetime)" 'BEGIN { exit !(v < 6) }'
    assert_true "$name: more than 8 from one address refused at accept" test "$(jnum "$f" .refused_fast)" -gt 0
done

http_req "$SRVNS" "http://127.0.0.1:8081/metrics"
expect_http "GET /metrics" 200
refused() {   # refused LISTENER REASON: the counter's value (0 when absent)
    awk -v l="listener=\"$1\"" -v r="reason=\"$2\"" \
        '/^autoprov_http_connections_refused_total\{/ && index($0, l) && index($0, r) { v = $2 } END { print v + 0 }' \
        "$TMPD/http.body"
}
for pair in http:per_address http:body http:deadline admin:per_address admin:deadline; do
    n=$(refused "${pair%%:*}" "${pair#*:}")
    assert_true "refusals counted: ${pair%%:*} ${pair#*:} = $n" test "$n" -gt 0
done

MAX_FDS=$(sort -n "$TMPD/fds.txt" | tail -n 1)
assert_true "descriptors sampled during the attack ($(wc -l <"$TMPD/fds.txt") samples)" test "$(wc -l <"$TMPD/fds.txt")" -gt 10
assert_true "the server never held more than 400 of its 512 descriptors (at most $MAX_FDS)" test "${MAX_FDS:-999}" -le 400
assert_true "the server is alive" kill -0 "$SERVER_PID"
assert_eq "the server is the same process" "$FIRST_PID" "$SERVER_PID"
assert_not_contains "no fatal error in the server log" "$(cat "$SERVER_LOG")" "Fatal error"
finish
