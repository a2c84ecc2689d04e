"""The data the production smoke test walks through, made through the services.

Run inside the production settings by ``deploy/prod_smoke.py``:
``python manage.py shell -c "from deploy.smoke_data import main; main()" <step>``
is not possible (shell takes no arguments), so the step comes from ``SMOKE_STEP``.
Prints one JSON object on the last line of its output.
"""

from __future__ import annotations

import json
import os
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

PASSWORD = os.environ.get("SMOKE_PASSWORD", "smoke-test-password-2021")


def _user(email: str, name: str, group: str, **extra):
    from lms.models import User

    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=PASSWORD, full_name=name, **extra)
    user.groups.add(Group.objects.get(name=group))
    return user


@transaction.atomic
def course() -> dict:
    """A one-module course: a lesson and a final exam of one true/false question, a
    cohort, a learner enrolled in it and a registrar."""
    from cms.models import HomePage
    from courses import services as course_services
    from courses.models import Cohort, CourseIndexPage, CoursePage, LessonPage, ModulePage, QuizPage
    from quizzes.models import Category, Question, Quiz, QuizSlot

    home = HomePage.objects.get(depth=2, locale__language_code="ru")
    catalogue = CourseIndexPage.objects.child_of(home).first()
    if catalogue is None:
        catalogue = home.add_child(instance=CourseIndexPage(title="Курсы", slug="courses"))
    course = CoursePage.objects.filter(slug="smoke").first()
    if course is None:
        course = catalogue.add_child(
            instance=CoursePage(
                title="Проверка после развёртывания",
                slug="smoke",
                code="SMOKE-1",
                summary="Курс, который проходит проверка производственной сборки.",
                academic_hours=2,
                requires_module_tests=False,
            )
        )
        module = course.add_child(instance=ModulePage(title="Модуль 1", slug="module-1"))
        module.add_child(
            instance=LessonPage(
                title="Урок 1", slug="lesson-1", body=[("paragraph", "<p>Бюджет аула.</p>")]
            )
        )
        category = Category.objects.get_or_create(name="Проверка")[0]
        question = Question.objects.create(
            category=category,
            type=Question.Type.TRUE_FALSE,
            name="Срок полномочий",
            text="<p>Аким сельского округа избирается на четыре года.</p>",
            correct_bool=True,
        )
        quiz = Quiz.objects.create(title="Итоговый экзамен", published=True)
        QuizSlot.objects.create(quiz=quiz, question=question)
        module.add_child(
            instance=QuizPage(
                title="Итоговый экзамен", slug="exam", kind=QuizPage.Kind.FINAL_EXAM, quiz=quiz
            )
        )
    cohort = Cohort.objects.filter(course=course, name="Поток проверки").first()
    if cohort is None:
        today = timezone.localdate()
        cohort = Cohort.objects.create(
            course=course,
            name="Поток проверки",
            starts_on=today - timedelta(days=1),
            ends_on=today + timedelta(days=30),
        )
    learner = _user("smoke.learner@example.com", "Ерлан Болатұлы Сейітов", "Learners")
    course_services.enrolment_create(learner=learner, cohort=cohort)
    _user("smoke.registrar@example.com", "Ирина Викторовна Ким", "Registrars", is_staff=True)
    lesson = LessonPage.objects.descendant_of(course).get()
    exam = QuizPage.objects.descendant_of(course).get()
    return {
        "course_url": course.url,
        "lesson_id": lesson.pk,
        "lesson_url": lesson.url,
        "quiz_id": exam.quiz_id,
        "learner": learner.email,
        "registrar": "smoke.registrar@example.com",
        "password": PASSWORD,
    }


@transaction.atomic
def cohort(size: int) -> dict:
    """A second cohort of ``size`` learners who have all completed the course, for a
    bulk issuance (their completions recorded without the certificate a completion
    would issue: the bulk run is to issue them)."""
    from courses.models import Cohort, CoursePage, Enrolment
    from lms.models import User

    course = CoursePage.objects.get(slug="smoke")
    today = timezone.localdate()
    group, _ = Cohort.objects.get_or_create(
        course=course,
        name=f"Поток для выпуска {size}",
        defaults={"starts_on": today - timedelta(days=20), "ends_on": today - timedelta(days=1)},
    )
    learners = Group.objects.get(name="Learners")
    now = timezone.now()
    users = User.objects.bulk_create(
        [
            User(email=f"smoke.bulk{n}@example.com", full_name=f"Слушатель {n:04d}")
            for n in range(size)
        ],
        ignore_conflicts=True,
    )
    users = list(User.objects.filter(email__startswith="smoke.bulk"))
    learners.user_set.add(*users)
    Enrolment.objects.bulk_create(
        [
            Enrolment(
                learner=user,
                cohort=group,
                course_key=course.translation_key,
                status=Enrolment.Status.COMPLETED,
                completed_at=now,
            )
            for user in users
        ],
        ignore_conflicts=True,
    )
    return {"cohort_id": group.pk, "learners": len(users)}


def bulk_state() -> dict:
    """The newest bulk run and the certificates of its cohort."""
    from certification.models import BulkIssuance, Certificate

    run = BulkIssuance.objects.order_by("-pk").first()
    if run is None:
        return {}
    holders = Certificate.objects.filter(cohort=run.cohort, revoked_at__isnull=True)
    return {
        "run": run.pk,
        "state": run.state,
        "total": run.total,
        "issued": run.issued,
        "skipped": run.skipped,
        "failed": run.failed,
        "certificates": holders.count(),
        "distinct_holders": holders.values("holder").distinct().count(),
        "enrolments": run.cohort.enrolments.count(),
    }


def certificate(email: str) -> dict:
    from certification.models import Certificate

    found = Certificate.objects.filter(holder__email=email, revoked_at__isnull=True).first()
    if found is None:
        return {}
    return {
        "pk": found.pk,
        "number": found.printed_number,
        "pdf_sha256": found.pdf_sha256,
        "grade": str(found.grade) if found.grade is not None else None,
    }


def main() -> None:
    step = os.environ["SMOKE_STEP"]
    argument = os.environ.get("SMOKE_ARGUMENT", "")
    if step == "course":
        result = course()
    elif step == "cohort":
        result = cohort(int(argument or 200))
    elif step == "bulk_state":
        result = bulk_state()
    elif step == "certificate":
        result = certificate(argument)
    else:
        raise SystemExit(f"unknown step {step!r}")
    print(
        json.dumps(
            result, default=lambda value: str(value) if isinstance(value, Decimal) else value
        )
    )
