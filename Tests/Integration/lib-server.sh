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
