import pytest
from django.contrib.auth.models import Group

from courses.models import Enrolment, LessonPage
from courses.services import enrolment_create
from tests.factories import UserFactory
from tests.factories.courses import build_cohort, build_course


def make_trainer(email: str):
    user = UserFactory(email=email)
    user.groups.add(Group.objects.get(name="Trainers"))
    return user


@pytest.fixture
def course(home_pages):
    return build_course(home_pages["ru"], modules=1, lessons=2)


@pytest.fixture
def lesson(course):
    return LessonPage.objects.descendant_of(course).order_by("path").first()


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


def enrol(cohort, email: str, **fields):
    user = UserFactory(email=email, **fields)
    enrolment_create(learner=user, cohort=cohort)
    return user


@pytest.fixture
def learner(cohort):
    return enrol(cohort, "akim@example.com", full_name="Ерлан Сейітов")


@pytest.fixture
def classmate(cohort):
    return enrol(cohort, "deputy@example.com", full_name="Айгүл Омарова")


@pytest.fixture
def outsider(other_cohort):
    """A learner of another cohort of the same course."""
    return enrol(other_cohort, "other@example.com")


@pytest.fixture
def withdrawn(cohort):
    user = enrol(cohort, "gone@example.com")
    Enrolment.objects.filter(learner=user).update(status=Enrolment.Status.WITHDRAWN)
    return user
