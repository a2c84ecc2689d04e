"""The printed certificate: its PDF, QR code, preview, and who may download them."""

import hashlib
import io
import logging
import re

import pytest
import segno
from django.contrib.auth.models import Group
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from certification import documents, services
from certification.models import Certificate
from certification.tasks import render_certificate_pdf
from lms import middleware as lms_middleware
from tests.factories import UserFactory

BASE_URL = "https://lms.example.kz"
KAZAKH_NAME = "Әлия Ғабитқызы Қоңырбаева-Өмірзақ Ұлан Үмбетова Һ Іңкәр"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = BASE_URL


@pytest.fixture
def certificate(completed):
    enrolment, _course = completed
    learner = enrolment.learner
    learner.full_name = KAZAKH_NAME
    learner.save()
    certificate = services.certificate_issue(enrolment=enrolment)
    certificate.course_titles = {
        "kk": "Ауыл әкімдеріне арналған жергілікті өзін-өзі басқару",
        "ru": "Местное самоуправление для сельских акимов",
        "en": "Local self-government for rural akims",
    }
    certificate.save()
    return certificate


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _font_files(data: bytes) -> list:
    found = []
    for page in PdfReader(io.BytesIO(data)).pages:
        fonts = page["/Resources"]["/Font"]
        for ref in fonts.values():
            font = ref.get_object()
            for descendant in font.get("/DescendantFonts", []):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                if "/FontFile2" in descriptor:
                    found.append(descriptor["/FontFile2"].get_object())
    return found


def test_pdf_prints_the_kazakh_name_number_and_verify_url(certificate):
    assert set("әғқңөұүһі") <= set(KAZAKH_NAME.lower())
    data = documents.render_pdf(certificate)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)  # landscape
    text = _pdf_text(data)
    url = f"{BASE_URL}/v/{certificate.printed_number}"
    assert KAZAKH_NAME in text
    assert certificate.printed_number in text
    assert url in text
    for language in ("kk", "ru", "en"):
        assert certificate.course_titles[language] in text
    assert "СЕРТИФИКАТ" in text and "CERTIFICATE" in text
    assert certificate.issuer in text


def test_pdf_embeds_the_font(certificate):
    data = documents.render_pdf(certificate)
    streams = _font_files(data)
    assert streams
    assert all(len(stream.get_data()) > 1000 for stream in streams)


def test_the_qr_code_is_of_the_verify_url(certificate):
    url = documents.verify_url(certificate)
    assert url == f"{BASE_URL}/v/{certificate.printed_number}"
    png = documents.qr_png(url)
    expected = io.BytesIO()
    segno.make(url, error="m", micro=False).save(expected, kind="png", scale=10, border=4)
    assert png == expected.getvalue()

    data = documents.render_pdf(certificate)
    images = PdfReader(io.BytesIO(data)).pages[0].images
    assert len(images) == 1
    embedded = images[0].image.convert("L")
    reference = Image.open(io.BytesIO(png)).convert("L")
    assert embedded.size == reference.size
    assert embedded.tobytes() == reference.tobytes()
    # The PDF's picture is drawn by Pillow: the same pixels, and the same bytes in a
    # PDF as the PNG's.
    drawn = documents._qr_image(url)
    assert drawn.convert("L").tobytes() == reference.tobytes()

    def pdf_of(image) -> bytes:
        pdf = documents.FPDF()
        pdf.set_creation_date(certificate.issued_at)
        pdf.add_page()
        pdf.image(image, x=10, y=10, w=38, h=38)
        return bytes(pdf.output())

    assert pdf_of(drawn) == pdf_of(io.BytesIO(png))


def test_document_issue_stores_the_pdf_and_its_hash_once(certificate):
    documents.certificate_document_issue(certificate)
    certificate.refresh_from_db()
    assert certificate.pdf.name == f"certificates/{certificate.number}.pdf"
    with default_storage.open(certificate.pdf.name, "rb") as stored:
        data = stored.read()
    assert data.startswith(b"%PDF")
    assert certificate.pdf_sha256 == hashlib.sha256(data).hexdigest()

    again = documents.certificate_document_issue(certificate)
    assert again.pdf.name == certificate.pdf.name
    assert again.pdf_sha256 == certificate.pdf_sha256


