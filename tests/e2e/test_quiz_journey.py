"""A learner takes a module test: reloads mid-way, finishes, sees the result and review.

The demo programme (``demo.course.seed_course``) also seeds the quizzes: module 1's
test page hosts "Тест по модулю 1" (``demo/content/quizzes/module-01.gift``), whose
questions are shuffled per attempt and whose review (the default, "when the attempt is
finished") shows answers, marks, feedback and explanations. Each question is recognised
by its text and answered right, after checking that the form offers the fields its type
needs (radio buttons, check boxes or a text box).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from demo.accounts import demo_password
from demo.quizzes import manifest, quiz_questions
from tests.e2e.browser_helpers import (
    axe_violations,
    check_layout,
    describe,
    gettext_in,
    horizontal_overflow,
    screenshot,
    sign_in,
    watch_problems,
)

LEARNER_EMAIL = "learner@example.com"
LEARNER_LANGUAGE = "kk"  # the demo learner's preferred language: sign-in ends in Kazakh
DASHBOARD_PATH = f"/{LEARNER_LANGUAGE}/dashboard/"
TEST_PAGE_PATH = "/ru/courses/akim-2021/module-01/test/"


def _quiz(entry: dict) -> dict:
    """A demo quiz as the steps below read it: its title and each question's type, name,
    text, choices with their fractions, right true/false answer and explanation."""
    return {
        "title": entry["title"],
        # The quiz's title where it is named in another language (the dashboard).
        "title_kk": entry.get("title_kk", entry["title"]),
        "questions": [
            {
                "type": question.type,
                "name": question.name,
                "text": question.text,
                "choices": [(choice.text, choice.fraction) for choice in question.choices],
                "correct": question.correct_bool,
                "explanation": question.general_feedback,
            }
            for question in quiz_questions(entry)
        ],
    }


QUIZ = _quiz(manifest()["quizzes"][0])
QUESTION_URL = re.compile(r"/quizzes/attempts/(\d+)/q/(\d+)/$")
SUMMARY_URL = re.compile(r"/quizzes/attempts/\d+/summary/$")
RESULT_URL = re.compile(r"/quizzes/attempts/\d+/$")
# What a learner types for the short-answer question (accepted as "*ел бес*г*").
SHORT_ANSWERS = {"М1. Проект обновления инфраструктуры сёл": "Ауыл – Ел бесігі"}


@pytest.fixture
def course_site(demo_site):
    """The demo site with the demo course, its quizzes and cohort; the live server's URL."""
    from django.core.cache import cache

    from cms.models import HomePage
    from demo.course import seed_course

    seed_course(home=HomePage.objects.get(depth=2, locale__language_code="ru"))
    cache.clear()  # Wagtail's cached site root paths
    return demo_site


def t(page, message: str) -> str:
    """``message`` as the current page's language has it."""
    return gettext_in(page.locator("html").get_attribute("lang"), message)


