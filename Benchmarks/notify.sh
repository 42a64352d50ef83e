#!/usr/bin/env bash
# "Ready" notifications sent by `crm worker` processes on a throwaway PostgreSQL, to a local
# Netgsm gateway that answers at once (the tests' own, in crm-bench).
#
#   bash Benchmarks/notify.sh            # 50,000 messages, 1 and 4 worker processes, 3 interleaved rounds
#   MESSAGES=10000 ROUNDS=1 bash Benchmarks/notify.sh     # a quicker look
#
# The orders are made and scanned to ready by the kernel, each scan enqueuing its message job; the
# jobs are enqueued again for every round. The message log holds a week-old message per order, as
# a working shop's log holds its history; each round's own rows are deleted before the next, and the
# tables are vacuumed, analysed (as autovacuum keeps them) and checkpointed.
# A round counts from the enqueue until the queue is empty and the gateway has every message; it
# fails unless the gateway received each message exactly once and the log records each as sent.
# PostgreSQL runs with its default durability (fsync on).
set -euo pipefail
cd "$(dirname "$0")/.."
MESSAGES=${MESSAGES:-50000}
CUSTOMERS=${CUSTOMERS:-10000}
PROCESSES=${PROCESSES:-1,4}
ROUNDS=${ROUNDS:-3}

export CRM_PG_DURABLE=1
eval "$(Deploy/throwaway-postgres.sh start)"
trap 'Deploy/throwaway-postgres.sh stop "$CRM_PG_DIR"' EXIT
base="postgres://crm:crm@127.0.0.1:$CRM_PG_PORT"
"$CRM_PG_BIN/psql" "$base/crm" -q -c "CREATE DATABASE bench_notify"
"$CRM_PG_BIN/psql" -h 127.0.0.1 -p "$CRM_PG_PORT" -U postgres -d postgres -q -c "GRANT pg_checkpoint TO crm"

echo "== building crm and crm-bench (release)" >&2
swift build -c release --product crm >&2
swift build -c release --product crm-bench >&2

.build/release/crm-bench notify --database-url "$base/bench_notify?sslmode=disable" --crm "$PWD/.build/release/crm" \
    --messages "$MESSAGES" --customers "$CUSTOMERS" --processes "$PROCESSES" --rounds "$ROUNDS"