def test_a_file_left_by_a_render_cut_off_is_replaced_under_its_name(certificate):
    """A render that stored its file but died before saving the row leaves a file of
    the certificate's name: the next render takes that name, not a second one."""
    name = f"certificates/{certificate.number}.pdf"
    default_storage.save(name, io.BytesIO(b"%PDF-1.3 cut off"))
    certificate = documents.certificate_document_issue(certificate)
    assert certificate.pdf.name == name
    with default_storage.open(name, "rb") as stored:
        assert hashlib.sha256(stored.read()).hexdigest() == certificate.pdf_sha256


def test_the_task_renders_with_the_site_address(certificate, settings):
    settings.SITE_URL = "https://akim.example.kz"
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"  # never printed
    render_certificate_pdf.enqueue(certificate.pk)
    certificate.refresh_from_db()
    assert certificate.pdf_sha256
    with default_storage.open(certificate.pdf.name, "rb") as stored:
        data = stored.read()
    url = f"https://akim.example.kz/v/{certificate.printed_number}"
    assert url in _pdf_text(data)
    qr = PdfReader(io.BytesIO(data)).pages[0].images[0].image.convert("L")
    assert qr.tobytes() == Image.open(io.BytesIO(documents.qr_png(url))).convert("L").tobytes()


def test_the_pdf_is_the_same_bytes_whenever_it_is_rendered(certificate, completed):
    import time_machine

    with time_machine.travel("2030-01-01 10:00:00Z", tick=False):
        first = documents.render_pdf(certificate)
    with time_machine.travel("2031-06-15 17:45:31Z", tick=False):
        again = documents.render_pdf(Certificate.objects.get(pk=certificate.pk))
    assert first == again
    reader = PdfReader(io.BytesIO(first))
    issued = certificate.issued_at.strftime("%Y%m%d%H%M%S")
    assert reader.metadata["/CreationDate"].startswith(f"D:{issued}")


def _history_problems() -> list[str]:
    from lms.ledger import problems, verify_history

    return [str(problem) for problem in problems(verify_history(chains=["certificates"]))]


def test_a_lost_file_is_rendered_again_with_the_published_hash(client, certificate):
    # (The fixture's edit of the course titles is a known difference of its own.)
    history_before = _history_problems()
    client.force_login(certificate.holder)
    url = reverse("certificate_pdf", args=[certificate.pk])
    first = b"".join(client.get(url).streaming_content)
    certificate.refresh_from_db()
    published = client.get(
        f"/v/{certificate.printed_number}", HTTP_ACCEPT="application/json"
    ).json()["pdf_sha256"]
    assert published == certificate.pdf_sha256 == hashlib.sha256(first).hexdigest()

    default_storage.delete(certificate.pdf.name)
    response = client.get(url)
    assert response.status_code == 200
    again = b"".join(response.streaming_content)
    assert hashlib.sha256(again).hexdigest() == published
    certificate.refresh_from_db()
    assert certificate.pdf_sha256 == published
    assert default_storage.exists(certificate.pdf.name)
    assert _history_problems() == history_before


def test_a_rerender_that_differs_is_published_and_chained(certificate, caplog):
    """A file rendered by an older renderer is lost: the new one's hash replaces the
    published one, with both in the ledger, and the history still verifies."""
    from lms.models import LedgerEntry

    certificate = documents.certificate_document_issue(certificate)
    old_hash = "0" * 64  # what another renderer had produced
    Certificate.objects.filter(pk=certificate.pk).update(pdf_sha256=old_hash)
    default_storage.delete(certificate.pdf.name)
    with caplog.at_level(logging.INFO, logger="lms.security"):
        again = documents.certificate_document_issue(Certificate.objects.get(pk=certificate.pk))
    assert again.pdf_sha256 != old_hash
    entry = LedgerEntry.objects.filter(chain="certificates").order_by("-pk").first()
    assert entry.action == "document_rerender"
    assert entry.payload["previous_pdf_sha256"] == old_hash
    assert entry.payload["pdf_sha256"] == again.pdf_sha256
    assert "certificate_document_rerender" in caplog.text
    assert _history_problems() == []  # the new entry holds the certificate as it is


