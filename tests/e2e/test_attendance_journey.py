"""The trainer's attendance sheet on a phone and a desktop, with and without JavaScript:
a mark per learner with one tap, saved, kept after a reload; the layout checks and axe on
the sheet, the cohort's timetable and the admin's attendance report."""

from __future__ import annotations

from datetime import time, timedelta

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

TRAINER_EMAIL = "trainer@example.com"  # a demo account, in the Trainers group
LANGUAGE = "ru"
# Long names, as Kazakh full names with a patronymic are: they must wrap, not overflow.
LEARNERS = {
    "akim1@example.com": ("Ерлан Болатұлы Сейітов-Жақсыбеков", "present"),
    "akim2@example.com": ("Айгүл Маратқызы Омарова", "late"),
    "akim3@example.com": ("Нұрсұлтан Қайратұлы Әбдірахманов", "absent"),
    "akim4@example.com": ("Сәуле Ерболқызы Тұрсынбаева", "excused"),
}
MIN_TARGET = 44  # the sheet is used standing, on a phone: a finger's width


@pytest.fixture
def sheet(demo_site):
    """A cohort of the demo trainer with four learners and two sessions; returns the
    live server's URL, the cohort and the first session."""
    from django.core.cache import cache
    from django.utils import timezone

    from cms.models import HomePage
    from courses.services import enrolment_create
    from lms.models import User
    from schedule.models import Session
    from schedule.services import local_datetime
    from tests.factories import UserFactory
    from tests.factories.courses import build_cohort, build_course

    home = HomePage.objects.get(depth=2, locale__language_code=LANGUAGE)
    course = build_course(home, modules=2, lessons=1)
    trainer = User.objects.get(email=TRAINER_EMAIL)
    cohort = build_cohort(course, name="Ақмола облысы, 2026 күз", trainers=[trainer])
    for email, (name, _status) in LEARNERS.items():
        enrolment_create(learner=UserFactory(email=email, full_name=name), cohort=cohort)
    day = timezone.localdate() + timedelta(days=1)
    sessions = [
        Session.objects.create(
            cohort=cohort,
            title=title,
            starts_at=local_datetime(day, start),
            ends_at=local_datetime(day, end),
            trainer=trainer,
            place="Көкшетау, Абай көшесі, 89, мәжіліс залы",
        )
        for title, start, end in (
            ("Бюджет сельского округа: доходы, расходы и публичные слушания", time(10), time(13)),
            ("Государственные закупки", time(14), time(17)),
        )
    ]
    cache.clear()
    return demo_site, cohort, sessions[0]


def t(message: str) -> str:
    return gettext_in(LANGUAGE, message)


def status_label(value: str) -> str:
    return t(value).capitalize()  # the template's |capfirst


def saved_message(count: int) -> str:
    from django.utils import translation

    with translation.override(LANGUAGE):
        text = translation.ngettext(
            "Attendance saved: %(n)s mark.", "Attendance saved: %(n)s marks.", count
        )
    return text % {"n": count}


# Wagtail's own chrome (the sidebar's search box and its collapsed menu), not ours.
WAGTAIL_CHROME = ("input#menu-search-q", '<span aria-hidden="true">')


def check_page(page, name: str, ignore: tuple[str, ...] = ()) -> None:
    """The layout checks at both widths (screenshots in test-results/layout/) and axe."""
    problems = [p for p in check_layout(page, name) if not any(i in p for i in ignore)]
    assert not problems, "\n".join(problems)
    found = axe_violations(page)
    assert not found, describe(found)


def small_targets(page, selector: str) -> list[str]:
    """The elements of ``selector`` less than MIN_TARGET px high."""
    return page.locator(selector).evaluate_all(
        """(els, min) => els.map(el => [el.textContent.trim(), el.getBoundingClientRect()])
            .filter(([, box]) => box.height < min - 0.5)
            .map(([text, box]) => `${text}: ${Math.round(box.width)}x${Math.round(box.height)}`)""",
        MIN_TARGET,
    )


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_the_trainer_marks_attendance_with_one_tap_each(browser, sheet, viewport, javascript):
    base, cohort, session = sheet
    context = browser.new_context(
        locale="ru-RU",
        timezone_id="Asia/Almaty",
        viewport=VIEWPORTS[viewport],
        java_script_enabled=javascript,
    )
    page = context.new_page()
    problems = watch_problems(page)
    try:
        sign_in(page, base, TRAINER_EMAIL, demo_password())
        page.goto(f"{base}/{LANGUAGE}/schedule/cohorts/{cohort.pk}/")
        expect(page.get_by_role("heading", level=1)).to_contain_text(cohort.name)
        assert horizontal_overflow(page) == 0
        page.get_by_role("link", name=t("Take attendance")).first.click()
        expect(page).to_have_url(f"{base}/{LANGUAGE}/schedule/sessions/{session.pk}/attendance/")
        assert not small_targets(page, ".attendance__choice, .attendance__save")

        for name, status in LEARNERS.values():
            row = page.get_by_role("group", name=name)
            # One tap on the mark's text (the whole label is the target).
            row.locator("label", has_text=status_label(status)).click()
            expect(row.get_by_role("radio", name=status_label(status))).to_be_checked()
        page.get_by_role("button", name=t("Save attendance")).click()
        expect(page.get_by_text(saved_message(len(LEARNERS)))).to_be_visible()

        page.reload()
        for name, status in LEARNERS.values():
            row = page.get_by_role("group", name=name)
            expect(row.get_by_role("radio", name=status_label(status))).to_be_checked()
            expect(row.get_by_role("radio", checked=True)).to_have_count(1)
        assert horizontal_overflow(page) == 0
        assert problems == []
    finally:
        context.close()

    from schedule.models import Attendance

    marks = dict(Attendance.objects.filter(session=session).values_list("learner__email", "status"))
    assert marks == {email: status for email, (_name, status) in LEARNERS.items()}


def test_the_sheet_the_timetable_and_the_report_pass_the_layout_checks(page, sheet):
    base, cohort, session = sheet
    sign_in(page, base, TRAINER_EMAIL, demo_password())
    page.goto(f"{base}/{LANGUAGE}/schedule/sessions/{session.pk}/attendance/")
    page.get_by_role("group", name=LEARNERS["akim2@example.com"][0]).locator(
        "label", has_text=status_label("late")
    ).click()
    for width in ("phone", "desktop"):
        page.set_viewport_size(VIEWPORTS[width])
        assert not small_targets(page, ".attendance__choice, .attendance__save"), width
    check_page(page, "attendance-sheet")
    page.get_by_role("button", name=t("Save attendance")).click()
    check_page(page, "attendance-sheet-saved")

    page.goto(f"{base}/{LANGUAGE}/schedule/cohorts/{cohort.pk}/")
    check_page(page, "cohort-timetable")

    # Wagtail lays its sidebar out for the width the page is loaded at.
    page.set_viewport_size(VIEWPORTS["phone"])
    page.goto(f"{base}/admin/schedule/cohorts/{cohort.pk}/attendance/")
    expect(page.locator("table.lms-matrix")).to_be_visible()
    check_page(page, "attendance-report", ignore=WAGTAIL_CHROME)
