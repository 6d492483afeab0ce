#!/usr/bin/env bash
# End to end: autoprov + simulated Fanvil phones (phonesim) + a real SIP
# registrar (sipp, verifying digest credentials), on the loopback of one
# namespace (topology in scripts/fleet-lib.sh).
#
#  - 50 good phones: DHCP through the relay path, config fetch, info.dev.Mac,
#    push, registration seen by sipp, registerCode 200: every one verified.
#  - 2 phones with a wrong SIP password: failed, "line 1 registerCode 403"
#    (the registrar's answer).
#  - 1 phone answering another MAC: failed "wrong phone", and phonesim saw
#    no set at all on it; 1 refusing the set (RetCode 1) and 1 answering
#    garbage: failed with those reasons. One good phone reboots in the middle
#    of its push and must still end verified.
#  - autoprov is killed (-9) while jobs are in flight (every API reply is
#    slowed down) and restarted: every job still ends, none is lost.
#  - `autoprov phone get` reads a phone over its API with its inventory
#    account; `autoprov phone reboot` reboots it (FanvilPhoneExecute) and the
#    reboot's own triggers verify it again.
#  - no SIP or admin password in autoprov's logs.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=../../scripts/fleet-lib.sh
. "$ROOT/scripts/fleet-lib.sh"
# shellcheck source-path=SCRIPTDIR source=lib-sipp.sh
. "$LIB_DIR/lib-sipp.sh"

PHONESIM_BIN=${PHONESIM_BIN:-$(dirname "$AUTOPROV_BIN")/phonesim}
require sipp python3 jq autoprov
[[ -x $PHONESIM_BIN ]] || fatal "phonesim is missing at $PHONESIM_BIN (swift build)"

GOOD=50
N=$((GOOD + 5))
REBOOTS=$(fleet_mac 50)
WRONG_PW=("$(fleet_mac 51)" "$(fleet_mac 52)")
WRONG_MAC=$(fleet_mac 53)
SET_FAILS=$(fleet_mac 54)
MALFORMED=$(fleet_mac 55)
SRVNS=$NS_PREFIX-fleet
new_ns "$SRVNS"
ulimit -n 65536 2>/dev/null

CFG=$TMPD/autoprov.yml
fleet_config "$CFG" "$TMPD/autoprov.sqlite" "deadline: 90" "lease_grace: 5" "fetch_settle: 0.5" "request_timeout: 3"
fleet_inventory "$TMPD/devices.csv" "$TMPD/users.csv" "$N"
"$AUTOPROV_BIN" device import "$TMPD/devices.csv" --config "$CFG" >/dev/null || fatal "inventory import failed"
SECRET=$(sed -n '2s/.*,sip-\([0-9a-f]*\)-.*/\1/p' "$TMPD/devices.csv")

start_sipp_registrar "$SRVNS" "$TMPD/users.csv"
start_server "$CFG" "$SRVNS"

faults=(--fault-every "1=slow=150")
for m in "${WRONG_PW[@]}"; do faults+=(--fault "$m=wrong-sip-password"); done
faults+=(--fault "$WRONG_MAC=wrong-mac" --fault "$SET_FAILS=set-fails" --fault "$MALFORMED=malformed")
faults+=(--fault "$REBOOTS=reboot-on-push")
EVENTS=$TMPD/phones.jsonl
ip netns exec "$SRVNS" "$PHONESIM_BIN" fleet --count "$N" --mac-base "$(fleet_mac 1)" --relay "$FLEET_RELAY" \
    --boot-spread 4 --events "$EVENTS" "${faults[@]}" 2>"$TMPD/phonesim.log" &
bg_track $!
log "phonesim: $N phones powering on over 4 s"

# Kill autoprov while jobs are in flight: some done, most not.
wait_for "(( \$(fleet_final_count '$AUTOPROV_BIN' '$CFG') >= 8 ))" 60 "the first jobs to end" ||
    fatal "no job ended within 60 s ($(fleet_states "$AUTOPROV_BIN" "$CFG"))"
kill9_server
AT_KILL=$(fleet_states "$AUTOPROV_BIN" "$CFG")
"$AUTOPROV_BIN" status --json --config "$CFG" | jq -r '.[] | select(.state | IN("leased", "config-fetched", "reachable", "pushed")) | .mac' \
    >"$TMPD/inflight"
log "killed autoprov (-9) with: $AT_KILL"
INFLIGHT=$(wc -l <"$TMPD/inflight")
assert_true "jobs were in flight at the kill ($INFLIGHT between leased and pushed)" test "$INFLIGHT" -ge 3
start_server "$CFG" "$SRVNS"

wait_for "(( \$(fleet_final_count '$AUTOPROV_BIN' '$CFG') >= $N ))" 120 "every job to end" ||
    fail "not every job ended: $(fleet_states "$AUTOPROV_BIN" "$CFG")"
STATUS=$TMPD/status.json
"$AUTOPROV_BIN" status --json --config "$CFG" >"$STATUS"
log "after the restart: $(fleet_states "$AUTOPROV_BIN" "$CFG")"

