#!/usr/bin/env bash
# Admin API contract (Docs/openapi.yaml) against a real `autoprov serve`:
#  - the OpenAPI document is valid (openapi-spec-validator);
#  - CSV import: count, upsert, every Device key (null when unset); bad files
#    are a 400 with line and column and import nothing;
#  - CSV export: a backup with every password; exported, deleted and
#    imported again, the devices are as before and the export is the same
#    bytes;
#  - no password set through the API or CSV ever comes back in a response
#    (the CSV exports aside);
#  - schemathesis checks every operation against the document.
# Routes one by one (auth, CRUD, groups, events, render): t-admin-api.sh.
# Shared helpers: lib-admin.sh (through lib.sh). jq programs take their own $variables (--arg).
# shellcheck disable=SC2016
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require ip ss jq curl timeout autoprov

VENV=${AUTOPROV_VENV:-/opt/autoprov-venv}
SCHEMATHESIS=$VENV/bin/schemathesis
SPEC_VALIDATOR=$VENV/bin/openapi-spec-validator
OPENAPI=$ROOT/Docs/openapi.yaml
for t in "$SCHEMATHESIS" "$SPEC_VALIDATOR"; do
    if [[ ! -x $t ]]; then
        printf '[%s] FATAL: missing prerequisite: %s (run `make test-deps`)\n' "$TEST_NAME" "$t" >&2
        exit 1
    fi
done
[[ -f $OPENAPI ]] || { printf '[%s] FATAL: missing %s\n' "$TEST_NAME" "$OPENAPI" >&2; exit 1; }

# Bounds of the schemathesis run: examples per operation, seed, seconds.
ST_EXAMPLES=${ST_EXAMPLES:-100}
ST_SEED=${ST_SEED:-20261127}
ST_TIMEOUT=${ST_TIMEOUT:-150}

# Secrets set through the API and CSV: none may ever come back, except in
# the CSV export.
ADMIN_PW_A='adm-A-3b9e6d21'
LINE_PW_A1='sip-A1-c7f05a94'
LINE_PW_A2='sip-A2-5e18b3d6'
ADMIN_PW_C='adm-C-5e2a7c1b'
LINE_PW_C1='sip-C1-0d9f3a6e'
ADMIN_PW_D='adm-D-8c4b1f2a'
PASSWORDS=("$ADMIN_PW_A" "$LINE_PW_A1" "$LINE_PW_A2" "$ADMIN_PW_C" "$LINE_PW_C1" "$ADMIN_PW_D")

MAC_A=0c383e07e16c   # created through the API
MAC_B=0c383e00000b   # created through the API, updated by the import
MAC_C=0c383e00000c   # imported from CSV as 0c:38:3e:00:00:0c
MAC_D=00a85900000d   # imported from CSV as 00-A8-59-00-00-0D
MAC_E=0c383e00000e   # only in bad CSV files: never imported

# api_csv FILE: POST FILE to the import route.
api_csv() {
    api POST /api/v1/devices/import -H 'Content-Type: text/csv' --data-binary "@$1"
}

# device_view [JQ_FILTER]: every device (sorted keys), through FILTER
# (default: all of it); a failure otherwise.
device_view() {
    api GET /api/v1/devices
    if [[ $HTTP_CODE != 200 ]] || ! jq -S "${1:-.}" <<<"$BODY"; then
        fail "device list: HTTP $HTTP_CODE: $(excerpt 300)"
        echo "device list failed"
    fi
}

# csv_view: what the CSV carries of every device, to compare round trips.
csv_view() {
    device_view '.devices | map({mac: .mac, label: .label, model: .model, group: .group,
        admin_user: .admin_user, admin_password_set: .admin_password_set, variables: .variables, lines: .lines})'
}

# ------------------------------------------------------------------ setup ---

if out=$("$SPEC_VALIDATOR" "$OPENAPI" 2>&1); then
    pass "openapi-spec-validator: $out"
else
    fail "openapi-spec-validator rejects $OPENAPI: $(tail -n 20 <<<"$out" | tr '\n' ' ')"
fi

admin_setup
admin_start

