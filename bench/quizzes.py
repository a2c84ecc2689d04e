"""A national final test: 1,000 learners start an attempt at once, then answer questions.

* the start: 1,000 learners press "Start" within moments of each other (16 requests in
  flight), each a ``POST /ru/quizzes/<quiz>/start/`` of their own;
* the answers: with those 1,000 attempts in progress, learners save true/false answers
  (``POST /ru/quizzes/attempts/<attempt>/q/<position>/`` with ``go=next``), each request
  another learner's, at a few levels of concurrency, interleaved with the trivial view
  and the bare Wagtail page. The highest throughput whose 95th percentile stays under a
  second, times 30 s, is how many learners answering a question every 30 s the machine
  carries.

The quiz, the learners and their signed-in sessions come from ``bench.prepare
quiz-learners`` (``bench/.work/quiz_learners.json``). Each learner's requests carry a
CSRF cookie and the same secret in the form, as a browser's would after loading the page.

Every request here varies with the learner and the question, and a 302 is only a
success when it goes where it should (a 302 to the sign-in page is a failure), so the
requests are sent by a small load loop of this module's own rather than by
``bench.load``, which repeats one request and looks at the status alone.
"""

from __future__ import annotations

import http.client
import itertools
import json
import re
import secrets
import string
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from bench.harness import CONTROL_PAGE_PATH, DJANGO_VIEW_PATH, Comparison, Context, Target
from bench.load import Sample, run_load
from bench.prepare import QUIZ_LEARNERS_PATH

START_PATH = "/ru/quizzes/{quiz_id}/start/"
QUESTION_PATH = "/ru/quizzes/attempts/{attempt_id}/q/{position}/"
# Where a start or a save must redirect to: a question of the attempt.
QUESTION_LOCATION = re.compile(r"^(?:https?://[^/]+)?/ru/quizzes/attempts/(\d+)/q/(\d+)/$")

BURST_CONCURRENCY = 16
BURST_MAX_SECONDS = 10.0
# Answer saves are measured at these numbers of requests in flight (and at --concurrency,
# which the ratio against the control uses); the capacity takes the best that keeps p95
# under ANSWER_SAVE_MAX_P95_MS.
ANSWER_SAVE_CONCURRENCY = (4, 8, 16)
ANSWER_SAVE_MAX_P95_MS = 1000.0
ANSWER_INTERVAL_SECONDS = 30  # a learner answers one question every 30 s
CAPACITY_MIN_LEARNERS = 15_000
# An answer save may cost at most 2.5 times the trivial view (its req/s over the view's).
ANSWER_SAVE_MIN_VS_DJANGO_VIEW = 0.4
REQUEST_TIMEOUT = 30.0

CSRF_CHARS = string.ascii_letters + string.digits


@dataclass(frozen=True)
class Request:
    path: str
    headers: dict[str, str]
    body: bytes
    learner: str  # e-mail address
    expect_location: str | None = None  # the exact redirect a save must answer with


@dataclass(frozen=True)
class Learner:
    email: str
    session_key: str
    csrf_token: str  # an unmasked 32-character secret: cookie and form field alike

    def post(self, path: str, fields: dict[str, str], **options) -> Request:
        body = urlencode({**fields, "csrfmiddlewaretoken": self.csrf_token}).encode()
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"sessionid={self.session_key}; csrftoken={self.csrf_token}",
        }
        return Request(path, headers, body, self.email, **options)


def load_learners() -> tuple[int, list[Learner]]:
    """The quiz's id and its learners, as ``bench.prepare quiz-learners`` left them."""
    data = json.loads(QUIZ_LEARNERS_PATH.read_text(encoding="utf-8"))
    learners = [
        Learner(email, key, "".join(secrets.choice(CSRF_CHARS) for _ in range(32)))
        for email, key in data["sessions"].items()
    ]
    if not learners:
        raise RuntimeError(f"{QUIZ_LEARNERS_PATH}: no learners")
    return int(data["quiz_id"]), learners


