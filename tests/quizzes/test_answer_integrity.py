"""Attacks a learner with the browser's developer tools could try on the answer form:
reading the key off the choices' values, and changing an answer after checking it."""

import re
from decimal import Decimal

import pytest

from quizzes import services
from quizzes.models import Answer, Attempt, Choice, Question, Quiz
from tests.factories import quizzes as make

ATTEMPTS = 8


def single_with_right_at(cat, place: int, count: int = 5) -> Question:
    """A single-choice question whose right choice the author wrote at ``place``."""
    question = Question.objects.create(
        category=cat, type=Question.Type.SINGLE, name=f"Правильный {place}", text="<p>?</p>"
    )
    for n in range(count):
        Choice.objects.create(
            question=question, text=f"Вариант {n}", fraction=1 if n == place else 0, sort_order=n
        )
    return question


def multiple_with_right_first(cat) -> Question:
    question = Question.objects.create(
        category=cat, type=Question.Type.MULTIPLE, name="Несколько", text="<p>?</p>"
    )
    for n, fraction in enumerate(["0.5", "0.5", "0", "0", "-1"]):
        Choice.objects.create(
            question=question, text=f"Ответ {n}", fraction=Decimal(fraction), sort_order=n
        )
    return question


def rendered_choices(client, attempt, position, name) -> list[tuple[str, str]]:
    """(value, label text) of each input named ``name``, in page order."""
    html = client.get(f"/ru/quizzes/attempts/{attempt.pk}/q/{position}/").content.decode()
    return re.findall(
        rf'<input type="(?:radio|checkbox)" name="{name}" value="([^"]*)"[^>]*>\s*([^<]+)</label>',
        html,
    )


@pytest.mark.parametrize("shuffle", [True, False])
def test_posted_values_say_nothing_about_the_key(client, cat, learner, shuffle):
    questions = [single_with_right_at(cat, place) for place in (0, 2, 4)]
    questions.append(multiple_with_right_first(cat))
    Question.objects.filter(pk__in=[q.pk for q in questions]).update(shuffle_choices=shuffle)
    quiz = make.quiz_with(questions)
    client.force_login(learner)
    right_places: dict[int, set[str]] = {q.pk: set() for q in questions}
    for _ in range(ATTEMPTS):
        attempt = services.attempt_start(quiz=quiz, user=learner)
        for position, entry in enumerate(attempt.layout):
            question = Question.objects.get(pk=entry["question"])
            name = "choice" if question.type == Question.Type.SINGLE else "choices"
            shown = rendered_choices(client, attempt, position, name)
            values = [value for value, _text in shown]
            assert len(shown) == question.choices.count() == 5
            # The values are the places on the screen, 0, 1, 2…: sorting them gives
            # back the order the learner already sees, and nothing else.
            assert values == [str(n) for n in range(len(shown))]
            right_texts = set(
                question.choices.filter(fraction__gt=0).values_list("text", flat=True)
            )
            right_places[question.pk] |= {
                value for value, text in shown if text.strip() in right_texts
            }
            # No database id of a choice is rendered.
            html = client.get(f"/ru/quizzes/attempts/{attempt.pk}/q/{position}/").content.decode()
            for pk in question.choices.values_list("pk", flat=True):
                assert f'value="{pk}"' not in html or str(pk) in values
        services.attempt_submit(attempt=attempt, user=learner)
    if shuffle:
        # The right choice moves between attempts: a value means nothing from one
        # attempt to the next.
        for question in questions[:3]:
            assert len(right_places[question.pk]) > 1
    else:
        # Unshuffled, the right one stays where the author put it, as seen on screen.
        assert [right_places[q.pk] for q in questions[:3]] == [{"0"}, {"2"}, {"4"}]


def test_the_place_posted_is_the_choice_shown_there(client, cat, learner):
    question = single_with_right_at(cat, 3)
    quiz = make.quiz_with([question])
    client.force_login(learner)
    attempt = services.attempt_start(quiz=quiz, user=learner)
    shown = rendered_choices(client, attempt, 0, "choice")
    right_value = next(value for value, text in shown if text.strip() == "Вариант 3")
    client.post(f"/ru/quizzes/attempts/{attempt.pk}/q/0/", {"choice": right_value, "go": "summary"})
    answer = Answer.objects.get(attempt=attempt)
    assert answer.response == {"choice": question.choices.get(fraction=1).pk}
    assert services.attempt_submit(attempt=attempt, user=learner).percent == Decimal("100.00")