state_of() { jq -r --arg m "$1" '.[] | select(.mac == $m) | .state' "$STATUS"; }
reason_of() { jq -r --arg m "$1" '.[] | select(.mac == $m) | .reason // ""' "$STATUS"; }

verified=0
for ((i = 1; i <= GOOD; i++)); do
    [[ $(state_of "$(fleet_mac "$i")") == verified ]] && verified=$((verified + 1))
done
assert_eq "good phones verified" "$GOOD" "$verified"
lost=0
while read -r m; do
    case $(state_of "$m") in verified | failed) ;; *) lost=$((lost + 1)) ;; esac
done <"$TMPD/inflight"
assert_eq "jobs in flight at the kill that did not end after the restart" 0 "$lost"

for m in "${WRONG_PW[@]}"; do
    assert_eq "wrong SIP password $m: state" failed "$(state_of "$m")"
    assert_eq "wrong SIP password $m: the registrar's reason" "line 1 registerCode 403" "$(reason_of "$m")"
done
assert_eq "wrong MAC $WRONG_MAC: state" failed "$(state_of "$WRONG_MAC")"
assert_contains "wrong MAC: the reason names the mismatch" "$(reason_of "$WRONG_MAC")" "wrong phone: "
assert_eq "set refused: state" failed "$(state_of "$SET_FAILS")"
assert_eq "set refused: reason" "set refused: RetCode 1" "$(reason_of "$SET_FAILS")"
assert_eq "garbage replies: state" failed "$(state_of "$MALFORMED")"
assert_contains "garbage replies: reason" "$(reason_of "$MALFORMED")" "unreadable"
reboots=$(jq -r --arg m "$REBOOTS" 'select(.mac == $m and .event == "rebooting") | .mac' "$EVENTS" | wc -l)
assert_eq "the phone that reboots in its push rebooted" 1 "$reboots"
assert_eq "the phone that reboots in its push: state" verified "$(state_of "$REBOOTS")"
sets_on_wrong=$(jq -r --arg m "$WRONG_MAC" 'select(.mac == $m and .event == "set") | .mac' "$EVENTS" | wc -l)
assert_eq "sets the phone with another MAC received" 0 "$sets_on_wrong"
sets_total=$(jq -r 'select(.event == "set") | .mac' "$EVENTS" | sort -u | wc -l)
assert_true "the good phones were pushed ($sets_total phones got a set)" test "$sets_total" -ge "$GOOD"

registered=$(jq -r 'select(.event == "registered" and .code == 200) | .mac' "$EVENTS" | sort -u | wc -l)
assert_true "sipp accepted the good phones' REGISTERs ($registered phones)" test "$registered" -ge "$GOOD"
sipp_ok=$(sipp_registrations_accepted)
assert_true "sipp itself counted accepted registrations ($sipp_ok)" test "$sipp_ok" -ge "$GOOD"

events=$("$AUTOPROV_BIN" device show "$(fleet_mac 1)" --events 40 --config "$CFG")
for kind in leased config-fetch provision-reachable provision-pushed provision-verified; do
    assert_contains "phone 1's events include $kind" "$events" " $kind "
done
boot_calls=$(cat "$TMPD"/server.*.stderr | grep -c 'kind=boot .*action URL' || true)
assert_true "phones called their BootCompletedUrl ($boot_calls calls)" test "$boot_calls" -ge 1
P2=$(fleet_mac 2)
asked=$(ip netns exec "$SRVNS" "$AUTOPROV_BIN" phone get "$P2" info.dev.Model info.sip.line.1.registerCode --config "$CFG" 2>&1)
assert_contains "autoprov phone get: the model" "$asked" "info.dev.Model = X4"
assert_contains "autoprov phone get: the registration" "$asked" "info.sip.line.1.registerCode = 200"
before=$(jq -r --arg m "$P2" '.[] | select(.mac == $m) | .updated' "$STATUS")
assert_eq "autoprov phone reboot" "RetCode 0" "$(ip netns exec "$SRVNS" "$AUTOPROV_BIN" phone reboot "$P2" --config "$CFG" 2>&1)"
wait_for "jq -e --arg m '$P2' 'select(.mac == \$m and .event == \"rebooting\")' '$EVENTS'" 10 "phone 2 to reboot" ||
    fail "phone 2 did not reboot"
reverified() {
    "$AUTOPROV_BIN" status --json --config "$CFG" |
        jq -e --arg m "$P2" --argjson t "$before" '.[] | select(.mac == $m and .state == "verified" and .updated > $t)'
}
wait_for reverified 30 "phone 2 to be verified again after its reboot" && pass "phone 2 verified again after the reboot" ||
    fail "phone 2 not verified again: $("$AUTOPROV_BIN" status --json --config "$CFG" | jq -c --arg m "$P2" '.[] | select(.mac == $m)')"
leaks=$(cat "$TMPD"/server.*.stderr "$TMPD/phonesim.log" | grep -c -e "sip-$SECRET" -e "adm-$SECRET" || true)
assert_eq "passwords in autoprov's and phonesim's logs" 0 "$leaks"
text=$("$AUTOPROV_BIN" status --config "$CFG")
assert_contains "autoprov status shows the failure reason" "$text" "line 1 registerCode 403"
finish
