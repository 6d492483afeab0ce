# shellcheck shell=bash
# CPU confinement for one process (the server under test), for scenarios
# that need the server's capacity small and known whatever else the machine
# is doing. Source after lib.sh:
#
#   . "$LIB_DIR/cpulimit.sh"
#   cpulimit_setup autoprov-test-$$ 10      # 10 % of one CPU; fatal if impossible
#   cpulimit_add "$SERVER_PID"              # after start_server
#
# Supports the cgroup v1 `cpu` controller (cpu.cfs_quota_us and
# cpu.cfs_period_us) and cgroup v2 (cpu.max), whichever is mounted with the
# cpu controller available. The group is removed at exit: the EXIT trap set
# here moves any process still in it back to the parent group, removes the
# directory, then runs lib-netns.sh's netns_cleanup (which stops the server).
# Only groups named autoprov-test-<pid> are ever created or removed.

CPULIMIT_KIND=""     # v1 | v2
CPULIMIT_DIR=""      # the group's directory
CPULIMIT_PARENT=""   # where processes go back to

# _cpulimit_v1_root: mount point of a cgroup v1 hierarchy with `cpu`.
_cpulimit_v1_root() {
    awk '$3 == "cgroup" { n = split($4, o, ","); for (i = 1; i <= n; i++) if (o[i] == "cpu") { print $2; exit } }' /proc/mounts
}

# _cpulimit_v2_root: mount point of a cgroup2 hierarchy whose root offers `cpu`.
_cpulimit_v2_root() {
    local m
    while read -r m; do
        if grep -qw cpu "$m/cgroup.controllers" 2>/dev/null; then
            echo "$m"
            return 0
        fi
    done < <(awk '$3 == "cgroup2" { print $2 }' /proc/mounts)
    return 1
}

