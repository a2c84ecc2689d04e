"""A learner answers a test with the network switched off, and the answers arrive once.

The attempt is started online (the server draws the questions and fixes their order),
then the learner opens "Answer offline", Chromium goes offline
(``context.set_offline(True)``), the answers are kept in IndexedDB with "waiting to be
sent" showing; back online they are sent, the attempt is submitted online and the
review appears. A second journey: the answers arrive after the attempt's deadline and
the learner is told they were not accepted.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from demo.accounts import demo_password
from tests.e2e.browser_helpers import axe_violations, describe, sign_in, watch_problems

LEARNER_EMAIL = "learner@example.com"


@pytest.fixture
def offline_quiz(demo_site):
    from tests.factories import quizzes as make

    cat = make.category()
    return make.quiz_with(
        [make.true_false(cat), make.short(cat)],
        title="Offline test",
        allow_offline_attempts=True,
        closes_at=None,
    )


def _start_offline_page(page, base_url, quiz):
    sign_in(page, base_url, LEARNER_EMAIL, demo_password())
    page.goto(f"{base_url}/en/quizzes/{quiz.pk}/")
    page.get_by_role("button", name="Start the quiz").click()
    expect(page).to_have_url(re.compile(r"/quizzes/attempts/\d+/q/0/$"))
    page.get_by_role("link", name="Answer offline").click()
    expect(page).to_have_url(re.compile(r"/quizzes/attempts/\d+/offline/$"))
    from quizzes.models import Attempt

    return Attempt.objects.get(quiz=quiz, state="in_progress")


def _question(attempt, type_):
    from quizzes.models import Question

    return Question.objects.get(pk__in=attempt.question_ids, type=type_)


def _answer_offline(page, attempt):
    true_false = page.locator(f'[data-question="{_question(attempt, "true_false").pk}"]')
    true_false.get_by_label("True", exact=True).check()
    short = page.locator(f'[data-question="{_question(attempt, "short").pk}"]')
    short.get_by_label("Your answer").fill("портал госзакупок")
    short.get_by_label("Your answer").press("Tab")  # the change event: kept on the phone


def test_answers_given_offline_are_sent_once_when_the_signal_returns(
    demo_site, offline_quiz, page, context
):
    from quizzes.models import Answer, SyncedAnswer

    problems = watch_problems(page)
    attempt = _start_offline_page(page, demo_site, offline_quiz)
    status = page.locator("[data-offline-status]")
    # Nothing of the key on the page: the accepted answers are not in it.
    assert "goszakup" not in page.content()

    context.set_offline(True)
    _answer_offline(page, attempt)
    expect(status).to_contain_text("Answers waiting to be sent: 2")
    expect(page.locator("[data-offline-saved]").first).to_have_text("Saved on this phone.")
    assert not Answer.objects.filter(attempt=attempt).exists()
    # Posting the form offline is held back, and the learner told why.
    page.get_by_role("button", name="Save and review the attempt").click()
    expect(status).to_contain_text("No signal")
    assert not Answer.objects.filter(attempt=attempt).exists()

    context.set_offline(False)
    expect(status).to_have_text("Nothing is waiting to be sent.")
    saved = {a.question_id: a.response for a in Answer.objects.filter(attempt=attempt)}
    assert saved == {
        _question(attempt, "true_false").pk: {"value": True},
        _question(attempt, "short").pk: {"text": "портал госзакупок"},
    }
    assert SyncedAnswer.objects.filter(attempt=attempt).count() == 2
    assert not (found := axe_violations(page)), describe(found)

    page.get_by_role("button", name="Save and review the attempt").click()
    expect(page).to_have_url(re.compile(r"/summary/$"))
    page.get_by_role("button", name="Submit the attempt").click()
    expect(page).to_have_url(re.compile(rf"/quizzes/attempts/{attempt.pk}/$"))
    expect(page.get_by_text("100")).not_to_have_count(0)
    attempt.refresh_from_db()
    assert attempt.state == "finished" and attempt.passed
    # Each answer arrived once, whatever the page sent meanwhile.
    assert SyncedAnswer.objects.filter(attempt=attempt).count() == 2
    assert not problems, problems


def test_answers_arriving_after_the_deadline_are_refused_and_the_learner_told(
    demo_site, offline_quiz, page, context
):
    from django.utils import timezone

    from quizzes.models import Answer, Attempt

    offline_quiz.closes_at = timezone.now() + timedelta(hours=1)
    offline_quiz.save(update_fields=["closes_at"])
    attempt = _start_offline_page(page, demo_site, offline_quiz)
    assert attempt.deadline is not None

    context.set_offline(True)
    _answer_offline(page, attempt)
    expect(page.locator("[data-offline-status]")).to_contain_text("Answers waiting to be sent: 2")
    # The deadline passes while the phone has no signal.
    Attempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - timedelta(minutes=1))
    context.set_offline(False)
    outcomes = page.locator("[data-offline-outcomes] li")
    expect(outcomes).to_have_count(2)
    expect(outcomes.first).to_contain_text("not accepted, the attempt was already over")
    expect(page.locator("[data-offline-status]")).to_have_text("Nothing is waiting to be sent.")
    attempt.refresh_from_db()
    assert attempt.state == "finished"
    assert not Answer.objects.filter(attempt=attempt).exclude(response={}).exists()


def test_answers_kept_when_the_page_is_closed_offline_are_sent_on_the_next_visit(
    demo_site, offline_quiz, browser, browser_context_args
):
    """The page's own outbox. With every page closed the service worker would send the
    answers itself, and Playwright's offline switch does not reach the worker's
    requests: it is kept out of this browser, as a phone without one."""
    from quizzes.models import Answer

    context = browser.new_context(**browser_context_args, service_workers="block")
    page = context.new_page()
    attempt = _start_offline_page(page, demo_site, offline_quiz)
    offline_url = page.url
    context.set_offline(True)
    _answer_offline(page, attempt)
    expect(page.locator("[data-offline-status]")).to_contain_text("Answers waiting to be sent: 2")
    page.close()  # the phone's browser is closed with no signal
    assert not Answer.objects.filter(attempt=attempt).exists()

    context.set_offline(False)
    again = context.new_page()
    again.goto(offline_url)
    expect(again.locator("[data-offline-status]")).to_have_text("Nothing is waiting to be sent.")
    assert Answer.objects.filter(attempt=attempt).count() == 2
    true_false = again.locator(f'[data-question="{_question(attempt, "true_false").pk}"]')
    expect(true_false.get_by_label("True", exact=True)).to_be_checked()
    context.close()


def test_the_attempt_page_reloaded_with_no_signal_comes_from_the_phone_with_its_answers(
    demo_site, offline_quiz, page, context
):
    """The service worker keeps the page visited online; a reload offline shows it,
    with the answers kept on the phone, which go to the server when the signal returns."""
    from quizzes.models import Answer

    attempt = _start_offline_page(page, demo_site, offline_quiz)
    page.wait_for_function(
        "navigator.serviceWorker && navigator.serviceWorker.controller", timeout=15_000
    )
    page.reload()  # through the worker now: it keeps the page for this learner
    expect(page.locator("[data-offline-status]")).to_be_visible()

    context.set_offline(True)
    try:
        _answer_offline(page, attempt)
        status = page.locator("[data-offline-status]")
        expect(status).to_contain_text("Answers waiting to be sent: 2")
        page.reload()
        expect(page.locator("[data-offline-status]")).to_contain_text(
            "Answers waiting to be sent: 2"
        )
        true_false = page.locator(f'[data-question="{_question(attempt, "true_false").pk}"]')
        expect(true_false.get_by_label("True", exact=True)).to_be_checked()
        assert not Answer.objects.filter(attempt=attempt).exists()
    finally:
        context.set_offline(False)

    expect(page.locator("[data-offline-status]")).to_have_text(
        "Nothing is waiting to be sent.", timeout=15_000
    )
    assert Answer.objects.filter(attempt=attempt).count() == 2
