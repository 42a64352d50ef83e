#!/usr/bin/env python3
"""PgQueuer measured the way `crm-bench queue` measures crm's queue, for a side-by-side run.

bench:  enqueue rate (single, 16 concurrent enqueuers; batch, 10,000 per statement), throughput
        with N worker processes (time from the start of a batch enqueue until the queue is empty),
        and pick-up latency at light load (commit of an enqueue to the start of the job).
worker: a PgQueuer worker process with no-op and latency entrypoints, until SIGTERM.

Uses only PgQueuer's public API (QueueManager, Queries, AsyncpgDriver / AsyncpgPoolDriver).
"""
import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import time

import asyncpg
from pgqueuer import AsyncpgDriver, AsyncpgPoolDriver, QueueManager
from pgqueuer.queries import Queries


async def worker(dsn: str, batch: int) -> None:
    connection = await asyncpg.connect(dsn)
    qm = QueueManager(Queries(AsyncpgDriver(connection)))

    @qm.entrypoint("noop")
    async def noop(job) -> None:
        return None

    @qm.entrypoint("latency")
    async def latency(job) -> None:
        print(f"S {job.payload.decode()} {time.time_ns() // 1000}", flush=True)

    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, qm.shutdown.set)
    print("READY", flush=True)
    await qm.run(batch_size=batch)


class Workers:
    def __init__(self, count: int, dsn: str, batch: int) -> None:
        self.lines: list[str] = []
        self.processes = [
            subprocess.Popen([sys.executable, __file__, "worker", "--dsn", dsn, "--batch", str(batch)],
                             stdout=subprocess.PIPE, text=True, bufsize=1)
            for _ in range(count)
        ]

    async def ready(self) -> None:
        for process in self.processes:
            line = await asyncio.to_thread(process.stdout.readline)
            if "READY" not in line:
                raise RuntimeError(f"a PgQueuer worker did not start: {line!r}")

    async def stop(self) -> None:
        for process in self.processes:
            process.send_signal(signal.SIGTERM)
        for process in self.processes:
            out, _ = await asyncio.to_thread(process.communicate, None, 60)
            self.lines += out.splitlines()


async def count(pool, entrypoint: str) -> int:
    return await pool.fetchval("SELECT count(*) FROM pgqueuer WHERE entrypoint = $1", entrypoint)


async def wait_empty(pool, entrypoint: str) -> None:
    while await count(pool, entrypoint) > 0:
        await asyncio.sleep(0.05)


async def clear(pool) -> None:
    await pool.execute("DELETE FROM pgqueuer")
    await pool.execute("DELETE FROM pgqueuer_log")
    await pool.execute("VACUUM ANALYZE pgqueuer, pgqueuer_log")
    try:
        await pool.execute("CHECKPOINT")  # needs pg_checkpoint, which queue.sh grants
    except asyncpg.PostgresError:
        pass


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    return round(sorted(values)[min(len(values) - 1, round((len(values) - 1) * p))], 3)


async def bench(args) -> dict:
    pool = await asyncpg.create_pool(args.dsn, min_size=args.enqueuers, max_size=args.enqueuers + 2)
    queries = Queries(AsyncpgPoolDriver(pool))
    if not await queries.schema_is_installed():
        await queries.install()
    await clear(pool)
    n = args.jobs

    start = time.perf_counter()
    counter = iter(range(n))

    async def enqueuer() -> None:
        for i in counter:
            await queries.enqueue("noop-idle", str(i).encode(), 0)

    await asyncio.gather(*(enqueuer() for _ in range(args.enqueuers)))
    single = n / (time.perf_counter() - start)
    await clear(pool)

    async def enqueue_batch(entrypoint: str) -> None:
        for offset in range(0, n, 10_000):
            size = min(10_000, n - offset)
            await queries.enqueue([entrypoint] * size, [str(offset + i).encode() for i in range(size)], [0] * size)

    start = time.perf_counter()
    await enqueue_batch("noop-idle")
    batch = n / (time.perf_counter() - start)
    await clear(pool)

    throughput = {}
    for processes in args.processes:
        workers = Workers(processes, args.dsn, args.batch)
        await workers.ready()
        start = time.perf_counter()
        await enqueue_batch("noop")
        await wait_empty(pool, "noop")
        throughput[str(processes)] = n / (time.perf_counter() - start)
        await workers.stop()
        await clear(pool)

    workers = Workers(1, args.dsn, args.batch)
    await workers.ready()
    await asyncio.sleep(0.5)
    committed = {}
    for i in range(1, args.latency_jobs + 1):
        await queries.enqueue("latency", str(i).encode(), 0)
        committed[i] = time.time()
        await asyncio.sleep(args.latency_gap_ms / 1000)
    await wait_empty(pool, "latency")
    await asyncio.sleep(0.2)
    await workers.stop()
    started = {}
    for line in workers.lines:
        parts = line.split()
        if len(parts) == 3 and parts[0] == "S":
            started[int(parts[1])] = int(parts[2]) / 1_000_000
    latencies = [max(0.0, started[i] - at) * 1000 for i, at in committed.items() if i in started]
    await clear(pool)
    await pool.close()
    return {
        "system": "PgQueuer (Python)",
        "jobs": n,
        "enqueueSinglePerSecond": single,
        "enqueueBatchPerSecond": batch,
        "throughputPerSecond": throughput,
        "latencyMilliseconds": {"p50": percentile(latencies, 0.5), "p90": percentile(latencies, 0.9),
                                "p99": percentile(latencies, 0.99), "samples": len(latencies)},
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["bench", "worker"])
    parser.add_argument("--dsn", required=True)
    parser.add_argument("--jobs", type=int, default=100_000)
    parser.add_argument("--processes", type=lambda s: [int(x) for x in s.split(",")], default=[1, 4])
    parser.add_argument("--enqueuers", type=int, default=16)
    parser.add_argument("--batch", type=int, default=100)  # its best of 32 and 100 on this machine
    parser.add_argument("--latency-jobs", type=int, default=1000)
    parser.add_argument("--latency-gap-ms", type=float, default=5)
    args = parser.parse_args()
    if args.mode == "worker":
        asyncio.run(worker(args.dsn, args.batch))
    else:
        print(json.dumps(asyncio.run(bench(args))))


if __name__ == "__main__":
    main()
