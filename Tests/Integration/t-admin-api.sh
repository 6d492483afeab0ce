#!/usr/bin/env bash
# Admin API (Docs/openapi.yaml) against a real `autoprov serve`, route by
# route with curl + jq:
#  - the token file is mode 0600 and kept across a restart; every route
#    answers 401 (JSON) without the token, with another one or as Basic
#    credentials, and does nothing;
#  - groups and devices: create (any MAC form), duplicates, bad values and
#    unknown keys (also in lines[]) are a 400 naming the field, group names
#    may not start with "."; every Device key is present (null when
#    unknown); patch merge / null deletes / lines replaced, a refused patch
#    (the U+2028/U+0085 display-name injection among them) changes nothing; list filters; delete (a group: not while in use, never
#    default);
#  - events: refused phone fetches are recorded, with every Event key;
#  - render: the exact bytes with the phone's Content-Type (text/xml for
#    sysConf XML, text/plain for dot-key and firmware check files), variables
#    resolved global -> group -> device; a missing variable is a 422;
#  - no password set here ever comes back.
# CSV, the password scan over CSV, schemathesis: t-admin-contract.sh.
# Shared helpers: lib-admin.sh (through lib.sh). jq programs take their own $variables (--arg).
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require ip ss jq curl stat base64 autoprov

# Secrets set through the API: none may ever come back.
ADMIN_PW_A='adm-A-7f1c2e9d'
LINE_PW_A1='sip-A1-4b8d0a3f'
LINE_PW_A2='sip-A2-91c6e2b7'

MAC_A=0c383e07e16c   # POSTed as 0C:38:3E:07:E1:6C
MAC_B=0c383e00000b   # POSTed as 0c-38-3e-00-00-0b
MAC_NONE=0c383e0000ff
UA_A="Fanvil X4U 2.12.1.4 $MAC_A"
FW_FILE=fanvil_x4u_hwv1_0.txt
PHONE_BASE=http://127.0.0.1:8080
EVENT_KEYS='["file","id","ip","kind","mac","reason","status","time","user_agent"]'

# ------------------------------------------------------------------ setup ---

