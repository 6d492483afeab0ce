#!/usr/bin/env bash
# Side-by-side DHCPv4 benchmark: autoprov vs ISC Kea 2.2 vs dnsmasq 2.90,
# driven by perfdhcp over a rate ladder. See bench/README.md.
#
#   bash bench/dhcp.sh [--rates "1000 2000 ..."] [--duration 10]
#                      [--servers "autoprov kea dnsmasq"] [--out FILE]
#                      [--autoprov-sync full|normal] [--kea-threads N]
#
# NETWORK SAFETY: every server and perfdhcp runs only inside two network
# namespaces created here (apbench-<pid>-srv / -cli), joined by a veth pair
# created directly inside them, with addresses from 198.18.0.0/15 (RFC 2544
# benchmarking range). Both namespaces are deleted on exit, Ctrl-C included
# (Tests/Integration/lib-netns.sh, as the integration tests do). Nothing
# runs on, or touches, an interface of the host namespace.

set -u -o pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RATES="1000 2000 5000 8000 10000 12000 15000 20000"
DURATION=10
SERVERS="autoprov kea dnsmasq"
OUT=""
AUTOPROV_SYNC=full
KEA_THREADS=0          # 0: Kea's own default (2.2: multi-threading off)
AUTOPROV_BIN=${AUTOPROV_BIN:-$ROOT/.build/release/autoprov}
CLIENTS=60000          # perfdhcp -R: distinct clients, fewer than the pool's 65279
WAIT_US=1000000        # perfdhcp -W: after the period, 1 s to collect late replies
MAX_DROP_PCT=0.1       # a step "holds" with at most this % unanswered
MIN_SENT_FRACTION=0.95 # ... and perfdhcp really sent >= 95 % of the offered rate

usage() { sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

while (($#)); do
    case $1 in
        --rates) RATES=$2; shift 2 ;;
        --duration) DURATION=$2; shift 2 ;;
        --servers) SERVERS=$2; shift 2 ;;
        --out) OUT=$2; shift 2 ;;
        --autoprov-sync) AUTOPROV_SYNC=$2; shift 2 ;;
        --kea-threads) KEA_THREADS=$2; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "bench/dhcp.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
    esac
done

die() { printf '\n*** BENCH FAILED: %s ***\n\n' "$*" >&2; exit 1; }
say() { printf '[bench %s] %s\n' "$(date +%T)" "$*" >&2; }
# What lib-netns.sh calls.
log() { say "$@"; }
fatal() { die "$@"; }

if ! [[ $DURATION =~ ^[0-9]+$ ]] || ((DURATION < 2)); then die "--duration must be an integer >= 2"; fi
for r in $RATES; do
    if ! [[ $r =~ ^[0-9]+$ ]] || ((r == 0)); then die "bad rate '$r' in --rates"; fi
done
for s in $SERVERS; do
    case $s in autoprov|kea|dnsmasq) ;; *) die "unknown server '$s' (autoprov, kea, dnsmasq)" ;; esac
done
case $AUTOPROV_SYNC in full|normal) ;; *) die "--autoprov-sync must be full or normal" ;; esac
((EUID == 0)) || die "must run as root (network namespaces)"
for t in ip ss perfdhcp python3 getconf; do
    command -v "$t" >/dev/null 2>&1 || die "missing tool: $t"
done
for s in $SERVERS; do
    case $s in
        autoprov) [[ -x $AUTOPROV_BIN ]] || die "autoprov binary $AUTOPROV_BIN missing (make release)" ;;
        kea) command -v kea-dhcp4 >/dev/null 2>&1 || die "kea-dhcp4 missing (apt-get install kea-dhcp4-server)" ;;
        dnsmasq) command -v dnsmasq >/dev/null 2>&1 || die "dnsmasq missing (apt-get install dnsmasq-base)" ;;
    esac
done

DATE=$(date +%F)
[[ -n $OUT ]] || OUT=$ROOT/bench/results/dhcp-$DATE.txt
mkdir -p "$(dirname "$OUT")"
HZ=$(getconf CLK_TCK)

