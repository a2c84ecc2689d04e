from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.users.models import UserProfile

from courses.models import CohortItemDates, QuizPage
from courses.services import enrolment_create
from gradebook.models import CourseGradingScheme, GradingBand, GradingWeight
from quizzes.models import Attempt
from tests.factories import UserFactory
from tests.factories.courses import build_cohort, build_course
from tests.factories.quizzes import quiz_with


def make_user(email: str, group: str, **fields):
    # Staff read the admin in English here, so the tests can read its words.
    fields.setdefault("preferred_language", "ru" if group == "Learners" else "en")
    user = UserFactory(email=email, **fields)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = user.preferred_language
    profile.save()
    user.groups.add(Group.objects.get(name=group))
    return user


def add_tests(course, count: int = 2) -> list[QuizPage]:
    """A graded quiz on each module's test page (the course's tests), and a final exam."""
    pages = []
    modules = list(course.get_children().specific())
    for index in range(count):
        module = modules[index % len(modules)]
        quiz = quiz_with([], title=f"Quiz {index}")
        page = QuizPage(
            title=f"Тест {index + 1}", slug=f"test-{index + 1}", quiz=quiz, required=False
        )
        module.add_child(instance=page)
        pages.append(page)
    return pages


def grade(learner, page: QuizPage, percent, number: int = 1) -> Attempt:
    return Attempt.objects.create(
        quiz=page.quiz,
        user=learner,
        number=number,
        state=Attempt.State.FINISHED,
        finished_at=timezone.now(),
        percent=Decimal(percent),
        max_score=Decimal(10),
        score=Decimal(percent) / 10,
    )


def set_due(cohort, page, *, days: int) -> None:
    CohortItemDates.objects.update_or_create(
        cohort=cohort,
        item_key=page.translation_key,
        defaults={"due_at": timezone.now() + timedelta(days=days)},
    )


def scheme(course, *, weights=(), bands=()) -> CourseGradingScheme:
    scheme = CourseGradingScheme.objects.create(course=course)
    for kind, weight in weights:
        GradingWeight.objects.create(scheme=scheme, kind=kind, weight=Decimal(weight))
    for order, (label, bound) in enumerate(bands):
        GradingBand.objects.create(
            scheme=scheme, sort_order=order, label=label, lower_bound=Decimal(bound)
        )
    return scheme


@pytest.fixture
def course(home_pages):
    return build_course(home_pages["ru"], modules=2, lessons=1)


@pytest.fixture
def tests(course):
    return add_tests(course, 2)


@pytest.fixture
def trainer(db):
    return make_user("trainer@example.com", "Trainers", full_name="Гульнара Сейткали")


@pytest.fixture
def other_trainer(db):
    return make_user("other.trainer@example.com", "Trainers", full_name="Асхат Нурланов")


@pytest.fixture
def methodologist(db):
    return make_user("methodologist@example.com", "Methodologists")


@pytest.fixture
def cohort(course, trainer):
    return build_cohort(course, trainers=[trainer])


@pytest.fixture
def other_cohort(course, other_trainer):
    return build_cohort(course, name="Поток 2", trainers=[other_trainer])


def enrol(cohort, email: str, name: str = ""):
    user = UserFactory(email=email, full_name=name or email.split("@")[0])
    enrolment = enrolment_create(learner=user, cohort=cohort)
    return user, enrolment


@pytest.fixture
def learner(cohort):
    return enrol(cohort, "akim@example.com", "Ерлан Сейітов")


@pytest.fixture
def other_learner(other_cohort):
    return enrol(other_cohort, "other@example.com", "Айгүл Нұрова")
