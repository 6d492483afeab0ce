#!/usr/bin/env bash
# Crash test: no ACKed lease is lost and no address is given twice when the
# server is killed with SIGKILL, many times, under load.
#
#  - One long perfdhcp run (relay mode on the client link, giaddr 198.18.0.2)
#    sends DORA at CRASH_RATE exchanges/s from CRASH_CLIENTS distinct MACs
#    into the pool 198.18.1.0-198.19.255.254 for the whole test.
#  - tcpdump on the client side of the link records every DHCP packet.
#  - CRASH_KILLS times: after a random 0.3-1.5 s of service, `kill -9` the
#    server and restart it at once on the same store; wait (with a deadline)
#    until it logs `listening`.
#  - Then stop perfdhcp, stop the server with SIGTERM, and compare every
#    DHCPACK captured (yiaddr, chaddr) with `autoprov leases --json`:
#      every ACKed (ip, mac) is bound in the table with that MAC; no IP is
#      bound to two MACs; no MAC holds two bound IPs; no IP was ACKed to two
#      different MACs; every kill happened and every restart came up; enough
#      ACKs were seen that the test cannot pass vacuously.
#  - Self-check of the checker, every run: on copies of the database, delete
#    one ACKed lease / move one to another MAC, and on a copy of the ACK list
#    add an ACK of a used IP to another MAC; the checker must report each.
#
# Rate: the release server answers ~10,000 DORA/s on 2 cores with no drops,
# but perfdhcp, tcpdump and the server share those cores (and CI may run
# other things), so the default is 5000 DORA/s: the server is busy at every
# kill, and the load stays below what it answers without drops so that what
# is checked is crash safety, not overload. Override with CRASH_RATE.
#
# Replay: the kill delays come from $RANDOM seeded with CRASH_SEED (printed);
# perfdhcp gets the same seed.
#
# Environment: CRASH_RATE (5000), CRASH_KILLS (20), CRASH_SEED (random),
# CRASH_CLIENTS (120000: perfdhcp -R uses its clients in turn, so a run of
# ~25 s at 5000/s is almost all new leases; the pool holds 130815), CRASH_MIN_ACKS (5000), AUTOPROV_RELEASE_BIN
# (default <repo>/.build/release/autoprov; this test always uses a release
# build: the debug build is too slow for the load).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

use_release_binary

require perfdhcp tcpdump ip ss jq python3 autoprov

RATE=${CRASH_RATE:-5000}
KILLS=${CRASH_KILLS:-20}
CLIENTS=${CRASH_CLIENTS:-120000}  # perfdhcp cycles through them in order; < pool size
MIN_ACKS=${CRASH_MIN_ACKS:-5000}
SEED=${CRASH_SEED:-$(((${EPOCHREALTIME/./} ^ $$) % 32768))}
RANDOM=$SEED
CHECK=$LIB_DIR/crashcheck.py

SRVNS=$NS_PREFIX-srv
CLINS=$NS_PREFIX-cli
SERVER_IP=198.18.0.1
POOL_FIRST=198.18.1.0
POOL_LAST=198.19.255.254

log "seed $SEED (replay with CRASH_SEED=$SEED); $KILLS kills at $RATE DORA/s from $CLIENTS clients; server $AUTOPROV_BIN"

setup_pair "$SRVNS" "$CLINS" srv0 cli0 $SERVER_IP/15
ip -n "$CLINS" addr add 198.18.0.2/15 dev cli0

CFG=$TMPD/autoprov.yml
write_config "$CFG" srv0 "    - subnet: 198.18.0.0/15
      pools:
        - $POOL_FIRST-$POOL_LAST
      lease_time: 3600"
DB=$TMPD/store/autoprov.sqlite

# --- capture on the client side: every DHCP packet the server sends back
PCAP=$TMPD/dhcp.pcap
ip netns exec "$CLINS" tcpdump -i cli0 -n -s 512 -B 16384 -Z root -w "$PCAP" \
    'udp port 67 or udp port 68' 2>"$TMPD/tcpdump.stderr" &
TCPDUMP_PID=$!
bg_track "$TCPDUMP_PID"
wait_for "grep -q 'listening on' '$TMPD/tcpdump.stderr'" 10 "tcpdump on cli0" ||
    fatal "tcpdump did not start: $(cat "$TMPD/tcpdump.stderr")"

