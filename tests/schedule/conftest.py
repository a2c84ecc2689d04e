from datetime import date, time, timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from courses.services import enrolment_create
from schedule.models import Session
from schedule.services import local_datetime
from tests.factories import UserFactory
from tests.factories.courses import build_cohort, build_course


@pytest.fixture
def course(home_pages):
    return build_course(home_pages["ru"], modules=2, lessons=1)


def make_trainer(email: str):
    user = UserFactory(email=email)
    user.groups.add(Group.objects.get(name="Trainers"))
    return user


@pytest.fixture
def trainer(db):
    return make_trainer("trainer@example.com")


@pytest.fixture
def other_trainer(db):
    return make_trainer("other.trainer@example.com")


@pytest.fixture
def cohort(course, trainer):
    return build_cohort(course, trainers=[trainer])


@pytest.fixture
def other_cohort(course, other_trainer):
    return build_cohort(course, name="Поток 2", trainers=[other_trainer])


@pytest.fixture
def learner(cohort):
    user = UserFactory(email="akim@example.com", full_name="Ерлан Сейітов")
    enrolment_create(learner=user, cohort=cohort)
    return user


def add_session(cohort, *, day: date, start=time(10), end=time(13), **fields) -> Session:
    return Session.objects.create(
        cohort=cohort,
        title=fields.pop("title", "Бюджет сельского округа"),
        starts_at=local_datetime(day, start),
        ends_at=local_datetime(day, end),
        **fields,
    )


@pytest.fixture
def session(cohort):
    return add_session(cohort, day=timezone.localdate() + timedelta(days=1), place="Кокшетау")
