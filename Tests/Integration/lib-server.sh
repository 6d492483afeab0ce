# shellcheck shell=bash
# Server-side helpers for the integration tests (sourced by lib.sh): the
# config a test serves, and what the lease store says afterwards.

# leases_json CONFIG [ARGS...]: print `autoprov leases --json` output; fatal if
# the command fails or the output is not a JSON array.
leases_json() {
    local cfg=$1; shift
    local out rc
    out=$("$AUTOPROV_BIN" leases --config "$cfg" --json "$@" 2>"$TMPD/leases.stderr"); rc=$?
    if ((rc != 0)); then
        fail "autoprov leases --json $* exited $rc: $(head -c 500 "$TMPD/leases.stderr")"
        return 1
    fi
    if ! jq -e 'type == "array"' >/dev/null 2>&1 <<<"$out"; then
        fail "autoprov leases --json $* did not print a JSON array: $(head -c 500 <<<"$out")"
        return 1
    fi
    printf '%s\n' "$out"
}

# bound_ip CONFIG MAC: ip of MAC's bound lease (empty if none, ERROR if the
# listing failed)
bound_ip() {
    local j
    j=$(leases_json "$1") || { echo ERROR; return 1; }
    jq -r --arg m "$2" \
        '[.[] | select((.mac|ascii_downcase) == $m and .state == "bound")] | (.[0].ip // "")' <<<"$j"
}

# write_config FILE IFACE SUBNETS_YAML
# Writes a complete config: store in $TMPD/store, the given interface, the
# Fanvil class (options 66 and 43 = $FANVIL_URL, always sent), and the given
# `subnets:` list items (YAML text, already indented by 4 spaces).
write_config() {
    local file=$1 iface=$2 subnets=$3
    mkdir -p "$TMPD/store"
    cat >"$file" <<EOF
store:
  path: $TMPD/store/autoprov.sqlite
  synchronous: full
log:
  level: info
dhcp:
  enabled: true
  port: 67
  interfaces:
    - $iface
  unknown_clients: serve
  offer_hold: 30
  decline_quarantine: 3600
  commit_batch: 512
  subnets:
$subnets
  classes:
    - name: fanvil
      match:
        oui: ["0c:38:3e", "00:a8:59"]
        vendor_class: ["Fanvil"]
        mac: []
      options:
        66: "$FANVIL_URL"
        43: "$FANVIL_URL"
      always_send: true
EOF
}

# append_provisioning CONFIG AUTHORIZE UNKNOWN_DEVICES [USER_TEMPLATES [HTTPS_YAML]]
# Appends the inventory, config_server and admin sections to a config from
# write_config: this repository's shipped Templates (plus USER_TEMPLATES, if
# given), the phones' listener on 192.0.2.1:8080 (where $FANVIL_URL points),
# the given authorize policy and unknown_devices, an optional `https:` value
# (YAML flow mapping), and the admin API on 127.0.0.1:8081 with its token
# next to the store ($TMPD/store/admin.token).
append_provisioning() {
    local file=$1 authorize=$2 unknown=$3 templates=${4:-} https=${5:-}
    cat >>"$file" <<EOF2
inventory:
  templates: "$templates"
  shipped_templates: $ROOT/Templates
  unknown_devices: "$unknown"
  default_group: default
config_server:
  enabled: true
  listen: 192.0.2.1:8080
  path_prefix: /
  authorize: $authorize
${https:+  https: $https}
admin:
  listen: 127.0.0.1:8081
  token_file: ""
EOF2
}

# tcp_listening NS PORT: something listens on TCP PORT inside NS.
tcp_listening() {
    [[ -n $(ip netns exec "$1" ss -Htln "sport = :$2" 2>/dev/null) ]]
}

# wait_listening NS PORT...: each TCP PORT listens inside NS within 20 s
# (the HTTP listeners may come up after DHCP's); fatal otherwise.
wait_listening() {
    local ns=$1 port; shift
    for port in "$@"; do
        wait_for "tcp_listening '$ns' $port" 20 "TCP port $port to listen in $ns" ||
            fatal "nothing listens on TCP port $port in $ns"
    done
}

# Admin API helpers for a server configured by append_provisioning: the API
# listens on 127.0.0.1:8081 inside $SRVNS; ADMIN_TOKEN is read by
# load_admin_token once the server runs.
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
