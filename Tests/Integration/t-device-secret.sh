#!/usr/bin/env bash
# A phone's own provisioning secret (issue 13, item 4), with the default
# authorize: leased_ip and config_server.per_device_secret on (the default).
# One simulated phone (phonesim, on the loopback of one namespace, as in
# t-e2e-phones; phonesim's registrar checks its SIP password):
#  - it is provisioned: lease, file (bootstrap: its lease), push (the SIP
#    line and its own ap.DefaultUsername/Password), registration: verified;
#    its secret is then in force (`device_secret: in-force`, never the value);
#  - a MAC spoofer asking for its file from the very address leased to that
#    MAC, with its User-Agent: 401 without Digest, 401 with the shared
#    provisioning password; no SIP password in what it got;
#  - the real phone reboots (`autoprov phone reboot`), fetches its file with
#    Digest under its secret (phonesim answers the challenge with the pushed
#    credentials): served, and its job is verified again (the worker talks to
#    it only after that Digest fetch);
#  - `autoprov device reset-secret` (a factory-reset phone): back to the
#    bootstrap window, the leased address alone gets the file again;
#  - the secret is in no log, no CLI output, no event.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=../../scripts/fleet-lib.sh disable=SC1091
. "$ROOT/scripts/fleet-lib.sh"

PHONESIM_BIN=${PHONESIM_BIN:-$(dirname "$AUTOPROV_BIN")/phonesim}
require python3 jq curl autoprov
[[ -x $PHONESIM_BIN ]] || fatal "phonesim is missing at $PHONESIM_BIN (swift build)"

SRVNS=$NS_PREFIX-devsec
new_ns "$SRVNS"
MAC=$(fleet_mac 1)
PROV_PW="prov-$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')"
CFG=$TMPD/autoprov.yml
STORE=$TMPD/autoprov.sqlite
fleet_config "$CFG" "$STORE" "deadline: 30" "lease_grace: 5" "fetch_settle: 0.2" "request_timeout: 3"
fleet_inventory "$TMPD/devices.csv" "$TMPD/users.csv" 1
"$AUTOPROV_BIN" device import "$TMPD/devices.csv" --config "$CFG" >/dev/null || fatal "inventory import failed"
SIP_PW=$(sed -n '2s/.*,\(sip-[0-9a-f]*-[0-9]*\),.*/\1/p' "$TMPD/devices.csv")
[[ -n $SIP_PW ]] || fatal "no SIP password in the inventory CSV"
# The shared (bootstrap) provisioning credentials, as a site would set them.
"$AUTOPROV_BIN" device set "$MAC" --var provisioning_username=prov --var "provisioning_password=$PROV_PW" \
    --config "$CFG" >/dev/null || fatal "device set failed"

ip netns exec "$SRVNS" "$PHONESIM_BIN" registrar --listen 127.0.0.1:5060 --users "$TMPD/users.csv" \
    2>"$TMPD/registrar.log" &
bg_track $!
wait_for "grep -q 'registrar listening' '$TMPD/registrar.log'" 20 "the registrar" || fatal "registrar did not start"
start_server "$CFG" "$SRVNS"
EVENTS=$TMPD/phones.jsonl
ip netns exec "$SRVNS" "$PHONESIM_BIN" fleet --count 1 --mac-base "$MAC" --relay "$FLEET_RELAY" --events "$EVENTS" \
    2>"$TMPD/phonesim.log" &
bg_track $!

# job_json: the phone's job as `autoprov status --json` shows it.
job_json() { "$AUTOPROV_BIN" status --json --config "$CFG" | jq -c --arg m "$MAC" '.[] | select(.mac == $m)'; }
secret_state() { "$AUTOPROV_BIN" device show "$MAC" --json --config "$CFG" | jq -r .device_secret; }

wait_for "job_json | jq -e '.state == \"verified\" or .state == \"failed\"' >/dev/null" 60 "the phone's job to end" ||
    fatal "the job did not end: $(job_json)"
assert_eq "the phone's job" verified "$(job_json | jq -r .state)"
assert_eq "its secret after the verification" in-force "$(secret_state)"
PHONE_IP=$(job_json | jq -r .ip)
log "phone $MAC at $PHONE_IP"
SECRET=$(python3 -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("SELECT provisioning_secret FROM device WHERE mac = ?", (sys.argv[2],)).fetchone()[0])' \
    "$STORE" "$(echo "$MAC" | sed 's/../&:/g; s/:$//')")
