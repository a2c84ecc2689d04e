"""A small closed-loop load generator: threads and ``http.client``, standard library only.

Each thread sends one request, waits for the whole response, and sends the next, until
the time is up. Gunicorn's sync workers close the connection after every response, so
each request opens a new connection, just as a browser behind a proxy would not.
"""

from __future__ import annotations

import http.client
import math
import threading
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class Sample:
    """What one measurement saw: latencies of the good responses, and the failures."""

    latencies: list[float] = field(default_factory=list)  # seconds, successful requests
    errors: int = 0
    elapsed: float = 0.0  # wall-clock seconds the measurement took
    first_error: str = ""

    @classmethod
    def merge(cls, samples: list[Sample]) -> Sample:
        merged = cls()
        for sample in samples:
            merged.latencies.extend(sample.latencies)
            merged.errors += sample.errors
            merged.elapsed += sample.elapsed
            merged.first_error = merged.first_error or sample.first_error
        return merged

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def rps(self) -> float:
        return self.requests / self.elapsed if self.elapsed > 0 else 0.0

    def percentile_ms(self, percent: float) -> float | None:
        """Nearest-rank percentile of the successful requests, in milliseconds."""
        if not self.latencies:
            return None
        ordered = sorted(self.latencies)
        rank = max(1, math.ceil(percent / 100 * len(ordered)))
        return ordered[rank - 1] * 1000

    def summary(self) -> dict:
        return {
            "requests": self.requests,
            "errors": self.errors,
            "rps": self.rps,
            "p50_ms": self.percentile_ms(50),
            "p95_ms": self.percentile_ms(95),
            "p99_ms": self.percentile_ms(99),
        }


def run_load(
    url: str,
    *,
    seconds: float,
    concurrency: int,
    headers: Mapping[str, str] | None = None,
    method: str = "GET",
    body: bytes | None = None,
    expect_status: Collection[int] = (200,),
    timeout: float = 30.0,
    warmup: float = 0.0,
) -> Sample:
    """Keep ``concurrency`` requests in flight for ``seconds``; return what was seen.

    ``warmup`` seconds of the same load come first and are thrown away (imports,
    template loading and connection set-up in each worker). A response with a status
    outside ``expect_status`` counts as an error, not as a request: a fast 404 or 500
    must never pass for throughput.
    """
    if warmup > 0:
        run_load(
            url,
            seconds=warmup,
            concurrency=concurrency,
            headers=headers,
            method=method,
            body=body,
            expect_status=expect_status,
            timeout=timeout,
        )
    parts = urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:
        raise ValueError(f"only plain http:// URLs are supported, not {url!r}")
    host, port = parts.hostname, parts.port or 80
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    request_headers = dict(headers or {})
    lock = threading.Lock()
    total = Sample()
    deadline = 0.0

    def worker() -> None:
        latencies: list[float] = []
        errors = 0
        first_error = ""
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            connection = http.client.HTTPConnection(host, port, timeout=timeout)
            try:
                connection.request(method, target, body=body, headers=request_headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as exc:
                errors += 1
                first_error = first_error or f"{type(exc).__name__}: {exc}"
                time.sleep(0.01)  # do not spin on a refused connection
                continue
            finally:
                connection.close()
            if status in expect_status:
                latencies.append(time.perf_counter() - start)
            else:
                errors += 1
                first_error = first_error or f"HTTP {status} from {method} {target}"
        with lock:
            total.latencies.extend(latencies)
            total.errors += errors
            total.first_error = total.first_error or first_error

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    began = time.perf_counter()
    deadline = began + seconds
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    total.elapsed = time.perf_counter() - began
    return total


def measure(
    url: str,
    *,
    seconds: float,
    concurrency: int,
    headers: Mapping[str, str] | None = None,
    warmup: float = 1.0,
    **options,
) -> dict:
    """``{requests, errors, rps, p50_ms, p95_ms, p99_ms}`` for ``url`` under load.

    Warms up first; takes the options of :func:`run_load` (``method``, ``body``,
    ``expect_status``, ``timeout``).
    """
    return run_load(
        url, seconds=seconds, concurrency=concurrency, headers=headers, warmup=warmup, **options
    ).summary()