# Through the API: group lab-1, A with an admin password and two lines with
# passwords, B without anything.
api_json POST /api/v1/groups '{"name":"lab-1","variables":{"site_code":"LAB"}}'
expect "seed: group lab-1" 201 application/json
api_json POST /api/v1/devices "$(jq -nc --arg m "$MAC_A" --arg pw "$ADMIN_PW_A" --arg p1 "$LINE_PW_A1" --arg p2 "$LINE_PW_A2" '{
    mac: $m, label: "Reception", model: "X4U", group: "lab-1", admin_user: "admin", admin_password: $pw,
    variables: {site_code: "DEV-A", desk: "7"},
    lines: [{index: 1, number: "201", password: $p1, auth_user: "u201", display_name: "Desk 1", registrar_port: 5070, transport: "tcp"},
            {index: 2, number: "202", password: $p2, registrar: "sip.example.net", transport: "tls"}]}')"
expect "seed: device A with passwords" 201 application/json
jcheck "seed: A's passwords are set" '.admin_password_set and (.lines | map(.password_set) == [true, true])'
api_json POST /api/v1/devices "{\"mac\":\"$MAC_B\",\"label\":\"Back office\"}"
expect "seed: device B" 201 application/json

# ------------------------------------------------------------- CSV import ---

GOOD_CSV=$TMPD/good.csv
cat >"$GOOD_CSV" <<EOF
mac,label,model,group,admin_user,admin_password,line1_number,line1_password,line1_transport,var_site_code
0c:38:3e:00:00:0c,Lobby,X4U,lab-1,admin,$ADMIN_PW_C,301,$LINE_PW_C1,tcp,LOBBY
00-A8-59-00-00-0D,Store room,,default,,$ADMIN_PW_D,,,,
$MAC_B,Back office (imported),,,,,,,,
EOF
api_csv "$GOOD_CSV"
expect "import 3 rows (2 new, 1 existing)" 200 application/json
jcheck "import: imported 3" '. == {"imported": 3}'
api GET /api/v1/devices
jcheck "after import: A, B, C, D" '[.devices[].mac] == [$d, $b, $c, $a]' \
    --arg a "$MAC_A" --arg b "$MAC_B" --arg c "$MAC_C" --arg d "$MAC_D"
jcheck_device_keys "after import: the list" .devices
api GET "/api/v1/devices/$MAC_C"
expect "get C (imported)" 200 application/json
jcheck "C: fields from CSV" \
    '.label == "Lobby" and .model == "X4U" and .group == "lab-1" and .admin_user == "admin" and .admin_password_set == true and .variables == {"site_code":"LOBBY"} and .state == "new"'
jcheck "C: line 1 from CSV" \
    '.lines == [{"index":1,"number":"301","auth_user":"","password_set":true,"display_name":"","registrar":"","registrar_port":5060,"transport":"tcp"}]'
api GET "/api/v1/devices/$MAC_D"
jcheck_device_keys "D (imported)"
jcheck "D: fields from CSV, empty cells null" \
    '.label == "Store room" and .model == null and .group == "default" and .admin_user == null and .admin_password_set == true and .lines == [] and .variables == {}'
jcheck "D: no contact yet: firmware, last_ip, last_seen null" '.firmware == null and .last_ip == null and .last_seen == null'
api GET "/api/v1/devices/$MAC_B"
jcheck "B: updated by the import (upsert)" '.label == "Back office (imported)" and .group == "default"'

# Bad files: 400 with line and column, nothing imported.
BEFORE=$(device_view)
bad_csv() {
    local desc=$1 line=$2 column=$3 file=$TMPD/bad.$RANDOM.csv
    printf '%s' "$4" >"$file"
    api_csv "$file"
    expect_error "import $desc" 400 || return
    jcheck "import $desc: line $line, column $column" '.line == $l and .column == $c' \
        --argjson l "$line" --argjson c "$column"
}
bad_csv "with a bad port on line 3" 3 4 \
    "mac,label,line1_number,line1_registrar_port
$MAC_E,New one,401,5060
$MAC_C,Lobby again,301,notaport
"
bad_csv "with an unknown column" 1 3 \
    "mac,label,colour
