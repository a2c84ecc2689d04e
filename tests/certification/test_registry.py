"""Issuing on completion (once), revocation and re-issue, and public verification."""

import json
import re
import threading
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from certification import numbers, selectors, services
from certification.models import Certificate
from courses import services as course_services
from courses.models import LessonPage


def _complete(enrolment, course, callbacks):
    with callbacks(execute=True):
        for lesson in LessonPage.objects.descendant_of(course):
            course_services.lesson_complete(learner=enrolment.learner, lesson=lesson)


def test_completing_a_course_issues_one_certificate(completed, django_capture_on_commit_callbacks):
    enrolment, course = completed
    _complete(enrolment, course, django_capture_on_commit_callbacks)
    certificate = Certificate.objects.get()
    assert numbers.is_valid(certificate.number)
    assert certificate.holder_name == "Айгүл Маратқызы Омарова"
    assert certificate.course_titles["ru"] == course.title
    assert certificate.academic_hours == course.academic_hours
    assert services.certificate_issue(enrolment=enrolment).pk == certificate.pk
    assert Certificate.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_issuance_makes_one_certificate(postgres, home_pages):
    from tests.factories import UserFactory
    from tests.factories.courses import build_cohort, build_course

    course = build_course(home_pages["ru"], modules=1, lessons=1)
    enrolment = course_services.enrolment_create(learner=UserFactory(), cohort=build_cohort(course))
    barrier = threading.Barrier(8)
    numbers_seen, errors = [], []

    def issue():
        try:
            barrier.wait(timeout=10)
            numbers_seen.append(services.certificate_issue(enrolment=enrolment).number)
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert len(set(numbers_seen)) == 1
    assert Certificate.objects.count() == 1


@pytest.fixture
def certificate(completed):
    enrolment, _course = completed
    return services.certificate_issue(enrolment=enrolment)


def _json(client, number):
    return client.get(f"/v/{number}", HTTP_ACCEPT="application/json")


