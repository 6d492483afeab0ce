#!/usr/bin/env bash
# `autoprov export-dhcp` against the real servers it writes for.
#  - one config, two classes (fanvil: OUI + vendor class, options 66 and 43
#    with a literal `$mac`, always sent; lab: one exact MAC, option 66 only
#    when asked for); a snippet per format, `$mac` kept literally;
#  - each snippet, placed as the admin is told to place it, passes the
#    server's own check (`kea-dhcp4 -t`, `dnsmasq --test`, `dhcpd -t`), and
#    a corrupted copy fails it (the checker really parses);
#  - Kea, dnsmasq and ISC dhcpd serve the snippet in a namespace: a Fanvil MAC gets
#    option 66 = the URL (on the wire) and 43 (udhcpc), also without asking
#    for them; the lab MAC gets its own 66; a client matched by its vendor
#    class gets a URL full of characters to escape, byte for byte; another
#    MAC gets an address and no 66/43;
#  - a value a syntax cannot carry is an error naming the class and option,
#    with nothing on stdout.
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require udhcpc ip ss jq python3 autoprov kea-dhcp4 dnsmasq dhcpd

SRVNS=$NS_PREFIX-srv
CLINS=$NS_PREFIX-cli
FANVIL_MAC=0c:38:3e:12:34:56    # asks for 66 and 43
FANVIL2_MAC=0c:38:3e:12:34:57   # asks for neither: always_send
LAB_MAC=02:00:00:00:00:20       # class lab (exact MAC), asks for 66
OTHER_MAC=02:00:00:00:00:01     # no class
TRICKY_MAC=02:00:00:00:00:30    # class tricky, by its vendor class (option 60)
# shellcheck disable=SC2016  # `$mac` is literal: the phone expands it
URL='http://192.0.2.1:8080/$mac.cfg'
LAB_URL='tftp://192.0.2.5/lab'
# Every character the three syntaxes treat specially (quotes, backslash,
# comma, hash, dollar), and a vendor class with regex characters.
# shellcheck disable=SC2016
TRICKY_URL='http://192.0.2.1:8080/a,b "q" \ #x/$mac.cfg'
TRICKY_VENDOR='Fan.vil (X)'
UDHCPC=$(udhcpc_cmd)

CFG=$TMPD/autoprov.yml
mkdir -p "$TMPD/store"
cat >"$CFG" <<EOF
store:
  path: $TMPD/store/autoprov.sqlite
dhcp:
  interfaces: [srv0]
  subnets:
    - subnet: 192.0.2.0/24
      pools: [192.0.2.100-192.0.2.199]
  classes:
    - name: fanvil
      match:
        oui: ["0c:38:3e"]
        vendor_class: ["Fanvil"]
      options:
        66: "$URL"
        43: "$URL"
      always_send: true
    - name: lab
      match:
        mac: ["$LAB_MAC"]
      options:
        66: "$LAB_URL"
      always_send: false
    - name: tricky
      match:
        vendor_class: ['$TRICKY_VENDOR']
      options:
        66: '$TRICKY_URL'
      always_send: true
EOF

grep -qF "66: '$TRICKY_URL'" "$CFG" || fatal "the config does not carry the tricky URL as written"

# --- 1. one snippet per format
for f in kea dnsmasq isc; do
    if "$AUTOPROV_BIN" export-dhcp --config "$CFG" --format "$f" >"$TMPD/snippet.$f" 2>"$TMPD/export.$f.stderr"; then
        pass "export-dhcp --format $f ($(wc -l <"$TMPD/snippet.$f") lines)"
    else
        fatal "export-dhcp --format $f failed: $(head -c 500 "$TMPD/export.$f.stderr")"
    fi
    # shellcheck disable=SC2016  # the literal text $mac
    assert_contains "$f snippet keeps \$mac literally in the URL" "$(cat "$TMPD/snippet.$f")" '8080/$mac.cfg'
    assert_eq "$f export: nothing on stderr" "" "$(cat "$TMPD/export.$f.stderr")"
done

# --- 2. each server's own checker, on the snippet placed as the header says

