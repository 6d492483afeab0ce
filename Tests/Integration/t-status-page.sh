#!/usr/bin/env bash
# The status page (/ui/ on the admin listener) in a real browser: headless
# Chromium, inside the namespace where autoprov, phonesim's registrar and
# the simulated phones run on the loopback (topology in scripts/fleet-lib.sh).
#
#  - Without the token: the page and its files are served (no data in
#    them, a strict Content-Security-Policy), the JSON API answers 401, and
#    the page rendered by Chromium (--dump-dom) shows only the login form.
#  - status_page.py (CDP over --remote-debugging-pipe) logs in with a wrong
#    token (refused, not kept), then with the admin token; the phones are
#    powered on only then. Without a reload the rows go from new to
#    verified (the good phones) or failed with the reason shown (a wrong SIP
#    password: "line 1 registerCode 403", a refused set: "set refused:
#    RetCode 1"), with each line's registration.
#  - The "failed" filter; the device page's history; "Re-push" records
#    push-requested and the worker runs the job again; reload keeps the
#    session, "Log out" ends it.
#  - The token is never in a URL, a cookie, localStorage or a log; the API
#    calls carry it as a bearer header.
#  - Screenshots (PNG) are kept in $TMPD/shots.
# jq programs take their own $variables (--arg).
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=../../scripts/fleet-lib.sh disable=SC1091
. "$ROOT/scripts/fleet-lib.sh"

PHONESIM_BIN=${PHONESIM_BIN:-$(dirname "$AUTOPROV_BIN")/phonesim}
CHROMIUM=${CHROMIUM:-chromium}
require python3 jq curl "$CHROMIUM" autoprov
[[ -x $PHONESIM_BIN ]] || fatal "phonesim is missing at $PHONESIM_BIN (swift build)"

GOOD=5
N=$((GOOD + 2))
WRONG_PW=$(fleet_mac 6)
SET_FAILS=$(fleet_mac 7)
SRVNS=$NS_PREFIX-ui
BASE=http://127.0.0.1:8081
SHOTS=$TMPD/shots
mkdir -p "$SHOTS" "$TMPD/home"
# Chromium writes its profile and caches under HOME: keep them in $TMPD.
export HOME=$TMPD/home XDG_CONFIG_HOME=$TMPD/home/.config XDG_CACHE_HOME=$TMPD/home/.cache
new_ns "$SRVNS"

CFG=$TMPD/autoprov.yml
FLEET_ADMIN=true fleet_config "$CFG" "$TMPD/autoprov.sqlite" "deadline: 60" "lease_grace: 5" "fetch_settle: 0.5" "request_timeout: 3"
fleet_inventory "$TMPD/devices.csv" "$TMPD/users.csv" "$N"
"$AUTOPROV_BIN" device import "$TMPD/devices.csv" --config "$CFG" >/dev/null || fatal "inventory import failed"
SECRET=$(sed -n '2s/.*,sip-\([0-9a-f]*\)-.*/\1/p' "$TMPD/devices.csv")

ip netns exec "$SRVNS" "$PHONESIM_BIN" registrar --listen 127.0.0.1:5060 --users "$TMPD/users.csv" 2>"$TMPD/registrar.log" &
bg_track $!
wait_for "grep -q 'registrar listening' '$TMPD/registrar.log'" 20 "the registrar" || fatal "phonesim registrar did not start"
start_server "$CFG" "$SRVNS"
wait_listening "$SRVNS" 8080 8081
TOKEN_FILE=$TMPD/admin.token
wait_for "[[ -s '$TOKEN_FILE' ]]" 5 "$TOKEN_FILE" || fatal "admin API up, but no token in $TOKEN_FILE"
TOKEN=$(tr -d ' \t\r\n' <"$TOKEN_FILE")

# ------------------------------------------------------- without the token ---

http_req "$SRVNS" "$BASE/ui/"
expect_http "GET /ui/ without the token" 200
assert_contains "/ui/ is HTML" "$(http_header Content-Type)" "text/html"
assert_contains "/ui/ has a Content-Security-Policy" "$(http_header Content-Security-Policy)" "script-src 'self'"
assert_not_contains "/ui/ holds no device" "$(cat "$TMPD/http.body")" "$(fleet_mac 1)"
for file in style.css common.js list.js device.js; do
    http_req "$SRVNS" "$BASE/ui/$file"
    expect_http "GET /ui/$file without the token" 200