# Remove autoprov-test-<pid> groups left by runs whose pid is gone.
_cpulimit_clean_stale() {
    local root=$1 d pid
    for d in "$root"/autoprov-test-*; do
        [[ -d $d ]] || continue
        pid=${d##*-}
        [[ $pid =~ ^[0-9]+$ ]] || continue
        kill -0 "$pid" 2>/dev/null && continue
        _cpulimit_empty "$d" "$root"
        rmdir "$d" 2>/dev/null && log "removed stale cgroup $d"
    done
}

# _cpulimit_empty DIR PARENT: move every process of DIR to PARENT.
_cpulimit_empty() {
    local p
    while read -r p; do
        echo "$p" >"$2/cgroup.procs" 2>/dev/null
    done 2>/dev/null <"$1/cgroup.procs"
}

# cpulimit_setup NAME PERCENT [PERIOD_US]: create group NAME allowing
# PERCENT % of one CPU (quota = PERIOD_US * PERCENT / 100 per period).
# Fatal, naming what was tried, when neither cgroup flavour works.
cpulimit_setup() {
    local name=$1 pct=$2 period=${3:-20000} quota root why=()
    quota=$(((period * pct + 50) / 100))
    ((quota >= 1000)) || fatal "cpulimit: quota ${quota}us < 1000us (raise the period or the percentage)"

    root=$(_cpulimit_v1_root)
    if [[ -n $root && -w $root/cpu.cfs_quota_us ]]; then
        _cpulimit_clean_stale "$root"
        if mkdir "$root/$name" 2>/dev/null || [[ -d $root/$name ]]; then
            CPULIMIT_DIR=$root/$name
            CPULIMIT_PARENT=$root
            CPULIMIT_KIND=v1
            if echo "$period" >"$CPULIMIT_DIR/cpu.cfs_period_us" &&
               echo "$quota" >"$CPULIMIT_DIR/cpu.cfs_quota_us"; then
                log "cpulimit: cgroup v1 $CPULIMIT_DIR: cfs_quota_us=$quota cfs_period_us=$period ($pct % of one CPU)"
                return 0
            fi
            why+=("v1 $root: cannot write cpu.cfs_quota_us/cpu.cfs_period_us")
            rmdir "$CPULIMIT_DIR" 2>/dev/null
            CPULIMIT_DIR="" CPULIMIT_KIND=""
        else
            why+=("v1 $root: mkdir $name failed")
        fi
    else
        why+=("no writable cgroup v1 hierarchy with the cpu controller")
    fi

    root=$(_cpulimit_v2_root)
    if [[ -n $root ]]; then
        _cpulimit_clean_stale "$root"
        if ! grep -qw cpu "$root/cgroup.subtree_control" 2>/dev/null; then
            echo +cpu >"$root/cgroup.subtree_control" 2>/dev/null
        fi
        if ! grep -qw cpu "$root/cgroup.subtree_control" 2>/dev/null; then
            why+=("v2 $root: cannot enable +cpu in cgroup.subtree_control")
        elif mkdir "$root/$name" 2>/dev/null || [[ -d $root/$name ]]; then
            CPULIMIT_DIR=$root/$name
            CPULIMIT_PARENT=$root
            CPULIMIT_KIND=v2
            if echo "$quota $period" >"$CPULIMIT_DIR/cpu.max"; then
                log "cpulimit: cgroup v2 $CPULIMIT_DIR: cpu.max='$quota $period' ($pct % of one CPU)"
                return 0
            fi
            why+=("v2 $root: cannot write cpu.max")
            rmdir "$CPULIMIT_DIR" 2>/dev/null
            CPULIMIT_DIR="" CPULIMIT_KIND=""
        else
            why+=("v2 $root: mkdir $name failed")
        fi
    else
        why+=("no cgroup2 mount offering the cpu controller (cgroup.controllers)")
    fi
    fatal "cpulimit: cannot confine the server's CPU: $(IFS=';'; echo "${why[*]}")"
}

# cpulimit_add PID: move PID (all its threads) into the group; fatal unless
# every thread of PID is then in it.
cpulimit_add() {
    local pid=$1 rel t bad=0
    [[ -n $CPULIMIT_DIR ]] || fatal "cpulimit_add: no group (call cpulimit_setup)"
    echo "$pid" >"$CPULIMIT_DIR/cgroup.procs" || fatal "cpulimit: cannot move pid $pid into $CPULIMIT_DIR"
    rel=${CPULIMIT_DIR#"$CPULIMIT_PARENT"}
    for t in /proc/"$pid"/task/*; do
        if [[ $CPULIMIT_KIND == v1 ]]; then
            grep -Eq "^[0-9]+:([^:]*,)?cpu(,[^:]*)?:$rel\$" "$t/cgroup" 2>/dev/null || bad=$((bad + 1))
        else
            grep -q "^0::.*$rel\$" "$t/cgroup" 2>/dev/null || bad=$((bad + 1))
        fi
    done
    ((bad == 0)) || fatal "cpulimit: $bad thread(s) of pid $pid are not in $CPULIMIT_DIR"
    log "cpulimit: pid $pid ($(find /proc/"$pid"/task -mindepth 1 -maxdepth 1 | wc -l) threads) confined in $CPULIMIT_DIR"
}

# cpulimit_throttled: "nr_throttled=N throttled_ms=M" for the group so far.
cpulimit_throttled() {
    local f=$CPULIMIT_DIR/cpu.stat
    if [[ $CPULIMIT_KIND == v1 ]]; then
        awk '$1 == "nr_throttled" { n = $2 } $1 == "throttled_time" { t = $2 / 1e6 }
             END { printf "nr_throttled=%d throttled_ms=%d", n, t }' "$f"
    else
        awk '$1 == "nr_throttled" { n = $2 } $1 == "throttled_usec" { t = $2 / 1e3 }
             END { printf "nr_throttled=%d throttled_ms=%d", n, t }' "$f"
    fi
}

# cpulimit_teardown: empty and remove the group (idempotent).
cpulimit_teardown() {
    [[ -n $CPULIMIT_DIR && -d $CPULIMIT_DIR ]] || return 0
    local _
    for _ in 1 2 3 4 5 6 7 8 9 10; do
        _cpulimit_empty "$CPULIMIT_DIR" "$CPULIMIT_PARENT"
        rmdir "$CPULIMIT_DIR" 2>/dev/null && { CPULIMIT_DIR=""; return 0; }
        sleep 0.1
    done
    log "cpulimit: WARNING: could not remove $CPULIMIT_DIR" >&3
    return 1
}

# Chain in front of lib-netns.sh's netns_cleanup, keeping the exit status for it.
# shellcheck disable=SC2154  # _cpulimit_rc is assigned inside the trap
trap '_cpulimit_rc=$?; cpulimit_teardown; (exit $_cpulimit_rc); netns_cleanup' EXIT
