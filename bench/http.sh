#!/usr/bin/env bash
# Config-server benchmark: wrk against autoprov serving a rendered per-device
# config (leased_ip authorization on, every fetch recorded as a device event)
# and against nginx serving the same bytes as a static file (access log on),
# with keep-alive and with a new connection per request (phones do not keep
# connections). Prints requests/s, p99 latency and autoprov/nginx ratios.
#
#   bash bench/http.sh [--duration 10] [--rounds 3] [--threads 2] [--connections 32] [--out FILE]
#
# NETWORK SAFETY: both servers and wrk run only inside one network namespace
# created here (apbench-<pid>-http), on its loopback, with addresses from
# 192.0.2.0/24 (TEST-NET-1). It is deleted on exit, Ctrl-C included
# (Tests/Integration/lib-netns.sh, as the integration tests do).

set -u -o pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DURATION=10 THREADS=2 CONNS=32 ROUNDS=3 OUT=""
AUTOPROV_BIN=${AUTOPROV_BIN:-$ROOT/.build/release/autoprov}
MAC=0c383e000001 MAC_COLON=0c:38:3e:00:00:01
SRV_IP=192.0.2.1 PHONE_IP=192.0.2.100 AP_PORT=8080 NGINX_PORT=8090
UA="Fanvil X4U 2.12.2.5 $MAC"   # what a phone sends: autoprov parses it on every request

usage() { sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while (($#)); do
    case $1 in
        --duration) DURATION=$2; shift 2 ;;
        --rounds) ROUNDS=$2; shift 2 ;;
        --threads) THREADS=$2; shift 2 ;;
        --connections) CONNS=$2; shift 2 ;;
        --out) OUT=$2; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "bench/http.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
    esac
done

die() { printf '\n*** BENCH FAILED: %s ***\n\n' "$*" >&2; exit 1; }
say() { printf '[bench %s] %s\n' "$(date +%T)" "$*" >&2; }
# What lib-netns.sh calls.
log() { say "$@"; }
fatal() { die "$@"; }

