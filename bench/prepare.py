"""Prepare the bench database and static files.

``prepare(env)`` runs in ``bench/run.py`` and drives subprocesses, each with the bench
settings: a guard against a database that is not the bench's, ``migrate``,
``seed_demo``, the control page, the big course, the quiz learners, ``collectstatic``.
The Django steps of its own run as
``python -m bench.prepare check-database|control-page|big-course|quiz-learners``.
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
WORK_DIR = PROJECT_DIR / "bench" / ".work"

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

# A final test for the whole country (bench/quizzes.py): a published graded quiz of 20
# true/false questions that no course hosts, so anyone signed in may take it, and 1,000
# learners with a signed-in session each. Their sessions and the quiz's id go to
# QUIZ_LEARNERS_PATH for the benchmark, which runs outside Django.
QUIZ = {
    "title": "Bench final test",
    "description": "Двадцать вопросов «верно или неверно»: нагрузочный тест.",
}
QUIZ_CATEGORY = "Bench"
QUIZ_QUESTIONS = 20
QUIZ_LEARNERS = 1000
QUIZ_LEARNER_EMAIL = "bench-learner-{n}@bench.invalid"  # n = 1 ... QUIZ_LEARNERS
QUIZ_LEARNERS_PATH = WORK_DIR / "quiz_learners.json"


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
    _run(env, "-m", "bench.prepare", "quiz-learners")
    _run(env, "-m", "bench.prepare", "report-cohort")
    _run(env, "-m", "bench.prepare", "bulk-cohort")
    _run(env, "-m", "bench.prepare", "reminders-cohort")
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
    from demo.accounts import DEMO_ACCOUNTS
    from demo.assignment import WORKERS

    user_model = get_user_model()
    if user_model._meta.db_table not in connection.introspection.table_names():
        return  # a new database
    demo_emails = [account.email for account in DEMO_ACCOUNTS]
    demo_emails += [email for email, _name, _state in WORKERS]  # the assignment's learners
    others = user_model.objects.exclude(email__in=demo_emails).exclude(
        email__iendswith="@" + BENCH_EMAIL_DOMAIN
    )
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


def _ensure_bench_quiz():
    """The quiz "Bench final test", its category and questions, made or put right."""
    from quizzes.models import Category, Question, Quiz, QuizSlot

    category = Category.objects.filter(name=QUIZ_CATEGORY, parent=None).first()
    if category is None:
        category = Category.objects.create(name=QUIZ_CATEGORY)
    questions = []
    for n in range(1, QUIZ_QUESTIONS + 1):
        fields = {
            "type": Question.Type.TRUE_FALSE,
            "text": f"<p>Утверждение {n} нагрузочного теста верно.</p>",
            "correct_bool": True,
        }
        question, created = Question.objects.get_or_create(
            category=category, name=f"Bench question {n:02d}", defaults=fields
        )
        if not created and any(getattr(question, k) != v for k, v in fields.items()):
            for key, value in fields.items():
                setattr(question, key, value)
            question.save()
        questions.append(question)

    wanted = {
        **QUIZ,
        "kind": Quiz.Kind.GRADED,
        "published": True,
        "attempts_allowed": 0,  # unlimited: the benchmark starts an attempt every run
        "time_limit_minutes": None,
        "opens_at": None,
        "closes_at": None,
        "shuffle_questions": False,
        "max_questions": None,
    }
    quiz = Quiz.objects.filter(title=QUIZ["title"]).order_by("pk").first()
    if quiz is None:
        quiz = Quiz.objects.create(**wanted)
    elif any(getattr(quiz, k) != v for k, v in wanted.items()):
        Quiz.objects.filter(pk=quiz.pk).update(**wanted)
    slots = list(QuizSlot.objects.filter(quiz=quiz).values_list("question_id", "random_category"))
    if slots != [(question.pk, None) for question in questions]:
        QuizSlot.objects.filter(quiz=quiz).delete()
        QuizSlot.objects.bulk_create(
            QuizSlot(quiz=quiz, sort_order=n, question=question)
            for n, question in enumerate(questions)
        )
    return quiz


def ensure_quiz_learners() -> None:
    """The bench quiz, 1,000 learners, a fresh session each, and no attempts yet.

    The learners' sessions are made here with the session engine rather than through
    the sign-in form: 1,000 sign-ins would be slow (password hashing) and trip the
    lockout. They are made anew on every run, since the session data is signed with
    the run's secret key; the previous run's are deleted first. So are the learners'
    attempts at the quiz, so that every run starts 1,000 attempts afresh. Accounts and
    sessions are inserted in bulk: the engine encodes each session's data, and the rows
    go in as one statement (a key the engine would draw costs a query each to check).
    """
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.base import VALID_KEY_CHARS
    from django.db import transaction
    from django.utils.crypto import get_random_string

    from courses.models import QuizPage
    from lms.models import User
    from quizzes.models import Attempt

    session_store = import_module(settings.SESSION_ENGINE).SessionStore
    session_model = session_store.get_model_class()
    emails = [QUIZ_LEARNER_EMAIL.format(n=n) for n in range(1, QUIZ_LEARNERS + 1)]
    try:
        previous = json.loads(QUIZ_LEARNERS_PATH.read_text(encoding="utf-8"))["sessions"]
    except (OSError, ValueError, KeyError, TypeError):
        previous = {}

    with transaction.atomic():
        quiz = _ensure_bench_quiz()
        if QuizPage.objects.filter(quiz=quiz).exists():
            raise SystemExit(
                f"The quiz {quiz.title!r} is hosted by a course page: only the course's "
                "learners could take it. Delete that page and run the bench again."
            )
        existing = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
        unusable = make_password(None)  # no one signs in with it
        User.objects.bulk_create(
            User(email=email, full_name=f"Слушатель {n} нагрузочного теста", password=unusable)
            for n, email in enumerate(emails, start=1)
            if email not in existing
        )
        learners = list(User.objects.filter(email__in=emails).order_by("pk"))
        Attempt.objects.filter(quiz=quiz, user__in=learners).delete()  # answers go too
        session_model.objects.filter(session_key__in=list(previous.values())).delete()
        session_store.clear_expired()
        engine = session_store()
        expires = engine.get_expiry_date()
        sessions = {}
        rows = []
        for learner in learners:
            data = {
                SESSION_KEY: learner._meta.pk.value_to_string(learner),
                BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0],
                HASH_SESSION_KEY: learner.get_session_auth_hash(),
            }
            key = sessions[learner.email] = get_random_string(32, VALID_KEY_CHARS)
            encoded = engine.encode(data)
            rows.append(session_model(session_key=key, session_data=encoded, expire_date=expires))
        session_model.objects.bulk_create(rows)

    QUIZ_LEARNERS_PATH.parent.mkdir(parents=True, exist_ok=True)
    # Signed-in sessions: readable by this account only.
    descriptor = os.open(QUIZ_LEARNERS_PATH, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with open(descriptor, "w", encoding="utf-8") as file:
        json.dump({"quiz_id": quiz.pk, "sessions": sessions}, file, indent=1)


REPORT_COHORT_PATH = WORK_DIR / "report_cohort.json"
REPORT_LEARNERS = 2000
REPORT_MODULES, REPORT_LESSONS = 5, 10  # 50 lessons


def ensure_report_cohort() -> None:
    """A cohort of 2,000 learners in a 50-lesson course, each partway through it, and a
    signed-in session for its trainer (written to bench/.work/report_cohort.json)."""
    import random
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.db import transaction

    from bench.harness import BENCH_EMAIL_DOMAIN
    from courses.models import (
        Cohort,
        CourseIndexPage,
        CoursePage,
        Enrolment,
        ItemCompletion,
        LessonPage,
        ModulePage,
    )
    from lms.models import User

    with transaction.atomic():
        catalogue = CourseIndexPage.objects.filter(locale__language_code="ru").first()
        course = CoursePage.objects.child_of(catalogue).filter(slug="bench-report").first()
        if course is None:
            course = CoursePage(
                title="Курс для отчёта",
                slug="bench-report",
                code="BENCH-REPORT",
                summary="Курс нагрузочного теста отчёта.",
                live=True,
            )
            catalogue.add_child(instance=course)
            for m in range(1, REPORT_MODULES + 1):
                module = ModulePage(title=f"Модуль {m}", slug=f"module-{m}", live=True)
                course.add_child(instance=module)
                for n in range(1, REPORT_LESSONS + 1):
                    module.add_child(
                        instance=LessonPage(
                            title=f"Урок {m}.{n}",
                            slug=f"lesson-{n}",
                            live=True,
                            body=[("paragraph", "<p>Текст урока.</p>")],
                        )
                    )
        trainer_email = f"bench-trainer@{BENCH_EMAIL_DOMAIN}"
        trainer, _ = User.objects.get_or_create(
            email=trainer_email,
            defaults={"full_name": "Тренер нагрузочного теста", "password": make_password(None)},
        )
        trainer.groups.add(Group.objects.get(name="Trainers"))
        cohort, created = Cohort.objects.get_or_create(
            name="Поток для отчёта",
            defaults={"course": course, "starts_on": "2026-01-10", "ends_on": "2026-02-10"},
        )
        cohort.trainers.add(trainer)
        if created:
            emails = [f"bench-report-{n}@{BENCH_EMAIL_DOMAIN}" for n in range(REPORT_LEARNERS)]
            User.objects.bulk_create(
                User(email=e, full_name=f"Слушатель {n}", password=make_password(None))
                for n, e in enumerate(emails)
            )
            learners = User.objects.filter(email__in=emails)
            Enrolment.objects.bulk_create(
                Enrolment(learner=u, cohort=cohort, course_key=course.translation_key)
                for u in learners
            )
            keys = list(
                LessonPage.objects.descendant_of(course)
                .order_by("path")
                .values_list("translation_key", flat=True)
            )
            rng = random.Random(2021)
            ItemCompletion.objects.bulk_create(
                ItemCompletion(enrolment=e, item_key=key, source="learner")
                for e in Enrolment.objects.filter(cohort=cohort)
                for key in keys[: rng.randint(0, len(keys))]
            )
        session = import_module(settings.SESSION_ENGINE).SessionStore()
        session[SESSION_KEY] = str(trainer.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = trainer.get_session_auth_hash()
        session.create()
    REPORT_COHORT_PATH.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(REPORT_COHORT_PATH, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with open(descriptor, "w", encoding="utf-8") as file:
        json.dump({"cohort_id": cohort.pk, "session": session.session_key}, file)


BULK_LEARNERS = 500
BULK_COHORT_NAME = "Поток для выдачи сертификатов"


def ensure_bulk_cohort() -> None:
    """A cohort of 500 learners who have all completed the demo course, and a registrar
    (bench-registrar@bench.invalid) to request the bulk issuance; see bench/bulk_issuance.py."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.utils import timezone

    from bench.harness import BENCH_EMAIL_DOMAIN
    from courses.models import Cohort, CoursePage, Enrolment
    from lms.models import User

    with transaction.atomic():
        course = (
            CoursePage.objects.filter(locale__language_code="ru")
            .exclude(slug__startswith="bench")
            .first()
        )
        registrar, _ = User.objects.get_or_create(
            email=f"bench-registrar@{BENCH_EMAIL_DOMAIN}",
            defaults={"full_name": "Регистратор теста", "password": make_password(None)},
        )
        registrar.groups.add(Group.objects.get(name="Registrars"))
        cohort, created = Cohort.objects.get_or_create(
            name=BULK_COHORT_NAME,
            defaults={"course": course, "starts_on": "2026-03-02", "ends_on": "2026-03-20"},
        )
        if created:
            emails = [f"bench-bulk-{n}@{BENCH_EMAIL_DOMAIN}" for n in range(BULK_LEARNERS)]
            User.objects.bulk_create(
                User(email=e, full_name=f"Слушатель Әкімов {n}", password=make_password(None))
                for n, e in enumerate(emails)
            )
            now = timezone.now()
            Enrolment.objects.bulk_create(
                Enrolment(
                    learner=u,
                    cohort=cohort,
                    course_key=course.translation_key,
                    status=Enrolment.Status.COMPLETED,
                    completed_at=now,
                )
                for u in User.objects.filter(email__in=emails)
            )


