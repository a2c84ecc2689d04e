"""Public pages served anonymously, against the two controls.

* the trivial Django view (``/bench/ping/``): the floor the middleware stack sets;
* the bare Wagtail page (``/ru/bench-control/``): any published page, nothing on it.
"""

from __future__ import annotations

from bench.harness import CONTROL_PAGE_PATH, DJANGO_VIEW_PATH, Context, Target

# The Russian home page may cost at most twice the bare page.
HOME_PAGE_MIN_RATIO = 0.5


def run(ctx: Context) -> None:
    measured = ctx.interleave(
        [
            Target("django_view", DJANGO_VIEW_PATH),
            Target("wagtail_page", CONTROL_PAGE_PATH),
            Target("home_page_anon", "/ru/"),
            Target("healthz", "/healthz/"),
        ]
    )
    add = ctx.results.add
    add("control_django_view_rps", measured.rps("django_view"), "req/s")
    add("control_django_view_p99_ms", measured.p99_ms("django_view"), "ms")
    add("control_wagtail_page_rps", measured.rps("wagtail_page"), "req/s")
    add("control_wagtail_page_p99_ms", measured.p99_ms("wagtail_page"), "ms")
    add("wagtail_page_vs_django_view", measured.ratio("wagtail_page", "django_view"), "x")
    add("home_page_anon_rps", measured.rps("home_page_anon"), "req/s")
    add("home_page_anon_p99_ms", measured.p99_ms("home_page_anon"), "ms")
    add(
        "home_page_vs_wagtail_page",
        measured.ratio("home_page_anon", "wagtail_page"),
        "x",
        target=HOME_PAGE_MIN_RATIO,
    )
    add("healthz_p99_ms", measured.p99_ms("healthz"), "ms")
