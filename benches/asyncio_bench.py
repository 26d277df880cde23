#!/usr/bin/env python3
"""CPython asyncio on the workloads of benches/benches/tasks.rs (issue 5).

- spawn/join: N trivial tasks (`async def work(i): return i`) through
  `asyncio.TaskGroup` (create_task each, leave the `async with`; then, for
  `taskgroup_values`, read every task's `result()`) and through
  `asyncio.gather(*coroutines)`, N = 1,000 / 100,000 / 1,000,000.
- fail-together: 10,000 pending siblings, then one child raises; the time from
  the raise (timestamped by the child) to the TaskGroup's `async with`
  exiting. For gather, which leaves the others running, the time from the
  raise to the gather raising plus cancelling and awaiting the rest, which is
  what a user has to write.
- memory: RSS growth per pending task, 1,000,000 tasks parked in a TaskGroup.

Timing runs inside the event loop (as the Rust figures run inside a spawned
task). Prints ns per task and writes JSON with `--json PATH`.
"""

import argparse
import asyncio
import json
import os
import statistics
import sys
import time

SIZES = [1_000, 100_000, 1_000_000]
PENDING = 10_000


async def work(i):
    return i


async def taskgroup_spawn_join(n):
    async with asyncio.TaskGroup() as tg:
        for i in range(n):
            tg.create_task(work(i))


async def taskgroup_values(n):
    async with asyncio.TaskGroup() as tg:
        tasks = [tg.create_task(work(i)) for i in range(n)]
    total = sum(t.result() for t in tasks)
    assert total == n * (n - 1) // 2


async def gather_spawn_join(n):
    values = await asyncio.gather(*(work(i) for i in range(n)))
    assert len(values) == n


class Failure(Exception):
    pass


async def parked(started):
    started[0] += 1
    await asyncio.Future()  # never done: cancelled by the group


async def fail_after(go, stamp):
    await go.wait()
    stamp.append(time.perf_counter_ns())
    raise Failure("the first failure")


async def all_started(started, n):
    while started[0] < n:
        await asyncio.sleep(0)


async def taskgroup_fail_together(n):
    started, stamp, go = [0], [], asyncio.Event()
    try:
        async with asyncio.TaskGroup() as tg:
            for _ in range(n):
                tg.create_task(parked(started))
            tg.create_task(fail_after(go, stamp))
            await all_started(started, n)
            go.set()
    except* Failure:
        pass
    return time.perf_counter_ns() - stamp[0]


async def gather_fail_together(n):
    started, stamp, go = [0], [], asyncio.Event()
    tasks = [asyncio.ensure_future(parked(started)) for _ in range(n)]
    tasks.append(asyncio.ensure_future(fail_after(go, stamp)))
    await all_started(started, n)
    go.set()
    try:
        await asyncio.gather(*tasks)
    except Failure:
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    return time.perf_counter_ns() - stamp[0]


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


async def taskgroup_memory(n):
    started = [0]
    before = rss_bytes()
    grown = None

    class Done(Exception):
        pass

    try:
        async with asyncio.TaskGroup() as tg:
            for _ in range(n):
                tg.create_task(parked(started))
            await all_started(started, n)
            grown = rss_bytes() - before
            raise Done  # cancels the parked tasks
    except* Done:
        pass
    return grown


def timed(coro_fn, *args):
    """Runs one workload in a fresh loop and returns its time in ns,
    measured inside the loop."""

    async def inner():
        start = time.perf_counter_ns()
        await coro_fn(*args)
        return time.perf_counter_ns() - start

    return asyncio.run(inner())


def reps_for(n, base):
    return base if n <= 100_000 else max(1, base // 2)


def summarize(samples_ns, per):
    per_task = [s / per for s in samples_ns]
    return {"best": min(per_task), "median": statistics.median(per_task), "samples": per_task}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", help="write the figures here")
    parser.add_argument("--reps", type=int, default=5, help="repetitions (half at 1M)")
    parser.add_argument("--quick", action="store_true", help="N = 1,000 and 100,000 only")
    args = parser.parse_args()
    sizes = SIZES[:2] if args.quick else SIZES
    results = {"python": sys.version.split()[0], "spawn_join": {}, "fail_together": {}, "memory": {}}

    for n in sizes:
        for name, fn in (
            ("taskgroup", taskgroup_spawn_join),
            ("taskgroup_values", taskgroup_values),
            ("gather", gather_spawn_join),
        ):
            samples = [timed(fn, n) for _ in range(reps_for(n, args.reps))]
            fig = summarize(samples, n)
            results["spawn_join"].setdefault(name, {})[str(n)] = fig
            print(f"asyncio {name:16} N={n:>9,}: {fig['best']:9.0f} ns/task best, {fig['median']:9.0f} median", flush=True)

    for name, fn in (("taskgroup", taskgroup_fail_together), ("gather", gather_fail_together)):
        samples = [asyncio.run(fn(PENDING)) for _ in range(args.reps)]
        fig = summarize(samples, 1)
        results["fail_together"][name] = fig
        print(f"asyncio {name:9} fail-together, {PENDING:,} pending: {fig['best'] / 1e6:.2f} ms best, {fig['median'] / 1e6:.2f} ms median", flush=True)

    n = sizes[-1]
    grown = asyncio.run(taskgroup_memory(n))
    results["memory"]["taskgroup"] = {"n": n, "rss_delta": grown, "bytes_per_child": grown / n}
    print(f"asyncio taskgroup memory: {grown / n:.0f} B per pending task (N={n:,})", flush=True)

    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
