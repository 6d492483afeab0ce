#!/usr/bin/env bash
# Usage: Fuzz/run.sh [SECONDS] [TARGET...]
# Builds each libFuzzer target (default: all of them) into Fuzz/out/ and runs
# it for SECONDS (default 600) over a copy of its committed seed corpus,
# Fuzz/corpus/<target>/. Prints "executions: N" per target; exits non-zero
# when a fuzzer finds a crash (the other targets still run). Targets:
#   dhcpv4        DHCPMessage.decode/encode (Sources/DHCPv4)
#   http-request  RequestPath.fileName, DigestAuthenticator.parameters (DigestAuthParameters)
#   device-csv    DeviceCSV.parse (against DHCPv4 and CSV.swift modules)
#   user-agent    UserAgent(_:profile:) with the Fanvil profile's pattern
#   xmlservice-reply  XMLServiceReply(parsing:) and XMLReplyRepair (Sources/PhoneAPI, libxml2)
#   sip-pnp       SIPMessage(parsing:) (Sources/SIPWire) and PnPResponder.receive (Sources/SIPPnP)
#   push-values   a value rendered into the push template and read back (Sources/Rendering),
#                 then into an xmlService set request parsed by libxml2 (Sources/PhoneAPI)
set -euo pipefail

SECONDS_TO_RUN="${1:-600}"
shift || true
ALL_TARGETS=(dhcpv4 http-request device-csv user-agent xmlservice-reply sip-pnp push-values)
if [[ $# -gt 0 ]]; then TARGETS=("$@"); else TARGETS=("${ALL_TARGETS[@]}"); fi
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
OUT="$HERE/out"
LIB="$OUT/lib"
CSV_SOURCES="$ROOT/.build/checkouts/CSV.swift/Sources/CSV"
MUSTACHE_SOURCES="$ROOT/.build/checkouts/swift-mustache/Sources/Mustache"
# -parse-as-library: the harness has no main, libFuzzer brings it.
SWIFTC=(swiftc "-sanitize=fuzzer,address" -parse-as-library -O -g)

# Runs a build quietly: the linker's "Cannot export local symbol
# '__asan_...'" warnings are harmless; the log is shown only on failure.
quiet_build() {
    local log="$1"
    shift
    if ! "$@" >"$log" 2>&1; then
        cat "$log" >&2
        echo "build failed" >&2
        exit 2
    fi
}

# An instrumented static library and its module, for targets whose sources
# import it: lib<NAME>.a and <NAME>.swiftmodule in Fuzz/out/lib/.
build_library() {
    local name="$1"
    shift
    [[ -f "$LIB/.built-$name" ]] && return 0
    echo "building module $name" >&2
    mkdir -p "$LIB"
    quiet_build "$LIB/$name.log" "${SWIFTC[@]}" -module-name "$name" \
        -emit-module -emit-module-path "$LIB/$name.swiftmodule" \
        -emit-library -static -o "$LIB/lib$name.a" "$@"
    touch "$LIB/.built-$name"
}

# Sets MODULE, SOURCES and LIBS (modules to link) for target $1.
target_inputs() {
    local cs="$ROOT/Sources/ConfigServer" st="$ROOT/Sources/Store"
    LIBS=()
    EXTRA=()
    case "$1" in
    dhcpv4)
        MODULE=DHCPv4Fuzz
        SOURCES=("$ROOT"/Sources/DHCPv4/*.swift "$HERE/DHCPv4Fuzz.swift") ;;
    http-request)
        MODULE=HTTPRequestFuzz
        LIBS=(DigestAuth)
        SOURCES=("$cs/RequestPath.swift" "$cs/FetchRefusal.swift" "$cs/DigestParameters.swift"
            "$HERE/HTTPRequestFuzz.swift") ;;
    device-csv)
        MODULE=DeviceCSVFuzz
        LIBS=(DHCPv4 CSV SafeText)
        # Every Store file but the SQLite ones (GRDB, swift-log).
        mapfile -t SOURCES < <(grep -L -E '^import (GRDB|Logging)' "$st"/*.swift)
        SOURCES+=("$HERE/DeviceCSVFuzz.swift") ;;
    user-agent)
        MODULE=UserAgentFuzz
        LIBS=(DHCPv4)
        SOURCES=("$ROOT/Sources/Rendering/UserAgent.swift" "$HERE/UserAgentFuzz.swift") ;;
    xmlservice-reply)
        MODULE=XMLServiceReplyFuzz
        # The reply parser's files only (the client needs AsyncHTTPClient);
        # CLibXML2's module map links libxml2.
        local api="$ROOT/Sources/PhoneAPI"
        SOURCES=("$api/XMLServiceReply.swift" "$api/XMLServiceReply+Parsing.swift" "$api/XMLServiceReplyError.swift"
            "$api/XMLReplyRepair.swift" "$api/XMLServiceItemText.swift" "$api/XMLNodeReading.swift"
            "$api/Byte.swift" "$HERE/XMLServiceReplyFuzz.swift")
        read -r -a xml_flags <<<"$(pkg-config --cflags libxml-2.0 | sed 's/-I/-Xcc -I/g')"
        EXTRA=(-I "$ROOT/Sources/CLibXML2" "${xml_flags[@]}" -lxml2) ;;
    sip-pnp)
        MODULE=SIPPnPFuzz
        LIBS=(DHCPv4 SIPWire)
        # The responder without its sockets, metrics and service (NIO, swift-metrics).
        local pnp="$ROOT/Sources/SIPPnP"
        SOURCES=("$pnp/PnPSubscribe.swift" "$pnp/PnPMessages.swift" "$pnp/PnPDatagram.swift" "$pnp/PnPResponder.swift"
            "$pnp/RateLimiter.swift" "$HERE/SIPPnPFuzz.swift") ;;
    push-values)
        MODULE=PushValuesFuzz
        # Store (without GRDB) and swift-mustache as modules; the Rendering
        # files that render and read back a push, PhoneAPI's request builder.
        LIBS=(DHCPv4 CSV SafeText Store Mustache)
        local r="$ROOT/Sources/Rendering" api="$ROOT/Sources/PhoneAPI"
        SOURCES=("$r/RenderValueCheck.swift" "$r/RenderContext.swift" "$r/RenderError.swift" "$r/ContentTypes.swift"
            "$r/DotKeyItems.swift" "$r/PushRendering.swift"
            "$api/XMLServiceRequest.swift" "$api/XMLServiceRequestCheck.swift" "$api/XMLServiceRequestError.swift"
            "$api/XMLEscaping.swift" "$HERE/PushValuesFuzz.swift")
        read -r -a xml_flags <<<"$(pkg-config --cflags libxml-2.0 | sed 's/-I/-Xcc -I/g')"
        EXTRA=(-I "$ROOT/Sources/CLibXML2" "${xml_flags[@]}" -lxml2) ;;
    *)
        echo "unknown target $1 (known: ${ALL_TARGETS[*]})" >&2
        exit 2 ;;
    esac
    if [[ ! -d "$HERE/corpus/$1" ]]; then
        echo "no seed corpus $HERE/corpus/$1" >&2
        exit 2
    fi
}

# Builds and runs one target; sets STATUS to the fuzzer's exit status.
fuzz_target() {
    local target="$1" dir="$OUT/$1" lib
    local bin="$dir/$target-fuzz" corpus="$dir/corpus" log="$dir/fuzz.log"
    target_inputs "$target"
    local link=()
    for lib in "${LIBS[@]}"; do
        case "$lib" in
        DHCPv4) build_library DHCPv4 "$ROOT"/Sources/DHCPv4/*.swift ;;
        DigestAuth) build_library DigestAuth "$ROOT"/Sources/DigestAuth/*.swift ;;
        SIPWire) build_library SIPWire "$ROOT"/Sources/SIPWire/*.swift ;;
        SafeText) build_library SafeText "$ROOT"/Sources/SafeText/*.swift ;;
        Store)
            # Every Store file but the SQLite ones, against the modules built before it.
            local storeSources
            mapfile -t storeSources < <(grep -L -E '^import (GRDB|Logging)' "$ROOT"/Sources/Store/*.swift)
            build_library Store -I "$LIB" "${storeSources[@]}" ;;
        Mustache)
            if [[ ! -d "$MUSTACHE_SOURCES" ]]; then
                echo "no $MUSTACHE_SOURCES: run 'swift package resolve' first" >&2
                exit 2
            fi
            build_library Mustache "$MUSTACHE_SOURCES"/*.swift ;;
        CSV)
            if [[ ! -d "$CSV_SOURCES" ]]; then
                echo "no $CSV_SOURCES: run 'swift package resolve' first" >&2
                exit 2
            fi
            build_library CSV "$CSV_SOURCES"/*.swift ;;
        esac
        # Dependents first (a library is built after the ones it needs).
        link=("-l$lib" "${link[@]}")
    done
    if [[ ${#link[@]} -gt 0 ]]; then link=(-I "$LIB" -L "$LIB" "${link[@]}"); fi

    mkdir -p "$dir"
    echo "building $bin" >&2
    quiet_build "$dir/build.log" "${SWIFTC[@]}" -module-name "$MODULE" \
        "${SOURCES[@]}" "${link[@]}" "${EXTRA[@]}" -o "$bin"

    rm -rf "$corpus"
    mkdir -p "$corpus"
    cp "$HERE/corpus/$target"/* "$corpus"/

    echo "fuzzing $target for ${SECONDS_TO_RUN}s (log: $log)" >&2
    STATUS=0
    # Swift's own backtracer would race ASan (and trip it): libFuzzer's
    # deadly-signal handler prints the stack instead.
    SWIFT_BACKTRACE=enable=no \
        LSAN_OPTIONS="suppressions=$HERE/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}" "$bin" "$corpus" \
        -max_total_time="$SECONDS_TO_RUN" \
        -print_final_stats=1 \
        -artifact_prefix="$dir/" \
        >"$log" 2>&1 || STATUS=$?

    tail -n 25 "$log" >&2
    local executions
    executions="$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$' | tail -n1 || true)"
    if [[ -z "$executions" ]]; then
        executions="$(grep -Eo '^#[0-9]+' "$log" | tail -n1 | tr -d '#' || true)"
    fi
    echo "== $target"
    echo "executions: ${executions:-unknown}"
    if [[ $STATUS -ne 0 ]]; then
        echo "$target: fuzzer failed with status $STATUS; artifacts:" >&2
        ls "$dir"/crash-* "$dir"/leak-* "$dir"/timeout-* "$dir"/oom-* >&2 2>/dev/null || true
    fi
}

# Libraries are rebuilt once per run, from the current sources.
rm -rf "$LIB"
failed=0
for target in "${TARGETS[@]}"; do
    fuzz_target "$target"
    if [[ $STATUS -ne 0 && $failed -eq 0 ]]; then failed=$STATUS; fi
done
exit "$failed"
