#!/usr/bin/env bash
# swift build with the given arguments, failing on any compiler warning in
# the project's own code (Sources/, Tests/, bench/, Fuzz/, Package.swift);
# dependencies' warnings are printed but do not count. A file compiled in
# an earlier build is not compiled (nor warned about) again, so this checks
# what the build compiles: on a clean clone (CI), everything.
#
#   bash scripts/swift-build-checked.sh [swift build arguments...]
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 1
LOG=$(mktemp "${TMPDIR:-/tmp}/autoprov-build.XXXXXX")
trap 'rm -f "$LOG"' EXIT

swift build "$@" 2>&1 | tee "$LOG"
rc=${PIPESTATUS[0]}
((rc == 0)) || exit "$rc"

# The package's identity is its folder's name, lowercased.
identity=$(basename "$ROOT" | tr '[:upper:]' '[:lower:]')
own=$(grep -E "^($ROOT/(Sources|Tests|bench|Fuzz)/[^:]+:[0-9]+:[0-9]+: warning:|$ROOT/Package\.swift[^ ]*: warning:|warning: '$identity': )" "$LOG" | sort -u)
if [[ -n $own ]]; then
    echo
    echo "FAIL: $(wc -l <<<"$own") compiler warning(s) in the project's own code:" >&2
    printf '%s\n' "$own" >&2
    exit 1
fi
echo "no compiler warning in the project's own code"