admin_setup
# User templates override the shipped ones file by file: for A, a sysConf
# XML file showing variable resolution and XML escaping, and a dot-key file
# (config_format text); for B, a variable nobody defines (a render error).
cat >"$USER_TEMPLATES/fanvil/device/$MAC_A.xml.mustache" <<'EOF'
<t label="{{label}}" site="{{site_code}}" floor="{{floor}}" desk="{{desk}}" ntp="{{ntp_server}}" n="{{line_count}}">
{{#lines}}<line i="{{index}}" number="{{number}}" user="{{auth_user}}" name="{{display_name}}" port="{{registrar_port}}" transport="{{transport_code}}"/>
{{/lines}}</t>
EOF
printf 'sys.label={{label}}\nsip.site={{site_code}}\n' >"$USER_TEMPLATES/fanvil/device/$MAC_A.cfg.mustache"
printf '<t>{{no_such_variable}}</t>\n' >"$USER_TEMPLATES/fanvil/device/$MAC_B.xml.mustache"
admin_start

# ------------------------------------------------------------------ token ---

assert_eq "token file mode" 600 "$(stat -c %a "$TOKEN_FILE")"
assert_eq "token file owner" "$(id -u)" "$(stat -c %u "$TOKEN_FILE")"
if ((${#ADMIN_TOKEN} >= 16)); then pass "token is ${#ADMIN_TOKEN} characters"; else fail "token too short: ${#ADMIN_TOKEN} characters"; fi

# ----------------------------------------------------------------- groups ---

api GET /api/v1/groups
expect "list groups" 200 application/json
jcheck "group default exists, with variables" \
    '.groups | map(select(.name == "default" and (.variables | type == "object"))) | length == 1'
api_json POST /api/v1/groups '{"name":"lab-1","variables":{"site_code":"LAB","floor":"1","ntp_server":"192.0.2.10"}}'
expect "create group lab-1" 201 application/json
jcheck "created group" '. == {"name":"lab-1","variables":{"site_code":"LAB","floor":"1","ntp_server":"192.0.2.10"}}'
api_json POST /api/v1/groups '{"name":"lab-1"}'
expect_error "create group lab-1 again" 409
api_json POST /api/v1/groups '{"name":"bad name!"}'
expect_error "group with a bad name" 400 name
for name in .hidden ..; do
    api_json POST /api/v1/groups "{\"name\":\"$name\"}"
    expect_error "group name '$name' (leading dot)" 400 name
done
api_json POST /api/v1/groups '{"name":"x1","variables":{"Bad":"1"}}'
expect_error "group with a bad variable name" 400 variables.Bad
api_json POST /api/v1/groups '{"name":"x1","vars":{"a":"1"}}'
expect_error "group with an unknown key" 400 vars
api GET /api/v1/groups/lab-1
expect "get group lab-1" 200 application/json
jcheck "group lab-1 as created" '.name == "lab-1" and .variables.site_code == "LAB"'
api_json PATCH /api/v1/groups/lab-1 '{"variables":{"floor":"3","ntp_server":null}}'
expect "patch group lab-1" 200 application/json
jcheck "group variables merged, null deletes" '.variables == {"site_code":"LAB","floor":"3"}'
api_json PATCH /api/v1/groups/lab-1 '{"name":"lab-2"}'
expect_error "patch group: name is not a patch key" 400 name
api GET /api/v1/groups/lab-1
jcheck "patched group read back (refused patch changed nothing)" '.variables == {"site_code":"LAB","floor":"3"}'
api GET /api/v1/groups/no-such-group
expect_error "get unknown group" 404
api_json PATCH /api/v1/groups/no-such-group '{"variables":{"a":"1"}}'
expect_error "patch unknown group" 404
api GET /api/v1/groups
jcheck "group list: default and lab-1 (nothing refused was created)" '[.groups[].name] | sort == ["default","lab-1"]'

# ---------------------------------------------------------------- devices ---

api_json POST /api/v1/devices "$(jq -nc --arg pw "$ADMIN_PW_A" --arg lpw "$LINE_PW_A1" '{
    mac: "0C:38:3E:07:E1:6C", label: "Reception", model: "X4U", group: "lab-1",
    admin_user: "admin", admin_password: $pw,
    variables: {site_code: "DEV-A", room: "101"},
    lines: [{index: 1, number: "201", password: $lpw}]}')"
expect "create device A (0C:38:3E:07:E1:6C)" 201 application/json
jcheck_device_keys "A"
jcheck "A: canonical MAC" '.mac == $m' --arg m "$MAC_A"
jcheck "A: fields as given" \
    '.label == "Reception" and .model == "X4U" and .group == "lab-1" and .admin_user == "admin" and .variables == {"site_code":"DEV-A","room":"101"}'
jcheck "A: state new, firmware/last_ip/last_seen null" '.state == "new" and .firmware == null and .last_ip == null and .last_seen == null'
jcheck "A: admin_password_set, no admin_password" '.admin_password_set == true and (has("admin_password") | not)'
# Empty line fields are kept empty (the renderer uses the number, the label,
# the registrar variable: Docs/openapi.yaml Line): see the render below.
jcheck "A: line as given, port 5060 and udp by default" \
    '.lines == [{"index":1,"number":"201","auth_user":"","password_set":true,"display_name":"","registrar":"","registrar_port":5060,"transport":"udp"}]'
jcheck "A: created and updated are timestamps (seconds)" \
    '(.created | type == "number" and . > 1.7e9) and .updated == .created'
A_CREATED=$(jget .created)

api_json POST /api/v1/devices '{"mac":"0c383e07e16c"}'
expect_error "create A again (other MAC form)" 409
api_json POST /api/v1/devices '{"mac":"0c-38-3e-00-00-0b","label":"Back office"}'
expect "create device B (0c-38-3e-00-00-0b)" 201 application/json
jcheck_device_keys "B"
jcheck "B: canonical MAC, group default, no passwords, no lines, model and admin_user null" \
    '.mac == $m and .group == "default" and .admin_password_set == false and .admin_user == null and .model == null and .lines == [] and .variables == {}' \
    --arg m "$MAC_B"

# Invalid input: 400 naming the field; nothing is created (a device created
# anyway is removed again so that the checks below stay independent).
bad_device() {
    api_json POST /api/v1/devices "$2"
    if [[ $HTTP_CODE == 201 ]]; then
        fail "create: $1: expected HTTP 400, got 201 (device $(jget .mac) created): $(excerpt 300)"
        api DELETE "/api/v1/devices/$(jq -r .mac <<<"$BODY")"
        return
    fi
    expect_error "create: $1" 400 "${3:-}"
}
bad_device "MAC too short" '{"mac":"0c:38:3e:07:e1"}' mac
bad_device "MAC not hex" '{"mac":"0c383e07e1zz"}' mac
bad_device "MAC 000000000000" '{"mac":"00:00:00:00:00:00"}' mac
bad_device "no MAC" '{"label":"x"}' mac
bad_device "bad variable name" '{"mac":"0c383e0000a1","variables":{"Bad-Name":"x"}}' variables.Bad-Name
bad_device "reserved variable name" '{"mac":"0c383e0000a1","variables":{"mac":"x"}}' variables.mac
bad_device "line index 17" '{"mac":"0c383e0000a1","lines":[{"index":17,"number":"1"}]}' 'lines[0].index'
bad_device "line index twice" '{"mac":"0c383e0000a1","lines":[{"index":1,"number":"1"},{"index":1,"number":"2"}]}' 'lines[1].index'
bad_device "line without number" '{"mac":"0c383e0000a1","lines":[{"index":1,"number":""}]}' 'lines[0].number'
bad_device "line transport sctp" '{"mac":"0c383e0000a1","lines":[{"index":1,"number":"1","transport":"sctp"}]}' 'lines[0].transport'
bad_device "label with a newline" '{"mac":"0c383e0000a1","label":"a\nb"}' label
bad_device "group that does not exist" '{"mac":"0c383e0000a1","group":"no-such-group"}' group
bad_device "unknown key (password for admin_password)" '{"mac":"0c383e0000a1","password":"x"}' password
bad_device "unknown key in a line (pasword)" '{"mac":"0c383e0000a1","lines":[{"index":1,"number":"1","pasword":"x"}]}' 'lines[0].pasword'
bad_device "body not JSON" '{"mac":'

api GET "/api/v1/devices/$MAC_A"
expect "get A" 200 application/json
jcheck_device_keys "get A"
jcheck "get A: as created" '.mac == $m and .label == "Reception" and .admin_password_set == true and (.lines | length) == 1' --arg m "$MAC_A"
api GET "/api/v1/devices/$MAC_NONE"
expect_error "get unknown device" 404

# PATCH: variables merge (null deletes), other fields kept.
api_json PATCH "/api/v1/devices/$MAC_A" '{"label":"Front desk & co","variables":{"room":null,"desk":"7"}}'
expect "patch A: label, variables" 200 application/json
jcheck_device_keys "patch A"
jcheck "patch A: variables merged, null deleted" '.variables == {"site_code":"DEV-A","desk":"7"}'
jcheck "patch A: label changed, the rest kept" \
    '.label == "Front desk & co" and .model == "X4U" and .group == "lab-1" and .admin_user == "admin" and .admin_password_set == true and (.lines | length) == 1 and .lines[0].password_set == true'
jcheck "patch A: created kept, updated not before it" '.created == $c and .updated >= $c' --argjson c "$A_CREATED"
# PATCH lines: replaced, sorted by index.
api_json PATCH "/api/v1/devices/$MAC_A" "$(jq -nc --arg p1 "$LINE_PW_A1" --arg p2 "$LINE_PW_A2" '{lines: [
    {index: 2, number: "202", password: $p2, registrar: "sip.example.net", transport: "tls"},
    {index: 1, number: "201", password: $p1, auth_user: "u201", display_name: "Desk 1", registrar_port: 5070, transport: "tcp"}]}')"
expect "patch A: lines" 200 application/json
jcheck "patch A: lines replaced, in index order" '.lines == [
    {"index":1,"number":"201","auth_user":"u201","password_set":true,"display_name":"Desk 1","registrar":"","registrar_port":5070,"transport":"tcp"},
    {"index":2,"number":"202","auth_user":"","password_set":true,"display_name":"","registrar":"sip.example.net","registrar_port":5060,"transport":"tls"}]'
jcheck "patch A: variables kept" '.variables == {"site_code":"DEV-A","desk":"7"}'
api_json PATCH "/api/v1/devices/$MAC_A" '{"admin_password":"'"$ADMIN_PW_A"'"}'
expect "patch A: admin_password" 200 application/json
jcheck "patch A: admin_password_set" '.admin_password_set == true'
api_json PATCH "/api/v1/devices/$MAC_A" '{}'
expect "patch A: nothing" 200 application/json
A_JSON=$(jq -S 'del(.updated)' <<<"$BODY")
api_json PATCH "/api/v1/devices/$MAC_A" '{"group":"no-such-group"}'
expect_error "patch A: group that does not exist" 400 group
api_json PATCH "/api/v1/devices/$MAC_A" '{"variables":{"Bad":"x"}}'
expect_error "patch A: bad variable name" 400 variables.Bad
api_json PATCH "/api/v1/devices/$MAC_A" '{"mac":"0c383e0000a2"}'
expect_error "patch A: mac is not a patch key" 400 mac
api_json PATCH "/api/v1/devices/$MAC_A" '{"label":"x","lables":"y"}'
expect_error "patch A: unknown key" 400 lables
api_json PATCH "/api/v1/devices/$MAC_A" '{"lines":[{"index":1,"number":"1"},{"index":2,"number":"2","pasword":"x"}]}'
expect_error "patch A: unknown key in a line" 400 'lines[1].pasword'
# Issue 13: Unicode line separators (U+2028, NEL U+0085) would add keys to
# the phone's config and push; JSON escapes, so the payload is exact.
INJECTION='Desk 2\u2028sip.line.2.RegisterAddr = 6.6.6.6\u0085web.account.1.Password = injected'
api_json PATCH "/api/v1/devices/$MAC_A" '{"lines":[{"index":1,"number":"201","display_name":"'"$INJECTION"'"}]}'
expect_error "patch A: display name with U+2028 and U+0085" 400 'lines[0].display_name'
api_json PATCH "/api/v1/devices/$MAC_A" '{"variables":{"desk":"'"$INJECTION"'"}}'
expect_error "patch A: variable with U+2028 and U+0085" 400 variables.desk
api_json PATCH "/api/v1/devices/$MAC_NONE" '{"label":"x"}'
expect_error "patch unknown device" 404
api GET "/api/v1/devices/$MAC_A"
assert_same "A unchanged by the refused patches" "$A_JSON" "$(jq -S 'del(.updated)' <<<"$BODY")"

# Lists and filters.
api GET /api/v1/devices
expect "list devices" 200 application/json
jcheck_device_keys "list" .devices
jcheck "list: A and B only (nothing invalid was created), ordered by MAC" '[.devices[].mac] == [$b, $a]' \
    --arg a "$MAC_A" --arg b "$MAC_B"
# list_is QUERY MAC...: GET /api/v1/devices?QUERY lists exactly MAC... (in order).
list_is() {
    api GET "/api/v1/devices?$1"
    expect "list ?$1" 200 application/json &&
        jcheck "list ?$1: [${*:2}]" '[.devices[].mac] | join(" ") == $w' --arg w "${*:2}"
}
list_is group=lab-1 "$MAC_A"
list_is group=default "$MAC_B"
list_is state=new "$MAC_B" "$MAC_A"
list_is "state=new&group=lab-1" "$MAC_A"
list_is state=config-fetched

# ------------------------------------------------------------------- auth ---

# Every route without the token, with another token, or with the token as
# Basic credentials: 401 JSON, and nothing happens.
ROUTES=("GET /api/v1/devices" "POST /api/v1/devices" "POST /api/v1/devices/import" "GET /api/v1/devices/export"
    "GET /api/v1/devices/$MAC_A" "PATCH /api/v1/devices/$MAC_A" "DELETE /api/v1/devices/$MAC_A"
    "GET /api/v1/devices/$MAC_A/events" "GET /api/v1/devices/$MAC_A/render"
    "GET /api/v1/groups" "POST /api/v1/groups" "GET /api/v1/groups/lab-1" "PATCH /api/v1/groups/lab-1" "DELETE /api/v1/groups/lab-1"
    "GET /api/v1/provisioning" "GET /api/v1/devices/$MAC_A/provisioning" "POST /api/v1/devices/$MAC_A/push")
route_body() {
    case $1 in
        "POST /api/v1/devices") echo '{"mac":"0c383e0000aa"}' ;;
        "POST /api/v1/devices/import") printf 'mac\n0c383e0000ab\n' ;;
        "POST /api/v1/groups") echo '{"name":"intruders"}' ;;
        "PATCH /api/v1/devices/"*) echo '{"label":"intruder"}' ;;
        "PATCH /api/v1/groups/"*) echo '{"variables":{"intruder":"1"}}' ;;
    esac
}
BASIC=$(printf 'admin:%s' "$ADMIN_TOKEN" | base64 -w0)
for variant in none wrong longer basic; do
    bad=0
    for r in "${ROUTES[@]}"; do
        method=${r%% *} path=${r#* }
        args=()
        case $variant in
            wrong) args=(-H "Authorization: Bearer 0123456789abcdef0123456789abcdef") ;;
            longer) args=(-H "Authorization: Bearer ${ADMIN_TOKEN}0") ;;
            basic) args=(-H "Authorization: Basic $BASIC") ;;
        esac
        body=$(route_body "$r")
        if [[ -n $body ]]; then
            ctype=application/json
            [[ $path == */import ]] && ctype=text/csv
            args+=(-H "Content-Type: $ctype" --data-binary "$body")
        fi
        api_raw "$method" "$path" "${args[@]}"
        if [[ $HTTP_CODE != 401 ]]; then
            fail "auth ($variant): $r answered $HTTP_CODE, expected 401: $(excerpt 300)"; bad=1
        elif [[ $CTYPE != application/json ]] || ! jq -e '.error | type == "string"' >/dev/null 2>&1 <<<"$BODY"; then
            fail "auth ($variant): $r 401 is not a JSON error (Content-Type '$CONTENT_TYPE'): $(excerpt 300)"; bad=1
        fi
    done
    ((bad)) || pass "auth ($variant token): all ${#ROUTES[@]} routes answer 401 with a JSON error"