$MAC_E,x,red
"
jcheck "unknown column: named in the error" '.error | contains("colour")'
bad_csv "with a MAC twice" 3 1 \
    "mac,label
$MAC_E,one
0C:38:3E:00:00:0E,two
"
bad_csv "with a group that does not exist" 2 3 \
    "mac,label,group
$MAC_E,x,no-such-group
"
bad_csv "with a bad MAC" 3 2 \
    "label,mac
ok,$MAC_E
bad,0c383e0000
"
bad_csv "without a mac column" 1 1 \
    "label,model
x,X4U
"
assert_same "bad imports changed nothing" "$BEFORE" "$(device_view)"
api GET "/api/v1/devices/$MAC_E"
expect_error "E (first row of a bad file) was not imported" 404

# ------------------------------------------------------------- CSV export ---

EXPORT1=$TMPD/export1.csv
api GET /api/v1/devices/export
expect "export" 200 text/csv
cp "$TMPD/http.body" "$EXPORT1"
assert_eq "export: header starts with mac" mac "$(head -n 1 "$EXPORT1" | cut -d, -f1)"
assert_eq "export: header + 4 devices" 5 "$(grep -c . "$EXPORT1")"
missing_pw=()
for pw in "${PASSWORDS[@]}"; do
    grep -qF -- "$pw" "$EXPORT1" || missing_pw+=("$pw")
done
assert_eq "export (a backup) has every current password" "" "${missing_pw[*]}"
VIEW1=$(csv_view)
for mac in "$MAC_C" "$MAC_D"; do
    api DELETE "/api/v1/devices/$mac"
    expect_http "delete $mac before re-import" 204
done
api_csv "$EXPORT1"
expect "re-import the export" 200 application/json
jcheck "re-import: imported 4" '. == {"imported": 4}'
assert_same "round trip: devices as before (all CSV fields, passwords set)" "$VIEW1" "$(csv_view)"
api GET /api/v1/devices/export
expect "export again" 200 text/csv
assert_same_file "round trip: the same export" "$EXPORT1" "$TMPD/http.body"

check_no_password_leak "${PASSWORDS[@]}"

# ------------------------------------------------------------ schemathesis ---

log "schemathesis: up to $ST_EXAMPLES examples per operation, seed $ST_SEED, ${ST_TIMEOUT}s at most"
ST_LOG=$TMPD/schemathesis.log
# Run from $TMPD so nothing is written into the work tree.
(
    cd "$TMPD" || exit 1
    run_fg ip netns exec "$SRVNS" timeout -k 5 "$ST_TIMEOUT" "$SCHEMATHESIS" run "$OPENAPI" \
        --url "$BASE" \
        -H "Authorization: Bearer $ADMIN_TOKEN" \
        --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
        --max-examples "$ST_EXAMPLES" \
        --seed "$ST_SEED" \
        --generation-database none \
        --request-timeout 10 \
        --workers 1 \
        --no-color \
        --report junit --report-dir "$TMPD/schemathesis"
) >"$ST_LOG" 2>&1
rc=$?
cases=$(grep -A1 '^Test cases:' "$ST_LOG" | tail -n 1 | sed 's/^ *//')
if ((rc == 0)); then
    pass "schemathesis: no failure (${cases:-see $ST_LOG})"
else
    ((rc == 124 || rc == 137)) && log "schemathesis timed out after ${ST_TIMEOUT}s"
    fail "schemathesis exited $rc (${cases:-no summary}); its failures (full log: $ST_LOG):"
    grep -E '^(_{5,} .* _{5,}|- ST[0-9]+.*|    .*(is not of type|is a required property|is not one of|is not valid|Received:|Documented:|Additional properties)|\[[0-9]{3}\] |Runtime Error)' "$ST_LOG" |
        cut -c1-200 | head -n 60 | sed "s/^/[$TEST_NAME]   | /"
fi
if kill -0 "$SERVER_PID" 2>/dev/null; then
    pass "server alive after schemathesis"
else
    fail "server died during schemathesis"
fi
api GET /api/v1/groups/default
expect "after schemathesis: group default still there" 200 application/json

admin_finish
