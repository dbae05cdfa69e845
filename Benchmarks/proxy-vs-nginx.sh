#!/usr/bin/env bash
# The gateway beside nginx as reverse proxies in front of the same nginx upstream, on loopback, in one run:
# small JSON GETs with wrk, rounds interleaved so machine noise hits both alike. Prints requests/s and p99 for
# each and their ratio, and the gateway's idle RSS.
#   ACME=.build/release/acme THREADS=1 CONNECTIONS=64 DURATION=10 ROUNDS=2 Benchmarks/proxy-vs-nginx.sh
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-packages.sh nginx wrk >/dev/null

ACME=${ACME:-.build/release/acme}
THREADS=${THREADS:-1}
CONNECTIONS=${CONNECTIONS:-64}
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-2}
work=$(mktemp -d /tmp/acme-bench.XXXXXX)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
upstream_port=$(free_port); nginx_port=$(free_port); gateway_port=$(free_port); admin_port=$(free_port)

cat >"$work/nginx.conf" <<CONF
worker_processes $THREADS;
pid $work/nginx.pid;
error_log $work/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    upstream backend { server 127.0.0.1:$upstream_port; keepalive 128; }
    server { listen 127.0.0.1:$upstream_port; keepalive_requests 1000000;
             location / { default_type application/json; return 200 '{"ok":true,"service":"bench","n":1}'; } }
    server { listen 127.0.0.1:$nginx_port; keepalive_requests 1000000;
             location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection ""; } }
}
CONF
nginx -c "$work/nginx.conf" -p "$work"

mkdir -p "$work/gateway/routes"
echo '{"consumers": [], "plugins": []}' >"$work/gateway/plugins.json"
cat >"$work/gateway/routes/bench.json" <<CONF
{ "service": { "name": "bench", "url": "http://127.0.0.1:$upstream_port" },
  "routes": [ { "name": "bench", "paths": ["/"], "strip_path": false } ] }
CONF
LOG_LEVEL=warning "$ACME" gateway --config "$work/gateway" --threads "$THREADS" \
    --proxy-listen "127.0.0.1:$gateway_port" --admin-listen "127.0.0.1:$admin_port" &
gateway_pid=$!
pids+=("$gateway_pid")
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$gateway_port/" >/dev/null 2>&1 && break; sleep 0.1; done
idle_rss=$(awk '/VmRSS/ {print $2}' "/proc/$gateway_pid/status")

run() { # name port -> "rps p99_ms"
    local out
    out=$(wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency "http://127.0.0.1:$2/" 2>&1)
    if echo "$out" | grep -q "Non-2xx\|Socket errors"; then echo "$1: errors: $(echo "$out" | grep -E 'Non-2xx|Socket errors')" >&2; fi
    local rps p99
    rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
    p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
    echo "$rps $p99"
}
to_ms() { python3 -c "import sys; v=sys.argv[1]; print(float(v[:-2])/1000 if v.endswith('us') else float(v[:-2]) if v.endswith('ms') else float(v[:-1])*1000)" "$1"; }

wrk -t1 -c"$CONNECTIONS" -d2s "http://127.0.0.1:$nginx_port/" >/dev/null
wrk -t1 -c"$CONNECTIONS" -d2s "http://127.0.0.1:$gateway_port/" >/dev/null
declare -a nginx_rps gateway_rps nginx_p99 gateway_p99
for round in $(seq 1 "$ROUNDS"); do
    read -r r p < <(run nginx "$nginx_port"); nginx_rps+=("$r"); nginx_p99+=("$(to_ms "$p")")
    read -r r p < <(run gateway "$gateway_port"); gateway_rps+=("$r"); gateway_p99+=("$(to_ms "$p")")
    echo "round $round: nginx ${nginx_rps[-1]} req/s p99 ${nginx_p99[-1]} ms; gateway ${gateway_rps[-1]} req/s p99 ${gateway_p99[-1]} ms"
done
python3 - "${nginx_rps[*]}" "${gateway_rps[*]}" "${nginx_p99[*]}" "${gateway_p99[*]}" "$idle_rss" "$THREADS" "$CONNECTIONS" <<'PY'
import statistics, sys
n, g, np99, gp99 = ([float(x) for x in a.split()] for a in sys.argv[1:5])
rss_kb, threads, conns = int(sys.argv[5]), sys.argv[6], sys.argv[7]
nm, gm, npm, gpm = statistics.median(n), statistics.median(g), statistics.median(np99), statistics.median(gp99)
print(f"\nthreads={threads} wrk -t1 -c{conns}, median of {len(n)} rounds")
print(f"| proxy   | requests/s | p99 ms |")
print(f"| nginx   | {nm:10.0f} | {npm:6.2f} |")
print(f"| gateway | {gm:10.0f} | {gpm:6.2f} |")
print(f"ratio gateway/nginx: throughput {gm/nm:.2f}x, p99 {gpm/npm:.2f}x; gateway idle RSS {rss_kb/1024:.1f} MB")
PY
