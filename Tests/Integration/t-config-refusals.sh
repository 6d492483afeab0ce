#!/usr/bin/env bash
# What the config server refuses, and HTTP Digest, for a phone that took a
# DHCP lease from the same `autoprov serve` (unknown_devices: 404):
#  - authorize leased_ip: other methods 405 (Allow: GET, HEAD); the zero
#    MAC, an upper-case name and an unknown MAC 404; traversal,
#    %-encoding, a backslash, non-ASCII bytes and a path over 200 bytes 400;
#    every refusal counted with its reason on /metrics; the model's common file 200; the
#    firmware check file 404 until the group gets firmware_url, then 200
#    without a restart;
#  - authorize leased_ip_or_digest: from an address that is not the lease,
#    401 with a Digest challenge (MD5 first, SHA-256 too), 200 with the
#    device's provisioning_username/password (curl: MD5; computed here:
#    SHA-256), 401 with a wrong password or user;
#  - Digest replays and guessing (issue 13, item 6): an Authorization
#    header captured from curl -v and replayed with curl -H: 401
#    digest-replay (stale=true) from the same address, 401 digest-bad from
#    another (nonces are bound to the address they were issued to); a burst
#    of 30 wrong guesses from one address: the first ones 401, then 429
#    digest-throttled (Retry-After), counted in /metrics, while the phone at
#    another address still gets its file;
#  - the store (issue 13, item 9): made by `serve` under umask 022, it and
#    its -wal and -shm are 0600 while served; chmod 644, `serve` refuses to
#    start, naming the path and the fix, and leaves it unchanged;
#  - authorize leased_ip_and_digest: the lease alone 401, lease + Digest 200,
#    Digest from elsewhere 403.
# The served side: t-config-server.sh. jq programs take their own
# $variables (--arg); some functions run only through wait_for's eval.
# shellcheck disable=SC2016,SC2317
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require udhcpc ip ss jq curl python3 autoprov

SRVNS=$NS_PREFIX-srv
CLINS=$NS_PREFIX-cli
PHONE_MAC=0c:38:3e:12:34:57; MAC=0c383e123457
UA="Fanvil X6 2.10.2.6887 $MAC"
ALT_IP=192.0.2.250            # a second address of the phone's interface, never leased
ALT2_IP=192.0.2.251           # a third one: the replaying / guessing host
PROV_USER=phoneprov
PROV_PW='Prov-8e1f3b7a'
FW_FILE=fanvil_x6_hwv1_0.txt
CFG=$TMPD/autoprov.yml

# phone SRC PATH [CURL ARGS...]: the phone's GET of PATH (raw, as given).
phone() {
    local src=$1 path=$2; shift 2
    http_req "$CLINS" --path-as-is --interface "$src" -A "$UA" "$@" "http://192.0.2.1:8080$path"
}

# serve AUTHORIZE: (re)start the server with that authorize policy, same store.
serve() {
    stop_server
    write_config "$CFG" srv0 "    - subnet: 192.0.2.0/24
      pools:
        - 192.0.2.100-192.0.2.199
      lease_time: 3600
      router: 192.0.2.1"
    append_provisioning "$CFG" "$1" 404
    start_server "$CFG"
    wait_listening "$SRVNS" 8080 8081
    load_admin_token
    log "serving with authorize: $1"
}

# refused DESC CODE PATH [CURL ARGS...]: the leased phone's request is refused with CODE.
refused() {
    local desc=$1 code=$2 path=$3; shift 3
    phone "$IP1" "$path" "$@"
    expect_http "$desc" "$code"
}

