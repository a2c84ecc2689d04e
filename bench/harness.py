"""What a benchmark module gets: the running server, the options, and interleaved runs.

The machine the bench runs on is shared and noisy, so an absolute figure says little
on its own. A benchmark therefore measures its subject and a control in the same run,
alternating between them round by round, and reports the ratio.
"""

from __future__ import annotations

import statistics
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bench.load import Sample, run_load
from bench.results import Results

# The controls every benchmark may compare against (created by bench/prepare.py and
# bench/urls.py).
DJANGO_VIEW_PATH = "/bench/ping/"
CONTROL_PAGE_PATH = "/ru/bench-control/"
# The same view through Django's default middleware only (bench/wsgi.py), and the same
# page as a minimal Wagtail page with no site chrome (bench/urls.py).
DEFAULT_MIDDLEWARE_VIEW_PATH = "/bench/default/ping/"
MINIMAL_PAGE_PATH = "/ru/bench-minimal/"
# Accounts a benchmark creates must use this domain: the database guard in
# bench/prepare.py accepts them, and nothing else beyond the demo accounts.
BENCH_EMAIL_DOMAIN = "bench.invalid"


@dataclass(frozen=True)
class Target:
    """One kind of request to put under load."""

    name: str
    path: str
    method: str = "GET"
    headers: Mapping[str, str] | None = None
    body: bytes | None = None
    expect_status: Sequence[int] = (200,)
    concurrency: int | None = None  # None: the run's --concurrency


@dataclass
class Comparison:
    """Samples of several targets, one per target per round."""

    rounds: dict[str, list[Sample]] = field(default_factory=dict)

    def sample(self, name: str) -> Sample:
        return Sample.merge(self.rounds[name])

    def rps(self, name: str) -> float:
        return self.sample(name).rps

    def p50_ms(self, name: str) -> float | None:
        return self.sample(name).percentile_ms(50)

    def p95_ms(self, name: str) -> float | None:
        return self.sample(name).percentile_ms(95)

    def p99_ms(self, name: str) -> float | None:
        return self.sample(name).percentile_ms(99)

    def ratio(self, subject: str, control: str) -> float | None:
        """Median over rounds of subject req/s divided by control req/s.

        Each round's pair ran back to back, under much the same background load, so
        the median of the paired ratios is steadier than a ratio of the totals.
        """
        ratios = [
            mine.rps / theirs.rps
            for mine, theirs in zip(self.rounds[subject], self.rounds[control], strict=True)
            if theirs.rps > 0
        ]
        return statistics.median(ratios) if ratios else None


@dataclass
class Context:
    base_url: str  # http://127.0.0.1:PORT, no trailing slash
    results: Results
    seconds: float = 5.0
    warmup: float = 1.0
    rounds: int = 3
    concurrency: int = 4
    errors: dict[str, int] = field(default_factory=dict)  # target name -> failed requests

    def url(self, path: str) -> str:
        return self.base_url + path

    def run(self, target: Target) -> Sample:
        """Warm up, then measure one target once."""
        sample = run_load(
            self.url(target.path),
            seconds=self.seconds,
            warmup=self.warmup,
            concurrency=target.concurrency or self.concurrency,
            headers=target.headers,
            method=target.method,
            body=target.body,
            expect_status=tuple(target.expect_status),
        )
        if sample.errors:
            self.errors[target.name] = self.errors.get(target.name, 0) + sample.errors
        return sample

    def interleave(self, targets: Sequence[Target]) -> Comparison:
        """Measure every target once per round; each round starts one target later."""
        names = [target.name for target in targets]
        if len(set(names)) != len(names):
            raise ValueError(f"target names must be unique: {names}")
        comparison = Comparison({name: [] for name in names})
        for round_number in range(self.rounds):
            shift = round_number % len(targets)
            for target in [*targets[shift:], *targets[:shift]]:
                sample = self.run(target)
                comparison.rounds[target.name].append(sample)
                self.progress(round_number, target, sample)
        return comparison

    def progress(self, round_number: int, target: Target, sample: Sample) -> None:
        p99 = sample.percentile_ms(99)
        line = (
            f"  round {round_number + 1}/{self.rounds}  {target.name:<16}"
            f" {sample.rps:9.1f} req/s  p99 {'n/a' if p99 is None else f'{p99:.1f} ms'}"
        )
        if sample.errors:
            line += f"  {sample.errors} errors (first: {sample.first_error})"
        print(line, file=sys.stderr, flush=True)
