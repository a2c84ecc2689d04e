"""The public news for anonymous readers: from the page cache and rendered in full.

* a Russian article (``/ru/news/akmola-programme-opens/``, with approved comments and
  the comment form) and the news index (``/ru/news/``), each twice:
  - **cached**: the address as readers share it, answered from the page cache
    (``cms/page_cache.py``), compared with the trivial Django view;
  - **uncached**: the same address with ``?bench=1``, a query string the cache refuses,
    so every request renders the page in full, compared with the bare Wagtail page;
* in-process (``python -m bench.news``, with the bench settings, inside a transaction
  that is rolled back): the SQL queries a cache hit makes, and whether a publish shows
  on the very next request;
* against the server: whether a generation bump made in another process (what an
  editor's publish in the admin does) reaches the server's workers.

Article requests carry a browser's User-Agent: the site does not count bots' views, and
a reader's request counts a view in the cache on every hit, which the figure includes.
The cache is warmed (every worker has answered with a hit) before anything is measured.
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import time
from urllib.parse import urlsplit

from bench.harness import CONTROL_PAGE_PATH, DJANGO_VIEW_PATH, Context, Target

ARTICLE_PATH = "/ru/news/akmola-programme-opens/"
NEWS_INDEX_PATH = "/ru/news/"
# Any query string but ?page=N bypasses the page cache (cms.page_cache.eligible).
UNCACHED_QUERY = "?bench=1"
# A reader's browser: cms.services.is_bot() must not take it for a crawler.
BROWSER = {
    "User-Agent": (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
    )
}

# A cached article must keep at least 80 % of the trivial view's throughput, and a hit
# must not touch the database.
ARTICLE_CACHED_MIN_RATIO = 0.8
ARTICLE_HIT_MAX_QUERIES = 0

# Warming: requests until this many hits in a row (gunicorn picks the worker, so a few
# in a row mean both workers hold the page), at most WARM_MAX_REQUESTS.
WARM_HITS_IN_A_ROW = 8
WARM_MAX_REQUESTS = 200
# Appended to the cache key prefix of the in-process step (with Redis: keys of its own).
OWN_PREFIX_SUFFIX = "-bench-news"


def _get(ctx: Context, path: str, headers=None) -> tuple[int, http.client.HTTPMessage, str]:
    parts = urlsplit(ctx.base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request("GET", path, headers=dict(headers or {}))
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def _title(html: str) -> str:
    start = html.find("<title>")
    end = html.find("</title>", start)
    return html[start + 7 : end].strip() if start >= 0 and end > start else ""


def warm(ctx: Context, path: str) -> str:
    """Request ``path`` until every worker answers from the cache; returns its <title>."""
    in_a_row = 0
    for _ in range(WARM_MAX_REQUESTS):
        status, headers, html = _get(ctx, path, BROWSER)
        if status != 200:
            raise RuntimeError(f"GET {path}: HTTP {status}")
        in_a_row = in_a_row + 1 if headers.get("X-Page-Cache") == "hit" else 0
        if in_a_row >= WARM_HITS_IN_A_ROW:
            title = _title(html)
            if not title:
                raise RuntimeError(f"GET {path}: a hit, but no <title> in it")
            return title
    raise RuntimeError(
        f"GET {path}: not {WARM_HITS_IN_A_ROW} cache hits in a row in {WARM_MAX_REQUESTS} "
        "requests: is the page cache on, and is the page cacheable?"
    )


def check_uncached(ctx: Context, path: str, title: str) -> None:
    """``path`` (with the query string) is the same page, and the cache stays out of it."""
    status, headers, html = _get(ctx, path, BROWSER)
    if status != 200 or title not in html:
        raise RuntimeError(f"GET {path}: HTTP {status}, {title!r} not in it")
    if headers.get("X-Page-Cache"):
        raise RuntimeError(f"GET {path}: X-Page-Cache {headers['X-Page-Cache']}, not bypassed")


def _still_hits(ctx: Context, path: str, requests: int = 4) -> bool:
    return all(_get(ctx, path, BROWSER)[1].get("X-Page-Cache") == "hit" for _ in range(requests))


def invalidation_seen_by_server(ctx: Context) -> bool:
    """Bump the cache generation in another process; does the server's next answer miss?

    ``manage.py clear_page_cache`` calls ``cms.page_cache.invalidate()``, as a publish in
    the admin does, without changing the database. With a shared cache (Redis) the next
    request renders afresh; with each process's own memory it is still served the old
    page, until the entry expires (``PAGE_CACHE_SECONDS``).
    """
    from bench.main import PROJECT_DIR, bench_environment

    warm(ctx, ARTICLE_PATH)
    subprocess.run(
        [sys.executable, "manage.py", "clear_page_cache"],
        cwd=PROJECT_DIR,
        env=bench_environment(),
        check=True,
        capture_output=True,
        stdin=subprocess.DEVNULL,
    )
    _status, headers, _html = _get(ctx, ARTICLE_PATH, BROWSER)
    return headers.get("X-Page-Cache") == "miss"


def in_process_figures() -> dict:
    """``python -m bench.news`` in a subprocess with the bench environment: its JSON."""
    from bench.certificates import in_process
    from bench.main import bench_environment

    env = bench_environment()
    # With Redis, a prefix of its own: the entries made here (one with a title that is
    # rolled back) and its generation bump stay out of the server's cache.
    env["CACHE_KEY_PREFIX"] = f"{env.get('CACHE_KEY_PREFIX') or 'lms'}{OWN_PREFIX_SUFFIX}"
    return in_process("bench.news", env)


def run(ctx: Context) -> None:
    figures = in_process_figures()
    print(
        f"  in-process: a hit made {figures['hit_queries']} queries (X-Page-Cache "
        f"{figures['hit_header']}); after a publish: X-Page-Cache {figures['publish_header']}, "
        f"new title {'shown' if figures['publish_title_shown'] else 'NOT shown'}",
        file=sys.stderr,
    )
    for query in figures["hit_sql"]:
        print(f"    {query}", file=sys.stderr)

    article_title = warm(ctx, ARTICLE_PATH)
    index_title = warm(ctx, NEWS_INDEX_PATH)
    check_uncached(ctx, ARTICLE_PATH + UNCACHED_QUERY, article_title)
    check_uncached(ctx, NEWS_INDEX_PATH + UNCACHED_QUERY, index_title)

    measured = ctx.interleave(
        [
            Target("django_view", DJANGO_VIEW_PATH),
            Target("wagtail_page", CONTROL_PAGE_PATH),
            Target("article_cached", ARTICLE_PATH, headers=BROWSER),
            Target("article_uncached", ARTICLE_PATH + UNCACHED_QUERY, headers=BROWSER),
            Target("index_cached", NEWS_INDEX_PATH, headers=BROWSER),
            Target("index_uncached", NEWS_INDEX_PATH + UNCACHED_QUERY, headers=BROWSER),
        ]
    )
    # The cached figures were hits all along: nothing made the entries stale meanwhile.
    for path in (ARTICLE_PATH, NEWS_INDEX_PATH):
        if not _still_hits(ctx, path):
            print(f"  warning: {path} is no longer a cache hit after the run", file=sys.stderr)
    seen = invalidation_seen_by_server(ctx)
    print(
        "  clear_page_cache in another process: the server's next answer was "
        f"{'a miss' if seen else 'still a hit (each process has its own cache)'}",
        file=sys.stderr,
    )

    add = ctx.results.add
    add("article_cached_rps", measured.rps("article_cached"), "req/s")
    add("article_cached_p99_ms", measured.p99_ms("article_cached"), "ms")
    add(
        "article_cached_vs_django_view",
        measured.ratio("article_cached", "django_view"),
        "x",
        target=ARTICLE_CACHED_MIN_RATIO,
    )
    add("article_uncached_rps", measured.rps("article_uncached"), "req/s")
    add("article_uncached_p99_ms", measured.p99_ms("article_uncached"), "ms")
    add(
        "article_uncached_vs_wagtail_page",
        measured.ratio("article_uncached", "wagtail_page"),
        "x",
    )
    add("news_index_cached_rps", measured.rps("index_cached"), "req/s")
    add(
        "news_index_cached_vs_django_view",
        measured.ratio("index_cached", "django_view"),
        "x",
    )
    add("news_index_uncached_rps", measured.rps("index_uncached"), "req/s")
    add(
        "news_index_uncached_vs_wagtail_page",
        measured.ratio("index_uncached", "wagtail_page"),
        "x",
    )
    add(
        "article_cache_hit_queries",
        figures["hit_queries"] if figures["hit_header"] == "hit" else None,
        "queries",
        target=ARTICLE_HIT_MAX_QUERIES,
        compare="<=",
    )
    publish_visible = figures["publish_header"] == "miss" and figures["publish_title_shown"]
    add("publish_visible_next_request", 1 if publish_visible else 0, "yes=1", target=1)
    add("invalidation_seen_by_server", 1 if seen else 0, "yes=1")


# In-process part: ``python -m bench.news`` (bench settings), prints one JSON object.


class _Rollback(Exception):
    pass


def _drop_cache_entries(keys: set[str]) -> None:
    """Only the cache outlives the rollback: drop what this process put there.

    With Redis, every key under the prefix ``in_process_figures`` gave this process
    (the page, the view counter, the generation, and whatever rendering the page
    cached, such as image renditions); with local memory they go with the process.
    """
    from django.core.cache import caches

    from lms.cache import RedisCache

    backend = caches["default"]
    backend.delete_many(sorted(keys))
    if isinstance(backend, RedisCache) and backend.key_prefix.endswith(OWN_PREFIX_SUFFIX):
        client = backend.redis()
        for key in client.scan_iter(match=f"{backend.key_prefix}:*"):
            client.delete(key)


def main() -> None:
    import django

    django.setup()
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from cms import page_cache
    from cms.models import ArticlePage
    from cms.services import VIEW_KEY

    # The test client's host must be one ALLOWED_HOSTS accepts (127.0.0.1 in the bench).
    client = Client(HTTP_HOST="127.0.0.1", HTTP_USER_AGENT=BROWSER["User-Agent"])
    figures: dict = {}
    keys: set[str] = {page_cache.GENERATION_KEY}

    def get():
        response = client.get(ARTICLE_PATH)
        if response.status_code != 200:
            raise SystemExit(f"GET {ARTICLE_PATH} in-process: HTTP {response.status_code}")
        keys.add(page_cache._key(response.wsgi_request))
        return response

    try:
        with transaction.atomic():
            article = ArticlePage.objects.get(
                locale__language_code="ru", slug=ARTICLE_PATH.strip("/").rsplit("/", 1)[-1]
            )
            keys.add(VIEW_KEY.format(article.pk))
            # A generation of our own: whatever an earlier run left is stale.
            page_cache.invalidate()
            get()  # a miss: rendered and stored
            with CaptureQueriesContext(connection) as hit_queries:
                response = get()
            figures["hit_header"] = response.headers.get("X-Page-Cache", "")
            figures["hit_queries"] = len(hit_queries.captured_queries)
            figures["hit_sql"] = [query["sql"][:300] for query in hit_queries.captured_queries]

            new_title = f"Бенчмарк: новый заголовок {time.time_ns()}"
            article.title = article.draft_title = new_title
            article.save_revision().publish()
            response = get()
            figures["publish_header"] = response.headers.get("X-Page-Cache", "")
            figures["publish_title_shown"] = new_title in response.content.decode()
            response = get()
            figures["after_publish_header"] = response.headers.get("X-Page-Cache", "")
            raise _Rollback
    except _Rollback:
        pass
    finally:
        _drop_cache_entries(keys)
    print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    if os.environ.get("DJANGO_SETTINGS_MODULE") != "bench.settings":
        raise SystemExit("run through bench/run.py, which sets DJANGO_SETTINGS_MODULE")
    main()