TMPD=$(mktemp -d "${TMPDIR:-/tmp}/autoprov-bench.XXXXXX") || die "mktemp failed"
# perfdhcp receives every reply on one socket whose buffer (208 KiB,
# net.core.rmem_default) cannot be raised inside a namespace; a server that
# sends replies in batches would see them dropped by the CLIENT's kernel and
# reported as its own drops. The shim gives perfdhcp a 16 MiB buffer, for
# every server alike, so only server losses count.
SHIM=$TMPD/perfdhcp_rcvbuf.so
{ command -v cc >/dev/null 2>&1 && cc -shared -fPIC -O2 -o "$SHIM" "$ROOT/Tests/Integration/perfdhcp_rcvbuf.c" -ldl; } ||
    /opt/swift/usr/bin/clang -shared -fPIC -O2 -o "$SHIM" "$ROOT/Tests/Integration/perfdhcp_rcvbuf.c" -ldl ||
    die "cannot build the perfdhcp receive-buffer shim (needs cc or clang)"
SERVER_PID=""
PERF_PID=""
RESULTS=$TMPD/steps.tsv

# ------------------------------------------------- namespaces and cleanup ---

# new_ns, setup_pair, wait_for, stop_pid and the exit trap (which deletes
# the namespaces and keeps $TMPD after a failure): the integration tests' own.
# shellcheck disable=SC2034  # read by lib-netns.sh
NS_BASE=apbench
# shellcheck source=../Tests/Integration/lib-netns.sh disable=SC1091
. "$ROOT/Tests/Integration/lib-netns.sh"
# stop_own_processes (run on exit): perfdhcp, then the server under test.
stop_own_processes() {
    if [[ -n $PERF_PID ]]; then kill -TERM "$PERF_PID" 2>/dev/null; fi
    stop_pid "$SERVER_PID" TERM 5
}
clean_stale_namespaces
NS_SRV="$NS_PREFIX-srv"
NS_CLI="$NS_PREFIX-cli"
setup_pair "$NS_SRV" "$NS_CLI" bs0 bc0 198.18.0.1/16
ip -n "$NS_CLI" addr add 198.18.0.2/16 dev bc0 || die "address on bc0"

# ---------------------------------------------------------------- servers ---

# shellcheck disable=SC2016  # $mac is literal: the phone expands it
URL='http://198.18.0.1:8080/$mac.cfg'

start_autoprov() {
    local d=$1
    mkdir -p "$d/store"
    cat >"$d/autoprov.yml" <<EOF
store:
  path: $d/store/autoprov.sqlite
  synchronous: $AUTOPROV_SYNC
log:
  level: warning
dhcp:
  enabled: true
  port: 67
  interfaces: [bs0]
  subnets:
    - subnet: 198.18.0.0/16
      pools: ["198.18.1.0-198.18.255.254"]
      lease_time: 3600
  classes:
    - name: fanvil
      match:
        oui: ["0c:38:3e"]
      options:
        66: "$URL"
      always_send: true
EOF
    # `ip netns exec` execs the program: $! is the server's own pid.
    ip netns exec "$NS_SRV" "$AUTOPROV_BIN" serve --config "$d/autoprov.yml" >"$d/server.log" 2>&1 &
    SERVER_PID=$!
}

start_kea() {
    local d=$1 mt=""
    mkdir -p "$d/run"
    if ((KEA_THREADS > 0)); then
        mt=", \"multi-threading\": { \"enable-multi-threading\": true, \"thread-pool-size\": $KEA_THREADS, \"packet-queue-size\": 64 }"
    fi
    cat >"$d/kea-dhcp4.json" <<EOF
{ "Dhcp4": {
    "interfaces-config": { "interfaces": [ "bs0" ], "dhcp-socket-type": "raw" },
    "lease-database": { "type": "memfile", "persist": true,
                        "name": "$d/kea-leases4.csv", "lfc-interval": 0 },
    "valid-lifetime": 3600,
    "client-classes": [ {
        "name": "fanvil",
        "test": "substring(pkt4.mac,0,3) == 0x0c383e",
        "option-data": [ { "name": "tftp-server-name", "data": "$URL", "always-send": true } ]
    } ],
    "subnet4": [ { "id": 1, "subnet": "198.18.0.0/16",
                   "pools": [ { "pool": "198.18.1.0 - 198.18.255.254" } ] } ],
    "loggers": [ { "name": "kea-dhcp4", "severity": "WARN",
                   "output_options": [ { "output": "$d/kea.log" } ] } ]$mt
} }
EOF
    ip netns exec "$NS_SRV" kea-dhcp4 -t "$d/kea-dhcp4.json" >"$d/kea-check.log" 2>&1 ||
        die "kea-dhcp4 -t rejected the generated config: $(tail -n 3 "$d/kea-check.log")"
    # Own pid/lock dirs: never collide with a Kea of the host.
    ip netns exec "$NS_SRV" env KEA_PIDFILE_DIR="$d/run" KEA_LOCKFILE_DIR="$d/run" \
        kea-dhcp4 -c "$d/kea-dhcp4.json" >"$d/server.log" 2>&1 &
    SERVER_PID=$!
}

