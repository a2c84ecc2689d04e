"""A quiz sat in the language of the page: one attempt, one grade whatever the language;
texts in the page's language or marked as a fallback; the language recorded."""

from decimal import Decimal

import pytest
from django.utils import translation

from quizzes import services
from quizzes.grading import grade
from quizzes.models import AcceptedAnswer, Answer, Attempt, Question, Quiz
from tests.factories import UserFactory
from tests.factories import quizzes as make


@pytest.fixture
def short_kk(cat):
    question = make.short(cat)  # "портал госзакупок" (1) and "goszakup*" (0.5)
    question.text_kk = "<p>Портал қалай аталады?</p>"
    question.save()
    AcceptedAnswer.objects.filter(question=question, fraction=1).update(
        text_kk="мемлекеттік сатып алу порталы", feedback_ru="Верно.", feedback_kk="Дұрыс."
    )
    return question


@pytest.fixture
def single_kk(cat):
    question = make.single(cat)
    question.text_kk = "<p>Ауылдық округтің бюджеті қай деңгейдегі бюджет?</p>"
    question.save()
    kazakh = ["Төртінші", "Бірінші", "Екінші", "Үшінші"]
    for choice, text in zip(question.choices.all(), kazakh, strict=True):
        choice.text_kk = text
        choice.save()
    return question


@pytest.mark.parametrize("page", ["kk", "ru", "en"])
def test_a_kazakh_short_answer_gets_the_mark_on_any_page(short_kk, page):
    with translation.override(page):
        question = Question.objects.prefetch_related("accepted_answers").get(pk=short_kk.pk)
        assert grade(question, {"text": "Мемлекеттік сатып алу  порталы"}) == 1
        assert grade(question, {"text": "портал госзакупок"}) == 1
        assert grade(question, {"text": "goszakup.gov.kz"}) == Decimal("0.5")
        assert grade(question, {"text": "сатып алу"}) == 0


def test_a_numeric_answer_written_differently_per_language_is_one_answer(cat):
    question = make.numeric(cat)  # 730 exactly (1), 730 ± 20 (0.5)
    question.accepted_answers.filter(fraction=1).update(text_ru="730", text_kk="730,0")
    for page in ("kk", "ru", "en"):
        with translation.override(page):
            fresh = Question.objects.prefetch_related("accepted_answers").get(pk=question.pk)
            assert grade(fresh, {"text": "730"}) == 1
            assert grade(fresh, {"text": "745"}) == Decimal("0.5")


def test_the_same_layout_is_graded_the_same_whatever_the_page_language(
    cat, single_kk, short_kk, learner
):
    quiz = make.quiz_with([single_kk, short_kk, make.true_false(cat)])
    right = single_kk.choices.get(fraction=1).pk
    responses = {
        single_kk.pk: {"choice": right},
        short_kk.pk: {"text": "goszakup"},
        quiz.slots.last().question_id: {"value": False},
    }
    scores = {}
    layout = None
    for page in ("kk", "ru", "en"):
        user = learner if page == "kk" else UserFactory()
        with translation.override(page):
            attempt = services.attempt_start(quiz=quiz, user=user)
            if layout is None:
                layout = attempt.layout
            Attempt.objects.filter(pk=attempt.pk).update(layout=layout)  # the same draw
            attempt.refresh_from_db()
            for question_id, response in responses.items():
                services.answer_save(
                    attempt=attempt, user=user, question_id=question_id, response=response
                )
            attempt = services.attempt_submit(attempt=attempt, user=user)
        marks = dict(attempt.answers.values_list("question_id", "mark"))
        scores[page] = (attempt.score, attempt.percent, attempt.passed, marks)
        assert attempt.language == page
        # Shown in the page's language where written (the true/false question is in
        # Russian only; nothing is in English), else in Russian.
        languages = set(attempt.answers.values_list("language", flat=True))
        assert languages == {"kk": {"kk", "ru"}, "ru": {"ru"}, "en": {"ru"}}[page]
    assert scores["kk"] == scores["ru"] == scores["en"]
    assert scores["kk"][3][single_kk.pk] == Decimal("1.00")
    assert scores["kk"][3][short_kk.pk] == Decimal("0.50")  # "goszakup*" gives half


