# shellcheck shell=bash
# Client-side helpers for the integration tests (sourced by lib.sh): what
# the DHCP clients saw, the scripts they run, the packet sniffer, perfdhcp's
# report. NETWORK SAFETY as in lib.sh: only inside the test's namespaces.

ip2int() {
    local IFS=.
    # shellcheck disable=SC2086
    set -- $1
    echo $(( ($1 << 24) | ($2 << 16) | ($3 << 8) | $4 ))
}

# ip_in_range IP FIRST LAST
ip_in_range() {
    [[ $1 =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$ ]] || return 1
    local i f l
    i=$(ip2int "$1"); f=$(ip2int "$2"); l=$(ip2int "$3")
    ((i >= f && i <= l))
}

# env_value FILE NAME: value of NAME=... in an `env` dump (first match).
env_value() {
    grep -m1 "^$2=" "$1" 2>/dev/null | cut -d= -f2-
}

# run_fg CMD...: run CMD and wait for it. Unlike a plain foreground command,
# `wait` is interrupted by SIGTERM/SIGINT, so a scenario timeout still runs
# the cleanup trap (which kills whatever is left in our namespaces).
run_fg() {
    "$@" &
    wait $!
}

# bg PID: remember a background pid for cleanup.
bg_track() { BG_PIDS+=("$1"); }

# hex_to_text HEX: decode hex digits (any separators) to text.
hex_to_text() {
    local h=${1//[^0-9a-fA-F]/}
    python3 -c 'import sys; sys.stdout.write(bytes.fromhex(sys.argv[1]).decode("latin-1"))' "$h"
}

clean_stale_namespaces

# ---------------------------------------------------------------- clients ---

# make_udhcpc_script PATH OUTDIR: a udhcpc -s script that dumps its
# environment to OUTDIR/<iface>.<event>.env (latest) and .<event>.<ns>.env
# (every call), and configures/flushes the address so unicast renew/release
# work. Runs inside the client namespace only.
make_udhcpc_script() {
    local path=$1 out=$2
    mkdir -p "$out"
    cat >"$path" <<EOF
#!/bin/sh
f="$out/\$interface.\$1"
env | sort > "\$f.\$(date +%s%N).env"
env | sort > "\$f.env.tmp" && mv "\$f.env.tmp" "\$f.env"
case "\$1" in
    deconfig) ip addr flush dev "\$interface" ;;
    bound|renew)
        ip addr flush dev "\$interface"
        ip addr add "\$ip/\${mask:-24}" dev "\$interface" ;;
esac
exit 0
EOF
    chmod +x "$path"
}

# make_dhclient_script PATH OUTDIR: a dhclient -sf script, same idea:
# OUTDIR/<iface>.<REASON>.env.
make_dhclient_script() {
    local path=$1 out=$2
    mkdir -p "$out"
    cat >"$path" <<EOF
#!/bin/sh
f="$out/\$interface.\$reason"
env | sort > "\$f.\$(date +%s%N).env"
env | sort > "\$f.env.tmp" && mv "\$f.env.tmp" "\$f.env"
case "\$reason" in
    PREINIT) ip link set dev "\$interface" up ;;
    BOUND|RENEW|REBIND|REBOOT)
        ip addr flush dev "\$interface"
        ip addr add "\$new_ip_address/\$new_subnet_mask" dev "\$interface" ;;
    RELEASE|EXPIRE|STOP|FAIL|RELEASE6) ip addr flush dev "\$interface" ;;
esac
exit 0
EOF
    chmod +x "$path"
}

# start_sniffer NS IFACE OUTFILE: capture DHCP packets (JSON lines) on IFACE.
start_sniffer() {
    local ns=$1 ifc=$2 out=$3
    : >"$out"
    ip netns exec "$ns" python3 "$LIB_DIR/dhcpsniff.py" "$ifc" "$out" 2>"$out.stderr" &
    bg_track $!
    wait_for "grep -q sniffing '$out.stderr'" 10 "packet sniffer on $ifc" ||
        fatal "sniffer did not start: $(cat "$out.stderr")"
}

# sniffed_replies FILE MAC TYPE: JSON array of server replies (op 2) of DHCP
# message TYPE (2 OFFER, 5 ACK, 6 NAK) to MAC, in capture order.
sniffed_replies() {
    jq -s -c --arg m "$2" --argjson t "$3" \
        '[.[] | select(.op == 2 and .type == $t and .chaddr == $m)]' "$1"
}