done
http_req "$SRVNS" "$BASE/api/v1/provisioning"
expect_http "GET /api/v1/provisioning without the token" 401
http_req "$SRVNS" -X POST "$BASE/api/v1/devices/$(fleet_mac 1)/push"
expect_http "POST push without the token" 401
http_req "$SRVNS" -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/provisioning"
expect_http "GET /api/v1/provisioning with the token" 200
assert_eq "before the phones: $N devices, all new" "$N new" \
    "$(jq -r '[.devices[].state] | "\(length) \(unique | join(","))"' "$TMPD/http.body")"

# What Chromium renders from /ui/ with no token: the login form, no data.
ip netns exec "$SRVNS" "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$TMPD/dump-profile" \
    --virtual-time-budget=5000 --dump-dom "$BASE/ui/" >"$TMPD/dom-logged-out.html" 2>"$TMPD/chromium-dump.log"
DOM=$(cat "$TMPD/dom-logged-out.html")
assert_contains "chromium --dump-dom: the page ran its script" "$DOM" '<section id="login">'
assert_contains "chromium --dump-dom: the list is hidden" "$DOM" '<main id="app" hidden="">'
assert_not_contains "chromium --dump-dom: no device without the token" "$DOM" "$(fleet_mac 1)"

# ------------------------------------------------------------ in a browser ---

RESULT=$TMPD/status-page.json
python3 "$LIB_DIR/status_page.py" --ns "$SRVNS" --chromium "$CHROMIUM" --base "$BASE" --token-file "$TOKEN_FILE" \
    --count "$N" --failed "$WRONG_PW" --ready-file "$TMPD/logged-in" --shots "$SHOTS" --out "$RESULT" --timeout 120 &
DRIVER=$!
bg_track "$DRIVER"
wait_for "[[ -e '$TMPD/logged-in' ]] || ! kill -0 $DRIVER" 60 "the browser to log in"
[[ -e $TMPD/logged-in ]] || { wait "$DRIVER"; fatal "the browser did not log in: $(jq -r '.error // "?"' "$RESULT" 2>/dev/null)"; }
log "logged in: powering on $N phones"
ip netns exec "$SRVNS" "$PHONESIM_BIN" fleet --count "$N" --mac-base "$(fleet_mac 1)" --relay "$FLEET_RELAY" \
    --boot-spread 3 --events "$TMPD/phones.jsonl" --fault-every "1=slow=400" --fault "$WRONG_PW=wrong-sip-password" --fault "$SET_FAILS=set-fails" \
    2>"$TMPD/phonesim.log" &
bg_track $!
wait "$DRIVER"
rc=$?
[[ -s $RESULT ]] || fatal "status_page.py wrote no result (exit $rc)"
assert_eq "the browser session ran to its end" "" "$(jq -r '.error // ""' "$RESULT")"
r() { jq -r "$@" "$RESULT"; }

assert_eq "the login form first, no rows" "true 0" "$(r '"\(.login_form_first) \(.rows_before_login)"')"
assert_contains "a wrong token is refused" "$(r .wrong_token_error)" "not the admin token"
assert_eq "a wrong token: not kept, list still hidden" "0 true" "$(r '"\(.wrong_token_kept) \(.app_hidden_after_wrong_token)"')"
assert_eq "after logging in: the input emptied" true "$(r .token_input_emptied)"
assert_eq "after logging in: $N rows, all new" "$N new" "$(r '[.rows_at_login[].state] | "\(length) \(unique | join(","))"')"
assert_eq "no watch timeout" false "$(r '.watch_timed_out // false')"
assert_eq "no reload while the phones came up" true "$(r .no_reload_while_watching)"
assert_eq "final rows" "$N" "$(r '.rows_final | length')"
assert_eq "every row shows its state" 0 "$(r '[.rows_final[] | select(.state != .shown_state)] | length')"
live=$(r '[.states_seen[] | select(.[0] == "new" and (.[-1] | IN("verified", "failed")))] | length')
assert_eq "rows that went from new to verified/failed live" "$N" "$live"
middle=$(r '[.states_seen[][] | select(IN("leased", "config-fetched", "reachable", "pushed"))] | length')
assert_true "intermediate states were shown on the way ($middle)" test "$middle" -ge 1
for ((i = 1; i <= GOOD; i++)); do
    m=$(fleet_mac "$i")
    row=$(r --arg m "$m" '.rows_final[] | select(.mac == $m) | "\(.state) | \(.registration) | \(.model) | \(.ip)"')
    if [[ $row == "verified | line 1 ✓ 200 | X"*" | 127.64."* ]]; then pass "phone $i: $row"; else fail "phone $i: $row"; fi
