#!/usr/bin/env bash
# Builds the DHCPv4 libFuzzer target into Fuzz/out/ and runs it for
# SECONDS (default 600) over a copy of the committed seed corpus.
# Exits non-zero when the fuzzer finds a crash; prints the execution count.
set -euo pipefail

SECONDS_TO_RUN="${1:-600}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
OUT="$HERE/out"
BIN="$OUT/dhcpv4-fuzz"
CORPUS="$OUT/corpus"
LOG="$OUT/fuzz.log"

mkdir -p "$OUT"
echo "building $BIN" >&2
# The linker's "Cannot export local symbol '__asan_...'" warnings are
# harmless; the build log is shown only when the build fails.
if ! swiftc -sanitize=fuzzer,address -parse-as-library -O -g \
    -module-name DHCPv4Fuzz \
    "$ROOT"/Sources/DHCPv4/*.swift "$HERE/DHCPv4Fuzz.swift" \
    -o "$BIN" >"$OUT/build.log" 2>&1; then
    cat "$OUT/build.log" >&2
    echo "build failed" >&2
    exit 2
fi

rm -rf "$CORPUS"
mkdir -p "$CORPUS"
cp "$HERE"/corpus/dhcpv4/* "$CORPUS"/

echo "fuzzing for ${SECONDS_TO_RUN}s (log: $LOG)" >&2
status=0
"$BIN" "$CORPUS" \
    -max_total_time="$SECONDS_TO_RUN" \
    -print_final_stats=1 \
    -artifact_prefix="$OUT/" \
    >"$LOG" 2>&1 || status=$?

tail -n 25 "$LOG" >&2
executions="$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$LOG" | grep -Eo '[0-9]+$' | tail -n1 || true)"
if [[ -z "$executions" ]]; then
    executions="$(grep -Eo '^#[0-9]+' "$LOG" | tail -n1 | tr -d '#' || true)"
fi
echo "executions: ${executions:-unknown}"

if [[ $status -ne 0 ]]; then
    echo "fuzzer failed with status $status; artifacts:" >&2
    ls "$OUT"/crash-* "$OUT"/leak-* "$OUT"/timeout-* "$OUT"/oom-* >&2 2>/dev/null || true
    exit "$status"
fi
