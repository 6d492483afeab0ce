#!/usr/bin/env bash
# Run every Tests/Integration/t-*.sh in sequence, each under a timeout.
# Ends with the line "N passed, N failed"; exits non-zero if any failed.
# A missing prerequisite is a failure, never a skip.
#
#   sudo bash Tests/Integration/run.sh            # all scenarios
#   sudo bash Tests/Integration/run.sh t-udhcpc   # only the named ones
#
# Environment: AUTOPROV_BIN (default <repo>/.build/debug/autoprov),
# T_TIMEOUT (seconds per scenario, default 300), KEEP_TMP=1 keeps temp dirs.
set -u -o pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
export AUTOPROV_BIN=${AUTOPROV_BIN:-$ROOT/.build/debug/autoprov}
case $AUTOPROV_BIN in /*) ;; *) AUTOPROV_BIN=$ROOT/$AUTOPROV_BIN ;; esac
T_TIMEOUT=${T_TIMEOUT:-300}

# --- prerequisites: fail loudly
missing=()
for t in ip ss jq python3 timeout udhcpc dhclient perfdhcp; do
    if [[ $t == udhcpc ]]; then
        command -v udhcpc >/dev/null 2>&1 || busybox udhcpc --help >/dev/null 2>&1 || missing+=(udhcpc)
    else
        command -v "$t" >/dev/null 2>&1 || missing+=("$t")
    fi
done
[[ -x $AUTOPROV_BIN ]] || missing+=("autoprov binary at $AUTOPROV_BIN (build it or set AUTOPROV_BIN)")
((EUID == 0)) || missing+=("root privileges (network namespaces)")
if ((${#missing[@]})); then
    printf 'FATAL: missing prerequisite: %s\n' "${missing[@]}" >&2
    echo "0 passed, 1 failed"
    exit 1
fi
if ! "$AUTOPROV_BIN" serve --help >/dev/null 2>&1; then
    echo "FATAL: $AUTOPROV_BIN serve --help fails" >&2
    echo "0 passed, 1 failed"
    exit 1
fi

# --- scenarios
scripts=()
if (($#)); then
    for n in "$@"; do
        n=${n%.sh}
        [[ -f $HERE/$n.sh ]] || { echo "FATAL: no scenario $n" >&2; echo "0 passed, 1 failed"; exit 1; }
        scripts+=("$HERE/$n.sh")
    done
else
    for s in "$HERE"/t-*.sh; do scripts+=("$s"); done
fi

passed=0 failed=0 results=()
for s in "${scripts[@]}"; do
    name=$(basename "$s" .sh)
    echo "=== $name"
    start=$EPOCHREALTIME
    timeout -k 15 "$T_TIMEOUT" bash "$s" 2>&1
    rc=$?
    secs=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.1f", b - a}')
    if ((rc == 0)); then
        passed=$((passed + 1)); results+=("PASS  $name (${secs}s)")
    else
        why="exit $rc"
        ((rc == 124 || rc == 137)) && why="timed out after ${T_TIMEOUT}s"
        failed=$((failed + 1)); results+=("FAIL  $name ($why, ${secs}s)")
    fi
    echo "=== $name: ${results[-1]%% *}"
done

echo
echo "--- summary"
printf '%s\n' "${results[@]}"
echo "$passed passed, $failed failed"
((failed == 0))
