#!/usr/bin/env bash
# busybox udhcpc against `autoprov serve`, inside throwaway namespaces.
#  - a Fanvil-OUI client gets a pool address, and options 66 and 43 carrying
#    the provisioning URL with a literal `$mac` (checked in udhcpc's env and
#    byte-for-byte on the wire);
#  - the lease shows in `autoprov leases --json` as bound, class fanvil;
#  - a non-Fanvil client gets a different pool address and no 66/43;
#  - renew (SIGUSR1) keeps the address; release (SIGUSR2) frees the lease;
#  - `autoprov lease release` reaches the running server (its log says so).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require udhcpc ip ss jq python3 autoprov

SRVNS=$NS_PREFIX-srv
CLINS=$NS_PREFIX-cli
FANVIL_MAC=0c:38:3e:12:34:56
OTHER_MAC=02:00:00:00:00:01
POOL_FIRST=192.0.2.100
POOL_LAST=192.0.2.199
UDHCPC=$(udhcpc_cmd)

setup_pair "$SRVNS" "$CLINS" srv0 cli0 192.0.2.1/24 "$FANVIL_MAC"
add_macvlan "$CLINS" cli0 mv1 "$OTHER_MAC"

CFG=$TMPD/autoprov.yml
write_config "$CFG" srv0 "    - subnet: 192.0.2.0/24
      pools:
        - $POOL_FIRST-$POOL_LAST
      lease_time: 3600
      router: 192.0.2.1
      dns: [192.0.2.1]"

start_server "$CFG"
SNIFF=$TMPD/sniff.jsonl
start_sniffer "$CLINS" cli0 "$SNIFF"

OUT=$TMPD/udhcpc
SCRIPT=$TMPD/udhcpc.script
make_udhcpc_script "$SCRIPT" "$OUT"

# --- 1. Fanvil client: long-running udhcpc (renew/release by signal later)
log "udhcpc on cli0 ($FANVIL_MAC), requesting options 66 and 43"
# shellcheck disable=SC2086
ip netns exec "$CLINS" $UDHCPC -f -i cli0 -s "$SCRIPT" -O 66 -O 43 -t 5 -T 2 -A 3 \
    >"$TMPD/udhcpc.cli0.log" 2>&1 &
UD1=$!
bg_track "$UD1"
wait_for "[[ -s '$OUT/cli0.bound.env' ]]" 20 "udhcpc (Fanvil) bound" ||
    fatal "Fanvil client got no lease; udhcpc said: $(tail -n 5 "$TMPD/udhcpc.cli0.log" | tr '\n' '|')"

IP1=$(env_value "$OUT/cli0.bound.env" ip)
if ip_in_range "$IP1" "$POOL_FIRST" "$POOL_LAST"; then
    pass "Fanvil client address $IP1 is in pool $POOL_FIRST-$POOL_LAST"
else
    fail "Fanvil client address '$IP1' not in pool $POOL_FIRST-$POOL_LAST"
fi
assert_eq "Fanvil client: server id (option 54)" 192.0.2.1 "$(env_value "$OUT/cli0.bound.env" serverid)"
assert_eq "Fanvil client: subnet mask (option 1)" 255.255.255.0 "$(env_value "$OUT/cli0.bound.env" subnet)"
assert_eq "Fanvil client: router (option 3)" 192.0.2.1 "$(env_value "$OUT/cli0.bound.env" router)"

# Option 66 as udhcpc exports it. busybox exports 66 as `tftp` but, being a
# "hostname" option for busybox, replaces any value that is not a valid host
# name by the word "bad" (busybox 1.35 good_hostname()). A URL is never a host
# name, so the exact value is checked on the wire below; here only presence.
TFTP=$(env_value "$OUT/cli0.bound.env" tftp)
if [[ $TFTP == "$FANVIL_URL" ]]; then
    pass "Fanvil client: udhcpc tftp (option 66) = '$TFTP'"
elif [[ -n $TFTP ]]; then
    pass "Fanvil client: udhcpc received option 66 (exported as tftp='$TFTP': busybox masks non-hostname values; exact bytes checked on the wire)"
else
    fail "Fanvil client: udhcpc saw no option 66 (no 'tftp' in its environment)"
