"""The registry in the admin: filters and search, a flat query count, export, detail
with history, issue by hand, bulk issue with its confirm and progress pages, and who
may do what."""

import csv
import io
import re
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry

from certification import numbers, services
from certification.models import BulkIssuance, Certificate
from courses.models import Enrolment
from lms.models import Region
from tests.factories import LearnerProfileFactory, UserFactory
from tests.factories.courses import build_cohort, build_course

INDEX = "/admin/certification_certificate/"


def _in(group: str, **kwargs):
    """A member of the group whose admin speaks English (the strings asserted below)."""
    from wagtail.users.models import UserProfile

    user = UserFactory(groups=[group], **kwargs)
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


@pytest.fixture
def registrar(db):
    return _in("Registrars", email="registrar@example.com")


@pytest.fixture
def registry(completed, registrar):
    """Three certificates: valid (Akmola), expired (West Kazakhstan), revoked."""
    enrolment, course = completed
    LearnerProfileFactory(user=enrolment.learner)
    valid = services.certificate_issue(enrolment=enrolment)
    west = Region.objects.get(code="west-kazakhstan")
    old_holder = UserFactory(full_name="Бауыржан Серікұлы Оспанов")
    LearnerProfileFactory(user=old_holder, region=west)
    other_cohort = build_cohort(course, name="Поток 2")
    expired, _ = services.certificate_issue_manual(
        holder=old_holder,
        course=course,
        cohort=other_cohort,
        issued_on=date(2019, 7, 10),
        expires_on=date(2020, 7, 10),
        actor=registrar,
    )
    revoked, _ = services.certificate_issue_manual(
        holder=UserFactory(full_name="Ержан Болатович Касенов"), course=course, actor=registrar
    )
    services.certificate_revoke(certificate=revoked, reason="error", note="", actor=registrar)
    return {"valid": valid, "expired": expired, "revoked": revoked, "course": course}


def _listed(client, **params) -> set[str]:
    response = client.get(INDEX, params)
    assert response.status_code == 200
    html = response.content.decode()
    return {
        name for name, certificate in client._registry.items() if certificate.printed_number in html
    }


@pytest.fixture
def registrar_client(client, registrar, registry):
    client.force_login(registrar)
    client._registry = {k: v for k, v in registry.items() if isinstance(v, Certificate)}
    return client


def test_filters(registrar_client, registry, home_pages):
    c = registrar_client
    assert _listed(c) == {"valid", "expired", "revoked"}
    typed = registry["valid"].printed_number.lower().replace("-", " ").replace("a", "а")
    assert _listed(c, number=typed) == {"valid"}
    assert _listed(c, number="NOT-A-NUMBER") == set()
    assert _listed(c, holder_name="оспанов") == {"expired"}
    assert _listed(c, course=registry["course"].pk) == {"valid", "expired", "revoked"}
    other = build_course(home_pages["ru"], slug="other")
    assert _listed(c, course=other.pk) == set()
    assert _listed(c, cohort=registry["expired"].cohort_id) == {"expired"}
    west = Region.objects.get(code="west-kazakhstan")
    assert _listed(c, region=west.pk) == {"expired"}
    assert _listed(c, status="valid") == {"valid"}
    assert _listed(c, status="expired") == {"expired"}
    assert _listed(c, status="revoked") == {"revoked"}
    assert _listed(c, issued_at_to="2020-01-01") == {"expired"}
    today = timezone.localdate().isoformat()
    assert _listed(c, issued_at_from=today, issued_at_to=today) == {"valid", "revoked"}


def test_search_by_a_typed_number_or_a_name(registrar_client, registry):
    c = registrar_client
    typed = registry["revoked"].printed_number.replace("-", "").replace("M", "м")
    assert _listed(c, q=typed) == {"revoked"}
    assert _listed(c, q="касенов") == {"revoked"}