# Kea: the "client-classes" entry pasted into a Dhcp4 map.
kea_config() { # SNIPPET OUT
    {
        echo '{ "Dhcp4": {'
        cat "$1"
        cat <<EOF
,
    "interfaces-config": { "interfaces": [ "srv0" ], "dhcp-socket-type": "raw" },
    "lease-database": { "type": "memfile", "persist": true, "name": "$TMPD/kea/leases4.csv", "lfc-interval": 0 },
    "valid-lifetime": 3600,
    "subnet4": [ { "id": 1, "subnet": "192.0.2.0/24",
                   "pools": [ { "pool": "192.0.2.100 - 192.0.2.199" } ],
                   "option-data": [ { "name": "routers", "data": "192.0.2.1" } ] } ],
    "loggers": [ { "name": "kea-dhcp4", "severity": "INFO",
                   "output_options": [ { "output": "$TMPD/kea/kea.log" } ] } ]
} }
EOF
    } >"$2"
}
# ISC: the classes at the top level of dhcpd.conf, after a subnet.
isc_config() { # SNIPPET OUT
    {
        printf 'ddns-update-style none;\nauthoritative;\n'
        printf 'subnet 192.0.2.0 netmask 255.255.255.0 {\n  range 192.0.2.100 192.0.2.199;\n  option routers 192.0.2.1;\n}\n'
        cat "$1"
    } >"$2"
}
mkdir -p "$TMPD/kea"
# shellcheck disable=SC2317  # called as "${f}_check"
kea_check() { ip netns exec "$SRVNS" env KEA_PIDFILE_DIR="$TMPD/kea" KEA_LOCKFILE_DIR="$TMPD/kea" kea-dhcp4 -t "$1"; }
# shellcheck disable=SC2317
dnsmasq_check() { ip netns exec "$SRVNS" dnsmasq --test --conf-file="$1"; }
# shellcheck disable=SC2317
isc_check() { ip netns exec "$SRVNS" dhcpd -t -cf "$1" -lf "$TMPD/dhcpd.leases" -pf "$TMPD/dhcpd.pid"; }

# A corruption per format that a real parser must refuse.
corrupt() { # FORMAT IN OUT
    case $1 in
        kea) sed 's/substring(pkt4.mac,0,3) == 0x0c383e/substring(pkt4.mac,0,3) == 0x0c383e)/' "$2" >"$3" ;;
        dnsmasq) sed 's|\.cfg"$|.cfg|' "$2" >"$3" ;;
        isc) sed 's/substring(hardware, 1, 3) = 0c:38:3e/substring(hardware, 1, 3) = /' "$2" >"$3" ;;
    esac
    if cmp -s "$2" "$3"; then fatal "corrupt $1: the sed did not change the snippet (its format changed?)"; fi
}

setup_pair "$SRVNS" "$CLINS" srv0 cli0 192.0.2.1/24 "$FANVIL_MAC"
add_macvlan "$CLINS" cli0 mv1 "$OTHER_MAC"
add_macvlan "$CLINS" cli0 mv2 "$LAB_MAC"
add_macvlan "$CLINS" cli0 mv3 "$FANVIL2_MAC"
add_macvlan "$CLINS" cli0 mv4 "$TRICKY_MAC"

: >"$TMPD/dhcpd.leases"
kea_config "$TMPD/snippet.kea" "$TMPD/kea.json"
isc_config "$TMPD/snippet.isc" "$TMPD/dhcpd.conf"
cp "$TMPD/snippet.dnsmasq" "$TMPD/dnsmasq.conf"
for f in kea dnsmasq isc; do
    case $f in kea) file=$TMPD/kea.json ;; dnsmasq) file=$TMPD/dnsmasq.conf ;; isc) file=$TMPD/dhcpd.conf ;; esac
    if "${f}_check" "$file" >"$TMPD/check.$f.log" 2>&1; then
        pass "$f: the server's checker accepts the snippet"
    else
        fail "$f: the server's checker refuses the snippet: $(grep -iE 'error|fail|bad|missing|line' "$TMPD/check.$f.log" | head -n 3 | tr '\n' '|')"
    fi
    case $f in
        kea) corrupt kea "$TMPD/snippet.kea" "$TMPD/bad.snippet.kea"; kea_config "$TMPD/bad.snippet.kea" "$TMPD/bad.$f" ;;
        dnsmasq) corrupt dnsmasq "$TMPD/snippet.dnsmasq" "$TMPD/bad.$f" ;;
        isc) corrupt isc "$TMPD/snippet.isc" "$TMPD/bad.snippet.isc"; isc_config "$TMPD/bad.snippet.isc" "$TMPD/bad.$f" ;;
    esac
    if "${f}_check" "$TMPD/bad.$f" >"$TMPD/check.bad.$f.log" 2>&1; then
        fail "$f: negative control: the checker accepted a corrupted snippet (it does not parse what it is given)"
    else
        pass "$f: negative control: the checker refuses a corrupted snippet"
    fi
done

# --- 3. the servers, serving the snippet, and real clients

OUT=$TMPD/udhcpc
SCRIPT=$TMPD/udhcpc.script
SNIFF=""
SRV_PID=""

# own_port67: the server's own pid has UDP port 67 in the server namespace.
# shellcheck disable=SC2317  # called from wait_for's eval
own_port67() { ip netns exec "$SRVNS" ss -Hulpn 'sport = :67' 2>/dev/null | grep -q "pid=$SRV_PID,"; }

