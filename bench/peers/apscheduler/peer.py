"""APScheduler 3 under the load `schedd-bench peers` gives every scheduler.

`--jobs` jobs on a cron trigger firing every second, `--seconds` whole seconds measured after
one to settle. Each fire records its lag (the time the job's body runs, past the start of its
second) in a histogram of 10 us buckets; the last line printed is the result, as JSON.
The scheduler is APScheduler's BackgroundScheduler with its default thread pool, as its
documentation sets it up.

Usage: python peer.py --jobs N --seconds S
"""

import argparse
import json
import math
import os
import resource
import threading
import time

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger

BUCKET_US = 10
BUCKETS = 100_001


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, required=True)
    parser.add_argument("--seconds", type=int, required=True)
    args = parser.parse_args()

    buckets = [0] * BUCKETS
    window = [math.inf, -math.inf]
    lock = threading.Lock()

    def fire() -> None:
        now = time.time()
        second = math.floor(now)
        if second < window[0] or second > window[1]:
            return
        i = min(int((now - second) * 1_000_000) // BUCKET_US, BUCKETS - 1)
        with lock:
            buckets[i] += 1

    sched = BackgroundScheduler(timezone="UTC")
    loading = time.monotonic()
    for n in range(args.jobs):
        sched.add_job(fire, CronTrigger(second="*", timezone="UTC"), id=f"job-{n}")
    load_s = time.monotonic() - loading
    print(f"loaded {args.jobs} jobs in {load_s:.2f} s", flush=True)
    sched.start()
    first = math.floor(time.time()) + 2
    last = first + args.seconds - 1
    window[0], window[1] = first, last
    time.sleep(max(0.0, first - time.time()))
    ru0 = resource.getrusage(resource.RUSAGE_SELF)
    time.sleep(max(0.0, last + 1 - time.time()))
    ru1 = resource.getrusage(resource.RUSAGE_SELF)
    time.sleep(0.9)
    with lock:
        counts = list(buckets)
    fires = sum(counts)

    def pct(p: float) -> float:
        want = max(1, math.ceil(fires * p))
        seen = 0
        for i, c in enumerate(counts):
            seen += c
            if seen >= want:
                return i * BUCKET_US / 1000
        return 0.0

    top = max((i for i, c in enumerate(counts) if c), default=0)
    with open("/proc/self/statm") as f:
        rss = int(f.read().split()[1]) * 4096
    print(
        json.dumps(
            {
                "fires": fires,
                "expected": args.jobs * args.seconds,
                "lag_p50_ms": pct(0.50),
                "lag_p99_ms": pct(0.99),
                "lag_max_ms": top * BUCKET_US / 1000,
                "cpu_s": (ru1.ru_utime + ru1.ru_stime) - (ru0.ru_utime + ru0.ru_stime),
                "rss_mib": rss / 1048576,
                "load_s": load_s,
            }
        ),
        flush=True,
    )
    # The scheduler's threads are not waited for: the measurement is done.
    os._exit(0)


if __name__ == "__main__":
    main()
