#!/usr/bin/env bash
# The job queue against PgQueuer, on the same throwaway PostgreSQL, on this machine, in one run.
#
#   bash Benchmarks/queue.sh            # 100,000 no-op jobs; JOBS=20000 for a quicker look
#
# Measures, for each system: enqueue rate (single jobs from 16 concurrent enqueuers; batches of
# 10,000), throughput with 1 and 4 worker processes (from the start of a batch enqueue of all jobs
# until the queue is empty), and pick-up latency at light load (commit of an enqueue to the start
# of its job, one job every 5 ms). PostgreSQL runs with its default durability (fsync on); each
# measurement starts after VACUUM ANALYZE and CHECKPOINT of the one before, on both sides.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-100000}
PROCESSES=${PROCESSES:-1,4}

export CRM_PG_DURABLE=1
eval "$(Deploy/throwaway-postgres.sh start)"
trap 'Deploy/throwaway-postgres.sh stop "$CRM_PG_DIR"' EXIT
base="postgres://crm:crm@127.0.0.1:$CRM_PG_PORT"
"$CRM_PG_BIN/psql" "$base/crm" -q -c "CREATE DATABASE bench_crm" -c "CREATE DATABASE bench_pgqueuer"
# Each measurement starts after a VACUUM and a CHECKPOINT (both sides), not amid the last one's debris.
"$CRM_PG_BIN/psql" -h 127.0.0.1 -p "$CRM_PG_PORT" -U postgres -d postgres -q -c "GRANT pg_checkpoint TO crm"

echo "== building crm-bench (release)" >&2
swift build -c release --product crm-bench >&2

echo "== preparing PgQueuer (PyPI, in .build/venv-pgqueuer)" >&2
venv=.build/venv-pgqueuer
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q pgqueuer asyncpg >&2

echo "== crm: $JOBS jobs" >&2
ours=$(.build/release/crm-bench queue --database-url "$base/bench_crm?sslmode=disable" --jobs "$JOBS" --processes "$PROCESSES" --json)
echo "== PgQueuer $("$venv/bin/pip" show pgqueuer | awk '/^Version/ {print $2}'): $JOBS jobs" >&2
theirs=$("$venv/bin/python" Benchmarks/pgqueuer_bench.py bench --dsn "$base/bench_pgqueuer" --jobs "$JOBS" --processes "$PROCESSES")

python3 - "$ours" "$theirs" <<'PY'
import json, sys
ours, theirs = json.loads(sys.argv[1]), json.loads(sys.argv[2])
rows = [("enqueue, single (jobs/s)", "enqueueSinglePerSecond", None), ("enqueue, batch (jobs/s)", "enqueueBatchPerSecond", None)]
print(f"{'':34}{ours['system']:>18}{theirs['system']:>20}{'ratio':>8}")
def line(label, a, b, fmt="{:,.0f}"):
    ratio = a / b if b else float("nan")
    print(f"{label:34}{fmt.format(a):>18}{fmt.format(b):>20}{ratio:>8.2f}")
for label, key, _ in rows:
    line(label, ours[key], theirs[key])
for processes in sorted(ours["throughputPerSecond"], key=int):
    line(f"throughput, {processes} process(es) (jobs/s)", ours["throughputPerSecond"][processes], theirs["throughputPerSecond"][processes])
for p in ("p50", "p90", "p99"):
    line(f"pick-up latency {p} (ms, lower is better)", ours["latencyMilliseconds"][p], theirs["latencyMilliseconds"][p], "{:.2f}")
print(f"jobs per measurement: {ours['jobs']}; latency samples: {int(ours['latencyMilliseconds']['samples'])} / {int(theirs['latencyMilliseconds']['samples'])}")
PY
