import pytest
from django.core.cache import cache

from courses import services as course_services
from tests.factories import UserFactory
from tests.factories.courses import build_cohort, build_course


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def completed(home_pages):
    """An enrolment whose course (2 lessons, no tests) is completed, and its learner."""
    course = build_course(home_pages["ru"], modules=1, lessons=2)
    course.requires_module_tests = course.requires_final_exam = False
    course.save()
    learner = UserFactory(email="aigul@example.com", full_name="Айгүл Маратқызы Омарова")
    enrolment = course_services.enrolment_create(learner=learner, cohort=build_cohort(course))
    return enrolment, course
