"""One rule decides what a learner sees of a result, and every route follows it.

A learner scores 66.67 % (two of three right, pass mark 60 %) in the final exam of a
course whose lesson they have done. For each review setting the test walks every
page that could show the grade or the pass: the quiz page, the result and its
review, "my results" with the per-topic rates, the dashboard's recent results and
course progress, the course, module and test pages, and the certificate the registry
issues on completion (with its grade).
"""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from django.utils.translation import gettext, override

from certification.models import Certificate
from courses import services as course_services
from courses.models import ItemCompletion, LessonPage, QuizPage
from quizzes import selectors, services
from quizzes.models import Attempt, Question, Quiz
from tests.factories import UserFactory
from tests.factories import quizzes as make
from tests.factories.courses import build_cohort, build_course

GRADE_TEXTS = ("66,67", "66.67", "67%", "67 %")


@pytest.fixture
def exam(home_pages, cat):
    course = build_course(home_pages["ru"], modules=1, lessons=1, final_exam=True)
    quiz = make.quiz_with(
        [make.single(cat), make.true_false(cat), make.short(cat)], title="Итоговый экзамен"
    )
    page = QuizPage.objects.descendant_of(course).get()
    page.quiz = quiz
    page.save()
    learner = UserFactory(email="akim@example.com")
    enrolment = course_services.enrolment_create(learner=learner, cohort=build_cohort(course))
    course_services.lesson_complete(
        learner=learner, lesson=LessonPage.objects.descendant_of(course).get()
    )
    return {
        "course": course,
        "quiz": quiz,
        "page": page,
        "learner": learner,
        "enrolment": enrolment,
    }


def sit(quiz, learner, capture) -> Attempt:
    """Two of three right: 66.67 %, a pass."""
    attempt = services.attempt_start(quiz=quiz, user=learner)
    for entry in attempt.layout:
        question = Question.objects.get(pk=entry["question"])
        if question.type == Question.Type.SINGLE:
            response = {"choice": question.choices.get(fraction=1).pk}
        elif question.type == Question.Type.TRUE_FALSE:
            response = {"value": True}
        else:
            response = {"text": "не знаю"}
        services.answer_save(
            attempt=attempt, user=learner, question_id=question.pk, response=response
        )
    with capture(execute=True):
        return services.attempt_submit(attempt=attempt, user=learner)


def learner_pages(client, exam, attempt) -> dict[str, str]:
    client.force_login(exam["learner"])
    quiz = exam["quiz"]
    module = exam["page"].get_parent()
    urls = {
        "quiz page": f"/ru/quizzes/{quiz.pk}/",
        "result and review": f"/ru/quizzes/attempts/{attempt.pk}/",
        "my results": "/ru/quizzes/results/",
        "dashboard": "/ru/dashboard/",
        "course page": exam["course"].url,
        "module page": module.url,
        "test page": exam["page"].url,
    }
    pages = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, name
        pages[name] = response.content.decode().split("<main", 1)[-1]
    return pages


def shown_anywhere(pages: dict[str, str], texts) -> list[str]:
    return [f"{name}: {text}" for name, html in pages.items() for text in texts if text in html]


def pass_texts() -> list[str]:
    with override("ru"):
        return [gettext("passed"), gettext("You have passed this test.")]


def test_released_at_once_the_grade_shows_everywhere_and_counts(
    client, exam, django_capture_on_commit_callbacks
):
    attempt = sit(exam["quiz"], exam["learner"], django_capture_on_commit_callbacks)
    pages = learner_pages(client, exam, attempt)
    for name in ("quiz page", "result and review", "my results", "dashboard"):
        assert any(text in pages[name] for text in GRADE_TEXTS), name
    assert ItemCompletion.objects.filter(item_key=exam["page"].translation_key).exists()
    certificate = Certificate.objects.get(holder=exam["learner"])
    assert certificate.grade == Decimal("66.67")


@pytest.mark.parametrize(
    "hidden",
    [
        {"review_when": Quiz.ReviewWhen.NEVER},
        {"review_marks": False},
        {"review_when": Quiz.ReviewWhen.AFTER_CLOSE, "closes_at": "future"},
        {"review_when": Quiz.ReviewWhen.AFTER_CLOSE, "closes_at": None},
    ],
    ids=["never", "marks-off", "after-close-not-yet", "after-close-no-date"],
)
def test_a_hidden_result_shows_nowhere_and_counts_for_nothing_yet(
    client, exam, hidden, django_capture_on_commit_callbacks
):
    settings = dict(hidden)
    if settings.get("closes_at") == "future":
        settings["closes_at"] = timezone.now() + timedelta(days=1)
    # Set behind the admin's back: the admin refuses these for a required exam.
    Quiz.objects.filter(pk=exam["quiz"].pk).update(**settings)
    exam["quiz"].refresh_from_db()
    attempt = sit(exam["quiz"], exam["learner"], django_capture_on_commit_callbacks)
    assert attempt.passed  # graded all the same, for staff
    pages = learner_pages(client, exam, attempt)
    assert not shown_anywhere(pages, GRADE_TEXTS)
    assert not shown_anywhere(pages, pass_texts())
    if "review_marks" not in hidden:  # no review at all: not even the feedback
        assert not shown_anywhere(pages, ["Верно.", "четвёртый уровень бюджетной"])
    assert selectors.released_grade(quiz=exam["quiz"], user=exam["learner"]) is None
    # Progress would tell: the test is not counted, the course not completed, no certificate.
    assert not ItemCompletion.objects.filter(item_key=exam["page"].translation_key).exists()
    exam["enrolment"].refresh_from_db()
    assert exam["enrolment"].completed_at is None
    assert not Certificate.objects.exists()
    assert services.release_due_results() == 0