stop_srv() {
    [[ -n $SRV_PID ]] || return 0
    kill -TERM "$SRV_PID" 2>/dev/null
    wait_for "! kill -0 $SRV_PID" 10 "server $SRV_PID to exit" || kill -KILL "$SRV_PID" 2>/dev/null
    wait "$SRV_PID" 2>/dev/null
    SRV_PID=""
}

# client NAME IFACE MAC [udhcpc -O args...]: one DORA with udhcpc; sets ENV.
client() {
    local name=$1 ifc=$2 mac=$3; shift 3
    # shellcheck disable=SC2086  # UDHCPC may be "busybox udhcpc"
    if ! run_fg ip netns exec "$CLINS" timeout 30 $UDHCPC -f -q -n -i "$ifc" -s "$SCRIPT" "$@" -t 5 -T 2 \
        >"$TMPD/udhcpc.$name.$ifc.log" 2>&1; then
        fail "$name: udhcpc on $ifc got no lease: $(tail -n 5 "$TMPD/udhcpc.$name.$ifc.log" | tr '\n' '|')"
        ENV=/dev/null
        return 1
    fi
    ENV=$OUT/$ifc.bound.env
    wait_for "[[ -n \$(sniffed_replies '$SNIFF' '$mac' 5 | jq -c '.[-1] // empty') ]]" 5 "the ACK to $mac in the capture" ||
        fail "$name: no ACK to $mac captured on cli0"
    if ip_in_range "$(env_value "$ENV" ip)" 192.0.2.100 192.0.2.199; then
        pass "$name: $ifc leased $(env_value "$ENV" ip) from the pool"
    else
        fail "$name: $ifc address '$(env_value "$ENV" ip)' not in the pool"
    fi
}

# ack_option MAC CODE: hex of option CODE in the last ACK to MAC (empty if none).
ack_option() { sniffed_replies "$SNIFF" "$1" 5 | jq -r --arg c "$2" '.[-1].options[$c] // ""'; }

# check_clients NAME SUFFIX66: the four clients against the running server.
# dnsmasq ends option 66 with a NUL byte (SUFFIX66=00), as its header says.
check_clients() {
    local name=$1 nul=$2
    rm -rf "$OUT"; make_udhcpc_script "$SCRIPT" "$OUT"
    SNIFF=$TMPD/sniff.$name.jsonl
    start_sniffer "$CLINS" cli0 "$SNIFF"

    client "$name" cli0 "$FANVIL_MAC" -O 66 -O 43
    assert_eq "$name: Fanvil MAC: option 66 on the wire is the URL, \$mac literal" \
        "$(text_hex "$URL")$nul" "$(ack_option "$FANVIL_MAC" 66)"
    assert_eq "$name: Fanvil MAC: option 43 (udhcpc opt43) is the URL" "$URL" "$(hex_to_text "$(env_value "$ENV" opt43)")"
    assert_ne "$name: Fanvil MAC: udhcpc saw option 66 (tftp)" "" "$(env_value "$ENV" tftp)"

    client "$name" mv3 "$FANVIL2_MAC"
    prl=$(jq -s -r --arg m "$FANVIL2_MAC" '[.[] | select(.op == 1 and .chaddr == $m)][-1].options["55"] // ""' "$SNIFF")
    if [[ -n $prl && ! $prl =~ ^(..)*(42|2b) ]]; then
        pass "$name: the second Fanvil client asked for neither 66 nor 43 (option 55: $prl)"
    else
        fail "$name: the second Fanvil client's option 55 '$prl' lists 66 or 43: the always_send check proves nothing"
    fi
    assert_eq "$name: Fanvil MAC not asking for 66: sent anyway (always_send)" \
        "$(text_hex "$URL")$nul" "$(ack_option "$FANVIL2_MAC" 66)"
    assert_eq "$name: Fanvil MAC not asking for 43: sent anyway (always_send)" \
        "$(text_hex "$URL")" "$(ack_option "$FANVIL2_MAC" 43)"

    client "$name" mv2 "$LAB_MAC" -O 66
    assert_eq "$name: lab MAC (second class): its own option 66" \
        "$(text_hex "$LAB_URL")$nul" "$(ack_option "$LAB_MAC" 66)"
    assert_eq "$name: lab MAC: no option 43" "" "$(ack_option "$LAB_MAC" 43)"

    client "$name" mv4 "$TRICKY_MAC" -V "$TRICKY_VENDOR phone 1.0"
    assert_eq "$name: option 60 '$TRICKY_VENDOR phone 1.0' (third class): option 66 with quotes, backslash, comma, # and \$ intact" \
        "$(text_hex "$TRICKY_URL")$nul" "$(ack_option "$TRICKY_MAC" 66)"

    client "$name" mv1 "$OTHER_MAC" -O 66 -O 43
    assert_eq "$name: other MAC: no option 66 on the wire" "" "$(ack_option "$OTHER_MAC" 66)"
    assert_eq "$name: other MAC: no option 66 (tftp) in udhcpc env" "" "$(env_value "$ENV" tftp)"
    assert_eq "$name: other MAC: no option 43 in udhcpc env" "" "$(env_value "$ENV" opt43)"
}

