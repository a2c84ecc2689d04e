"""The lesson panel's latest questions (written-out SQL) and its drawn pieces: the same
rows, order, counts and visibility as the thread's queryset, and never a piece of
another learner's page."""

import re
import uuid
from datetime import timedelta

import pytest
from django.db.models import Count, Window
from django.utils import timezone
from wagtail.models import Locale

from courses.models import LessonPage
from discussions import selectors
from discussions.models import Question, Status
from tests.factories.courses import translate_course
from tests.factories.discussions import build_answer, build_question


def line(question):
    return (
        question.pk,
        question.title,
        question.language,
        question.status,
        question.created_at,
        question.accepted_answer_id,
        question.author_id,
        question.author.full_name,
        question.author.email,
        question.answer_count,
        question.total,
    )


def reference(access, lesson, count):
    """What the ORM's queryset gives for the same thread."""
    questions = selectors.lesson_questions(access=access, item_key=lesson.translation_key)
    return [line(q) for q in questions.annotate(total=Window(Count("pk")))[:count]]


def latest(access, lesson, count=5):
    return selectors.latest_lesson_questions(
        access=access, item_key=lesson.translation_key, count=count
    )


@pytest.fixture
def other_lesson(course, lesson):
    return LessonPage.objects.descendant_of(course).exclude(pk=lesson.pk).get()


@pytest.fixture
def mixed_thread(cohort, other_cohort, lesson, other_lesson, learner, classmate, trainer, outsider):
    """Every kind of question a learner must or must not see, some at the same moment."""
    moment = timezone.now() - timedelta(hours=1)
    mine = build_question(cohort, lesson, learner, title="Мой", language="kk")
    build_answer(mine, classmate)
    build_answer(mine, trainer)
    build_answer(mine, classmate, status=Status.PENDING)
    build_answer(mine, classmate, status=Status.HIDDEN)
    accepted = build_answer(mine, trainer, body="Принятый")
    Question.objects.filter(pk=mine.pk).update(accepted_answer=accepted)
    build_question(cohort, lesson, learner, title="Мой на проверке", status=Status.PENDING)
    build_question(cohort, lesson, classmate, title="Чужой на проверке", status=Status.PENDING)
    build_question(cohort, lesson, classmate, title="Скрытый", status=Status.HIDDEN)
    build_question(cohort, lesson, learner, title="Мой скрытый", status=Status.HIDDEN)
    build_question(cohort, lesson, classmate, title="Тот же миг 1", created_at=moment)
    build_question(cohort, lesson, classmate, title="Тот же миг 2", created_at=moment)
    build_question(cohort, other_lesson, classmate, title="Другой урок")
    build_question(other_cohort, lesson, outsider, title="Другой поток")
    return mine


@pytest.mark.parametrize("count", [1, 2, 5, 10])
def test_the_latest_are_the_threads_rows_in_its_order(
    learner, classmate, trainer, cohort, lesson, mixed_thread, count
):
    for user in (learner, classmate, trainer):
        access = selectors.thread_access(user=user, cohort=cohort)
        assert [line(q) for q in latest(access, lesson, count)] == reference(access, lesson, count)


def test_a_learner_sees_the_visible_and_their_own_pending_with_visible_answers_counted(
    learner, classmate, cohort, lesson, mixed_thread
):
    access = selectors.thread_access(user=learner, cohort=cohort)
    shown = latest(access, lesson, count=10)
    assert [q.title for q in shown] == ["Мой на проверке", "Мой", "Тот же миг 2", "Тот же миг 1"]
    assert {q.total for q in shown} == {4}
    mine = shown[1]
    assert mine.answer_count == 3  # two by people, the accepted one; not pending or hidden
    assert mine.accepted_answer_id is not None and mine.language == "kk"
    assert mine.author.email == learner.email and mine.author.full_name == learner.full_name
    assert "password" in mine.author.get_deferred_fields()  # never read for a line
    assert shown[0].status == Status.PENDING and shown[0].answer_count == 0

    theirs = latest(selectors.thread_access(user=classmate, cohort=cohort), lesson, count=10)
    assert "Мой на проверке" not in [q.title for q in theirs]
    assert "Чужой на проверке" in [q.title for q in theirs]


