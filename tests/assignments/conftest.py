import pytest
from django.contrib.auth.models import Group

from courses.models import ModulePage
from tests.factories import UserFactory
from tests.factories.assignments import build_assignment
from tests.factories.courses import build_cohort, build_course


@pytest.fixture
def course(home_pages):
    return build_course(home_pages["ru"], modules=2, lessons=1)


@pytest.fixture
def assignment(course):
    return build_assignment(ModulePage.objects.child_of(course).first())


@pytest.fixture
def trainer(db):
    user = UserFactory(email="trainer@example.com", full_name="Гульнара Сейткали")
    user.groups.add(Group.objects.get(name="Trainers"))
    return user


@pytest.fixture
def other_trainer(course):
    user = UserFactory(email="other.trainer@example.com")
    user.groups.add(Group.objects.get(name="Trainers"))
    build_cohort(course, name="Поток 2", trainers=[user])
    return user


@pytest.fixture
def cohort(course, trainer):
    return build_cohort(course, trainers=[trainer])


@pytest.fixture
def learner(db):
    return UserFactory(email="akim@example.com", full_name="Ерлан Сейітов")


@pytest.fixture
def enrolment(learner, cohort):
    from courses.services import enrolment_create

    return enrolment_create(learner=learner, cohort=cohort)


@pytest.fixture
def other_learner(cohort):
    from courses.services import enrolment_create

    user = UserFactory(email="other.akim@example.com")
    enrolment_create(learner=user, cohort=cohort)
    return user


@pytest.fixture(autouse=True)
def _english():
    """Messages made outside a request (the services' refusals) read in English here:
    the tests match their words, whatever the default language."""
    from django.utils import translation

    with translation.override("en"):
        yield