def _post(base_url: str, request: Request) -> tuple[int, str]:
    """Send one request on a connection of its own; the status and the Location."""
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=REQUEST_TIMEOUT)
    try:
        connection.request("POST", request.path, body=request.body, headers=request.headers)
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("Location") or ""
    finally:
        connection.close()


def _failure(request: Request, status: int, location: str) -> str | None:
    """Why the response is not the expected redirect (None: it is)."""
    if status != 302:
        return f"HTTP {status} from POST {request.path}"
    if request.expect_location is not None:
        if location != request.expect_location:
            return f"302 to {location!r} from POST {request.path}"
    elif not QUESTION_LOCATION.match(location):
        return f"302 to {location!r} from POST {request.path}"
    return None


def drive(
    base_url: str,
    next_request: Callable[[], Request | None],
    *,
    concurrency: int,
    seconds: float | None = None,
    on_success: Callable[[Request, str], None] | None = None,
) -> Sample:
    """Keep ``concurrency`` requests in flight until ``seconds`` pass or requests run out.

    ``next_request`` is called from several threads at once (under a lock) and returns
    None when there is nothing more to send. A success is a 302 to where the request
    should lead; ``on_success(request, location)`` is told of each one.
    """
    lock = threading.Lock()
    total = Sample()
    began = time.perf_counter()
    deadline = None if seconds is None else began + seconds

    def worker() -> None:
        latencies: list[float] = []
        errors, first_error = 0, ""
        while deadline is None or time.perf_counter() < deadline:
            with lock:
                request = next_request()
            if request is None:
                break
            start = time.perf_counter()
            try:
                status, location = _post(base_url, request)
            except (OSError, http.client.HTTPException) as exc:
                errors += 1
                first_error = first_error or f"{type(exc).__name__}: {exc}"
                time.sleep(0.01)  # do not spin on a refused connection
                continue
            failure = _failure(request, status, location)
            if failure:
                errors += 1
                first_error = first_error or failure
                continue
            latencies.append(time.perf_counter() - start)
            if on_success is not None:
                on_success(request, location)
        with lock:
            total.latencies.extend(latencies)
            total.errors += errors
            total.first_error = total.first_error or first_error

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    total.elapsed = time.perf_counter() - began
    return total


def start_burst(ctx: Context, quiz_id: int, learners: Sequence[Learner]) -> dict[str, int]:
    """Every learner starts an attempt, 16 at a time; returns their attempt ids."""
    # Warm the workers up as every other measurement does (on the bare page: the
    # learners' sessions and attempts must be untouched before the burst).
    run_load(ctx.url(CONTROL_PAGE_PATH), seconds=ctx.warmup, concurrency=ctx.concurrency)

    path = START_PATH.format(quiz_id=quiz_id)
    pending = iter([learner.post(path, {}) for learner in learners])
    attempts: dict[str, int] = {}

    def started(request: Request, location: str) -> None:
        attempts[request.learner] = int(QUESTION_LOCATION.match(location).group(1))

    sample = drive(
        ctx.base_url,
        lambda: next(pending, None),
        concurrency=BURST_CONCURRENCY,
        on_success=started,
    )
    if sample.errors:
        ctx.errors["attempt_start"] = ctx.errors.get("attempt_start", 0) + sample.errors
    p95 = sample.percentile_ms(95)
    line = (
        f"  {len(learners)} attempt starts, {BURST_CONCURRENCY} in flight: "
        f"{sample.elapsed:.2f} s, p95 {'n/a' if p95 is None else f'{p95:.0f} ms'}"
    )
    if sample.errors:
        line += f", {sample.errors} errors (first: {sample.first_error})"
    print(line, file=sys.stderr, flush=True)

    add = ctx.results.add
    add("attempt_start_burst_seconds", sample.elapsed, "s", target=BURST_MAX_SECONDS, compare="<=")
    add("attempt_start_burst_errors", sample.errors, "requests", target=0, compare="<=")
    add("attempt_start_p95_ms", p95, "ms")
    if len(set(attempts.values())) != len(attempts):
        raise RuntimeError("two learners were sent to the same attempt")
    return attempts