start_server "$CFG"
RUNS=$TMPD/runs                  # "<run> <ready epoch> <end epoch>"
: >"$RUNS"
RUN_READY=$EPOCHREALTIME

# --- one long perfdhcp for the whole test; stopped below. Its period is a
# generous upper bound (it is interrupted long before that).
PERIOD=$((KILLS * 4 + 60))
PERF_OUT=$TMPD/perfdhcp.out
log "perfdhcp -4 -l cli0 -R $CLIENTS -r $RATE -d 2 -p $PERIOD -s $((SEED + 1)) $SERVER_IP"
ip netns exec "$CLINS" perfdhcp -4 -l cli0 -R "$CLIENTS" -r "$RATE" -d 2 -p "$PERIOD" \
    -s "$((SEED + 1))" "$SERVER_IP" >"$PERF_OUT" 2>&1 &
PERF_PID=$!
bg_track "$PERF_PID"

# ms_sleep MS
ms_sleep() { sleep "$(awk -v m="$1" 'BEGIN{printf "%.3f", m / 1000}')"; }

# loaded_count: the count of this run's `leases loaded` line, waited for
# (10 s deadline): start_server may return as soon as port 67 is bound.
LOADED=()
loaded_count() {
    wait_for "grep -q 'leases loaded from store' '$SERVER_LOG'" 10 "the 'leases loaded' line of $SERVER_LOG" >/dev/null ||
        fail "no 'leases loaded' line in $SERVER_LOG within 10 s"
    grep -m1 'leases loaded from store' "$SERVER_LOG" | grep -oE '(^|[^_a-z])count=[0-9]+' | grep -oE '[0-9]+$'
}
LOADED+=("$(loaded_count)")

kills=0
restarts=0
for ((k = 1; k <= KILLS; k++)); do
    delay=$((300 + RANDOM % 1201))
    ms_sleep "$delay"
    kill -0 "$PERF_PID" 2>/dev/null || fatal "perfdhcp exited early: $(tail -n 5 "$PERF_OUT")"
    kill -0 "$SERVER_PID" 2>/dev/null || fatal "server run $k died on its own before kill $k"
    killed_pid=$SERVER_PID
    end=$EPOCHREALTIME
    kill9_server
    echo "$k $RUN_READY $end" >>"$RUNS"
    if [[ $SERVER_RC != 137 ]]; then
        fail "kill $k: server (pid $killed_pid) exit status $SERVER_RC, expected 137 (SIGKILL)"
    else
        kills=$((kills + 1))
    fi
    t0=$EPOCHREALTIME
    start_server "$CFG"           # fatal (with the log) if it does not come up in 20 s
    RUN_READY=$EPOCHREALTIME
    restarts=$((restarts + 1))
    LOADED+=("$(loaded_count)")
    log "kill $k/$KILLS after ${delay} ms (pid $killed_pid); back in $(awk -v a="$t0" -v b="$RUN_READY" 'BEGIN{printf "%.2f", b - a}') s, ${LOADED[-1]} leases loaded"
done

# --- the last server run also serves for a moment, then everything stops
ms_sleep $((500 + RANDOM % 1001))
kill -0 "$PERF_PID" 2>/dev/null || fatal "perfdhcp exited early: $(tail -n 5 "$PERF_OUT")"
kill -INT "$PERF_PID" 2>/dev/null
wait_for "! kill -0 $PERF_PID" 10 "perfdhcp to stop" || kill -KILL "$PERF_PID" 2>/dev/null
wait "$PERF_PID" 2>/dev/null; PERF_RC=$?
log "perfdhcp stopped (exit status $PERF_RC; non-zero is expected: exchanges are lost at every kill)"
sed -n '/Statistics for: DISCOVER-OFFER/,$p' "$PERF_OUT" |
    grep -E 'Statistics for|sent packets|received packets|drops:' | sed "s/^/[$TEST_NAME]     /"

kill -0 "$SERVER_PID" 2>/dev/null || fatal "last server run died on its own"
end=$EPOCHREALTIME
stop_server
echo "$((KILLS + 1)) $RUN_READY $end" >>"$RUNS"
assert_eq "last server run exits 0 on SIGTERM" 0 "$SERVER_RC"

