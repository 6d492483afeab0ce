# shellcheck shell=bash
# Admin API helpers (sourced by lib.sh), the one place for them:
#  - for any server configured by append_provisioning (lib-server.sh): the
#    API listens on 127.0.0.1:8081 inside $SRVNS; load_admin_token,
#    admin_get, admin_has, check_admin;
#  - for the admin scenarios (t-admin-api.sh, t-admin-contract.sh), where
#    the server runs alone in a fresh network namespace (lo only): DHCP off,
#    the phones' listener on 127.0.0.1:8080 and the admin API on
#    127.0.0.1:8081 there, its token next to the store, so ports never clash
#    with the host: admin_setup (first), admin_start, api*, expect*, j*,
#    admin_finish.
# jq programs take their own $variables (--arg).
# shellcheck disable=SC2016

# Every key of a Device: always there (null when unknown).
DEVICE_KEYS='["admin_password_set","admin_user","created","device_secret","firmware","group","label","last_ip","last_seen","lines","mac","model","state","updated","variables"]'

# load_admin_token: ADMIN_TOKEN from the token file next to the store, once
# the server runs.
load_admin_token() {
    ADMIN_TOKEN=$(tr -d ' \t\r\n' <"$TMPD/store/admin.token" 2>/dev/null)
    [[ -n $ADMIN_TOKEN ]] || fatal "no admin token in $TMPD/store/admin.token"
}

# admin_get PATH: GET on the admin API with the token (http_req: HTTP_CODE,
# $TMPD/http.body).
admin_get() {
    http_req "$SRVNS" -H "Authorization: Bearer $ADMIN_TOKEN" "http://127.0.0.1:8081$1"
}

# admin_has PATH JQ_FILTER [JQ ARGS...]: GET PATH answers 200 and the filter
# is true of its body.
admin_has() {
    local path=$1 filter=$2; shift 2
    admin_get "$path"
    [[ $HTTP_CODE == 200 ]] && jq -e "$@" "$filter" "$TMPD/http.body" >/dev/null 2>&1
}

# check_admin DESC PATH JQ_FILTER [JQ ARGS...]: admin_has within 5 s (fetch
# events and what they teach about a device are written asynchronously).
check_admin() {
    local desc=$1; shift
    if wait_for "$(printf '%q ' admin_has "$@")" 5 "$desc"; then
        pass "$desc"
    else
        fail "$desc: jq '$2' not true within 5 s; GET $1 -> $HTTP_CODE $(head -c 1500 "$TMPD/http.body")"
    fi
}

# metric_sum NAME [LABEL=VALUE...]: the sum of NAME's samples carrying every
# given label on the admin listener's /metrics (inside $SRVNS, no token
# needed); 0 when there is none. The facts a scenario would otherwise grep
# out of the server log's wording.
metric_sum() {
    local name=$1; shift
    ip netns exec "$SRVNS" curl -sS --max-time 10 http://127.0.0.1:8081/metrics 2>/dev/null |
        awk -v n="$name" -v want="$*" '
            BEGIN { c = split(want, w, " ") }
            /^#/ { next }
            {
                s = $1; i = index(s, "{"); base = i ? substr(s, 1, i - 1) : s
                if (base != n) next
                for (j = 1; j <= c; j++) {
                    split(w[j], kv, "=")
                    if (!index(s, kv[1] "=\"" kv[2] "\"")) next
                }
                sum += $2
            }
            END { print sum + 0 }'
}

# admin_setup: the admin scenarios' globals (SRVNS, BASE, STORE,
# TOKEN_FILE, USER_TEMPLATES, CFG, RESPONSES: every admin response body
# except the CSV exports, JSON_BODIES: every JSON admin response, one per
# line), the namespace and the config (global variables ntp_server and
# site_code; user templates in $USER_TEMPLATES, which the caller fills).
admin_setup() {
    SRVNS=$NS_PREFIX-api
    BASE=http://127.0.0.1:8081
    STORE=$TMPD/store
    TOKEN_FILE=$STORE/admin.token
    USER_TEMPLATES=$TMPD/templates
    CFG=$TMPD/autoprov.yml
    RESPONSES=$TMPD/responses
    JSON_BODIES=$TMPD/json-bodies
    new_ns "$SRVNS"
    mkdir -p "$STORE" "$USER_TEMPLATES/fanvil/device"
    : >"$RESPONSES"
    : >"$JSON_BODIES"
    cat >"$CFG" <<EOF
store:
  path: $STORE/autoprov.sqlite
  synchronous: normal
log:
  level: info
dhcp:
  enabled: false
inventory:
  templates: $USER_TEMPLATES
  shipped_templates: $ROOT/Templates
  unknown_devices: "404"
  default_group: default
  variables:
    ntp_server: 192.0.2.1
    site_code: GLOBAL
config_server:
  enabled: true
  listen: 127.0.0.1:8080
  path_prefix: /
  authorize: leased_ip
admin:
  listen: 127.0.0.1:8081
  token_file: ""
EOF
}

# admin_start: `autoprov serve` ready when both listeners listen; then
# ADMIN_TOKEN from the token file (written before the admin API listens).
admin_start() {
    start_server "$CFG" "$SRVNS" 8080 8081
    wait_for "[[ -s '$TOKEN_FILE' ]]" 5 "$TOKEN_FILE" || fatal "admin API up, but no token in $TOKEN_FILE"
    load_admin_token
}

