"""The end-of-course survey in a real browser: a learner who completed the course before
the survey existed is asked on the dashboard, answers at 390 px with the keyboard alone
(and without JavaScript), and is not asked again; the trainer's results in Reports show
nothing below five responses, the aggregates from five, and download as CSV.

Fields are found by their ids and groups by their classes, and visible words through the
project's catalogues (``gettext_in``), so the journey does not depend on which catalogues
are compiled.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from demo.accounts import demo_password
from tests.e2e.browser_helpers import (
    VIEWPORTS,
    axe_violations,
    check_layout,
    describe,
    gettext_in,
    horizontal_overflow,
    sign_in,
    watch_problems,
)

LANGUAGE = "ru"
LEARNER_EMAIL = "learner@example.com"  # demo accounts
TRAINER_EMAIL = "trainer@example.com"
TIMEOUT_MS = 15_000  # every wait of these journeys ends, one way or the other
# Wagtail's own chrome (the sidebar's search box and its collapsed menu), not ours.
WAGTAIL_CHROME = ("input#menu-search-q", '<span aria-hidden="true">')


@pytest.fixture
def evaluation(demo_site):
    """The demo learner completed a course of the demo trainer's cohort, and only then
    was its survey made (two scales, one free text); returns the live server's URL,
    the survey and its items."""
    from django.core.cache import cache

    from cms.models import HomePage
    from courses.models import LessonPage
    from courses.services import enrolment_create, lesson_complete
    from evaluations.models import Survey, SurveyItem
    from lms.models import User
    from tests.factories.courses import build_cohort, build_course

    home = HomePage.objects.get(depth=2, locale__language_code=LANGUAGE)
    course = build_course(home, modules=1, lessons=2, slug="evaluated")
    trainer = User.objects.get(email=TRAINER_EMAIL)
    cohort = build_cohort(course, name="Ақмола облысы, 2026 күз", trainers=[trainer])
    learner = User.objects.get(email=LEARNER_EMAIL)
    enrolment_create(learner=learner, cohort=cohort)
    for lesson in LessonPage.objects.descendant_of(course):
        lesson_complete(learner=learner, lesson=lesson)
    survey = Survey.objects.create(course=course, intro_ru="Пять минут, анонимно.")
    useful = SurveyItem.objects.create(
        survey=survey,
        sort_order=0,
        text_ru="Курс был полезен для моей работы",
        text_kk="Курс менің жұмысыма пайдалы болды",
        text_en="The course was useful for my work",
        low_label_ru="совсем нет",
        high_label_ru="очень полезен",
    )
    clear = SurveyItem.objects.create(
        survey=survey,
        sort_order=1,
        text_ru="Тренер объяснял понятно",
        low_label_ru="непонятно",
        high_label_ru="очень понятно",
    )
    better = SurveyItem.objects.create(
        survey=survey, sort_order=2, kind=SurveyItem.Kind.TEXT, text_ru="Что улучшить?"
    )
    cache.clear()
    return demo_site, survey, (useful, clear, better)


def t(message: str, language: str = LANGUAGE) -> str:
    return gettext_in(language, message)


def new_page(browser, *, javascript: bool = True, viewport: str = "phone"):
    context = browser.new_context(
        java_script_enabled=javascript,
        locale="ru-RU",
        timezone_id="Asia/Almaty",
        viewport=VIEWPORTS[viewport],
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    return context, context.new_page()


def check_page(page, name: str, ignore: tuple[str, ...] = (), *, axe: bool = True) -> None:
    """The layout checks at 390 and 1280 px (screenshots in test-results/layout/) and axe.

    Not axe with JavaScript off: axe.run's promise waits on the page's timers, which then
    never fire, and ``page.evaluate`` has no timeout of its own (the run would hang).
    """
    problems = [p for p in check_layout(page, name) if not any(i in p for i in ignore)]
    assert not problems, "\n".join(problems)
    if axe:
        found = axe_violations(page)
        assert not found, describe(found)


def survey_panel(page):
    return page.locator("section[aria-labelledby='evaluations-heading']")


def focused_id(page) -> str:
    return page.evaluate("() => document.activeElement && document.activeElement.id")


def open_survey_from_dashboard(page, base: str, survey) -> None:
    sign_in(page, base, LEARNER_EMAIL, demo_password())
    page.goto(f"{base}/{LANGUAGE}/dashboard/")
    panel = survey_panel(page)
    expect(panel).to_be_visible()
    expect(panel.get_by_role("heading", level=2)).to_have_text(t("Tell us about the course"))
    panel.get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"/{LANGUAGE}/evaluations/{survey.course_key}/$"))


def assert_not_asked_again(page, base: str, survey) -> None:
    from evaluations.models import Response, SurveyInvitation

    assert Response.objects.filter(survey=survey).count() == 1
    assert SurveyInvitation.objects.get(survey=survey).answered
    page.goto(f"{base}/{LANGUAGE}/dashboard/")
    expect(page.locator("main h1")).to_be_visible()
    expect(survey_panel(page)).to_have_count(0)
    page.goto(f"{base}/{LANGUAGE}/evaluations/{survey.course_key}/")
    expect(page.locator("main")).to_contain_text(
        t("You have already answered this survey. Thank you!")
    )
    expect(page.locator("form.survey")).to_have_count(0)


def test_a_graduate_answers_with_the_keyboard_on_a_phone_once(browser, evaluation):
    base, survey, (useful, clear, better) = evaluation
    context, page = new_page(browser)
    problems = watch_problems(page)
    open_survey_from_dashboard(page, base, survey)
    expect(page.get_by_role("group", name=useful.text_ru)).to_be_visible()
    # Each scale's ends are labelled beside their buttons.
    expect(page.locator(f"label[for='id_item-{useful.pk}_0']")).to_contain_text("совсем нет")
    expect(page.locator(f"label[for='id_item-{useful.pk}_4']")).to_contain_text("очень полезен")
    assert horizontal_overflow(page) == 0
    check_page(page, "evaluation-survey")

    # The keyboard alone: into the first scale, arrows to 4; Tab to the next scale,
    # arrows to 5; Tab to the free text; Tab to the button; Enter.
    page.locator(f"#id_item-{useful.pk}_0").focus()
    page.keyboard.press("Space")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    assert focused_id(page) == f"id_item-{useful.pk}_3"
    page.keyboard.press("Tab")
    assert focused_id(page) == f"id_item-{clear.pk}_0"
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    assert focused_id(page) == f"id_item-{clear.pk}_4"
    page.keyboard.press("Tab")
    assert focused_id(page) == f"id_item-{better.pk}"
    page.keyboard.type("Больше практики & примеров <b>из районов</b>")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.type") == "submit"
    expect(page.locator(f"#id_item-{useful.pk}_3")).to_be_checked()
    expect(page.locator(f"#id_item-{clear.pk}_4")).to_be_checked()
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(rf"/{LANGUAGE}/dashboard/$"))
    expect(page.locator("main")).to_contain_text(
        t("Thank you! Your answers are saved anonymously.")
    )
    from evaluations.models import Answer

    assert sorted(Answer.objects.filter(score__isnull=False).values_list("score", flat=True)) == [
        4,
        5,
    ]
    assert Answer.objects.get(item=better).text == "Больше практики & примеров из районов"
    assert_not_asked_again(page, base, survey)
    assert not problems, problems
    context.close()


def test_a_graduate_answers_without_javascript(browser, evaluation):
    base, survey, (useful, clear, better) = evaluation
    context, page = new_page(browser, javascript=False)
    open_survey_from_dashboard(page, base, survey)
    # A required scale left out: the form comes back with the error, nothing is kept.
    page.locator(f"label[for='id_item-{clear.pk}_1']").click()
    page.locator(f"#id_item-{better.pk}").fill("Всё понятно")
    page.locator("form.survey button[type=submit]").click()
    expect(page.locator(".field--error")).to_have_count(1)
    expect(page.locator(f"#id_item-{clear.pk}_1")).to_be_checked()
    check_page(page, "evaluation-survey-error", axe=False)
    page.locator(f"label[for='id_item-{useful.pk}_4']").click()
    page.locator("form.survey button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/{LANGUAGE}/dashboard/$"))
    assert_not_asked_again(page, base, survey)
    context.close()


def results_language(page) -> str:
    return (page.locator("html").get_attribute("lang") or "en")[:2]


def test_the_trainer_sees_results_from_five_responses_and_downloads_them(browser, evaluation):
    from tests.evaluations.conftest import add_responses

    base, survey, (useful, clear, better) = evaluation
    cohort = survey.invitations.get().enrolment.cohort
    add_responses(survey, cohort, 4, score=3, text="Больше практики")  # 4: too few
    context, page = new_page(browser, viewport="desktop")
    sign_in(page, base, TRAINER_EMAIL, demo_password())
    results_url = f"{base}/admin/evaluations/results/"
    page.goto(results_url)
    language = results_language(page)
    group = page.locator("section.lms-evaluation-group").first
    expect(group).to_contain_text(
        t("Not enough answers to show without identifying anyone.", language)
    )
    expect(page.locator("figure.lms-chart")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text("Больше практики")
    check_page(page, "evaluation-results-too-few", ignore=WAGTAIL_CHROME)

    add_responses(survey, cohort, 1, score=5, text="Больше практики")  # 5: shown
    page.goto(results_url)
    cohort_group = page.locator("section.lms-evaluation-group").first
    expect(cohort_group.locator("figure.lms-chart")).to_have_count(2)
    # (4 × 3 + 5) / 5 = 3.40 for each scale (3,40 in Russian); the free texts listed.
    expect(cohort_group.locator("figcaption").first).to_contain_text(useful.text_ru)
    expect(cohort_group.locator("figcaption").first).to_contain_text(re.compile(r"3[.,]40"))
    expect(cohort_group.locator("li", has_text="Больше практики")).to_have_count(5)
    # The shared report stylesheet is there: the bars line up in a grid, not as bullets.
    assert (
        cohort_group.locator("li.lms-bar").first.evaluate("el => getComputedStyle(el).display")
        == "grid"
    )
    check_page(page, "evaluation-results", ignore=WAGTAIL_CHROME)

    with page.expect_download(timeout=TIMEOUT_MS) as download:
        page.get_by_role("link", name=t("Download CSV", language)).click()
    assert download.value.suggested_filename.endswith(".csv")
    content = download.value.path().read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    mean_rows = [row for row in rows if useful.text_ru in row]
    assert mean_rows and all("3.40" in row for row in mean_rows)
    assert any(cohort.name in row for row in rows)
    context.close()


def test_the_results_on_a_phone(browser, evaluation):
    from tests.evaluations.conftest import add_responses

    base, survey, _items = evaluation
    cohort = survey.invitations.get().enrolment.cohort
    add_responses(survey, cohort, 5, score=4, text="Больше практики")
    context, page = new_page(browser, viewport="phone")
    sign_in(page, base, TRAINER_EMAIL, demo_password())
    # Wagtail lays its sidebar out for the width the page is loaded at.
    page.goto(f"{base}/admin/evaluations/results/")
    expect(page.locator("figure.lms-chart").first).to_be_visible()
    check_page(page, "evaluation-results-phone", ignore=WAGTAIL_CHROME)
    context.close()