sleep 0.5   # let tcpdump read the last replies off the socket before it stops
kill -INT "$TCPDUMP_PID" 2>/dev/null
wait_for "! kill -0 $TCPDUMP_PID" 10 "tcpdump to stop" || kill -KILL "$TCPDUMP_PID" 2>/dev/null
wait "$TCPDUMP_PID" 2>/dev/null
grep -E 'captured|received by filter|dropped by kernel' "$TMPD/tcpdump.stderr" | sed "s/^/[$TEST_NAME]   tcpdump: /"
capture_drops=$(grep -o '[0-9]* packets\? dropped by kernel' "$TMPD/tcpdump.stderr" | grep -o '^[0-9]*')
capture_drops=${capture_drops:-unknown}
if [[ $capture_drops != 0 ]]; then
    log "NOTE: the capture missed $capture_drops packets: the check covers the (smaller) set of ACKs it did see"
fi

# --- what was ACKed, what is in the table
ACKS=$TMPD/acks
counts=$(python3 "$CHECK" acks "$PCAP" "$SERVER_IP" "$ACKS") || fatal "cannot parse $PCAP"
log "capture: $counts"
LEASES=$TMPD/leases.json
leases_json "$CFG" >"$LEASES" || fatal "cannot list leases"

# Every start's count must be a number, and none smaller than the one before.
loaded_ok=1 loaded_bad=""
for ((i = 0; i < ${#LOADED[@]}; i++)); do
    if ! [[ ${LOADED[i]} =~ ^[0-9]+$ ]]; then
        loaded_ok=0 loaded_bad+=" start $((i + 1)): '${LOADED[i]}' is not a count;"
    elif ((i > 0)) && [[ ${LOADED[i - 1]} =~ ^[0-9]+$ ]] && ((LOADED[i] < LOADED[i - 1])); then
        loaded_ok=0 loaded_bad+=" start $((i + 1)): ${LOADED[i]} < ${LOADED[i - 1]};"
    fi
done
log "leases loaded at each start: ${LOADED[*]}${loaded_bad:+ (wrong:$loaded_bad)}"
assert_eq "leases in the store never decrease from one start to the next" 1 "$loaded_ok"

CHECK_OUT=$TMPD/check.out
python3 "$CHECK" check "$ACKS" "$LEASES" "$RUNS" crash >"$CHECK_OUT" 2>&1
check_rc=$?
sed "s/^/[$TEST_NAME]   /" "$CHECK_OUT" | grep -v 'acks_seen=' | head -n 120
summary=$(grep '^acks_seen=' "$CHECK_OUT")
[[ -n $summary ]] || fatal "checker printed no summary (exit $check_rc)"
declare -A C=()   # acks_seen pairs leases_bound missing wrong_mac ip_conflicts mac_conflicts ack_conflicts
for kv in $summary; do C[${kv%%=*}]=${kv#*=}; done

runs_with_acks=$(grep -o 'runs_with_acks=[0-9]*' "$CHECK_OUT" | cut -d= -f2)
log "crash: kills=$kills $summary capture_drops=$capture_drops seed=$SEED"

assert_eq "kills done (each one SIGKILLed a running server)" "$KILLS" "$kills"
assert_eq "restarts that came up" "$KILLS" "$restarts"
assert_eq "every ACKed (ip, mac) is bound in the table with that MAC: missing" 0 "${C[missing]}"
assert_eq "IPs bound to two MACs in the table" 0 "${C[ip_conflicts]}"
assert_eq "MACs holding two bound IPs in the table" 0 "${C[mac_conflicts]}"
assert_eq "IPs ACKed to two different MACs" 0 "${C[ack_conflicts]}"
assert_eq "checker exit status" 0 "$check_rc"
assert_true "ACKs seen (${C[acks_seen]}) > $MIN_ACKS" test "${C[acks_seen]}" -gt "$MIN_ACKS"
assert_eq "server runs that sent ACKs (each of the $((KILLS + 1)) runs was under load)" "$((KILLS + 1))" "$runs_with_acks"

# Server log lines about the first few missing or conflicting addresses.
problems=$((C[missing] + C[ip_conflicts] + C[mac_conflicts] + C[ack_conflicts]))
if ((problems > 0)); then
    for bad in $(grep -oE '(MISSING ACKed|ACK CONFLICT: |IP CONFLICT in table: )[0-9.]+' "$CHECK_OUT" | grep -oE '[0-9.]+$' | head -n 3); do
        log "server log lines for $bad (file:line):"
        grep -n "ip=$bad\b" "$TMPD"/server.*.stderr | head -n 12 | sed "s/^/[$TEST_NAME]   | /"
    done
fi

# --- self-check: the checker must catch a lost lease, a lease moved to
# another MAC, and an address ACKed twice. Mutations are made on copies.
selfcheck() {   # selfcheck LABEL ACKS_FILE DB_FILE|LEASES_JSON EXPECTED_REGEX
    local label=$1 acks=$2 db=$3 want=$4 out rc j
    if [[ $db == *.json ]]; then
        j=$db
    else
        j=$TMPD/selfcheck.$label.json
        AUTOPROV_STORE_PATH=$db leases_json "$CFG" >"$j" || { fail "self-check $label: cannot list leases"; return; }
    fi
    out=$(python3 "$CHECK" check "$acks" "$j" "$RUNS" "self-check-$label" 2>&1); rc=$?
    local line
    line=$(grep '^acks_seen=' <<<"$out")
    if ((rc == 1)) && [[ $line =~ $want ]]; then
        pass "self-check $label: checker reports it ($(grep -m1 -E 'MISSING|CONFLICT' <<<"$out" | cut -c1-160))"
    else
        fail "self-check $label: expected exit 1 and /$want/, got exit $rc: $line"
    fi
}

# two ACKed leases (different IPs and MACs) picked at random from the capture
nacks=$(wc -l <"$ACKS")
ip1="" ip2=""
if ((nacks > 1)); then
    read -r _ ip1 mac1 < <(sed -n "$(((RANDOM * 32768 + RANDOM) % nacks + 1))p" "$ACKS")
    read -r _ ip2 mac2 < <(awk -v m="$mac1" -v i="$ip1" '$3 != m && $2 != i' "$ACKS" |
        sed -n "$(((RANDOM * 32768 + RANDOM) % (nacks - 1) + 1))p")
    [[ -n $ip2 ]] || read -r _ ip2 mac2 < <(awk -v m="$mac1" -v i="$ip1" '$3 != m && $2 != i' "$ACKS" | head -n 1)
fi
if [[ -z $ip1 || -z $ip2 ]]; then
    fail "self-check: need two distinct ACKed leases"
elif ((problems > 0)); then
    log "self-check skipped: the real check already failed"
else
    python3 - "$DB" "$TMPD/db-missing.sqlite" "$TMPD/db-moved.sqlite" "$ip1" "$mac2" <<'EOF' || fail "self-check: cannot prepare database copies"
import os, socket, sqlite3, struct, sys
src, missing, moved, ip1, mac2 = sys.argv[1:]
os.umask(0o077)  # autoprov refuses a store others can read (0600 copies)
n = struct.unpack("!I", socket.inet_aton(ip1))[0]
s = sqlite3.connect(src)
for path, sql, args in ((missing, "DELETE FROM lease WHERE ip = ?", (n,)),
                        (moved, "UPDATE lease SET mac = ? WHERE ip = ?", (mac2, n))):
    d = sqlite3.connect(path)
    s.backup(d)
    cur = d.execute(sql, args)
    if cur.rowcount != 1:
        sys.exit("self-check: %s changed %d rows" % (sql, cur.rowcount))
    d.commit()
    d.close()
EOF
    log "self-check: lease $ip1 -> $mac1 deleted / moved to $mac2 (on copies); fake ACK of $ip1 to $mac2"
    selfcheck lost "$ACKS" "$TMPD/db-missing.sqlite" 'missing=1 wrong_mac=0 ip_conflicts=0 mac_conflicts=0 ack_conflicts=0'
    selfcheck moved "$ACKS" "$TMPD/db-moved.sqlite" 'missing=1 wrong_mac=1 ip_conflicts=0 mac_conflicts=1 ack_conflicts=0'
    { cat "$ACKS"; echo "$EPOCHREALTIME $ip1 $mac2"; } >"$TMPD/acks.twice"
    selfcheck acked-twice "$TMPD/acks.twice" "$LEASES" 'missing=1 wrong_mac=1 ip_conflicts=0 mac_conflicts=0 ack_conflicts=1'
fi

finish