# text_hex TEXT: hex encoding of TEXT (lowercase), as the sniffer prints.
text_hex() { printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n'; }

# perfdhcp_stat FILE EXCHANGE FIELD: a number from perfdhcp's final report,
# e.g. perfdhcp_stat out DISCOVER-OFFER "sent packets". Empty if missing.
perfdhcp_stat() {
    awk -v ex="$2" -v field="$3" '
        /^\*\*\*Statistics for: / { sec = $0; sub(/^\*\*\*Statistics for: /, "", sec); sub(/\*\*\*$/, "", sec) }
        sec == ex && index($0, field ": ") == 1 { v = substr($0, length(field) + 3); sub(/[ %].*$/, "", v); val = v }
        END { print val }' "$1"
}

# udhcpc_lease NS IFACE SCRIPT OUTDIR: a long-running udhcpc (-f) on IFACE
# with a make_udhcpc_script SCRIPT; waits (20 s) for its lease. Sets
# LEASE_IP and UDHCPC_PID (tracked for cleanup); fatal without a lease.
udhcpc_lease() {
    local ns=$1 ifc=$2 script=$3 out=$4
    # shellcheck disable=SC2046  # udhcpc_cmd may be "busybox udhcpc"
    ip netns exec "$ns" $(udhcpc_cmd) -f -i "$ifc" -s "$script" -t 5 -T 2 -A 3 >"$TMPD/udhcpc.$ifc.log" 2>&1 &
    UDHCPC_PID=$!
    bg_track "$UDHCPC_PID"
    wait_for "[[ -s '$out/$ifc.bound.env' ]]" 20 "udhcpc on $ifc bound" ||
        fatal "udhcpc on $ifc got no lease: $(tail -n 5 "$TMPD/udhcpc.$ifc.log" | tr '\n' '|')"
    # shellcheck disable=SC2034  # used by the t-*.sh scripts
    LEASE_IP=$(env_value "$out/$ifc.bound.env" ip)
}

# http_req NS [CURL ARGS...]: one HTTP request by curl from inside NS. Sets
# HTTP_CODE (000 if curl failed; curl's message in $TMPD/http.stderr); the
# last response's headers are in $TMPD/http.headers, its body in
# $TMPD/http.body (both replaced by every call).
http_req() {
    local ns=$1; shift
    : >"$TMPD/http.headers"; : >"$TMPD/http.body"
    # shellcheck disable=SC2034  # used by the t-*.sh scripts
    HTTP_CODE=$(ip netns exec "$ns" curl -sS --max-time 10 -D "$TMPD/http.headers" -o "$TMPD/http.body" \
        -w '%{http_code}' "$@" 2>"$TMPD/http.stderr") || HTTP_CODE=000
}

# http_header NAME: the values of header NAME (any case) in the last response
# of http_req (after a 401 + retry, the final one), one per line, in order.
http_header() {
    tr -d '\r' <"$TMPD/http.headers" | awk -v n="${1,,}" '
        /^HTTP\// { k = 0; delete v; next }
        { i = index($0, ":") } i && tolower(substr($0, 1, i - 1)) == n { s = substr($0, i + 1); sub(/^ */, "", s); v[++k] = s }
        END { for (j = 1; j <= k; j++) print v[j] }'
}

# expect_http DESC CODE: the last http_req answered CODE (else a failure
# showing what came back).
expect_http() {
    if [[ $HTTP_CODE == "$2" ]]; then
        pass "$1: HTTP $2"
    else
        fail "$1: expected HTTP $2, got $HTTP_CODE: $(head -c 300 "$TMPD/http.body" | tr '\n' ' ')$(head -c 200 "$TMPD/http.stderr")"
        return 1
    fi
}

# http_raw NS SRC_IP HOST PORT REQUEST: send REQUEST (raw bytes, CRLFs
# included) over TCP from SRC_IP inside NS; print the raw response, read
# until the server closes (10 s limit). For what curl would not send or
# would hide (a HEAD response's body). REQUEST's bytes are sent as they are.
http_raw() {
    ip netns exec "$1" python3 -c '
import os, socket, sys
s = socket.create_connection((sys.argv[2], int(sys.argv[3])), timeout=10, source_address=(sys.argv[1], 0))
s.sendall(os.fsencode(sys.argv[4]))
data = b""
try:
    while chunk := s.recv(65536):
        data += chunk
except socket.timeout:
    pass
sys.stdout.buffer.write(data)' "$2" "$3" "$4" "$5"
}