done
api GET "/api/v1/devices/$MAC_A"
assert_same "after the 401s: A unchanged" "$A_JSON" "$(jq -S 'del(.updated)' <<<"$BODY")"
api GET /api/v1/devices
jcheck "after the 401s: still A and B only" '[.devices[].mac] == [$b, $a]' --arg a "$MAC_A" --arg b "$MAC_B"
api GET /api/v1/groups
jcheck "after the 401s: groups unchanged" '[.groups[].name] | sort == ["default","lab-1"]'
api GET /api/v1/groups/lab-1
jcheck "after the 401s: lab-1 variables unchanged" '.variables == {"site_code":"LAB","floor":"3"}'

# ----------------------------------------------------------------- events ---

# Phones fetch from 127.0.0.1 with no lease: refused 403 (not-leased-ip),
# and each refusal is an event of the device.
for n in first second; do
    http_req "$SRVNS" -A "$UA_A" "$PHONE_BASE/$MAC_A.cfg"
    expect_http "$n phone fetch of $MAC_A.cfg without a lease is refused" 403
done
check_admin "events of A: the two refused fetches recorded" "/api/v1/devices/$MAC_A/events" '.events | length >= 2'
api GET "/api/v1/devices/$MAC_A/events"
expect "events of A" 200 application/json
jcheck "events of A: exactly the 2 refused fetches" '.events | length == 2'
jcheck "events: every Event key, no other" '.events | all(keys == $k)' --argjson k "$EVENT_KEYS"
jcheck "events: config-fetch, ip, file, user agent, status 403, reason not-leased-ip" \
    '.events | all(.kind == "config-fetch" and .mac == $m and .ip == "127.0.0.1" and .file == $f and .user_agent == $ua and .status == 403 and .reason == "not-leased-ip")' \
    --arg m "$MAC_A" --arg f "$MAC_A.cfg" --arg ua "$UA_A"
