# shellcheck shell=bash
# Network namespaces for the integration tests (lib.sh) and the benchmarks
# (bench/*.sh): creating them, veth pairs inside them, polling with a
# deadline, and the exit trap that stops what the script started and
# deletes its namespaces. Source it after defining `log MSG` and
# `fatal MSG` (a message; a message and exit 1); set NS_BASE (the owner's
# name prefix: apt, apbench) and TMPD first.
#
# NETWORK SAFETY: every namespace is named NS_BASE-<pid>[-...], created here
# and deleted on exit; veth pairs are created directly inside them, never
# in the host namespace. Nothing here touches an interface of the host.

NS_BASE=${NS_BASE:-apt}
# shellcheck disable=SC2034  # used by the scripts that source this
NS_PREFIX="$NS_BASE-$$"       # owner pid is part of every namespace name
NAMESPACES=()                 # namespaces created by this run

# fd 3: the script's original stdout, for messages printed from traps
# (a trap can fire while a redirected command is running).
exec 3>&1

# wait_for CMD DEADLINE_SECONDS DESCRIPTION
# Polls CMD (a string, eval'd) every 0.1 s until it succeeds or the deadline
# passes. Returns 0 on success; prints a message and returns 1 on timeout.
wait_for() {
    local cmd=$1 deadline=$2 desc=$3
    local end
    end=$(awk -v n="$EPOCHREALTIME" -v d="$deadline" 'BEGIN{printf "%.3f", n + d}')
    while :; do
        if eval "$cmd" >/dev/null 2>&1; then
            return 0
        fi
        if awk -v n="$EPOCHREALTIME" -v e="$end" 'BEGIN{exit !(n >= e)}'; then
            log "timed out after ${deadline}s waiting for: $desc"
            return 1
        fi
        sleep 0.1
    done
}

# stop_pid PID [SIGNAL [SECONDS]]: send SIGNAL (TERM), wait up to SECONDS
# (5) for PID to exit, then SIGKILL it. Nothing to do without a live PID.
stop_pid() {
    local pid=${1:-} sig=${2:-TERM} secs=${3:-5} _
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
    kill "-$sig" "$pid" 2>/dev/null
    for _ in $(seq 1 $((secs * 10))); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    return 0
}

# kill_ns_processes NS: SIGKILL every process left inside NS (ours only:
# the namespace was created by this script).
kill_ns_processes() {
    local p
    for p in $(ip netns pids "$1" 2>/dev/null); do
        kill -KILL "$p" 2>/dev/null
    done
}

# delete_namespaces: every namespace this run created, and what is left in them.
delete_namespaces() {
    local ns
    for ns in "${NAMESPACES[@]}"; do
        kill_ns_processes "$ns"
        ip netns del "$ns" 2>/dev/null
    done
    NAMESPACES=()
}

# clean_stale_namespaces: delete NS_BASE-<pid>-* namespaces whose owner pid
# is gone (an earlier run killed without its trap).
clean_stale_namespaces() {
    local ns pid
    while read -r ns _; do
        [[ $ns =~ ^$NS_BASE-([0-9]+)- ]] || continue
        pid=${BASH_REMATCH[1]}
        if ! kill -0 "$pid" 2>/dev/null; then
            kill_ns_processes "$ns"
            ip netns del "$ns" 2>/dev/null && log "removed stale namespace $ns"
        fi
    done < <(ip netns list 2>/dev/null)
}

ns_sysctl() { ip netns exec "$1" sysctl -qw "$2" >/dev/null 2>&1 || true; }

# new_ns NAME: create a namespace with lo up, IPv6 off, ARP/rp_filter tuned
# so several client interfaces on one link behave (each answers only for
# its own address).
new_ns() {
    local ns=$1
    ip netns add "$ns" || fatal "ip netns add $ns failed"
    NAMESPACES+=("$ns")
    ip -n "$ns" link set lo up
    ns_sysctl "$ns" net.ipv6.conf.all.disable_ipv6=1
    ns_sysctl "$ns" net.ipv6.conf.default.disable_ipv6=1
    ns_sysctl "$ns" net.ipv4.conf.all.rp_filter=0
    ns_sysctl "$ns" net.ipv4.conf.default.rp_filter=0
    ns_sysctl "$ns" net.ipv4.conf.all.arp_ignore=1
    ns_sysctl "$ns" net.ipv4.conf.all.arp_announce=2
}

# setup_pair SRVNS CLINS SRVIF CLIIF SRVADDR/PFX [CLIMAC]
# Creates both namespaces and a veth pair created directly inside them (never
# in the host namespace), assigns SRVADDR/PFX to SRVIF, optional CLIMAC to
# CLIIF, and brings everything up. CLIIF gets no address.
setup_pair() {
    local srvns=$1 clins=$2 srvif=$3 cliif=$4 srvaddr=$5 climac=${6:-}
    new_ns "$srvns"
    new_ns "$clins"
    ip link add "$srvif" netns "$srvns" type veth peer name "$cliif" netns "$clins" ||
        fatal "veth $srvif<->$cliif creation failed"
    if [[ -n $climac ]]; then
        ip -n "$clins" link set dev "$cliif" address "$climac" || fatal "cannot set MAC $climac"
    fi
    ip -n "$srvns" addr add "$srvaddr" dev "$srvif" || fatal "cannot add $srvaddr to $srvif"
    ip -n "$srvns" link set "$srvif" up
    ip -n "$clins" link set "$cliif" up
    ns_sysctl "$srvns" "net.ipv4.conf.$srvif.rp_filter=0"
    ns_sysctl "$clins" "net.ipv4.conf.$cliif.rp_filter=0"
    wait_for "ip -n '$clins' link show '$cliif' | grep -q 'state UP'" 10 "$cliif up" ||
        fatal "client interface $cliif did not come up"
}

# add_macvlan NS PARENT NAME MAC: an extra client interface (own MAC) on the
# same link as PARENT, inside NS.
add_macvlan() {
    local ns=$1 parent=$2 name=$3 mac=$4
    ip -n "$ns" link add link "$parent" name "$name" address "$mac" type macvlan mode bridge ||
        fatal "macvlan $name creation failed"
    ns_sysctl "$ns" "net.ipv4.conf.$name.rp_filter=0"
    ip -n "$ns" link set "$name" up
}

# ---------------------------------------------------------------- cleanup ---

# On exit (Ctrl-C and SIGTERM included): `stop_own_processes` if the script
# defines it (what it started outside its namespaces, or what must stop
# gracefully first), then every namespace of this run and what is left in
# it; $TMPD is kept after a failure or with KEEP_TMP=1, else removed.
netns_cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if declare -F stop_own_processes >/dev/null; then stop_own_processes; fi
    delete_namespaces
    if [[ -n ${TMPD:-} ]]; then
        if ((rc != 0)) || [[ -n ${KEEP_TMP:-} ]]; then
            log "artifacts kept in $TMPD" >&3
        else
            rm -rf "$TMPD"
        fi
    fi
    exit "$rc"
}
trap netns_cleanup EXIT
trap 'log "interrupted" >&3; exit 130' INT
trap 'log "terminated (timeout?)" >&3; exit 143' TERM
