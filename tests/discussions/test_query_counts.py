"""The Q&A adds one query to a learner's lesson page, and its own pages make the same
number of queries for a cohort of 10 learners and questions as for one of 1,000."""

from django.contrib.auth.models import Group
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses import services
from courses.models import Enrolment, LessonPage
from discussions.models import Answer, Question, Status
from lms.models import User
from tests.factories import UserFactory
from tests.factories.cms import build_home_pages
from tests.factories.courses import build_cohort, build_course

# Part of the contract, like tests/courses/test_query_counts.py (whose lesson figure
# holds this panel query).
EXPECTED = {
    # 7 + this one: the latest questions with how many there are (the lesson's course,
    # module and neighbours are kept in the process, "done?" comes with the enrolment)
    "lesson": 8,
    "lesson_trainer": 11,  # their cohorts of the course, each with its count: one query
    "thread": 10,
    "question": 9,
    "unanswered": 7,
    "moderation": 6,
}


class QueryCountsMixin:
    size = 0

    @classmethod
    def setUpTestData(cls):
        home = build_home_pages()
        course = build_course(home, modules=1, lessons=2)
        cls.trainer = UserFactory(email="trainer@example.com")
        cls.trainer.groups.add(Group.objects.get(name="Trainers"))
        cohort = build_cohort(course, trainers=[cls.trainer])
        cls.learner = UserFactory()
        services.enrolment_create(learner=cls.learner, cohort=cohort)
        cls.lesson = LessonPage.objects.descendant_of(course).order_by("path").first()
        others = User.objects.bulk_create(
            User(email=f"learner{n}@example.com", full_name=f"Слушатель {n}")
            for n in range(cls.size)
        )
        Enrolment.objects.bulk_create(
            Enrolment(learner=user, cohort=cohort, course_key=course.translation_key)
            for user in others
        )
        questions = Question.objects.bulk_create(
            Question(
                cohort=cohort,
                item_key=cls.lesson.translation_key,
                author=user,
                title=f"Вопрос {n}",
                status=Status.PENDING if n % 10 == 0 else Status.VISIBLE,
            )
            for n, user in enumerate(others)
        )
        cls.question = questions[1]
        Answer.objects.bulk_create(
            Answer(
                question=question,
                author=user,
                body="Ответ",
                status=Status.PENDING if n % 10 == 0 else Status.VISIBLE,
            )
            for question in (questions[1], questions[2])
            for n, user in enumerate(others)
        )
        cls.cohort = cohort

    def count(self, user, url) -> int:
        self.client.force_login(user)
        self.client.get(url)  # warm caches (site root paths, session)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        return len(queries)

    def test_lesson_page(self):
        self.assertEqual(self.count(self.learner, self.lesson.url), EXPECTED["lesson"])

    def test_lesson_page_for_a_trainer(self):
        self.assertEqual(self.count(self.trainer, self.lesson.url), EXPECTED["lesson_trainer"])

    def test_lesson_thread(self):
        url = reverse("discussions_lesson", args=[self.cohort.pk, self.lesson.pk])
        self.assertEqual(self.count(self.learner, url), EXPECTED["thread"])

    def test_question_page(self):
        url = reverse("discussions_question", args=[self.question.pk])
        self.assertEqual(self.count(self.learner, url), EXPECTED["question"])

    def test_unanswered(self):
        url = reverse("discussions_unanswered")
        self.assertEqual(self.count(self.trainer, url), EXPECTED["unanswered"])

    def test_moderation(self):
        url = reverse("discussions_moderation")
        self.assertEqual(self.count(self.trainer, url), EXPECTED["moderation"])


class TestSmallCohort(QueryCountsMixin, TestCase):
    size = 10


class TestLargeCohort(QueryCountsMixin, TestCase):
    size = 1000
