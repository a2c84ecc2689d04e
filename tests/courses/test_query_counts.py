"""Pages and writes make the same number of queries for small and very large courses."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses import services
from courses.models import CohortItemDates, LessonPage, ModulePage, QuizPage
from tests.factories import UserFactory
from tests.factories.cms import build_home_pages
from tests.factories.courses import build_cohort, build_course

# The exact numbers are part of the contract: a change that adds a query per lesson
# (or any query) makes these fail and must be looked at.
# Release and due dates added one query to each page (the cohort's dates, read once);
# the lesson has two more: its cohort's latest questions, and how many there are (the
# discussions app's panel, tests/discussions/test_query_counts.py); the dashboard one
# more: the evaluation survey's panel asks whether a survey is left to answer, and one
# more: the gradebook's panel reads the learner's courses (and their titles in the page's
# language: one more) for its links to their grades.
# The lesson's previous and next items (and its module) are one query, not two. The Site,
# the home page in the page's language and the language links come from the process
# (cms.routing, lms.i18n): 4 fewer on each page, 1 on the dashboard. The dashboard reads
# its courses in the page's language in one query (not the course, then its locale), and
# the same for ten courses as for one (tests/courses/test_dashboard.py): 1 fewer.
# The course of a module or lesson, a lesson's module and neighbours and a module's
# items are kept in the process until the tree changes (courses.selectors._structure);
# "done?" is read with the enrolment; a lesson opened again writes nothing: the lesson
# 4 fewer, the module 2. The lesson's questions come with their count: 1 fewer.
# A course's outline (modules and items) is kept in the process too, and progress and
# "continue" are worked out over it from the learner's completions (one query): the
# course page and the dashboard 3 fewer each.
# The dashboard's courses in the page's language are kept in the process too, and the
# gradebook's panel reuses the dashboard's enrolments and course titles: 3 fewer.
# The course's and a module's cohort dates are read with the enrolment: 1 fewer each.
# The evaluation survey's panel asks nothing of a learner with no completed course
# (tests/courses/test_dashboard.py): the dashboard 1 fewer.
EXPECTED = {"course": 7, "lesson": 8, "dashboard": 9, "module": 7}


class QueryCountsMixin:
    modules = lessons = 0

    @classmethod
    def setUpTestData(cls):
        home = build_home_pages()
        cls.course = build_course(home, modules=cls.modules, lessons=cls.lessons, module_tests=True)
        cls.learner = UserFactory()
        cohort = build_cohort(cls.course)
        services.enrolment_create(learner=cls.learner, cohort=cohort)
        # a date for every module and test: the last module not open yet, the rest
        # open and due soon (so the pages and the dashboard show them all)
        now = timezone.now()
        modules = list(ModulePage.objects.child_of(cls.course).order_by("path"))
        for module in modules:
            later = module == modules[-1]
            keys = [
                module.translation_key,
                *QuizPage.objects.child_of(module).values_list("translation_key", flat=True),
            ]
            CohortItemDates.objects.bulk_create(
                CohortItemDates(
                    cohort=cohort,
                    item_key=key,
                    opens_at=now + timedelta(days=3 if later else -3),
                    due_at=now + timedelta(days=10),
                )
                for key in keys
            )
        cls.lesson_list = list(LessonPage.objects.descendant_of(cls.course).order_by("path")[:3])
        services.lesson_complete(learner=cls.learner, lesson=cls.lesson_list[0])

    def setUp(self):
        self.client.force_login(self.learner)

    def count(self, url) -> int:
        self.client.get(url)  # warm caches (site root paths, session)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_course_page(self):
        self.assertEqual(self.count(self.course.url), EXPECTED["course"])

    def test_lesson_page(self):
        self.assertEqual(self.count(self.lesson_list[1].url), EXPECTED["lesson"])

    def test_module_page(self):
        self.assertEqual(self.count(self.lesson_list[1].get_parent().url), EXPECTED["module"])

    def test_dashboard(self):
        self.assertEqual(self.count("/ru/dashboard/"), EXPECTED["dashboard"])

    def test_marking_a_lesson_done_takes_at_most_seven_queries(self):
        # course, enrolment, the cohort's dates, insert, "anything left?" = 5; a 6th
        # records completion.
        with self.assertNumQueries(5):
            services.lesson_complete(learner=self.learner, lesson=self.lesson_list[1])


class TestSmallCourse(QueryCountsMixin, TestCase):
    modules, lessons = 2, 5  # 10 lessons


class TestLargeCourse(QueryCountsMixin, TestCase):
    modules, lessons = 10, 100  # 1,000 lessons


@pytest.mark.parametrize("lessons", [10, 1000])
def test_a_lesson_costs_the_same_in_a_module_of_ten_or_a_thousand_lessons(
    client, home_pages, lessons, django_assert_num_queries
):
    """Its module, neighbours and dates are read by keys, never by walking the module."""
    course = build_course(home_pages["ru"], modules=1, lessons=lessons)
    learner = UserFactory()
    cohort = build_cohort(course)
    services.enrolment_create(learner=learner, cohort=cohort)
    module = ModulePage.objects.child_of(course).get()
    CohortItemDates.objects.create(
        cohort=cohort,
        item_key=module.translation_key,
        opens_at=timezone.now() - timedelta(days=1),
        due_at=timezone.now() + timedelta(days=10),
    )
    middle = LessonPage.objects.child_of(module).order_by("path")[lessons // 2]
    client.force_login(learner)
    client.get(middle.url)  # warm caches (site root paths, session, the module's memo)
    with django_assert_num_queries(EXPECTED["lesson"]):
        response = client.get(middle.url)
    html = response.content.decode()
    assert 'rel="prev"' in html and 'rel="next"' in html
    assert "release-notice" in html  # the module's due date, read with the lesson's