for v in "duration $DURATION" "rounds $ROUNDS" "threads $THREADS" "connections $CONNS"; do
    if ! [[ ${v#* } =~ ^[1-9][0-9]*$ ]]; then die "--${v% *} must be a positive integer"; fi
done
((CONNS >= THREADS)) || die "--connections must be >= --threads"
((EUID == 0)) || die "must run as root (network namespaces)"
for t in ip ss wrk nginx curl sqlite3 cmp awk; do
    command -v "$t" >/dev/null 2>&1 || die "missing tool: $t (make bench-http-deps installs wrk, nginx, curl, sqlite3)"
done
[[ -x $AUTOPROV_BIN ]] || die "autoprov binary $AUTOPROV_BIN missing (make release)"

[[ -n $OUT ]] || OUT=$ROOT/bench/results/http-$(date +%F).txt
mkdir -p "$(dirname "$OUT")"
TMPD=$(mktemp -d "${TMPDIR:-/tmp}/autoprov-bench-http.XXXXXX") || die "mktemp failed"
chmod 755 "$TMPD"   # nginx workers (user nobody) read the static file below it
AP_PID="" NGINX_PID=""

# ------------------------------------------------- namespace and cleanup ---

# new_ns, stop_pid and the exit trap (which deletes the namespace and keeps
# $TMPD after a failure): the integration tests' own.
# shellcheck disable=SC2034  # read by lib-netns.sh
NS_BASE=apbench
# shellcheck source=../Tests/Integration/lib-netns.sh disable=SC1091
. "$ROOT/Tests/Integration/lib-netns.sh"
# stop_own_processes (run on exit): both servers, gracefully (autoprov
# commits its queued events), 10 s each at most.
stop_own_processes() { stop_pid "$AP_PID" TERM 10; stop_pid "$NGINX_PID" QUIT 10; }
clean_stale_namespaces
NS=$NS_PREFIX-http

# -------------------------------------------------------------- namespace ---

# Both addresses live on the namespace's loopback. The local route to the
# servers' address gets the phone's address as preferred source, so wrk (which
# cannot bind a source address) connects from the IP leased to the device,
# as leased_ip authorization requires.
new_ns "$NS"
for a in "$SRV_IP" "$PHONE_IP"; do ip -n "$NS" addr add "$a/32" dev lo || die "address $a"; done
ip -n "$NS" route replace local "$SRV_IP" dev lo table local proto kernel scope host src "$PHONE_IP" || die "route"
ip -n "$NS" route get "$SRV_IP" | grep -q "src $PHONE_IP " || die "source selection: $(ip -n "$NS" route get "$SRV_IP")"
# Connection-per-request runs open ~100k connections: widen the port range.
ip netns exec "$NS" sysctl -qw net.ipv4.ip_local_port_range="1024 65000" >/dev/null || die "port range"
ip netns exec "$NS" sysctl -qw net.ipv4.tcp_tw_reuse=1 >/dev/null || die "tcp_tw_reuse"

nsx() { ip netns exec "$NS" "$@"; }
# listening PORT PID: PID holds a TCP listener on SRV_IP:PORT in the namespace.
listening() { nsx ss -Htlpn "sport = :$1" 2>/dev/null | grep -q "pid=$2,"; }
wait_listen() {   # wait_listen NAME PORT PID LOG
    local _
    for _ in $(seq 1 200); do
        kill -0 "$3" 2>/dev/null || { tail -n 20 "$4" >&2; die "$1 exited during startup (log above)"; }
        listening "$2" "$3" && return 0
        sleep 0.1
    done
    tail -n 20 "$4" >&2; die "$1 did not listen on $SRV_IP:$2 within 20 s"
}
passive_opens() { nsx cat /proc/net/snmp | awk '/^Tcp:/ { if (h) { print $6; exit } h = 1 }'; }

# --------------------------------------------------------------- autoprov ---

CFG=$TMPD/autoprov.yml STORE=$TMPD/store/autoprov.sqlite FILE=$TMPD/www/$MAC.cfg
mkdir -p "$TMPD/store" "$TMPD/www" "$TMPD/nginx"
cat >"$CFG" <<EOF
store:
  path: $STORE
log:
  level: warning
dhcp:
  enabled: false
config_server:
  listen: $SRV_IP:$AP_PORT
  authorize: leased_ip
  # wrk's connections all come from one address: no per-address limit here.
  limits: {max_connections: 65536, max_connections_per_address: 65536}
admin:
  listen: 127.0.0.1:8081
inventory:
  shipped_templates: $ROOT/Templates
EOF
ap() { "$AUTOPROV_BIN" "$@" --config "$CFG"; }
ap device list >/dev/null 2>"$TMPD/cli.err" || die "autoprov device list: $(cat "$TMPD/cli.err")"
ap device add "$MAC" --label bench --line 1:number=1001,password=s3cret,registrar="$SRV_IP" \
    >/dev/null 2>"$TMPD/cli.err" || die "autoprov device add: $(cat "$TMPD/cli.err")"
# A bound lease of PHONE_IP for the device (ip as the 32-bit integer).
IFS=. read -r a b c d <<<"$PHONE_IP"; NOW=$(date +%s)
sqlite3 "$STORE" "INSERT OR REPLACE INTO lease (ip, mac, client_id, state, subnet, class, hostname, expires, updated)
    VALUES ($(((a << 24) | (b << 16) | (c << 8) | d)), '$MAC_COLON', NULL, 'bound', '192.0.2.0/24', 'fanvil', NULL,
            $((NOW + 10 * 365 * 86400)), $NOW);" 2>"$TMPD/cli.err" || die "seeding the lease: $(cat "$TMPD/cli.err")"
ap leases --mac "$MAC_COLON" 2>&1 | grep -q "$PHONE_IP" || die "autoprov leases does not show the seeded lease"
ap render "$MAC" >"$FILE" 2>"$TMPD/cli.err" || die "autoprov render: $(cat "$TMPD/cli.err")"
[[ -s $FILE ]] || die "autoprov render printed nothing"; BYTES=$(stat -c %s "$FILE")

ip netns exec "$NS" "$AUTOPROV_BIN" serve --config "$CFG" >"$TMPD/autoprov.log" 2>&1 &
AP_PID=$!; wait_listen autoprov "$AP_PORT" "$AP_PID" "$TMPD/autoprov.log"

# ------------------------------------------------------------------ nginx ---

WORKERS=$(nproc)
cat >"$TMPD/nginx.conf" <<EOF
worker_processes $WORKERS; daemon off; pid $TMPD/nginx.pid; error_log $TMPD/nginx-error.log warn;
events { worker_connections 4096; }
http {
    access_log $TMPD/nginx-access.log;
    client_body_temp_path $TMPD/nginx/body; proxy_temp_path $TMPD/nginx/proxy;
    fastcgi_temp_path $TMPD/nginx/fcgi; uwsgi_temp_path $TMPD/nginx/uwsgi; scgi_temp_path $TMPD/nginx/scgi;
    default_type text/plain; sendfile on;
    server { listen $SRV_IP:$NGINX_PORT; root $TMPD/www; }
}
EOF
ip netns exec "$NS" nginx -p "$TMPD/nginx/" -e "$TMPD/nginx-error.log" -c "$TMPD/nginx.conf" >"$TMPD/nginx.out" 2>&1 &
NGINX_PID=$!; wait_listen nginx "$NGINX_PORT" "$NGINX_PID" "$TMPD/nginx-error.log"

# ---------------------------------------------------------- sanity checks ---

AP_URL=http://$SRV_IP:$AP_PORT/$MAC.cfg NGINX_URL=http://$SRV_IP:$NGINX_PORT/$MAC.cfg
check() {   # check NAME URL [CURL ARGS...]: 200 and exactly the rendered bytes
    local name=$1 url=$2 code; shift 2
    code=$(nsx curl -sS -o "$TMPD/check.body" -w '%{http_code}' -A "$UA" "$@" "$url") || die "curl $name failed"
    [[ $code == 200 ]] || die "$name answered $code (expected 200) for $url: $(head -c 300 "$TMPD/check.body")"
    cmp -s "$FILE" "$TMPD/check.body" || die "$name served different bytes than autoprov render"
}
check autoprov "$AP_URL"   # default source selection, as wrk connects
check autoprov "$AP_URL" --interface "$PHONE_IP"
check nginx "$NGINX_URL"
code=$(nsx curl -s -o /dev/null -w '%{http_code}' -A "$UA" --interface "$SRV_IP" "$AP_URL")
[[ $code == 403 ]] || die "autoprov answered $code, not 403, to a source that is not the leased IP: authorization is off?"
say "both servers answer 200 with the same $BYTES bytes; autoprov refuses other sources (403)"

# -------------------------------------------------------------------- wrk ---

AP_REQUESTS=3   # the curl checks above
# run_wrk NAME URL MODE: one measured run; sets RPS P99 REQS CONNS_OPENED
run_wrk() {
    local name=$1 url=$2 mode=$3 out=$TMPD/wrk-$1-$3.txt extra=() o1 o2
    [[ $mode == close ]] && extra=(-H 'Connection: close')
    # Warm-up: render cache, page cache, nginx's open file.
    nsx wrk -t1 -c2 -d1s -H "User-Agent: $UA" "${extra[@]}" "$url" >"$TMPD/warm-$name-$mode.txt" 2>&1 ||
        die "wrk warm-up against $name failed"
    o1=$(passive_opens)
    say "$name, $mode: wrk -t$THREADS -c$CONNS -d${DURATION}s"
    nsx wrk -t"$THREADS" -c"$CONNS" -d"$DURATION"s --latency -H "User-Agent: $UA" "${extra[@]}" "$url" \
        >"$out" 2>&1 || die "wrk against $name ($mode) failed: $(tail -n 3 "$out")"
    o2=$(passive_opens)
    ! grep -q 'Non-2xx or 3xx responses' "$out" || die "$name answered non-2xx during the $mode run: $(grep Non-2xx "$out")"
    RPS=$(awk '/^Requests\/sec:/ {print $2}' "$out")
    P99=$(awk '$1 == "99%" { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v)
          printf "%.2f", v * (u == "us" ? 0.001 : u == "s" ? 1000 : u == "m" ? 60000 : 1) }' "$out")
    REQS=$(awk '/requests in/ {print $1}' "$out")
    [[ -n $RPS && -n $P99 && -n $REQS ]] || die "cannot parse wrk output $out"
    CONNS_OPENED=$((o2 - o1))
    ERRS=$(awk '/Socket errors/ {sub(/.*Socket errors: /, ""); print}' "$out")
    [[ $name != autoprov ]] || AP_REQUESTS=$((AP_REQUESTS + REQS + $(awk '/requests in/ {print $1}' "$TMPD/warm-$name-$mode.txt")))
}

TABLE=$TMPD/table.txt VERDICT=met
row() { printf '%-9s %-21s %11s %8s %15s %12s %11s %10s  %s\n' "$@" >>"$TABLE"; }
median() { tr ' ' '\n' | sort -g | awk '{ v[NR] = $1 } END { printf "%.2f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
row server mode "req/s (med)" "p99 ms" "req/s min-max" connections "req/s ratio" "p99 ratio" "socket errors"
# Each round runs nginx then autoprov back to back; the table has the
# medians over the rounds, so one noisy second does not decide the verdict.
for mode in keepalive close; do
    label=$([[ $mode == keepalive ]] && echo "keep-alive" || echo "new conn per request")
    n_rps=() n_p99=() a_rps=() a_p99=() ratios=() n_conns=0 a_conns=0 n_errs="" a_errs=""
    for ((round = 1; round <= ROUNDS; round++)); do
        run_wrk nginx "$NGINX_URL" "$mode"
        n_rps+=("$RPS") n_p99+=("$P99") n_conns=$((n_conns + CONNS_OPENED)) n_errs=${ERRS:-$n_errs}
        r_n=$RPS
        run_wrk autoprov "$AP_URL" "$mode"
        a_rps+=("$RPS") a_p99+=("$P99") a_conns=$((a_conns + CONNS_OPENED)) a_errs=${ERRS:-$a_errs}
        ratios+=("$(awk -v a="$RPS" -v n="$r_n" 'BEGIN{printf "%.3f", a / n}')")
    done
    nm=$(echo "${n_rps[*]}" | median) np=$(echo "${n_p99[*]}" | median)
    am=$(echo "${a_rps[*]}" | median) ap=$(echo "${a_p99[*]}" | median)
    ratio=$(echo "${ratios[*]}" | median)
    range() { tr ' ' '\n' | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%d-%d", lo, hi }'; }
    p99_ratio=$(awk -v a="$ap" -v n="$np" 'BEGIN{if (n > 0) printf "%.2fx", a / n; else print "-"}')
    if awk -v r="$ratio" 'BEGIN{exit !(r < 0.5)}'; then VERDICT="NOT met"; fi
    row nginx "$label" "${nm%.*}" "$np" "$(echo "${n_rps[*]}" | range)" "$n_conns" 1.00x 1.00x "${n_errs:--}"
    row autoprov "$label" "${am%.*}" "$ap" "$(echo "${a_rps[*]}" | range)" "$a_conns" "$(printf '%.2f' "$ratio")x" "$p99_ratio" "${a_errs:--}"
done

# Every fetch must have become an event: count them after a graceful stop.
stop_pid "$AP_PID" TERM 10; AP_PID=""
EVENTS=$(sqlite3 "$STORE" "SELECT count(*) FROM device_event WHERE kind = 'config-fetch';" 2>&1) ||
    die "cannot count events: $EVENTS"

# ----------------------------------------------------------------- report ---

{
    echo "HTTP config-server benchmark: autoprov vs nginx (wrk, one namespace, loopback)"
    echo "date:      $(date '+%F %T %Z')"
    echo "host:      $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), kernel $(uname -r)"
    echo "load avg:  $(cut -d' ' -f1-3 /proc/loadavg) (at the end of the run)"
    echo "autoprov:  $(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown), binary $(date -r "$AUTOPROV_BIN" '+%F %T'); GET /$MAC.cfg rendered per device,"
    echo "           authorize leased_ip (source $PHONE_IP = the MAC's bound lease), every fetch recorded as an event (store default synchronous)"
    echo "nginx:     $(nginx -v 2>&1 | sed 's/.*: //'), $WORKERS workers, the same $BYTES bytes as a static file, sendfile on,"
    echo "           access_log on (combined format, one write per request: the counterpart of autoprov's events)"
    echo "wrk:       $(wrk -v 2>&1 | head -1 | awk '{print $2}'), -t$THREADS -c$CONNS -d${DURATION}s --latency, User-Agent '$UA';"
    echo "           new conn per request = 'Connection: close' (the server closes after each answer), as phones do;"
    echo "           1 s warm-up per server and mode; wrk shares the $(nproc) CPUs with the server"
    echo; cat "$TABLE"; echo
    echo "$ROUNDS rounds per mode, nginx then autoprov in each; req/s and p99 are medians over the rounds, the ratio is"
    echo "the median of the per-round ratios."
    echo "connections = TCP connections accepted during the run (nginx ends a keep-alive connection after 1000"
    echo "requests, its default). ratios = autoprov / nginx. socket read errors = the server closed connections"
    echo "wrk meant to reuse (a response closing the connection without saying 'Connection: close')."
    echo "target: autoprov >= 0.5x nginx requests/s in both modes: $VERDICT"
    echo "events:    $EVENTS config-fetch events recorded for $AP_REQUESTS requests wrk/curl completed against autoprov"
    ((EVENTS >= AP_REQUESTS)) || echo "WARNING:   fewer events than completed requests: fetches went unrecorded"
} >"$TMPD/report.txt"
cp "$TMPD/report.txt" "$OUT"
echo; cat "$OUT"; echo
say "written to $OUT"
