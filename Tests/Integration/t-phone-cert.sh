#!/usr/bin/env bash
# Trust on first use of a phone's HTTPS certificate (post_provision
# api_scheme: https). A phone (fakephone.py serving HTTPS with a self-signed
# certificate A) takes a lease and fetches its file:
#  - its job ends verified and pins A: the api-cert-pinned event carries
#    A's SHA-256 exactly as `openssl x509 -fingerprint -sha256` shows it;
#  - the phone is replaced by one presenting certificate B at the same
#    address; a new phone does not know the old one's provisioning secret
#    (in force since the first verification), so the admin resets it
#    (`autoprov device reset-secret`; without that the job would wait for a
#    Digest fetch under the old secret and send nothing); `autoprov push` fails the job "phone certificate changed (was
#    A, now B); accept with 'autoprov device accept-cert MAC'", and the new
#    phone receives no request at all;
#  - `autoprov device accept-cert MAC` forgets A; the next push verifies the
#    phone and pins B.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require udhcpc ip ss jq curl openssl python3 autoprov

SRVNS=$NS_PREFIX-srv
CLINS=$NS_PREFIX-cli
PHONE_MAC=0c:38:3e:52:00:01; MAC=0c383e520001
API_PORT=8443
CFG=$TMPD/autoprov.yml

setup_pair "$SRVNS" "$CLINS" srv0 cli0 192.0.2.1/24 "$PHONE_MAC"
for c in a b; do
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=phone-$c" \
        -keyout "$TMPD/$c.key" -out "$TMPD/$c.pem" >"$TMPD/openssl.log" 2>&1 ||
        fatal "openssl could not make certificate $c: $(tail -n 3 "$TMPD/openssl.log")"
done
fingerprint() { openssl x509 -in "$1" -noout -fingerprint -sha256 | sed 's/^[^=]*=//'; }
FP_A=$(fingerprint "$TMPD/a.pem")
FP_B=$(fingerprint "$TMPD/b.pem")

write_config "$CFG" srv0 "    - subnet: 192.0.2.0/24
      pools:
        - 192.0.2.100-192.0.2.199
      lease_time: 3600
      router: 192.0.2.1"
append_provisioning "$CFG" leased_ip 404
cat >>"$CFG" <<YAML
post_provision:
  api_scheme: https
  api_port: $API_PORT
  deadline: 15
  lease_grace: 1
  fetch_settle: 0.2
  request_timeout: 3
YAML
"$AUTOPROV_BIN" device add "$PHONE_MAC" --admin-user admin --admin-password adm-pw \
    --line "1:number=101,password=sip-pw,registrar=192.0.2.1" --config "$CFG" >"$TMPD/device-add.log" 2>&1 ||
    fatal "autoprov device add failed: $(cat "$TMPD/device-add.log")"

start_server "$CFG"
wait_listening "$SRVNS" 8080 8081
SCRIPT=$TMPD/udhcpc.script
make_udhcpc_script "$SCRIPT" "$TMPD/udhcpc"
udhcpc_lease "$CLINS" cli0 "$SCRIPT" "$TMPD/udhcpc"; IP=$LEASE_IP
log "phone $PHONE_MAC leased $IP"

PHONE_PID=""
# fake_phone CERT LOG: the phone's HTTPS xmlService on $IP:$API_PORT with certificate CERT.
fake_phone() {
    local cert=$1 file=$2
    : >"$file"
    ip netns exec "$CLINS" python3 "$LIB_DIR/fakephone.py" --bind "$IP" --port "$API_PORT" --mac "$MAC" --log "$file" \
        --tls-cert "$TMPD/$cert.pem" --tls-key "$TMPD/$cert.key" 2>"$file.stderr" &
    PHONE_PID=$!
    bg_track "$PHONE_PID"
    wait_for "grep -q listening '$file.stderr'" 10 "fakephone ($cert)" || fatal "fakephone did not start: $(cat "$file.stderr")"
}
# job_is STATE: the phone's job is in STATE.
# shellcheck disable=SC2317  # also run by wait_for's eval
job_is() {
    "$AUTOPROV_BIN" status --json --config "$CFG" | jq -e --arg m "$MAC" --arg s "$1" '.[] | select(.mac == $m and .state == $s)' >/dev/null
}
job_reason() { "$AUTOPROV_BIN" status --json --config "$CFG" | jq -r --arg m "$MAC" '.[] | select(.mac == $m) | .reason // ""'; }
# shellcheck disable=SC2317  # run by wait_for's eval
job_final() { job_is verified || job_is failed; }
pinned_events() { "$AUTOPROV_BIN" device show "$PHONE_MAC" --events 40 --config "$CFG" | grep -c "api-cert-pinned.*$1" || true; }

# --- first use: verified, A pinned
fake_phone a "$TMPD/a.jsonl"
http_req "$CLINS" --interface "$IP" -A "Fanvil X6 2.10.2.6887 $MAC" "http://192.0.2.1:8080/$MAC.cfg"
expect_http "the phone fetches its file from its lease" 200
wait_for job_final 30 "the first job to end" || fail "the first job did not end: $(job_reason)"
assert_true "first job verified ($(job_reason))" job_is verified
assert_eq "certificate A pinned: the event carries openssl's SHA-256 of A" 1 "$(pinned_events "$FP_A")"
assert_true "phone A was pushed" test "$(jq -s '[.[] | select(.cmd == "set")] | length' "$TMPD/a.jsonl")" -ge 1

# --- a replaced phone at the same address: refused, sent nothing
kill -TERM "$PHONE_PID"; wait "$PHONE_PID" 2>/dev/null
fake_phone b "$TMPD/b.jsonl"
out=$("$AUTOPROV_BIN" device reset-secret "$PHONE_MAC" --config "$CFG" 2>&1)
assert_contains "reset-secret: the replaced phone is back in its bootstrap window" "$out" "bootstrap window"
"$AUTOPROV_BIN" push "$MAC" --config "$CFG" >/dev/null 2>&1 || fail "autoprov push failed"
wait_for 'job_is failed' 30 "the job to fail on the new certificate" || fail "the job did not fail: $(job_reason)"
assert_eq "the reason names both certificates and the way out" \
    "phone certificate changed (was $FP_A, now $FP_B); accept with 'autoprov device accept-cert $MAC'" "$(job_reason)"
assert_eq "requests the replaced phone received" 0 "$(jq -s 'length' "$TMPD/b.jsonl")"

# --- the admin accepts it: verified again, B pinned
out=$("$AUTOPROV_BIN" device accept-cert "$PHONE_MAC" --config "$CFG" 2>&1)
assert_contains "accept-cert says what it forgot" "$out" "forgot certificate $FP_A"
"$AUTOPROV_BIN" push "$MAC" --config "$CFG" >/dev/null 2>&1 || fail "autoprov push failed"
wait_for 'job_is verified' 30 "the job to be verified with the new certificate" || fail "not verified again: $(job_reason)"
assert_eq "certificate B pinned" 1 "$(pinned_events "$FP_B")"
assert_true "phone B was pushed" test "$(jq -s '[.[] | select(.cmd == "set")] | length' "$TMPD/b.jsonl")" -ge 1
events=$("$AUTOPROV_BIN" device show "$PHONE_MAC" --events 40 --config "$CFG")
assert_contains "the acceptance is in the device's history" "$events" "api-cert-accepted"
finish