jcheck "events: ids and times, newest first" \
    '(.events | all((.id | type == "number") and (.time | type == "number"))) and .events[0].id > .events[1].id and .events[0].time >= .events[1].time'
NEWEST=$(jget '.events[0]')
api GET "/api/v1/devices/$MAC_A/events?limit=1"
expect "events ?limit=1" 200 application/json
jcheck "events ?limit=1: the newest only" '.events == [$e]' --argjson e "$NEWEST"
api GET "/api/v1/devices/$MAC_B/events"
expect "events of B" 200 application/json
jcheck "events of B: none" '.events == []'
api GET "/api/v1/devices/$MAC_NONE/events"
expect_error "events of an unknown device" 404
api GET "/api/v1/devices?state=new&group=lab-1"
jcheck "refused fetches leave A in state new, no contact recorded" \
    '[.devices[] | [.state, .firmware, .last_ip, .last_seen]] == [["new", null, null, null]]'

# ----------------------------------------------------------------- render ---

# render_is DESC CONTENT_TYPE EXPECTED_TEXT: the last response is a 200 with
# exactly that Content-Type header and exactly those bytes.
render_is() {
    expect "$1" 200 "${2%%;*}" || return 1
    assert_eq "$1: Content-Type" "$2" "$CONTENT_TYPE"
    printf '%s' "$3" >"$TMPD/render.expected"
    assert_same_file "$1: the bytes" "$TMPD/render.expected" "$TMPD/http.body"
}
XML='text/xml; charset=utf-8'
TEXT='text/plain; charset=utf-8'