# Sitting it on a page ---------------------------------------------------------------


def test_a_kazakh_page_shows_kazakh_texts_and_records_the_language(client, single_kk, learner):
    quiz = make.quiz_with([single_kk])
    Quiz.objects.filter(pk=quiz.pk).update(title_kk="Модуль бойынша тест")
    client.force_login(learner)
    detail = client.get(f"/kk/quizzes/{quiz.pk}/").content.decode()
    assert "Модуль бойынша тест" in detail and "notice--language" not in detail
    client.post(f"/kk/quizzes/{quiz.pk}/start/")
    attempt = Attempt.objects.get(user=learner)
    assert attempt.language == "kk"
    html = client.get(f"/kk/quizzes/attempts/{attempt.pk}/q/0/").content.decode()
    assert "Ауылдық округтің бюджеті" in html and "Төртінші" in html
    main = html.split("<main")[1]
    assert "notice--language" not in main and 'lang="ru"' not in main, main
    place = attempt.layout[0]["choices"].index(single_kk.choices.get(fraction=1).pk)
    client.post(f"/kk/quizzes/attempts/{attempt.pk}/q/0/", {"choice": place, "go": "summary"})
    assert Answer.objects.get(attempt=attempt).language == "kk"


def test_an_untranslated_question_falls_back_to_russian_with_a_notice(client, cat, learner):
    question = make.single(cat)  # Russian only
    quiz = make.quiz_with([question])
    client.force_login(learner)
    client.post(f"/en/quizzes/{quiz.pk}/start/")
    attempt = Attempt.objects.get(user=learner)
    assert attempt.language == "en"
    html = client.get(f"/en/quizzes/attempts/{attempt.pk}/q/0/").content.decode()
    assert "This question is not yet translated into English; shown in Russian." in html
    assert 'id="question-text" lang="ru">' in html
    assert '<span lang="ru">Четвёртый</span>' in html  # each choice, for screen readers
    detail = client.get(f"/en/quizzes/{quiz.pk}/").content.decode()
    assert "This test is not yet translated into English; shown in Russian." in detail
    client.post(f"/en/quizzes/attempts/{attempt.pk}/q/0/", {"choice": "0", "go": "summary"})
    assert Answer.objects.get(attempt=attempt).language == "ru"  # what it was shown in


def test_a_kazakh_page_marks_a_russian_fallback_too(client, cat, learner):
    quiz = make.quiz_with([make.true_false(cat)])
    client.force_login(learner)
    client.post(f"/kk/quizzes/{quiz.pk}/start/")
    attempt = Attempt.objects.get(user=learner)
    html = client.get(f"/kk/quizzes/attempts/{attempt.pk}/q/0/").content.decode()
    assert html.count("notice--language") == 1
    assert 'id="question-text" lang="ru">' in html


def test_the_review_shows_the_questions_in_the_language_they_were_answered_in(
    client, single_kk, learner
):
    single_kk.explanation_kk = "Ауылдық округтің бюджеті — төртінші деңгей."
    single_kk.save()
    quiz = make.quiz_with([single_kk])
    client.force_login(learner)
    client.post(f"/kk/quizzes/{quiz.pk}/start/")
    attempt = Attempt.objects.get(user=learner)
    client.post(f"/kk/quizzes/attempts/{attempt.pk}/q/0/", {"choice": "0", "go": "summary"})
    client.post(f"/kk/quizzes/attempts/{attempt.pk}/submit/")
    # Opened later on the English site: still the Kazakh question, marked as such.
    html = client.get(f"/en/quizzes/attempts/{attempt.pk}/").content.decode()
    assert "The review shows the questions as you answered them, in Kazakh." in html
    assert '<div class="question__text" lang="kk"><p>Ауылдық округтің бюджеті' in html
    assert "Ауылдық округтің бюджеті — төртінші деңгей." in html
    assert "Каким уровнем бюджета" not in html
    # On the page of its own language there is nothing to point out.
    html = client.get(f"/kk/quizzes/attempts/{attempt.pk}/").content.decode()
    main = html.split("<main")[1]
    assert "notice--language" not in main and 'lang="kk"' not in main
