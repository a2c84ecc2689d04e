"""The trainers' progress report for a cohort of 2,000 learners × 50 lessons: time printed.

Measured as a trainer opens it, through the server: the report page, and the CSV
export streamed to the end. Sequential requests, median of several.
"""

from __future__ import annotations

import http.client
import json
import statistics
import time
from urllib.parse import urlsplit

from bench.harness import Context
from bench.prepare import REPORT_COHORT_PATH

REPEATS = 5
# Issue 18: the page (its first 100 learners, the charts of all) and the whole CSV.
MAX_MS = 400.0


def _timed_get(ctx: Context, path: str, cookie: str) -> tuple[float, int, int]:
    parts = urlsplit(ctx.url(path))
    started = time.perf_counter()
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    try:
        connection.request("GET", path, headers={"Cookie": cookie})
        response = connection.getresponse()
        size = len(response.read())
        return (time.perf_counter() - started) * 1000, response.status, size
    finally:
        connection.close()


def run(ctx: Context) -> None:
    setup = json.loads(REPORT_COHORT_PATH.read_text(encoding="utf-8"))
    cookie = f"sessionid={setup['session']}"
    base = f"/admin/learning/report/?cohort={setup['cohort_id']}"
    for name, path in [("cohort_report", base), ("cohort_report_csv", base + "&export=csv")]:
        timings, errors = [], 0
        for _ in range(REPEATS):
            elapsed, status, size = _timed_get(ctx, path, cookie)
            if status != 200 or size < 10_000:
                errors += 1
            timings.append(elapsed)
        if errors:
            ctx.errors[name] = ctx.errors.get(name, 0) + errors
        print(f"  {name}: median {statistics.median(timings):.0f} ms over {REPEATS}")
        ctx.results.add(
            f"{name}_2000x50_ms", statistics.median(timings), "ms", target=MAX_MS, compare="<="
        )