# challenge_ok DESC: the last response is a 401 with Digest challenges, MD5 first.
challenge_ok() {
    local ch first
    ch=$(http_header WWW-Authenticate)
    first=$(head -n 1 <<<"$ch")
    if [[ $first == "Digest "* && $first == *'realm="autoprov"'* && $first == *algorithm=MD5* && $first == *qop=\"auth\"* ]]; then
        pass "$1: first WWW-Authenticate is Digest, realm autoprov, MD5, qop auth: $first"
    else
        fail "$1: first WWW-Authenticate should be 'Digest realm=\"autoprov\" ... algorithm=MD5 qop=\"auth\"', got: $(tr '\n' '|' <<<"$ch")"
    fi
    assert_contains "$1: a SHA-256 challenge is offered too" "$ch" "algorithm=SHA-256"
}

# sha256_auth USER PASSWORD URI: an RFC 7616 SHA-256 Authorization header
# (qop auth) answering the SHA-256 challenge of the last 401.
sha256_auth() {
    local nonce h1 h2 cnonce=0a4f113b
    nonce=$(http_header WWW-Authenticate | grep 'algorithm=SHA-256' | sed -nE 's/.*nonce="([^"]*)".*/\1/p' | head -n 1)
    h1=$(printf '%s' "$1:autoprov:$2" | sha256sum | cut -d' ' -f1)
    h2=$(printf '%s' "GET:$3" | sha256sum | cut -d' ' -f1)
    printf 'Authorization: Digest username="%s", realm="autoprov", nonce="%s", uri="%s", algorithm=SHA-256, qop=auth, nc=00000001, cnonce="%s", response="%s"' \
        "$1" "$nonce" "$3" "$cnonce" "$(printf '%s' "$h1:$nonce:00000001:$cnonce:auth:$h2" | sha256sum | cut -d' ' -f1)"
}

# ------------------------------------------------------------------ setup ---

setup_pair "$SRVNS" "$CLINS" srv0 cli0 192.0.2.1/24 "$PHONE_MAC"
STORE=$TMPD/store/autoprov.sqlite
umask 022
serve leased_ip
"$AUTOPROV_BIN" device add "$PHONE_MAC" --label "Hall" --config "$CFG" \
    --line "1:number=102,password=sip-Pw-0a9b8c7d,registrar=192.0.2.1" >"$TMPD/cli.log" 2>&1 ||
    fatal "autoprov device add failed: $(cat "$TMPD/cli.log")"
make_udhcpc_script "$TMPD/udhcpc.script" "$TMPD/udhcpc"
udhcpc_lease "$CLINS" cli0 "$TMPD/udhcpc.script" "$TMPD/udhcpc"
IP1=$LEASE_IP
log "phone $PHONE_MAC leased $IP1"
ip -n "$CLINS" addr add "$ALT_IP/24" dev cli0 || fatal "cannot add $ALT_IP to cli0"
ip -n "$CLINS" addr add "$ALT2_IP/24" dev cli0 || fatal "cannot add $ALT2_IP to cli0"
phone "$IP1" "/$MAC.cfg"
expect_http "the leased phone's own file (baseline)" 200
for f in "$STORE" "$STORE-wal" "$STORE-shm"; do
    assert_eq "store: ${f##*/} is 0600 while served (umask 022)" 600 "$(stat -c %a "$f" 2>&1)"
done

# ------------------------------------------------------- 3. refusals ---

for m in POST PUT DELETE; do
    refused "$m /$MAC.cfg" 405 "/$MAC.cfg" -X "$m"
    assert_eq "$m /$MAC.cfg: Allow header" "GET, HEAD" "$(http_header Allow)"
done
refused "GET /000000000000.cfg (the zero MAC)" 404 /000000000000.cfg
refused "GET /${MAC^^}.cfg (upper-case MAC name)" 404 "/${MAC^^}.cfg"
refused "GET /%2e%2e/x (percent-encoded traversal)" 400 /%2e%2e/x
refused "GET /a/../b (raw traversal, --path-as-is)" 400 /a/../b
refused 'GET /a\b.cfg (backslash)' 400 '/a\b.cfg'
printf -v LONG '/%0295d.cfg' 0
refused "GET of a ${#LONG}-character path" 400 "$LONG"
printf -v LONG '/%0196d.cfg' 0
refused "GET of a ${#LONG}-byte path (over the 200-byte limit)" 400 "$LONG"
printf -v LONG '/%0195d.cfg' 0
refused "GET of a ${#LONG}-byte path (at the limit: not a bad path, no such file)" 404 "$LONG"
http_raw "$CLINS" "$IP1" 192.0.2.1 8080 $'GET /\xe9\xe9.cfg HTTP/1.1\r\nHost: 192.0.2.1\r\nConnection: close\r\n\r\n' \
    >"$TMPD/nonascii.raw"
assert_eq "GET of a path with non-ASCII bytes (raw socket): status line" "HTTP/1.1 400 Bad Request" \
    "$(head -n 1 "$TMPD/nonascii.raw" | tr -d '\r')"
refused "GET /0c383e999999.cfg (unknown MAC, unknown_devices 404)" 404 /0c383e999999.cfg \
    -A "Fanvil X6 2.10.2.6887 0c383e999999"
for r in method zero-mac not-found bad-path unknown-device; do
    n=$(metric_sum autoprov_config_fetches_total reason="$r")
    if ((n > 0)); then
        pass "/metrics: refusals counted with reason $r ($n)"
    else
        fail "/metrics: no autoprov_config_fetches_total{reason=\"$r\"}"
    fi
done

phone "$IP1" /F0V00X600000.cfg
expect_http "GET /F0V00X600000.cfg (X6 common file) from the leased address with the Fanvil UA" 200
cp "$TMPD/http.body" "$TMPD/common.got"
"$AUTOPROV_BIN" render "$MAC" F0V00X600000.cfg --config "$CFG" >"$TMPD/common.cfg" 2>&1
assert_same_file "common file: exactly what 'autoprov render $MAC F0V00X600000.cfg' prints" "$TMPD/common.cfg" "$TMPD/common.got"

phone "$IP1" "/$FW_FILE"
expect_http "GET /$FW_FILE while no firmware_url applies" 404
assert_eq "GET /$FW_FILE: body names the reason" no-firmware "$(tr -d '\n' <"$TMPD/http.body")"
"$AUTOPROV_BIN" group set default --var firmware_url=http://192.0.2.1/fw.z --var firmware_version=2.12.1 \
    --config "$CFG" >"$TMPD/cli.log" 2>&1 || fail "autoprov group set default failed: $(cat "$TMPD/cli.log")"
# The running server follows the store within 100 ms (its inventory cache polls).
wait_for 'phone "$IP1" "/$FW_FILE"; [[ $HTTP_CODE == 200 ]]' 3 "the firmware file to be served after group set"
expect_http "GET /$FW_FILE after 'group set default --var firmware_url=...' (no restart, within 3 s)" 200
assert_contains "firmware check file" "$(cat "$TMPD/http.body")" "Firmware=http://192.0.2.1/fw.z"
assert_contains "firmware check file" "$(cat "$TMPD/http.body")" "Version=2.12.1"
http_req "$CLINS" --interface "$IP1" "http://192.0.2.1:8080/$FW_FILE"
expect_http "GET /$FW_FILE with no User-Agent: the device is the leased address's" 200
http_req "$CLINS" --interface "$ALT_IP" "http://192.0.2.1:8080/$FW_FILE"
expect_http "GET /$FW_FILE with no User-Agent from $ALT_IP (nobody's lease)" 404

# ---------------------------------------------------------- 4. Digest ---

"$AUTOPROV_BIN" device set "$PHONE_MAC" --var "provisioning_username=$PROV_USER" \
    --var "provisioning_password=$PROV_PW" --config "$CFG" >"$TMPD/cli.log" 2>&1 ||
    fail "autoprov device set (provisioning variables) failed: $(cat "$TMPD/cli.log")"
"$AUTOPROV_BIN" render "$MAC" --config "$CFG" >"$TMPD/render.cfg" 2>&1
assert_contains "rendered file carries the provisioning user" "$(cat "$TMPD/render.cfg")" "<DefaultUsername>$PROV_USER</DefaultUsername>"

serve leased_ip_or_digest
phone "$ALT_IP" "/$MAC.cfg"
expect_http "leased_ip_or_digest: from $ALT_IP without credentials" 401
challenge_ok "leased_ip_or_digest: 401"
phone "$ALT_IP" "/$MAC.cfg" --digest -u "$PROV_USER:$PROV_PW"
expect_http "leased_ip_or_digest: from $ALT_IP with curl --digest -u $PROV_USER:(right password)" 200
assert_same_file "Digest-authorized body: exactly 'autoprov render $MAC'" "$TMPD/render.cfg" "$TMPD/http.body"
phone "$ALT_IP" "/$MAC.cfg"
phone "$ALT_IP" "/$MAC.cfg" -H "$(sha256_auth "$PROV_USER" "$PROV_PW" "/$MAC.cfg")"
expect_http "leased_ip_or_digest: from $ALT_IP with a SHA-256 Digest response" 200
phone "$ALT_IP" "/$MAC.cfg"
phone "$ALT_IP" "/$MAC.cfg" -H "$(sha256_auth "$PROV_USER" "wrong-$PROV_PW" "/$MAC.cfg")"
expect_http "leased_ip_or_digest: from $ALT_IP with a SHA-256 Digest response for a wrong password" 401
phone "$ALT_IP" "/$MAC.cfg" --digest -u "$PROV_USER:wrong-$PROV_PW"
expect_http "leased_ip_or_digest: from $ALT_IP with a wrong password" 401
phone "$ALT_IP" "/$MAC.cfg" --digest -u "someone:$PROV_PW"
expect_http "leased_ip_or_digest: from $ALT_IP with a wrong user name" 401
phone "$IP1" "/$MAC.cfg"
expect_http "leased_ip_or_digest: from the leased address without credentials" 200
EV="/api/v1/devices/$MAC/events?limit=100"
check_admin "events: digest-missing and digest-bad refusals (401) from $ALT_IP" "$EV" \
    '[.events[] | select(.status == 401 and .ip == $ip) | .reason] | index("digest-missing") and index("digest-bad")' \
    --arg ip "$ALT_IP"
if grep -qF -- "$PROV_PW" "$SERVER_LOG"; then
    fail "the provisioning password appears in the server log"
else
    pass "the provisioning password is not in the server log"
fi

# Replay: capture the Authorization header curl sends (-v), replay it.
# $ALT_IP has 3 failures so far, $ALT2_IP none; max_failures is 10 (default).
phone "$ALT_IP" "/$MAC.cfg" --digest -u "$PROV_USER:$PROV_PW" -v
expect_http "replay: the capture, curl --digest from $ALT_IP" 200
AUTH=$(tr -d '\r' <"$TMPD/http.stderr" | sed -n 's/^> \(Authorization: Digest .*\)$/\1/p' | tail -n 1)
assert_contains "replay: an Authorization header was captured" "$AUTH" 'nc=00000001'
phone "$ALT_IP" "/$MAC.cfg" -H "$AUTH"
expect_http "replay: the captured header again from $ALT_IP (same nonce, same nc)" 401
assert_eq "replay: refused as digest-replay" "digest-replay" "$(cat "$TMPD/http.body")"
assert_contains "replay: a fresh challenge with stale=true" "$(http_header WWW-Authenticate)" "stale=true"
phone "$ALT2_IP" "/$MAC.cfg" -H "$AUTH"
expect_http "replay: the captured header from $ALT2_IP (nonce issued to $ALT_IP)" 401
assert_eq "replay from another address: digest-bad" "digest-bad" "$(cat "$TMPD/http.body")"

# Guessing: $ALT2_IP has 1 failure (the replay); 30 wrong guesses on one
# nonce: 9 more failures are checked (401), the 21 after them are refused
# unchecked (429) for the cooldown.
phone "$ALT2_IP" "/$MAC.cfg"
GUESS=$(sha256_auth "$PROV_USER" "guess-$PROV_PW" "/$MAC.cfg")
CODES=""
for _ in $(seq 30); do
    phone "$ALT2_IP" "/$MAC.cfg" -H "$GUESS"
    CODES+="$HTTP_CODE "
done
assert_eq "guess burst from $ALT2_IP: 9x 401 then 21x 429" "9 21" \
    "$(grep -o 401 <<<"$CODES" | wc -l) $(grep -o 429 <<<"$CODES" | wc -l)"
assert_eq "guess burst: every 401 came before every 429" "" "$(grep -o '429 401' <<<"$CODES")"
phone "$ALT2_IP" "/$MAC.cfg" --digest -u "$PROV_USER:$PROV_PW"
expect_http "throttled $ALT2_IP: even the right password is refused unchecked" 429
assert_eq "throttled: body" "digest-throttled" "$(cat "$TMPD/http.body")"
RETRY=$(http_header Retry-After)
if [[ $RETRY =~ ^[0-9]+$ ]] && ((RETRY >= 1 && RETRY <= 300)); then
    pass "throttled: Retry-After $RETRY s (cooldown 300 s)"
else
    fail "throttled: expected Retry-After 1-300, got '$RETRY'"
fi
phone "$ALT_IP" "/$MAC.cfg" --digest -u "$PROV_USER:$PROV_PW"
expect_http "the phone at $ALT_IP still gets its file meanwhile" 200
http_req "$SRVNS" "http://127.0.0.1:8081/metrics"
assert_contains "/metrics counts the throttled refusals" "$(cat "$TMPD/http.body")" \
    'autoprov_config_fetches_total{status="429",reason="digest-throttled"} 22'
assert_contains "/metrics counts the replay" "$(cat "$TMPD/http.body")" \
    'autoprov_config_fetches_total{status="401",reason="digest-replay"} 1'
assert_eq "the throttle is logged once, naming the address" 1 \
    "$(grep -c "ip=$ALT2_IP .*digest attempts throttled" "$SERVER_LOG")"
if grep -qiF -- "Authorization: Digest" "$SERVER_LOG"; then
    fail "an Authorization header appears in the server log"
else
    pass "no Authorization header in the server log"
fi

serve leased_ip_and_digest
phone "$IP1" "/$MAC.cfg"
expect_http "leased_ip_and_digest: from the leased address without credentials" 401
challenge_ok "leased_ip_and_digest: 401"
phone "$IP1" "/$MAC.cfg" --digest -u "$PROV_USER:$PROV_PW"
expect_http "leased_ip_and_digest: from the leased address with Digest" 200
assert_same_file "leased + Digest body: exactly 'autoprov render $MAC'" "$TMPD/render.cfg" "$TMPD/http.body"
phone "$ALT_IP" "/$MAC.cfg" --digest -u "$PROV_USER:$PROV_PW"
expect_http "leased_ip_and_digest: Digest from $ALT_IP (not the lease)" 403

stop_server
assert_eq "server exit status after SIGTERM" 0 "$SERVER_RC"

chmod 644 "$STORE"
SUM=$(cat "$STORE"* | sha256sum)
RC=0
OUT=$(ip netns exec "$SRVNS" timeout 20 "$AUTOPROV_BIN" serve --config "$CFG" 2>&1) || RC=$?
assert_eq "serve refuses a store chmod 644: exit status" 1 "$RC"
assert_contains "serve's refusal names the store and the mode" "$OUT" "store file $STORE is readable or writable by others (mode 644)"
assert_contains "serve's refusal names the fix" "$OUT" "chmod 600 $STORE"
assert_eq "the refused store is unchanged" "$SUM" "$(cat "$STORE"* | sha256sum)"
finish
