#!/usr/bin/env bash
# SIGHUP reloads the configuration in place, inside throwaway namespaces:
#  - a new option 66 URL and a new reservation apply to the next request,
#    without a restart (same pid), the leases and the provisioning job kept;
#  - a config that does not validate is refused with its key in the log,
#    and the server keeps serving the previous one;
#  - a change only a restart can apply (dhcp.port) is refused the same way;
#  - the reload log never carries the config's secrets.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require udhcpc ip ss jq python3 autoprov

SRVNS=$NS_PREFIX-srv
CLINS=$NS_PREFIX-cli
FANVIL_MAC=0c:38:3e:12:34:56
RESERVED_MAC=0c:38:3e:12:34:57
RESERVED_IP=192.0.2.20
SECRET=Rel0ad-S3cret-$$
# shellcheck disable=SC2016
URL_B='http://192.0.2.1:8080/reloaded/$mac.cfg'
UDHCPC=$(udhcpc_cmd)

setup_pair "$SRVNS" "$CLINS" srv0 cli0 192.0.2.1/24 "$FANVIL_MAC"
add_macvlan "$CLINS" cli0 mv1 "$RESERVED_MAC"

SUBNETS="    - subnet: 192.0.2.0/24
      pools:
        - 192.0.2.100-192.0.2.199
      lease_time: 3600"
CFG=$TMPD/autoprov.yml
# config URL [EXTRA_DHCP_YAML] [POOL] [NTP]: the served config, rewritten in
# place (the server was started with this path).
config() {
    local url=$1 extra=${2:-} pool=${3:-192.0.2.100-192.0.2.199} ntp=${4:-192.0.2.1}
    FANVIL_URL=$url write_config "$CFG.new" srv0 "${SUBNETS/192.0.2.100-192.0.2.199/$pool}"
    [[ -n $extra ]] && printf '%s\n' "$extra" >>"$CFG.new"
    append_provisioning "$CFG.new" leased_ip 404
    sed -i "s/^  default_group: default$/&\n  variables: {ntp_server: $ntp}/" "$CFG.new"
    cat >>"$CFG.new" <<EOF
post_provision:
  default_admin_password: "$SECRET"
  lease_grace: 1
  deadline: 600
EOF
    mv "$CFG.new" "$CFG"
}
config "$FANVIL_URL"

start_server "$CFG"
PID=$SERVER_PID
"$AUTOPROV_BIN" device add "$FANVIL_MAC" --model X4U --config "$CFG" >/dev/null ||
    fatal "device add failed"
SNIFF=$TMPD/sniff.jsonl
start_sniffer "$CLINS" cli0 "$SNIFF"
OUT=$TMPD/udhcpc
SCRIPT=$TMPD/udhcpc.script
make_udhcpc_script "$SCRIPT" "$OUT"

# acked_66 MAC: option 66 of the last ACK to MAC, as text.
acked_66() {
    sniffed_replies "$SNIFF" "$1" 5 | jq -r '.[-1].options["66"] // empty' | { read -r h; hex_to_text "$h"; }
}
# lease IFACE [REQUESTED_IP]: one udhcpc exchange (-n -q), fatal without a lease.
lease() {
    local ifc=$1 req=${2:-}
    rm -f "$OUT/$ifc.bound.env"
    # shellcheck disable=SC2086
    run_fg ip netns exec "$CLINS" $UDHCPC -n -q -i "$ifc" -s "$SCRIPT" -O 66 -t 5 -T 2 ${req:+-r $req} \
        >"$TMPD/udhcpc.$ifc.log" 2>&1
    [[ -s $OUT/$ifc.bound.env ]] || fatal "$ifc got no lease: $(tail -n 3 "$TMPD/udhcpc.$ifc.log" | tr '\n' '|')"
    env_value "$OUT/$ifc.bound.env" ip
}
reload_count() { grep -c "configuration reloaded" "$SERVER_LOG"; }
refused_count() { grep -c "reload refused; the running configuration is unchanged\|reload refused: needs a restart" "$SERVER_LOG"; }
hup() {
    kill -HUP "$PID"
}

