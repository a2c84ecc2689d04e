"""Public pages served anonymously, against the controls.

* the trivial Django view (``/bench/ping/``): the floor the middleware stack sets;
* the same view through Django's default middleware (``/bench/default/ping/``): the
  floor of any Django project, so the first over it is what our middleware costs;
* the bare Wagtail page (``/ru/bench-control/``): any published page, nothing on it
  but the site's chrome (menu, language and account links, footer);
* the minimal Wagtail page (``/ru/bench-minimal/``): the same page through the same
  routing, rendered without the chrome, so the bare page over it is the chrome's cost.
"""

from __future__ import annotations

from bench.harness import (
    CONTROL_PAGE_PATH,
    DEFAULT_MIDDLEWARE_VIEW_PATH,
    DJANGO_VIEW_PATH,
    MINIMAL_PAGE_PATH,
    Context,
    Target,
)

# The Russian home page may cost at most twice the bare page.
HOME_PAGE_MIN_RATIO = 0.5
# Our plain page may cost at most 1/0.6 of the minimal page (the site's chrome), and
# the trivial view at most 1/0.8 of itself through Django's default middleware.
CHROME_MIN_RATIO = 0.6
MIDDLEWARE_MIN_RATIO = 0.8


def run(ctx: Context) -> None:
    measured = ctx.interleave(
        [
            Target("django_view", DJANGO_VIEW_PATH),
            Target("default_middleware_view", DEFAULT_MIDDLEWARE_VIEW_PATH),
            Target("wagtail_page", CONTROL_PAGE_PATH),
            Target("minimal_page", MINIMAL_PAGE_PATH),
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
    add("control_default_middleware_view_rps", measured.rps("default_middleware_view"), "req/s")
    add("control_minimal_page_rps", measured.rps("minimal_page"), "req/s")
    add(
        "django_view_vs_default_middleware",
        measured.ratio("django_view", "default_middleware_view"),
        "x",
        target=MIDDLEWARE_MIN_RATIO,
    )
    add(
        "wagtail_page_vs_minimal_page",
        measured.ratio("wagtail_page", "minimal_page"),
        "x",
        target=CHROME_MIN_RATIO,
    )
    add("home_page_anon_rps", measured.rps("home_page_anon"), "req/s")
    add("home_page_anon_p99_ms", measured.p99_ms("home_page_anon"), "ms")
    add(
        "home_page_vs_wagtail_page",
        measured.ratio("home_page_anon", "wagtail_page"),
        "x",
        target=HOME_PAGE_MIN_RATIO,
    )
    add("healthz_p99_ms", measured.p99_ms("healthz"), "ms")