# api_raw METHOD PATH [CURL ARGS...]: one admin request (http_req). Sets
# CONTENT_TYPE (the header), CTYPE (its media type, lower case) and BODY;
# records the body for the password scan.
api_raw() {
    local method=$1 path=$2; shift 2
    http_req "$SRVNS" -X "$method" "$@" "$BASE$path"
    CONTENT_TYPE=$(http_header Content-Type | tail -n 1)
    CTYPE=${CONTENT_TYPE%%;*}; CTYPE=${CTYPE// /}; CTYPE=${CTYPE,,}
    BODY=$(cat "$TMPD/http.body")
    if [[ $path != /api/v1/devices/export* ]]; then
        { printf '### %s %s -> %s\n' "$method" "$path" "$HTTP_CODE"; cat "$TMPD/http.body"; echo; } >>"$RESPONSES"
    fi
    if [[ $CTYPE == application/json ]]; then
        jq -c . "$TMPD/http.body" >>"$JSON_BODIES" 2>/dev/null
    fi
    return 0
}

# api METHOD PATH [CURL ARGS...]: api_raw with the admin token.
api() {
    api_raw "$1" "$2" -H "Authorization: Bearer $ADMIN_TOKEN" "${@:3}"
}

# api_json METHOD PATH JSON: an authenticated request with a JSON body.
api_json() {
    api "$1" "$2" -H 'Content-Type: application/json' --data-binary "$3"
}

# excerpt N: the first N bytes of the last body, on one line.
excerpt() {
    head -c "$1" <<<"$BODY" | tr '\n' ' '
}

# assert_same DESC EXPECTED ACTUAL: multi-line values, compared as files.
assert_same() {
    printf '%s\n' "$2" >"$TMPD/same.expected"
    printf '%s\n' "$3" >"$TMPD/same.actual"
    assert_same_file "$1" "$TMPD/same.expected" "$TMPD/same.actual"
}

# expect DESC CODE MEDIA: the last response has status CODE and media type
# MEDIA (an application/json body must also parse). Status only: expect_http.
expect() {
    local desc=$1 code=$2 media=$3
    if [[ $HTTP_CODE != "$code" ]]; then
        fail "$desc: expected HTTP $code, got $HTTP_CODE ${CTYPE:+($CTYPE)}: $(excerpt 600)$(head -c 200 "$TMPD/http.stderr")"
        return 1
    fi
    if [[ $CTYPE != "$media" ]]; then
        fail "$desc: HTTP $code with Content-Type '$CONTENT_TYPE', expected $media"
        return 1
    fi
    if [[ $media == application/json ]] && ! jq -e . >/dev/null 2>&1 <<<"$BODY"; then
        fail "$desc: HTTP $code, body is not JSON: $(excerpt 600)"
        return 1
    fi
    pass "$desc: HTTP $code $media"
}

# expect_error DESC CODE [FIELD]: a JSON error {"error": "...", "field": FIELD}.
expect_error() {
    local desc=$1 code=$2 field=${3:-}
    expect "$desc" "$code" application/json || return 1
    jcheck "$desc: .error is a message" '.error | type == "string" and length > 0'
    if [[ -n $field ]]; then
        jcheck "$desc: .field is \"$field\"" '.field == $f' --arg f "$field"
    fi
}

# jcheck DESC FILTER [JQ ARGS...]: FILTER is true for the last body.
jcheck() {
    local desc=$1 filter=$2; shift 2
    if jq -e "$@" "$filter" >/dev/null 2>&1 <<<"$BODY"; then
        pass "$desc"
    else
        fail "$desc: jq '$filter' is not true for: $(excerpt 800)"
    fi
}

# jget FILTER [JQ ARGS...]: a value of the last body (raw).
jget() {
    local filter=$1; shift
    jq -r "$@" "$filter" <<<"$BODY" 2>/dev/null
}

# jcheck_device_keys DESC [FILTER]: the device(s) FILTER selects (default
# the body) carry exactly the Device keys, unknown values as null.
jcheck_device_keys() {
    jcheck "$1: every Device key, no other" "[${2:-.}] | flatten | all(keys == \$k)" --argjson k "$DEVICE_KEYS"
}

# check_no_password_leak PASSWORD...: no recorded response (the CSV exports
# aside) holds one of them, and no JSON response has a password key.
check_no_password_leak() {
    local pw found=()
    for pw in "$@"; do
        grep -qF -- "$pw" "$RESPONSES" && found+=("$pw")
    done
    if ((${#found[@]} == 0)); then
        pass "none of $# passwords in any of $(grep -c '^### ' "$RESPONSES") responses (exports aside)"
    else
        fail "passwords in responses: ${found[*]} (see $RESPONSES)"
    fi
    assert_eq "no JSON response has a password or admin_password key" 0 \
        "$(jq -s '[.[] | paths | last | select(. == "password" or . == "admin_password")] | length' "$JSON_BODIES")"
}

# admin_finish: stop the server (a clean exit is a check), show its log
# after a failure, print the summary and exit.
admin_finish() {
    stop_server
    assert_eq "final SIGTERM: clean exit" 0 "$SERVER_RC"
    [[ -s $TMPD/failures ]] && show_server_log
    finish
}