def test_the_total_counts_beyond_the_limit(learner, cohort, lesson, mixed_thread):
    shown = latest(selectors.thread_access(user=learner, cohort=cohort), lesson, count=2)
    assert len(shown) == 2 and shown[0].total == 4


def test_another_cohort_and_another_lesson_stay_apart(
    outsider, other_cohort, cohort, lesson, other_lesson, learner, mixed_thread
):
    theirs = latest(selectors.thread_access(user=outsider, cohort=other_cohort), lesson)
    assert [q.title for q in theirs] == ["Другой поток"]
    other = latest(selectors.thread_access(user=learner, cohort=cohort), other_lesson)
    assert [q.title for q in other] == ["Другой урок"]


def test_an_empty_thread_gives_nothing(learner, cohort, lesson):
    assert latest(selectors.thread_access(user=learner, cohort=cohort), lesson) == []


def test_the_dates_are_aware_and_exact(learner, cohort, lesson):
    question = build_question(cohort, lesson, learner)
    (shown,) = latest(selectors.thread_access(user=learner, cohort=cohort), lesson)
    assert shown.created_at == question.created_at and timezone.is_aware(shown.created_at)


# The drawn panel ---------------------------------------------------------------------


def panel(html: str) -> str:
    return re.search(r'<section class="card lesson-questions".*?</section>', html, re.S).group()


def test_the_panel_follows_answers_edits_and_new_questions(
    client, learner, classmate, cohort, lesson
):
    question = build_question(cohort, lesson, classmate, title="Первый")
    client.force_login(learner)
    assert re.search(r"\b0 ответов\b", panel(client.get(lesson.url).text))
    build_answer(question, classmate)
    assert re.search(r"\b1 ответ\b", panel(client.get(lesson.url).text))
    Question.objects.filter(pk=question.pk).update(title="Исправленный")
    html = panel(client.get(lesson.url).text)
    assert "Исправленный" in html and "Первый" not in html
    build_question(cohort, lesson, classmate, title="Второй")
    html = panel(client.get(lesson.url).text)
    assert html.index("Второй") < html.index("Исправленный")
    assert "Все вопросы вашего потока: 2" in html
    classmate.full_name = "Новое Имя"
    classmate.save()
    assert "Новое Имя" in panel(client.get(lesson.url).text)


def test_a_learners_own_pending_question_stays_on_their_page(
    client, learner, classmate, cohort, lesson
):
    build_question(cohort, lesson, classmate, title="Общий")
    build_question(cohort, lesson, learner, title="Мой на проверке", status=Status.PENDING)
    client.force_login(learner)
    mine = panel(client.get(lesson.url).text)
    assert "Мой на проверке" in mine and "ждёт одобрения" in mine
    client.force_login(classmate)
    theirs = panel(client.get(lesson.url).text)
    assert "Общий" in theirs and "Мой на проверке" not in theirs


def test_each_page_gets_its_token_and_key_and_titles_stay_as_written(
    client, learner, classmate, cohort, lesson
):
    """A title holding what looks like a key or a token is shown as written."""
    title = f"{uuid.UUID(int=0)} csrfmiddlewaretoken {'a' * 32}"
    build_question(cohort, lesson, classmate, title=title)
    client.force_login(learner)
    keys, tokens = set(), set()
    for _ in range(3):
        html = client.get(lesson.url).text
        assert title in panel(html)
        keys.add(re.search(r'name="submit_key" value="([0-9a-f-]{36})"', panel(html)).group(1))
        page_tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="(\w+)"', html))
        assert len(page_tokens) == 1
        tokens |= page_tokens
    assert len(keys) == 3 and str(uuid.UUID(int=0)) not in keys


def test_the_panel_is_drawn_in_each_pages_language(client, learner, classmate, cohort, lesson):
    """The Russian and English copies share the thread: each draws it in its words."""
    translate_course(cohort.course, "en")
    english = lesson.get_translation(Locale.objects.get(language_code="en"))
    build_question(cohort, lesson, classmate, title="Вопрос")
    client.force_login(learner)
    russian_panel = panel(client.get(lesson.url).text)
    assert "Вопросы по этому уроку" in russian_panel and "Вопрос" in russian_panel
    english_panel = panel(client.get(english.url).text)
    assert "Questions about this lesson" in english_panel and "0 answers" in english_panel
    assert "Вопрос" in english_panel and english_panel.count("/en/") >= 2