fi
# Option 43 is unknown to busybox: exported raw as hex in opt43.
OPT43=$(env_value "$OUT/cli0.bound.env" opt43)
assert_eq "Fanvil client: udhcpc opt43 (option 43) decoded" "$FANVIL_URL" "$(hex_to_text "$OPT43")"

# The same, byte for byte, from the captured OFFER and ACK.
for t in 2:OFFER 5:ACK; do
    n=${t%%:*}; name=${t#*:}
    rep=$(sniffed_replies "$SNIFF" "$FANVIL_MAC" "$n" | jq -c '.[-1] // empty')
    if [[ -z $rep ]]; then
        fail "wire: no $name to $FANVIL_MAC captured"
        continue
    fi
    assert_eq "wire: $name option 66 is exactly the URL with literal \$mac" \
        "$(text_hex "$FANVIL_URL")" "$(jq -r '.options["66"] // ""' <<<"$rep")"
    assert_eq "wire: $name option 43 is exactly the URL with literal \$mac" \
        "$(text_hex "$FANVIL_URL")" "$(jq -r '.options["43"] // ""' <<<"$rep")"
    assert_eq "wire: $name yiaddr" "$IP1" "$(jq -r .yiaddr <<<"$rep")"
    assert_not_contains "wire: $name BOOTP sname header must not carry the URL" \
        "$(jq -r .sname <<<"$rep")" "http"
done

L=$(leases_json "$CFG" --mac "$FANVIL_MAC")
assert_eq "leases --mac $FANVIL_MAC: one lease" 1 "$(jq length <<<"$L")"
assert_eq "leases: Fanvil lease mac (lowercase colon form)" "$FANVIL_MAC" "$(jq -r '.[0].mac' <<<"$L")"
assert_eq "leases: Fanvil lease ip" "$IP1" "$(jq -r '.[0].ip' <<<"$L")"
assert_eq "leases: Fanvil lease state" bound "$(jq -r '.[0].state' <<<"$L")"
assert_eq "leases: Fanvil lease class" fanvil "$(jq -r '.[0].class' <<<"$L")"
assert_eq "leases: Fanvil lease subnet" 192.0.2.0/24 "$(jq -r '.[0].subnet' <<<"$L")"
assert_ne "leases: Fanvil lease has an expiry" "null" "$(jq -r '.[0].expires' <<<"$L")"
assert_eq "leases --state bound --ip $IP1 finds it" "$FANVIL_MAC" \
    "$(leases_json "$CFG" --state bound --ip "$IP1" | jq -r '.[0].mac // ""')"

# --- 2. non-Fanvil client on a second MAC: address, but no 66/43
log "udhcpc on mv1 ($OTHER_MAC, not Fanvil)"
# shellcheck disable=SC2086
if ! run_fg ip netns exec "$CLINS" timeout 30 $UDHCPC -f -q -n -i mv1 -s "$SCRIPT" -O 66 -O 43 -t 5 -T 2 \
    >"$TMPD/udhcpc.mv1.log" 2>&1; then
    fatal "non-Fanvil client got no lease: $(tail -n 5 "$TMPD/udhcpc.mv1.log" | tr '\n' '|')"
fi
IP2=$(env_value "$OUT/mv1.bound.env" ip)
if ip_in_range "$IP2" "$POOL_FIRST" "$POOL_LAST"; then
    pass "non-Fanvil client address $IP2 is in the pool"
else
    fail "non-Fanvil client address '$IP2' not in pool"
fi
assert_ne "non-Fanvil client got a different address than the Fanvil one" "$IP1" "$IP2"
assert_eq "non-Fanvil client: no option 66 (tftp) in udhcpc env" "" "$(env_value "$OUT/mv1.bound.env" tftp)"
assert_eq "non-Fanvil client: no option 43 in udhcpc env" "" "$(env_value "$OUT/mv1.bound.env" opt43)"
rep=$(sniffed_replies "$SNIFF" "$OTHER_MAC" 5 | jq -c '.[-1] // empty')
if [[ -n $rep ]]; then
    assert_eq "wire: ACK to non-Fanvil carries no option 66" "" "$(jq -r '.options["66"] // ""' <<<"$rep")"
    assert_eq "wire: ACK to non-Fanvil carries no option 43" "" "$(jq -r '.options["43"] // ""' <<<"$rep")"
else
    fail "wire: no ACK to $OTHER_MAC captured"
fi
L2=$(leases_json "$CFG" --mac "$OTHER_MAC")
assert_eq "leases: non-Fanvil lease state" bound "$(jq -r '.[0].state // ""' <<<"$L2")"
assert_eq "leases: non-Fanvil lease ip" "$IP2" "$(jq -r '.[0].ip // ""' <<<"$L2")"

# --- 3. renew (SIGUSR1): unicast REQUEST with ciaddr, same address
log "renew: SIGUSR1 to udhcpc"
EXP_BEFORE=$(jq -r '.[0].expires' <<<"$L")
kill -USR1 "$UD1"
wait_for "[[ -s '$OUT/cli0.renew.env' ]]" 20 "udhcpc renew" ||
    fail "renew: udhcpc got no ACK to its renewing REQUEST: $(tail -n 3 "$TMPD/udhcpc.cli0.log" | tr '\n' '|')"
if [[ -s $OUT/cli0.renew.env ]]; then
    assert_eq "renew: same address" "$IP1" "$(env_value "$OUT/cli0.renew.env" ip)"
    assert_eq "renew: option 43 still sent" "$FANVIL_URL" "$(hex_to_text "$(env_value "$OUT/cli0.renew.env" opt43)")"
fi
req=$(jq -s -c --arg m "$FANVIL_MAC" --arg ip "$IP1" \
    '[.[] | select(.op == 1 and .type == 3 and .chaddr == $m and .ciaddr == $ip)] | .[-1] // empty' "$SNIFF")
if [[ -n $req ]]; then
    pass "renew: udhcpc sent a renewing REQUEST (ciaddr=$IP1, to $(jq -r .dst <<<"$req"))"
else
    fail "renew: no REQUEST with ciaddr=$IP1 captured"
fi
L=$(leases_json "$CFG" --mac "$FANVIL_MAC")
assert_eq "renew: lease still bound" bound "$(jq -r '.[0].state' <<<"$L")"
assert_eq "renew: lease ip unchanged" "$IP1" "$(jq -r '.[0].ip' <<<"$L")"
log "expires before renew: $EXP_BEFORE, after: $(jq -r '.[0].expires' <<<"$L")"

# --- 4. release (SIGUSR2): lease released, address freed
log "release: SIGUSR2 to udhcpc"
kill -USR2 "$UD1"
if wait_for "[[ -z \$(bound_ip '$CFG' '$FANVIL_MAC') ]]" 15 "lease of $FANVIL_MAC to leave state bound"; then
    pass "release: no bound lease left for $FANVIL_MAC"
else
    fail "release: $FANVIL_MAC still bound after DHCPRELEASE"
fi
rel=$(leases_json "$CFG" --mac "$FANVIL_MAC" | jq -r '.[0].state // "none"')
if [[ $rel == released || $rel == none ]]; then
    pass "release: lease state is '$rel'"
else
    fail "release: lease state is '$rel', expected released (or no lease)"
fi
assert_eq "release: leases --state released lists it" "$FANVIL_MAC" \
    "$(leases_json "$CFG" --state released | jq -r --arg m "$FANVIL_MAC" '[.[] | select(.mac == $m)][0].mac // ""')"
assert_eq "release: leases --state bound --ip $IP1 is empty" 0 \
    "$(leases_json "$CFG" --state bound --ip "$IP1" | jq length)"

# --- 5. an admin's release (`autoprov lease release`, another process)
# reaches the running server's lease table: it reads the admin events out
# of the event log once a second.
"$AUTOPROV_BIN" lease release "$OTHER_MAC" --config "$CFG" >"$TMPD/release.out" 2>&1
assert_eq "autoprov lease release $OTHER_MAC, exit status" 0 "$?"
if wait_for "grep -q 'mac=$OTHER_MAC.*lease changed by admin' '$SERVER_LOG'" 10 "the server to apply the admin release"; then
    pass "the running server applied the admin release of $OTHER_MAC"
else
    fail "the running server did not log the admin release of $OTHER_MAC: $(grep -c 'lease changed by admin' "$SERVER_LOG") such lines"
fi

kill -TERM "$UD1" 2>/dev/null
stop_server
log "server exited with status $SERVER_RC after SIGTERM"
finish
