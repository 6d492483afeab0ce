# shellcheck shell=bash
# sipp as the real SIP registrar of the end-to-end tests (scenario and its
# selftest in Tests/Integration/sipp/). Sourced after lib.sh.

SIPP_DIR=""

# start_sipp_registrar NS USERS: sipp on 127.0.0.1:5060 inside NS, checking
# digest credentials against USERS (number,password per line). Ready when
# its UDP port is bound (20 s deadline); fatal if it dies.
start_sipp_registrar() {
    local ns=$1 users=$2 pid
    SIPP_DIR=$TMPD/sipp
    mkdir -p "$SIPP_DIR"
    { echo SEQUENTIAL; tr ',' ';' <"$users"; } >"$SIPP_DIR/users.csv"
    cp "$LIB_DIR/sipp/registrar.xml" "$SIPP_DIR/"
    (cd "$SIPP_DIR" && exec ip netns exec "$ns" sipp -sf registrar.xml -i 127.0.0.1 -p 5060 \
        -inf users.csv -infindex users.csv 0 -nostdin -trace_logs -trace_err -max_socket 4096 \
        </dev/null >sipp.out 2>&1) &
    pid=$!
    bg_track "$pid"
    wait_for "ip netns exec '$ns' ss -Hulpn 'sport = :5060' | grep -q sipp" 20 "sipp to bind 5060" ||
        fatal "sipp did not start: $(tail -5 "$SIPP_DIR/sipp.out")"
    log "sipp registrar pid $pid on 127.0.0.1:5060 ($(($(wc -l <"$SIPP_DIR/users.csv") - 1)) users)"
}

# sipp_registrations_accepted: distinct users sipp answered 200 (its log).
sipp_registrations_accepted() {
    cat "$SIPP_DIR"/registrar_*_logs.log 2>/dev/null | sed -n 's/.*accepted \([0-9A-Za-z]*\).*/\1/p' | sort -u | wc -l
}
