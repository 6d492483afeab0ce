#!/usr/bin/env bash
# Runs Debian's shellcheck on every shell script of the repository;
# fails on any finding of severity warning or above.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT" || exit 1
command -v shellcheck >/dev/null || { echo "FATAL: shellcheck is not installed (make test-deps)" >&2; exit 1; }
mapfile -t scripts < <(git ls-files '*.sh' .ci/run 2>/dev/null || find . -name '*.sh' -not -path './.build*')
if shellcheck -x -S warning "${scripts[@]}"; then
    echo "shellcheck: ${#scripts[@]} scripts, no warning"
else
    echo "FAIL: shellcheck found warnings (above)" >&2
    exit 1
fi
