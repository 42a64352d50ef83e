#!/usr/bin/env bash
# Where a signed-in request's time goes: `crm serve` (release) under valgrind's callgrind, which
# counts instructions (the same count for the same binary and input, whatever else the machine is
# doing), answering one route for a while; prints instructions per request and their split by
# module.
#
#   bash Benchmarks/api-profile.sh                       # GET /api/v1/customers/{id}, 1,000 customers
#   ROUTE=me bash Benchmarks/api-profile.sh
#   CRM_BIN=/path/to/other/crm bash Benchmarks/api-profile.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROUTE=${ROUTE:-by-id}
CUSTOMERS=${CUSTOMERS:-1000}
SECONDS_UNDER_LOAD=${SECONDS_UNDER_LOAD:-30}
command -v valgrind >/dev/null || { echo "valgrind is needed (Debian: valgrind)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is needed (Debian: wrk)" >&2; exit 1; }
if [ -z "${CRM_BIN:-}" ]; then
  swift build -c release --product crm >&2
  CRM_BIN=$(swift build -c release --show-bin-path)/crm
fi
work=$(mktemp -d /tmp/crm-api-profile.XXXXXX)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
wait_up() { for _ in $(seq 1 600); do curl -fs "http://127.0.0.1:$1/healthz" >/dev/null 2>&1 && return 0; sleep 0.1; done; exit 1; }

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

echo "== $CRM_BIN under callgrind: $ROUTE for ${SECONDS_UNDER_LOAD}s" >&2
valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" "$CRM_BIN" serve --port "$port" >"$work/serve.log" 2>"$work/valgrind.log" & server=$!
wait_up "$port"
export TOKEN="$token" IDS="$work/ids.txt"
wrk -t1 -c4 -d5s -s "Benchmarks/api/$ROUTE.lua" "http://127.0.0.1:$port" >/dev/null   # warm: the session cached, code paths paged in
callgrind_control -z "$server" >/dev/null 2>&1 || true                                    # count from here
out=$(wrk -t1 -c4 -d"${SECONDS_UNDER_LOAD}s" --timeout 10s -s "Benchmarks/api/$ROUTE.lua" "http://127.0.0.1:$port")
requests=$(echo "$out" | awk '/requests in/ {print $1}')
kill "$server"; wait "$server" 2>/dev/null || true; server=""
callgrind_annotate --inclusive=no --threshold=100 "$work/callgrind.out" 2>/dev/null | swift demangle --simplified > "$work/annotated.txt"
python3 - "$work/annotated.txt" "$requests" <<'PY'
import re, sys
text, requests = open(sys.argv[1]).read(), int(sys.argv[2])
rows = []
for line in text.splitlines():
    m = re.match(r"\s*([\d,]+)\s+\([^)]*\)\s+(\S.*)", line)
    if m and ":" in m.group(2):
        rows.append((int(m.group(1).replace(",", "")), m.group(2)))
total = int(re.search(r"([\d,]+)\s+\([^)]*\)\s+PROGRAM TOTALS", text).group(1).replace(",", ""))
groups = [
    ("SQLite itself (sqlite3 C)", r"sqlite3|sqlite_nio_sqlite3"),
    ("sqlite-nio / sqlite-kit / sql-kit", r"SQLiteNIO|SQLiteKit|SQLKit"),
    ("JSON (Foundation encoder and decoder)", r"JSONEncoder|JSONDecoder|JSONWriter|JSON[A-Z]|__JSON"),
    ("Foundation, other", r"Foundation|CoreFoundation|libFoundation|CF[A-Z]|__CF"),
    ("Swift concurrency (tasks, executors)", r"swift_task|Concurrency|swift_job|swift_continuation|swift::|_Concurrency"),
    ("Swift runtime (retain/release, casts, metadata, allocation)", r"swift_|libswiftCore|Swift\.|malloc|free|_int_|memcpy|memmove"),
    ("SwiftNIO, Hummingbird, HTTP types", r"NIO|Hummingbird|HTTPTypes"),
    ("our code (Kernel, HTTPAPI, Storage)", r"Kernel\.|HTTPAPI\.|Storage\."),
    ("crypto (SHA-256)", r"SHA|sha256|Crypto"),
    ("kernel (syscalls, libc)", r"libc|syscall|epoll|write|read|futex"),
]
sums = {name: 0 for name, _ in groups}; sums["other"] = 0
for cost, name in rows:
    for group, pattern in groups:
        if re.search(pattern, name):
            sums[group] += cost; break
    else:
        sums["other"] += cost
print(f"{requests} requests, {total / max(requests, 1):,.0f} instructions per request")
for name, cost in sorted(sums.items(), key=lambda x: -x[1]):
    print(f"  {100 * cost / total:5.1f} %  {cost / max(requests, 1):>9,.0f}  {name}")
print("top functions (self cost per request):")
for cost, name in sorted(rows, reverse=True)[:25]:
    print(f"  {cost / max(requests, 1):>9,.0f}  {name[:150]}")
PY