def plain(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def sign_in_as_learner(page, base_url: str) -> None:
    sign_in(page, base_url, LEARNER_EMAIL, demo_password())
    expect(page).to_have_url(base_url + DASHBOARD_PATH)


def open_quiz_detail(page, base_url: str) -> None:
    """From the module's test page to the quiz's own page."""
    page.goto(base_url + TEST_PAGE_PATH)
    expect(page.get_by_role("heading", level=1)).to_have_text(QUIZ["title"])
    page.get_by_role("main").get_by_role("link", name=t(page, "Take the test"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/quizzes/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(QUIZ["title"])


def start_quiz(page) -> None:
    page.get_by_role("main").get_by_role(
        "button", name=t(page, "Start the quiz"), exact=True
    ).click()
    expect(page).to_have_url(QUESTION_URL)


def position(page) -> tuple[int, int]:
    """(attempt id, question index) from the question page's URL."""
    match = QUESTION_URL.search(page.url)
    assert match, page.url
    return int(match[1]), int(match[2])


def expect_question_number(page, number: int) -> None:
    text = t(page, "Question %(n)s of %(count)s") % {"n": number, "count": len(QUIZ["questions"])}
    expect(page.locator("main p.meta")).to_contain_text(text)


def current_spec(page) -> dict:
    """The demo question on screen, found by its text (the order is shuffled)."""
    legend = " ".join(page.locator("#question-text").inner_text().split())
    found = [q for q in QUIZ["questions"] if plain(q["text"]) == legend]
    assert len(found) == 1, f"no single demo question has the text {legend!r}"
    return found[0]


def form_kind(form) -> str:
    """What the form asks for, judged by its fields alone."""
    radios = form.get_by_role("radio").count()
    checkboxes = form.get_by_role("checkbox").count()
    textboxes = form.get_by_role("textbox").count()
    if checkboxes and not radios and not textboxes:
        return "multiple"
    if radios and not checkboxes and not textboxes:
        return "radio"
    if textboxes == 1 and not radios and not checkboxes:
        return "text"
    return f"unexpected: {radios} radios, {checkboxes} checkboxes, {textboxes} text boxes"


EXPECTED_KIND = {
    "single": "radio",
    "true_false": "radio",
    "multiple": "multiple",
    "short": "text",
    "numeric": "text",
}


def answer(page, spec: dict) -> None:
    """Give the right answer to ``spec``, the question on screen."""
    form = page.locator("form.question")
    assert form_kind(form) == EXPECTED_KIND[spec["type"]], (spec["name"], form_kind(form))
    if spec["type"] == "true_false":
        label = t(page, "True") if spec["correct"] else t(page, "False")
        form.get_by_role("radio", name=label, exact=True).check()
    elif spec["type"] in {"single", "multiple"}:
        role = "radio" if spec["type"] == "single" else "checkbox"
        for text, fraction in spec["choices"]:
            if fraction > 0:
                form.get_by_role(role, name=text, exact=True).check()
    else:
        form.get_by_role("textbox").fill(SHORT_ANSWERS[spec["name"]])


def expect_answered(page, spec: dict) -> None:
    """The form shows the right answer to ``spec`` as given by ``answer``."""
    form = page.locator("form.question")
    if spec["type"] == "true_false":
        label = t(page, "True") if spec["correct"] else t(page, "False")
        expect(form.get_by_role("radio", name=label, exact=True)).to_be_checked()
        expect(form.locator("input[type=radio]:checked")).to_have_count(1)
    elif spec["type"] in {"single", "multiple"}:
        role = "radio" if spec["type"] == "single" else "checkbox"
        for text, fraction in spec["choices"]:
            control = form.get_by_role(role, name=text, exact=True)
            if fraction > 0:
                expect(control).to_be_checked()
            else:
                expect(control).not_to_be_checked()
    else:
        expect(form.get_by_role("textbox")).to_have_value(SHORT_ANSWERS[spec["name"]])


def press(page, message: str) -> None:
    page.locator("form.question").get_by_role("button", name=t(page, message), exact=True).click()


def finish_attempt(page, check_page=None) -> None:
    """Answer the questions from the current one to the last, then submit on the summary.

    ``check_page(page, name)`` runs on every question page, the summary and the result.
    """
    while True:
        attempt_id, index = position(page)
        expect_question_number(page, index + 1)
        if check_page:
            check_page(page, f"question {index + 1}")
        answer(page, current_spec(page))
        if index + 1 < len(QUIZ["questions"]):
            press(page, "Save and continue")
            expect(page).to_have_url(re.compile(rf"/quizzes/attempts/{attempt_id}/q/{index + 1}/$"))
        else:
            press(page, "Save and review the attempt")
            break
    expect(page).to_have_url(SUMMARY_URL)
    rows = page.locator("ol.summary > li")
    expect(rows).to_have_count(len(QUIZ["questions"]))
    for row in rows.all():
        expect(row).to_contain_text(t(page, "answered"))
        expect(row.locator("strong")).to_have_count(0)  # "not answered" is in bold
    if check_page:
        check_page(page, "summary")
    page.get_by_role("main").get_by_role(
        "button", name=t(page, "Submit the attempt"), exact=True
    ).click()
    expect(page).to_have_url(RESULT_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text(QUIZ["title"])


def test_learner_takes_a_module_test_reloads_midway_and_sees_the_review(page, course_site):
    problems = watch_problems(page)
    sign_in_as_learner(page, course_site)
    open_quiz_detail(page, course_site)
    start_quiz(page)
    attempt_id, index = position(page)
    assert index == 0
    expect_question_number(page, 1)

    # The first question, saved; then the second, answered and the page reloaded.
    first = current_spec(page)
    answer(page, first)
    press(page, "Save and continue")
    expect(page).to_have_url(re.compile(rf"/quizzes/attempts/{attempt_id}/q/1/$"))
    second = current_spec(page)
    assert second is not first
    answer(page, second)
    page.reload()
    assert position(page) == (attempt_id, 1), f"after reloading: {page.url}"
    expect_question_number(page, 2)
    assert current_spec(page) is second
    # Whether the browser refills an unsaved answer on reload is its business: answer
    # again (the same answer) before saving.
    answer(page, second)

    # Back to the first question: its saved answer is there.
    press(page, "Save and go back")
    expect(page).to_have_url(re.compile(rf"/quizzes/attempts/{attempt_id}/q/0/$"))
    expect_question_number(page, 1)
    assert current_spec(page) is first
    expect_answered(page, first)

    # The quiz's page offers to continue the same attempt, where it was left (question 1).
    open_quiz_detail(page, course_site)
    page.get_by_role("main").get_by_role(
        "link", name=t(page, "Continue your attempt"), exact=True
    ).click()
    assert position(page) == (attempt_id, 0), f"continuing: {page.url}"
    expect_answered(page, first)
    press(page, "Save and continue")
    assert position(page) == (attempt_id, 1)
    expect_answered(page, second)  # saved by "Save and go back"

    # The rest, the summary, the result.
    finish_attempt(page)
    result = page.locator("main p.result")
    expect(result).to_contain_text(t(page, "Your result: %(percent)s%%") % {"percent": 100})
    expect(result).to_contain_text(t(page, "passed"))
    items = page.locator("ol.review > li")
    expect(items).to_have_count(len(QUIZ["questions"]))
    explanations = [
        " ".join(text.split()) for text in page.locator(".explanation").all_inner_texts()
    ]
    for spec in QUIZ["questions"]:
        assert spec["explanation"] in explanations, f"no explanation shown for {spec['name']}"
    expect(items.first).to_contain_text(t(page, "Your answer:"))
    # Questions are shuffled; a short answer accepted only by a pattern shows no
    # "right answer" line, so look for it across the whole review.
    expect(page.locator("ol.review")).to_contain_text(t(page, "The right answer:"))

    # The dashboard, in the learner's language, lists the result under the quiz's
    # Kazakh title.
    page.goto(course_site + DASHBOARD_PATH)
    section = page.get_by_role("region", name=gettext_in(LEARNER_LANGUAGE, "Recent test results"))
    expect(section).to_be_visible()
    entry = section.get_by_role("listitem").filter(has_text=QUIZ["title_kk"])
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("100%")
    expect(entry.get_by_role("link", name=QUIZ["title_kk"], exact=True)).to_have_attribute(
        "href", re.compile(rf"/quizzes/attempts/{attempt_id}/$")
    )
    assert problems == []


def test_quiz_pages_have_no_serious_accessibility_violations(page, course_site):
    """axe-core on the quiz's page, every question page, the summary and the result.

    Every page is checked before the verdict, so one failure does not hide another.
    """
    found = {}

    def check(page, name):
        violations = axe_violations(page)
        if violations:
            found[name] = f"{page.url}\n{describe(violations)}"

    sign_in_as_learner(page, course_site)
    open_quiz_detail(page, course_site)
    check(page, "quiz detail")
    start_quiz(page)
    finish_attempt(page, check_page=check)
    expect(page.locator("ol.review > li")).to_have_count(len(QUIZ["questions"]))
    check(page, "result")
    assert not found, "\n".join(f"{name}: {text}" for name, text in found.items())


def test_quiz_pages_pass_the_layout_checks(page, course_site):
    """At 390 and 1280 px: the module's test page, the quiz's page, every question (radio
    buttons, check boxes, a text box), the summary and the result; screenshots kept.

    Every page is checked before the verdict, so one failure does not hide another.
    """
    found = []
    sign_in_as_learner(page, course_site)
    found += check_layout(page, "dashboard")
    page.goto(course_site + TEST_PAGE_PATH)
    found += check_layout(page, "quiz-page")
    open_quiz_detail(page, course_site)
    found += check_layout(page, "quiz-detail")
    start_quiz(page)
    finish_attempt(page, check_page=lambda page, name: found.extend(check_layout(page, name)))
    found += check_layout(page, "result")
    assert not found, "\n".join(found)


def test_question_page_works_without_javascript(browser, browser_context_args, course_site):
    """With script off, a question is answered and saved with the plain form; it stays."""
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    try:
        page = context.new_page()
        problems = watch_problems(page)
        sign_in_as_learner(page, course_site)
        open_quiz_detail(page, course_site)
        start_quiz(page)
        attempt_id, _ = position(page)
        first = current_spec(page)
        answer(page, first)
        press(page, "Save and continue")
        expect(page).to_have_url(re.compile(rf"/quizzes/attempts/{attempt_id}/q/1/$"))
        expect_question_number(page, 2)

        # Back through the link to the summary: question 1 answered, 2 not yet.
        page.get_by_role("link", name=t(page, "All questions of this attempt")).click()
        expect(page).to_have_url(SUMMARY_URL)
        rows = page.locator("ol.summary > li")
        expect(rows.nth(0)).not_to_contain_text(t(page, "not answered"))
        expect(rows.nth(1)).to_contain_text(t(page, "not answered"))
        question_1 = t(page, "Question %(n)s") % {"n": 1}
        rows.nth(0).get_by_role("link", name=question_1, exact=True).click()
        assert position(page) == (attempt_id, 0)
        expect_answered(page, first)

        # A fresh load of the same URL shows the saved answer too.
        page.goto(page.url)
        expect_answered(page, first)
        assert problems == []
    finally:
        context.close()


# Bugs found on the way: each is its own test, so the journey above keeps guarding the rest.


@pytest.fixture
def quiz_site(demo_site):
    """The demo site with the demo quizzes but no course: quicker to seed.

    A quiz no course hosts is open to anyone signed in
    (``courses.quiz_integration.can_take``). Returns the live server's URL.
    """
    from demo.quizzes import seed_quizzes

    seed_quizzes()
    return demo_site


def start_module_1_test_directly(page, base_url: str) -> int:
    """Signed in, start "Тест по модулю 1" from its own page; returns the attempt's id."""
    from quizzes.models import Quiz

    quiz_id = Quiz.objects.get(title=QUIZ["title"]).pk
    sign_in_as_learner(page, base_url)
    page.goto(f"{base_url}/ru/quizzes/{quiz_id}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(QUIZ["title"])
    start_quiz(page)
    return position(page)[0]


def go_to_short_answer_question(page) -> dict:
    """Move on (answering nothing) to the question with a text box; returns its spec."""
    for _ in QUIZ["questions"]:
        spec = current_spec(page)
        if spec["type"] == "short":
            return spec
        press(page, "Save and continue")
    pytest.fail("module 1's test has no short-answer question")


def save_submit_and_open_result(page) -> None:
    """Save the question on screen, submit the attempt from its summary, see the result."""
    _, index = position(page)
    if index + 1 < len(QUIZ["questions"]):
        press(page, "Save and continue")
        page.get_by_role("link", name=t(page, "All questions of this attempt")).click()
    else:
        press(page, "Save and review the attempt")
    expect(page).to_have_url(SUMMARY_URL)
    page.get_by_role("button", name=t(page, "Submit the attempt"), exact=True).click()
    expect(page).to_have_url(RESULT_URL)


def test_review_does_not_show_a_wildcard_pattern_as_the_right_answer(page, quiz_site):
    start_module_1_test_directly(page, quiz_site)
    spec = go_to_short_answer_question(page)
    answer(page, spec)
    save_submit_and_open_result(page)
    item = page.locator("ol.review > li").filter(has_text=plain(spec["text"]))
    expect(item).to_have_count(1)
    # The pattern is a marking rule: neither it nor a fragment of it is shown.
    shown = item.inner_text()
    assert "*" not in shown, f"the learner is shown a grading pattern: {shown!r}"


def test_review_shows_a_typed_answer_as_text_not_markup(page, quiz_site):
    typed = "<em>Ауыл – Ел бесігі</em>"
    start_module_1_test_directly(page, quiz_site)
    spec = go_to_short_answer_question(page)
    page.locator("form.question").get_by_role("textbox").fill(typed)
    save_submit_and_open_result(page)
    item = page.locator("ol.review > li").filter(has_text=plain(spec["text"]))
    expect(item).to_have_count(1)
    given = item.locator("p").filter(has_text=t(page, "Your answer:"))
    expect(given).to_have_count(1)
    assert given.locator("em").count() == 0, given.inner_html()
    assert typed in given.inner_text(), given.inner_html()


def test_a_checked_answer_shows_its_feedback_and_stays_as_checked(page, quiz_site):
    """ "Feedback after each question": the learner checks a wrong answer, sees the right
    one, and cannot then change theirs (the controls are disabled; the server refuses)."""
    from quizzes.models import Answer, Quiz

    Quiz.objects.filter(title=QUIZ["title"]).update(review_when=Quiz.ReviewWhen.AFTER_EACH)
    page.set_viewport_size({"width": 390, "height": 900})
    attempt_id = start_module_1_test_directly(page, quiz_site)
    for _ in QUIZ["questions"]:
        spec = current_spec(page)
        if spec["type"] == "single":
            break
        press(page, "Save and continue")
    else:
        pytest.fail("module 1's test has no single-choice question")
    wrong = next(text for text, fraction in spec["choices"] if fraction <= 0)
    right = next(text for text, fraction in spec["choices"] if fraction > 0)
    form = page.locator("form.question")
    form.get_by_role("radio", name=wrong, exact=True).check()
    press(page, "Save and check")

    feedback = page.locator(".feedback")
    expect(feedback).to_contain_text(right)
    expect(form.get_by_role("radio", name=wrong, exact=True)).to_be_checked()
    for text, _fraction in spec["choices"]:
        expect(form.get_by_role("radio", name=text, exact=True)).to_be_disabled()
    expect(form.get_by_role("button", name=t(page, "Save and check"))).to_have_count(0)
    assert horizontal_overflow(page) == 0
    assert not (found := axe_violations(page)), describe(found)
    screenshot(page, "quiz-checked")

    # Dev tools: enable the right radio and post it. The answer stays as it was checked.
    page.evaluate(
        "document.querySelectorAll('form.question input').forEach(i => i.disabled = false)"
    )
    form.get_by_role("radio", name=right, exact=True).check()
    _attempt, index = position(page)
    # A checked question offers "Continue", or on the last question "Review the attempt".
    press(page, "Continue" if index + 1 < len(QUIZ["questions"]) else "Review the attempt")
    expect(page).not_to_have_url(re.compile(rf"/q/{index}/$"))  # the post was handled
    answer_row = Answer.objects.get(attempt_id=attempt_id, checked_at__isnull=False)
    assert answer_row.response["choice"] != answer_row.question.choices.get(text=right).pk
