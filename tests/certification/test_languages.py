"""The registry in the reader's language: the verify page's issuer and course, which
language it speaks, and the issuer on the printed certificate."""

import io

import pytest
from django.conf import settings
from pypdf import PdfReader
from wagtail.models import Locale

from certification import documents, services
from certification.models import Certificate

ISSUER = {
    "kk": "Қазақстан Республикасы Президентінің жанындағы Мемлекеттік басқару академиясы",
    "ru": "Академия государственного управления при Президенте Республики Казахстан",
    "en": "Academy of Public Administration under the President of the Republic of Kazakhstan",
}


@pytest.fixture
def certificate(completed):
    enrolment, _course = completed
    return services.certificate_issue(enrolment=enrolment)


def _verify(client, certificate, **headers):
    html = client.get(f"/v/{certificate.printed_number}", **headers)
    body = client.get(f"/v/{certificate.printed_number}", HTTP_ACCEPT="application/json", **headers)
    return html, body.json()


def test_the_issuer_is_named_in_each_language(settings):
    assert settings.CERTIFICATE_ISSUER_NAMES == ISSUER


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_verify_page_names_the_issuer_in_its_language(client, certificate, language):
    html, body = _verify(client, certificate, HTTP_ACCEPT_LANGUAGE=language)
    assert html["Content-Language"] == language
    assert ISSUER[language] in html.content.decode()
    assert body["issuer"] == ISSUER[language]
    for other in set(ISSUER) - {language}:
        assert ISSUER[other] not in html.content.decode()


def test_a_certificate_issued_with_one_name_keeps_it(client, certificate):
    Certificate.objects.filter(pk=certificate.pk).update(issuer="Old Academy", issuer_names={})
    _html, body = _verify(client, certificate, HTTP_ACCEPT_LANGUAGE="kk")
    assert body["issuer"] == "Old Academy"


def test_the_issuers_names_are_kept_at_issue(client, certificate, settings):
    settings.CERTIFICATE_ISSUER_NAMES = {**ISSUER, "kk": "Жаңа атау"}
    _html, body = _verify(client, certificate, HTTP_ACCEPT_LANGUAGE="kk")
    assert body["issuer"] == ISSUER["kk"]


@pytest.mark.parametrize(
    ("cookie", "accept", "expected"),
    [("kk", "en", "kk"), ("en", "ru", "en"), (None, "en", "en"), (None, "", "ru")],
)
def test_the_chosen_language_outranks_the_browsers(client, certificate, cookie, accept, expected):
    if cookie:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie
    html, body = _verify(client, certificate, HTTP_ACCEPT_LANGUAGE=accept)
    assert html["Content-Language"] == expected
    assert f'<html lang="{expected}">' in html.content.decode()
    assert body["issuer"] == ISSUER[expected]


def test_the_language_chosen_with_the_switcher_is_the_verify_pages(client, certificate):
    # The switcher's links lead to the page in another language: following one is a choice.
    assert client.get("/kk/", HTTP_ACCEPT_LANGUAGE="en").status_code == 200
    html, _body = _verify(client, certificate, HTTP_ACCEPT_LANGUAGE="en")
    assert html["Content-Language"] == "kk"
    assert client.get("/en/", HTTP_ACCEPT_LANGUAGE="en").status_code == 200
    assert _verify(client, certificate, HTTP_ACCEPT_LANGUAGE="kk")[0]["Content-Language"] == "en"


def test_the_switchers_form_is_remembered_too(client, certificate):
    client.post("/i18n/setlang/", {"language": "kk", "next": "/accounts/login/"})
    html, _body = _verify(client, certificate, HTTP_ACCEPT_LANGUAGE="ru")
    assert html["Content-Language"] == "kk"


def test_a_page_answered_from_the_page_cache_remembers_its_language_too(
    client, home_pages, settings
):
    settings.PAGE_CACHE_ENABLED = True
    for _ in range(2):
        client.cookies.clear()
        response = client.get("/kk/")
        assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "kk"
    assert response["X-Page-Cache"] == "hit"


def test_the_course_title_is_the_pages_languages(client, certificate, completed):
    _enrolment, course = completed
    kazakh = course.copy_for_translation(Locale.objects.get(language_code="kk"), copy_parents=True)
    kazakh.title = "Ауылдық округті басқару"
    kazakh.save_revision().publish()
    assert "kk" not in certificate.course_titles  # translated after the issue
    html, body = _verify(client, certificate, HTTP_ACCEPT_LANGUAGE="kk")
    assert body["course"] == "Ауылдық округті басқару"
    assert "Ауылдық округті басқару" in html.content.decode()
    # A language with no translation: the title kept at issue.
    assert _verify(client, certificate, HTTP_ACCEPT_LANGUAGE="en")[1]["course"] == course.title


def test_the_title_kept_at_issue_outranks_a_later_rename(client, certificate, completed):
    _enrolment, course = completed
    course.title = "Новое название"
    course.save_revision().publish()
    assert _verify(client, certificate, HTTP_ACCEPT_LANGUAGE="ru")[1]["course"] == (
        "Управление сельским округом"
    )


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_certificate_prints_the_issuer_in_each_language(certificate):
    text = " ".join(_pdf_text(documents.render_pdf(certificate)).split())
    for name in ISSUER.values():
        assert name in text


def test_an_old_certificate_renders_as_it_did(certificate):
    """Issued with one issuer name: the same single line, so the same bytes as before."""
    certificate.issuer_names = {}
    single = documents.render_pdf(certificate)
    text = " ".join(_pdf_text(single).split())
    assert ISSUER["en"] in text and ISSUER["kk"] not in text
    assert documents.issuer_lines(certificate) == [ISSUER["en"]]
