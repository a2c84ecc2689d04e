"""Certificate templates per course: what the PDF and the preview print, and that an
issued certificate keeps what it was issued with when the template changes later."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from certification import documents, layout, services
from certification.models import CertificateTemplate, CourseCertificateTemplate
from tests.certification.conftest import png
from tests.factories import UserFactory

BASE_URL = "https://lms.example.kz"


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def templated(completed, certificate_template):
    enrolment, course = completed
    CourseCertificateTemplate.objects.create(course=course, template=certificate_template)
    return services.certificate_issue(enrolment=enrolment), certificate_template


def test_the_pdf_prints_the_templates_titles_body_and_signatories(templated):
    certificate, template = templated
    text = _pdf_text(documents.render_pdf(certificate))
    for title in (template.title_kk, template.title_ru, template.title_en):
        assert title in text
    assert "СЕРТИФИКАТ" not in text  # the built-in title gives way to the template's
    assert "Қайрат Серікұлы Әбдіров" in text and "Ректор" in text
    assert "Ольга Ивановна Петренко" in text and "Директор филиала" in text
    course = certificate.course_titles["ru"]
    flowing = " ".join(text.split())  # paragraphs wrap over lines
    assert f"по программе «{course}» в объёме 72 академических часов" in flowing
    assert "{hours}" not in text and "{course}" not in text
    assert certificate.cohort_name in text  # {cohort} in the English body
    assert "Айгүл Маратқызы Омарова" in text  # Kazakh letters, DejaVu embedded


def test_orientation_is_respected(templated):
    certificate, template = templated
    page = PdfReader(io.BytesIO(documents.render_pdf(certificate))).pages[0]
    assert float(page.mediabox.width) < float(page.mediabox.height)  # portrait A4
    assert round(float(page.mediabox.width) / 72 * 25.4) == 210
    preview = Image.open(io.BytesIO(documents.render_png_preview(certificate)))
    assert preview.size == (566, 800)

    template.orientation = CertificateTemplate.Orientation.LANDSCAPE
    template.save()
    landscape, _ = services.certificate_issue_manual(
        holder=UserFactory(), course=_course(certificate), actor=UserFactory()
    )
    page = PdfReader(io.BytesIO(documents.render_pdf(landscape))).pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)


def _course(certificate):
    from courses.models import CoursePage

    return CoursePage.objects.get(translation_key=certificate.course_key)


def test_logo_and_signatures_are_embedded(templated):
    certificate, _template = templated
    images = PdfReader(io.BytesIO(documents.render_pdf(certificate))).pages[0].images
    assert len(images) == 4  # the QR code, the logo and two signatures
    colours = {image.image.convert("RGB").getpixel((5, 5)) for image in images}
    assert {(0x1F, 0x3A, 0x93), (0, 0, 0x80), (0x80, 0, 0)} <= colours


def test_the_snapshot_survives_edits_and_deletion_of_the_template(templated):
    certificate, template = templated
    before = _pdf_text(documents.render_pdf(certificate))
    template.title_ru = "ДРУГОЙ ЗАГОЛОВОК"
    template.primary_colour = "#FF0000"
    template.save()
    template.signatories.all().delete()
    template.logo.file.delete(save=False)  # even the library image's file is gone
    certificate.refresh_from_db()
    after = _pdf_text(documents.render_pdf(certificate))
    assert after == before
    assert "ДРУГОЙ ЗАГОЛОВОК" not in after
    images = PdfReader(io.BytesIO(documents.render_pdf(certificate))).pages[0].images
    assert len(images) == 4
    template.delete()
    certificate.refresh_from_db()
    assert certificate.template is None and certificate.layout["name"] == template.name
    assert "Ректор" in _pdf_text(documents.render_pdf(certificate))


def test_each_image_is_stored_once(templated, completed):
    certificate, _template = templated
    other, _ = services.certificate_issue_manual(
        holder=UserFactory(), course=_course(certificate), actor=UserFactory()
    )
    assert other.layout["logo"] == certificate.layout["logo"]
    assert certificate.layout["logo"].startswith(layout.ASSET_DIR)
    assert default_storage.exists(certificate.layout["logo"])
    signatures = [s["signature"] for s in certificate.layout["signatories"]]
    assert len(set(signatures)) == 2 and all(default_storage.exists(name) for name in signatures)


def test_a_course_without_a_template_prints_the_built_in_layout(completed):
    enrolment, _course = completed
    certificate = services.certificate_issue(enrolment=enrolment)
    assert certificate.layout == {} and certificate.template is None
    text = _pdf_text(documents.render_pdf(certificate))
    assert "СЕРТИФИКАТ" in text and "CERTIFICATE" in text


def test_a_template_picked_on_another_language_copy_is_used(completed, certificate_template):
    from wagtail.models import Locale

    enrolment, course = completed
    kazakh = course.copy_for_translation(Locale.objects.get(language_code="kk"), copy_parents=True)
    CourseCertificateTemplate.objects.create(course=kazakh, template=certificate_template)
    certificate = services.certificate_issue(enrolment=enrolment)
    assert certificate.template == certificate_template


@pytest.mark.parametrize("colour", ["red", "#12345", "#1234567", "1F3A93", "#GG0000"])
def test_colours_must_be_hex(db, colour):
    template = CertificateTemplate(name="x", primary_colour=colour)
    with pytest.raises(ValidationError) as error:
        template.full_clean()
    assert "primary_colour" in error.value.message_dict


def test_placeholders_other_than_the_known_ones_print_as_typed():
    assert layout.fill("{course} {name} {0}", {"course": "Бюджет"}) == "Бюджет {name} {0}"


def test_registrar_creates_a_template_in_the_admin(client, db):
    registrar = UserFactory(groups=["Registrars"])
    client.force_login(registrar)
    url = "/admin/snippets/certification/certificatetemplate/add/"
    assert client.get(url).status_code == 200
    data = nested_form_data(
        {
            "name": "Семинар",
            "title_kk": "СЕРТИФИКАТ",
            "title_ru": "СЕРТИФИКАТ",
            "title_en": "CERTIFICATE",
            "body_kk": "",
            "body_ru": "участвовал(а) в семинаре «{course}»",
            "body_en": "",
            "primary_colour": "#1F3A93",
            "accent_colour": "#B8860B",
            "orientation": "landscape",
            "signatories": inline_formset(
                [{"name": "Асель Нурлановна Жумабаева", "position": "Директор"}]
            ),
        }
    )
    data["signatories-0-signature"] = SimpleUploadedFile(
        "signature.png", png("#000080"), content_type="image/png"
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    template = CertificateTemplate.objects.get(name="Семинар")
    assert [s.name for s in template.signatories.all()] == ["Асель Нурлановна Жумабаева"]
    assert template.signatories.get().signature.name.startswith("certificates/signatures/")
    data.pop("signatories-0-signature")
    data["primary_colour"] = "blue"
    data["name"] = "Другой"
    assert client.post(url, data).status_code == 200  # refused: not a hex colour
    assert not CertificateTemplate.objects.filter(name="Другой").exists()


def test_signature_upload_is_an_image(certificate_template):
    signatory = certificate_template.signatories.first()
    with Image.open(signatory.signature.open("rb")) as image:
        assert image.format == "PNG"
    assert png("#000000")[:4] == b"\x89PNG"


def test_a_trainer_picks_the_template_for_their_course_in_the_registry(
    client, completed, certificate_template
):
    enrolment, course = completed
    add = reverse("certification_course_template:add")
    client.force_login(UserFactory(is_staff=True, groups=["Registrars"]))
    assert client.get(add).status_code == 302  # not someone who edits courses
    client.force_login(UserFactory(is_staff=True, groups=["Trainers"]))
    html = client.get(add).content.decode()
    assert certificate_template.name in html and course.title in html
    response = client.post(add, {"course": course.pk, "template": certificate_template.pk})
    assert response.status_code == 302
    listing = client.get(reverse("certification_course_template:index")).content.decode()
    assert certificate_template.name in listing
    assert services.certificate_issue(enrolment=enrolment).template == certificate_template


def test_a_replaced_logo_or_signature_prints_on_the_next_certificate(templated):
    # The renderer keeps the images it read in memory (by the hash of their content):
    # a new image is a new name, so the next certificate prints it, and the ones issued
    # before keep theirs.
    from django.core.files.base import ContentFile
    from django.core.files.images import ImageFile
    from wagtail.images.models import Image as LibraryImage

    certificate, template = templated

    def colours(pdf: bytes) -> set:
        images = PdfReader(io.BytesIO(pdf)).pages[0].images
        return {image.image.convert("RGB").getpixel((5, 5)) for image in images}

    first = documents.render_pdf(certificate)
    assert {(0x1F, 0x3A, 0x93), (0, 0, 0x80)} <= colours(first)
    template.logo = LibraryImage.objects.create(
        title="Новый логотип", file=ImageFile(io.BytesIO(png("#2E8B57")), name="new-logo.png")
    )
    template.save()
    signatory = template.signatories.get(name="Қайрат Серікұлы Әбдіров")
    signatory.signature.save("new-sig.png", ContentFile(png("#FF8C00")))
    later, _ = services.certificate_issue_manual(
        holder=UserFactory(), course=_course(certificate), actor=UserFactory()
    )
    printed = colours(documents.render_pdf(later))
    assert {(0x2E, 0x8B, 0x57), (0xFF, 0x8C, 0)} <= printed
    assert not {(0x1F, 0x3A, 0x93), (0, 0, 0x80)} & printed
    assert documents.render_pdf(certificate) == first


def test_lines_that_fit_print_the_bytes_that_wrapping_them_prints(templated, monkeypatch):
    # A line that fits is printed as one cell rather than through fpdf2's line
    # breaking: the same bytes, for titles, names, paragraphs that wrap and signatories.
    certificate, _template = templated
    certificate.holder_name = "Айгүл Маратқызы Омарова"
    fast = documents.render_pdf(certificate)

    def always_wrapped(pdf, width, height, text, *, new_x):
        pdf.multi_cell(width, height, text, align="C", new_x=new_x, new_y="NEXT")

    monkeypatch.setattr(documents, "_centred", always_wrapped)
    assert documents.render_pdf(certificate) == fast
