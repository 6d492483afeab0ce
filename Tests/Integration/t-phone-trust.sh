#!/usr/bin/env bash
# Who the post-provisioning worker trusts with secrets, with the config
# server requiring Digest (authorize: leased_ip_and_digest). Three hosts on
# one link take DHCP leases from autoprov with inventory MACs and answer
# xmlService with a stand-in (fakephone.py, which logs every request it
# gets: the Authorization scheme, the command, the item keys, never values):
#  - a real phone fetches its file with Digest from its leased address: its
#    job pushes (RegisterPswd reaches it) and ends verified;
#  - an impostor leases with an inventory MAC and answers info.dev.Mac with
#    it, but never fetches its file with Digest: it receives no request at
#    all (no SET, no Authorization: Basic), and its job fails at the deadline
#    "waiting for a Digest-authenticated fetch of <mac>.cfg";
#  - a real phone whose xmlService asks for HTTP Basic over plain http: no
#    Authorization header ever reaches it, its job fails naming
#    post_provision.basic_over_http_groups, and nothing is pushed.
# No password in autoprov's log.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require udhcpc ip ss jq curl python3 autoprov

SRVNS=$NS_PREFIX-srv
CLINS=$NS_PREFIX-cli
REAL_MAC=0c:38:3e:51:00:01;     REAL=0c383e510001
IMPOSTOR_MAC=0c:38:3e:51:00:02; IMPOSTOR=0c383e510002
BASIC_MAC=0c:38:3e:51:00:03;    BASIC=0c383e510003
SECRET=$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')
SIP_PW="sip-$SECRET"
ADMIN_PW="adm-$SECRET"
PROV_PW="prov-$SECRET"
API_PORT=8088
DEADLINE=12
CFG=$TMPD/autoprov.yml

setup_pair "$SRVNS" "$CLINS" srv0 cli0 192.0.2.1/24 "$REAL_MAC"
add_macvlan "$CLINS" cli0 mv1 "$IMPOSTOR_MAC"
add_macvlan "$CLINS" cli0 mv2 "$BASIC_MAC"

write_config "$CFG" srv0 "    - subnet: 192.0.2.0/24
      pools:
        - 192.0.2.100-192.0.2.199
      lease_time: 3600
      router: 192.0.2.1"
append_provisioning "$CFG" leased_ip_and_digest 404
cat >>"$CFG" <<YAML
post_provision:
  api_port: $API_PORT
  deadline: $DEADLINE
  lease_grace: 1
  fetch_settle: 0.2
  request_timeout: 3
YAML

for m in "$REAL_MAC" "$IMPOSTOR_MAC" "$BASIC_MAC"; do
    "$AUTOPROV_BIN" device add "$m" --admin-user admin --admin-password "$ADMIN_PW" \
        --var provisioning_username=prov --var "provisioning_password=$PROV_PW" \
        --line "1:number=101,password=$SIP_PW,registrar=192.0.2.1" --config "$CFG" >"$TMPD/device-add.log" 2>&1 ||
        fatal "autoprov device add $m failed: $(cat "$TMPD/device-add.log")"
done

start_server "$CFG"
wait_listening "$SRVNS" 8080 8081

SCRIPT=$TMPD/udhcpc.script
make_udhcpc_script "$SCRIPT" "$TMPD/udhcpc"
udhcpc_lease "$CLINS" cli0 "$SCRIPT" "$TMPD/udhcpc"; REAL_IP=$LEASE_IP
udhcpc_lease "$CLINS" mv1 "$SCRIPT" "$TMPD/udhcpc"; IMPOSTOR_IP=$LEASE_IP
udhcpc_lease "$CLINS" mv2 "$SCRIPT" "$TMPD/udhcpc"; BASIC_IP=$LEASE_IP
log "leases: real $REAL_IP, impostor $IMPOSTOR_IP, basic $BASIC_IP"

# fake_phone IP MAC LOG [ARGS...]: fakephone.py on IP:$API_PORT in the client namespace.
fake_phone() {
    local ip=$1 mac=$2 file=$3; shift 3
    : >"$file"
    ip netns exec "$CLINS" python3 "$LIB_DIR/fakephone.py" --bind "$ip" --port "$API_PORT" --mac "$mac" --log "$file" \
        --secret "$SIP_PW" --secret "$ADMIN_PW" "$@" 2>"$file.stderr" &
    bg_track $!
    wait_for "grep -q listening '$file.stderr'" 10 "fakephone on $ip" || fatal "fakephone on $ip did not start: $(cat "$file.stderr")"
}
fake_phone "$REAL_IP" "$REAL" "$TMPD/real.jsonl"
fake_phone "$IMPOSTOR_IP" "$IMPOSTOR" "$TMPD/impostor.jsonl"
fake_phone "$BASIC_IP" "$BASIC" "$TMPD/basic.jsonl" --auth basic --user admin --password "$ADMIN_PW"

