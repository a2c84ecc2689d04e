"""Learner pages, signed in, against the bare Wagtail page.

* a lesson of the demo course (``/ru/courses/akim-2021/module-01/lesson-1/``): the page
  learners spend their time on, with its access check, "done?" and previous/next;
* the overview of a course with 1,000 lessons (``/ru/courses/bench-1000/``, made by
  ``bench.prepare big-course``), with the learner's progress worked out over all of them;
* a module of the demo course (its lessons and tests with "done" and their dates), the
  learner's dashboard, and a question page of an attempt in progress (a learner of
  ``bench.prepare quiz-learners`` starts an attempt at the bench's final test first).

The demo learner signs in once through the real sign-in form; every request then
carries their session cookie. The control is requested as the README's controls are:
anonymously, so the ratios include what a signed-in session costs (session and user
lookups) on top of the page itself.
"""

from __future__ import annotations

import ast
import http.client
import os
import re
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from bench.harness import CONTROL_PAGE_PATH, Context, Target

LEARNER_EMAIL = "learner@example.com"  # the demo learner, enrolled in both courses
LOGIN_PATH = "/accounts/login/"
LESSON_PATH = "/ru/courses/akim-2021/module-01/lesson-1/"
BIG_COURSE_PATH = "/ru/courses/bench-1000/"
MODULE_PATH = "/ru/courses/akim-2021/module-01/"
DASHBOARD_PATH = "/ru/dashboard/"

# A lesson may cost at most a third more than the bare page, and its slowest 1 % may
# take at most twice as long as the bare page's; so may a course page with 1,000
# lessons. The module page, the dashboard and a test's question page at most 1.7 times.
LESSON_PAGE_MIN_RATIO = 0.75
LESSON_PAGE_MAX_P99_RATIO = 2.0
BIG_COURSE_PAGE_MIN_RATIO = 0.75
OTHER_PAGE_MIN_RATIO = 0.6
OTHER_PAGES = ("module_page", "dashboard", "quiz_question")

PROJECT_DIR = Path(__file__).resolve().parent.parent
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def demo_password() -> str:
    """What ``demo.accounts.demo_password()`` returns, read without setting Django up.

    The runner is not a Django process (the server and the preparation steps are), so
    the default is read from the source of ``demo/accounts.py`` rather than imported.
    """
    tree = ast.parse((PROJECT_DIR / "demo" / "accounts.py").read_text(encoding="utf-8"))
    default = next(
        node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign)
        and any(getattr(name, "id", None) == "DEFAULT_DEMO_PASSWORD" for name in node.targets)
    )
    return os.environ.get("DEMO_PASSWORD") or default


def _request(ctx: Context, method: str, path: str, headers=None, body=None):
    parts = urlsplit(ctx.base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def _cookies(headers) -> dict[str, str]:
    jar = SimpleCookie()
    for value in headers.get_all("Set-Cookie") or []:
        jar.load(value)
    return {name: morsel.value for name, morsel in jar.items()}


def sign_in(ctx: Context, email: str, password: str) -> str:
    """Sign in through the sign-in form; returns the session's ``Cookie`` header value."""
    status, headers, html = _request(ctx, "GET", LOGIN_PATH)
    csrf_cookie = _cookies(headers).get("csrftoken")
    match = CSRF_INPUT.search(html)
    if status != 200 or not csrf_cookie or not match:
        raise RuntimeError(f"GET {LOGIN_PATH}: HTTP {status}, no CSRF cookie or form token")
    body = urlencode(
        {"username": email, "password": password, "csrfmiddlewaretoken": match.group(1)}
    ).encode()
    status, headers, _ = _request(
        ctx,
        "POST",
        LOGIN_PATH,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf_cookie}",
            "Referer": ctx.url(LOGIN_PATH),
        },
        body=body,
    )
    session = _cookies(headers).get("sessionid")
    if status != 302 or not session:
        raise RuntimeError(f"POST {LOGIN_PATH} as {email}: HTTP {status}, no session cookie")
    return f"sessionid={session}"