def _many(course, count: int):
    cohort = build_cohort(course, name=f"Поток {count}")
    now = timezone.now()
    region = Region.objects.get(code="akmola")
    for _n in range(count):
        holder = UserFactory()
        LearnerProfileFactory(user=holder, region=region)
        Certificate.objects.create(
            number=numbers.new_number(),
            holder=holder,
            cohort=cohort,
            course_key=course.translation_key,
            holder_name=holder.full_name,
            course_titles={"ru": course.title},
            cohort_name=cohort.name,
            issued_at=now,
            issuer="АГУ",
        )


def test_listing_queries_do_not_grow_with_the_registry(
    client, registrar, home_pages, django_assert_num_queries
):
    course = build_course(home_pages["ru"], slug="big")
    client.force_login(registrar)
    _many(course, 10)
    client.get(INDEX)  # warm the caches (content types, site) the first request fills
    with CaptureQueriesContext(connection) as first:
        assert client.get(INDEX).status_code == 200
    _many(course, 90)
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(INDEX)
    assert response.status_code == 200
    assert Certificate.objects.count() == 100


def test_export_csv_and_xlsx(registrar_client, registry):
    # Columns: number, holder, course, cohort, region, hours, issued, valid until,
    # status, revoked, reason (headings in the site's language: the file is streamed).
    response = registrar_client.get(INDEX, {"export": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows[0]) == 11
    by_number = {row[0]: row for row in rows[1:]}
    expired = by_number[registry["expired"].printed_number]
    with translation.override(settings.LANGUAGE_CODE):
        assert expired[8] == gettext("expired")
        assert by_number[registry["revoked"].printed_number][8] == gettext("revoked")
        assert expired[4] == Region.objects.get(code="west-kazakhstan").name
    assert expired[1] == "Бауыржан Серікұлы Оспанов"
    assert expired[2] == registry["course"].title
    assert expired[6] == "2019-07-10"
    response = registrar_client.get(INDEX, {"export": "xlsx", "status": "valid"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert len(values) == 2 and len(values[0]) == 11
    assert values[1][0] == registry["valid"].printed_number


def test_the_csv_export_opens_in_excel_as_utf8(registrar_client, registry):
    """Issue 14: no charset and no byte order mark, so Excel showed mojibake (the
    progress report's export had both: they share ``base.exports.csv_download``)."""
    response = registrar_client.get(INDEX, {"export": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")
    assert "Бауыржан Серікұлы Оспанов".encode() in content
    assert content.count(b"\xef\xbb\xbf") == 1


def test_detail_shows_snapshot_and_history(registrar_client, registry, registrar):
    certificate = registry["revoked"]
    url = reverse("certification_certificate:inspect", args=[certificate.pk])
    html = registrar_client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Ержан Болатович Касенов" in html
    assert registry["course"].title in html
    assert "Issued by hand" in html and "Revoked: issued in error" in html
    assert registrar.full_name in html or registrar.email in html
    history = registrar_client.get(
        reverse("certification_certificate:history", args=[certificate.pk])
    )
    assert history.status_code == 200
    assert "Revoked: issued in error" in history.content.decode()


def test_a_certificates_page_shows_almaty_time_throughout(registrar_client, registry, registrar):
    """Issue 14: the page mixed local time (issued, revoked) and UTC (history)."""
    from datetime import UTC, datetime

    from wagtail.users.models import UserProfile

    certificate = registry["revoked"]
    Certificate.objects.filter(pk=certificate.pk).update(
        issued_at=datetime(2026, 12, 7, 3, 30, tzinfo=UTC),
        revoked_at=datetime(2026, 12, 7, 4, 15, tzinfo=UTC),
    )
    ModelLogEntry.objects.filter(object_id=str(certificate.pk)).update(
        timestamp=datetime(2026, 12, 7, 4, 45, tzinfo=UTC)
    )
    # the registrar's admin profile asks for another zone: the page still says Almaty
    UserProfile.objects.update_or_create(user=registrar, defaults={"current_time_zone": "UTC"})
    url = reverse("certification_certificate:inspect", args=[certificate.pk])
    html = registrar_client.get(url).content.decode()
    for local in ("8:30", "9:15", "9:45"):
        assert f"{local} a.m. (Asia/Almaty, UTC+05:00)" in html, local
    for utc in ("3:30", "4:15", "4:45"):
        assert f" {utc}" not in html, utc
    assert "(UTC)" not in html


def test_registrars_reach_the_registry_history(registrar_client, registry):
    html = registrar_client.get(INDEX).content.decode()
    link = re.search(r'href="(/admin/reports/site-history/\?object_type=\d+)"', html).group(1)
    response = registrar_client.get(link.replace("&amp;", "&"))
    assert response.status_code == 200
    assert registry["revoked"].printed_number in response.content.decode()


def test_site_history_report_lists_the_registry(client, registry):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    client.cookies["django_language"] = "en"
    response = client.get("/admin/reports/site-history/", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert registry["revoked"].printed_number in html and "Revoke certificate" in html


def test_the_edit_form_cannot_clear_a_revocation(registrar_client, registry):
    revoked = registry["revoked"]
    url = reverse("certification_certificate:edit", args=[revoked.pk])
    response = registrar_client.post(url, {"expires_on": "2030-01-01", "revoked_at": ""})
    assert response.status_code == 302
    revoked.refresh_from_db()
    assert revoked.revoked_at is not None and revoked.expires_on is None

    valid = registry["valid"]
    url = reverse("certification_certificate:edit", args=[valid.pk])
    response = registrar_client.post(
        url, {"expires_on": "2030-01-01", "revoked_at": "2020-01-01 10:00", "number": "X"}
    )
    assert response.status_code == 302
    valid.refresh_from_db()
    assert valid.expires_on == date(2030, 1, 1) and valid.revoked_at is None
    assert ModelLogEntry.objects.for_instance(valid).filter(action="wagtail.edit").exists()


def test_the_model_refuses_to_restore_a_revoked_certificate(registry):
    revoked = Certificate.objects.get(pk=registry["revoked"].pk)
    revoked.revoked_at = None
    with pytest.raises(ValueError):
        revoked.save()
    revoked.refresh_from_db()
    assert revoked.revoked_at is not None


def test_no_copy_and_the_add_button_issues_by_hand(registrar_client, registry):
    html = registrar_client.get(INDEX, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Issue a certificate" in html and "Bulk issue for a cohort" in html
    assert "/copy/" not in html


# Issue by hand ---------------------------------------------------------------------


def test_registrar_issues_by_hand(registrar_client, registry):
    holder = UserFactory(email="seminar@example.com", full_name="Алмас Қайратұлы")
    url = reverse("certification_certificate:add")
    assert registrar_client.get(url).status_code == 200
    data = {
        "holder": "Seminar@Example.com",
        "course": registry["course"].pk,
        "academic_hours": "16",
        "issued_on": "2021-07-12",
        "expires_on": "",
        "cohort": "",
    }
    response = registrar_client.post(url, data)
    certificate = Certificate.objects.get(holder=holder)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "certification_certificate:inspect", args=[certificate.pk]
    )
    assert certificate.academic_hours == 16 and certificate.issued_on == date(2021, 7, 12)
    again = registrar_client.post(url, data, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "already stands" in again.content.decode()
    assert Certificate.objects.filter(holder=holder).count() == 1


def test_issue_by_hand_shows_problems(registrar_client, registry):
    url = reverse("certification_certificate:add")
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = registrar_client.post(
        url,
        {"holder": "nobody@example.com", "course": registry["course"].pk},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "No active account has this e-mail address." in response.content.decode()
    UserFactory(email="x@example.com")
    response = registrar_client.post(
        url,
        {"holder": "x@example.com", "course": registry["course"].pk, "issued_on": future},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "cannot be dated in the future" in response.content.decode()
    assert not Certificate.objects.filter(holder__email="x@example.com").exists()


# Bulk issue -------------------------------------------------------------------------


@pytest.fixture
def finished_cohort(completed):
    enrolment, course = completed
    Enrolment.objects.filter(pk=enrolment.pk).update(status=Enrolment.Status.COMPLETED)
    active = UserFactory(full_name="Данияр Маратұлы")
    Enrolment.objects.create(
        learner=active, cohort=enrolment.cohort, course_key=course.translation_key
    )
    return enrolment.cohort


def test_bulk_choose_confirm_and_progress(client, registrar, finished_cohort):
    client.force_login(registrar)
    choose = reverse("certification_bulk_choose")
    assert client.get(choose).status_code == 200
    response = client.get(choose, {"cohort": finished_cohort.pk})
    confirm = reverse("certification_bulk_confirm", args=[finished_cohort.pk])
    assert response.status_code == 302 and response["Location"] == confirm
    html = client.get(confirm, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1 learner will get a certificate" in html
    assert "Айгүл Маратқызы Омарова" in html
    assert "1 learner has not completed the course" in html and "Данияр Маратұлы" in html
    assert not BulkIssuance.objects.exists()  # looking changes nothing

    response = client.post(confirm)
    run = BulkIssuance.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("certification_bulk_progress", args=[run.pk])
    assert run.requested_by == registrar


def test_progress_page_reloads_while_the_run_is_going(client, registrar, finished_cohort):
    run = BulkIssuance.objects.create(cohort=finished_cohort, requested_by=registrar)
    client.force_login(registrar)
    url = reverse("certification_bulk_progress", args=[run.pk])
    html = client.get(url).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in html
    services.bulk_issuance_run(run_id=run.pk)
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'http-equiv="refresh"' not in html
    assert '<dd class="bulk-issued">1</dd>' in html and "finished" in html


def test_state_changes_need_csrf(registrar, finished_cohort, registry):
    client = Client(enforce_csrf_checks=True)
    client.force_login(registrar)
    confirm = reverse("certification_bulk_confirm", args=[finished_cohort.pk])
    assert client.post(confirm).status_code == 403
    for name in ("reissue", "replace", "revoke"):
        action = reverse(f"certification_certificate:{name}", args=[registry["valid"].pk])
        assert client.post(action, {"reason": "error", "confirm": "on"}).status_code == 403
    assert client.post(reverse("certification_certificate:add"), {}).status_code == 403
    assert not BulkIssuance.objects.exists()
    assert Certificate.objects.filter(revoked_at__isnull=True).count() == 2


@pytest.mark.parametrize("group", ["Trainers", "Learners", "Methodologists"])
def test_others_cannot_issue(client, finished_cohort, registry, group):
    client.force_login(_in(group, is_staff=group != "Learners"))
    for url in (
        reverse("certification_certificate:add"),
        reverse("certification_bulk_choose"),
        reverse("certification_bulk_confirm", args=[finished_cohort.pk]),
    ):
        assert client.get(url).status_code in (302, 403), url
        assert client.post(url, {"holder": "x@example.com"}).status_code in (302, 403), url
    assert not BulkIssuance.objects.exists()
    assert Certificate.objects.count() == 3


def test_methodologists_read_the_registry_but_not_the_pdf(client, registry):
    client.force_login(_in("Methodologists", is_staff=True))
    assert client.get(INDEX).status_code == 200
    certificate = registry["valid"]
    inspect = reverse("certification_certificate:inspect", args=[certificate.pk])
    assert client.get(inspect).status_code == 200
    assert client.get(reverse("certificate_pdf", args=[certificate.pk])).status_code == 404


def test_staff_view_of_a_pdf_is_in_the_history(client, registry, registrar):
    certificate = registry["valid"]
    client.force_login(registrar)
    response = client.get(reverse("certificate_pdf", args=[certificate.pk]))
    assert response.status_code == 200
    entry = ModelLogEntry.objects.for_instance(certificate).get(action="certification.view_pdf")
    assert entry.user == registrar
    client.force_login(certificate.holder)
    client.get(reverse("certificate_pdf", args=[certificate.pk]))
    assert ModelLogEntry.objects.filter(action="certification.view_pdf").count() == 1


@pytest.mark.parametrize("group", ["Trainers", "Methodologists"])
def test_only_registrars_edit(client, registry, group):
    client.force_login(_in(group, is_staff=True))
    for certificate in (registry["valid"], registry["revoked"]):
        url = reverse("certification_certificate:edit", args=[certificate.pk])
        assert client.post(url, {"expires_on": "2030-01-01"}).status_code in (302, 403)
        certificate.refresh_from_db()
        assert certificate.expires_on is None
