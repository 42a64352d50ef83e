#!/usr/bin/env bash
# Where a signed-in request's time goes: `crm serve` (release) answering one route under load,
# sampled by perf (cpu-clock: this machine has no hardware counters, and valgrind 3.19 cannot run
# the server); prints the server's CPU time per request and its split by module and function.
#
#   bash Benchmarks/api-profile.sh                       # GET /api/v1/customers/{id}, 1,000 customers
#   ROUTE=me bash Benchmarks/api-profile.sh
#   CRM_BIN=/path/to/other/crm bash Benchmarks/api-profile.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROUTE=${ROUTE:-by-id}
CUSTOMERS=${CUSTOMERS:-1000}
SECONDS_UNDER_LOAD=${SECONDS_UNDER_LOAD:-30}
command -v perf >/dev/null || { echo "perf is needed (Debian: linux-perf)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is needed (Debian: wrk)" >&2; exit 1; }
if [ -z "${CRM_BIN:-}" ]; then
  swift build -c release --product crm >&2
  CRM_BIN=$(swift build -c release --show-bin-path)/crm
fi
work=$(mktemp -d /tmp/crm-api-profile.XXXXXX)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null || true; [ -n "${KEEP:-}" ] && echo "kept $work" >&2 || rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
wait_up() { for _ in $(seq 1 3000); do curl -fs "http://127.0.0.1:$1/healthz" >/dev/null 2>&1 && return 0; sleep 0.1; done; echo "server did not start" >&2; cat "$work"/*.log >&2; exit 1; }

export CRM_DATABASE_URL="sqlite:$work/crm.sqlite" CRM_BCRYPT_COST=10 CRM_LOG_LEVEL=warning CRM_EMBEDDED_WORKERS=false
printf 'uzun-kasa-parolasi-2026\n' | "$CRM_BIN" tenant create --slug bench --name "Bench" --sector drycleaning \
  --owner-email owner@bench.test --owner-name "Bench Owner" --owner-password-stdin >/dev/null
port=$(free_port)
"$CRM_BIN" serve --port "$port" >"$work/serve.log" 2>&1 & server=$!
wait_up "$port"
token=$(curl -fs "http://127.0.0.1:$port/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d '{"tenant":"bench","email":"owner@bench.test","password":"uzun-kasa-parolasi-2026"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
python3 Benchmarks/api/seed.py --base "http://127.0.0.1:$port" --token "$token" --count "$CUSTOMERS" --ids "$work/ids.txt"
kill "$server"; wait "$server" 2>/dev/null || true; server=""

echo "== $CRM_BIN sampled by perf: $ROUTE for ${SECONDS_UNDER_LOAD}s at 32 connections" >&2
"$CRM_BIN" serve --port "$port" >"$work/serve.log" 2>&1 & server=$!
wait_up "$port"
export TOKEN="$token" IDS="$work/ids.txt"
wrk -t1 -c32 -d5s -s "Benchmarks/api/$ROUTE.lua" "http://127.0.0.1:$port" >/dev/null   # warm: the session cached, code paths paged in
cpu() { awk '{print $14 + $15}' "/proc/$server/stat"; }                               # user + system, in clock ticks
before=$(cpu)
perf record -e cpu-clock -F 1999 -g -p "$server" -o "$work/perf.data" -- sleep "$SECONDS_UNDER_LOAD" >/dev/null 2>&1 &
sampler=$!
out=$(wrk -t1 -c32 -d"${SECONDS_UNDER_LOAD}s" -s "Benchmarks/api/$ROUTE.lua" "http://127.0.0.1:$port")
wait "$sampler" || true
after=$(cpu)
requests=$(echo "$out" | awk '/requests in/ {print $1}')
cpu_us=$(( (after - before) * 1000000 / $(getconf CLK_TCK) ))
kill "$server"; wait "$server" 2>/dev/null || true; server=""
perf report -i "$work/perf.data" --no-children --sort sym --stdio -g none 2>/dev/null | swift demangle > "$work/annotated.txt"
python3 - "$work/annotated.txt" "$requests" "$cpu_us" <<'PY'
import re, sys
text, requests, cpu_us = open(sys.argv[1]).read(), int(sys.argv[2]), int(sys.argv[3])
rows = []
for line in text.splitlines():
    m = re.match(r"\s*([\d.]+)%\s+\[[.k]\]\s+(\S.*)", line)
    if m:
        rows.append((float(m.group(1)), m.group(2).strip()))
groups = [
    ("SQLite itself (C)", r"sqlite3|sqlite_nio_sqlite3"),
    ("sqlite-nio, sqlite-kit, sql-kit", r"SQLiteNIO|SQLiteKit|SQLKit"),
    ("postgres-nio, postgres-kit", r"PostgresNIO|PostgresKit"),
    ("JSON (Foundation's encoder and decoder)", r"JSONEncoder|JSONDecoder|JSONWriter|JSONMap|JSON[A-Z]|__JSON|_JSON"),
    ("Foundation, other", r"Foundation|CoreFoundation|CF[A-Z]|__CF|ICU|icu_"),
    ("Swift concurrency (tasks, executors, continuations)", r"swift_task|_Concurrency|swift_job|swift_continuation|swift::|Task"),
    ("SwiftNIO, Hummingbird, HTTP types", r"NIO|Hummingbird|HTTPTypes"),
    ("our code (Kernel, HTTPAPI, Storage)", r"Kernel\.|HTTPAPI\.|Storage\."),
    ("crypto (SHA-256)", r"SHA|sha256|Crypto|CCryptoBoringSSL"),
    ("Swift runtime (retain/release, casts, metadata, allocation)", r"swift_|Swift\.|\$s|malloc|free|_int_|memcpy|memmove|memset|cfree|operator new"),
    ("kernel (system calls, scheduling)", r"^\[k\]|entry_SYSCALL|do_syscall|futex|epoll|__x64|_raw_spin|finish_task_switch"),
]
sums = {name: 0.0 for name, _ in groups}; sums["other"] = 0.0
for share, name in rows:
    for group, pattern in groups:
        if re.search(pattern, name):
            sums[group] += share; break
    else:
        sums["other"] += share
per_request = cpu_us / max(requests, 1)
print(f"{requests} requests in the window, {per_request:,.0f} µs of server CPU per request")
for name, share in sorted(sums.items(), key=lambda x: -x[1]):
    print(f"  {share:5.1f} %  {per_request * share / 100:>6,.1f} µs  {name}")
print("top functions (share of samples):")
for share, name in sorted(rows, reverse=True)[:25]:
    print(f"  {share:5.2f} %  {name[:140]}")
PY