# Variables: site_code device (DEV-A) over group (LAB) over global; floor
# from the group (3); desk from the device; ntp_server global (the group's
# was deleted). XML escaping of the label. Line 2 has no auth_user nor
# display_name: the number and the label stand in.
EXPECTED_A='<t label="Front desk &amp; co" site="DEV-A" floor="3" desk="7" ntp="192.0.2.1" n="2">
<line i="1" number="201" user="u201" name="Desk 1" port="5070" transport="1"/>
<line i="2" number="202" user="202" name="Front desk &amp; co" port="5060" transport="3"/>
</t>
'
api GET "/api/v1/devices/$MAC_A/render"
render_is "render A (default file: sysConf XML)" "$XML" "$EXPECTED_A"
api GET "/api/v1/devices/$MAC_A/render?file=$MAC_A.cfg"
render_is "render A ?file=$MAC_A.cfg (the default file)" "$XML" "$EXPECTED_A"
api_json PATCH "/api/v1/devices/$MAC_A" '{"variables":{"config_format":"text"}}'
expect "patch A: config_format text" 200 application/json
api GET "/api/v1/devices/$MAC_A/render"
render_is "render A with config_format text (dot-key, no XML escaping)" "$TEXT" \
    $'sys.label=Front desk & co\nsip.site=DEV-A\n'