def test_png_preview_is_a_small_png(certificate):
    image = Image.open(io.BytesIO(documents.render_png_preview(certificate)))
    assert image.format == "PNG"
    assert image.size == (800, 566)


def _in_group(name: str):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=name))
    return user


def _trainer(certificate: Certificate, *, group: bool = True):
    user = _in_group("Trainers") if group else UserFactory()
    certificate.enrolment.cohort.trainers.add(user)
    return user


def test_holder_downloads_the_pdf(client, certificate, caplog):
    client.force_login(certificate.holder)
    with caplog.at_level(logging.INFO):
        response = client.get(reverse("certificate_pdf", args=[certificate.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert f"{certificate.printed_number}.pdf" in disposition
    data = b"".join(response.streaming_content)
    certificate.refresh_from_db()
    assert hashlib.sha256(data).hexdigest() == certificate.pdf_sha256
    assert "certificate_pdf_view" not in caplog.text


@pytest.mark.parametrize(
    "make_user",
    [
        pytest.param(lambda c: _trainer(c), id="trainer"),
        pytest.param(lambda c: _trainer(c, group=False), id="cohort-trainer-without-group"),
        pytest.param(lambda c: _in_group("Registrars"), id="registrar"),
    ],
)
def test_staff_download_the_pdf_and_are_logged(client, certificate, caplog, make_user):
    user = make_user(certificate)
    client.force_login(user)
    with caplog.at_level(logging.INFO):
        response = client.get(reverse("certificate_pdf", args=[certificate.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "certificate_pdf_view" in caplog.text
    assert certificate.number in caplog.text


def test_certificates_area_is_outside_the_language_prefix():
    # Without this, lms.middleware.LocaleMiddleware turns each 404 under /certificates/
    # into a redirect to /<language>/certificates/... (the page tree matches any path).
    assert "/certificates/" in lms_middleware.UNPREFIXED


def test_a_trainer_of_another_course_gets_404(client, certificate):
    client.force_login(_in_group("Trainers"))
    assert client.get(reverse("certificate_pdf", args=[certificate.pk])).status_code == 404


def test_other_learner_and_anonymous_get_404(client, certificate):
    url = reverse("certificate_pdf", args=[certificate.pk])
    preview = reverse("certificate_preview", args=[certificate.pk])
    assert client.get(url).status_code == 404
    assert client.get(preview).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    assert client.get(preview).status_code == 404
    assert client.get(reverse("certificate_pdf", args=[certificate.pk + 1000])).status_code == 404


def test_preview_view_returns_a_png(client, certificate):
    client.force_login(certificate.holder)
    response = client.get(reverse("certificate_preview", args=[certificate.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(response.content)).format == "PNG"


def test_a_trainer_of_another_cohort_of_the_same_course_gets_404(client, certificate):
    from tests.factories.courses import build_cohort

    course = certificate.enrolment.cohort.course
    stranger = _in_group("Trainers")
    build_cohort(course, name="Поток 2", trainers=[stranger])
    client.force_login(stranger)
    assert client.get(reverse("certificate_pdf", args=[certificate.pk])).status_code == 404


def test_a_methodologist_gets_404(client, certificate):
    client.force_login(_in_group("Methodologists"))
    assert client.get(reverse("certificate_pdf", args=[certificate.pk])).status_code == 404


def test_the_public_preview_is_for_standing_certificates_only(client, certificate):
    url = reverse("certificate_public_preview", args=[certificate.printed_number])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["X-Robots-Tag"] == "noindex"
    page = client.get(f"/v/{certificate.printed_number}").content.decode()
    assert f'src="{url}"' in page
    services.certificate_revoke(certificate=certificate, reason="misconduct", note="", actor="r")
    assert client.get(url).status_code == 404
    assert f'src="{url}"' not in client.get(f"/v/{certificate.printed_number}").content.decode()
    unknown = reverse("certificate_public_preview", args=["0000-0000-0000-0"])
    assert client.get(unknown).status_code == 404


def test_the_public_preview_is_rate_limited(client, certificate, settings):
    settings.CERTIFICATE_VERIFY_RATE = 2
    url = reverse("certificate_public_preview", args=[certificate.printed_number])
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]


def test_the_dashboard_shows_the_preview(client, certificate):
    client.force_login(certificate.holder)
    html = client.get("/ru/dashboard/").content.decode()
    assert f'src="{reverse("certificate_preview", args=[certificate.pk])}"' in html
    # issue 14: an empty box once the page had loaded (see tests/e2e/test_dashboard_journey.py)
    preview = re.search(r'<img class="certificate-preview"[^>]*>', html).group(0)
    assert 'loading="lazy"' not in preview


def test_the_public_preview_is_drawn_once_per_state_and_revalidated(
    client, certificate, monkeypatch
):
    # issue 18: the verify page's picture was drawn on every request (~140 ms).
    drawn = []
    real = documents.render_png_preview
    monkeypatch.setattr(
        documents, "render_png_preview", lambda *a, **k: drawn.append(1) or real(*a, **k)
    )
    url = reverse("certificate_public_preview", args=[certificate.printed_number])
    first = client.get(url)
    etag = first["ETag"]
    assert first.status_code == 200 and etag.startswith('"') and len(drawn) == 1
    assert first["Cache-Control"] == "no-cache"
    again = client.get(url)
    assert again.status_code == 200 and again.content == first.content and len(drawn) == 1
    unchanged = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert unchanged.status_code == 304 and unchanged.content == b"" and len(drawn) == 1
    # Another language is another picture, with its own tag.
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    other = documents.preview_etag(certificate, language="en")
    assert english.status_code == 200 and english["ETag"] == f'"{other}"' != etag
    # A revoked certificate's picture is gone, whatever the browser holds.
    services.certificate_revoke(certificate=certificate, reason="misconduct", note="", actor="r")
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 404


def test_the_preview_tag_follows_what_is_drawn(certificate):
    tag = documents.preview_etag(certificate, language="ru")
    assert tag == documents.preview_etag(certificate, language="ru")
    certificate.holder_name = certificate.holder_name + " Ұлы"
    assert documents.preview_etag(certificate, language="ru") != tag


KAZAKH_RUSSIAN_ENGLISH = (
    "АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯ"
    "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
    "ÄäĞğÖöŪūÜüŞşİıÑñ"  # Kazakh in the Latin alphabet of 2021
    "0123456789.,:;!?«»“”„—–-()/№₸%"
)


def test_the_cut_down_fonts_hold_every_letter_of_the_three_languages():
    letters = documents._common_letters()
    assert {ord(letter) for letter in KAZAKH_RUSSIAN_ENGLISH} <= letters
    # and the ranges fonts/LICENSE names, wherever the full font has them
    from fontTools.ttLib import TTFont

    with TTFont(documents.REGULAR, lazy=True) as full:
        in_full = set(full.getBestCmap())
    named = set(range(0x20, 0x7F)) | set(range(0xA0, 0x180)) | set(range(0x400, 0x530))
    assert named & in_full <= letters


def test_a_certificate_prints_with_the_cut_down_fonts(certificate):
    url = documents.verify_url(certificate)
    text = documents.printed_text(certificate, documents.layout_of(certificate), url)
    assert certificate.holder_name in text and url in text
    assert documents._fonts_for(text) == (documents.COMMON_REGULAR, documents.COMMON_BOLD)


def test_a_name_outside_them_prints_with_the_full_fonts(certificate):
    # Greek is in DejaVu Sans but not in the cut-down fonts: never a missing-glyph box.
    certificate.holder_name = "Αλέξανδρος Παπαδόπουλος"
    pdf = documents.render_pdf(certificate)
    url = documents.verify_url(certificate)
    text = documents.printed_text(certificate, documents.layout_of(certificate), url)
    assert documents._fonts_for(text) == (documents.REGULAR, documents.BOLD)
    assert pdf.startswith(b"%PDF") and pdf == documents.render_pdf(certificate)


def test_fonts_read_once_print_the_same_bytes_as_fonts_read_for_each_pdf(certificate, monkeypatch):
    # The fonts are parsed once per process and each PDF embeds a copy of its own: the
    # bytes (and the published hashes) are those of reading the font files every time,
    # and one PDF's letters never reach the next one's fonts.
    other = Certificate.objects.get(pk=certificate.pk)
    other.holder_name = "Αλέξανδρος Παπαδόπουλος"  # the full fonts
    other.number = "Z" + certificate.number[1:]
    kept = [documents.render_pdf(c) for c in (certificate, other, certificate, other)]

    def read_each_time(pdf, style, path):
        pdf.add_font(documents.FAMILY, style, str(path))
        for letter in documents.PRINTABLE:  # every subset holds them (see below)
            pdf.fonts[f"{documents.FAMILY.lower()}{style}"].subset.pick(ord(letter))

    monkeypatch.setattr(documents, "_add_font", read_each_time)
    assert kept == [documents.render_pdf(c) for c in (certificate, other, certificate, other)]


def test_a_reissued_certificate_has_a_picture_and_tag_of_its_own(client, certificate):
    url = reverse("certificate_public_preview", args=[certificate.printed_number])
    etag = client.get(url)["ETag"]
    new = services.certificate_reissue(certificate=certificate, actor="registrar")
    # The old number's picture is gone, whatever the browser holds ...
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 404
    # ... and the new number's is drawn with a tag of its own.
    new_url = reverse("certificate_public_preview", args=[new.printed_number])
    fresh = client.get(new_url, HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200 and fresh["ETag"] != etag
    assert client.get(new_url, HTTP_IF_NONE_MATCH=fresh["ETag"]).status_code == 304


def test_every_certificate_in_the_three_languages_embeds_the_same_fonts(certificate):
    # Each font's subset holds every printable letter, whatever the certificate prints,
    # so one subset per font serves every certificate (names and numbers differ) ...
    assert {ord(letter) for letter in documents.PRINTABLE} <= documents._common_letters()
    assert set(KAZAKH_RUSSIAN_ENGLISH) <= set(documents.PRINTABLE)
    other = Certificate.objects.get(pk=certificate.pk)
    other.holder_name = "Щукин Эдуард Ёжиков"
    other.number = "Z" + certificate.number[1:]
    documents._SUBSETS.clear()
    first = documents.render_pdf(certificate)
    assert len(documents._SUBSETS) == 2  # the regular and the bold font
    second = documents.render_pdf(other)
    assert len(documents._SUBSETS) == 2
    assert "Щукин Эдуард Ёжиков" in _pdf_text(second)
    assert _font_files(first)[0].get_data() == _font_files(second)[0].get_data()


def test_a_kept_font_subset_serves_only_documents_with_the_same_letters(certificate):
    # ... and a name with other letters gets a subset of its own, the same bytes as
    # with nothing kept.
    other = Certificate.objects.get(pk=certificate.pk)
    other.holder_name = "Олексій Ґудзь Їжак"  # Ukrainian letters: not in PRINTABLE
    documents._SUBSETS.clear()
    first = documents.render_pdf(certificate)
    assert len(documents._SUBSETS) == 2
    assert documents.render_pdf(certificate) == first
    assert len(documents._SUBSETS) == 2
    second = documents.render_pdf(other)
    assert len(documents._SUBSETS) == 3  # the name is printed in bold only
    assert "Олексій Ґудзь Їжак" in _pdf_text(second)
    documents._SUBSETS.clear()
    assert documents.render_pdf(other) == second
    assert documents.render_pdf(certificate) == first