start_dnsmasq() {
    local d=$1
    : >"$d/dnsmasq.leases"
    # --quiet-dhcp: no log line per packet (the others log at warning level).
    # --dhcp-option-force: option 66 even when not requested (like the others).
    ip netns exec "$NS_SRV" dnsmasq --no-daemon --port=0 --interface=bs0 --bind-interfaces \
        --dhcp-range=198.18.1.0,198.18.255.254,255.255.0.0,1h \
        --dhcp-leasefile="$d/dnsmasq.leases" --no-ping --dhcp-authoritative \
        --dhcp-lease-max=70000 --conf-file=/dev/null --no-resolv --no-hosts \
        --log-facility="$d/dnsmasq.log" --quiet-dhcp --pid-file="$d/dnsmasq.pid" \
        --dhcp-mac='set:fanvil,0c:38:3e:*:*:*' \
        --dhcp-option-force="tag:fanvil,66,$URL" >"$d/server.log" 2>&1 &
    SERVER_PID=$!
}

# The server listens when its own pid holds UDP port 67 in the server
# namespace (Kea raw mode: and its packet socket on bs0).
server_listening() {
    local name=$1
    ip netns exec "$NS_SRV" ss -Hulpn 'sport = :67' 2>/dev/null | grep -q "pid=$SERVER_PID," || return 1
    if [[ $name == kea ]]; then
        ip netns exec "$NS_SRV" ss -H -0 -p 2>/dev/null | grep -q "pid=$SERVER_PID," || return 1
    fi
}
ready_or_dead() { ! kill -0 "$SERVER_PID" 2>/dev/null || server_listening "$1"; }