api GET "/api/v1/devices/$MAC_A/render?file=$FW_FILE"
expect_error "render $FW_FILE while no firmware_url applies" 422
api_json PATCH "/api/v1/devices/$MAC_A" '{"variables":{"config_format":null,"firmware_version":"2.12.9","firmware_url":"http://192.0.2.1/fw/x4u.z"}}'
expect "patch A: firmware_url and firmware_version, config_format deleted" 200 application/json
api GET "/api/v1/devices/$MAC_A/render?file=$FW_FILE"
render_is "render A ?file=$FW_FILE (firmware check file)" "$TEXT" \
    $'Version=2.12.9\nFirmware=http://192.0.2.1/fw/x4u.z\nInfo=TXT\n'
api GET "/api/v1/devices/$MAC_A/render"
render_is "render A after config_format was deleted: XML again" "$XML" "$EXPECTED_A"
api_json PATCH "/api/v1/devices/$MAC_A" '{"variables":{"firmware_version":null,"firmware_url":null}}'
jcheck "patch A: firmware variables deleted again" '.variables == {"site_code":"DEV-A","desk":"7"}'
api GET "/api/v1/devices/$MAC_B/render"
expect_error "render B (missing variable)" 422
jcheck "render error names the variable and the device" \
    '(.error | contains("no_such_variable")) and (.error | contains($m))' --arg m "$MAC_B"
api GET "/api/v1/devices/$MAC_A/render?file=no-such-file.cfg"
expect_error "render a file name phones never ask for" 400 file
api GET "/api/v1/devices/$MAC_NONE/render"
expect_error "render an unknown device" 404

# ------------------------------------------------------------- deletions ---

# deleted PATH: DELETE PATH is a 204 without a body, then PATH is gone (404)
# and a second DELETE is a 404.
deleted() {
    api DELETE "$1"
    expect_http "delete $1" 204 && assert_eq "delete $1: empty body" "" "$BODY"
    api GET "$1"
    expect_error "$1 is gone" 404
    api DELETE "$1"
    expect_error "delete $1 again" 404
}
for g in "lab-1 (while A uses it)" "default (always)"; do
    api DELETE "/api/v1/groups/${g%% *}"
    expect_error "delete group $g: refused" 409
    api GET "/api/v1/groups/${g%% *}"
    expect "group ${g%% *} still there" 200 application/json
done
api_json POST /api/v1/groups '{"name":"temp.grp"}'
expect "create group temp.grp (a dot inside is fine)" 201 application/json
jcheck "temp.grp without variables" '. == {"name":"temp.grp","variables":{}}'
deleted /api/v1/groups/temp.grp
deleted "/api/v1/devices/$MAC_B"
api GET /api/v1/devices
jcheck "list without B" '[.devices[].mac] == [$a]' --arg a "$MAC_A"

