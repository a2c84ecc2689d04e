"""Tests answered offline: the setting, the one-page form, and the sync of kept answers."""

import json
import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from quizzes import services
from quizzes.forms import QuizForm
from quizzes.models import Answer, Attempt, Question, Quiz, SyncedAnswer
from tests.factories import UserFactory
from tests.factories import quizzes as make

DEVICE = "phone-0123456789"
OTHER_DEVICE = "tablet-9876543210"


@pytest.fixture
def offline_quiz(cat):
    return make.quiz_with(
        [make.single(cat), make.true_false(cat), make.short(cat)], allow_offline_attempts=True
    )


@pytest.fixture
def attempt(offline_quiz, learner):
    return services.attempt_start(quiz=offline_quiz, user=learner)


@pytest.fixture
def signed_in(client, learner):
    client.force_login(learner)
    return client


def _question(attempt, type_):
    ids = attempt.question_ids
    return Question.objects.filter(pk__in=ids, type=type_).get()


def _place(attempt, question, choice_id) -> str:
    entry = next(e for e in attempt.layout if e["question"] == question.pk)
    return str(entry["choices"].index(choice_id))


def _sync(client, attempt, answers, device=DEVICE, **extra):
    return client.post(
        f"/en/quizzes/attempts/{attempt.pk}/sync/",
        json.dumps({"device": device, "answers": answers}),
        content_type="application/json",
        **extra,
    )


def _tf(attempt, revision, value="true", **more):
    return {
        "question": _question(attempt, "true_false").pk,
        "revision": revision,
        "answer": {"value": value},
        "answered_at_client": "2026-12-07T10:00:00+00:00",
        **more,
    }


# The setting ----------------------------------------------------------------------


def test_offline_attempts_are_off_by_default(cat):
    assert Quiz().allow_offline_attempts is False


def test_a_timed_quiz_cannot_be_answered_offline(offline_quiz):
    offline_quiz.time_limit_minutes = 20
    with pytest.raises(ValidationError) as error:
        offline_quiz.full_clean()
    assert "allow_offline_attempts" in error.value.message_dict


def test_a_quiz_that_checks_each_answer_cannot_be_answered_offline(offline_quiz):
    offline_quiz.review_when = Quiz.ReviewWhen.AFTER_EACH
    with pytest.raises(ValidationError) as error:
        offline_quiz.full_clean()
    assert "allow_offline_attempts" in error.value.message_dict


def test_an_untimed_quiz_may_be_answered_offline(offline_quiz):
    offline_quiz.full_clean()


def test_a_final_exam_page_refuses_a_quiz_answered_offline(home_pages, offline_quiz):
    from courses.models import QuizPage
    from tests.factories.courses import build_course

    build_course(home_pages["ru"], final_exam=True, module_tests=True)
    exam = QuizPage.objects.get(kind=QuizPage.Kind.FINAL_EXAM)
    exam.quiz = offline_quiz
    with pytest.raises(ValidationError) as error:
        exam.clean()
    assert "quiz" in error.value.message_dict
    test = QuizPage.objects.filter(kind=QuizPage.Kind.MODULE_TEST).first()
    test.quiz = offline_quiz
    test.clean()  # a module test may be answered offline


def test_the_quiz_form_refuses_offline_for_a_course_final_exam(home_pages, cat):
    from courses.models import QuizPage
    from tests.factories.courses import build_course

    build_course(home_pages["ru"], final_exam=True)
    quiz = make.quiz_with([make.true_false(cat)])
    QuizPage.objects.filter(kind=QuizPage.Kind.FINAL_EXAM).update(quiz=quiz)
    fields = ["allow_offline_attempts", "kind", "review_when", "review_marks"]
    meta = type("Meta", (), {"model": Quiz, "fields": fields})
    form_class = type("OfflineQuizForm", (QuizForm,), {"Meta": meta})
    data = {"allow_offline_attempts": "on", "kind": "graded", "review_when": "immediately"}
    form = form_class(instance=quiz, data={**data, "review_marks": "on"})
    assert not form.is_valid() and "allow_offline_attempts" in form.errors
    QuizPage.objects.update(kind=QuizPage.Kind.MODULE_TEST)
    assert form_class(instance=quiz, data={**data, "review_marks": "on"}).is_valid()