def test_a_posted_id_or_an_unknown_place_is_refused_and_saves_nothing(client, cat, learner):
    question = single_with_right_at(cat, 0, count=3)
    quiz = make.quiz_with([question])
    client.force_login(learner)
    attempt = services.attempt_start(quiz=quiz, user=learner)
    right = question.choices.get(fraction=1)
    for value in (str(right.pk + 100), "-1", "3", "x"):
        response = client.post(f"/ru/quizzes/attempts/{attempt.pk}/q/0/", {"choice": value})
        assert response.status_code == 200  # the form again, with its error
    assert not Answer.objects.filter(attempt=attempt).exists()


def test_self_assessment_fields_are_named_by_place(client, cat, learner):
    from quizzes.models import Scale

    scales = [Scale.objects.create(name=name) for name in ("Координатор", "Исполнитель")]
    question = make.rating(cat, scales)
    quiz = make.quiz_with([question], kind=Quiz.Kind.SELF_ASSESSMENT)
    client.force_login(learner)
    attempt = services.attempt_start(quiz=quiz, user=learner)
    html = client.get(f"/ru/quizzes/attempts/{attempt.pk}/q/0/").content.decode()
    assert sorted(re.findall(r'name="(rating_[^"]+)"', html)) == ["rating_0", "rating_1"]
    order = attempt.layout[0]["choices"]
    client.post(
        f"/ru/quizzes/attempts/{attempt.pk}/q/0/", {"rating_0": "7", "rating_1": "3", "go": "next"}
    )
    assert Answer.objects.get(attempt=attempt).response == {
        "ratings": {str(order[0]): 7, str(order[1]): 3}
    }


# Feedback after each question -------------------------------------------------------


@pytest.fixture
def checked_quiz(cat):
    return make.quiz_with(
        [make.single(cat), make.true_false(cat)], review_when=Quiz.ReviewWhen.AFTER_EACH
    )


def _place_of(attempt, position, choice) -> str:
    return str(attempt.layout[position]["choices"].index(choice.pk))


def test_a_checked_answer_cannot_be_changed_for_full_marks(client, learner, checked_quiz):
    client.force_login(learner)
    attempt = services.attempt_start(quiz=checked_quiz, user=learner)
    position = next(
        i
        for i, e in enumerate(attempt.layout)
        if Question.objects.get(pk=e["question"]).type == "single"
    )
    question = Question.objects.get(pk=attempt.layout[position]["question"])
    url = f"/ru/quizzes/attempts/{attempt.pk}/q/{position}/"
    wrong, right = question.choices.get(text="Первый"), question.choices.get(fraction=1)

    page = client.post(
        url, {"choice": _place_of(attempt, position, wrong), "go": "check"}, follow=True
    ).content.decode()
    assert "Четвёртый" in page  # the right answer, now shown
    assert "disabled" in page  # and the answer can no longer be changed on the form

    # The learner with dev tools posts the right answer anyway, in every way they can.
    for go in ("next", "check", "previous", "summary"):
        client.post(url, {"choice": _place_of(attempt, position, right), "go": go})
    answer = Answer.objects.get(attempt=attempt, question=question)
    assert answer.response == {"choice": wrong.pk}
    with pytest.raises(services.AnswerLocked):
        services.answer_save(
            attempt=attempt, user=learner, question_id=question.pk, response={"choice": right.pk}
        )
    again = services.answer_check(
        attempt=attempt, user=learner, question_id=question.pk, response={"choice": right.pk}
    )
    assert again.response == {"choice": wrong.pk}
    finished = services.attempt_submit(attempt=Attempt.objects.get(pk=attempt.pk), user=learner)
    assert finished.score == Decimal("0.00")


def test_unchecked_answers_still_change_freely(client, learner, checked_quiz):
    attempt = services.attempt_start(quiz=checked_quiz, user=learner)
    true_false = next(
        e["question"]
        for e in attempt.layout
        if Question.objects.get(pk=e["question"]).type == "true_false"
    )
    for value in (False, True):
        services.answer_save(
            attempt=attempt, user=learner, question_id=true_false, response={"value": value}
        )
    assert Answer.objects.get(attempt=attempt, question_id=true_false).response == {"value": True}