assert_true "a secret of 32+ characters is stored" test "${#SECRET}" -ge 32

# fetch [CURL ARGS...]: the phone's file, asked from the phone's leased address with its User-Agent.
fetch() {
    http_req "$SRVNS" --interface "$PHONE_IP" -A "Fanvil X4 2.10.2.6887 $MAC" "$@" "http://127.0.0.1:8080/$MAC.cfg"
}
# --- the spoofer: the MAC, its lease's address, its User-Agent; no secret.
fetch
expect_http "a spoofer from the leased address, without Digest" 401
assert_not_contains "the spoofer's answer holds no SIP password" "$(cat "$TMPD/http.body")" "$SIP_PW"
fetch --digest -u "prov:$PROV_PW"
expect_http "a spoofer with the shared provisioning password" 401
assert_not_contains "the spoofer's answer holds no SIP password" "$(cat "$TMPD/http.body")" "$SIP_PW"
fetch --digest -u "$MAC:wrong-$PROV_PW"
expect_http "a spoofer guessing under the phone's user" 401

# --- the real phone reboots and fetches with its secret.
before=$(job_json | jq -r .updated)
fetches_before=$("$AUTOPROV_BIN" device show "$MAC" --events 200 --config "$CFG" | grep -c ' config-fetch 200 ' || true)
assert_eq "autoprov phone reboot" "RetCode 0" "$(ip netns exec "$SRVNS" "$AUTOPROV_BIN" phone reboot "$MAC" --config "$CFG" 2>&1)"
# shellcheck disable=SC2317  # run by wait_for's eval
reverified() { job_json | jq -e --argjson t "$before" '.state == "verified" and .updated > $t' >/dev/null; }
if wait_for reverified 60 "the phone to be verified again after its reboot"; then
    pass "the real phone is verified again after its reboot"
else
    fail "not verified again: $(job_json)"
fi
fetches_after=$("$AUTOPROV_BIN" device show "$MAC" --events 200 --config "$CFG" | grep -c ' config-fetch 200 ' || true)
assert_true "the real phone's file was served again ($fetches_before → $fetches_after)" test "$fetches_after" -gt "$fetches_before"
assert_eq "its secret is still in force" in-force "$(secret_state)"
# With Digest under the secret (what phonesim did), from its address: served.
fetch --digest -u "$MAC:$SECRET"
expect_http "the phone's own credentials" 200
assert_eq "the file keeps the phone on its own credentials" 2 \
    "$(grep -c -F -e "<DefaultUsername>$MAC<" -e "<DefaultPassword>$SECRET<" "$TMPD/http.body" || true)"

# --- a factory-reset phone: the admin resets; the bootstrap window again.
out=$("$AUTOPROV_BIN" device reset-secret "$MAC" --config "$CFG" 2>&1)
assert_contains "autoprov device reset-secret" "$out" "back in its bootstrap window"
assert_eq "its secret after the reset" none "$(secret_state)"
wait_for "fetch; [[ \$HTTP_CODE == 200 ]]" 10 "the config server to follow the reset" || true
expect_http "after the reset, the leased address alone (bootstrap)" 200

events=$("$AUTOPROV_BIN" device show "$MAC" --events 200 --config "$CFG")
for kind in provisioning-secret-created provisioning-secret-in-force provisioning-secret-reset; do
    assert_contains "events include $kind" "$events" " $kind "
done
leaks=$(cat "$TMPD"/server.*.stderr "$TMPD/phonesim.log" "$TMPD/registrar.log" | grep -c -F -e "$SECRET" || true)
assert_eq "the secret in autoprov's, phonesim's and the registrar's logs" 0 "$leaks"
# (counted, never printed: the test's own output holds no secret either)
assert_eq "the secret in the CLI's events" 0 "$(grep -c -F -e "$SECRET" <<<"$events" || true)"
assert_eq "the secret in the CLI's JSON" 0 \
    "$("$AUTOPROV_BIN" device show "$MAC" --json --config "$CFG" | grep -c -F -e "$SECRET" || true)"
finish