start_server() {
    local name=$1 d=$2
    "start_$name" "$d"
    wait_for "ready_or_dead $name" 20 "$name to listen on bs0:67" || {
        tail -n 20 "$d"/*.log >&2
        die "$name did not listen on bs0:67 within 20 s"
    }
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        wait "$SERVER_PID"; local rc=$?
        SERVER_PID=""
        tail -n 20 "$d"/*.log >&2
        die "$name FAILED TO START (exit status $rc); its log is above"
    fi
}

stop_server() {
    local name=$1
    [[ -n $SERVER_PID ]] || return 0
    kill -TERM "$SERVER_PID" 2>/dev/null
    if ! wait_for "! kill -0 $SERVER_PID" 20 "$name to exit after SIGTERM"; then
        say "WARNING: $name ignored SIGTERM for 20 s; killing it"
        kill -KILL "$SERVER_PID" 2>/dev/null
    fi
    wait "$SERVER_PID" 2>/dev/null
    SERVER_PID=""
}

# cpu_ticks PID: utime+stime of the whole process (the thread-group sum the
# kernel keeps in /proc/PID/stat: every task, exited threads included).
cpu_ticks() {
    local s
    s=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
    s=${s##*) }
    # shellcheck disable=SC2086
    set -- $s
    echo $((${12} + ${13}))
}
# nap SECONDS: a sleep that a signal interrupts at once (the traps run).
nap() { sleep "$1" & wait $!; }
now_us() { echo "${EPOCHREALTIME/./}"; }
vm_hwm_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# ------------------------------------------------------------------- steps ---

printf 'server\trate\tduration\tdo_sent\tdo_recv\tdo_drops\tra_sent\tra_recv\tra_drops\tdo_avg\tra_avg\tdo_p99\tra_p99\tsrv_cpu\tperf_cpu\tsrv_hwm_kb\tperf_rc\n' >"$RESULTS"

PARSE_PY=$TMPD/parse.py
cat >"$PARSE_PY" <<'PYEOF'
import sys, re
# perfdhcp -x t output: the final statistics per exchange, then
# "***Timestamps for packets: EX***" and "sent / received: S / R" lines.
stats, times, sec, tsec = {}, {"DISCOVER-OFFER": [], "REQUEST-ACK": []}, None, None
for line in open(sys.argv[1], errors="replace"):
    m = re.match(r"\*\*\*Statistics for: (\S+)\*\*\*", line)
    if m: sec, tsec = m.group(1), None; stats[sec] = {}; continue
    m = re.match(r"\*\*\*Timestamps for packets: (\S+)\*\*\*", line)
    if m: tsec, sec = m.group(1), None; times.setdefault(tsec, []); continue
    if line.startswith("***"): sec = tsec = None; continue
    if sec:
        m = re.match(r"([a-z ]+): ([0-9.]+)", line)
        if m: stats[sec][m.group(1)] = float(m.group(2))
    elif tsec:
        m = re.match(r"sent / received: ([0-9.]+) / ([0-9.]+)", line)
        if m: times[tsec].append((float(m.group(2)) - float(m.group(1))) * 1000.0)
def p99(v):
    if not v: return "nan"
    v = sorted(v); return "%.3f" % v[min(len(v) - 1, int(0.99 * len(v)))]
out = []
for ex in ("DISCOVER-OFFER", "REQUEST-ACK"):
    s = stats.get(ex, {})
    out += ["%d" % s.get("sent packets", 0), "%d" % s.get("received packets", 0), "%d" % s.get("drops", 0)]
for ex in ("DISCOVER-OFFER", "REQUEST-ACK"):
    out.append("%.3f" % stats.get(ex, {}).get("avg delay", float("nan")))
for ex in ("DISCOVER-OFFER", "REQUEST-ACK"):
    out.append(p99(times.get(ex)))
print("\t".join(out))
PYEOF

run_step() {
    local name=$1 rate=$2
    local d=$TMPD/$name-$rate
    mkdir -p "$d"
    start_server "$name" "$d"
    say "$name @ $rate/s for ${DURATION}s (server pid $SERVER_PID)"

    local t0 t1 t2 s1 s2 p1 p2 perf_rc
    t0=$(now_us)
    ip netns exec "$NS_CLI" env LD_PRELOAD="$SHIM" perfdhcp -4 -l bc0 -r "$rate" -p "$DURATION" -R "$CLIENTS" \
        -b mac=0c:38:3e:00:00:00 -W "$WAIT_US" -x t >"$d/perfdhcp.out" 2>&1 &
    PERF_PID=$!
    # CPU over the middle half of the step: [25 %, 75 %] of the period.
    nap "$(awk -v d="$DURATION" 'BEGIN{printf "%.3f", d * 0.25}')"
    t1=$(now_us); s1=$(cpu_ticks "$SERVER_PID"); p1=$(cpu_ticks "$PERF_PID")
    nap "$(awk -v d="$DURATION" 'BEGIN{printf "%.3f", d * 0.5}')"
    t2=$(now_us); s2=$(cpu_ticks "$SERVER_PID"); p2=$(cpu_ticks "$PERF_PID")
    local srv_cpu perf_cpu
    srv_cpu=$(awk -v a="$s1" -v b="$s2" -v t="$((t2 - t1))" -v hz="$HZ" 'BEGIN{printf "%.0f", (b - a) / hz / (t / 1e6) * 100}')
    perf_cpu=$(awk -v a="$p1" -v b="$p2" -v t="$((t2 - t1))" -v hz="$HZ" 'BEGIN{printf "%.0f", (b - a) / hz / (t / 1e6) * 100}')

    # perfdhcp ends by itself after the period plus -W; 60 s grace at most.
    local end=$(( t0 + (DURATION + 60) * 1000000 ))
    while kill -0 "$PERF_PID" 2>/dev/null && (($(now_us) < end)); do nap 0.1; done
    if kill -0 "$PERF_PID" 2>/dev/null; then
        say "WARNING: perfdhcp still running 60 s after its period; stopping it"
        kill -INT "$PERF_PID" 2>/dev/null; sleep 2; kill -KILL "$PERF_PID" 2>/dev/null
    fi
    wait "$PERF_PID"; perf_rc=$?
    PERF_PID=""

    kill -0 "$SERVER_PID" 2>/dev/null || die "$name DIED during the $rate/s step (see $d)"
    local hwm
    hwm=$(vm_hwm_kb "$SERVER_PID")
    stop_server "$name"

    grep -q 'Statistics for: REQUEST-ACK' "$d/perfdhcp.out" ||
        die "perfdhcp printed no statistics at $rate/s against $name: $(tail -n 5 "$d/perfdhcp.out")"
    local parsed
    parsed=$(python3 "$PARSE_PY" "$d/perfdhcp.out") || die "cannot parse $d/perfdhcp.out"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$rate" "$DURATION" "$parsed" \
        "$srv_cpu" "$perf_cpu" "$hwm" "$perf_rc" >>"$RESULTS"
    awk -F'\t' -v OFS=' ' 'END{printf "[bench]   DO %s/%s  RA %s/%s sent/recv, avg %s+%s ms, p99 %s+%s ms, cpu srv %s%% perfdhcp %s%%\n", $4,$5,$7,$8,$10,$11,$12,$13,$14,$15}' "$RESULTS" >&2
}

say "servers: $SERVERS; rates: $RATES; ${DURATION}s per step; results -> $OUT"
for name in $SERVERS; do
    for rate in $RATES; do
        run_step "$name" "$rate"
    done
done

# ------------------------------------------------------------------ report ---

autoprov_ver="$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown) ($(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo '?')), binary $(date -r "$AUTOPROV_BIN" '+%F %T' 2>/dev/null || echo '?')"
{
    echo "DHCPv4 benchmark: autoprov vs Kea vs dnsmasq (perfdhcp DORA, namespaces + veth)"
    echo "date:      $(date '+%F %T %Z')"
    echo "host:      $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), kernel $(uname -r)"
    echo "load avg:  $(cut -d' ' -f1-3 /proc/loadavg) (at the end of the run)"
    echo "autoprov:  $autoprov_ver, store synchronous=$AUTOPROV_SYNC"
    echo "kea:       $(kea-dhcp4 -V 2>/dev/null | head -1), raw socket, memfile persist (no fsync), multi-threading $([[ $KEA_THREADS -gt 0 ]] && echo "on, $KEA_THREADS threads" || echo 'default (off in 2.2)')"
    echo "dnsmasq:   $(dnsmasq -v 2>/dev/null | head -1)"
    echo "perfdhcp:  $(perfdhcp -v 2>&1 | head -1), 16 MiB receive buffer (shim); -R $CLIENTS -W ${WAIT_US}us, ${DURATION}s per step; rates: $RATES"
    echo
    python3 - "$RESULTS" "$MAX_DROP_PCT" "$MIN_SENT_FRACTION" <<'PYEOF'
import sys, csv, math
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
maxdrop, minsent = float(sys.argv[2]), float(sys.argv[3])
def f(x):
    try: return float(x)
    except ValueError: return math.nan
for r in rows:
    for k in list(r):
        if k != "server": r[k] = f(r[k])
    sent = r["do_sent"] + r["ra_sent"]
    lost = max(0, r["do_sent"] - r["do_recv"]) + max(0, r["ra_sent"] - r["ra_recv"])
    r["drop_pct"] = 100.0 * lost / sent if sent else 100.0
    r["sent_rate"] = r["do_sent"] / r["duration"]
    r["dora_s"] = r["ra_recv"] / r["duration"]
    r["full_rate"] = r["do_sent"] >= minsent * r["rate"] * r["duration"]
    r["holds"] = r["drop_pct"] <= maxdrop and r["full_rate"]
servers = []
for r in rows:
    if r["server"] not in servers: servers.append(r["server"])
def fmt(v, p=0):
    return "-" if v is None or (isinstance(v, float) and math.isnan(v)) else ("%.*f" % (p, v))
summ = {}
for s in servers:
    rs = [r for r in rows if r["server"] == s]
    ok = [r for r in rs if r["holds"]]
    best = max(ok, key=lambda r: r["rate"]) if ok else None
    top = max(rs, key=lambda r: r["rate"])
    summ[s] = dict(best=best, top=top,
                   sat=max(r["dora_s"] for r in rs),
                   hwm=max(r["srv_hwm_kb"] for r in rs) / 1024.0)
kea_best = summ.get("kea", {}).get("best")
print("SUMMARY (no-drop = highest offered rate with <= %g %% unanswered over DISCOVER+REQUEST" % maxdrop)
print("         and perfdhcp sending >= %d %% of it; delays at that rate; CPU at the highest step)" % (minsent * 100))
hdr = ["server", "no-drop rate/s", "DORA/s max", "avg DO+RA ms", "p99 DO ms", "p99 RA ms",
       "peak RSS MB", "srv CPU% @top", "perfdhcp CPU% @top", "no-drop vs kea"]
table = []
for s in servers:
    b, t = summ[s]["best"], summ[s]["top"]
    ratio = "-"
    if b and kea_best and kea_best["rate"] > 0:
        ratio = "%.2fx" % (b["rate"] / kea_best["rate"])
    table.append([s,
                  fmt(b["rate"]) if b else "none (<%d)" % min(r["rate"] for r in rows if r["server"] == s),
                  fmt(summ[s]["sat"]),
                  fmt(b["do_avg"] + b["ra_avg"], 3) if b else "-",
                  fmt(b["do_p99"], 3) if b else "-",
                  fmt(b["ra_p99"], 3) if b else "-",
                  fmt(summ[s]["hwm"], 1),
                  "%s (@%d)" % (fmt(t["srv_cpu"]), t["rate"]),
                  fmt(t["perf_cpu"]),
                  ratio])
def show(hdr, table):
    w = [max(len(str(x)) for x in col) for col in zip(hdr, *table)]
    print("  ".join(h.rjust(w[i]) if i else h.ljust(w[i]) for i, h in enumerate(hdr)))
    print("  ".join("-" * x for x in w))
    for row in table:
        print("  ".join(str(c).rjust(w[i]) if i else str(c).ljust(w[i]) for i, c in enumerate(row)))
show(hdr, table)
if "autoprov" in summ and kea_best:
    b = summ["autoprov"]["best"]
    print("\nautoprov/kea no-drop rate ratio: %s" % ("%.2f" % (b["rate"] / kea_best["rate"]) if b else "0 (autoprov held no step)"))
print("\nPER STEP (drop% = unanswered / sent over both exchanges; sent/s = DISCOVERs sent per second;")
print("          DORA/s = ACKs received / duration; CPU% = over the middle half of the step, 100 = one core)")
hdr2 = ["server", "rate", "sent/s", "DO sent", "DO recv", "RA sent", "RA recv", "drop%", "DORA/s",
        "DO avg ms", "RA avg ms", "DO p99 ms", "RA p99 ms", "srv CPU%", "perf CPU%", "srv RSS MB", "holds"]
table2 = []
for r in rows:
    table2.append([r["server"], fmt(r["rate"]), fmt(r["sent_rate"]), fmt(r["do_sent"]), fmt(r["do_recv"]),
                   fmt(r["ra_sent"]), fmt(r["ra_recv"]), fmt(r["drop_pct"], 2), fmt(r["dora_s"]),
                   fmt(r["do_avg"], 3), fmt(r["ra_avg"], 3), fmt(r["do_p99"], 3), fmt(r["ra_p99"], 3),
                   fmt(r["srv_cpu"]), fmt(r["perf_cpu"]), fmt(r["srv_hwm_kb"] / 1024.0, 1),
                   "yes" if r["holds"] else ("no (client short)" if not r["full_rate"] else "no")])
show(hdr2, table2)
PYEOF
} >"$TMPD/report.txt" || die "report generation failed"
cp "$TMPD/report.txt" "$OUT"
echo
cat "$OUT"
echo
say "written to $OUT"
