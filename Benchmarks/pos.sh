#!/usr/bin/env bash
# The till's API with a million customers: POS look-up by phone beside a bare Hummingbird route
# reading the same row through sqlite-nio / postgres-nio, and earning on a sale, on SQLite and
# PostgreSQL.
#
#   bash Benchmarks/pos.sh                       # 1,000,000 customers, 5 rounds of 5 s
#   CUSTOMERS=100000 ROUNDS=3 bash Benchmarks/pos.sh
#   ENGINES=postgres bash Benchmarks/pos.sh
#
# For each engine: a fresh database, a retail tenant (`crm tenant create`), CUSTOMERS customers with
# a phone and a lot of points each written by SQL (Benchmarks/pos/seed-*.sql: generate_series on
# PostgreSQL, a recursive CTE on SQLite), a point per lira, then `crm serve` (release) with a till
# added through the API, and `crm-bare-read` (release, none of our code; it checks no key and
# takes the number already in E.164). Before measuring, both answer one phone and the answers must
# be equal. Each round measures the look-up on both servers (`wrk -t1 -c32`, the order alternating
# between rounds) and then sales on ours: each request a new Idempotency-Key, a random customer and
# amount, booked with its points lot in one transaction. The table gives medians over the rounds.
set -euo pipefail
cd "$(dirname "$0")/.."
. Benchmarks/wrk-http.sh
CUSTOMERS=${CUSTOMERS:-1000000}
ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-5s}
ENGINES=${ENGINES:-sqlite postgres}
BUILD_FLAGS=${BUILD_FLAGS:-}   # e.g. "--scratch-path .build-release"

need_debian wrk sqlite3

echo "== building crm-bare-read and crm (release)" >&2
swift build -c release $BUILD_FLAGS --product crm-bare-read >&2
bare_bin=$(swift build -c release $BUILD_FLAGS --show-bin-path)/crm-bare-read
if [ -z "${CRM_BIN:-}" ]; then
  swift build -c release $BUILD_FLAGS --product crm >&2
  CRM_BIN=$(swift build -c release $BUILD_FLAGS --show-bin-path)/crm
fi

work=$(mktemp -d /tmp/crm-pos-bench.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${CRM_PG_DIR:-}" ] && Deploy/throwaway-postgres.sh stop "$CRM_PG_DIR"
  rm -rf "$work"
}
trap cleanup EXIT

json_field() { python3 -c "import json, sys; print(json.load(sys.stdin)$1)"; }

