"""The methodologists' translations report: each page of a course in each other
language, missing, draft, out of date or up to date; filters, CSV, permissions."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Page

from courses.models import LessonPage, ModulePage
from courses.reports import TranslationState, translation_report
from tests.factories import UserFactory
from tests.factories.courses import build_course, translate_course

URL = reverse("courses_translations")


@pytest.fixture
def methodologist(db):
    user = UserFactory(email="methodologist@example.com")
    user.groups.add(Group.objects.get(name="Methodologists"))
    return user


@pytest.fixture
def states(course):
    """kk: the first lesson missing, the second a draft, the third out of date, the
    rest up to date; en: nothing but the catalogue."""
    lessons = list(LessonPage.objects.descendant_of(course).order_by("path"))
    kk = translate_course(course, "kk", leave_out=[lessons[0]])
    now = timezone.now()
    Page.objects.descendant_of(course, inclusive=True).update(last_published_at=now)
    Page.objects.descendant_of(kk, inclusive=True).update(last_published_at=now)
    copy = {p.translation_key: p for p in Page.objects.descendant_of(kk)}
    Page.objects.filter(pk=copy[lessons[1].translation_key].pk).update(live=False)
    Page.objects.filter(pk=lessons[2].pk).update(last_published_at=now + timedelta(hours=1))
    return {"lessons": lessons, "kk": kk, "copy": copy}


def _cell(report, page, language):
    row = next(row for row in report.rows if row.page.pk == page.pk)
    return next(cell for cell in row.cells if cell.language == language)


def test_each_state_is_worked_out(course, states):
    report = translation_report(course=states["kk"])  # any copy leads to the source

    assert report.course.pk == course.pk
    assert report.languages == ["kk", "en"]
    assert len(report.rows) == Page.objects.descendant_of(course, inclusive=True).count()
    first, second, third, fourth = states["lessons"]
    assert _cell(report, first, "kk").state == TranslationState.MISSING
    assert _cell(report, second, "kk").state == TranslationState.DRAFT
    assert _cell(report, third, "kk").state == TranslationState.OUT_OF_DATE
    assert _cell(report, fourth, "kk").state == TranslationState.UP_TO_DATE
    assert _cell(report, course, "kk").state == TranslationState.UP_TO_DATE
    assert {cell.state for row in report.rows for cell in row.cells if cell.language == "en"} == {
        TranslationState.MISSING
    }
    assert report.totals["kk"] == {
        "missing": 1,
        "draft": 1,
        "out_of_date": 1,
        "up_to_date": len(report.rows) - 3,
    }


def test_republishing_the_source_makes_a_translation_out_of_date(
    course, states, django_capture_on_commit_callbacks
):
    fourth = states["lessons"][3]
    with django_capture_on_commit_callbacks(execute=True):
        fourth.save_revision().publish()

    assert _cell(translation_report(course=course), fourth, "kk").state == "out_of_date"
    kk = states["copy"][fourth.translation_key].specific
    with django_capture_on_commit_callbacks(execute=True):
        kk.save_revision().publish()
    assert _cell(translation_report(course=course), fourth, "kk").state == "up_to_date"


def test_the_report_page_filters_and_links_to_edit(client, course, states, methodologist):
    client.force_login(methodologist)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    first, second, _third, _fourth = states["lessons"]
    draft = states["copy"][second.translation_key]
    assert reverse("wagtailadmin_pages:edit", args=[draft.pk]) in html
    submit = reverse("wagtail_localize:submit_page_translation", args=[first.pk])
    assert submit in html

    response = client.get(URL, {"course": course.pk, "state": "draft", "language": "kk"})
    rows = response.context["rows"]
    assert [row.page.pk for row, _cells in rows] == [second.pk]

    response = client.get(URL, {"course": course.pk, "state": "out_of_date"})
    assert [row.page.pk for row, _cells in response.context["rows"]] == [states["lessons"][2].pk]


def test_csv_export(client, course, states, methodologist):
    client.force_login(methodologist)
    response = client.get(URL, {"course": course.pk, "language": "kk", "export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert len(table) == 1 + Page.objects.descendant_of(course, inclusive=True).count()
    first = states["lessons"][0]
    row = next(r for r in table if r[0] == first.title)
    with translation.override("ru"):  # the admin's language by default
        assert row[2:4] == ["kk", str(TranslationState.MISSING.label)]
    assert row[4].startswith("http") and str(first.pk) in row[4]


def test_a_formula_in_a_title_is_exported_as_text(client, course, methodologist):
    LessonPage.objects.descendant_of(course).filter(
        pk=LessonPage.objects.descendant_of(course).first().pk
    ).update(title="=HYPERLINK(1)")
    client.force_login(methodologist)
    response = client.get(URL, {"course": course.pk, "export": "csv"})
    assert "'=HYPERLINK(1)" in b"".join(response.streaming_content).decode("utf-8-sig")


def test_learners_and_registrars_are_refused(client, course, learner):
    client.force_login(learner)
    assert client.get(URL).status_code in (302, 403)
    registrar = UserFactory()
    registrar.groups.add(Group.objects.get(name="Registrars"))
    client.force_login(registrar)  # in the admin, but may not edit pages
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")


def test_an_unknown_course_or_state_is_404(client, course, methodologist):
    client.force_login(methodologist)
    assert client.get(URL, {"course": 999999}).status_code == 404
    assert client.get(URL, {"course": course.pk, "state": "bogus"}).status_code == 404


def test_the_course_list_offers_each_course_once(client, course, methodologist):
    translate_course(course, "kk")
    client.force_login(methodologist)
    choices = list(client.get(URL).context["form"].fields["course"].queryset)
    assert choices == [course]


@pytest.mark.parametrize("lessons", [5, 50])
def test_query_count_is_flat(client, home_pages, methodologist, lessons, django_assert_num_queries):
    course = build_course(home_pages["ru"], modules=2, lessons=lessons, module_tests=True)
    translate_course(course, "kk", leave_out=[ModulePage.objects.child_of(course).first()])
    client.force_login(methodologist)
    client.get(URL)
    with django_assert_num_queries(15):
        response = client.get(URL, {"course": course.pk})
    assert response.status_code == 200


def test_the_reports_menu_offers_it_to_methodologists_only(client, methodologist):
    client.force_login(methodologist)
    assert URL in client.get(reverse("wagtailadmin_home")).content.decode()
    registrar = UserFactory()
    registrar.groups.add(Group.objects.get(name="Registrars"))
    client.force_login(registrar)
    assert URL not in client.get(reverse("wagtailadmin_home")).content.decode()