# The one-page form ----------------------------------------------------------------


def test_the_attempt_page_offers_answering_offline_only_when_allowed(signed_in, attempt, quiz):
    page = signed_in.get(f"/en/quizzes/attempts/{attempt.pk}/q/0/").content.decode()
    assert f"/en/quizzes/attempts/{attempt.pk}/offline/" in page
    online_only = services.attempt_start(quiz=quiz, user=attempt.user)
    page = signed_in.get(f"/en/quizzes/attempts/{online_only.pk}/q/0/").content.decode()
    assert "/offline/" not in page
    assert signed_in.get(f"/en/quizzes/attempts/{online_only.pk}/offline/").status_code == 404


def test_the_offline_page_shows_every_question_and_no_answer_key(signed_in, attempt):
    page = signed_in.get(f"/en/quizzes/attempts/{attempt.pk}/offline/").content.decode()
    for question in Question.objects.filter(pk__in=attempt.question_ids):
        assert f'data-question="{question.pk}"' in page
    # Nothing of the key: no right/wrong markers, fractions, feedback, explanation,
    # accepted answers, nor choice ids (choices are posted as their places).
    for secret in [
        "Верно.",
        "Неверно.",
        "четвёртый уровень бюджетной системы",
        "портал госзакупок",
        "goszakup",
        "fraction",
        "correct",
        "1.00000",
    ]:
        assert secret not in page
    # Choices are posted as their places in this attempt, never as their ids.
    position = attempt.question_ids.index(_question(attempt, "single").pk)
    values = re.findall(rf'name="q{position}-choice" value="([^"]*)"', page)
    assert sorted(values) == ["0", "1", "2", "3"]
    assert 'name="q0-' in page and "offline-attempt.js" in page


def test_the_offline_page_works_as_a_plain_form(signed_in, attempt):
    single = _question(attempt, "single")
    right = single.choices.get(fraction=1).pk
    position = attempt.question_ids.index(single.pk)
    tf_position = attempt.question_ids.index(_question(attempt, "true_false").pk)
    response = signed_in.post(
        f"/en/quizzes/attempts/{attempt.pk}/offline/",
        {
            f"q{position}-choice": _place(attempt, single, right),
            f"q{tf_position}-value": "false",
            "go": "summary",
        },
    )
    assert response["Location"] == f"/en/quizzes/attempts/{attempt.pk}/summary/"
    saved = {a.question_id: a.response for a in Answer.objects.filter(attempt=attempt)}
    true_false = _question(attempt, "true_false")
    assert saved == {single.pk: {"choice": right}, true_false.pk: {"value": False}}


def test_another_learners_offline_page_and_sync_are_404(client, attempt):
    client.force_login(UserFactory())
    assert client.get(f"/en/quizzes/attempts/{attempt.pk}/offline/").status_code == 404
    assert _sync(client, attempt, [_tf(attempt, 1)]).status_code == 404
    assert not Answer.objects.filter(attempt=attempt).exists()


def test_sync_needs_a_signed_in_learner(client, attempt):
    response = _sync(client, attempt, [_tf(attempt, 1)])
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_sync_is_csrf_protected(attempt, learner):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(learner)
    assert _sync(strict, attempt, [_tf(attempt, 1)]).status_code == 403
    assert not Answer.objects.filter(attempt=attempt).exists()


# The sync -------------------------------------------------------------------------


def test_a_payload_sent_twice_is_applied_once(signed_in, attempt):
    first = _sync(signed_in, attempt, [_tf(attempt, 1)]).json()
    again = _sync(signed_in, attempt, [_tf(attempt, 1)]).json()
    assert first["results"][0]["status"] == "applied"
    assert again["results"][0]["status"] == "duplicate"
    assert again["results"][0]["outcome"] == "applied"
    assert SyncedAnswer.objects.filter(attempt=attempt).count() == 1
    assert Answer.objects.get(attempt=attempt).response == {"value": True}


