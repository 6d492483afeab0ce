#!/usr/bin/env bash
# Refusals.
#  - `serve` exits non-zero within 20 s, naming the interface, when a listed
#    interface (a) has an IPv4 address outside every configured subnet,
#    (b) has no IPv4 address, (c) does not exist; and it never binds port 67.
#  - `check-config` exits 0 on a valid config and explains it (interface,
#    subnet, pool, class); exits non-zero naming the key path on invalid pools
#    (bad octet, reversed range, range outside the subnet).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

require ip ss jq autoprov

SRVNS=$NS_PREFIX-srv
CLINS=$NS_PREFIX-cli
DEADLINE=20

# Interface address 198.51.100.1/24; the config only has 192.0.2.0/24.
setup_pair "$SRVNS" "$CLINS" aprefuse0 cli0 198.51.100.1/24
# aprefuse1: up, but no IPv4 address at all (a veth pair inside the namespace)
ip link add aprefuse1 netns "$SRVNS" type veth peer name aprefuse2 netns "$SRVNS" ||
    fatal "cannot create aprefuse1"
ip -n "$SRVNS" link set aprefuse1 up
ip -n "$SRVNS" link set aprefuse2 up

SUBNET="    - subnet: 192.0.2.0/24
      pools:
        - 192.0.2.100-192.0.2.199"

# expect_refusal LABEL IFACE: serve must exit non-zero before DEADLINE and
# name IFACE on stderr, and must not have bound port 67.
expect_refusal() {
    local label=$1 ifc=$2 cfg=$TMPD/refuse.$2.yml err=$TMPD/refuse.$2.stderr rc pid bound=""
    write_config "$cfg" "$ifc" "$SUBNET"
    log "$label: autoprov serve with interface $ifc"
    ip netns exec "$SRVNS" "$AUTOPROV_BIN" serve --config "$cfg" >/dev/null 2>"$err" &
    pid=$!
    local i
    for ((i = 0; i < DEADLINE * 10; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        [[ -n $(ip netns exec "$SRVNS" ss -Huln 'sport = :67') ]] && bound=yes
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
        fail "$label: serve was still running after ${DEADLINE}s (it should refuse to start)"
        return
    fi
    wait "$pid"; rc=$?
    assert_ne "$label: serve exit status is non-zero" 0 "$rc"
    assert_contains "$label: stderr names the interface" "$(cat "$err")" "$ifc"
    assert_eq "$label: port 67 never bound" "" "$bound"
    log "$label: stderr was: $(tail -n 3 "$err" | tr '\n' ' ')"
}

expect_refusal "address outside every subnet" aprefuse0
expect_refusal "no IPv4 address" aprefuse1
expect_refusal "interface does not exist" apnosuch9

# --- check-config
cc() { # cc FILE: runs check-config, sets CC_RC and CC_OUT (stdout+stderr)
    CC_OUT=$("$AUTOPROV_BIN" check-config --config "$1" 2>&1); CC_RC=$?
}

GOOD=$TMPD/good.yml
write_config "$GOOD" aprefuse0 "$SUBNET"
cc "$GOOD"
assert_eq "check-config on a valid config exits 0" 0 "$CC_RC"
assert_contains "check-config explains the interface" "$CC_OUT" aprefuse0
assert_contains "check-config explains the subnet" "$CC_OUT" 192.0.2.0/24
assert_contains "check-config explains the pool" "$CC_OUT" 192.0.2.100-192.0.2.199
assert_contains "check-config explains the class" "$CC_OUT" fanvil

cc "$ROOT/autoprov.example.yml"
assert_eq "check-config on autoprov.example.yml exits 0" 0 "$CC_RC"

# bad_pool LABEL POOL: pool must be rejected naming dhcp.subnets[0].pools[0]
bad_pool() {
    local cfg=$TMPD/bad.$RANDOM.yml
    write_config "$cfg" aprefuse0 "    - subnet: 192.0.2.0/24
      pools:
        - $2"
    cc "$cfg"
    assert_ne "check-config rejects $1 ($2): exit status" 0 "$CC_RC"
    assert_contains "check-config rejects $1: names the key" "$CC_OUT" "dhcp.subnets[0].pools[0]"
    log "check-config said: $(head -n 3 <<<"$CC_OUT" | tr '\n' ' ')"
}
bad_pool "an invalid octet" 192.0.2.300-192.0.2.10
bad_pool "a reversed range" 192.0.2.199-192.0.2.100
bad_pool "a range outside its subnet" 198.51.100.10-198.51.100.20

finish