def test_verify_valid_in_html_and_json(client, certificate):
    response = client.get(f"/v/{certificate.printed_number}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert "VALID" in html and "Айгүл Маратқызы Омарова" in html
    assert response["X-Robots-Tag"] == "noindex"
    assert response["Referrer-Policy"] == "no-referrer"
    assert '<meta name="robots" content="noindex">' in html
    body = _json(client, certificate.number.lower()).json()
    assert body["status"] == "VALID"
    assert body["number"] == certificate.printed_number


def test_typed_numbers_are_tolerated(client, certificate):
    printed = certificate.printed_number
    cyrillic = printed.replace("A", "А").replace("M", "М").replace("-", " ").lower()
    assert _json(client, cyrillic).json()["status"] == "VALID"


class _VisibleText(HTMLParser):
    """The text a visitor reads: no tags, attributes (CSRF tokens), scripts or styles."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        self._hidden += tag in ("script", "style")

    def handle_endtag(self, tag):
        self._hidden -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def _visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


def _json_values(value) -> list[str]:
    if isinstance(value, dict):
        return [text for item in value.values() for text in _json_values(item)]
    if isinstance(value, list):
        return [text for item in value for text in _json_values(item)]
    return [str(value)]


def test_public_data_leaks_nothing_personal(client, certificate):
    certificate.grade = 87
    certificate.save()
    html = client.get(f"/v/{certificate.number}").content.decode()
    body = _json(client, certificate.number).json()
    # What a visitor reads and what the JSON says: random values (CSRF tokens in the
    # markup) are left out, so "87" can only come from the grade.
    for text in [_visible_text(html), " ".join(_json_values(body))]:
        text = text.replace(certificate.printed_number, "").replace(certificate.number, "")
        assert "87" not in re.sub(r"\d{4}-\d\d-\d\d", "", text)
    for text in [html, json.dumps(body)]:
        assert "aigul@example.com" not in text
        assert "/admin/" not in text


def test_revoked_is_never_shown_as_not_found(client, certificate):
    services.certificate_revoke(
        certificate=certificate, reason="misconduct", note="Подделка", actor="registrar@example.com"
    )
    body = _json(client, certificate.number).json()
    assert body["status"] == "REVOKED"
    assert "revoked_on" in body and "Подделка" not in json.dumps(body)
    html = client.get(f"/v/{certificate.number}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "REVOKED" in html and "NOT FOUND" not in html


def _public_texts(client, certificate, language):
    html = client.get(f"/v/{certificate.number}", HTTP_ACCEPT_LANGUAGE=language)
    body = client.get(
        f"/v/{certificate.number}", HTTP_ACCEPT="application/json", HTTP_ACCEPT_LANGUAGE=language
    )
    return _visible_text(html.content.decode()), body.json()


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
@pytest.mark.parametrize("reason", ["misconduct", "error", "other"])
def test_the_public_page_says_withdrawn_never_the_reason(client, certificate, reason, language):
    from django.utils import translation

    services.certificate_revoke(
        certificate=certificate, reason=reason, note="Списал на экзамене", actor="r"
    )
    certificate.refresh_from_db()
    text, body = _public_texts(client, certificate, language)
    with translation.override(language):
        revoked = translation.gettext("REVOKED")
        withdrawn = translation.gettext("withdrawn by the issuer")
        # The labels that could not turn up by chance ("other" is in "another").
        reasons = [str(Certificate.Reason.MISCONDUCT.label), str(Certificate.Reason.ERROR.label)]
    if language != "en":
        assert withdrawn != "withdrawn by the issuer"  # translated, not left in English
    assert revoked in text and withdrawn in text
    assert timezone.localdate(certificate.revoked_at).strftime("%Y") in text
    assert body["status"] == "REVOKED"
    assert body["revoked_on"] == timezone.localdate(certificate.revoked_at).isoformat()
    assert body["revocation"] == "withdrawn" and body["revocation_label"] == withdrawn
    assert "revocation_reason" not in body
    everything = text + json.dumps(body, ensure_ascii=False)
    for word in ["misconduct", "fraud", "dishonesty", "Списал", *reasons]:
        assert word not in everything, word
    assert certificate.holder_name in text  # the name stays; only the reason is private


def test_a_replaced_certificate_says_replaced(client, certificate):
    new = services.certificate_reissue(certificate=certificate, actor="r")
    certificate.refresh_from_db()
    text, body = _public_texts(client, certificate, "en")
    assert "replaced by another certificate" in text and "superseded" not in text
    assert body["revocation"] == "replaced"
    assert _json(client, new.number).json()["status"] == "VALID"


def test_a_revoked_certificate_is_replaced_with_a_fresh_snapshot(certificate, caplog):
    from wagtail.models import ModelLogEntry

    from courses.models import CoursePage

    services.certificate_revoke(certificate=certificate, reason="error", note="", actor="r")
    holder = certificate.holder
    holder.full_name = "Айгүл Маратқызы Серікова"  # the name was misspelt on the first one
    holder.save()
    course = CoursePage.objects.get(translation_key=certificate.course_key)
    course.title, course.academic_hours = "Жаңа атауы", 80
    course.save()

    new, created = services.certificate_replace(certificate=certificate, actor="r@example.com")
    certificate.refresh_from_db()
    assert created and new.pk != certificate.pk and new.revoked_at is None
    assert certificate.superseded_by == new and certificate.revocation_reason == "error"
    assert new.holder_name == "Айгүл Маратқызы Серікова"
    assert new.course_titles["ru"] == "Жаңа атауы" and new.academic_hours == 80
    assert new.enrolment_id == certificate.enrolment_id
    assert new.identity_salt != certificate.identity_salt
    issue = ModelLogEntry.objects.for_instance(new).get(action="certification.issue")
    assert issue.data["via"] == "replacement"
    assert issue.data["previous"] == certificate.printed_number
    assert ModelLogEntry.objects.for_instance(certificate).filter(
        action="certification.reissue", data__new=new.printed_number
    )
    assert "event=certificate_replace actor='r@example.com'" in caplog.text
    with pytest.raises(services.ReplacementRefused):  # already replaced
        services.certificate_replace(certificate=certificate, actor="r")
    with pytest.raises(services.ReplacementRefused):  # it stands
        services.certificate_replace(certificate=new, actor="r")
    assert Certificate.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_replacements_issue_one_certificate(postgres, home_pages):
    from tests.factories import UserFactory
    from tests.factories.courses import build_cohort, build_course

    course = build_course(home_pages["ru"], modules=1, lessons=1)
    enrolment = course_services.enrolment_create(learner=UserFactory(), cohort=build_cohort(course))
    revoked = services.certificate_issue(enrolment=enrolment)
    services.certificate_revoke(certificate=revoked, reason="error", note="", actor="r")
    barrier = threading.Barrier(4)
    outcomes, errors = [], []

    def replace():
        try:
            barrier.wait(timeout=10)
            outcomes.append(services.certificate_replace(certificate=revoked, actor="r")[0].pk)
        except services.ReplacementRefused:
            outcomes.append("refused")
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=replace) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    new = Certificate.objects.get(revoked_at__isnull=True)
    assert sorted(outcomes, key=str) == sorted([new.pk, "refused", "refused", "refused"], key=str)
    revoked.refresh_from_db()
    assert revoked.superseded_by == new


def test_replacing_when_one_already_stands_links_that_one(certificate):
    services.certificate_revoke(certificate=certificate, reason="other", note="", actor="r")
    standing = services.certificate_issue(enrolment=certificate.enrolment)
    found, created = services.certificate_replace(certificate=certificate, actor="r")
    certificate.refresh_from_db()
    assert found == standing and not created and certificate.superseded_by == standing
    assert Certificate.objects.count() == 2


def test_revocation_cannot_be_undone_and_reissue_links_both(certificate):
    services.certificate_revoke(certificate=certificate, reason="error", note="", actor="r")
    again = services.certificate_revoke(certificate=certificate, reason="other", note="", actor="r")
    assert again.revocation_reason == "error"
    fresh = services.certificate_issue(enrolment=certificate.enrolment)
    assert fresh.number != certificate.number


def test_reissue_supersedes_the_old_number(client, certificate):
    new = services.certificate_reissue(certificate=certificate, actor="registrar@example.com")
    certificate.refresh_from_db()
    assert certificate.superseded_by == new
    assert certificate.revocation_reason == "superseded"
    assert _json(client, certificate.number).json()["status"] == "REVOKED"
    assert _json(client, new.number).json()["status"] == "VALID"


def test_expired(client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(expires_on="2020-01-01")
    assert _json(client, certificate.number).json()["status"] == "EXPIRED"


def _random_unknown() -> str:
    return numbers.new_number()


def test_unknown_numbers_all_get_the_same_answer(client, db):
    answers = {
        (_json(client, _random_unknown()).status_code, _json(client, _random_unknown()).content)
        for _ in range(10)
    }
    assert answers == {(404, b'{"status": "NOT_FOUND"}')}


def test_a_bad_check_character_is_refused_without_a_query(client, certificate):
    body = certificate.number[:-1]
    wrong = next(c for c in numbers.CHECK_CHARACTERS if c != certificate.number[-1])
    with CaptureQueriesContext(connection) as queries:
        response = _json(client, body + wrong)
    assert response.status_code == 404 and response.json() == {"status": "NOT_FOUND"}
    assert not [q for q in queries.captured_queries if "certification_certificate" in q["sql"]]


def test_verification_is_rate_limited(client, settings, db):
    settings.CERTIFICATE_VERIFY_RATE = 5
    statuses = [_json(client, _random_unknown()).status_code for _ in range(7)]
    assert statuses[:5] == [404] * 5 and statuses[5:] == [429, 429]


def test_check_page_accepts_typed_numbers(client, certificate):
    typed = certificate.printed_number.lower().replace("-", " ")
    response = client.get("/ru/certificates/check/", {"number": typed})
    assert response.status_code == 302
    assert response["Location"] == f"/v/{certificate.printed_number}"
    error = client.get("/en/certificates/check/", {"number": "NOT-A-NUMBER"})
    assert error.status_code == 200 and 'aria-invalid="true"' in error.content.decode()


def test_dashboard_lists_the_learners_certificates(client, certificate):
    client.force_login(certificate.holder)
    html = client.get("/ru/dashboard/").content.decode()
    assert certificate.printed_number in html and f'href="/v/{certificate.printed_number}"' in html
    assert f'href="/certificates/{certificate.pk}/pdf' in html


def test_dashboard_lists_a_revoked_certificate_as_revoked_and_its_replacement_as_valid(
    client, certificate
):
    from django.utils import formats, translation

    services.certificate_revoke(certificate=certificate, reason="error", note="", actor="r")
    new, _created = services.certificate_replace(certificate=certificate, actor="r")
    certificate.refresh_from_db()
    client.force_login(certificate.holder)
    html = client.get("/ru/dashboard/").content.decode()
    items = {
        number: item
        for item in re.findall(r'<li class="card">(.*?)</li>', html, re.S)
        for number in [certificate.printed_number, new.printed_number]
        if number in item
    }
    old_item, new_item = items[certificate.printed_number], items[new.printed_number]
    with translation.override("ru"):
        revoked_on = formats.date_format(timezone.localtime(certificate.revoked_at), "DATE_FORMAT")
        assert translation.gettext("revoked") in old_item and revoked_on in old_item
        assert translation.gettext("Verification page (share this link)") not in old_item
    assert "/v/" not in old_item and "/pdf" not in old_item and "<img" not in old_item
    assert f'href="/v/{new.printed_number}"' in new_item
    assert f'href="/certificates/{new.pk}/pdf' in new_item
    assert "отозван" not in new_item


# What a lookup costs: a malformed number none, an unknown one the lookup alone --------


def _bad_check_character(body: str = "M1ZNP56WMY0X") -> str:
    wrong = next(c for c in numbers.CHECK_CHARACTERS if c != numbers.check_character(body))
    return numbers.format_number(body + wrong)


MALFORMED = ["NOT-A-NUMBER", _bad_check_character(), "%00", "x" * 200]


@pytest.fixture
def warm(client, home_pages):
    """The site's menus are read once per process and then cached: fill that cache, so
    the counts below are those of every later request."""
    client.get("/v/NOT-A-NUMBER")
    return client


@pytest.mark.parametrize("accept", ["text/html", "application/json"])
@pytest.mark.parametrize("typed", MALFORMED)
def test_a_malformed_number_is_404_without_a_query(warm, django_assert_num_queries, accept, typed):
    client = warm
    with django_assert_num_queries(0):
        response = client.get(f"/v/{typed}", HTTP_ACCEPT=accept)
    assert response.status_code == 404


@pytest.mark.parametrize("accept", ["text/html", "application/json"])
def test_an_unknown_number_costs_one_query(warm, django_assert_num_queries, accept):
    client = warm
    unknown = numbers.format_number(numbers.new_number())
    with django_assert_num_queries(1):
        response = client.get(f"/v/{unknown}", HTTP_ACCEPT=accept)
    assert response.status_code == 404


@pytest.mark.parametrize("accept", ["text/html", "application/json"])
def test_a_known_number_costs_one_query(certificate, warm, django_assert_num_queries, accept):
    client = warm
    with django_assert_num_queries(1):
        response = client.get(f"/v/{certificate.printed_number}", HTTP_ACCEPT=accept)
    assert response.status_code == 200


def test_the_credential_url_costs_nothing_when_malformed_and_one_query_when_unknown(
    warm, django_assert_num_queries
):
    client = warm
    with django_assert_num_queries(0):
        assert client.get("/v/NOT-A-NUMBER/credential.jwt").status_code == 404
    unknown = numbers.format_number(numbers.new_number())
    with django_assert_num_queries(1):
        assert client.get(f"/v/{unknown}/credential.jwt").status_code == 404


def test_a_known_credential_costs_the_lookup_and_the_holder(
    certificate, warm, django_assert_num_queries
):
    with django_assert_num_queries(2):  # the holder's e-mail is hashed into it
        response = warm.get(f"/v/{certificate.printed_number}/credential.jwt")
    assert response.status_code == 200


def test_a_redirect_elsewhere_still_works(client, home_pages):
    """Only the verify answers skip Wagtail's redirects; other 404s still find theirs."""
    from wagtail.contrib.redirects.models import Redirect

    Redirect.objects.create(old_path="/old-news", redirect_link="/ru/")
    response = client.get("/old-news")
    assert response.status_code == 301 and response["Location"] == "/ru/"


def test_the_dashboard_lists_the_holders_own_certificates_as_the_registry_has_them(
    certificate, django_assert_num_queries
):
    """Read with written-out SQL: the same certificates, newest first, revoked ones with
    their date, the titles in each language, in one query; nobody else's."""
    from tests.factories import UserFactory

    services.certificate_revoke(certificate=certificate, reason="error", note="", actor="r")
    fresh, _created = services.certificate_replace(certificate=certificate, actor="r")
    holder = certificate.holder
    expected = list(Certificate.objects.filter(holder=holder).order_by("-issued_at"))
    with django_assert_num_queries(1):
        listed = selectors.held_certificates(holder=holder)
        shown = [
            (c.pk, c.printed_number, c.revoked_at, c.issued_at, c.course_title("kk"))
            for c in listed
        ]
    assert shown == [
        (c.pk, c.printed_number, c.revoked_at, c.issued_at, c.course_title("kk")) for c in expected
    ]
    assert [c.pk for c in listed] == [fresh.pk, certificate.pk]
    assert listed[1].revoked_at is not None and listed[0].revoked_at is None
    assert selectors.held_certificates(holder=UserFactory()) == []
