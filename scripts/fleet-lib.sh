# shellcheck shell=bash
# A simulated phone fleet on the loopback of one network namespace: what
# `make demo`, `make bench-bringup` and the end-to-end test share.
#
# Topology (nothing leaves the namespace; its lo is its own):
#   autoprov   DHCP on lo (port 67), config files on 127.0.0.1:8080, the
#              phones' API reached at <leased address>:80
#   registrar  SIP on 127.0.0.1:5060 (phonesim's built-in one, or sipp)
#   phonesim   relay agent 127.64.0.1:67 for every simulated phone; phone i
#              leases an address in 127.64.0.0/16, fetches its file from it,
#              serves /xmlService on it and registers from it
#
# Phone i (1-based) has MAC FLEET_MAC_BASE + i, SIP number 2000 + i.

FLEET_MAC_BASE=${FLEET_MAC_BASE:-0c383e100000}
FLEET_RELAY=${FLEET_RELAY:-127.64.0.1}

# fleet_mac I: the MAC of phone I, 12 lowercase hex digits.
fleet_mac() { printf '%012x' $((16#$FLEET_MAC_BASE + $1)); }

# fleet_config FILE STORE [YAML...]: the autoprov config; extra YAML lines
# are appended to the post_provision section. The admin API (and its status
# page) is off unless FLEET_ADMIN=true: then on FLEET_ADMIN_LISTEN (default
# 127.0.0.1:8081), its token in admin.token next to STORE.
fleet_config() {
    local file=$1 store=$2; shift 2
    cat >"$file" <<YAML
store:
  path: $store
  synchronous: ${FLEET_SYNCHRONOUS:-full}
log:
  level: ${FLEET_LOG_LEVEL:-info}
dhcp:
  interfaces: [lo]
  commit_batch: 256
  subnets:
    # lo's own address must lie in a subnet; nothing is leased from it.
    - subnet: 127.0.0.0/16
      pools: ["127.0.1.1-127.0.1.10"]
    # The phones', reached through the relay at $FLEET_RELAY.
    - subnet: 127.64.0.0/16
      pools: ["127.64.1.1-127.64.255.254"]
      lease_time: 3600
  classes:
    - name: fanvil
      match: {oui: ["0c:38:3e"]}
      options: {66: "http://127.0.0.1:8080/\$mac.cfg"}
config_server:
  listen: 127.0.0.1:8080
admin:
  enabled: ${FLEET_ADMIN:-false}
  listen: ${FLEET_ADMIN_LISTEN:-127.0.0.1:8081}
post_provision:
  api_port: 80
YAML
    local line
    for line in "$@"; do printf '  %s\n' "$line" >>"$file"; done
}

# fleet_inventory CSV USERS N: N devices (inventory CSV for `autoprov device
# import`) and the registrar's users file (number,password), with random
# passwords so that no run can pass with a stale one.
fleet_inventory() {
    local csv=$1 users=$2 n=$3 i number secret
    secret=$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')
    echo "mac,label,admin_user,admin_password,line1_number,line1_password,line1_registrar,line1_display_name" >"$csv"
    : >"$users"
    for ((i = 1; i <= n; i++)); do
        number=$((2000 + i))
        echo "$(fleet_mac "$i"),Phone $i,admin,adm-$secret-$i,$number,sip-$secret-$number,127.0.0.1,Desk $i" >>"$csv"
        echo "$number,sip-$secret-$number" >>"$users"
    done
}

# fleet_states AUTOPROV CONFIG: one line "state=count ..." from `status --summary`.
fleet_states() {
    "$1" status --summary --config "$2" 2>/dev/null | python3 -c '
import json, sys
counts = json.load(sys.stdin)
print(" ".join(f"{k}={v}" for k, v in sorted(counts.items())))'
}

# fleet_final_count AUTOPROV CONFIG: how many devices are verified or failed.
fleet_final_count() {
    "$1" status --summary --config "$2" 2>/dev/null |
        python3 -c 'import json,sys; c=json.load(sys.stdin); print(c.get("verified",0)+c.get("failed",0))'
}

# peak_rss_kib PID: the process's peak resident set (VmHWM), KiB.
peak_rss_kib() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status" 2>/dev/null; }

FLEET_PIDS=()

# fleet_namespace NS: a namespace with only lo, up.
fleet_namespace() {
    ip netns add "$1"
    ip -n "$1" link set lo up
}

# fleet_stop NS: SIGTERM every process started here, wait, delete NS.
fleet_stop() {
    local p
    for p in "${FLEET_PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
    for p in "${FLEET_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
    ip netns del "$1" 2>/dev/null || true
}

# fleet_start_servers NS STATE CONFIG AUTOPROV PHONESIM: phonesim's
# registrar (users from STATE/users.csv) and `autoprov serve`, in NS, logs in
# STATE; returns when both listen (30 s deadline). Sets FLEET_SERVER_PID.
fleet_start_servers() {
    local ns=$1 state=$2 config=$3 autoprov=$4 phonesim=$5 deadline=$((SECONDS + 30))
    ip netns exec "$ns" "$phonesim" registrar --listen 127.0.0.1:5060 --users "$state/users.csv" 2>"$state/registrar.log" &
    FLEET_PIDS+=($!)
    ip netns exec "$ns" "$autoprov" serve --config "$config" 2>"$state/autoprov.log" &
    FLEET_SERVER_PID=$!
    FLEET_PIDS+=("$FLEET_SERVER_PID")
    until grep -q 'DHCPServer\] listening' "$state/autoprov.log" && grep -q 'registrar listening' "$state/registrar.log" &&
          [[ -n $(ip netns exec "$ns" ss -Hltn 'sport = :8080') ]]; do
        if ((SECONDS >= deadline)); then
            echo "autoprov or the registrar did not start:" >&2
            tail -n 5 "$state/autoprov.log" "$state/registrar.log" >&2
            return 1
        fi
        sleep 0.1
    done
}