def answer_requests(learners: Sequence[Learner], attempts: dict[str, int]) -> list[Request]:
    """Saves of "true" with "next", learner after learner, then the next question.

    Positions 0 to 18 of the 20 questions: "next" from the last one would stay there.
    Consecutive requests are different learners', as in a room of people answering.
    """
    requests = []
    for position in range(19):
        for learner in learners:
            attempt_id = attempts.get(learner.email)
            if attempt_id is None:
                continue
            path = QUESTION_PATH.format(attempt_id=attempt_id, position=position)
            following = QUESTION_PATH.format(attempt_id=attempt_id, position=position + 1)
            requests.append(
                learner.post(path, {"value": "true", "go": "next"}, expect_location=following)
            )
    return requests


def measure_answer_saves(ctx: Context, requests: list[Request], levels: Sequence[int]):
    """Rounds of: the trivial view and the bare page at --concurrency, and answer saves
    at every level."""
    cycle = itertools.cycle(requests)
    controls = {
        target.name: target
        for target in (
            Target("django_view", DJANGO_VIEW_PATH),
            Target("wagtail_page", CONTROL_PAGE_PATH),
        )
    }
    names = [*controls, *(f"answer_save_c{level}" for level in levels)]
    comparison = Comparison({name: [] for name in names})
    for round_number in range(ctx.rounds):
        shift = round_number % len(names)
        for name in [*names[shift:], *names[:shift]]:
            if name in controls:
                target = controls[name]
                sample = ctx.run(target)
            else:
                level = int(name.removeprefix("answer_save_c"))
                target = Target(name, QUESTION_PATH, method="POST", concurrency=level)
                for seconds, keep in ((ctx.warmup, False), (ctx.seconds, True)):
                    sample = drive(
                        ctx.base_url, lambda: next(cycle), concurrency=level, seconds=seconds
                    )
                    if sample.errors:
                        ctx.errors[name] = ctx.errors.get(name, 0) + sample.errors
                    if not keep and sample.errors:
                        ctx.progress(round_number, Target(f"{name} (warm-up)", ""), sample)
            comparison.rounds[name].append(sample)
            ctx.progress(round_number, target, sample)
    return comparison


def run(ctx: Context) -> None:
    quiz_id, learners = load_learners()
    attempts = start_burst(ctx, quiz_id, learners)
    requests = answer_requests(learners, attempts)
    if not requests:
        raise RuntimeError("no attempt was started: nothing to answer")

    levels = sorted({ctx.concurrency, *ANSWER_SAVE_CONCURRENCY})
    measured = measure_answer_saves(ctx, requests, levels)
    # The best throughput whose 95th percentile stays within a second.
    within = [
        level
        for level in levels
        if (p95 := measured.p95_ms(f"answer_save_c{level}")) is not None
        and p95 <= ANSWER_SAVE_MAX_P95_MS
    ]
    best = max(within, key=lambda level: measured.rps(f"answer_save_c{level}"), default=None)
    shown = f"answer_save_c{best if best is not None else levels[0]}"
    rps = measured.rps(shown) if best is not None else None

    add = ctx.results.add
    add("answer_save_rps", rps, "req/s")
    add(
        "answer_save_p95_ms",
        measured.p95_ms(shown),
        "ms",
        target=ANSWER_SAVE_MAX_P95_MS,
        compare="<=",
    )
    add("answer_save_concurrency", best, "in flight")
    add(
        "answer_save_vs_django_view",
        measured.ratio(f"answer_save_c{ctx.concurrency}", "django_view"),
        "x",
        target=ANSWER_SAVE_MIN_VS_DJANGO_VIEW,
    )
    add(
        "answer_save_vs_wagtail_page",
        measured.ratio(f"answer_save_c{ctx.concurrency}", "wagtail_page"),
        "x",
    )
    add(
        "final_test_capacity_learners",
        rps * ANSWER_INTERVAL_SECONDS if rps is not None else None,
        "learners",
        target=CAPACITY_MIN_LEARNERS,
    )