# fetch IP MAC [CURL ARGS...]: the phone's GET of its own file from IP.
fetch() {
    local ip=$1 mac=$2; shift 2
    http_req "$CLINS" --interface "$ip" -A "Fanvil X6 2.10.2.6887 $mac" "$@" "http://192.0.2.1:8080/$mac.cfg"
}
fetch "$REAL_IP" "$REAL" --digest -u "prov:$PROV_PW"
expect_http "the real phone fetches its file with Digest" 200
fetch "$BASIC_IP" "$BASIC" --digest -u "prov:$PROV_PW"
expect_http "the Basic phone fetches its file with Digest" 200
fetch "$IMPOSTOR_IP" "$IMPOSTOR"
expect_http "the impostor, without the provisioning password, is refused its file" 401

# shellcheck disable=SC2317  # run by wait_for's eval
final() {
    "$AUTOPROV_BIN" status --json --config "$CFG" |
        jq -e '[.[] | select(.state == "verified" or .state == "failed")] | length == 3' >/dev/null
}
wait_for final $((DEADLINE + 20)) "the three jobs to end" || fail "not every job ended: $("$AUTOPROV_BIN" status --config "$CFG")"
STATUS=$TMPD/status.json
"$AUTOPROV_BIN" status --json --config "$CFG" >"$STATUS"
state_of() { jq -r --arg m "$1" '.[] | select(.mac == $m) | .state' "$STATUS"; }
reason_of() { jq -r --arg m "$1" '.[] | select(.mac == $m) | .reason // ""' "$STATUS"; }
# seen LOG JQ: how many requests in LOG match the jq filter.
seen() { jq -s "[.[] | select($2)] | length" "$1"; }

# --- the real phone
assert_eq "real phone: state" verified "$(state_of "$REAL")"
assert_true "real phone: RegisterPswd was pushed to it" \
    test "$(seen "$TMPD/real.jsonl" '.cmd == "set" and (.keys | index("sip.line.1.RegisterPswd"))')" -ge 1

# --- the impostor
assert_eq "impostor: state" failed "$(state_of "$IMPOSTOR")"
assert_eq "impostor: reason" "timeout: waiting for a Digest-authenticated fetch of $IMPOSTOR.cfg from $IMPOSTOR_IP" \
    "$(reason_of "$IMPOSTOR")"
assert_eq "impostor: requests it received (not even info.dev.Mac)" 0 "$(seen "$TMPD/impostor.jsonl" true)"
assert_eq "impostor: RegisterPswd items received" 0 \
    "$(seen "$TMPD/impostor.jsonl" '.keys | index("sip.line.1.RegisterPswd")')"
assert_eq "impostor: Authorization: Basic received" 0 "$(seen "$TMPD/impostor.jsonl" '.auth == "basic"')"

# --- the phone asking for Basic over plain http
assert_eq "Basic phone: state" failed "$(state_of "$BASIC")"
assert_contains "Basic phone: the reason names the setting" "$(reason_of "$BASIC")" "post_provision.basic_over_http_groups"
assert_true "Basic phone: it was asked info.dev.Mac" test "$(seen "$TMPD/basic.jsonl" '.cmd == "get"')" -ge 1
assert_eq "Basic phone: requests with an Authorization header" 0 "$(seen "$TMPD/basic.jsonl" '.auth != "none"')"
assert_eq "Basic phone: SETs received" 0 "$(seen "$TMPD/basic.jsonl" '.cmd == "set"')"
assert_eq "Basic phone: a password reached it" 0 "$(seen "$TMPD/basic.jsonl" '.secret')"

events=$("$AUTOPROV_BIN" device show "$IMPOSTOR_MAC" --events 20 --config "$CFG")
assert_contains "impostor's events: the lease" "$events" " leased "
assert_not_contains "impostor's events: never reachable" "$events" "provision-reachable"
leaks=$(cat "$TMPD"/server.*.stderr | grep -c -e "$SECRET" || true)
assert_eq "passwords in autoprov's log" 0 "$leaks"
finish