check_no_password_leak "$ADMIN_PW_A" "$LINE_PW_A1" "$LINE_PW_A2"

# ---------------------------------------------------------------- restart ---

api GET "/api/v1/devices/$MAC_A"
A_BEFORE=$(jq -S . <<<"$BODY")
TOKEN_BEFORE=$ADMIN_TOKEN
stop_server
assert_eq "SIGTERM: clean exit" 0 "$SERVER_RC"
admin_start
assert_true "restart: the same token (not printed)" test "$ADMIN_TOKEN" = "$TOKEN_BEFORE"
assert_eq "restart: token file mode" 600 "$(stat -c %a "$TOKEN_FILE")"
api GET "/api/v1/devices/$MAC_A"
expect "restart: A with the same token" 200 application/json
assert_same "restart: A unchanged" "$A_BEFORE" "$(jq -S . <<<"$BODY")"

# ----------------------------------------------- a large import, in pages ---

# 10,000 generated rows through POST /api/v1/imports (202 at once); /healthz
# answers quickly while it runs; the import ends done with every row; the
# paged list adds up to every device exactly once.
BIG=10000
BIG_CSV=$TMPD/big.csv
awk -v n="$BIG" 'BEGIN { print "mac,label,group,line1_number,line1_password"
    for (i = 1; i <= n; i++) printf "0c3e%08x,Bulk %d,default,%d,bulk-pw-%d\n", i, i, 10000 + i, i }' >"$BIG_CSV"
api POST /api/v1/imports -H 'Content-Type: text/csv' --data-binary "@$BIG_CSV"
expect "import $BIG rows: accepted at once" 202 application/json
IMPORT_ID=$(jget .id)
assert_eq "import: Location names its status" "/api/v1/imports/$IMPORT_ID" "$(http_header Location | tail -n 1)"
api POST /api/v1/imports -H 'Content-Type: text/csv' --data-binary $'mac\n0c383e0000ac\n'
expect_error "a second import while the first runs" 409
HEALTH_SLOW=0 HEALTH_PROBES=0 IMPORT_STATE=queued
# import_probe: one /healthz (at most 2 s) and one look at the import; true once it ended.
# shellcheck disable=SC2317  # called by wait_for
import_probe() {
    local t
    t=$(ip netns exec "$SRVNS" curl -sS --max-time 2 -o /dev/null -w '%{http_code} %{time_total}' "$BASE/healthz") || t="000 timeout"
    HEALTH_PROBES=$((HEALTH_PROBES + 1))
    [[ $t == "200 "* ]] || HEALTH_SLOW=$((HEALTH_SLOW + 1))
    api GET "/api/v1/imports/$IMPORT_ID"
    IMPORT_STATE=$(jget .state)
    [[ $IMPORT_STATE == "done" || $IMPORT_STATE == "failed" ]]
}
wait_for import_probe 300 "import $IMPORT_ID to end" || fail "import $IMPORT_ID did not end: $(excerpt 300)"
assert_eq "import: /healthz answered within 2 s at every probe ($HEALTH_PROBES probes)" 0 "$HEALTH_SLOW"
jcheck "import: done, $BIG rows" '.state == "done" and .imported == ($n | tonumber) and .rows_done == .rows_total' --arg n "$BIG"
PAGES=0 CURSOR=""
: >"$TMPD/paged-macs"
while :; do
    api GET "/api/v1/devices?limit=2000${CURSOR:+&after=$CURSOR}"
    expect "devices page $((PAGES + 1))" 200 application/json || break
    jq -r '.devices[].mac' <<<"$BODY" >>"$TMPD/paged-macs"
    PAGES=$((PAGES + 1))
    CURSOR=$(jget '.next // empty')
    [[ -n $CURSOR && $PAGES -lt 20 ]] || break
done
assert_eq "paged list: every device once ($PAGES pages)" "$((BIG + 1)) $((BIG + 1))" \
    "$(wc -l <"$TMPD/paged-macs") $(sort -u "$TMPD/paged-macs" | wc -l)"
assert_true "paged list: in MAC order" sort -c "$TMPD/paged-macs"
api GET "/api/v1/provisioning/summary"
jcheck "summary: $((BIG + 1)) devices" '.total == ($n | tonumber)' --arg n "$((BIG + 1))"
api GET "/api/v1/devices?limit=5001"
expect_error "a page beyond 5000" 400 limit

admin_finish
