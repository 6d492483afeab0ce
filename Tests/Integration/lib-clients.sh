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
