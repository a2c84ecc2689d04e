"""Prepare the bench database and static files.

``prepare(env)`` runs in ``bench/run.py`` and drives subprocesses, each with the bench
settings: a guard against a database that is not the bench's, ``migrate``,
``seed_demo``, the control page, ``collectstatic``. The Django steps of its own run as
``python -m bench.prepare check-database|control-page``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent

CONTROL_PAGE = {
    "slug": "bench-control",
    "title": "Benchmark control",
    "intro": "A bare content page: what serving any Wagtail page costs.",
}


def _run(env: dict[str, str], *args: str) -> None:
    sys.stdout.flush()
    print(f"  $ python {' '.join(args)}", file=sys.stderr, flush=True)
    subprocess.run(
        [sys.executable, *args], cwd=PROJECT_DIR, env=env, check=True, stdin=subprocess.DEVNULL
    )


def prepare(env: dict[str, str]) -> None:
    """Bring the bench database and static files up to date; safe to run again."""
    _run(env, "-m", "bench.prepare", "check-database")
    _run(env, "manage.py", "migrate", "--noinput", "--verbosity=0")
    _run({**env, "BENCH_ALLOW_DEMO_SEED": "1"}, "manage.py", "seed_demo")
    _run(env, "-m", "bench.prepare", "control-page")
    _run(env, "manage.py", "collectstatic", "--noinput", "--verbosity=0")


# Steps run inside Django (``python -m bench.prepare STEP``).


def check_database() -> None:
    """Refuse a database holding accounts other than the demo and bench ones.

    ``seed_demo`` creates a superuser with a published password, so the bench must
    never run against a real database that ``DATABASE_URL`` happens to point at.
    """
    from django.contrib.auth import get_user_model
    from django.db import connection

    from bench.harness import BENCH_EMAIL_DOMAIN
    from lms.demo import DEMO_ACCOUNTS

    user_model = get_user_model()
    if user_model._meta.db_table not in connection.introspection.table_names():
        return  # a new database
    others = user_model.objects.exclude(
        email__in=[account.email for account in DEMO_ACCOUNTS]
    ).exclude(email__iendswith="@" + BENCH_EMAIL_DOMAIN)
    if others.exists():
        raise SystemExit(
            f"The database {str(connection.settings_dict['NAME'])!r} holds accounts that "
            "are neither demo nor bench accounts. The bench seeds demo accounts with a "
            "known password, so it needs a database of its own: point DATABASE_URL at an "
            "empty one, or unset it to use bench/.work/bench.sqlite3 (delete that file to "
            "start afresh)."
        )


def ensure_control_page() -> None:
    """A published StandardPage under the Russian home page, with nothing on it."""
    from django.db import transaction
    from wagtail.models import Locale

    from cms.models import HomePage, StandardPage

    with transaction.atomic():
        russian = Locale.objects.get(language_code="ru")
        home = HomePage.objects.get(depth=2, locale=russian)
        page = StandardPage.objects.child_of(home).filter(slug=CONTROL_PAGE["slug"]).first()
        if page is None:
            page = StandardPage(locale=russian, **CONTROL_PAGE)
            home.add_child(instance=page)
        elif (
            page.live
            and not page.has_unpublished_changes
            and page.title == CONTROL_PAGE["title"]
            and page.intro == CONTROL_PAGE["intro"]
            and not page.body
        ):
            return
        page.title = page.draft_title = CONTROL_PAGE["title"]
        page.intro = CONTROL_PAGE["intro"]
        page.body = []
        page.save_revision().publish()


STEPS = {"check-database": check_database, "control-page": ensure_control_page}


def main(argv: list[str]) -> None:
    if len(argv) != 1 or argv[0] not in STEPS:
        raise SystemExit(f"usage: python -m bench.prepare {{{'|'.join(STEPS)}}}")
    import django

    django.setup()
    STEPS[argv[0]]()


if __name__ == "__main__":
    main(sys.argv[1:])
