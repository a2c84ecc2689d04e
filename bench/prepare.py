"""Prepare the bench database and static files.

``prepare(env)`` runs in ``bench/run.py`` and drives subprocesses, each with the bench
settings: a guard against a database that is not the bench's, ``migrate``,
``seed_demo``, the control page, the big course, ``collectstatic``. The Django steps of
its own run as ``python -m bench.prepare check-database|control-page|big-course``.
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

# A second Russian course, /ru/courses/bench-1000/: 10 modules of 100 lessons each, with
# the demo learner enrolled, so that pages can be measured on a very large course.
BIG_COURSE = {
    "slug": "bench-1000",
    "title": "Курс для нагрузочного теста: 1000 уроков",
    "code": "BENCH-1000",
    "summary": "Десять модулей по сто уроков: так выглядит самый большой курс.",
    "academic_hours": 500,
}
BIG_COURSE_MODULES = 10
BIG_COURSE_LESSONS_PER_MODULE = 100
BIG_COURSE_LESSON_BODY = [
    ("paragraph", "<p>Бюджет сельского округа — четвёртый уровень бюджетной системы.</p>")
]
BIG_COURSE_COHORT = "Нагрузочный тест, курс из 1000 уроков"
BIG_COURSE_LEARNER = "learner@example.com"  # the demo learner, as in bench/lessons.py


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
    _run(env, "-m", "bench.prepare", "big-course")
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


def _add_big_course(catalogue, locale, keys: dict[str, object]):
    """The big course's tree under ``catalogue``, live, in ``locale``.

    ``keys`` maps a page's path within the course ("" for the course itself,
    "module-01/lesson-1/" for a lesson) to the translation key it takes: the Russian
    course's keys make the tree that course's translation.
    """
    from courses.models import CoursePage, LessonPage, ModulePage

    def add(parent, model, relative_path: str, **fields):
        page = model(locale=locale, **fields)
        if relative_path in keys:
            page.translation_key = keys[relative_path]
        parent.add_child(instance=page)
        return page

    course = add(catalogue, CoursePage, "", **BIG_COURSE)
    for m in range(1, BIG_COURSE_MODULES + 1):
        module_slug = f"module-{m:02d}"
        module = add(course, ModulePage, f"{module_slug}/", title=f"Модуль {m}", slug=module_slug)
        for n in range(1, BIG_COURSE_LESSONS_PER_MODULE + 1):
            add(
                module,
                LessonPage,
                f"{module_slug}/lesson-{n}/",
                title=f"Урок {m}.{n}",
                slug=f"lesson-{n}",
                body=BIG_COURSE_LESSON_BODY,
            )
    return course


def ensure_big_course() -> None:
    """/ru/courses/bench-1000/: 10 modules x 100 live lessons, the demo learner enrolled.

    Pages go live through ``add_child`` without revisions (as the tests' course
    factory does): a thousand revisions would only slow the step down. The Kazakh and
    English copies are made here too, the same way: ``seed_demo`` copies every page of
    the catalogue it finds untranslated, with a revision each, which took two minutes
    for this course. Built in one transaction, so an interrupted run leaves nothing
    half-made; a course (or copy) that is already there is left alone.
    """
    from datetime import date

    from django.db import transaction
    from wagtail.models import Locale

    from cms.models import HomePage
    from courses import services
    from courses.models import Cohort, CourseIndexPage, CoursePage, LessonPage
    from lms.models import User

    with transaction.atomic():
        russian = Locale.objects.get(language_code="ru")
        home = HomePage.objects.get(depth=2, locale=russian)
        catalogue = CourseIndexPage.objects.child_of(home).get()  # made by seed_demo
        course = CoursePage.objects.child_of(catalogue).filter(slug=BIG_COURSE["slug"]).first()
        if course is None:
            course = _add_big_course(catalogue, russian, keys={})
        lessons = LessonPage.objects.descendant_of(course).live().count()
        expected = BIG_COURSE_MODULES * BIG_COURSE_LESSONS_PER_MODULE
        if lessons != expected:
            raise SystemExit(
                f"{course.url_path}: {lessons} live lessons, expected {expected}. Delete the "
                "course (or bench/.work/bench.sqlite3) and run the bench again."
            )

        keys = {
            page.url_path.removeprefix(course.url_path): page.translation_key
            for page in course.get_descendants(inclusive=True).only("url_path", "translation_key")
        }
        for locale in Locale.objects.exclude(pk=russian.pk):
            translated_catalogue = catalogue.get_translation_or_none(locale)
            if translated_catalogue is not None and course.get_translation_or_none(locale) is None:
                _add_big_course(translated_catalogue, locale, keys)

        cohort, _ = Cohort.objects.get_or_create(
            course=course,
            name=BIG_COURSE_COHORT,
            defaults={"starts_on": date(2021, 10, 4), "ends_on": date(2031, 10, 22)},
        )
        services.enrolment_create(learner=User.objects.get(email=BIG_COURSE_LEARNER), cohort=cohort)


STEPS = {
    "check-database": check_database,
    "control-page": ensure_control_page,
    "big-course": ensure_big_course,
}


def main(argv: list[str]) -> None:
    if len(argv) != 1 or argv[0] not in STEPS:
        raise SystemExit(f"usage: python -m bench.prepare {{{'|'.join(STEPS)}}}")
    import django

    django.setup()
    STEPS[argv[0]]()


if __name__ == "__main__":
    main(sys.argv[1:])
