#!/usr/bin/env bash
# The signed-in API beside a bare Hummingbird route doing the same read, on SQLite and PostgreSQL.
#
#   bash Benchmarks/api.sh                      # 100,000 customers, 5 rounds of 5 s per route and server
#   CUSTOMERS=20000 ROUNDS=3 bash Benchmarks/api.sh
#   CRM_BIN=/path/to/other/crm bash Benchmarks/api.sh   # another build of crm (e.g. an older commit)
#   ENGINES=sqlite bash Benchmarks/api.sh
#
# For each engine: a fresh database, one tenant, CUSTOMERS customers created through the product's
# own API, then `crm serve` (release) and `crm-bare-read` (release; Hummingbird + sqlite-nio or
# postgres-nio, none of our code) side by side. Each round measures every route on both servers
# with `wrk -t1 -c32` (one after the other, the order alternating between rounds); the table gives
# medians over the rounds of requests per second, p50 and p99, and ours / bare.
#
# Routes: GET /api/v1/me (the token's user and tenant), GET /api/v1/customers/{id} (a random one of
# the seeded ids per request) and GET /api/v1/customers?q=<first name> <surname> typed without
# Turkish letters (50 newest matches). The bare server reads the same rows with the same SQL; on
# PostgreSQL it connects as a superuser (no row-level security, no tenant scope).
set -euo pipefail
cd "$(dirname "$0")/.."
. Benchmarks/wrk-http.sh
CUSTOMERS=${CUSTOMERS:-100000}
ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-5s}
ENGINES=${ENGINES:-sqlite postgres}
BUILD_FLAGS=${BUILD_FLAGS:-}   # e.g. "--scratch-path .build-release"

need_debian wrk

echo "== building crm-bare-read and crm (release)" >&2
swift build -c release $BUILD_FLAGS --product crm-bare-read >&2
bare_bin=$(swift build -c release $BUILD_FLAGS --show-bin-path)/crm-bare-read
if [ -z "${CRM_BIN:-}" ]; then
  swift build -c release $BUILD_FLAGS --product crm >&2
  CRM_BIN=$(swift build -c release $BUILD_FLAGS --show-bin-path)/crm
fi

work=$(mktemp -d /tmp/crm-api-bench.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${CRM_PG_DIR:-}" ] && Deploy/throwaway-postgres.sh stop "$CRM_PG_DIR"
  rm -rf "$work"
}
trap cleanup EXIT


results="$work/results.jsonl"
: > "$results"
for engine in $ENGINES; do
  if [ "$engine" = sqlite ]; then
    database_url="sqlite:$work/crm.sqlite"
    bare_args=(--sqlite "$work/crm.sqlite")
  else
    eval "$(Deploy/throwaway-postgres.sh start)"
    database_url="$CRM_TEST_POSTGRES_URL"
    bare_args=(--postgres "postgres://postgres@127.0.0.1:$CRM_PG_PORT/crm")
  fi
  export CRM_DATABASE_URL="$database_url" CRM_BCRYPT_COST=10 CRM_LOG_LEVEL=warning
  echo "== $engine: tenant and $CUSTOMERS customers" >&2
  printf 'uzun-kasa-parolasi-2026\n' | "$CRM_BIN" tenant create --slug bench --name "Bench Kuru Temizleme" --sector drycleaning \
    --owner-email owner@bench.test --owner-name "Bench Owner" --owner-password-stdin >/dev/null
  port=$(free_port)
  "$CRM_BIN" serve --port "$port" > "$work/crm-$engine.log" 2>&1 &
  pids+=($!)
  wait_up "$port"
  signed_in=$(curl -fs "http://127.0.0.1:$port/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d '{"tenant":"bench","email":"owner@bench.test","password":"uzun-kasa-parolasi-2026"}')
  token=$(echo "$signed_in" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
  tenant=$(echo "$signed_in" | python3 -c 'import json,sys; print(json.load(sys.stdin)["tenant"]["id"])')
  python3 Benchmarks/api/seed.py --base "http://127.0.0.1:$port" --token "$token" --count "$CUSTOMERS" --ids "$work/ids-$engine.txt"
  bare_port=$(free_port)
  "$bare_bin" "${bare_args[@]}" --tenant "$tenant" --port "$bare_port" > "$work/bare-$engine.log" 2>&1 &
  pids+=($!)
  wait_up "$bare_port" any
  export TOKEN="$token" IDS="$work/ids-$engine.txt"
  for script in me by-id search; do   # warm both servers' caches and connections
    wrk -t1 -c32 -d2s -s "Benchmarks/api/$script.lua" "http://127.0.0.1:$port" >/dev/null
    wrk -t1 -c32 -d2s -s "Benchmarks/api/$script.lua" "http://127.0.0.1:$bare_port" >/dev/null
  done
  for round in $(seq 1 "$ROUNDS"); do
    order="ours bare"; [ $((round % 2)) = 0 ] && order="bare ours"
    for script in me by-id search; do
      for side in $order; do
        target=$port; [ "$side" = bare ] && target=$bare_port
        out=$(wrk -t1 -c32 -d"$DURATION" --latency -s "Benchmarks/api/$script.lua" "http://127.0.0.1:$target")
        wrk_record "$engine" "$script" "$side" "$round" "$out" >> "$results"
        echo "   round $round $engine $script $side: $(tail -n 1 "$results")" >&2
      done
    done
  done
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  pids=()
  if [ "$engine" = postgres ]; then Deploy/throwaway-postgres.sh stop "$CRM_PG_DIR"; unset CRM_PG_DIR; fi
done

python3 - "$results" "$CUSTOMERS" "$ROUNDS" "$DURATION" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
print(f"{sys.argv[2]} customers, {sys.argv[3]} rounds of {sys.argv[4]} per route and server, wrk -t1 -c32, medians")
print(f"{'engine':9}{'route':8}{'ours req/s':>12}{'p50 ms':>8}{'p99 ms':>8}{'bare req/s':>12}{'p50 ms':>8}{'p99 ms':>8}{'ours/bare':>11}")
for engine in dict.fromkeys(r["engine"] for r in rows):
    for route in ("me", "by-id", "search"):
        def median(side, key):
            return statistics.median(r[key] for r in rows if r["engine"] == engine and r["route"] == route and r["side"] == side)
        ours, bare = median("ours", "rps"), median("bare", "rps")
        print(f"{engine:9}{route:8}{ours:>12,.0f}{median('ours', 'p50'):>8.2f}{median('ours', 'p99'):>8.2f}"
              f"{bare:>12,.0f}{median('bare', 'p50'):>8.2f}{median('bare', 'p99'):>8.2f}{ours / bare:>11.2f}")
bad = [r for r in rows if r["non2xx"]]
if bad:
    print(f"WARNING: {len(bad)} measurements had non-2xx answers, e.g. {bad[0]}")
PY
