#!/usr/bin/env bash
# ISC dhclient against `autoprov serve`, inside throwaway namespaces.
#  - dhclient (own -cf/-lf/-pf/-sf, all in the temp dir) asks for
#    tftp-server-name (66) and vendor-encapsulated-options (43), binds to a
#    pool address; 66 and 43 carry the URL with a literal `$mac`;
#  - the lease is bound in `autoprov leases --json`;
#  - dhclient stopped without release and started again (INIT-REBOOT with
#    the remembered address) gets the same address;
#  - `dhclient -r` sends DHCPRELEASE and the lease is freed.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require dhclient ip ss jq python3 autoprov

SRVNS=$NS_PREFIX-srv
CLINS=$NS_PREFIX-cli
MAC=0c:38:3e:ab:cd:ef
POOL_FIRST=192.0.2.100
POOL_LAST=192.0.2.199

setup_pair "$SRVNS" "$CLINS" srv0 cli0 192.0.2.1/24 "$MAC"

CFG=$TMPD/autoprov.yml
write_config "$CFG" srv0 "    - subnet: 192.0.2.0/24
      pools:
        - $POOL_FIRST-$POOL_LAST
      lease_time: 3600
      router: 192.0.2.1"
start_server "$CFG"

OUT=$TMPD/dhclient
SCRIPT=$TMPD/dhclient.script
make_dhclient_script "$SCRIPT" "$OUT"
DCF=$TMPD/dhclient.conf
cat >"$DCF" <<'EOF'
timeout 20;
retry 5;
initial-interval 1;
request subnet-mask, broadcast-address, routers, domain-name-servers,
        tftp-server-name, vendor-encapsulated-options;
EOF
DH=(dhclient -4 -v -cf "$DCF" -lf "$TMPD/dhclient.leases" -pf "$TMPD/dhclient.pid" -sf "$SCRIPT")

# dhclient escapes `$` (and quotes, backslash, backquote) with a backslash
# in script variables and lease files; undo that before comparing.
# shellcheck disable=SC2001
unescape() { sed -e 's/\\\(.\)/\1/g' <<<"$1"; }

# --- 1. DORA
log "dhclient -1 on cli0 ($MAC)"
if ! run_fg ip netns exec "$CLINS" timeout 40 "${DH[@]}" -1 cli0 >"$TMPD/dhclient.1.log" 2>&1; then
    fatal "dhclient got no lease: $(grep -E 'DHCP|No ' "$TMPD/dhclient.1.log" | tail -n 6 | tr '\n' '|')"
fi
[[ -s $TMPD/dhclient.pid ]] && bg_track "$(cat "$TMPD/dhclient.pid")"
E=$OUT/cli0.BOUND.env
[[ -s $E ]] || fatal "dhclient-script was not called with reason BOUND"
IP=$(env_value "$E" new_ip_address)
if ip_in_range "$IP" "$POOL_FIRST" "$POOL_LAST"; then
    pass "dhclient bound to $IP, inside pool $POOL_FIRST-$POOL_LAST"
else
    fail "dhclient address '$IP' is not in pool $POOL_FIRST-$POOL_LAST"
fi
RAW66=$(env_value "$E" new_tftp_server_name)
log "dhclient new_tftp_server_name (escaped by dhclient): $RAW66"
assert_eq "option 66 (new_tftp_server_name) is the URL with literal \$mac" "$FANVIL_URL" "$(unescape "$RAW66")"
assert_eq "option 43 (new_vendor_encapsulated_options) is the URL with literal \$mac" \
    "$FANVIL_URL" "$(unescape "$(env_value "$E" new_vendor_encapsulated_options)")"
assert_eq "option 54 server identifier" 192.0.2.1 "$(env_value "$E" new_dhcp_server_identifier)"
assert_eq "option 1 subnet mask" 255.255.255.0 "$(env_value "$E" new_subnet_mask)"
assert_eq "option 3 router" 192.0.2.1 "$(env_value "$E" new_routers)"
assert_eq "option 51 lease time" 3600 "$(env_value "$E" new_dhcp_lease_time)"
# shellcheck disable=SC2016
assert_contains "lease file records option 66" "$(cat "$TMPD/dhclient.leases")" 'option tftp-server-name "http://192.0.2.1:8080/\$mac.cfg";'

L=$(leases_json "$CFG" --mac "$MAC")
assert_eq "leases: one lease for $MAC" 1 "$(jq length <<<"$L")"
assert_eq "leases: state" bound "$(jq -r '.[0].state // ""' <<<"$L")"
assert_eq "leases: ip" "$IP" "$(jq -r '.[0].ip // ""' <<<"$L")"
assert_eq "leases: mac" "$MAC" "$(jq -r '.[0].mac // ""' <<<"$L")"
assert_eq "leases: class" fanvil "$(jq -r '.[0].class // ""' <<<"$L")"

# --- 2. stop without release (-x), start again: INIT-REBOOT keeps the address
log "dhclient -x (stop, keep lease), then start again"
run_fg ip netns exec "$CLINS" timeout 20 "${DH[@]}" -x cli0 >"$TMPD/dhclient.x.log" 2>&1
rm -f "$OUT"/cli0.BOUND.env "$OUT"/cli0.REBOOT.env
if run_fg ip netns exec "$CLINS" timeout 40 "${DH[@]}" -1 cli0 >"$TMPD/dhclient.2.log" 2>&1; then
    [[ -s $TMPD/dhclient.pid ]] && bg_track "$(cat "$TMPD/dhclient.pid")"
    E2=$OUT/cli0.REBOOT.env
    [[ -s $E2 ]] || E2=$OUT/cli0.BOUND.env
    assert_eq "restarted dhclient ($(basename "$E2" .env | cut -d. -f2)) got the same address" \
        "$IP" "$(env_value "$E2" new_ip_address)"
    assert_eq "restarted dhclient: option 66 again" "$FANVIL_URL" "$(unescape "$(env_value "$E2" new_tftp_server_name)")"
else
    fail "restarted dhclient got no lease: $(grep DHCP "$TMPD/dhclient.2.log" | tail -n 6 | tr '\n' '|')"
fi
assert_eq "leases: still bound to the same address" "$IP" "$(bound_ip "$CFG" "$MAC")"

# --- 3. release
log "dhclient -r (DHCPRELEASE)"
run_fg ip netns exec "$CLINS" timeout 20 "${DH[@]}" -r cli0 >"$TMPD/dhclient.r.log" 2>&1 ||
    fail "dhclient -r exited non-zero: $(tail -n 3 "$TMPD/dhclient.r.log" | tr '\n' '|')"
assert_contains "dhclient sent DHCPRELEASE" "$(cat "$TMPD/dhclient.r.log")" "DHCPRELEASE of $IP"
if wait_for "[[ -z \$(bound_ip '$CFG' '$MAC') ]]" 15 "lease of $MAC to leave state bound"; then
    pass "release: no bound lease left for $MAC"
else
    fail "release: $MAC still bound after DHCPRELEASE"
fi
st=$(leases_json "$CFG" --mac "$MAC" | jq -r '.[0].state // "none"')
if [[ $st == released || $st == none ]]; then
    pass "release: lease state is '$st'"
else
    fail "release: lease state is '$st', expected released"
fi
assert_eq "release: no bound lease on $IP" 0 "$(leases_json "$CFG" --state bound --ip "$IP" | jq length)"

stop_server
log "server exited with status $SERVER_RC after SIGTERM"
finish