def test_after_close_the_result_is_released_once_the_quiz_closes(
    client, exam, django_capture_on_commit_callbacks
):
    closes = timezone.now() + timedelta(hours=2)
    Quiz.objects.filter(pk=exam["quiz"].pk).update(
        review_when=Quiz.ReviewWhen.AFTER_CLOSE, closes_at=closes
    )
    exam["quiz"].refresh_from_db()
    attempt = sit(exam["quiz"], exam["learner"], django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.release_due_results() == 0  # not closed yet
    assert not Certificate.objects.exists()
    with time_machine.travel(closes + timedelta(minutes=1)):
        pages = learner_pages(client, exam, attempt)
        assert any(text in pages["result and review"] for text in GRADE_TEXTS)
        assert any(text in pages["quiz page"] for text in GRADE_TEXTS)
        with django_capture_on_commit_callbacks(execute=True):
            call_command("release_quiz_results", stdout=io.StringIO())
        assert ItemCompletion.objects.filter(item_key=exam["page"].translation_key).exists()
        assert Certificate.objects.get(holder=exam["learner"]).grade == Decimal("66.67")
        with django_capture_on_commit_callbacks(execute=True):
            assert services.release_due_results() == 0  # nothing twice
    attempt.refresh_from_db()
    assert attempt.released_at is not None


def test_an_essay_keeps_the_grade_back_until_it_is_marked(
    client, home_pages, cat, django_capture_on_commit_callbacks
):
    quiz = make.quiz_with([make.true_false(cat), make.essay(cat)])
    learner = UserFactory()
    attempt = services.attempt_start(quiz=quiz, user=learner)
    services.answer_save(
        attempt=attempt, user=learner, question_id=attempt.layout[0]["question"], response={}
    )
    essay_id = next(e["question"] for e in attempt.layout if e["mark"] == "5.00")
    services.answer_save(
        attempt=attempt, user=learner, question_id=essay_id, response={"text": "План"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        attempt = services.attempt_submit(attempt=attempt, user=learner)
    assert attempt.needs_marking and attempt.released_at is None
    assert selectors.released_grade(quiz=quiz, user=learner) is None
    assert not selectors.result_view(attempt=attempt).grade
    answer = attempt.answers.get(question_id=essay_id)
    with django_capture_on_commit_callbacks(execute=True):
        marked = services.essay_mark(
            answer=answer, marker=UserFactory(), mark=Decimal("4"), comment=""
        )
    assert marked.released_at is not None
    assert selectors.released_grade(quiz=quiz, user=learner) == marked.percent


def test_the_admin_refuses_to_hide_the_result_of_a_required_test(client, exam):
    from django.contrib.auth.models import Group
    from django.urls import reverse
    from wagtail.test.utils.form_data import inline_formset, nested_form_data

    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="Trainers"))
    client.force_login(editor)
    quiz = exam["quiz"]
    data = nested_form_data(
        {
            "title_ru": quiz.title,
            "kind": quiz.kind,
            "published": "on",
            "pass_mark": "60",
            "grading": quiz.grading,
            "attempts_allowed": "0",
            "exam_paper": "on",
            "review_when": Quiz.ReviewWhen.NEVER,
            "review_marks": "on",
            "slots": inline_formset(
                [
                    {"id": slot.pk, "question": slot.question_id, "random_count": 1}
                    for slot in quiz.slots.all()
                ],
                initial=quiz.slots.count(),
            ),
        }
    )
    response = client.post(reverse("quizzes_quiz:edit", args=[quiz.pk]), data)
    assert response.status_code == 200
    quiz.refresh_from_db()
    assert quiz.review_when == Quiz.ReviewWhen.IMMEDIATELY
    # An optional test may keep its results to itself.
    QuizPage.objects.filter(pk=exam["page"].pk).update(required=False)
    client.post(reverse("quizzes_quiz:edit", args=[quiz.pk]), data)
    quiz.refresh_from_db()
    assert quiz.review_when == Quiz.ReviewWhen.NEVER


def test_a_required_quiz_page_cannot_host_a_quiz_that_hides_results(exam):
    from django.core.exceptions import ValidationError

    Quiz.objects.filter(pk=exam["quiz"].pk).update(review_when=Quiz.ReviewWhen.NEVER)
    page = QuizPage.objects.get(pk=exam["page"].pk)
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "quiz" in error.value.message_dict
    page.required = False
    page.full_clean()