REMINDER_LEARNERS = 2000
REMINDER_COHORT_NAME = "Поток для напоминаний"


def ensure_reminders_cohort() -> None:
    """A cohort of 2,000 learners with e-mail addresses and no quiet hours (so their
    e-mails go at whatever hour the bench runs), for bench/reminders.py."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from bench.harness import BENCH_EMAIL_DOMAIN
    from courses.models import Cohort, CoursePage, Enrolment
    from lms.models import User
    from notifications.models import ContactSettings

    with transaction.atomic():
        course = (
            CoursePage.objects.filter(locale__language_code="ru")
            .exclude(slug__startswith="bench")
            .first()
        )
        cohort, created = Cohort.objects.get_or_create(
            name=REMINDER_COHORT_NAME,
            defaults={"course": course, "starts_on": "2026-01-12", "ends_on": "2036-01-30"},
        )
        if created:
            emails = [f"bench-remind-{n}@{BENCH_EMAIL_DOMAIN}" for n in range(REMINDER_LEARNERS)]
            languages = ["kk", "ru", "en"]
            User.objects.bulk_create(
                User(
                    email=e,
                    full_name=f"Слушатель {n}",
                    preferred_language=languages[n % 3],
                    password=make_password(None),
                )
                for n, e in enumerate(emails)
            )
            learners = list(User.objects.filter(email__in=emails))
            Enrolment.objects.bulk_create(
                Enrolment(learner=u, cohort=cohort, course_key=course.translation_key)
                for u in learners
            )
            midnight = datetime.time(0, 0)
            ContactSettings.objects.bulk_create(
                ContactSettings(user=u, quiet_start=midnight, quiet_end=midnight) for u in learners
            )


STEPS = {
    "reminders-cohort": ensure_reminders_cohort,
    "report-cohort": ensure_report_cohort,
    "bulk-cohort": ensure_bulk_cohort,
    "check-database": check_database,
    "control-page": ensure_control_page,
    "big-course": ensure_big_course,
    "quiz-learners": ensure_quiz_learners,
}


def main(argv: list[str]) -> None:
    if len(argv) != 1 or argv[0] not in STEPS:
        raise SystemExit(f"usage: python -m bench.prepare {{{'|'.join(STEPS)}}}")
    import django

    django.setup()
    STEPS[argv[0]]()


if __name__ == "__main__":
    main(sys.argv[1:])