done
row=$(r --arg m "$WRONG_PW" '.rows_final[] | select(.mac == $m) | "\(.state) | \(.reason) | \(.registration)"')
assert_eq "wrong SIP password: state, reason and registration shown" "failed | line 1 registerCode 403 | line 1 ✗ 403" "$row"
row=$(r --arg m "$SET_FAILS" '.rows_final[] | select(.mac == $m) | "\(.state) | \(.reason)"')
assert_eq "refused set: state and reason shown" "failed | set refused: RetCode 1" "$row"
assert_eq "summary" "$N devices: verified $GOOD, failed 2" "$(r .summary)"
assert_contains "live indicator" "$(r .live)" "live"
assert_eq "filter failed: the URL, the pressed button, the rows" \
    "#state=failed failed $(printf '%s\n' "$WRONG_PW" "$SET_FAILS" | sort | paste -sd,)" \
    "$(r '"\(.filter_failed.hash) \(.filter_failed.pressed) \(.filter_failed.shown | sort | join(","))"')"
assert_eq "filter all: every row again" true "$(r .filter_all_shown)"
assert_eq "row links to the device page" "/ui/devices/$(fleet_mac 1)" "$(r '.rows_final[0].link')"

assert_contains "device page title" "$(r .device_title)" "$WRONG_PW"
assert_eq "device page: state and reason" "failed | line 1 registerCode 403" \
    "$(r '"\(.device_facts.State) | \(.device_facts.Reason)"')"
events=$(r '.device_events | join(" ")')
for kind in leased config-fetch provision-reachable provision-pushed provision-failed; do
    assert_contains "device page history has $kind" " $events " " $kind "
done
assert_contains "device page registration" "$(r .device_registration)" "line 1 ✗ 403"
assert_contains "re-push answered" "$(r .push_result)" "Push requested at"
assert_eq "re-push: the worker restarted the job" push-requested "$(r .push_trigger)"
assert_eq "re-push: the job ended again (still the wrong password)" "failed | line 1 registerCode 403 | push-requested" \
    "$(r '"\(.device_facts_after_push.State) | \(.device_facts_after_push.Reason) | \(.device_facts_after_push.Trigger)"')"
assert_eq "re-push: the history, newest first: the new outcome, the request, the first outcome" \
    "provision-failed push-requested provision-failed" \
    "$(r '[.device_events_after_push[] | select(IN("push-requested", "provision-failed"))][0:3] | join(" ")')"
stored=$("$AUTOPROV_BIN" device show "$WRONG_PW" --events 30 --config "$CFG")
assert_contains "the store has the push request from the page" "$stored" "by the admin API"

assert_eq "a reload keeps the session" true "$(r .reload_kept_session)"
assert_eq "log out empties the tab's storage" 0 "$(r .after_logout_storage)"
assert_eq "no cookie" 0 "$(r .cookies)"
assert_eq "no URL with the token (of $(r .requests) requests)" 0 "$(r .urls_with_token)"
assert_true "the API calls carry the bearer token ($(r .api_requests_with_bearer) of $(r .api_requests))" \
    test "$(r .api_requests_with_bearer)" -eq "$(r .api_requests)" -a "$(r .api_requests)" -gt 10
for route in "GET /provisioning" "GET /provisioning/summary" "POST /devices/$WRONG_PW/push"; do
    assert_contains "the page used $route" " $(r '.api_methods | join(" ")') " " $route "
done
assert_eq "no script error in the page" "" "$(r '.console_errors | join("; ")')"

# png_size FILE: "WIDTHxHEIGHT" from a PNG's signature and IHDR, else nothing.
png_size() {
    python3 -c 'import struct, sys
d = open(sys.argv[1], "rb").read(24)
if d[:8] == b"\x89PNG\r\n\x1a\n" and d[12:16] == b"IHDR": print("%dx%d" % struct.unpack(">II", d[16:24]))' "$1" 2>/dev/null
}
for shot in list list-failed device; do
    png=$SHOTS/$shot.png size=$(png_size "$SHOTS/$shot.png")
    if [[ -s $png && $size =~ ^[1-9][0-9]*x[1-9][0-9]*$ ]]; then
        pass "screenshot $shot.png: PNG $size, $(wc -c <"$png") bytes"
    else
        fail "screenshot $shot.png is not a non-empty PNG ($(head -c 16 "$png" 2>&1 | od -An -c | head -n 1))"
    fi
done

leaks=$(cat "$TMPD"/server.*.stderr "$SHOTS/chromium.log" "$TMPD/chromium-dump.log" "$TMPD/phonesim.log" | grep -cF -e "$TOKEN" -e "sip-$SECRET" || true)
assert_eq "the token and SIP passwords in the logs" 0 "$leaks"
log "screenshots in $SHOTS (kept on failure, or with KEEP_TMP=1)"
finish