def test_answers_are_applied_in_order_and_an_older_revision_is_ignored(signed_in, attempt):
    results = _sync(signed_in, attempt, [_tf(attempt, 1, "true"), _tf(attempt, 2, "false")]).json()[
        "results"
    ]
    assert [r["status"] for r in results] == ["applied", "applied"]
    assert Answer.objects.get(attempt=attempt).response == {"value": False}
    # Revision 1 again, after 2 (a late copy): ignored and said so.
    late = _sync(signed_in, attempt, [_tf(attempt, 3, "true"), _tf(attempt, 1, "true")])
    assert [r["status"] for r in late.json()["results"]] == ["applied", "duplicate"]
    stale = _sync(signed_in, attempt, [_tf(attempt, 2, "false")]).json()["results"][0]
    assert stale["status"] == "duplicate"
    older = _sync(signed_in, attempt, [{**_tf(attempt, 1), "revision": 1}]).json()
    assert older["results"][0]["status"] == "duplicate"
    assert Answer.objects.get(attempt=attempt).response == {"value": True}


def test_a_revision_older_than_the_last_received_is_stale(signed_in, attempt):
    _sync(signed_in, attempt, [_tf(attempt, 5, "false")])
    result = _sync(signed_in, attempt, [_tf(attempt, 4, "true")]).json()["results"][0]
    assert result["status"] == "stale" and "older" in result["message"]
    assert Answer.objects.get(attempt=attempt).response == {"value": False}


def test_a_sync_after_the_deadline_is_refused_and_the_learner_told(signed_in, attempt):
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    body = _sync(signed_in, attempt, [_tf(attempt, 1)]).json()
    assert body["open"] is False
    assert body["results"][0]["status"] == "refused"
    assert "not accepted" in body["results"][0]["message"]
    assert "Question" in body["results"][0]["message"]
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.FINISHED
    assert not Answer.objects.filter(attempt=attempt, response__value=True).exists()
    # Sent again: still refused, recorded once.
    again = _sync(signed_in, attempt, [_tf(attempt, 1)]).json()["results"][0]
    assert again["outcome"] == "refused"
    assert SyncedAnswer.objects.get(attempt=attempt).outcome == "refused"


def test_a_sync_to_a_submitted_attempt_is_refused(signed_in, attempt, learner):
    services.attempt_submit(attempt=attempt, user=learner)
    result = _sync(signed_in, attempt, [_tf(attempt, 1)]).json()["results"][0]
    assert result["status"] == "refused"


def test_a_forged_question_is_reported_and_changes_nothing(signed_in, attempt, cat):
    stranger = make.true_false(cat)
    body = _sync(signed_in, attempt, [{**_tf(attempt, 1), "question": stranger.pk}]).json()
    assert body["results"][0]["status"] == "unknown"
    assert not Answer.objects.exists() and not SyncedAnswer.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [
        "not json",
        json.dumps([]),
        json.dumps({"device": "x", "answers": []}),  # too short a device name
        json.dumps({"device": DEVICE, "answers": {}}),
        json.dumps({"device": DEVICE, "answers": [{"question": "1", "revision": 1}]}),
        json.dumps({"device": DEVICE, "answers": [{"question": 1, "revision": 0, "answer": {}}]}),
        json.dumps({"device": DEVICE, "answers": [{"question": 1, "revision": 1, "answer": 5}]}),
        json.dumps(
            {"device": DEVICE, "answers": [{"question": 1, "revision": 1, "answer": {"a": {}}}]}
        ),
        json.dumps(
            {
                "device": DEVICE,
                "answers": [
                    {"question": 1, "revision": 1, "answer": {}, "answered_at_client": "yesterday"}
                ],
            }
        ),
        json.dumps({"device": DEVICE, "answers": [{"question": 1, "revision": 1}] * 501}),
    ],
)
def test_hostile_payloads_are_refused(signed_in, attempt, payload):
    response = signed_in.post(
        f"/en/quizzes/attempts/{attempt.pk}/sync/", payload, content_type="application/json"
    )
    assert response.status_code == 400
    assert not SyncedAnswer.objects.exists()


def test_a_forged_choice_place_is_not_taken(signed_in, attempt):
    single = _question(attempt, "single")
    result = _sync(
        signed_in,
        attempt,
        [{"question": single.pk, "revision": 1, "answer": {"choice": "99"}}],
    ).json()["results"][0]
    # No such place in this attempt (places are 0–3): nothing is guessed.
    assert result["status"] == "invalid"
    assert not Answer.objects.filter(attempt=attempt).exists()