# ntp_in_file: the NTP server in the phone's own file, fetched from its address.
ntp_in_file() {
    http_req "$CLINS" --interface cli0 -A "Fanvil X4U 2.12.1 ${FANVIL_MAC//:/}" "http://192.0.2.1:8080/${FANVIL_MAC//:/}.cfg"
    [[ $HTTP_CODE == 200 ]] || { echo "HTTP $HTTP_CODE"; return; }
    grep -o '<SNTPServer>[^<]*</SNTPServer>' "$TMPD/http.body" | head -n 1
}

# --- 1. before: URL A, a lease, a job
IP1=$(lease cli0)
assert_eq "before the reload: ACK option 66 is the first URL" "$FANVIL_URL" "$(acked_66 "$FANVIL_MAC")"
NTP_BEFORE=$(ntp_in_file)
assert_contains "before the reload: the phone's file names NTP 192.0.2.1" "$NTP_BEFORE" "192.0.2.1"
job_started() { "$AUTOPROV_BIN" status --json --config "$CFG" | jq -r --arg m "${FANVIL_MAC//:/}" \
    '.[] | select((.mac | gsub(":"; "") | ascii_downcase) == $m) | .started // empty'; }
wait_for '[[ -n $(job_started) ]]' 10 "a provisioning job for $FANVIL_MAC" || fatal "no job for $FANVIL_MAC"
STARTED=$(job_started)
LEASES_BEFORE=$(leases_json "$CFG" | jq -c '[.[] | {mac, ip, state}] | sort_by(.mac)')

# --- 2. a valid new config: URL B, a reservation; SIGHUP
config "$URL_B" "  reservations:
    - mac: $RESERVED_MAC
      ip: $RESERVED_IP" "" 192.0.2.123
hup
wait_for '(( $(reload_count) >= 1 ))' 10 "configuration reloaded" || fatal "no reload logged"
assert_true "same process after the reload (no restart)" kill -0 "$PID"
IP1B=$(lease cli0 "$IP1")
assert_eq "after the reload: the renewing phone keeps its address" "$IP1" "$IP1B"
assert_eq "after the reload: ACK option 66 is the new URL" "$URL_B" "$(acked_66 "$FANVIL_MAC")"
assert_eq "after the reload: the new reservation is served" "$RESERVED_IP" "$(lease mv1)"
assert_contains "after the reload: the phone's file has the new variable" "$(ntp_in_file)" "192.0.2.123"
assert_eq "after the reload: the job was not restarted" "$STARTED" "$(job_started)"
LEASES_AFTER=$(leases_json "$CFG" | jq -c --arg r "${RESERVED_MAC}" '[.[] | select(.mac != $r) | {mac, ip, state}] | sort_by(.mac)')
assert_eq "after the reload: the leases are those from before" "$LEASES_BEFORE" "$LEASES_AFTER"

# --- 3. an invalid config: refused, key named, old one kept
config "$URL_B" "" "192.0.2.250-192.0.2.100"
hup
wait_for '(( $(refused_count) >= 1 ))' 10 "reload refused (invalid)" || fatal "invalid config not refused"
assert_contains "the refusal names the key" "$(grep 'reload refused: invalid' "$SERVER_LOG")" "dhcp.subnets[0].pools[0]"
assert_true "still the same process" kill -0 "$PID"
assert_eq "after the refused reload: still the reloaded URL" "$URL_B" "$(lease cli0 "$IP1" >/dev/null; acked_66 "$FANVIL_MAC")"

# --- 4. a change that needs a restart: refused, named
config "$FANVIL_URL"
sed -i 's/^  port: 67$/  port: 1067/' "$CFG"
hup
wait_for '(( $(refused_count) >= 2 ))' 10 "reload refused (restart needed)" || fatal "port change not refused"
assert_contains "the refusal names dhcp.port" "$(grep 'needs a restart' "$SERVER_LOG")" "dhcp.port"
assert_eq "after it: still the reloaded URL on port 67" "$URL_B" "$(lease cli0 "$IP1" >/dev/null; acked_66 "$FANVIL_MAC")"
assert_eq "reloads applied in all" 1 "$(reload_count)"

# --- 5. no secret in the log
assert_not_contains "the server log never carries the admin password" "$(cat "$SERVER_LOG")" "$SECRET"
stop_server
assert_eq "clean exit after the reloads" 0 "$SERVER_RC"
finish