log "Kea serving the snippet on srv0"
ip netns exec "$SRVNS" env KEA_PIDFILE_DIR="$TMPD/kea" KEA_LOCKFILE_DIR="$TMPD/kea" \
    kea-dhcp4 -c "$TMPD/kea.json" >"$TMPD/kea/stdout.log" 2>&1 &
SRV_PID=$!
bg_track "$SRV_PID"
if ! wait_for "! kill -0 $SRV_PID || { own_port67 && grep -q DHCP4_STARTED '$TMPD/kea/kea.log'; }" 20 "kea-dhcp4 to listen" ||
    ! kill -0 "$SRV_PID" 2>/dev/null; then
    fatal "kea-dhcp4 did not start: $(tail -n 5 "$TMPD/kea/kea.log" "$TMPD/kea/stdout.log" 2>/dev/null | tr '\n' '|')"
fi
check_clients kea ""
stop_srv

log "dnsmasq serving the snippet on srv0"
mkdir -p "$TMPD/dnsmasq"
ip netns exec "$SRVNS" dnsmasq --no-daemon --port=0 --interface=srv0 --bind-interfaces --conf-file="$TMPD/dnsmasq.conf" \
    --dhcp-range=192.0.2.100,192.0.2.199,255.255.255.0,1h --dhcp-option=3,192.0.2.1 \
    --dhcp-leasefile="$TMPD/dnsmasq/leases" --pid-file="$TMPD/dnsmasq/pid" --log-dhcp \
    --log-facility="$TMPD/dnsmasq/dnsmasq.log" >"$TMPD/dnsmasq/stdout.log" 2>&1 &
SRV_PID=$!
bg_track "$SRV_PID"
if ! wait_for "! kill -0 $SRV_PID || own_port67" 20 "dnsmasq to listen" || ! kill -0 "$SRV_PID" 2>/dev/null; then
    fatal "dnsmasq did not start: $(tail -n 5 "$TMPD/dnsmasq/stdout.log" "$TMPD/dnsmasq/dnsmasq.log" 2>/dev/null | tr '\n' '|')"
fi
check_clients dnsmasq 00
stop_srv

log "ISC dhcpd serving the snippet on srv0"
: >"$TMPD/dhcpd.leases"
ip netns exec "$SRVNS" dhcpd -d -4 -cf "$TMPD/dhcpd.conf" -lf "$TMPD/dhcpd.leases" -pf "$TMPD/dhcpd.pid" srv0 \
    >"$TMPD/dhcpd.log" 2>&1 &
SRV_PID=$!
bg_track "$SRV_PID"
if ! wait_for "! kill -0 $SRV_PID || own_port67" 20 "dhcpd to listen" || ! kill -0 "$SRV_PID" 2>/dev/null; then
    fatal "dhcpd did not start: $(tail -n 5 "$TMPD/dhcpd.log" 2>/dev/null | tr '\n' '|')"
fi
check_clients isc ""
stop_srv

# --- 4. values a syntax cannot carry: an error naming class and option, no output
BAD=$TMPD/bad.yml
sed -e 's/^        66: "tftp:.*$/        66: "0x0041ff"/' "$CFG" >"$BAD"
for f in dnsmasq isc; do
    out=$("$AUTOPROV_BIN" export-dhcp --config "$BAD" --format "$f" 2>"$TMPD/bad.$f.stderr"); rc=$?
    assert_ne "$f: a binary option 66 is refused (exit status)" 0 "$rc"
    assert_eq "$f: nothing on stdout when refused" "" "$out"
    assert_contains "$f: the error names the class and the option" "$(cat "$TMPD/bad.$f.stderr")" 'class "lab", option 66'
done
if out=$("$AUTOPROV_BIN" export-dhcp --config "$BAD" --format kea 2>"$TMPD/bad.kea.stderr"); then
    assert_contains "kea: the same value goes as hex bytes" "$out" '"data": "0041ff"'
else
    fail "kea: export of a binary option 66 failed: $(cat "$TMPD/bad.kea.stderr")"
fi
if "$AUTOPROV_BIN" export-dhcp --config "$CFG" --format bind >/dev/null 2>&1; then
    fail "an unknown format is accepted"
else
    pass "an unknown format is refused"
fi

finish