def test_essay_text_from_a_sync_is_cleaned(signed_in, cat, learner):
    quiz = make.quiz_with([make.essay(cat)], allow_offline_attempts=True)
    attempt = services.attempt_start(quiz=quiz, user=learner)
    essay = attempt.question_ids[0]
    hostile = '<p onclick="x()">План</p><script>alert(1)</script>'
    _sync(signed_in, attempt, [{"question": essay, "revision": 1, "answer": {"text": hostile}}])
    text = Answer.objects.get(attempt=attempt).response["text"]
    assert "<script" not in text and "onclick" not in text and "План" in text


def test_the_last_answer_received_wins_and_the_learner_is_told(signed_in, attempt):
    seen = _sync(signed_in, attempt, [_tf(attempt, 1, "true")]).json()["results"][0]["saved_at"]
    # The same learner answers again on another device…
    _sync(signed_in, attempt, [_tf(attempt, 1, "false")], device=OTHER_DEVICE)
    # …then the phone's next answer, based on what it last saw, arrives last: it wins.
    result = _sync(signed_in, attempt, [_tf(attempt, 2, "true", based_on=seen)]).json()
    assert result["results"][0]["replaced_other"] is True
    assert "another device" in result["results"][0]["message"]
    assert Answer.objects.get(attempt=attempt).response == {"value": True}
    # Nothing changed elsewhere since it last looked: no conflict to report.
    latest = result["results"][0]["saved_at"]
    calm = _sync(signed_in, attempt, [_tf(attempt, 3, "false", based_on=latest)]).json()
    assert calm["results"][0]["replaced_other"] is False


def test_the_review_appears_only_after_submit_and_grading(signed_in, attempt):
    _sync(signed_in, attempt, [_tf(attempt, 1)])
    result_url = f"/en/quizzes/attempts/{attempt.pk}/"
    assert signed_in.get(result_url).status_code == 302  # not finished: back to the questions
    signed_in.post(f"/en/quizzes/attempts/{attempt.pk}/submit/")
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.FINISHED and attempt.score is not None
    assert signed_in.get(result_url).status_code == 200


@pytest.mark.parametrize("size", [5, 50])
def test_the_sync_makes_the_same_queries_for_5_or_50_answers(
    signed_in, cat, learner, size, django_assert_num_queries
):
    questions = [make.single(cat, name=f"Q{n}") for n in range(size // 2)]
    questions += [make.true_false(cat) for _ in range(size - size // 2)]
    quiz = make.quiz_with(questions, allow_offline_attempts=True)
    attempt = services.attempt_start(quiz=quiz, user=learner)
    kinds = dict(Question.objects.values_list("pk", "type"))
    items = [
        services.SyncItem(
            question_id=pk,
            revision=1,
            fields={"choice": ["0"]} if kinds[pk] == "single" else {"value": ["true"]},
        )
        for pk in attempt.question_ids
    ]
    # The attempt (locked), what the device sent, the answers, the questions, the
    # choices, one upsert, one insert; and the transaction's savepoint and release.
    with django_assert_num_queries(9):
        results = services.answers_sync(attempt=attempt, user=learner, device=DEVICE, items=items)
    assert {r.status for r in results} == {"applied"}
    assert Answer.objects.filter(attempt=attempt).count() == size


def _offline_page_queries(client, cat, learner, size) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    questions = [make.single(cat, name=f"Q{n}") for n in range(size // 2)]
    questions += [make.short(cat) for _ in range(size - size // 2)]
    quiz = make.quiz_with(questions, allow_offline_attempts=True)
    attempt = services.attempt_start(quiz=quiz, user=learner)
    client.force_login(learner)
    url = f"/en/quizzes/attempts/{attempt.pk}/offline/"
    client.get(url)  # warm the per-process caches (site, locale)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_offline_page_makes_the_same_queries_for_5_or_50_questions(client, cat, learner):
    few = _offline_page_queries(client, cat, learner, 5)
    other = UserFactory()
    many = _offline_page_queries(client, cat, other, 50)
    assert few == many and few <= 14