def test_checking_is_only_for_quizzes_that_give_feedback_after_each_question(client, learner, quiz):
    from django.core.exceptions import ValidationError

    attempt = services.attempt_start(quiz=quiz, user=learner)
    question_id = attempt.layout[0]["question"]
    with pytest.raises(ValidationError):
        services.answer_check(attempt=attempt, user=learner, question_id=question_id, response={})
    # A forged "check" on an ordinary quiz saves the answer and shows no key.
    client.force_login(learner)
    html = client.post(
        f"/ru/quizzes/attempts/{attempt.pk}/q/0/", {"value": "true", "go": "check"}, follow=True
    ).content.decode()
    assert "Бюджет сельского округа — четвёртый уровень" not in html
    assert not Answer.objects.filter(checked_at__isnull=False).exists()


def test_an_answer_checked_in_another_tab_is_kept_and_the_learner_moves_on(
    client, learner, checked_quiz
):
    client.force_login(learner)
    attempt = services.attempt_start(quiz=checked_quiz, user=learner)
    question_id = attempt.layout[0]["question"]
    question = Question.objects.get(pk=question_id)
    first = question.choices.order_by("pk").first() if question.type == "single" else None
    response = {"choice": first.pk} if first else {"value": False}
    # The page was loaded before the other tab checked the answer.
    page = client.get(f"/ru/quizzes/attempts/{attempt.pk}/q/0/")
    assert page.status_code == 200
    services.answer_check(attempt=attempt, user=learner, question_id=question_id, response=response)
    data = {"choice": "0"} if first else {"value": "true"}
    followed = client.post(
        f"/ru/quizzes/attempts/{attempt.pk}/q/0/", {**data, "go": "next"}, follow=True
    )
    assert followed.redirect_chain[-1][0].endswith(f"/ru/quizzes/attempts/{attempt.pk}/q/1/")
    assert Answer.objects.get(attempt=attempt, question_id=question_id).response == response


def test_a_kazakh_page_gives_the_key_away_no_more_than_a_russian_one(client, cat, learner):
    """On /kk/ the texts are the Kazakh ones, and still nothing of the key is on the page
    before the review allows it: no choice id, no fraction, no accepted answer in any
    language, no feedback or explanation."""
    question = single_with_right_at(cat, 2, count=3)
    for choice in question.choices.all():
        choice.text_kk = f"Нұсқа {choice.sort_order}"
        choice.feedback_kk = f"Кері байланыс {choice.sort_order}"
        choice.save()
    question.text_kk = "<p>Қайсысы дұрыс?</p>"
    question.explanation_kk = "Түсініктеме"
    question.save()
    short = make.short(cat)
    short.accepted_answers.filter(fraction=1).update(text_kk="мемлекеттік сатып алу порталы")
    quiz = make.quiz_with([question, short], review_when=Quiz.ReviewWhen.NEVER)
    client.force_login(learner)
    client.post(f"/kk/quizzes/{quiz.pk}/start/")
    attempt = Attempt.objects.get(user=learner)
    assert attempt.language == "kk"
    pages = [
        client.get(f"/kk/quizzes/attempts/{attempt.pk}/q/{position}/").content.decode()
        for position in range(2)
    ]
    html = "".join(pages)
    assert "Қайсысы дұрыс?" in html and "Нұсқа 2" in html  # the Kazakh texts
    values = re.findall(r'name="choice" value="([^"]*)"', html)
    assert values == ["0", "1", "2"]
    for pk in question.choices.values_list("pk", flat=True):
        assert f'value="{pk}"' not in html or str(pk) in values
    for secret in [
        "мемлекеттік сатып алу порталы",
        "портал госзакупок",
        "goszakup",
        "Кері байланыс",
        "Түсініктеме",
        "fraction",
        "data-correct",
    ]:
        assert secret not in html
    client.post(f"/kk/quizzes/attempts/{attempt.pk}/submit/")
    result = client.get(f"/kk/quizzes/attempts/{attempt.pk}/").content.decode()
    for secret in ["мемлекеттік сатып алу порталы", "Кері байланыс", "Түсініктеме"]:
        assert secret not in result  # the review never shows: nothing of it on /kk/ either