results="$work/results.jsonl"
: > "$results"
for engine in $ENGINES; do
  if [ "$engine" = sqlite ]; then
    database_url="sqlite:$work/crm.sqlite"
    bare_args=(--sqlite "$work/crm.sqlite")
  else
    eval "$(Deploy/throwaway-postgres.sh start)"
    database_url="$CRM_TEST_POSTGRES_URL"
    superuser="postgres://postgres@127.0.0.1:$CRM_PG_PORT/crm"
    bare_args=(--postgres "$superuser")
  fi
  export CRM_DATABASE_URL="$database_url" CRM_BCRYPT_COST=10 CRM_LOG_LEVEL=warning
  printf 'uzun-kasa-parolasi-2026\n' | "$CRM_BIN" tenant create --slug bench --name "Bench Kafe" --sector retail \
    --owner-email owner@bench.test --owner-name "Bench Owner" --owner-password-stdin >/dev/null
  started=$(date +%s)
  if [ "$engine" = sqlite ]; then
    sed "s/:n\b/$CUSTOMERS/g" Benchmarks/pos/seed-sqlite.sql | sqlite3 "$work/crm.sqlite" >/dev/null
  else
    psql -q -X "$superuser" -v n="$CUSTOMERS" -f Benchmarks/pos/seed-postgres.sql >/dev/null
  fi
  echo "== $engine: $CUSTOMERS customers seeded in $(( $(date +%s) - started )) s" >&2
  port=$(free_port)
  "$CRM_BIN" serve --port "$port" > "$work/crm-$engine.log" 2>&1 &
  pids+=($!)
  wait_up "$port"
  token=$(curl -fs "http://127.0.0.1:$port/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d '{"tenant":"bench","email":"owner@bench.test","password":"uzun-kasa-parolasi-2026"}' | json_field '["token"]')
  curl -fs -X PUT "http://127.0.0.1:$port/api/v1/settings/loyalty_points_per_lira" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' -d '{"value": 1}' >/dev/null
  branch=$(curl -fs "http://127.0.0.1:$port/api/v1/branches" -H "Authorization: Bearer $token" | json_field '["items"][0]["id"]')
  tenant=$(curl -fs "http://127.0.0.1:$port/api/v1/me" -H "Authorization: Bearer $token" | json_field '["tenant"]["id"]')
  key=$(curl -fs "http://127.0.0.1:$port/api/v1/pos-devices" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "{\"name\": \"Kasa 1\", \"branchId\": \"$branch\"}" | json_field '["key"]')
  bare_port=$(free_port)
  "$bare_bin" "${bare_args[@]}" --tenant "$tenant" --port "$bare_port" > "$work/bare-$engine.log" 2>&1 &
  pids+=($!)
  wait_up "$bare_port" any
  # The same customer, points and (no) coupons from both, or the comparison means nothing.
  sample=$(printf '%%2B90532%07d' $(( CUSTOMERS / 2 + 10 )))
  ours=$(curl -fs "http://127.0.0.1:$port/api/v1/pos/customers?phone=$sample" -H "Authorization: Bearer $key")
  bare=$(curl -fs "http://127.0.0.1:$bare_port/api/v1/pos/customers?phone=$sample")
  python3 - "$ours" "$bare" <<'PY'
import json, sys
ours, bare = (json.loads(text) for text in sys.argv[1:])
if ours != bare or len(ours["items"]) != 1 or ours["items"][0]["points"] <= 0:
    sys.exit(f"the two answers differ or hold no points:\n ours {ours}\n bare {bare}")
PY
  export KEY="$key" CUSTOMERS
  wrk -t1 -c32 -d2s -s Benchmarks/pos/lookup.lua "http://127.0.0.1:$port" >/dev/null   # warm caches and connections
  wrk -t1 -c32 -d2s -s Benchmarks/pos/lookup.lua "http://127.0.0.1:$bare_port" >/dev/null
  wrk -t1 -c32 -d2s -s Benchmarks/pos/sale.lua "http://127.0.0.1:$port" >/dev/null
  for round in $(seq 1 "$ROUNDS"); do
    order="ours bare"; [ $((round % 2)) = 0 ] && order="bare ours"
    for run in $order sale; do
      target=$port script=lookup side=$run
      [ "$run" = bare ] && target=$bare_port
      [ "$run" = sale ] && script=sale side=ours
      out=$(wrk -t1 -c32 -d"$DURATION" --latency -s "Benchmarks/pos/$script.lua" "http://127.0.0.1:$target")
      wrk_record "$engine" "$script" "$side" "$round" "$out" >> "$results"
      echo "   round $round $engine $script $side: $(tail -n 1 "$results")" >&2
    done
  done
  # Every sale answered booked one sale and one lot: counted back from the database (a sale still
  # in flight when wrk stopped is booked but not counted as answered).
  count() { if [ "$engine" = sqlite ]; then sqlite3 "$work/crm.sqlite" "$1"; else psql -qtAX "$superuser" -c "$1"; fi; }
  sales=$(count "SELECT COUNT(*) FROM pos_sales")
  lots=$(count "SELECT COUNT(*) FROM loyalty_entries WHERE source_key LIKE 'pos:%'")
  answered=$(python3 -c "import json; print(sum(r['requests'] - r['non2xx'] for l in open('$results') if (r := json.loads(l))['engine'] == '$engine' and r['route'] == 'sale'))")
  echo "   $engine: $answered sales answered in the measured runs, $sales booked in all, $lots lots earned" >&2
  [ "$answered" -gt 0 ] && [ "$sales" = "$lots" ] && [ "$sales" -ge "$answered" ] || { echo "no sale answered, or sales and lots do not match" >&2; exit 1; }
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  pids=()
  if [ "$engine" = postgres ]; then Deploy/throwaway-postgres.sh stop "$CRM_PG_DIR"; unset CRM_PG_DIR; fi
done

python3 - "$results" "$CUSTOMERS" "$ROUNDS" "$DURATION" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
print(f"{int(sys.argv[2]):,} customers, {sys.argv[3]} rounds of {sys.argv[4]} per run, wrk -t1 -c32, medians")
print(f"{'engine':9}{'run':14}{'req/s':>10}{'p50 ms':>8}{'p99 ms':>8}")
for engine in dict.fromkeys(r["engine"] for r in rows):
    def median(route, side, key):
        return statistics.median(r[key] for r in rows if r["engine"] == engine and r["route"] == route and r["side"] == side)
    for route, side in (("lookup", "ours"), ("lookup", "bare"), ("sale", "ours")):
        print(f"{engine:9}{route + ' ' + side:14}{median(route, side, 'rps'):>10,.0f}{median(route, side, 'p50'):>8.2f}{median(route, side, 'p99'):>8.2f}")
    print(f"{engine:9}{'ours / bare':14}{median('lookup', 'ours', 'rps') / median('lookup', 'bare', 'rps'):>10.2f}")
bad = [r for r in rows if r["non2xx"]]
if bad:
    print(f"WARNING: {len(bad)} measurements had non-2xx answers, e.g. {bad[0]}")
PY
