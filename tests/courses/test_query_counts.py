"""Pages and writes make the same number of queries for small and very large courses."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses import services
from courses.models import LessonPage
from tests.factories import UserFactory
from tests.factories.courses import build_cohort, build_course

SIZES = {"small": (2, 5), "large": (10, 100)}  # modules x lessons: 10 and 1,000 lessons


@pytest.fixture(params=SIZES, ids=list(SIZES))
def big_course(request, home_pages):
    modules, lessons = SIZES[request.param]
    course = build_course(home_pages["ru"], modules=modules, lessons=lessons, module_tests=True)
    learner = UserFactory()
    enrolment = services.enrolment_create(learner=learner, cohort=build_cohort(course))
    lesson_list = list(LessonPage.objects.descendant_of(course).order_by("path")[:3])
    services.lesson_complete(learner=learner, lesson=lesson_list[0])
    return course, learner, enrolment, lesson_list


def _count(client, url) -> int:
    client.get(url)  # warm caches (site root paths, session)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# The exact numbers are part of the contract: a change that adds a query per lesson
# (or any query) makes these fail and must be looked at.
EXPECTED = {"course": 14, "lesson": 15, "dashboard": 11, "module": 13}


def test_course_page(client, big_course):
    course, learner, _, _ = big_course
    client.force_login(learner)
    assert _count(client, course.url) == EXPECTED["course"]


def test_lesson_page(client, big_course):
    _, learner, _, lessons = big_course
    client.force_login(learner)
    assert _count(client, lessons[1].url) == EXPECTED["lesson"]


def test_module_page(client, big_course):
    _, learner, _, lessons = big_course
    client.force_login(learner)
    assert _count(client, lessons[1].get_parent().url) == EXPECTED["module"]


def test_dashboard(client, big_course):
    _, learner, _, _ = big_course
    client.force_login(learner)
    assert _count(client, "/ru/dashboard/") == EXPECTED["dashboard"]


def test_marking_a_lesson_done_takes_at_most_six_queries(django_assert_num_queries, big_course):
    _, learner, _, lessons = big_course
    # course, enrolment, insert, "anything left?" = 4; the 5th records completion.
    with django_assert_num_queries(4):
        services.lesson_complete(learner=learner, lesson=lessons[1])