def _check_page(ctx: Context, path: str, cookie: str, must_contain: str) -> None:
    """One request before the load: the page is there for the learner, signed in."""
    status, _, html = _request(ctx, "GET", path, headers={"Cookie": cookie})
    if status != 200 or must_contain not in html:
        raise RuntimeError(f"GET {path} signed in: HTTP {status}, no {must_contain!r} in it")


def quiz_question_page(ctx: Context) -> tuple[str, dict[str, str]]:
    """A question page of an attempt in progress, and the headers of its learner.

    The first learner of ``bench.prepare quiz-learners`` starts (or resumes) an attempt
    at the bench's final test; the start answers with a redirect to its first question.
    """
    from bench.quizzes import START_PATH, load_learners

    quiz_id, learners = load_learners()
    learner = learners[0]
    request = learner.post(START_PATH.format(quiz_id=quiz_id), {})
    status, headers, _ = _request(ctx, "POST", request.path, request.headers, request.body)
    location = urlsplit(headers.get("Location") or "").path
    if status != 302 or "/q/" not in location:
        raise RuntimeError(f"POST {request.path}: HTTP {status} to {location!r}")
    return location, {"Cookie": f"sessionid={learner.session_key}"}


def run(ctx: Context) -> None:
    cookie = sign_in(ctx, LEARNER_EMAIL, demo_password())
    signed_in = {"Cookie": cookie}
    question_path, question_headers = quiz_question_page(ctx)
    # The lesson form's action and the course page's progress section: signed in and
    # enrolled, not an anonymous page that happens to answer 200.
    _check_page(ctx, LESSON_PATH, cookie, "/done/")
    _check_page(ctx, BIG_COURSE_PATH, cookie, 'id="my-progress"')
    _check_page(ctx, MODULE_PATH, cookie, "lesson-1/")
    _check_page(ctx, DASHBOARD_PATH, cookie, "akim-2021")
    _check_page(ctx, question_path, question_headers["Cookie"], 'name="value"')

    measured = ctx.interleave(
        [
            Target("wagtail_page", CONTROL_PAGE_PATH),
            Target("lesson_page", LESSON_PATH, headers=signed_in),
            Target("big_course_page", BIG_COURSE_PATH, headers=signed_in),
            Target("module_page", MODULE_PATH, headers=signed_in),
            Target("dashboard", DASHBOARD_PATH, headers=signed_in),
            Target("quiz_question", question_path, headers=question_headers),
        ]
    )
    add = ctx.results.add
    add("lesson_page_rps", measured.rps("lesson_page"), "req/s")
    add("lesson_page_p99_ms", measured.p99_ms("lesson_page"), "ms")
    add(
        "lesson_page_vs_wagtail_page",
        measured.ratio("lesson_page", "wagtail_page"),
        "x",
        target=LESSON_PAGE_MIN_RATIO,
    )
    lesson_p99, control_p99 = measured.p99_ms("lesson_page"), measured.p99_ms("wagtail_page")
    add(
        "lesson_page_p99_vs_control",
        lesson_p99 / control_p99 if lesson_p99 and control_p99 else None,
        "x",
        target=LESSON_PAGE_MAX_P99_RATIO,
        compare="<=",
    )
    add("big_course_page_rps", measured.rps("big_course_page"), "req/s")
    add("big_course_page_p99_ms", measured.p99_ms("big_course_page"), "ms")
    add(
        "big_course_page_vs_wagtail_page",
        measured.ratio("big_course_page", "wagtail_page"),
        "x",
        target=BIG_COURSE_PAGE_MIN_RATIO,
    )
    for name in OTHER_PAGES:
        add(f"{name}_rps", measured.rps(name), "req/s")
        add(
            f"{name}_vs_wagtail_page",
            measured.ratio(name, "wagtail_page"),
            "x",
            target=OTHER_PAGE_MIN_RATIO,
        )
